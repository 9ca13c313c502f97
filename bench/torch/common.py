"""Shared timing for the PyTorch twins: one thread, warm-up, median of repeated runs."""
import statistics
import time

import torch

torch.set_num_threads(1)


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
