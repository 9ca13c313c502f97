#define ENGRAM_VMATH_NS base
#define ENGRAM_VMATH_BYTES 16
#include "vmath_impl.h"
