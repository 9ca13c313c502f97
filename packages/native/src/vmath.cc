// Run-time choice of the vectorised kernels: AVX-512, AVX2+FMA or baseline,
// whatever this CPU supports (one build runs anywhere).
#include "vmath.h"

#include <cstring>

namespace engram {

#define ENGRAM_DECLARE(NS)                                                   \
  namespace NS {                                                            \
  void vexp(const float* x, float* y, std::size_t n);                       \
  void vlog(const float* x, float* y, std::size_t n);                       \
  void vsoftmax(const float* x, float* y, std::size_t rows, std::size_t cols, float* lse); \
  void vunary(int op, const float* x, float* y, std::size_t n);             \
  void vbinary(int op, const float* a, std::size_t na, const float* b, std::size_t nb, float* y, std::size_t n); \
  void vreduceRows(int op, const float* x, float* y, std::size_t rows, std::size_t cols); \
  void vbinaryRows(int op, const float* full, const float* row, bool rowFirst, float* y, std::size_t rows, std::size_t cols); \
  void vlogSumExpRows(const float* x, float* y, std::size_t rows, std::size_t cols); \
  void vlayerNormRows(const float* x, float* y, float* rstd, std::size_t rows, std::size_t cols, float eps); \
  void vsoftmaxGradRows(const float* dy, const float* y, float* dx, std::size_t rows, std::size_t cols); \
  void vsmallGemm(std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t ars, std::size_t acs, const float* bp, std::size_t np, float beta, float* c, std::size_t ldc); \
  void vaxpby(float a, const float* x, float b, const float* y, float* out, std::size_t n); \
  void vlseGradRows(const float* x, const float* dy, float* dx, std::size_t rows, std::size_t cols); \
  void vdiffStats(const float* a, const float* b, std::size_t n, float* out); \
  void vlayerNormGradRows(const float* dy, const float* y, const float* rstd, float* dx, std::size_t rows, std::size_t cols); \
  std::size_t vwidth(); \
  }
ENGRAM_DECLARE(base)
#if defined(__x86_64__) && defined(__GNUC__)
ENGRAM_DECLARE(avx2)
ENGRAM_DECLARE(avx512)
#endif

namespace {

struct Kernels {
  void (*exp)(const float*, float*, std::size_t);
  void (*log)(const float*, float*, std::size_t);
  void (*softmax)(const float*, float*, std::size_t, std::size_t, float*);
  void (*unary)(int, const float*, float*, std::size_t);
  void (*binary)(int, const float*, std::size_t, const float*, std::size_t, float*, std::size_t);
  void (*reduceRows)(int, const float*, float*, std::size_t, std::size_t);
  void (*binaryRows)(int, const float*, const float*, bool, float*, std::size_t, std::size_t);
  void (*logSumExpRows)(const float*, float*, std::size_t, std::size_t);
  void (*layerNormRows)(const float*, float*, float*, std::size_t, std::size_t, float);
  void (*softmaxGradRows)(const float*, const float*, float*, std::size_t, std::size_t);
  void (*smallGemm)(std::size_t, std::size_t, std::size_t, float, const float*, std::size_t, std::size_t, const float*, std::size_t, float, float*, std::size_t);
  void (*axpby)(float, const float*, float, const float*, float*, std::size_t);
  void (*lseGradRows)(const float*, const float*, float*, std::size_t, std::size_t);
  void (*diffStats)(const float*, const float*, std::size_t, float*);
  void (*layerNormGradRows)(const float*, const float*, const float*, float*, std::size_t, std::size_t);
  std::size_t (*width)();
  const char* name;
};

// One instruction set's kernels, in the order of Kernels' members.
#define ENGRAM_KERNELS(NS, NAME)                                                                                     \
  Kernels {                                                                                                          \
    NS::vexp, NS::vlog, NS::vsoftmax, NS::vunary, NS::vbinary, NS::vreduceRows, NS::vbinaryRows, NS::vlogSumExpRows, \
        NS::vlayerNormRows, NS::vsoftmaxGradRows, NS::vsmallGemm, NS::vaxpby, NS::vlseGradRows, NS::vdiffStats, NS::vlayerNormGradRows, NS::vwidth, NAME                                   \
  }

Kernels variant(const char* isa) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (std::strcmp(isa, "avx512") == 0) return ENGRAM_KERNELS(avx512, "avx512");
  if (std::strcmp(isa, "avx2") == 0) return ENGRAM_KERNELS(avx2, "avx2");
#endif
  return ENGRAM_KERNELS(base, "baseline");
}

/** The instruction sets this CPU runs, widest first ("baseline" always last). */
std::vector<const char*> supported() {
  std::vector<const char*> out;
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) out.push_back("avx512");
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) out.push_back("avx2");
#endif
  out.push_back("baseline");
  return out;
}

