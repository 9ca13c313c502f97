// N-API bindings of the vectorised elementwise kernels, split over the pool's
// lanes when the array is large enough to pay for waking a worker.
#include "elementwise.h"

#include <algorithm>

#include "napi_util.h"
#include "pool.h"
#include "vmath.h"

namespace engram {

namespace {

/** Runs fn(begin, end) on contiguous blocks of rows [0, rows) of `cols` floats each, one block per lane. */
template <typename Fn>
void forRowBlocks(std::size_t rows, std::size_t cols, Fn fn) {
  int lanes = lanesFor(rows * cols, std::max<std::size_t>(rows, 1));
  Pool::get().run(lanes, [&](int lane, int total) {
    std::size_t chunk = (rows + total - 1) / total;
    std::size_t begin = std::min(rows, chunk * lane), end = std::min(rows, begin + chunk);
    fn(begin, end);
  });
}

/** Runs fn(begin, end) on contiguous blocks of [0, n), one per lane, each starting on a 16-float boundary. */
template <typename Fn>
void forFlatBlocks(std::size_t n, Fn fn) {
  Pool::get().run(lanesFor(n), [&](int lane, int lanes) {
    std::size_t chunk = (n + lanes - 1) / lanes;
    chunk = (chunk + 15) & ~static_cast<std::size_t>(15);
    std::size_t begin = std::min(n, chunk * lane), end = std::min(n, begin + chunk);
    fn(begin, end);
  });
}

// unary(op, heap, inOffset, outOffset, n): op 0 exp, 1 log, 2 neg, 3 relu, 4 square, 5 sqrt
napi_value unaryImpl(const Args& args) {
  int op = args.int32(0, "op");
  if (op < 0 || op > 5) throw ArgError{"op must be 0 (exp), 1 (log), 2 (neg), 3 (relu), 4 (square) or 5 (sqrt)", true};
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(1, "heap", &length);
  std::size_t n = args.index(4, "n");
  const float* x = floatsAt(heap, length, args.number(2, "inOffset"), n, "x");
  float* y = floatsAt(heap, length, args.number(3, "outOffset"), n, "y");
  forFlatBlocks(n, [&](std::size_t begin, std::size_t end) { vunary(op, x + begin, y + begin, end - begin); });
  return undefinedValue(args.env);
}

// binary(op, heap, aOffset, aCount, bOffset, bCount, outOffset, n): op 0 add, 1 sub, 2 mul, 3 div,
// 4 ReLU's gradient a * step(b); aCount, bCount: n, 1, or a period dividing n (the operand repeats
// along leading dims).
napi_value binaryImpl(const Args& args) {
  int op = args.int32(0, "op");
  if (op < 0 || op > 4) throw ArgError{"op must be 0 (add), 1 (sub), 2 (mul), 3 (div) or 4 (relu gradient)", true};
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(1, "heap", &length);
  std::size_t na = args.index(3, "aCount"), nb = args.index(5, "bCount"), n = args.index(7, "n");
  auto fits = [n](std::size_t c) { return c == n || c == 1 || (c > 0 && c <= n && n % c == 0); };
  if (!fits(na) || !fits(nb) || (na != n && nb != n && na != 1 && nb != 1)) throw ArgError{"aCount and bCount must be n, 1 or a period of n (one of them n or 1)", true};
  if (n == 0) return undefinedValue(args.env);
  const float* a = floatsAt(heap, length, args.number(2, "aOffset"), na, "a");
  const float* b = floatsAt(heap, length, args.number(4, "bOffset"), nb, "b");
  float* y = floatsAt(heap, length, args.number(6, "outOffset"), n, "y");
  // Split on whole periods so that every lane sees its operand from the period's start.
  std::size_t period = (na != n && na != 1) ? na : ((nb != n && nb != 1) ? nb : 16);
  Pool::get().run(lanesFor(n), [&](int lane, int lanes) {
    std::size_t units = (n + period - 1) / period;
    std::size_t per = (units + lanes - 1) / lanes;
    std::size_t begin = std::min(n, per * lane * period), end = std::min(n, begin + per * period);
    if (begin >= end) return;
    const float* aa = na == n ? a + begin : a;
    const float* bb = nb == n ? b + begin : b;
    std::size_t ca = na == n ? end - begin : na, cb = nb == n ? end - begin : nb;
    vbinary(op, aa, ca, bb, cb, y + begin, end - begin);
  });
  return undefinedValue(args.env);
}

// softmax(heap, inOffset, outOffset, rows, cols)
napi_value softmaxImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  const RowsCols rc = rowsAndCols(args, 3);
  const std::size_t rows = rc.rows, cols = rc.cols;
  const float* x = floatsAt(heap, length, args.number(1, "inOffset"), rows * cols, "x");
  float* y = floatsAt(heap, length, args.number(2, "outOffset"), rows * cols, "y");
  forRowBlocks(rows, cols, [&](std::size_t begin, std::size_t end) { vsoftmax(x + begin * cols, y + begin * cols, end - begin, cols); });
  return undefinedValue(args.env);
}

// softmaxLseRows(heap, inOffset, outOffset, lseOffset, rows, cols): each row's softmax and its
// log-sum-exp from the same max and sum (a modern Hopfield step needs both: one pass fewer).
napi_value softmaxLseRowsImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  const RowsCols rc = rowsAndCols(args, 4);
  const std::size_t rows = rc.rows, cols = rc.cols;
  const float* x = floatsAt(heap, length, args.number(1, "inOffset"), rows * cols, "x");
  float* y = floatsAt(heap, length, args.number(2, "outOffset"), rows * cols, "y");
  float* lse = floatsAt(heap, length, args.number(3, "lseOffset"), rows, "lse");
  if (x == y) throw ArgError{"softmaxLseRows: the output must not be the input", true};
  forRowBlocks(rows, cols, [&](std::size_t begin, std::size_t end) { vsoftmax(x + begin * cols, y + begin * cols, end - begin, cols, lse + begin); });
  return undefinedValue(args.env);
}

