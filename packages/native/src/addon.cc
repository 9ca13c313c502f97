// engram_native: the module table. See ../README.md for what each function does
// and ../index.d.ts for the JS signatures.
#include <sys/mman.h>
#include <node_api.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "attention.h"
#include "blas.h"
#include "elementwise.h"
#include "gemm.h"
#include "layout.h"
#include "napi_util.h"
#include "pool.h"

namespace engram {

namespace {

void set(napi_env env, napi_value obj, const char* key, napi_value v) { napi_set_named_property(env, obj, key, v); }

// open(candidates: string[]) -> { ok, path, error, corename, config, threads, cpus }
napi_value openImpl(const Args& args) {
  napi_value list = args.at(0, "candidates");
  bool isArray = false;
  napi_is_array(args.env, list, &isArray);
  if (!isArray) throw ArgError{"candidates must be an array of library paths", false};
  uint32_t n = 0;
  napi_get_array_length(args.env, list, &n);
  std::vector<std::string> paths;
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    napi_get_element(args.env, list, i, &v);
    size_t len = 0;
    if (napi_get_value_string_utf8(args.env, v, nullptr, 0, &len) != napi_ok) throw ArgError{"candidates must be strings", false};
    std::string s(len, '\0');
    napi_get_value_string_utf8(args.env, v, &s[0], len + 1, &len);
    paths.push_back(s);
  }
  Blas& b = openBlas(paths);
  napi_value out;
  napi_create_object(args.env, &out);
  set(args.env, out, "ok", makeBool(args.env, b.ok));
  set(args.env, out, "cpus", makeNumber(args.env, availableCpus()));
  if (!b.ok) {
    set(args.env, out, "error", makeString(args.env, b.error));
    return out;
  }
  set(args.env, out, "path", makeString(args.env, b.path));
  set(args.env, out, "corename", makeString(args.env, b.corename ? b.corename() : "unknown"));
  set(args.env, out, "config", makeString(args.env, b.config ? b.config() : "unknown"));
  set(args.env, out, "threads", makeNumber(args.env, b.getThreads ? b.getThreads() : 1));
  return out;
}

// setEnvDefault(name, value): sets an environment variable for this process unless it is set
// (OpenBLAS reads its settings when it is loaded, so this must run before open()).
napi_value setEnvDefaultImpl(const Args& args) {
  std::string name = args.string(0, "name"), value = args.string(1, "value");
  return makeBool(args.env, setenv(name.c_str(), value.c_str(), 0) == 0);
}

// adviseHugePages(buffer, bytes): madvise(MADV_HUGEPAGE) over the whole 2 MiB pages of
// [buffer, buffer + max(bytes, buffer length)), so that pages faulted there later come as
// transparent huge pages (this kernel's THP mode is often "madvise": nothing else gets them).
// `bytes` past the buffer covers a wasm memory's reservation, into which it grows in place;
// if that range is not all mapped, the buffer alone. Returns the bytes advised (0: none).
napi_value adviseHugePagesImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* data = args.buffer(0, "buffer", &length);
  double want = args.number(1, "bytes");
  if (!(want >= 0)) throw ArgError{"adviseHugePages: bytes must be a non-negative number", true};
  double advised = 0;
#ifdef MADV_HUGEPAGE
  const std::uintptr_t huge = std::uintptr_t{2} << 20;
  const std::uintptr_t base = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t begin = (base + huge - 1) & ~(huge - 1);
  for (std::size_t span : {static_cast<std::size_t>(want > static_cast<double>(length) ? want : static_cast<double>(length)), length}) {
    const std::uintptr_t end = (base + span) & ~(huge - 1);
    if (end > begin && madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE) == 0) {
      advised = static_cast<double>(end - begin);
      break;
    }
  }
#endif
  napi_value out;
  napi_create_double(args.env, advised, &out);
  return out;
}

napi_value openFn(napi_env env, napi_callback_info info) { return guarded<openImpl>(env, info); }
napi_value adviseHugePages(napi_env env, napi_callback_info info) { return guarded<adviseHugePagesImpl>(env, info); }
napi_value setEnvDefault(napi_env env, napi_callback_info info) { return guarded<setEnvDefaultImpl>(env, info); }

napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor fns[] = {
      {"open", nullptr, openFn, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setEnvDefault", nullptr, setEnvDefault, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"adviseHugePages", nullptr, adviseHugePages, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sgemm", nullptr, sgemm, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sgemmBatch", nullptr, sgemmBatch, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setBlasThreads", nullptr, setBlasThreads, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"getBlasThreads", nullptr, getBlasThreads, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"unary", nullptr, unary, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"softmax", nullptr, softmax, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"softmaxGradRows", nullptr, softmaxGradRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"softmaxLseRows", nullptr, softmaxLseRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"lseGradRows", nullptr, lseGradRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"axpby", nullptr, axpby, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"diffStats", nullptr, diffStats, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"layerNormGradRows", nullptr, layerNormGradRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"binary", nullptr, binary, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"reduceRows", nullptr, reduceRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"binaryRows", nullptr, binaryRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"logSumExpRows", nullptr, logSumExpRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"layerNormRows", nullptr, layerNormRows, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"headAttention", nullptr, headAttention, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"headAttentionGrad", nullptr, headAttentionGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"transposeRuns", nullptr, transposeRuns, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"reduceCols", nullptr, reduceCols, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setLanes", nullptr, setLanes, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"getLanes", nullptr, getLanes, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setIsa", nullptr, setIsa, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"getIsa", nullptr, getIsa, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(fns) / sizeof(fns[0]), fns);
  return exports;
}

}  // namespace

}  // namespace engram

NAPI_MODULE(NODE_GYP_MODULE_NAME, engram::init)
