// Matrix products on the wasm heap through OpenBLAS's cblas_sgemm (row-major,
// transposes as cblas flags: no copies), single or batched.
#pragma once

#include <node_api.h>

namespace engram {

napi_value sgemm(napi_env env, napi_callback_info info);
napi_value sgemmBatch(napi_env env, napi_callback_info info);
napi_value setBlasThreads(napi_env env, napi_callback_info info);
napi_value getBlasThreads(napi_env env, napi_callback_info info);

}  // namespace engram
