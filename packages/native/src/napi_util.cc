#include "napi_util.h"

#include <cmath>

namespace engram {

napi_value Args::at(size_t i, const char* what) const {
  if (i >= argc) throw ArgError{std::string("missing argument ") + what, false};
  return argv[i];
}

double Args::number(size_t i, const char* what) const {
  double x;
  if (napi_get_value_double(env, at(i, what), &x) != napi_ok) throw ArgError{std::string(what) + " must be a number", false};
  return x;
}

std::size_t Args::index(size_t i, const char* what) const {
  double x = number(i, what);
  if (!(x >= 0) || x > 9007199254740991.0 || std::floor(x) != x)
    throw ArgError{std::string(what) + " must be a non-negative integer", true};
  return static_cast<std::size_t>(x);
}

int Args::int32(size_t i, const char* what) const {
  double x = number(i, what);
  if (!(x >= -2147483648.0 && x <= 2147483647.0) || std::floor(x) != x)
    throw ArgError{std::string(what) + " must be a 32-bit integer", true};
  return static_cast<int>(x);
}

bool Args::boolean(size_t i, const char* what) const {
  bool b;
  if (napi_get_value_bool(env, at(i, what), &b) != napi_ok) throw ArgError{std::string(what) + " must be a boolean", false};
  return b;
}

std::string Args::string(size_t i, const char* what) const {
  size_t len = 0;
  napi_value v = at(i, what);
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) throw ArgError{std::string(what) + " must be a string", false};
  std::string s(len, '\0');
  napi_get_value_string_utf8(env, v, &s[0], len + 1, &len);
  return s;
}

std::uint8_t* Args::buffer(size_t i, const char* what, std::size_t* length) const {
  napi_value v = at(i, what);
  bool is = false;
  napi_is_arraybuffer(env, v, &is);
  if (!is) throw ArgError{std::string(what) + " must be an ArrayBuffer (the wasm heap)", false};
  void* data = nullptr;
  if (napi_get_arraybuffer_info(env, v, &data, length) != napi_ok) throw ArgError{std::string(what) + ": unreadable ArrayBuffer", false};
  if (data == nullptr && *length > 0) throw ArgError{std::string(what) + ": detached ArrayBuffer", false};
  return static_cast<std::uint8_t*>(data);
}

const double* Args::f64(size_t i, const char* what, std::size_t* length) const {
  napi_value v = at(i, what);
  bool is = false;
  napi_is_typedarray(env, v, &is);
  if (!is) throw ArgError{std::string(what) + " must be a Float64Array", false};
  napi_typedarray_type type;
  void* data = nullptr;
  napi_get_typedarray_info(env, v, &type, length, &data, nullptr, nullptr);
  if (type != napi_float64_array) throw ArgError{std::string(what) + " must be a Float64Array", false};
  return static_cast<const double*>(data);
}

float* floatsAt(std::uint8_t* base, std::size_t length, double offset, std::size_t count, const char* what) {
  if (!(offset >= 0) || std::floor(offset) != offset) throw ArgError{std::string(what) + ": offset must be a non-negative integer", true};
  auto off = static_cast<std::size_t>(offset);
  if (off % 4 != 0) throw ArgError{std::string(what) + ": offset is not 4-byte aligned", true};
  if (off > length || count > (length - off) / 4) throw ArgError{std::string(what) + ": outside the heap", true};
  return reinterpret_cast<float*>(base + off);
}

napi_value makeNumber(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

napi_value makeString(napi_env env, const std::string& s) {
  napi_value v;
  napi_create_string_utf8(env, s.c_str(), s.size(), &v);
  return v;
}

napi_value makeBool(napi_env env, bool b) {
  napi_value v;
  napi_get_boolean(env, b, &v);
  return v;
}

napi_value undefinedValue(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

RowsCols rowsAndCols(const Args& args, std::size_t i) {
  RowsCols rc{args.index(i, "rows"), args.index(i + 1, "cols")};
  if (rc.cols != 0 && rc.rows > SIZE_MAX / 4 / rc.cols) throw ArgError{"rows x cols overflows", true};
  return rc;
}

int reduceOp(const Args& args, std::size_t i) {
  int op = args.int32(i, "op");
  if (op < 0 || op > 3) throw ArgError{"op must be 0 (sum), 1 (max), 2 (min) or 3 (mean)", true};
  return op;
}

}  // namespace engram
