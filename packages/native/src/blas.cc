#include "blas.h"

#include <dlfcn.h>

namespace engram {

// Heap-allocated and never freed: nothing of this module runs at process exit.
static Blas* instance = new Blas();

Blas& blas() { return *instance; }

Blas& openBlas(const std::vector<std::string>& candidates) {
  Blas& b = *instance;
  if (b.ok) return b;
  b.error.clear();
  for (const std::string& path : candidates) {
    // RTLD_LOCAL: the library's symbols stay private to this addon (no clash
    // with another BLAS some other module might load).
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* e = dlerror();
      b.error += path + ": " + (e ? e : "not found") + "; ";
      continue;
    }
    auto sgemm = reinterpret_cast<SgemmFn>(dlsym(handle, "cblas_sgemm"));
    if (!sgemm) {
      b.error += path + ": no cblas_sgemm; ";
      dlclose(handle);
      continue;
    }
    b.sgemm = sgemm;
    b.sgemv = reinterpret_cast<SgemvFn>(dlsym(handle, "cblas_sgemv"));
    b.setThreads = reinterpret_cast<SetThreadsFn>(dlsym(handle, "openblas_set_num_threads"));
    b.getThreads = reinterpret_cast<GetThreadsFn>(dlsym(handle, "openblas_get_num_threads"));
    b.corename = reinterpret_cast<GetStringFn>(dlsym(handle, "openblas_get_corename"));
    b.config = reinterpret_cast<GetStringFn>(dlsym(handle, "openblas_get_config"));
    b.path = path;
    b.ok = true;
    b.error.clear();
    return b;
  }
  return b;
}

}  // namespace engram
