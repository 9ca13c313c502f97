#define ENGRAM_VMATH_NS base
#include "vmath_impl.h"
