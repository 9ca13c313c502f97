#if defined(__x86_64__) && defined(__GNUC__)
#pragma GCC target("avx2,fma")
#define ENGRAM_VMATH_NS avx2
#define ENGRAM_VMATH_BYTES 32
#include "vmath_impl.h"
#endif
