"""Inverse damped-Fisher products (chapter 13): ``curvature.mfac_ihvp`` (M-FAC state given)
against ``scipy.linalg.cho_solve`` (Cholesky factor given) and M-FAC with its precomputation
against forming and factoring the dense matrix.

Problem: F = λI + (1/m) GᵀG for m Gaussian gradients of dimension d, λ = 1e-3, and one
right-hand side; both sides get the same float64 arrays.
Accuracy, for both sides: the relative difference from a dense ``numpy.linalg.solve`` made in
the setup.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from eigenbook import curvature
from eigenbook.book.bench import BenchCase, Side

SIZES = {"full": {"d": 8000, "m": 64}, "quick": {"d": 1000, "m": 32, "repeats": 1}}
DAMPING = 1e-3


def setup(size, seed):
    rng = np.random.default_rng([seed, 13])
    d, m = size["d"], size["m"]
    G = rng.standard_normal((m, d))
    x = rng.standard_normal(d)
    F = DAMPING * np.eye(d) + G.T @ G / m
    return {"G": G, "x": x, "F": F, "cf": sla.cho_factor(F), "y": np.linalg.solve(F, x),
            "state": curvature.mfac_precompute(G, damping=DAMPING)}


def accuracy(inp, out, side):
    return {"rel. diff. from dense solve": float(np.linalg.norm(np.asarray(out) - inp["y"])
                                                 / np.linalg.norm(inp["y"]))}


def _dense(i):
    F = DAMPING * np.eye(i["G"].shape[1]) + i["G"].T @ i["G"] / i["G"].shape[0]
    return sla.cho_solve(sla.cho_factor(F), i["x"])


MEASURE = "‖y − y*‖/‖y*‖ against numpy.linalg.solve on the dense F (setup)"

CASES = [
    BenchCase(
        "curvature.mfac_ihvp-vs-cho_solve", "13_hessian_spectra", "d={d}, m={m}, state given",
        SIZES, setup,
        Side("curvature.mfac_ihvp", lambda i: curvature.mfac_ihvp(i["state"], i["x"])),
        Side("scipy.linalg.cho_solve", lambda i: sla.cho_solve(i["cf"], i["x"])),
        accuracy, MEASURE),
    BenchCase(
        "curvature.mfac-vs-cholesky", "13_hessian_spectra", "d={d}, m={m}, from the gradients",
        SIZES, setup,
        Side("curvature.mfac_precompute + mfac_ihvp",
             lambda i: curvature.mfac_ihvp(curvature.mfac_precompute(i["G"], damping=DAMPING),
                                           i["x"])),
        Side("form F + scipy cho_factor/cho_solve", _dense), accuracy, MEASURE),
]