// Trivially destructible (nothing runs at exit); set once from the widest
// supported set, changed only by useVmathIsa on the JS thread between calls.
Kernels& kernels() {
  static Kernels k = variant(supported().front());
  return k;
}

}  // namespace

void vexp(const float* x, float* y, std::size_t n) { kernels().exp(x, y, n); }
void vlog(const float* x, float* y, std::size_t n) { kernels().log(x, y, n); }
void vsoftmax(const float* x, float* y, std::size_t rows, std::size_t cols, float* lse) { kernels().softmax(x, y, rows, cols, lse); }
void vunary(int op, const float* x, float* y, std::size_t n) { kernels().unary(op, x, y, n); }
void vbinary(int op, const float* a, std::size_t na, const float* b, std::size_t nb, float* y, std::size_t n) { kernels().binary(op, a, na, b, nb, y, n); }
void vreduceRows(int op, const float* x, float* y, std::size_t rows, std::size_t cols) { kernels().reduceRows(op, x, y, rows, cols); }
void vbinaryRows(int op, const float* full, const float* row, bool rowFirst, float* y, std::size_t rows, std::size_t cols) { kernels().binaryRows(op, full, row, rowFirst, y, rows, cols); }
void vlogSumExpRows(const float* x, float* y, std::size_t rows, std::size_t cols) { kernels().logSumExpRows(x, y, rows, cols); }
void vlayerNormRows(const float* x, float* y, float* rstd, std::size_t rows, std::size_t cols, float eps) { kernels().layerNormRows(x, y, rstd, rows, cols, eps); }
void vsoftmaxGradRows(const float* dy, const float* y, float* dx, std::size_t rows, std::size_t cols) { kernels().softmaxGradRows(dy, y, dx, rows, cols); }
void vsmallGemm(std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t ars, std::size_t acs, const float* bp, std::size_t np, float beta, float* c, std::size_t ldc) {
  kernels().smallGemm(m, n, k, alpha, a, ars, acs, bp, np, beta, c, ldc);
}
void vaxpby(float a, const float* x, float b, const float* y, float* out, std::size_t n) { kernels().axpby(a, x, b, y, out, n); }
void vlseGradRows(const float* x, const float* dy, float* dx, std::size_t rows, std::size_t cols) { kernels().lseGradRows(x, dy, dx, rows, cols); }
void vdiffStats(const float* a, const float* b, std::size_t n, float* out) { kernels().diffStats(a, b, n, out); }
void vlayerNormGradRows(const float* dy, const float* y, const float* rstd, float* dx, std::size_t rows, std::size_t cols) { kernels().layerNormGradRows(dy, y, rstd, dx, rows, cols); }
std::size_t vwidth() { return kernels().width(); }
const char* vmathIsa() { return kernels().name; }

std::vector<const char*> vmathIsas() { return supported(); }

bool useVmathIsa(const std::string& isa) {
  for (const char* name : supported())
    if (isa == name) {
      kernels() = variant(name);
      return true;
    }
  return false;
}

}  // namespace engram