// lseGradRows(heap, xOffset, dyOffset, outOffset, rows, cols): dx = softmax(x) dy[r] per row.
napi_value lseGradRowsImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  const RowsCols rc = rowsAndCols(args, 4);
  const std::size_t rows = rc.rows, cols = rc.cols;
  const float* x = floatsAt(heap, length, args.number(1, "xOffset"), rows * cols, "x");
  const float* dy = floatsAt(heap, length, args.number(2, "dyOffset"), rows, "dy");
  float* dx = floatsAt(heap, length, args.number(3, "outOffset"), rows * cols, "dx");
  if (x == dx) throw ArgError{"lseGradRows: the output must not be the input", true};
  forRowBlocks(rows, cols, [&](std::size_t begin, std::size_t end) { vlseGradRows(x + begin * cols, dy + begin, dx + begin * cols, end - begin, cols); });
  return undefinedValue(args.env);
}

// axpby(heap, a, xOffset, b, yOffset, outOffset, n): out = a x + b y.
napi_value axpbyImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  auto a = static_cast<float>(args.number(1, "a"));
  auto b = static_cast<float>(args.number(3, "b"));
  std::size_t n = args.index(6, "n");
  if (n == 0) return undefinedValue(args.env);
  const float* x = floatsAt(heap, length, args.number(2, "xOffset"), n, "x");
  const float* y = floatsAt(heap, length, args.number(4, "yOffset"), n, "y");
  float* out = floatsAt(heap, length, args.number(5, "outOffset"), n, "out");
  forFlatBlocks(n, [&](std::size_t begin, std::size_t end) { vaxpby(a, x + begin, b, y + begin, out + begin, end - begin); });
  return undefinedValue(args.env);
}

// diffStats(heap, aOffset, bOffset, outOffset, n): out[0] = max |a - b|, out[1] = sum (a - b).
// One lane: a dynamics state is small enough that waking a second costs more than it saves.
napi_value diffStatsImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  std::size_t n = args.index(4, "n");
  float* out = floatsAt(heap, length, args.number(3, "outOffset"), 2, "out");
  if (n == 0) {
    out[0] = 0.0f;
    out[1] = 0.0f;
    return undefinedValue(args.env);
  }
  const float* a = floatsAt(heap, length, args.number(1, "aOffset"), n, "a");
  const float* b = floatsAt(heap, length, args.number(2, "bOffset"), n, "b");
  vdiffStats(a, b, n, out);
  return undefinedValue(args.env);
}

