#include "gemm.h"

#include <algorithm>
#include <vector>

#include "blas.h"
#include "napi_util.h"
#include "pool.h"

namespace engram {

namespace {

int currentThreads = -1;  // what we last asked OpenBLAS for (-1: unknown)

/** Sets OpenBLAS's thread count when it differs from the last one set (the call is not free). */
void useThreads(int n) {
  Blas& b = blas();
  if (n < 1 || !b.setThreads || n == currentThreads) return;
  b.setThreads(n);
  currentThreads = n;
}

/** Elements spanned by a row-major rows x cols matrix with leading dimension ld. */
std::size_t extent(int rows, int cols, int ld, const char* what) {
  if (rows < 0 || cols < 0) throw ArgError{std::string(what) + ": negative size", true};
  if (ld < std::max(cols, 1)) throw ArgError{std::string(what) + ": leading dimension smaller than the row", true};
  if (rows == 0 || cols == 0) return 0;
  return static_cast<std::size_t>(rows - 1) * static_cast<std::size_t>(ld) + static_cast<std::size_t>(cols);
}

struct Shape {
  bool ta, tb;
  int m, n, k, lda, ldb, ldc;
  std::size_t aCount() const { return ta ? extent(k, m, lda, "a") : extent(m, k, lda, "a"); }
  std::size_t bCount() const { return tb ? extent(n, k, ldb, "b") : extent(k, n, ldb, "b"); }
  std::size_t cCount() const { return extent(m, n, ldc, "c"); }
};

void requireBlas() {
  if (!blas().ok) throw ArgError{"engram_native: OpenBLAS is not loaded (call open() first)", false};
}

/**
 * A product with one row (m = 1) or one column (n = 1) as cblas_sgemv, as
 * torch does for vectors: sgemm packs the whole matrix operand first, which
 * for [1, 1000] x [1000, 1000] measured 216-500 us against 60-83 us for torch's
 * gemv on the same OpenBLAS. beta 0 writes y first (never reads what was there).
 */
void runVector(const Shape& s, float alpha, const float* a, const float* b, float beta, float* c) {
  const int incy = s.m == 1 ? 1 : s.ldc, len = s.m == 1 ? s.n : s.m;
  if (beta == 0.0f)
    for (int i = 0; i < len; i++) c[static_cast<std::size_t>(i) * static_cast<std::size_t>(incy)] = 0.0f;
  Blas& bl = blas();
  if (s.m == 1) {
    // y[1 x n] = x op(B), x = op(A)'s one row: contiguous, or a column of the stored k x 1 A.
    const int incx = s.ta ? s.lda : 1;
    if (s.tb)
      bl.sgemv(RowMajor, NoTrans, s.n, s.k, alpha, b, s.ldb, a, incx, beta, c, incy);
    else
      bl.sgemv(RowMajor, Trans, s.k, s.n, alpha, b, s.ldb, a, incx, beta, c, incy);
  } else {
    // y[m x 1] = op(A) x, x = op(B)'s one column: a column of the stored k x 1 B, or its one row.
    const int incx = s.tb ? 1 : s.ldb;
    if (s.ta)
      bl.sgemv(RowMajor, Trans, s.k, s.m, alpha, a, s.lda, b, incx, beta, c, incy);
    else
      bl.sgemv(RowMajor, NoTrans, s.m, s.k, alpha, a, s.lda, b, incx, beta, c, incy);
  }
}

void run(const Shape& s, float alpha, const float* a, const float* b, float beta, float* c) {
  if (s.m == 0 || s.n == 0) return;
  if (s.k == 0) {
    // cblas with k = 0 scales c by beta; make beta = 0 mean "write zeros" regardless of what was there.
    for (int i = 0; i < s.m; i++)
      for (int j = 0; j < s.n; j++) c[static_cast<std::size_t>(i) * s.ldc + j] = beta == 0.0f ? 0.0f : beta * c[static_cast<std::size_t>(i) * s.ldc + j];
    return;
  }
  if ((s.m == 1 || s.n == 1) && blas().sgemv) {
    runVector(s, alpha, a, b, beta, c);
    return;
  }
  blas().sgemm(RowMajor, s.ta ? Trans : NoTrans, s.tb ? Trans : NoTrans, s.m, s.n, s.k, alpha, a, s.lda, b, s.ldb, beta, c, s.ldc);
}

// sgemm(heap, ta, tb, m, n, k, alpha, aOff, lda, bOff, ldb, beta, cOff, ldc, threads)
napi_value sgemmImpl(const Args& args) {
  requireBlas();
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  Shape s{args.boolean(1, "transposeA"), args.boolean(2, "transposeB"), args.int32(3, "m"), args.int32(4, "n"), args.int32(5, "k"),
          args.int32(8, "lda"), args.int32(10, "ldb"), args.int32(13, "ldc")};
  auto alpha = static_cast<float>(args.number(6, "alpha"));
  auto beta = static_cast<float>(args.number(11, "beta"));
  const float* a = floatsAt(heap, length, args.number(7, "aOffset"), s.aCount(), "a");
  const float* b = floatsAt(heap, length, args.number(9, "bOffset"), s.bCount(), "b");
  float* c = floatsAt(heap, length, args.number(12, "cOffset"), s.cCount(), "c");
  useThreads(args.int32(14, "threads"));
  run(s, alpha, a, b, beta, c);
  return undefinedValue(args.env);
}

// sgemmBatch(heap, ta, tb, m, n, k, alpha, offsets [a0,b0,c0,a1,b1,c1,...], lda, ldb, beta, ldc, lanes)
// One product per entry, split over `lanes` pool lanes; OpenBLAS runs single-threaded
// during the batch (threads inside threads would oversubscribe) and its thread count
// is restored afterwards (a measured pitfall: left at 1, every later big product ran on one core).
napi_value sgemmBatchImpl(const Args& args) {
  requireBlas();
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  std::size_t nOffsets = 0;
  const double* offsets = args.f64(7, "offsets", &nOffsets);
  Shape s{args.boolean(1, "transposeA"), args.boolean(2, "transposeB"), args.int32(3, "m"), args.int32(4, "n"), args.int32(5, "k"),
          args.int32(8, "lda"), args.int32(9, "ldb"), args.int32(11, "ldc")};
  auto alpha = static_cast<float>(args.number(6, "alpha"));
  auto beta = static_cast<float>(args.number(10, "beta"));
  int lanes = args.int32(12, "lanes");
  if (nOffsets % 3 != 0) throw ArgError{"offsets must hold a, b, c offsets per product", true};
  std::size_t count = nOffsets / 3;
  std::vector<const float*> as(count), bs(count);
  std::vector<float*> cs(count);
  std::size_t ac = s.aCount(), bc = s.bCount(), cc = s.cCount();
  for (std::size_t p = 0; p < count; p++) {
    as[p] = floatsAt(heap, length, offsets[3 * p], ac, "a");
    bs[p] = floatsAt(heap, length, offsets[3 * p + 1], bc, "b");
    cs[p] = floatsAt(heap, length, offsets[3 * p + 2], cc, "c");
  }
  batchOnLanes(count, lanes, [&](std::size_t p, int) { run(s, alpha, as[p], bs[p], beta, cs[p]); });
  return undefinedValue(args.env);
}

napi_value setThreadsImpl(const Args& args) {
  requireBlas();
  int n = args.int32(0, "threads");
  if (n < 1) throw ArgError{"threads must be at least 1", true};
  currentThreads = -1;
  useThreads(n);
  return undefinedValue(args.env);
}

napi_value getThreadsImpl(const Args& args) {
  requireBlas();
  return makeNumber(args.env, blas().getThreads ? blas().getThreads() : 1);
}

}  // namespace

void batchOnLanes(std::size_t count, int lanes, const std::function<void(std::size_t, int)>& task) {
  requireBlas();
  lanes = std::max(1, std::min<int>(lanes, static_cast<int>(std::min<std::size_t>(count, 1 << 20))));
  int restore = currentThreads > 0 ? currentThreads : (blas().getThreads ? blas().getThreads() : -1);
  if (lanes > 1) useThreads(1);
  Pool::get().run(lanes, [&](int lane, int total) {
    // One contiguous block of tasks per lane (consecutive products read neighbouring memory; measured
    // 2-11 % faster than round-robin for the per-head attention kernels and a 128-product batch).
    const std::size_t per = (count + total - 1) / total;
    const std::size_t begin = std::min(count, per * static_cast<std::size_t>(lane)), end = std::min(count, begin + per);
    for (std::size_t p = begin; p < end; p++) task(p, lane);
  });
  if (lanes > 1 && restore > 0) useThreads(restore);
}

void sgemmRowMajor(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc) {
  run(Shape{ta, tb, m, n, k, lda, ldb, ldc}, alpha, a, b, beta, c);
}

napi_value sgemm(napi_env env, napi_callback_info info) { return guarded<sgemmImpl>(env, info); }
napi_value sgemmBatch(napi_env env, napi_callback_info info) { return guarded<sgemmBatchImpl>(env, info); }
napi_value setBlasThreads(napi_env env, napi_callback_info info) { return guarded<setThreadsImpl>(env, info); }
napi_value getBlasThreads(napi_env env, napi_callback_info info) { return guarded<getThreadsImpl>(env, info); }

}  // namespace engram
