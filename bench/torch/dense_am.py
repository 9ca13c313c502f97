"""dense-am-retrieval twin: K memories, D features, B queries, `steps` updates x <- softmax(beta x X^T) X
(defaults K=10,000, D=784, B=256, 5 steps, beta 0.05); memories kept in both layouts, like engram."""
import torch

from common import timed

K, D, B, STEPS, BETA = 10_000, 784, 256, 5, 0.05


def workload(memories=K, features=D, batch=B, steps=STEPS, beta=BETA):
    g = torch.Generator().manual_seed(3)
    mem = torch.rand(memories, features, generator=g)
    memT = mem.t().contiguous()
    q = torch.rand(batch, features, generator=g)

    def retrieve():
        with torch.no_grad():
            x = q
            for _ in range(steps):
                x = torch.softmax(beta * (x @ memT), dim=1) @ mem
            return x

    return retrieve


def run(reps=None):
    return timed(workload(), warmup=1, reps=reps or 3)
