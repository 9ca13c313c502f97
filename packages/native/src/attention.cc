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

/** S = scale Q K^T (+ mask) into s, P = softmax(S) by rows into p (vectorised), and lse by rows when asked. */
void scoresAndSoftmax(const Dims& d, const float* q, const float* k, const float* mask, float scale, std::size_t b, std::size_t h, float* s, float* p, float* lse) {
  const int N = static_cast<int>(d.N), Y = static_cast<int>(d.Y), ld = static_cast<int>(d.ld());
  sgemmRowMajor(false, true, N, N, Y, scale, q + d.head(b, h), ld, k + d.head(b, h), ld, 0.0f, s, N);
  if (mask) {
    const float* m = mask + (d.maskBatch == 1 ? 0 : b) * d.N * d.N;
    for (std::size_t i = 0; i < d.N * d.N; i++) s[i] += m[i];
  }
  vsoftmax(s, p, d.N, d.N);
  if (lse) vlogSumExpRows(s, lse, d.N, d.N);
}

const float* maskAt(const Args& args, std::size_t i, std::uint8_t* heap, std::size_t length, Dims& d) {
  double off = args.number(i, "maskOffset");
  std::size_t mb = args.index(i + 1, "maskBatch");
  if (off < 0) return nullptr;
  if (mb != 1 && mb != d.B) throw ArgError{"maskBatch must be 1 or B", true};
  d.maskBatch = mb;
  return floatsAt(heap, length, off, mb * d.N * d.N, "mask");
}

// headAttention(heap, qOffset, kOffset, maskOffset (-1: none), maskBatch, pullQOffset, pullKOffset,
//               lseOffset (-1: none), B, N, H, Y, scale, lanes)
napi_value headAttentionImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  Dims d = readDims(args, 8);
  const float scale = static_cast<float>(args.number(12, "scale"));
  const int lanes = args.int32(13, "lanes");
  const float* q = floatsAt(heap, length, args.number(1, "qOffset"), d.tokens(), "q");
  const float* k = floatsAt(heap, length, args.number(2, "kOffset"), d.tokens(), "k");
  const float* mask = maskAt(args, 3, heap, length, d);
  float* pullQ = floatsAt(heap, length, args.number(5, "pullQOffset"), d.tokens(), "pullQ");
  float* pullK = floatsAt(heap, length, args.number(6, "pullKOffset"), d.tokens(), "pullK");
  const double lseOff = args.number(7, "lseOffset");
  float* lse = lseOff < 0 ? nullptr : floatsAt(heap, length, lseOff, d.B * d.H * d.N, "lse");
  if (d.B == 0) return undefinedValue(args.env);
  const int N = static_cast<int>(d.N), Y = static_cast<int>(d.Y), ld = static_cast<int>(d.ld());
  std::vector<std::vector<float>> scratch(static_cast<std::size_t>(std::max(1, lanes)));
  batchOnLanes(d.B * d.H, lanes, [&](std::size_t task, int lane) {
    std::vector<float>& buf = scratch[static_cast<std::size_t>(lane)];
    buf.resize(2 * d.N * d.N);
    float* p = buf.data() + d.N * d.N;
    const std::size_t b = task / d.H, h = task % d.H;
    scoresAndSoftmax(d, q, k, mask, scale, b, h, buf.data(), p, lse ? lse + task * d.N : nullptr);
    sgemmRowMajor(false, false, N, Y, N, 1.0f, p, N, k + d.head(b, h), ld, 0.0f, pullQ + d.head(b, h), ld);
    sgemmRowMajor(true, false, N, Y, N, 1.0f, p, N, q + d.head(b, h), ld, 0.0f, pullK + d.head(b, h), ld);
  });
  return undefinedValue(args.env);
}

// headAttentionGrad(heap, qOffset, kOffset, maskOffset (-1: none), maskBatch, dPullQOffset, dPullKOffset,
//                   dLseOffset (-1: none), dqOffset, dkOffset, B, N, H, Y, scale, lanes)
napi_value headAttentionGradImpl(const Args& args) {
  std::size_t length = 0;
  std::uint8_t* heap = args.buffer(0, "heap", &length);
  Dims d = readDims(args, 10);
  const float scale = static_cast<float>(args.number(14, "scale"));
  const int lanes = args.int32(15, "lanes");
  const float* q = floatsAt(heap, length, args.number(1, "qOffset"), d.tokens(), "q");
  const float* k = floatsAt(heap, length, args.number(2, "kOffset"), d.tokens(), "k");
  const float* mask = maskAt(args, 3, heap, length, d);
  const float* dPullQ = floatsAt(heap, length, args.number(5, "dPullQOffset"), d.tokens(), "dPullQ");
  const float* dPullK = floatsAt(heap, length, args.number(6, "dPullKOffset"), d.tokens(), "dPullK");
  const double dLseOff = args.number(7, "dLseOffset");
  const float* dLse = dLseOff < 0 ? nullptr : floatsAt(heap, length, dLseOff, d.B * d.H * d.N, "dLse");
  float* dq = floatsAt(heap, length, args.number(8, "dqOffset"), d.tokens(), "dq");
  float* dk = floatsAt(heap, length, args.number(9, "dkOffset"), d.tokens(), "dk");
  if (d.B == 0) return undefinedValue(args.env);
  const int N = static_cast<int>(d.N), Y = static_cast<int>(d.Y), ld = static_cast<int>(d.ld());
  std::vector<std::vector<float>> scratch(static_cast<std::size_t>(std::max(1, lanes)));
  batchOnLanes(d.B * d.H, lanes, [&](std::size_t task, int lane) {
    std::vector<float>& buf = scratch[static_cast<std::size_t>(lane)];
    buf.resize(2 * d.N * d.N);
    float* ds = buf.data();  // the scores first, then dS
    float* p = ds + d.N * d.N;
    const std::size_t b = task / d.H, h = task % d.H;
    const std::size_t at = d.head(b, h);
    scoresAndSoftmax(d, q, k, mask, scale, b, h, ds, p, nullptr);
    sgemmRowMajor(false, true, N, N, Y, 1.0f, dPullQ + at, ld, k + at, ld, 0.0f, ds, N);
    sgemmRowMajor(false, true, N, N, Y, 1.0f, q + at, ld, dPullK + at, ld, 1.0f, ds, N);
    for (std::size_t r = 0; r < d.N; r++) {
      float* dr = ds + r * d.N;
      const float* pr = p + r * d.N;
      float dot = 0.0f;
      for (std::size_t c = 0; c < d.N; c++) dot += dr[c] * pr[c];
      const float shift = (dLse ? dLse[task * d.N + r] : 0.0f) - dot;
      for (std::size_t c = 0; c < d.N; c++) dr[c] = pr[c] * (dr[c] + shift);
    }
    sgemmRowMajor(false, false, N, Y, N, scale, ds, N, k + at, ld, 0.0f, dq + at, ld);
    sgemmRowMajor(false, false, N, Y, N, 1.0f, p, N, dPullK + at, ld, 1.0f, dq + at, ld);
    sgemmRowMajor(true, false, N, Y, N, scale, ds, N, q + at, ld, 0.0f, dk + at, ld);
    sgemmRowMajor(true, false, N, Y, N, 1.0f, p, N, dPullQ + at, ld, 1.0f, dk + at, ld);
  });
  return undefinedValue(args.env);
}

}  // namespace

napi_value headAttention(napi_env env, napi_callback_info info) { return guarded<headAttentionImpl>(env, info); }
napi_value headAttentionGrad(napi_env env, napi_callback_info info) { return guarded<headAttentionGradImpl>(env, info); }

}  // namespace engram
