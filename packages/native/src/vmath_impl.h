// The vectorised kernels' implementation, included once per instruction set
// (vmath_avx512.cc, vmath_avx2.cc, vmath_base.cc) under a `#pragma GCC target`
// so that every helper is compiled for that set; vmath.cc picks one at run
// time. (GCC's target_clones left the inline helpers on the baseline target
// and scalarised every comparison: 4x slower than libm.)
// Do not include it anywhere else.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#ifndef ENGRAM_VMATH_NS
#error "define ENGRAM_VMATH_NS before including vmath_impl.h"
#endif
#ifndef ENGRAM_VMATH_BYTES
#error "define ENGRAM_VMATH_BYTES (the register width: 64, 32 or 16) before including vmath_impl.h"
#endif

#define ENGRAM_INLINE static inline __attribute__((always_inline))

namespace engram {
namespace ENGRAM_VMATH_NS {

namespace {

// One register of lanes: 16 floats on AVX-512, 8 on AVX2, 4 on the baseline
// (GCC vector extensions; comparisons give all-ones masks, casts between
// same-size vectors reinterpret the bits). Explicit vectors because the
// autovectoriser leaves these loops scalar (floor and the special-value
// selects are control flow to it). The vector must be exactly one register:
// a 64-byte vector under AVX2 compiled its comparisons and selects lane by
// lane (measured on a Zen 3: exp 8.5 ns a float, 11x the 8-lane version).
typedef float vf __attribute__((vector_size(ENGRAM_VMATH_BYTES)));
typedef std::int32_t vi __attribute__((vector_size(ENGRAM_VMATH_BYTES)));
constexpr std::size_t W = ENGRAM_VMATH_BYTES / sizeof(float);

// Broadcast. Not `vf{} + x`: 0 + -0 is +0, which turned x / -0 into +inf;
// x - 0 is x for every x (-0 and NaN included), and GCC folds it to one
// broadcast. (A lane-by-lane loop compiled to a chain of inserts for a value
// known only at run time: 8 per broadcast in the small products' inner loop.)
ENGRAM_INLINE vf splat(float x) { return x - vf{}; }
ENGRAM_INLINE vi splati(std::int32_t x) { return vi{} + x; }
ENGRAM_INLINE vf select(vi mask, vf a, vf b) { return mask ? a : b; }

ENGRAM_INLINE vf load(const float* p) {
  vf v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
ENGRAM_INLINE void store(float* p, vf v) { std::memcpy(p, &v, sizeof v); }

/**
 * exp(x): x = n ln2 + r with |r| <= ln2/2 (n rounded with the 1.5 * 2^23
 * trick), exp(r) by a degree-6 polynomial (Cephes expf coefficients, ~1 ulp),
 * times 2^n built in two halves so that results down to the smallest
 * subnormal are right (2^n alone is not representable below 2^-126).
 * Overflow gives +inf, below -104 gives 0, NaN stays NaN.
 */
ENGRAM_INLINE vf vexpW(vf x) {
  const float hi = 88.72283935546875f;  // largest x with a finite exp
  const float lo = -104.0f;
  vi tooBig = x > splat(hi);
  vi tooSmall = x < splat(lo);
  vi nan = x != x;
  vf xc = select(tooBig, splat(hi), select(tooSmall | nan, splat(lo), x));
  const vf magic = splat(12582912.0f);  // 1.5 * 2^23: adding it rounds to an integer
  vf n = (xc * 1.44269504088896341f + magic) - magic;
  vf r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  vf p = splat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  vf y = p * r * r + r + 1.0f;
  vi ni = __builtin_convertvector(n, vi);
  vi n1 = ni >> 1;
  vi n2 = ni - n1;
  y = y * (vf)((n1 + 127) << 23) * (vf)((n2 + 127) << 23);
  y = select(tooBig, splat(std::numeric_limits<float>::infinity()), y);
  y = select(tooSmall, splat(0.0f), y);
  return select(nan, x, y);
}

/**
 * log(x): x = m 2^e with m in [sqrt(1/2), sqrt(2)), log(1 + f) by the Cephes
 * logf polynomial (~1 ulp). Subnormals are scaled by 2^23 first; log(0) = -inf,
 * log(x < 0) = NaN, log(inf) = inf, NaN stays NaN.
 */
ENGRAM_INLINE vf vlogW(vf x) {
  const float inf = std::numeric_limits<float>::infinity();
  vi sub = x < splat(1.17549435e-38f);  // below the smallest normal (and negatives, zeros: fixed at the end)
  vf xs = select(sub, x * 8388608.0f, x);
  vi bits = (vi)(xs);
  vf e = __builtin_convertvector(((bits >> 23) & 0xff) - 126, vf) - select(sub, splat(23.0f), splat(0.0f));
  vf m = (vf)((bits & 0x007fffff) | 0x3f000000);  // [0.5, 1)
  vi small = m < splat(0.707106781186547524f);
  e = select(small, e - 1.0f, e);
  m = select(small, m + m - 1.0f, m - 1.0f);
  vf z = m * m;
  vf y = splat(7.0376836292e-2f);
  y = y * m - 1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m - 1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m - 1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m - 2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  y = y + e * -2.12194440e-4f;
  y = y - 0.5f * z;
  vf r = m + y;
  r = r + e * 0.693359375f;
  r = select(x == splat(inf), splat(inf), r);
  r = select(x == splat(0.0f), splat(-inf), r);
  r = select(x < splat(0.0f), splat(std::numeric_limits<float>::quiet_NaN()), r);
  return select(x != x, x, r);
}

/** Lane indices 0..W-1. */
ENGRAM_INLINE vi iota() {
  vi v;
  for (std::size_t l = 0; l < W; l++) v[l] = static_cast<std::int32_t>(l);  // folded to a constant
  return v;
}

/**
 * Applies f to n floats, W at a time. The ragged end is one more block ending
 * at n, overlapping the previous one (its first lanes are recomputed with the
 * same inputs, so the same values are stored again): no scalar loop, no
 * partial copies (which stall on store forwarding). Below W floats, or in
 * place (x == y: the overlap would be read after being overwritten), the tail
 * goes through a padded block.
 */
template <vf (*F)(vf)>
ENGRAM_INLINE void mapW(const float* x, float* y, std::size_t n) {
  std::size_t i = 0;
  for (; i + W <= n; i += W) store(y + i, F(load(x + i)));
  if (i == n) return;
  if (n >= W && x != y) {
    store(y + n - W, F(load(x + n - W)));
    return;
  }
  float in[W] = {0}, out[W];
  std::memcpy(in, x + i, (n - i) * sizeof(float));
  store(out, F(load(in)));
  std::memcpy(y + i, out, (n - i) * sizeof(float));
}

typedef float vf4 __attribute__((vector_size(16)));

// Horizontal reductions by halving down to 4 lanes (no lane loop on the wide part).
ENGRAM_INLINE vf4 quarterMax(vf v) {
#if ENGRAM_VMATH_BYTES == 64
  typedef float vf8 __attribute__((vector_size(32)));
  vf8 a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7);
  vf8 b = __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  a = a > b ? a : b;
  vf4 c = __builtin_shufflevector(a, a, 0, 1, 2, 3);
  vf4 d = __builtin_shufflevector(a, a, 4, 5, 6, 7);
  return c > d ? c : d;
#elif ENGRAM_VMATH_BYTES == 32
  vf4 c = __builtin_shufflevector(v, v, 0, 1, 2, 3);
  vf4 d = __builtin_shufflevector(v, v, 4, 5, 6, 7);
  return c > d ? c : d;
#else
  return v;
#endif
}

ENGRAM_INLINE vf4 quarterSum(vf v) {
#if ENGRAM_VMATH_BYTES == 64
  typedef float vf8 __attribute__((vector_size(32)));
  vf8 a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  return __builtin_shufflevector(a, a, 0, 1, 2, 3) + __builtin_shufflevector(a, a, 4, 5, 6, 7);
#elif ENGRAM_VMATH_BYTES == 32
  return __builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7);
#else
  return v;
#endif
}

ENGRAM_INLINE float hmax(vf v) {
  vf4 c = quarterMax(v);
  float m = c[0];
  for (int l = 1; l < 4; l++) m = c[l] > m ? c[l] : m;
  return m;
}

ENGRAM_INLINE float hsum(vf v) {
  vf4 c = quarterSum(v);
  return (c[0] + c[2]) + (c[1] + c[3]);
}

ENGRAM_INLINE vf vnegW(vf x) { return -x; }
ENGRAM_INLINE vf vreluW(vf x) { return select(x < splat(0.0f), splat(0.0f), x); }  // NaN and -0 pass through, like the stock kernel
ENGRAM_INLINE vf vsquareW(vf x) { return x * x; }
ENGRAM_INLINE vf vsqrtW(vf x) {
  vf y;
  for (std::size_t l = 0; l < W; l++) y[l] = __builtin_sqrtf(x[l]);  // vectorised to one sqrt instruction per register
  return y;
}

// OP 4 is ReLU's gradient dy * step(x) (a = dy, b = x; step(x) = 1 for x > 0, NaN for NaN, else 0):
// written as that product, so inf * 0 and NaN give what the stock Step and Multiply kernels give.
template <int OP>
ENGRAM_INLINE vf apply(vf a, vf b) {
  if constexpr (OP == 0) return a + b;
  if constexpr (OP == 1) return a - b;
  if constexpr (OP == 2) return a * b;
  if constexpr (OP == 4) return a * select(b != b, b, select(b > splat(0.0f), splat(1.0f), splat(0.0f)));
  return a / b;
}

template <int OP>
ENGRAM_INLINE float apply1(float a, float b) {
  if constexpr (OP == 0) return a + b;
  if constexpr (OP == 1) return a - b;
  if constexpr (OP == 2) return a * b;
  if constexpr (OP == 4) return a * (b != b ? b : (b > 0.0f ? 1.0f : 0.0f));
  return a / b;
}

/**
 * y[i] = a[i % na] OP b[i % nb] for i < n, where na and nb are n, or 1, or a
 * period (the operand broadcasts along leading dims: its shape is a suffix of
 * the output's). Plain IEEE arithmetic: the same bits as the stock kernels.
 */
template <int OP>
ENGRAM_INLINE void binaryW(const float* a, std::size_t na, const float* b, std::size_t nb, float* y, std::size_t n) {
  if (na == n && nb == n) {
    std::size_t i = 0;
    for (; i + W <= n; i += W) store(y + i, apply<OP>(load(a + i), load(b + i)));
    for (; i < n; i++) y[i] = apply1<OP>(a[i], b[i]);
    return;
  }
  if (nb == 1 || na == 1) {
    const bool sa = na == 1;
    const float s = sa ? a[0] : b[0];
    const float* v = sa ? b : a;
    vf sv = splat(s);
    std::size_t i = 0;
    for (; i + W <= n; i += W) store(y + i, sa ? apply<OP>(sv, load(v + i)) : apply<OP>(load(v + i), sv));
    for (; i < n; i++) y[i] = sa ? apply1<OP>(s, v[i]) : apply1<OP>(v[i], s);
    return;
  }
  // One operand periodic (period p divides n), the other full.
  const bool pa = na != n;
  const std::size_t p = pa ? na : nb;
  for (std::size_t base = 0; base < n; base += p) {
    const float* full = (pa ? b : a) + base;
    const float* per = pa ? a : b;
    float* out = y + base;
    std::size_t i = 0;
    for (; i + W <= p; i += W) store(out + i, pa ? apply<OP>(load(per + i), load(full + i)) : apply<OP>(load(full + i), load(per + i)));
    for (; i < p; i++) out[i] = pa ? apply1<OP>(per[i], full[i]) : apply1<OP>(full[i], per[i]);
  }
}


/** Lane-wise max/min that keeps NaN once it appears (the stock kernels drop a NaN met after the first element). */
template <int OP>
ENGRAM_INLINE vf pick(vf acc, vf v) {
  vi take;
  if constexpr (OP == 1) take = v > acc;
  else take = v < acc;
  return select(take | (v != v), v, acc);
}

template <int OP>
ENGRAM_INLINE float pick1(float acc, float v) {
  bool take = OP == 1 ? (v > acc) : (v < acc);
  return (take || v != v) ? v : acc;
}

/**
 * y[r] = sum (OP 0), max (1) or min (2) of row r's `cols` contiguous floats.
 * Sums run in W lane-wise partial sums (a little more accurate than the
 * stock kernel's one running sum, not bit-identical); max and min propagate NaN.
 */
template <int OP>
ENGRAM_INLINE void reduceRowsW(const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; r++) {
    const float* xr = x + r * cols;
    std::size_t c = 0;
    float out;
    if constexpr (OP == 0) {
      vf acc = splat(0.0f);
      for (; c + W <= cols; c += W) acc += load(xr + c);
      out = hsum(acc);
      for (; c < cols; c++) out += xr[c];
    } else {
      out = cols ? xr[0] : (OP == 1 ? -std::numeric_limits<float>::infinity() : std::numeric_limits<float>::infinity());
      if (cols >= W) {
        vf acc = load(xr);
        for (c = W; c + W <= cols; c += W) acc = pick<OP>(acc, load(xr + c));
        for (std::size_t l = 0; l < W; l++) out = pick1<OP>(out, acc[l]);
      }
      for (; c < cols; c++) out = pick1<OP>(out, xr[c]);
    }
    y[r] = out;
  }
}

/**
 * y[r, c] = full[r, c] OP row[r] (or row[r] OP full[r, c] when `rowFirst`):
 * an operand holding one value per row, broadcast along the trailing axes
 * (x - max(x, -1, keepDims), x / sum(...)). Plain IEEE arithmetic.
 */
template <int OP>
ENGRAM_INLINE void binaryRowsW(const float* full, const float* row, bool rowFirst, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; r++) {
    const float* fr = full + r * cols;
    float* yr = y + r * cols;
    const float s = row[r];
    const vf sv = splat(s);
    std::size_t c = 0;
    if (rowFirst) {
      for (; c + W <= cols; c += W) store(yr + c, apply<OP>(sv, load(fr + c)));
      for (; c < cols; c++) yr[c] = apply1<OP>(s, fr[c]);
    } else {
      for (; c + W <= cols; c += W) store(yr + c, apply<OP>(load(fr + c), sv));
      for (; c < cols; c++) yr[c] = apply1<OP>(fr[c], s);
    }
  }
}

}  // namespace

