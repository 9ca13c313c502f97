// Layout kernels on the wasm heap.
//
// Why: tfjs-backend-wasm 4.22 runs Transpose and reductions over leading axes
// element by element. The Energy Transformer's head split ([B, N, H, Y] <->
// [B, H, N, Y]) is a transpose whose last axis stays in place: whole runs of Y
// floats move, so it is a sequence of small memcpys (measured in the ET train
// step: 170-200 us per call for 800 KB, stock). The gradient of a bias
// broadcast over leading axes is a column sum ([B*N, D] -> [D]), which the
// stock kernel does by transposing first (590 us per call there).
#include "layout.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "napi_util.h"
#include "pool.h"

namespace engram {

namespace {

constexpr std::size_t MAX_RANK = 8;

// transposeRuns(heap, inOffset, outOffset, shape: Float64Array, perm: Float64Array)
// y = transpose(x, perm) for a float32 (or any 4-byte) x of `shape`, where the
// output's last axis is the input's last axis (perm[rank-1] == rank-1) and
// shape[rank-1] floats move as one block.
napi_value transposeRunsImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  std::size_t rank = 0, permRank = 0;
  const double* shapeIn = args.f64(3, "shape", &rank);
  const double* permIn = args.f64(4, "perm", &permRank);
  if (rank == 0 || rank > MAX_RANK || permRank != rank) throw ArgError{"shape and perm must have the same rank, 1 to 8", true};
  std::size_t shape[MAX_RANK], perm[MAX_RANK];
  bool seen[MAX_RANK] = {false};
  std::size_t n = 1;
  for (std::size_t i = 0; i < rank; i++) {
    double s = shapeIn[i], p = permIn[i];
    if (!(s >= 0) || s != std::floor(s) || s > 9007199254740991.0) throw ArgError{"shape entries must be non-negative integers", true};
    if (!(p >= 0) || p != std::floor(p) || p >= static_cast<double>(rank) || seen[static_cast<std::size_t>(p)]) throw ArgError{"perm must be a permutation of 0..rank-1", true};
    shape[i] = static_cast<std::size_t>(s);
    perm[i] = static_cast<std::size_t>(p);
    seen[perm[i]] = true;
    if (shape[i] != 0 && n > SIZE_MAX / 4 / shape[i]) throw ArgError{"shape overflows", true};
    n *= shape[i];
  }
  if (perm[rank - 1] != rank - 1) throw ArgError{"perm must keep the last axis in place", true};
  const float* x = floatsAt(heap, length, args.number(1, "inOffset"), n, "x");
  float* y = floatsAt(heap, length, args.number(2, "outOffset"), n, "y");
  if (n == 0) return undefinedValue(args.env);
  std::size_t run = shape[rank - 1];
  std::size_t stride[MAX_RANK];  // input strides (floats)
  stride[rank - 1] = 1;
  for (std::size_t i = rank - 1; i-- > 0;) stride[i] = stride[i + 1] * shape[i + 1];
  // Output axes 0..rank-2: sizes and the input stride each one walks.
  std::size_t outer = rank - 1, oshape[MAX_RANK], ostride[MAX_RANK];
  std::size_t runs = 1;
  for (std::size_t j = 0; j < outer; j++) {
    oshape[j] = shape[perm[j]];
    ostride[j] = stride[perm[j]];
    runs *= oshape[j];
  }
  Pool::get().run(lanesFor(n, runs), [&](int lane, int lanes) {
    std::size_t per = (runs + lanes - 1) / lanes;
    std::size_t begin = std::min(runs, per * lane), end = std::min(runs, begin + per);
    if (begin >= end) return;
    // Multi-index of run `begin` in the output's leading axes, and its input offset.
    std::size_t idx[MAX_RANK] = {0};
    std::size_t rest = begin, src = 0;
    for (std::size_t j = outer; j-- > 0;) {
      idx[j] = rest % oshape[j];
      rest /= oshape[j];
      src += idx[j] * ostride[j];
    }
    for (std::size_t r = begin; r < end; r++) {
      std::memcpy(y + r * run, x + src, run * sizeof(float));
      for (std::size_t j = outer; j-- > 0;) {  // odometer step
        src += ostride[j];
        if (++idx[j] < oshape[j]) break;
        src -= ostride[j] * oshape[j];
        idx[j] = 0;
      }
    }
  });
  return undefinedValue(args.env);
}

template <int OP>
void reduceColBlock(const float* x, float* y, std::size_t rows, std::size_t cols, std::size_t c0, std::size_t c1) {
  for (std::size_t c = c0; c < c1; c++) y[c] = x[c];
  for (std::size_t r = 1; r < rows; r++) {
    const float* row = x + r * cols;
    for (std::size_t c = c0; c < c1; c++) {
      float v = row[c], a = y[c];
      if (OP == 0)
        y[c] = a + v;
      else if (OP == 1)
        y[c] = a != a ? a : ((v != v || v > a) ? v : a);  // max, NaN wins
      else
        y[c] = a != a ? a : ((v != v || v < a) ? v : a);  // min, NaN wins
    }
  }
}

// reduceCols(op, heap, inOffset, outOffset, rows, cols): y[c] = sum (0), max (1), min (2) or mean (3) over r of x[r, c].
napi_value reduceColsImpl(const Args& args) {
  int op = reduceOp(args, 0);
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(1, "heap", &length);
  const RowsCols rc = rowsAndCols(args, 4);
  const std::size_t rows = rc.rows, cols = rc.cols;
  if (rows == 0) throw ArgError{"rows must be at least 1", true};
  const float* x = floatsAt(heap, length, args.number(2, "inOffset"), rows * cols, "x");
  float* y = floatsAt(heap, length, args.number(3, "outOffset"), cols, "y");
  // Lanes split the columns (blocks of 16), so no lane's sums depend on another's.
  std::size_t blocks = (cols + 15) / 16;
  Pool::get().run(lanesFor(rows * cols, blocks), [&](int lane, int lanes) {
    std::size_t per = (blocks + lanes - 1) / lanes;
    std::size_t c0 = std::min(cols, per * lane * 16), c1 = std::min(cols, c0 + per * 16);
    if (c0 >= c1) return;
    if (op == 0 || op == 3)
      reduceColBlock<0>(x, y, rows, cols, c0, c1);
    else if (op == 1)
      reduceColBlock<1>(x, y, rows, cols, c0, c1);
    else
      reduceColBlock<2>(x, y, rows, cols, c0, c1);
    if (op == 3)
      for (std::size_t c = c0; c < c1; c++) y[c] /= static_cast<float>(rows);
  });
  return undefinedValue(args.env);
}

}  // namespace

napi_value transposeRuns(napi_env env, napi_callback_info info) { return guarded<transposeRunsImpl>(env, info); }
napi_value reduceCols(napi_env env, napi_callback_info info) { return guarded<reduceColsImpl>(env, info); }

}  // namespace engram