// softmaxGradRows(heap, dyOffset, yOffset, outOffset, rows, cols): dx = dy y - (sum dy y) y per row.
napi_value softmaxGradRowsImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  const RowsCols rc = rowsAndCols(args, 4);
  const std::size_t rows = rc.rows, cols = rc.cols;
  const float* dy = floatsAt(heap, length, args.number(1, "dyOffset"), rows * cols, "dy");
  const float* y = floatsAt(heap, length, args.number(2, "yOffset"), rows * cols, "y");
  float* dx = floatsAt(heap, length, args.number(3, "outOffset"), rows * cols, "dx");
  forRowBlocks(rows, cols, [&](std::size_t begin, std::size_t end) { vsoftmaxGradRows(dy + begin * cols, y + begin * cols, dx + begin * cols, end - begin, cols); });
  return undefinedValue(args.env);
}

// layerNormGradRows(heap, dyOffset, yOffset, rstdOffset, outOffset, rows, cols): dx = rstd ((dy - mean dy) - y mean(dy y)) per row.
napi_value layerNormGradRowsImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  const RowsCols rc = rowsAndCols(args, 5);
  const std::size_t rows = rc.rows, cols = rc.cols;
  const float* dy = floatsAt(heap, length, args.number(1, "dyOffset"), rows * cols, "dy");
  const float* y = floatsAt(heap, length, args.number(2, "yOffset"), rows * cols, "y");
  const float* rstd = floatsAt(heap, length, args.number(3, "rstdOffset"), rows, "rstd");
  float* dx = floatsAt(heap, length, args.number(4, "outOffset"), rows * cols, "dx");
  forRowBlocks(rows, cols, [&](std::size_t begin, std::size_t end) { vlayerNormGradRows(dy + begin * cols, y + begin * cols, rstd + begin, dx + begin * cols, end - begin, cols); });
  return undefinedValue(args.env);
}

// reduceRows(op, heap, inOffset, outOffset, rows, cols): op 0 sum, 1 max, 2 min, 3 mean over each row.
napi_value reduceRowsImpl(const Args& args) {
  int op = reduceOp(args, 0);
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(1, "heap", &length);
  const RowsCols rc = rowsAndCols(args, 4);
  const std::size_t rows = rc.rows, cols = rc.cols;
  const float* x = floatsAt(heap, length, args.number(2, "inOffset"), rows * cols, "x");
  float* y = floatsAt(heap, length, args.number(3, "outOffset"), rows, "y");
  forRowBlocks(rows, cols, [&](std::size_t begin, std::size_t end) {
    vreduceRows(op == 3 ? 0 : op, x + begin * cols, y + begin, end - begin, cols);
    if (op == 3)
      for (std::size_t r = begin; r < end; r++) y[r] /= static_cast<float>(cols);
  });
  return undefinedValue(args.env);
}

// logSumExpRows(heap, inOffset, outOffset, rows, cols): y[r] = log sum exp over row r.
napi_value logSumExpRowsImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  const RowsCols rc = rowsAndCols(args, 3);
  const std::size_t rows = rc.rows, cols = rc.cols;
  const float* x = floatsAt(heap, length, args.number(1, "inOffset"), rows * cols, "x");
  float* y = floatsAt(heap, length, args.number(2, "outOffset"), rows, "y");
  forRowBlocks(rows, cols, [&](std::size_t begin, std::size_t end) { vlogSumExpRows(x + begin * cols, y + begin, end - begin, cols); });
  return undefinedValue(args.env);
}

// layerNormRows(heap, inOffset, outOffset, rstdOffset, rows, cols, eps): y = (x - mean) * rstd per row.
napi_value layerNormRowsImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  const RowsCols rc = rowsAndCols(args, 4);
  const std::size_t rows = rc.rows, cols = rc.cols;
  double eps = args.number(6, "eps");
  if (cols == 0) throw ArgError{"cols must be at least 1", true};
  if (!(eps >= 0)) throw ArgError{"eps must be >= 0", true};
  const float* x = floatsAt(heap, length, args.number(1, "inOffset"), rows * cols, "x");
  float* y = floatsAt(heap, length, args.number(2, "outOffset"), rows * cols, "y");
  float* rstd = floatsAt(heap, length, args.number(3, "rstdOffset"), rows, "rstd");
  forRowBlocks(rows, cols, [&](std::size_t begin, std::size_t end) { vlayerNormRows(x + begin * cols, y + begin * cols, rstd + begin, end - begin, cols, static_cast<float>(eps)); });
  return undefinedValue(args.env);
}

