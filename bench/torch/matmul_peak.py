"""matmul-peak twin: 1024 x 1024 by 1024 x 1024, float32."""
import torch

from common import timed

N = 1024


def run(reps=None):
    g = torch.Generator().manual_seed(1)
    a = torch.randn(N, N, generator=g)
    b = torch.randn(N, N, generator=g)
    return timed(lambda: torch.mm(a, b), warmup=2, reps=reps or 7)
