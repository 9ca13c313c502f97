// Layout: q, k and the pulls are token-major [B*N, H*Y] (what the projections
// give), so head h of sample b is an N x Y matrix at (b*N*H*Y + h*Y) with
// leading dimension H*Y: the products read it in place, with no transposes to
// and from a head-major copy. The optional log-mask is [Bm, N, N], Bm = 1 or B,
// added to every head's scores. Per (b, h), split over the pool's lanes (each
// lane's products single-threaded):
//   S = scale Q K^T (+ mask), P = softmax(S) by rows, lse = log sum exp(S) by rows,
//   pullQ = P K, pullK = P^T Q.
// The backward pass recomputes S and P (nothing [B, H, N, N] is kept between them):
//   dP = dPullQ K^T + Q dPullK^T, dS = P (dP - sum_j dP P + dLse),
//   dQ = scale dS K + P dPullK, dK = scale dS^T Q + P^T dPullQ.
#include "attention.h"

#include <limits>
#include <string>
#include <vector>

#include "gemm.h"
#include "napi_util.h"
#include "pool.h"
#include "vmath.h"

namespace engram {

namespace {

struct Dims {
  std::size_t B, N, H, Y, maskBatch;
  std::size_t ld() const { return H * Y; }
  std::size_t tokens() const { return B * N * H * Y; }
  std::size_t head(std::size_t b, std::size_t h) const { return b * N * H * Y + h * Y; }
};

Dims readDims(const Args& args, std::size_t first) {
  Dims d{args.index(first, "B"), args.index(first + 1, "N"), args.index(first + 2, "H"), args.index(first + 3, "Y"), 0};
  if (d.N == 0 || d.H == 0 || d.Y == 0) throw ArgError{"N, H and Y must be at least 1", true};
  const std::size_t big = static_cast<std::size_t>(std::numeric_limits<int>::max());
  if (d.N > big / d.N || d.H > big / d.Y || d.B > SIZE_MAX / 4 / d.N / d.H / d.Y || d.B * d.H > SIZE_MAX / 4 / d.N) throw ArgError{"B x N x H x Y overflows", true};
  return d;
}

/**
 * Per-head products up to this many multiply-adds go through vsmallGemm (B
 * packed per call) rather than OpenBLAS: measured 0.82x (forward) and 0.86x
 * (backward) of OpenBLAS's time on the ET bench's 49 x 49 x 32 heads (AVX2), in
 * pairs (scripts/compare-builds.mjs). Reading an unpadded B in place instead
 * of packing it measured 1.03-1.04x slower (its rows are a stride apart).
 */
constexpr std::size_t SMALL_PRODUCT = 1 << 20;

/** Floats of packing space a product of these dims needs (B as k x n rounded up to the vector width). */
std::size_t packFloats(std::size_t N, std::size_t Y) {
  const std::size_t w = vwidth(), most = N > Y ? N : Y;
  return most * ((most + w - 1) / w * w);
}

/**
 * sgemmRowMajor's contract (C = alpha op(A) op(B) + beta C, row-major, leading
 * dimensions) on small products: B packed into `pack` (rows copied, or
 * transposed when tb), A read through strides; larger ones go to OpenBLAS.
 * With `packed`, `pack` already holds this op(B) from the previous call (same
 * b, tb, n and k), and packing is skipped.
 */
void headProduct(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc, float* pack, bool packed = false) {
  const std::size_t M = static_cast<std::size_t>(m), Nn = static_cast<std::size_t>(n), K = static_cast<std::size_t>(k);
  if (M * Nn * K > SMALL_PRODUCT) {
    sgemmRowMajor(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  const std::size_t w = vwidth(), np = (Nn + w - 1) / w * w;
  for (std::size_t p = 0; p < K && !packed; p++) {
    float* row = pack + p * np;
    if (tb)
      for (std::size_t j = 0; j < Nn; j++) row[j] = b[j * static_cast<std::size_t>(ldb) + p];
    else
      for (std::size_t j = 0; j < Nn; j++) row[j] = b[p * static_cast<std::size_t>(ldb) + j];
    for (std::size_t j = Nn; j < np; j++) row[j] = 0.0f;
  }
  const std::size_t ld = static_cast<std::size_t>(lda);
  vsmallGemm(M, Nn, K, alpha, a, ta ? 1 : ld, ta ? ld : 1, pack, np, beta, c, static_cast<std::size_t>(ldc));
}

/** S = scale Q K^T (+ mask) into s, P = softmax(S) by rows into p (vectorised), and lse by rows when asked; `pack` keeps K^T packed. */
void scoresAndSoftmax(const Dims& d, const float* q, const float* k, const float* mask, float scale, std::size_t b, std::size_t h, float* s, float* p, float* lse, float* pack) {
  const int N = static_cast<int>(d.N), Y = static_cast<int>(d.Y), ld = static_cast<int>(d.ld());
  headProduct(false, true, N, N, Y, scale, q + d.head(b, h), ld, k + d.head(b, h), ld, 0.0f, s, N, pack);
  if (mask) {
    const float* m = mask + (d.maskBatch == 1 ? 0 : b) * d.N * d.N;
    for (std::size_t i = 0; i < d.N * d.N; i++) s[i] += m[i];
  }
  vsoftmax(s, p, d.N, d.N, lse);  // lse from the softmax's own max and sum
}

const float* maskAt(const Args& args, std::size_t i, std::uint8_t* heap, std::size_t length, Dims& d) {
  double off = args.number(i, "maskOffset");
  std::size_t mb = args.index(i + 1, "maskBatch");
  if (off < 0) return nullptr;
  if (mb != 1 && mb != d.B) throw ArgError{"maskBatch must be 1 or B", true};
  d.maskBatch = mb;
  return floatsAt(heap, length, off, mb * d.N * d.N, "mask");
}

/** What both kernels take: heap, q, k, mask, maskBatch (arguments 0-4), then B, N, H, Y, scale, lanes from `dimsAt`. */
struct Common {
  std::uint8_t* heap;
  std::size_t length;
  Dims d;
  float scale;
  int lanes;
  const float* q;
  const float* k;
  const float* mask;
  /** A [B*N, H*Y] float array `what` at the offset in argument i ("<what>Offset"). */
  float* tokens(const Args& args, std::size_t i, const char* what) const { return floatsAt(heap, length, args.number(i, (std::string(what) + "Offset").c_str()), d.tokens(), what); }
  /** A [B, H, N] float array `what` at the offset in argument i, or null for a negative offset. */
  float* perRow(const Args& args, std::size_t i, const char* what) const {
    const double off = args.number(i, (std::string(what) + "Offset").c_str());
    return off < 0 ? nullptr : floatsAt(heap, length, off, d.B * d.H * d.N, what);
  }
};

Common readCommon(const Args& args, std::size_t dimsAt) {
  Common c{};
  c.heap = args.buffer(0, "heap", &c.length);
  c.d = readDims(args, dimsAt);
  c.scale = static_cast<float>(args.number(dimsAt + 4, "scale"));
  c.lanes = args.int32(dimsAt + 5, "lanes");
  c.q = c.tokens(args, 1, "q");
  c.k = c.tokens(args, 2, "k");
  c.mask = maskAt(args, 3, c.heap, c.length, c.d);
  return c;
}

/** Runs fn(b, h, task, scratch, pack) for every (sample, head) over the lanes, with 2 N^2 floats of scratch and a product's packing space per lane. */
template <typename Fn>
void forEachHead(const Common& c, Fn fn) {
  std::vector<std::vector<float>> scratch(static_cast<std::size_t>(std::max(1, c.lanes)));
  const std::size_t packAt = 2 * c.d.N * c.d.N;
  batchOnLanes(c.d.B * c.d.H, c.lanes, [&](std::size_t task, int lane) {
    std::vector<float>& buf = scratch[static_cast<std::size_t>(lane)];
    buf.resize(packAt + packFloats(c.d.N, c.d.Y));
    fn(task / c.d.H, task % c.d.H, task, buf.data(), buf.data() + packAt);
  });
}

// headAttention(heap, qOffset, kOffset, maskOffset (-1: none), maskBatch, pullQOffset, pullKOffset,
//               lseOffset (-1: none), B, N, H, Y, scale, lanes)
napi_value headAttentionImpl(const Args& args) {
  const Common c = readCommon(args, 8);
  const Dims& d = c.d;
  float* pullQ = c.tokens(args, 5, "pullQ");
  float* pullK = c.tokens(args, 6, "pullK");
  float* lse = c.perRow(args, 7, "lse");
  if (d.B == 0) return undefinedValue(args.env);
  const int N = static_cast<int>(d.N), Y = static_cast<int>(d.Y), ld = static_cast<int>(d.ld());
  forEachHead(c, [&](std::size_t b, std::size_t h, std::size_t task, float* buf, float* pack) {
    float* p = buf + d.N * d.N;
    const std::size_t at = d.head(b, h);
    scoresAndSoftmax(d, c.q, c.k, c.mask, c.scale, b, h, buf, p, lse ? lse + task * d.N : nullptr, pack);
    headProduct(false, false, N, Y, N, 1.0f, p, N, c.k + at, ld, 0.0f, pullQ + at, ld, pack);
    headProduct(true, false, N, Y, N, 1.0f, p, N, c.q + at, ld, 0.0f, pullK + at, ld, pack);
  });
  return undefinedValue(args.env);
}

// headAttentionGrad(heap, qOffset, kOffset, maskOffset (-1: none), maskBatch, dPullQOffset, dPullKOffset,
//                   dLseOffset (-1: none), dqOffset, dkOffset, B, N, H, Y, scale, lanes)
napi_value headAttentionGradImpl(const Args& args) {
  const Common c = readCommon(args, 10);
  const Dims& d = c.d;
  const float* dPullQ = c.tokens(args, 5, "dPullQ");
  const float* dPullK = c.tokens(args, 6, "dPullK");
  const float* dLse = c.perRow(args, 7, "dLse");
  float* dq = c.tokens(args, 8, "dq");
  float* dk = c.tokens(args, 9, "dk");
  if (d.B == 0) return undefinedValue(args.env);
  const int N = static_cast<int>(d.N), Y = static_cast<int>(d.Y), ld = static_cast<int>(d.ld());
  const float* q = c.q;
  const float* k = c.k;
  forEachHead(c, [&](std::size_t b, std::size_t h, std::size_t task, float* buf, float* pack) {
    float* ds = buf;  // the scores first, then dS
    float* p = ds + d.N * d.N;
    const std::size_t at = d.head(b, h);
    scoresAndSoftmax(d, q, k, c.mask, c.scale, b, h, ds, p, nullptr, pack);
    headProduct(false, true, N, N, Y, 1.0f, dPullQ + at, ld, k + at, ld, 0.0f, ds, N, pack, true);  // K^T still packed from the scores
    headProduct(false, true, N, N, Y, 1.0f, q + at, ld, dPullK + at, ld, 1.0f, ds, N, pack);
    // dS = P (dP - sum_j dP P) by rows, in place (the vectorised softmax backward), plus P dLse.
    vsoftmaxGradRows(ds, p, ds, d.N, d.N);
    if (dLse)
      for (std::size_t r = 0; r < d.N; r++) {
        float* dr = ds + r * d.N;
        const float* pr = p + r * d.N;
        const float g = dLse[task * d.N + r];
        for (std::size_t j = 0; j < d.N; j++) dr[j] += pr[j] * g;
      }
    headProduct(false, false, N, Y, N, c.scale, ds, N, k + at, ld, 0.0f, dq + at, ld, pack);
    headProduct(false, false, N, Y, N, 1.0f, p, N, dPullK + at, ld, 1.0f, dq + at, ld, pack);
    headProduct(true, false, N, Y, N, c.scale, ds, N, q + at, ld, 0.0f, dk + at, ld, pack);
    headProduct(true, false, N, Y, N, 1.0f, p, N, dPullQ + at, ld, 1.0f, dk + at, ld, pack);
  });
  return undefinedValue(args.env);
}

}  // namespace

napi_value headAttention(napi_env env, napi_callback_info info) { return guarded<headAttentionImpl>(env, info); }
napi_value headAttentionGrad(napi_env env, napi_callback_info info) { return guarded<headAttentionGradImpl>(env, info); }

}  // namespace engram
