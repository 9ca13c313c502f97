"""dense-am-retrieval twin: K=10,000 memories, D=784, 256 queries, 5 updates x <- softmax(beta x X^T) X."""
import torch

from common import timed

K, D, B, STEPS, BETA = 10_000, 784, 256, 5, 0.05


def run(reps=None):
    g = torch.Generator().manual_seed(3)
    mem = torch.rand(K, D, generator=g)
    memT = mem.t().contiguous()  # same two layouts engram keeps
    q = torch.rand(B, D, generator=g)

    def retrieve():
        x = q
        for _ in range(STEPS):
            x = torch.softmax(BETA * (x @ memT), dim=1) @ mem
        return x

    with torch.no_grad():
        return timed(retrieve, warmup=1, reps=reps or 3)