void vunary(int op, const float* x, float* y, std::size_t n) {
  switch (op) {
    case 0: mapW<vexpW>(x, y, n); break;
    case 1: mapW<vlogW>(x, y, n); break;
    case 2: mapW<vnegW>(x, y, n); break;
    case 3: mapW<vreluW>(x, y, n); break;
    case 4: mapW<vsquareW>(x, y, n); break;
    default: mapW<vsqrtW>(x, y, n); break;
  }
}

void vbinary(int op, const float* a, std::size_t na, const float* b, std::size_t nb, float* y, std::size_t n) {
  switch (op) {
    case 0: binaryW<0>(a, na, b, nb, y, n); break;
    case 1: binaryW<1>(a, na, b, nb, y, n); break;
    case 2: binaryW<2>(a, na, b, nb, y, n); break;
    case 4: binaryW<4>(a, na, b, nb, y, n); break;
    default: binaryW<3>(a, na, b, nb, y, n); break;
  }
}

void vreduceRows(int op, const float* x, float* y, std::size_t rows, std::size_t cols) {
  switch (op) {
    case 0: reduceRowsW<0>(x, y, rows, cols); break;
    case 1: reduceRowsW<1>(x, y, rows, cols); break;
    default: reduceRowsW<2>(x, y, rows, cols); break;
  }
}

