{
  "targets": [
    {
      "target_name": "engram_native",
      "sources": [
        "src/addon.cc",
        "src/attention.cc",
        "src/blas.cc",
        "src/elementwise.cc",
        "src/gemm.cc",
        "src/layout.cc",
        "src/napi_util.cc",
        "src/pool.cc",
        "src/vmath.cc",
        "src/vmath_avx2.cc",
        "src/vmath_avx512.cc",
        "src/vmath_base.cc"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-psabi"],
      "libraries": ["-ldl", "-lpthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
