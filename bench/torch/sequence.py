"""
sequence-transition twin: DenseNet (Chaudhry et al.) transition at N = P = 1000,
batch 1: overlaps m = X x / N, x <- sign(Xnext^T f(m)) with f(u) = u^2, then the
overlaps of the new state (reported per step, as the engram stream does).
Median ms per transition over 20 transitions (3 GEMVs per transition here; the
engram plugin's polynomial field uses 4 products, so this twin is, if anything, cheaper).
"""
import torch

from common import timed

N = P = 1000
STEPS = 20


def workload():
    g = torch.Generator().manual_seed(0)
    X = torch.sign(torch.rand(P, N, generator=g) - 0.5)
    Xnext = torch.roll(X, -1, dims=0)
    x0 = X[0].clone()

    def transitions():
        x = x0
        for _ in range(STEPS):
            m = X @ x / N
            x = torch.sign(Xnext.t() @ (m * m))
            _ = (X @ x / N)[0].item()  # overlaps to the host, like a step event
        return x

    def run():
        with torch.no_grad():
            return transitions()

    return run


def run(reps=None):
    """ms per transition."""
    return [r / STEPS for r in timed(workload(), warmup=1, reps=reps or 3)]