void vbinaryRows(int op, const float* full, const float* row, bool rowFirst, float* y, std::size_t rows, std::size_t cols) {
  switch (op) {
    case 0: binaryRowsW<0>(full, row, rowFirst, y, rows, cols); break;
    case 1: binaryRowsW<1>(full, row, rowFirst, y, rows, cols); break;
    case 2: binaryRowsW<2>(full, row, rowFirst, y, rows, cols); break;
    default: binaryRowsW<3>(full, row, rowFirst, y, rows, cols); break;
  }
}

void vexp(const float* x, float* y, std::size_t n) { mapW<vexpW>(x, y, n); }

void vlog(const float* x, float* y, std::size_t n) { mapW<vlogW>(x, y, n); }

/** Max of a short row (scalar; a NaN is skipped unless it comes first, as the vector max below skips it). */
ENGRAM_INLINE float rowMax1(const float* xr, std::size_t cols) {
  float m = -std::numeric_limits<float>::infinity();
  for (std::size_t c = 0; c < cols; c++) m = xr[c] > m ? xr[c] : m;
  return m;
}

/** Max of a row of at least W: the full blocks and the block ending at `last` (duplicates do not change a max). */
ENGRAM_INLINE float rowMaxW(const float* xr, std::size_t full, std::size_t last) {
  vf mv = load(xr + last);
  for (std::size_t c = 0; c < full; c += W) {
    vf v = load(xr + c);
    mv = select(v > mv, v, mv);
  }
  return hmax(mv);
}

