// Elementwise kernels on the wasm heap (exp, log, row softmax and log-sum-exp, axpby, difference statistics) and the pool's lane count.
#pragma once

#include <node_api.h>

namespace engram {

napi_value unary(napi_env env, napi_callback_info info);
napi_value softmax(napi_env env, napi_callback_info info);
napi_value softmaxGradRows(napi_env env, napi_callback_info info);
napi_value softmaxLseRows(napi_env env, napi_callback_info info);
napi_value lseGradRows(napi_env env, napi_callback_info info);
napi_value axpby(napi_env env, napi_callback_info info);
napi_value diffStats(napi_env env, napi_callback_info info);
napi_value layerNormGradRows(napi_env env, napi_callback_info info);
napi_value binary(napi_env env, napi_callback_info info);
napi_value reduceRows(napi_env env, napi_callback_info info);
napi_value binaryRows(napi_env env, napi_callback_info info);
napi_value logSumExpRows(napi_env env, napi_callback_info info);
napi_value layerNormRows(napi_env env, napi_callback_info info);
napi_value setLanes(napi_env env, napi_callback_info info);
napi_value getLanes(napi_env env, napi_callback_info info);
napi_value setIsa(napi_env env, napi_callback_info info);
napi_value getIsa(napi_env env, napi_callback_info info);

}  // namespace engram
