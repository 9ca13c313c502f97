// Small helpers over the N-API C interface: argument reading with checks that
// turn into JS exceptions (a wrong argument must never become a wild pointer).
#pragma once

#include <node_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace engram {

/** Thrown (inside this addon only) when an argument is wrong; converted to a JS TypeError/RangeError at the boundary. */
struct ArgError {
  std::string message;
  bool range;
};

struct Args {
  napi_env env;
  size_t argc = 16;
  napi_value argv[16];
  explicit Args(napi_env e, napi_callback_info info) : env(e) { napi_get_cb_info(e, info, &argc, argv, nullptr, nullptr); }
  napi_value at(size_t i, const char* what) const;
  double number(size_t i, const char* what) const;
  /** A non-negative integer below 2^53. */
  std::size_t index(size_t i, const char* what) const;
  int int32(size_t i, const char* what) const;
  bool boolean(size_t i, const char* what) const;
  std::string string(size_t i, const char* what) const;
  /** An ArrayBuffer (the wasm heap): its data pointer and byte length. */
  std::uint8_t* buffer(size_t i, const char* what, std::size_t* length) const;
  /** A Float64Array: its data and element count. */
  const double* f64(size_t i, const char* what, std::size_t* length) const;
};

/** Checks that [offset, offset + count floats) lies inside a buffer of `length` bytes and is 4-byte aligned. */
float* floatsAt(std::uint8_t* base, std::size_t length, double offset, std::size_t count, const char* what);

/** rows and cols of a row kernel from arguments i and i + 1; refuses a rows x cols whose float bytes overflow. */
struct RowsCols {
  std::size_t rows, cols;
};
RowsCols rowsAndCols(const Args& args, std::size_t i);

/** A reduction's op code from argument i: 0 sum, 1 max, 2 min, 3 mean. */
int reduceOp(const Args& args, std::size_t i);

napi_value makeNumber(napi_env env, double x);
napi_value makeString(napi_env env, const std::string& s);
napi_value makeBool(napi_env env, bool b);
napi_value undefinedValue(napi_env env);

/** Wraps a C++ callback so that ArgError becomes a JS exception. */
template <napi_value (*F)(const Args&)>
napi_value guarded(napi_env env, napi_callback_info info) {
  Args args(env, info);
  try {
    return F(args);
  } catch (const ArgError& e) {
    if (e.range)
      napi_throw_range_error(env, "ENGRAM_NATIVE_ARG", e.message.c_str());
    else
      napi_throw_type_error(env, "ENGRAM_NATIVE_ARG", e.message.c_str());
    return nullptr;
  }
}

}  // namespace engram