/**
 * Row softmax: max, exp(x - max) and its sum, scale by 1/sum (by scale[r]/sum
 * with `scale`: the log-sum-exp's gradient softmax(x) dy[r]). A row holding
 * NaN gives NaN (as the stock kernel does); a row of -inf gives NaN (0/0) too.
 * With `lse`, also the row's log-sum-exp max + log(sum) from the same sum
 * (vlogSumExpRows' formula and partial sums: the attention needs both).
 */
ENGRAM_INLINE void softmaxRows(const float* x, float* y, std::size_t rows, std::size_t cols, float* lse, const float* scale) {
  if (cols < W || x == y) {
    // Short rows (or in place): scalar, with libm's exp (a padded vector block
    // per row measured ~300 ns a row: store-forwarding stalls).
    for (std::size_t r = 0; r < rows; r++) {
      const float* xr = x + r * cols;
      float* yr = y + r * cols;
      float m = rowMax1(xr, cols);
      float s = 0.0f;
      for (std::size_t c = 0; c < cols; c++) {
        float e = std::exp(xr[c] - m);
        yr[c] = e;
        s += e;
      }
      float inv = scale ? scale[r] / s : 1.0f / s;
      for (std::size_t c = 0; c < cols; c++) yr[c] *= inv;
      if (lse) lse[r] = m + std::log(s);
    }
    return;
  }
  // Rows of W or more: the ragged end is one more block ending at the row's
  // end, overlapping the last full block; `fresh` marks its new lanes.
  const std::size_t full = cols / W * W;
  const std::size_t rest = cols - full;
  const vi fresh = iota() >= splati(static_cast<std::int32_t>(W - rest));
  const std::size_t last = cols - W;
  for (std::size_t r = 0; r < rows; r++) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    const float m = rowMaxW(xr, full, last);
    vf shift = splat(m);
    vf sv = splat(0.0f);
    for (std::size_t c = 0; c < full; c += W) {
      vf e = vexpW(load(xr + c) - shift);
      store(yr + c, e);
      sv += e;
    }
    vf et = splat(0.0f);
    if (rest) {
      et = vexpW(load(xr + last) - shift);  // same inputs: the overlap gets the same values
      sv += select(fresh, et, splat(0.0f));
    }
    const float sum = hsum(sv);
    if (lse) lse[r] = m + std::log(sum);
    vf inv = splat(scale ? scale[r] / sum : 1.0f / sum);
    for (std::size_t c = 0; c < full; c += W) store(yr + c, load(yr + c) * inv);
    if (rest) {
      // The overlap is already scaled: write only the fresh lanes.
      vf done = load(yr + last);
      store(yr + last, select(fresh, et * inv, done));
    }
  }
}

