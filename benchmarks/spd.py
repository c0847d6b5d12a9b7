"""SPD geometry (chapter 16): ``spd.karcher_mean`` against ``pyriemann``'s ``mean_riemann``.

Problem: N SPD matrices of size n, ``exp_C(S_i)`` around a random SPD centre ``C`` with
condition number 100 and random symmetric tangent vectors ``S_i`` of Frobenius norm about 1
(in the whitened frame). Both sides use tolerance 1e-8 on the Riemannian gradient norm.
Accuracy, for both sides: the norm of the Riemannian gradient
``(1/N) Σ log(M^{-1/2} X_i M^{-1/2})`` at the returned mean, evaluated by numpy.
"""

from __future__ import annotations

import warnings

import numpy as np
from eigenbook import spd
from eigenbook.book.bench import BenchCase, Side

SIZES = {"full": {"N": 200, "n": 32}, "quick": {"N": 20, "n": 8, "repeats": 1}}


def _eigf(X, f):
    w, U = np.linalg.eigh(X)
    return (U * f(w)[..., None, :]) @ np.swapaxes(U, -1, -2)


def setup(size, seed):
    N, n = size["N"], size["n"]
    g = np.random.default_rng([seed, 16])
    Q = np.linalg.qr(g.standard_normal((n, n)))[0]
    C = (Q * np.geomspace(1.0, 100.0, n)) @ Q.T
    S = g.standard_normal((N, n, n)) / (2 * n) ** 0.5
    S = S + np.swapaxes(S, -1, -2)
    r = _eigf(C, np.sqrt)
    return {"X": r @ _eigf(S, np.exp) @ r}


def _pyriemann(inp):
    from pyriemann.geometry.mean import mean_riemann
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return mean_riemann(inp["X"], tol=1e-8, maxiter=100)


def accuracy(inp, out, side):
    M = np.asarray(out.mean if isinstance(out, spd.MeanResult) else out)
    ir = _eigf(M, lambda w: 1 / np.sqrt(w))
    G = _eigf(ir @ inp["X"] @ ir, np.log).mean(axis=0)
    return {"gradient norm": float(np.linalg.norm(G))}


CASES = [
    BenchCase("spd.karcher_mean-vs-pyriemann", "16_spd_geometry",
              "N={N} SPD matrices {n}×{n}, κ(centre) = 100", SIZES, setup,
              Side("spd.karcher_mean (tol 1e-8)",
                   lambda i: spd.karcher_mean(i["X"], tol=1e-8)),
              Side("pyriemann mean_riemann (tol 1e-8)", _pyriemann),
              accuracy, "Riemannian gradient norm ‖(1/N) Σ log(M^{-1/2} X_i M^{-1/2})‖_F at "
              "the returned mean (numpy)",
              "Near parity; the same LAPACK work on both sides (profile, idle 2-core EPYC, "
              "2026-12-02). Both take 7 iterations of the fixed point here (the book with "
              "its secant step, 11 with step 1), each a batch of 200 eigendecompositions "
              "32 × 32 (14 ms in XLA, 25 ms in numpy). Medians of 9 calls: book 0.225 s, "
              "pyriemann 0.21–0.23 s; the best-of-3 ratio of four runs ranged 0.91–1.39."),
]
