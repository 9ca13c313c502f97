// OpenBLAS, loaded at run time with dlopen: no link-time dependency, so the
// addon builds on a machine without the library and reports at load time
// whether it found one.
#pragma once

#include <string>
#include <vector>

namespace engram {

enum CblasOrder { RowMajor = 101 };
enum CblasTranspose { NoTrans = 111, Trans = 112 };

using SgemmFn = void (*)(int order, int transA, int transB, int m, int n, int k, float alpha, const float* a, int lda,
                         const float* b, int ldb, float beta, float* c, int ldc);
using SgemvFn = void (*)(int order, int trans, int m, int n, float alpha, const float* a, int lda, const float* x, int incx,
                         float beta, float* y, int incy);
using SetThreadsFn = void (*)(int);
using GetThreadsFn = int (*)();
using GetStringFn = char* (*)();

struct Blas {
  bool ok = false;
  std::string path;   // the file that was opened
  std::string error;  // why nothing was opened (every candidate's dlerror)
  SgemmFn sgemm = nullptr;
  SgemvFn sgemv = nullptr;  // cblas_sgemv: products with one row or one column (optional)
  SetThreadsFn setThreads = nullptr;  // openblas_set_num_threads (may be missing in a non-OpenBLAS libblas)
  GetThreadsFn getThreads = nullptr;
  GetStringFn corename = nullptr;
  GetStringFn config = nullptr;
};

/** Opens the first candidate that provides cblas_sgemm (OpenBLAS extras are optional). Idempotent once it succeeded. */
Blas& openBlas(const std::vector<std::string>& candidates);

/** The library opened by openBlas (ok == false before). */
Blas& blas();

}  // namespace engram
