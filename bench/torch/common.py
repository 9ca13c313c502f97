"""Shared timing for the PyTorch twins: warm-up, median of repeated runs.

Threads: torch's own (intra-op) threads come from $ENGRAM_TORCH_THREADS (default 1);
the BLAS's threads from $OPENBLAS_NUM_THREADS, which the bench sets when it starts
this process (torch.set_num_threads does not reach a BLAS torch was not built
against: Debian's torch calls whatever libblas.so.3 is installed).
"""
import os
import statistics
import time

import torch

torch.set_num_threads(int(os.environ.get("ENGRAM_TORCH_THREADS", "1")))


def timed(fn, warmup=1, reps=5):
    """Runs fn() `warmup` times untimed, then `reps` times; returns the list of ms."""
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000.0)
    return runs


def summary(runs):
    return {"median_ms": statistics.median(runs), "runs_ms": runs}


def openblas_corename():
    """The kernels OpenBLAS selected in THIS process (the libblas torch calls), or None."""
    import ctypes

    for name in ("libopenblas.so.0", "libopenblas.so"):
        try:
            lib = ctypes.CDLL(name)
            f = lib.openblas_get_corename
            f.restype = ctypes.c_char_p
            return f().decode()
        except (OSError, AttributeError):
            continue
    return None
