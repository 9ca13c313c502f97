#include "vmath.h"

#include <cstdint>
#include <cstring>
#include <limits>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define ENGRAM_CLONES __attribute__((target_clones("arch=skylake-avx512", "arch=haswell", "default")))
#else
#define ENGRAM_CLONES
#endif

#define ENGRAM_INLINE static inline __attribute__((always_inline))

namespace engram {

namespace {

ENGRAM_INLINE float asFloat(std::int32_t i) {
  float f;
  std::memcpy(&f, &i, sizeof f);
  return f;
}

ENGRAM_INLINE std::int32_t asInt(float f) {
  std::int32_t i;
  std::memcpy(&i, &f, sizeof i);
  return i;
}

/**
 * exp(x): x = n ln2 + r with |r| <= ln2/2, exp(r) by a degree-6 polynomial
 * (Cephes expf coefficients, ~1 ulp), times 2^n built in two halves so that
 * results down to the smallest subnormal are right (2^n alone is not
 * representable below 2^-126). Overflow gives +inf, NaN stays NaN.
 */
ENGRAM_INLINE float expOne(float x) {
  const float hi = 88.72283935546875f;  // largest x with a finite exp
  const float lo = -104.0f;              // below: 0
  float xc = x < lo ? lo : (x > hi ? hi : x);
  float n = __builtin_floorf(xc * 1.44269504088896341f + 0.5f);
  float r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float y = p * r * r + r + 1.0f;
  std::int32_t ni = static_cast<std::int32_t>(n);
  std::int32_t n1 = ni >> 1;
  std::int32_t n2 = ni - n1;
  y = y * asFloat((n1 + 127) << 23) * asFloat((n2 + 127) << 23);
  y = x > hi ? std::numeric_limits<float>::infinity() : y;
  y = x < lo ? 0.0f : y;
  return x != x ? x : y;
}

/**
 * log(x): x = m 2^e with m in [sqrt(1/2), sqrt(2)), log(1 + f) by the Cephes
 * logf polynomial (~1 ulp). Subnormals are scaled first; log(0) = -inf,
 * log(x < 0) = NaN, log(inf) = inf, NaN stays NaN.
 */
ENGRAM_INLINE float logOne(float x) {
  const float tiny = 1.17549435e-38f;  // smallest normal
  bool sub = x < tiny;
  float xs = sub ? x * 8388608.0f : x;  // 2^23
  std::int32_t bits = asInt(xs);
  float e = static_cast<float>(((bits >> 23) & 0xff) - 126) - (sub ? 23.0f : 0.0f);
  float m = asFloat((bits & 0x007fffff) | 0x3f000000);  // [0.5, 1)
  bool small = m < 0.707106781186547524f;
  e = small ? e - 1.0f : e;
  m = small ? m + m - 1.0f : m - 1.0f;
  float z = m * m;
  float y = 7.0376836292e-2f;
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
  float r = m + y;
  r = r + e * 0.693359375f;
  const float inf = std::numeric_limits<float>::infinity();
  r = x == inf ? inf : r;
  r = x == 0.0f ? -inf : r;
  r = x < 0.0f ? std::numeric_limits<float>::quiet_NaN() : r;
  return x != x ? x : r;
}

constexpr std::size_t LANES = 16;

}  // namespace

ENGRAM_CLONES void vexp(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; i++) y[i] = expOne(x[i]);
}

ENGRAM_CLONES void vlog(const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; i++) y[i] = logOne(x[i]);
}

/**
 * Row softmax: max, exp(x - max) and its sum, scale by 1/sum. The max and the
 * sum keep LANES partial results so that they vectorise without reassociating
 * (no -ffast-math). A row containing NaN gives NaN (like the stock kernel).
 */
ENGRAM_CLONES void vsoftmax(const float* x, float* y, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; r++) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    float mx[LANES];
    for (std::size_t l = 0; l < LANES; l++) mx[l] = -std::numeric_limits<float>::infinity();
    std::size_t c = 0;
    for (; c + LANES <= cols; c += LANES)
      for (std::size_t l = 0; l < LANES; l++) mx[l] = xr[c + l] > mx[l] ? xr[c + l] : mx[l];
    float m = -std::numeric_limits<float>::infinity();
    for (std::size_t l = 0; l < LANES; l++) m = mx[l] > m ? mx[l] : m;
    for (; c < cols; c++) m = xr[c] > m ? xr[c] : m;
    // All -inf: exp(x - max) would be NaN; the stock kernel gives NaN too (0/0), keep that.
    float acc[LANES] = {0};
    c = 0;
    for (; c + LANES <= cols; c += LANES)
      for (std::size_t l = 0; l < LANES; l++) {
        float e = expOne(xr[c + l] - m);
        yr[c + l] = e;
        acc[l] += e;
      }
    float s = 0.0f;
    for (std::size_t l = 0; l < LANES; l++) s += acc[l];
    for (; c < cols; c++) {
      float e = expOne(xr[c] - m);
      yr[c] = e;
      s += e;
    }
    float inv = 1.0f / s;
    for (c = 0; c < cols; c++) yr[c] *= inv;
  }
}

}  // namespace engram
