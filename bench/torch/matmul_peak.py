"""matmul-peak twin: 1024 x 1024 by 1024 x 1024, float32."""
import torch

from common import timed

N = 1024


def workload(n=N):
    g = torch.Generator().manual_seed(1)
    a = torch.randn(n, n, generator=g)
    b = torch.randn(n, n, generator=g)
    return lambda: torch.mm(a, b)


def run(reps=None):
    return timed(workload(), warmup=2, reps=reps or 7)
