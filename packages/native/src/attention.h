// Multi-head attention on token-major projections, one kernel per direction:
// the Energy Transformer's attention pulls (forward) and their gradient
// (backward), each head's products as strided cblas_sgemm calls on the wasm heap.
#pragma once

#include <node_api.h>

namespace engram {

napi_value headAttention(napi_env env, napi_callback_info info);
napi_value headAttentionGrad(napi_env env, napi_callback_info info);

}  // namespace engram
