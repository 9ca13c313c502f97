#if defined(__x86_64__) && defined(__GNUC__)
#pragma GCC target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma,bmi2")
#define ENGRAM_VMATH_NS avx512
#define ENGRAM_VMATH_BYTES 64
#include "vmath_impl.h"
#endif