void vsoftmax(const float* x, float* y, std::size_t rows, std::size_t cols, float* lse) { softmaxRows(x, y, rows, cols, lse, nullptr); }

/**
 * The log-sum-exp's gradient per row: dx = softmax(x) dy[r], the softmax's own
 * max, exponentials and sum with dy[r] / sum as the scale (one kernel where
 * Softmax then Multiply wrote and re-read the whole array; as accurate as
 * softmax, unlike exp(x - lse), whose rounded lse costs |lse| ulps).
 */
void vlseGradRows(const float* x, const float* dy, float* dx, std::size_t rows, std::size_t cols) { softmaxRows(x, dx, rows, cols, nullptr, dy); }

/**
 * Row log-sum-exp: m + log(sum exp(x - m)) with m the row's max, the same
 * formula (and the same NaN for rows holding NaN, +inf, or only -inf) as the
 * composed max / sub / exp / sum / log / add it replaces.
 */
void vlogSumExpRows(const float* x, float* y, std::size_t rows, std::size_t cols) {
  if (cols < W) {
    for (std::size_t r = 0; r < rows; r++) {
      const float* xr = x + r * cols;
      float m = rowMax1(xr, cols);
      float s = 0.0f;
      for (std::size_t c = 0; c < cols; c++) s += std::exp(xr[c] - m);
      y[r] = m + std::log(s);
    }
    return;
  }
  const std::size_t full = cols / W * W;
  const std::size_t rest = cols - full;
  const vi fresh = iota() >= splati(static_cast<std::int32_t>(W - rest));
  const std::size_t last = cols - W;
  for (std::size_t r = 0; r < rows; r++) {
    const float* xr = x + r * cols;
    // A NaN anywhere must give NaN: the max skips NaN, the sum below keeps it.
    float m = rowMaxW(xr, full, last);
    vf shift = splat(m);
    vf sv = splat(0.0f);
    for (std::size_t c = 0; c < full; c += W) sv += vexpW(load(xr + c) - shift);
    if (rest) sv += select(fresh, vexpW(load(xr + last) - shift), splat(0.0f));
    y[r] = m + std::log(hsum(sv));
  }
}