// binaryRows(op, heap, fullOffset, rowOffset, outOffset, rows, cols, rowFirst): y[r, c] = full[r, c] OP row[r]
// (row[r] OP full[r, c] when rowFirst); op 0 add, 1 sub, 2 mul, 3 div.
napi_value binaryRowsImpl(const Args& args) {
  int op = args.int32(0, "op");
  if (op < 0 || op > 3) throw ArgError{"op must be 0 (add), 1 (sub), 2 (mul) or 3 (div)", true};
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(1, "heap", &length);
  const RowsCols rc = rowsAndCols(args, 5);
  const std::size_t rows = rc.rows, cols = rc.cols;
  bool rowFirst = args.int32(7, "rowFirst") != 0;
  const float* full = floatsAt(heap, length, args.number(2, "fullOffset"), rows * cols, "full");
  const float* row = floatsAt(heap, length, args.number(3, "rowOffset"), rows, "row");
  float* y = floatsAt(heap, length, args.number(4, "outOffset"), rows * cols, "y");
  forRowBlocks(rows, cols, [&](std::size_t begin, std::size_t end) { vbinaryRows(op, full + begin * cols, row + begin, rowFirst, y + begin * cols, end - begin, cols); });
  return undefinedValue(args.env);
}

napi_value setLanesImpl(const Args& args) {
  int n = args.int32(0, "lanes");
  if (n < 1) throw ArgError{"lanes must be at least 1", true};
  Pool::get().setLanes(n);
  return undefinedValue(args.env);
}

napi_value getLanesImpl(const Args& args) { return makeNumber(args.env, Pool::get().lanes()); }

// setIsa(name): the vectorised kernels' instruction set from the next call on (tests run every set this CPU has).
napi_value setIsaImpl(const Args& args) {
  std::string isa = args.string(0, "isa");
  if (!useVmathIsa(isa)) {
    std::string have;
    for (const char* name : vmathIsas()) have += (have.empty() ? "" : ", ") + std::string(name);
    throw ArgError{"this CPU runs the kernels on " + have + ", not '" + isa + "'", true};
  }
  return undefinedValue(args.env);
}

// getIsa(): { isa: the set in use, supported: the sets this CPU runs, widest first }.
napi_value getIsaImpl(const Args& args) {
  napi_value out, list;
  napi_create_object(args.env, &out);
  napi_create_array(args.env, &list);
  std::uint32_t i = 0;
  for (const char* name : vmathIsas()) napi_set_element(args.env, list, i++, makeString(args.env, name));
  napi_set_named_property(args.env, out, "isa", makeString(args.env, vmathIsa()));
  napi_set_named_property(args.env, out, "supported", list);
  return out;
}

}  // namespace

napi_value unary(napi_env env, napi_callback_info info) { return guarded<unaryImpl>(env, info); }
napi_value softmax(napi_env env, napi_callback_info info) { return guarded<softmaxImpl>(env, info); }
napi_value softmaxLseRows(napi_env env, napi_callback_info info) { return guarded<softmaxLseRowsImpl>(env, info); }
napi_value lseGradRows(napi_env env, napi_callback_info info) { return guarded<lseGradRowsImpl>(env, info); }
napi_value axpby(napi_env env, napi_callback_info info) { return guarded<axpbyImpl>(env, info); }
napi_value diffStats(napi_env env, napi_callback_info info) { return guarded<diffStatsImpl>(env, info); }
napi_value layerNormGradRows(napi_env env, napi_callback_info info) { return guarded<layerNormGradRowsImpl>(env, info); }
napi_value softmaxGradRows(napi_env env, napi_callback_info info) { return guarded<softmaxGradRowsImpl>(env, info); }
napi_value binary(napi_env env, napi_callback_info info) { return guarded<binaryImpl>(env, info); }
napi_value reduceRows(napi_env env, napi_callback_info info) { return guarded<reduceRowsImpl>(env, info); }
napi_value binaryRows(napi_env env, napi_callback_info info) { return guarded<binaryRowsImpl>(env, info); }
napi_value logSumExpRows(napi_env env, napi_callback_info info) { return guarded<logSumExpRowsImpl>(env, info); }
napi_value layerNormRows(napi_env env, napi_callback_info info) { return guarded<layerNormRowsImpl>(env, info); }
napi_value setLanes(napi_env env, napi_callback_info info) { return guarded<setLanesImpl>(env, info); }
napi_value getLanes(napi_env env, napi_callback_info info) { return guarded<getLanesImpl>(env, info); }
napi_value setIsa(napi_env env, napi_callback_info info) { return guarded<setIsaImpl>(env, info); }
napi_value getIsa(napi_env env, napi_callback_info info) { return guarded<getIsaImpl>(env, info); }

}  // namespace engram
