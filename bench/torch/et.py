"""
et-inference / et-train-step twins: one Energy Transformer block as in
bench/src/cases/et-block.ts (LayerNorm activation g = gamma (x - mean)/std + delta,
energy attention with beta = 1/sqrt(Y), ReLU Hopfield with M memories, closed-form
dE/dg, x <- x - alpha dE/dg for T steps). Defaults B=32, N=49, D=128, H=4, Y=32,
M=512, T=12; `tokens` and `batch` are parameters (the scaling and memory cases).
"""
import math

import torch
import torch.nn.functional as F

from common import timed

B, N, D, H, Y, M, T, ALPHA, EPS = 32, 49, 128, 4, 32, 512, 12, 0.1, 1e-5


def params(seed=0):
    g = torch.Generator().manual_seed(seed)
    return {
        "wk": (0.02 * torch.randn(D, H * Y, generator=g)).requires_grad_(),
        "wq": (0.02 * torch.randn(D, H * Y, generator=g)).requires_grad_(),
        "xi": (0.02 * torch.randn(D, M, generator=g)).requires_grad_(),
        "gamma": torch.ones(1, requires_grad=True),
        "delta": torch.zeros(D, requires_grad=True),
    }


def layernorm(x, p):
    # torch's fused layer norm (no affine), then the scalar gain and the bias, as engram's ops.layerNorm.
    return p["gamma"] * F.layer_norm(x, (x.shape[-1],), eps=EPS) + p["delta"]


def pulls(g, p, b, n):
    """-dE/dg, token-major [b*n, D] (closed form)."""
    beta = 1.0 / math.sqrt(Y)
    flat = g.reshape(b * n, D)
    k = (flat @ p["wk"]).reshape(b, n, H, Y).permute(0, 2, 1, 3)
    q = (flat @ p["wq"]).reshape(b, n, H, Y).permute(0, 2, 1, 3)
    P = torch.softmax(beta * (q @ k.transpose(-1, -2)), dim=-1)  # [B, H, C, B']
    pull_q = P @ k
    pull_k = P.transpose(-1, -2) @ q
    h = torch.relu(flat @ p["xi"])
    heads = lambda t: t.permute(0, 2, 1, 3).reshape(b * n, H * Y)
    return heads(pull_k) @ p["wk"].t() + heads(pull_q) @ p["wq"].t() + h @ p["xi"].t()


def dEdg(g, p, b, n):
    return -pulls(g, p, b, n).reshape(b, n, D)


def evolve(x, p, b, n):
    for _ in range(T):
        # x - alpha dE/dg = x + alpha pulls: one torch.add, as engram's step is one ops.axpby
        x = torch.add(x, pulls(layernorm(x, p), p, b, n).reshape(b, n, D), alpha=ALPHA)
    return x


def inference_workload(batch=B, tokens=N):
    p = params()
    x = torch.randn(batch, tokens, D, generator=torch.Generator().manual_seed(100))

    def run():
        with torch.no_grad():
            return evolve(x, p, batch, tokens)

    return run


def train_workload(batch=B, tokens=N):
    p = params()
    x = torch.randn(batch, tokens, D, generator=torch.Generator().manual_seed(100))
    target = torch.randn(batch, tokens, D, generator=torch.Generator().manual_seed(200))
    opt = torch.optim.Adam(list(p.values()), lr=1e-3)

    def step():
        opt.zero_grad()
        loss = ((layernorm(evolve(x, p, batch, tokens), p) - target) ** 2).mean()
        loss.backward()
        opt.step()
        return loss.item()

    return step


def run_inference(reps=None):
    return timed(inference_workload(), warmup=1, reps=reps or 5)


def run_train(reps=None):
    return timed(train_workload(), warmup=1, reps=reps or 3)