/**
 * Row layer norm without gain and bias: y = (x - mean) * rstd with the biased
 * variance, rstd = 1 / sqrt(var + eps) (torch's nn.LayerNorm); rstd is written
 * per row. Two passes for the statistics (the centred sum of squares, not
 * E[x^2] - mean^2, which cancels badly) and one for y.
 */
void vlayerNormRows(const float* x, float* y, float* rstd, std::size_t rows, std::size_t cols, float eps) {
  const float inv = 1.0f / static_cast<float>(cols);
  for (std::size_t r = 0; r < rows; r++) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    float sum;
    reduceRowsW<0>(xr, &sum, 1, cols);  // the row sum Sum runs, same partial sums
    const float mean = sum * inv;
    std::size_t c = 0;
    const vf mv = splat(mean);
    vf sq = splat(0.0f);
    for (c = 0; c + W <= cols; c += W) {
      vf d = load(xr + c) - mv;
      sq += d * d;
    }
    float ss = hsum(sq);
    for (; c < cols; c++) ss += (xr[c] - mean) * (xr[c] - mean);
    const float rs = 1.0f / std::sqrt(ss * inv + eps);
    rstd[r] = rs;
    const vf rv = splat(rs);
    for (c = 0; c + W <= cols; c += W) store(yr + c, (load(xr + c) - mv) * rv);
    for (; c < cols; c++) yr[c] = (xr[c] - mean) * rs;
  }
}

/**
 * Softmax's gradient from its output, per row: dx = dy y - (sum dy y) y, the
 * formula (and the order of its products) of the composed Multiply / Sum /
 * Multiply / Sub it replaces; the row sum is Sum's partial sums over dy y.
 */
