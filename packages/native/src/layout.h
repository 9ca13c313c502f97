// Layout kernels on the wasm heap: a transpose that keeps the last axis in
// place (block copies) and reductions over the leading axes (column sums).
#pragma once

#include <node_api.h>

namespace engram {

napi_value transposeRuns(napi_env env, napi_callback_info info);
napi_value reduceCols(napi_env env, napi_callback_info info);

}  // namespace engram
