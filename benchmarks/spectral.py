"""Spectral transforms and grid GPs (chapter 08): ``spectral.nufft_type1`` against
``finufft.nufft2d1``, and ``spectral.kron_gp_solve`` against a dense Cholesky solve.

NUFFT problem: M uniform random points in [-π, π)², complex Gaussian strengths, N² modes,
ε = 1e-9 on both sides. Accuracy, for both sides: the relative 2-norm error against the
direct sum (``spectral.nudft_type1``) when M ≤ 2·10⁴; none at larger M (the direct sum's
memory), where the chapter reports the two sides' agreement instead.

GP problem: an n×n grid of [0, 1]², RBF product kernel (length 0.1), noise 1e-2, y Gaussian.
Accuracy: the relative difference of α from the dense solve ``scipy.linalg.cho_solve``.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from eigenbook import spectral
from eigenbook.book.bench import BenchCase, Side

NUFFT_SIZES = {"full": {"M": 100_000, "N": 256}, "quick": {"M": 5_000, "N": 32, "repeats": 1}}
GP_SIZES = {"full": {"n": 64}, "quick": {"n": 16, "repeats": 1}}


def nufft_setup(size, seed):
    g = np.random.default_rng([seed, 88])
    M, N = size["M"], size["N"]
    x = g.uniform(-np.pi, np.pi, (M, 2))
    c = g.standard_normal(M) + 1j * g.standard_normal(M)
    truth = np.asarray(spectral.nudft_type1(x, c, (N, N))) if M <= 20_000 else None
    return {"x": x, "x0": np.ascontiguousarray(x[:, 0]), "x1": np.ascontiguousarray(x[:, 1]),
            "c": c, "N": N, "truth": truth}


def nufft_accuracy(inp, out, side):
    out = np.asarray(out)
    if inp["truth"] is None:
        return {}
    return {"relative error": np.linalg.norm(out - inp["truth"]) / np.linalg.norm(inp["truth"])}


def _finufft(i):
    import finufft
    return finufft.nufft2d1(i["x0"], i["x1"], i["c"], (i["N"], i["N"]), eps=1e-9)


def gp_setup(size, seed):
    n = size["n"]
    t = np.linspace(0, 1, n)
    K = np.exp(-0.5 * (t[:, None] - t[None, :]) ** 2 / 0.1**2)
    y = np.random.default_rng([seed, 89]).standard_normal(n * n)
    big = np.kron(K, K)
    big[np.diag_indices_from(big)] += 1e-2
    truth = sla.cho_solve(sla.cho_factor(big, lower=True), y)
    return {"K": K, "y": y, "truth": truth}


def gp_accuracy(inp, out, side):
    out = np.asarray(out)
    return {"relative error": np.linalg.norm(out - inp["truth"]) / np.linalg.norm(inp["truth"])}


def _dense(i):
    big = np.kron(i["K"], i["K"])
    big[np.diag_indices_from(big)] += 1e-2
    return sla.cho_solve(sla.cho_factor(big, lower=True, overwrite_a=True), i["y"])


CASES = [
    BenchCase("spectral.nufft_type1-vs-finufft", "08_fourier_chebyshev",
              "type 1, 2-D, M={M}, {N}² modes, ε = 1e-9", NUFFT_SIZES, nufft_setup,
              Side("spectral.nufft_type1", lambda i: spectral.nufft_type1(
                  i["x"], i["c"], (i["N"], i["N"]), eps=1e-9)),
              Side("finufft.nufft2d1", _finufft),
              nufft_accuracy, "‖f − f*‖₂/‖f*‖₂ against the direct sum (when M ≤ 2·10⁴)",
              "The spreading kernel and its loop (by count; not profiled). At ε = 1e-9 the "
              "book's Gaussian (Greengard–Lee) spans 20 fine-grid cells per dimension, 400 "
              "per point in 2-D, where finufft's exponential-of-semicircle kernel spans about "
              "10 (⌈log10(1/ε)⌉ + 1), 100 per point; and the book spreads by an XLA "
              "scatter-add, finufft by a vectorised C++ loop."),
    BenchCase("spectral.kron_gp_solve-vs-cholesky", "08_fourier_chebyshev",
              "GP solve on an {n}×{n} grid, RBF product kernel", GP_SIZES, gp_setup,
              Side("spectral.kron_gp_solve", lambda i: spectral.kron_gp_solve(
                  [i["K"], i["K"]], i["y"], noise=1e-2)),
              Side("scipy.linalg.cho_solve (dense)", _dense),
              gp_accuracy, "‖α − α*‖₂/‖α*‖₂ against the dense Cholesky solve"),
]