void vsoftmaxGradRows(const float* dy, const float* y, float* dx, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; r++) {
    const float* dr = dy + r * cols;
    const float* yr = y + r * cols;
    float* xr = dx + r * cols;
    std::size_t c = 0;
    // dy y into dx first (the row is then in cache for the second pass).
    for (; c + W <= cols; c += W) store(xr + c, load(dr + c) * load(yr + c));
    for (; c < cols; c++) xr[c] = dr[c] * yr[c];
    float s;
    reduceRowsW<0>(xr, &s, 1, cols);
    const vf sv = splat(s);
    for (c = 0; c + W <= cols; c += W) store(xr + c, load(xr + c) - sv * load(yr + c));
    for (; c < cols; c++) xr[c] = xr[c] - s * yr[c];
  }
}

/**
 * Layer norm's gradient from its output y and 1/std per row: dx = rstd ((dy -
 * mean(dy)) - y mean(dy y)), the formula and order of the composed Mean / Sub /
 * Multiply / Mean / Multiply / Sub / Multiply it replaces (the means from
 * Sum-style partial sums divided by cols). dx may be dy.
 */
void vlayerNormGradRows(const float* dy, const float* y, const float* rstd, float* dx, std::size_t rows, std::size_t cols) {
  const float inv = 1.0f / static_cast<float>(cols);
  for (std::size_t r = 0; r < rows; r++) {
    const float* dr = dy + r * cols;
    const float* yr = y + r * cols;
    float* xr = dx + r * cols;
    std::size_t c = 0;
    vf s1 = splat(0.0f), s2 = splat(0.0f);
    for (; c + W <= cols; c += W) {
      vf d = load(dr + c);
      s1 += d;
      s2 += d * load(yr + c);
    }
    float t1 = hsum(s1), t2 = hsum(s2);
    for (; c < cols; c++) {
      t1 += dr[c];
      t2 += dr[c] * yr[c];
    }
    const float m1 = t1 * inv, m2 = t2 * inv, k = rstd[r];
    const vf m1v = splat(m1), m2v = splat(m2), kv = splat(k);
    for (c = 0; c + W <= cols; c += W) store(xr + c, ((load(dr + c) - m1v) - load(yr + c) * m2v) * kv);
    for (; c < cols; c++) xr[c] = ((dr[c] - m1) - yr[c] * m2) * k;
  }
}

/**
 * Small products for the attention kernels (per head 49 x 49 x 32 in the ET
 * bench), where OpenBLAS's per-call packing and dispatch cost about as much as
 * the arithmetic: C = alpha A B + beta C with C m x n row-major (ldc), A read
 * through strides (A(i, p) = a[i * ars + p * acs]: a transposed A is a stride
 * swap) and B packed row-major k x np (np: n rounded up to W, zero-padded).
 * Blocks of 6 rows x 2 vectors of columns live in 12 registers through the
 * k loop (2 loads, 6 broadcasts, 12 FMAs per step: 15 of AVX2's 16 registers); ragged rows and columns
 * take the same loop with fewer live blocks, and columns past n are never
 * stored.
 */
template <int MR, int NV>
ENGRAM_INLINE void smallBlock(std::size_t k, float alpha, const float* a, std::size_t ars, std::size_t acs, const float* bp, std::size_t np, float beta, float* c, std::size_t ldc, std::size_t cols) {
  vf acc[MR][NV];
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++) acc[r][v] = splat(0.0f);
  for (std::size_t p = 0; p < k; p++) {
    vf bv[NV];
    for (int v = 0; v < NV; v++) bv[v] = load(bp + p * np + v * W);
    for (int r = 0; r < MR; r++) {
      const vf av = splat(a[r * ars + p * acs]);
      for (int v = 0; v < NV; v++) acc[r][v] += av * bv[v];
    }
  }
  for (int r = 0; r < MR; r++) {
    float* cr = c + r * ldc;
    for (int v = 0; v < NV; v++) {
      const std::size_t at = v * W;
      if (at >= cols) break;
      vf out = acc[r][v] * alpha;
      if (cols - at >= W) {
        if (beta != 0.0f) out += load(cr + at) * beta;
        store(cr + at, out);
      } else {
        for (std::size_t l = 0; l < cols - at; l++) cr[at + l] = beta != 0.0f ? out[l] + beta * cr[at + l] : out[l];
      }
    }
  }
}

