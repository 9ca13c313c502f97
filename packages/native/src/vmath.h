// Vectorised float32 elementwise kernels (exp, log, softmax over rows).
//
// Why: the tfjs wasm build runs Exp and Log as scalar loops calling libm
// (measured 4.2x slower than a vectorised exp). These are branch-free
// polynomial versions (Cephes-style range reduction, ~1 ulp) that GCC
// vectorises; the loops are compiled for AVX-512, AVX2+FMA and baseline
// x86-64 and picked at run time (target_clones), so one build runs anywhere.
#pragma once

#include <cstddef>

namespace engram {

void vexp(const float* x, float* y, std::size_t n);
void vlog(const float* x, float* y, std::size_t n);
/** Softmax over each of `rows` contiguous rows of `cols` floats (max-shifted). */
void vsoftmax(const float* x, float* y, std::size_t rows, std::size_t cols);

}  // namespace engram
