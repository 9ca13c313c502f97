"""
et-inference / et-train-step twins: one Energy Transformer block as in
@engram/energy-transformer (LayerNorm activation g = gamma (x - mean)/std + delta,
energy attention with beta = 1/sqrt(Y), ReLU Hopfield with M memories, closed-form
dE/dg, x <- x - alpha dE/dg for T steps). B=32, N=49, D=128, H=4, Y=32, M=512, T=12.
"""
import math

import torch

from common import timed

B, N, D, H, Y, M, T, ALPHA, EPS = 32, 49, 128, 4, 32, 512, 12, 0.1, 1e-5
BETA = 1.0 / math.sqrt(Y)


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
    c = x - x.mean(-1, keepdim=True)
    std = torch.sqrt((c * c).mean(-1, keepdim=True) + EPS)
    return p["gamma"] * c / std + p["delta"]


def dEdg(g, p):
    flat = g.reshape(B * N, D)
    k = (flat @ p["wk"]).reshape(B, N, H, Y).permute(0, 2, 1, 3)
    q = (flat @ p["wq"]).reshape(B, N, H, Y).permute(0, 2, 1, 3)
    P = torch.softmax(BETA * (q @ k.transpose(-1, -2)), dim=-1)  # [B, H, C, B']
    dq = -(P @ k)
    dk = -(P.transpose(-1, -2) @ q)
    dh = -torch.relu(flat @ p["xi"])
    heads = lambda t: t.permute(0, 2, 1, 3).reshape(B * N, H * Y)
    d = heads(dk) @ p["wk"].t() + heads(dq) @ p["wq"].t() + dh @ p["xi"].t()
    return d.reshape(B, N, D)


def evolve(x, p):
    for _ in range(T):
        x = x - ALPHA * dEdg(layernorm(x, p), p)
    return x


def run_inference(reps=None):
    p = params()
    x = torch.randn(B, N, D, generator=torch.Generator().manual_seed(100))
    with torch.no_grad():
        return timed(lambda: evolve(x, p), warmup=1, reps=reps or 5)


def run_train(reps=None):
    p = params()
    x = torch.randn(B, N, D, generator=torch.Generator().manual_seed(100))
    target = torch.randn(B, N, D, generator=torch.Generator().manual_seed(200))
    opt = torch.optim.Adam(list(p.values()), lr=1e-3)

    def step():
        opt.zero_grad()
        loss = ((layernorm(evolve(x, p), p) - target) ** 2).mean()
        loss.backward()
        opt.step()
        return loss.item()

    return timed(step, warmup=1, reps=reps or 3)
