"""The polar factor (chapter 05): ``orth.polar_qdwh``, ``orth.polar_newton`` and
``orth.newton_schulz`` against ``scipy.linalg.polar`` (an SVD).

Problem: a square A = U diag(σ) Vᵀ with σ log-spaced from 1 to 10⁻⁴ and Haar U, V, so the
polar factor UVᵀ is known. Accuracy, for both sides: ‖Q − UVᵀ‖_F and the orthogonality loss
‖QᵀQ − I‖_F. Newton–Schulz (12 Muon steps, then 8 cubic steps, as in the chapter) is
matmul-only: its rate is its 20 steps' products (6n³ flops per quintic step, 4n³ per cubic
step) against dgemm.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import scipy.linalg as sla
from _inputs import with_singular_values
from eigenbook import orth
from eigenbook.book.bench import BenchCase, Side

SIZES = {"full": {"n": 1_500}, "quick": {"n": 128, "repeats": 1}}
SCHEDULE = np.vstack([np.tile(orth.MUON_COEFFS, (12, 1)), np.tile(orth.CUBIC_COEFFS, (8, 1))])


def setup(size, seed):
    n = size["n"]
    A, U, V = with_singular_values(n, n, np.logspace(0, -4, n), seed, 5)
    return {"A": A, "A_jax": jnp.asarray(A), "Q_true": U @ V.T}


def accuracy(inp, out, side):
    Q = np.asarray(out[0] if isinstance(out, tuple) else out)
    return {"‖Q − UVᵀ‖_F": np.linalg.norm(Q - inp["Q_true"]),
            "‖QᵀQ − I‖_F": np.linalg.norm(Q.T @ Q - np.eye(Q.shape[1]))}


def ns_flops(inp):
    n = inp["A"].shape[0]
    return 12 * 6.0 * n**3 + 8 * 4.0 * n**3


MEASURE = "‖Q − UVᵀ‖_F against the known polar factor; ‖QᵀQ − I‖_F"
SCIPY = Side("scipy.linalg.polar", lambda i: sla.polar(i["A"]))


def _case(ident, side, bound=""):
    return BenchCase(ident, "05_orthogonalization", "dense {n}×{n}, σ from 1 to 1e-4", SIZES,
                     setup, side, SCIPY, accuracy, MEASURE, bound)


QDWH_BOUND = (
    "LAPACK work of comparable size on both sides. A profile at 1500² (cProfile, 2026-12-02) "
    "spent 0.31 s in the one QR-based step, 0.66 s in the three Cholesky-based steps (about "
    "4n³ flops each: syrk, potrf, potri, symm) and 0.12 s in the LU of the σ_min estimate, "
    "against scipy.linalg.polar's single divide-and-conquer SVD (about 21n³ flops with U "
    "and V).")
NS_BOUND = (
    "Flops: its 20 steps cost the 104n³ of the flops model (the % of dgemm column is its rate), "
    "against about 21n³ + 2n³ for the SVD and U Vᵀ of scipy.linalg.polar, so it can only "
    "win where matrix products are much faster than LAPACK's SVD (an accelerator).")
NEWTON_BOUND = (
    "Inverses: the ten steps (a fixed count) each invert the iterate in XLA on the CPU (LU "
    "and inverse, about 2n³ flops), about the flops of the one LAPACK SVD on the other side, "
    "at a lower rate.")


CASES = [
    _case("orth.polar_qdwh-vs-scipy", Side("orth.polar_qdwh",
                                           lambda i: orth.polar_qdwh(i["A_jax"]).Q),
          QDWH_BOUND),
    _case("orth.polar_newton-vs-scipy", Side("orth.polar_newton",
                                             lambda i: orth.polar_newton(i["A_jax"]).Q),
          NEWTON_BOUND),
    _case("orth.newton_schulz-vs-scipy", Side(
        "orth.newton_schulz (12 Muon + 8 cubic steps)",
        lambda i: orth.newton_schulz(i["A_jax"], coeffs=SCHEDULE), ns_flops), NS_BOUND),
]
