"""
descent-autodiff / descent-closed-form twins: modern Hopfield energy
E = |x|^2/2 - (1/beta) logsumexp(beta Xi x), K=1000, D=784, batch 128, 10 Euler
steps dt=0.1, energy every step; dE/dx by torch.autograd or in closed form.
"""
import torch

from common import timed

K, D, B, STEPS, DT, BETA = 1000, 784, 128, 10, 0.1, 1.0


def data():
    g = torch.Generator().manual_seed(11)
    xi = torch.randn(K, D, generator=g) / D ** 0.5
    q = torch.randn(B, D, generator=g)
    return xi, q


def energy(x, xi):
    if BETA == 1:  # not multiplied, as core's memory synapse does not
        return 0.5 * (x * x).sum(1) - torch.logsumexp(x @ xi.t(), dim=1)
    return 0.5 * (x * x).sum(1) - torch.logsumexp(BETA * (x @ xi.t()), dim=1) / BETA


def autodiff_workload():
    xi, q = data()

    def descent():
        x = q
        for _ in range(STEPS):
            x = x.detach().requires_grad_()
            e = energy(x, xi)
            (g,) = torch.autograd.grad(e.sum(), x)
            x = torch.add(x, g, alpha=-DT)  # one kernel, as engram's descent step is one axpby
        return x.detach()

    return descent


def run_autodiff(reps=None):
    return timed(autodiff_workload(), warmup=1, reps=reps or 5)


def closed_form_workload():
    xi, q = data()
    xiT = xi.t().contiguous()

    def descent():
        with torch.no_grad():
            x = q
            for _ in range(STEPS):
                # beta = 1 is not multiplied, here as in engram's closed form
                h = x @ xiT if BETA == 1 else BETA * (x @ xiT)
                lse = torch.logsumexp(h, dim=1)
                e = 0.5 * (x * x).sum(1) - (lse if BETA == 1 else lse / BETA)  # energy of the input state
                # (1 - dt) x + dt softmax(h) Xi as one addmm, as engram's update is one axpby after its product
                x = torch.addmm(x, torch.softmax(h, dim=1), xi, beta=1 - DT, alpha=DT)
            return x, e

    return descent


def run_closed_form(reps=None):
    return timed(closed_form_workload(), warmup=1, reps=reps or 5)
