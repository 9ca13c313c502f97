// Vectorised float32 elementwise kernels (exp, log, softmax over rows).
//
// Why: the tfjs wasm build runs Exp and Log as scalar loops calling libm
// (measured 4.2x slower than a vectorised exp). These are branch-free
// polynomial versions (Cephes-style range reduction, ~1 ulp) written with
// GCC vector types one register wide (16, 8 or 4 floats), compiled for
// AVX-512, AVX2+FMA and baseline x86-64
// (vmath_*.cc) and picked at run time (vmath.cc), so one build runs anywhere.
// Measured (one core, 307k floats): exp 0.14 ms vs libm's 1.0 ms; softmax over
// rows of 49: 0.31 ms.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace engram {

void vexp(const float* x, float* y, std::size_t n);
void vlog(const float* x, float* y, std::size_t n);
/** Softmax over each of `rows` contiguous rows of `cols` floats (max-shifted); with `lse` non-null, each row's log-sum-exp too (as vlogSumExpRows gives it). */
void vsoftmax(const float* x, float* y, std::size_t rows, std::size_t cols, float* lse = nullptr);
/** Unary op by code: 0 exp, 1 log, 2 neg, 3 relu, 4 square, 5 sqrt. */
void vunary(int op, const float* x, float* y, std::size_t n);
/** y = a OP b, OP by code (0 add, 1 sub, 2 mul, 3 div); na, nb: n, 1, or a period dividing n (suffix broadcast). */
void vbinary(int op, const float* a, std::size_t na, const float* b, std::size_t nb, float* y, std::size_t n);
/** y[r] = sum (op 0), max (1) or min (2) over row r of `rows` contiguous rows of `cols` floats (max/min propagate NaN). */
void vreduceRows(int op, const float* x, float* y, std::size_t rows, std::size_t cols);
/** y[r, c] = full[r, c] OP row[r] (row[r] OP full[r, c] when rowFirst); OP by code as in vbinary. */
void vbinaryRows(int op, const float* full, const float* row, bool rowFirst, float* y, std::size_t rows, std::size_t cols);
/** y[r] = log(sum(exp(x[r, :]))) over each of `rows` contiguous rows (max-shifted; NaN, +inf or an all -inf row give NaN). */
void vlogSumExpRows(const float* x, float* y, std::size_t rows, std::size_t cols);
/** Row layer norm: y = (x - mean) / sqrt(var + eps) (biased variance) and rstd[r] = 1 / sqrt(var + eps). */
void vlayerNormRows(const float* x, float* y, float* rstd, std::size_t rows, std::size_t cols, float eps);
/** Softmax's gradient per row from its output y: dx = dy y - (sum over the row of dy y) y (dx may be dy: in place). */
void vsoftmaxGradRows(const float* dy, const float* y, float* dx, std::size_t rows, std::size_t cols);
/**
 * C = alpha A B + beta C for small products (the attention's per-head ones): C m x n row-major with
 * leading dimension ldc, A(i, p) = a[i * ars + p * acs], B packed row-major k x np with np = n rounded
 * up to vwidth() and the padding zero. beta 0 never reads C.
 */
void vsmallGemm(std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t ars, std::size_t acs, const float* bp, std::size_t np, float beta, float* c, std::size_t ldc);
/** out = a x + b y over n floats (out may be x or y). */
void vaxpby(float a, const float* x, float b, const float* y, float* out, std::size_t n);
/** The log-sum-exp's gradient: dx[r, c] = softmax(x[r, :])[c] dy[r] over `rows` contiguous rows (dx must not be x). */
void vlseGradRows(const float* x, const float* dy, float* dx, std::size_t rows, std::size_t cols);
/** out[0] = max |a - b| (NaN propagating), out[1] = sum (a - b), over n floats. */
void vdiffStats(const float* a, const float* b, std::size_t n, float* out);
/** Layer norm's gradient per row from its output y and rstd = 1/std: dx = rstd ((dy - mean dy) - y mean(dy y)) (dx may be dy). */
void vlayerNormGradRows(const float* dy, const float* y, const float* rstd, float* dx, std::size_t rows, std::size_t cols);
/** Floats per vector of the kernels in use (16, 8 or 4). */
std::size_t vwidth();
/** Which instruction set the kernels run on ("avx512", "avx2", "baseline"). */
const char* vmathIsa();
/** The instruction sets this CPU can run the kernels on, widest first (the widest is the default). */
std::vector<const char*> vmathIsas();
/** Runs the kernels on `isa` from the next call on (tests compare the sets); false, and no change, when this CPU lacks it. */
bool useVmathIsa(const std::string& isa);

}  // namespace engram