template <int MR>
ENGRAM_INLINE void smallRows(std::size_t n, std::size_t k, float alpha, const float* a, std::size_t ars, std::size_t acs, const float* bp, std::size_t np, float beta, float* c, std::size_t ldc) {
  for (std::size_t j = 0; j < n; j += 2 * W) {
    const std::size_t cols = n - j < 2 * W ? n - j : 2 * W;
    if (cols > W)
      smallBlock<MR, 2>(k, alpha, a, ars, acs, bp + j, np, beta, c + j, ldc, cols);
    else
      smallBlock<MR, 1>(k, alpha, a, ars, acs, bp + j, np, beta, c + j, ldc, cols);
  }
}

void vsmallGemm(std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a, std::size_t ars, std::size_t acs, const float* bp, std::size_t np, float beta, float* c, std::size_t ldc) {
  std::size_t i = 0;
  for (; i + 6 <= m; i += 6) smallRows<6>(n, k, alpha, a + i * ars, ars, acs, bp, np, beta, c + i * ldc, ldc);
  switch (m - i) {
    case 5: smallRows<5>(n, k, alpha, a + i * ars, ars, acs, bp, np, beta, c + i * ldc, ldc); break;
    case 4: smallRows<4>(n, k, alpha, a + i * ars, ars, acs, bp, np, beta, c + i * ldc, ldc); break;
    case 3: smallRows<3>(n, k, alpha, a + i * ars, ars, acs, bp, np, beta, c + i * ldc, ldc); break;
    case 2: smallRows<2>(n, k, alpha, a + i * ars, ars, acs, bp, np, beta, c + i * ldc, ldc); break;
    case 1: smallRows<1>(n, k, alpha, a + i * ars, ars, acs, bp, np, beta, c + i * ldc, ldc); break;
    default: break;
  }
}

/**
 * out = a x + b y over n floats (the Euler step x - dt dE/dg with the leak
 * folded in: one pass instead of the Add, Multiply and Sub it replaces). The
 * ragged end runs scalar: out may alias x or y.
 */
void vaxpby(float a, const float* x, float b, const float* y, float* out, std::size_t n) {
  const vf av = splat(a), bv = splat(b);
  std::size_t i = 0;
  for (; i + W <= n; i += W) store(out + i, av * load(x + i) + bv * load(y + i));
  for (; i < n; i++) out[i] = a * x[i] + b * y[i];
}

/**
 * out[0] = max |a - b| (NaN once any difference is NaN) and out[1] = sum (a - b)
 * over n floats, in one pass: a dynamics step's update size and its finiteness
 * check (the sum is NaN or inf exactly when some difference is), where the
 * composed form is Sub, Abs, Max and Sum.
 */
void vdiffStats(const float* a, const float* b, std::size_t n, float* out) {
  std::size_t i = 0;
  vf mv = splat(0.0f), sv = splat(0.0f);
  for (; i + W <= n; i += W) {
    vf d = load(a + i) - load(b + i);
    sv += d;
    mv = pick<1>(mv, (vf)((vi)d & splati(0x7fffffff)));
  }
  float m = 0.0f, total = hsum(sv);
  for (std::size_t l = 0; l < W; l++) m = pick1<1>(m, mv[l]);
  for (; i < n; i++) {
    float d = a[i] - b[i];
    total += d;
    m = pick1<1>(m, std::fabs(d));
  }
  out[0] = m;
  out[1] = total;
}

/** The vector width in floats (what vsmallGemm's packed B rounds its columns up to). */
std::size_t vwidth() { return W; }

}  // namespace ENGRAM_VMATH_NS
}  // namespace engram
