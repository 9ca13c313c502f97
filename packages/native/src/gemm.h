// Matrix products on the wasm heap through OpenBLAS's cblas_sgemm (row-major,
// transposes as cblas flags: no copies), single or batched.
#pragma once

#include <node_api.h>

#include <cstddef>
#include <functional>

namespace engram {

/**
 * Runs task(p, lane) for p = 0..count-1 over up to `lanes` pool lanes, with
 * OpenBLAS single-threaded meanwhile (threads inside threads would
 * oversubscribe) and its thread count restored after (a measured pitfall: left
 * at 1, every later big product ran on one core). Needs OpenBLAS open.
 */
void batchOnLanes(std::size_t count, int lanes, const std::function<void(std::size_t, int)>& task);

/** Row-major cblas_sgemm: C = alpha op(A) op(B) + beta C (OpenBLAS must be open). */
void sgemmRowMajor(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc);

napi_value sgemm(napi_env env, napi_callback_info info);
napi_value sgemmBatch(napi_env env, napi_callback_info info);
napi_value setBlasThreads(napi_env env, napi_callback_info info);
napi_value getBlasThreads(napi_env env, napi_callback_info info);

}  // namespace engram
