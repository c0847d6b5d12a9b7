"""Randomized linear algebra (chapter 04).

Randomized SVD: ``sketch.randomized_svd`` against scikit-learn's
``randomized_svd`` with the same oversampling (10), the same number of power iterations
and QR re-orthonormalisation: the same algorithm, so the same flops.

Problem: a dense m×n matrix U diag(σ) Vᵀ with σ_i = 1/(1 + i) and Haar U, V. Accuracy,
for both: the Frobenius error of the rank-k approximation relative to the optimal one,
√(Σ_{i>k} σ_i²), and the largest relative error of σ₁..σ_k. The rate: the (2q + 2)
products with A, 2·m·n·(k + p) flops each, against dgemm.

Least squares: SRHT sketch-and-solve and sketch-to-precondition (LSQR) against
``scipy.linalg.lstsq`` on a tall Gaussian matrix with column scales from 1 to 10⁻³.
Accuracy, for both: the residual over the optimal residual and the relative error of x.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg as sla
from _inputs import with_singular_values
from eigenbook import sketch
from eigenbook.book.bench import BenchCase, Side
from sklearn.utils.extmath import randomized_svd as sk_randomized_svd

P, Q = 10, 2
SIZES = {"full": {"m": 6_000, "n": 1_500, "k": 50},
         "quick": {"m": 600, "n": 200, "k": 10, "repeats": 1}}


def setup(size, seed):
    m, n, k = size["m"], size["n"], size["k"]
    s = 1.0 / (1.0 + np.arange(n))
    A, _, _ = with_singular_values(m, n, s, seed, 4)
    return {"A": A, "A_jax": jnp.asarray(A), "k": k, "s_true": s,
            "best_err": float(np.sqrt(np.sum(s[k:] ** 2))), "key": jax.random.key(seed),
            "seed": seed}


def accuracy(inp, out, side):
    U, s, Vt = (np.asarray(x) for x in ((out.U, out.s, out.Vt) if hasattr(out, "Vt") else out))
    k = inp["k"]
    err = np.linalg.norm(inp["A"] - (U[:, :k] * s[:k]) @ Vt[:k])
    return {"error / optimal": err / inp["best_err"],
            "max rel. σ error": np.max(np.abs(np.sort(s)[::-1][:k] - inp["s_true"][:k])
                                       / inp["s_true"][:k])}


def flops(inp):
    m, n = inp["A"].shape
    return (2 * Q + 2) * 2.0 * m * n * (inp["k"] + P)


CASES = [
    BenchCase(
        "sketch.randomized_svd-vs-sklearn", "04_randomized",
        "dense {m}×{n}, σ_i = 1/(1+i), k={k}, p=10, q=2", SIZES, setup,
        Side("sketch.randomized_svd", lambda i: sketch.randomized_svd(
            i["A_jax"], i["k"], key=i["key"], oversampling=P, n_power_iter=Q), flops),
        Side("sklearn.utils.extmath.randomized_svd", lambda i: sk_randomized_svd(
            i["A"], i["k"], n_oversamples=P, n_iter=Q, power_iteration_normalizer="QR",
            random_state=i["seed"]), flops),
        accuracy,
        "‖A − U_k Σ_k V_kᵀ‖_F over the optimal √(Σ_{i>k} σ_i²); largest |σ − σ*|/σ* over "
        "the top k (σ* known by construction)",
        "Memory, not flops: the products with A are thin (ℓ = 60 columns) and stream the 72 MB "
        "matrix, so their rate is a small fraction of the square dgemm's (% of dgemm column, "
        "both sides). The book also makes one more thin product for the residuals it reports "
        "(`converged`; A^T U comes from B = Q^T A), seven in all against scikit-learn's six."),
]


# -- least squares --------------------------------------------------------------------
LS_SIZES = {"full": {"n": 50_000, "d": 200}, "quick": {"n": 2_000, "d": 20, "repeats": 1}}


def setup_ls(size, seed):
    n, d = size["n"], size["d"]
    g = np.random.default_rng([seed, 9])
    A = g.standard_normal((n, d)) * np.logspace(0, -3, d)  # condition number about 10³
    b = A @ g.standard_normal(d) + g.standard_normal(n)
    x_opt = np.linalg.lstsq(A, b, rcond=None)[0]
    return {"A": A, "b": b, "A_jax": jnp.asarray(A), "b_jax": jnp.asarray(b), "d": d,
            "x_opt": x_opt, "r_opt": float(np.linalg.norm(A @ x_opt - b)),
            "key": jax.random.key(seed)}


def accuracy_ls(inp, out, side):
    x = np.asarray(out.x if hasattr(out, "x") else out[0] if isinstance(out, tuple) else out)
    return {"residual / optimal": np.linalg.norm(inp["A"] @ x - inp["b"]) / inp["r_opt"],
            "‖x − x*‖/‖x*‖": np.linalg.norm(x - inp["x_opt"]) / np.linalg.norm(inp["x_opt"])}


LSTSQ = Side("scipy.linalg.lstsq", lambda i: sla.lstsq(i["A"], i["b"]))
LS_MEASURE = ("‖Ax − b‖ over the optimal residual; ‖x − x*‖/‖x*‖ (x*: numpy's lstsq in the "
              "setup)")
CASES += [
    BenchCase("sketch.sketch_and_solve-vs-lstsq", "04_randomized",
              "least squares {n}×{d}, condition 1e3, SRHT s = 20d", LS_SIZES, setup_ls,
              Side("sketch.sketch_and_solve (SRHT, s=20d)", lambda i: sketch.sketch_and_solve(
                  i["A_jax"], i["b_jax"], 20 * i["d"], key=i["key"])),
              LSTSQ, accuracy_ls, LS_MEASURE,
              "Memory, not flops (profile, idle 2-core EPYC, 2026-12-02: 0.38 s in all): the "
              "SRHT of [A | b] zero-padded to 65536 × 201 rows, 0.235 s, is four radix-16 "
              "Hadamard passes over the 105 MB array at the memory rate; the input checks "
              "0.043 s, the copy into [A | b] 0.033 s, the solve of the 4000 × 201 sketch "
              "0.026 s. LAPACK's blocked QR of the 80 MB matrix runs from cache at its "
              "dgemm-like rate (0.30 s)."),
    BenchCase("sketch.sketch_precondition_lstsq-vs-lstsq", "04_randomized",
              "least squares {n}×{d}, condition 1e3", LS_SIZES, setup_ls,
              Side("sketch.sketch_precondition_lstsq (LSQR)",
                   lambda i: sketch.sketch_precondition_lstsq(i["A_jax"], i["b_jax"],
                                                              key=i["key"])),
              LSTSQ, accuracy_ls, LS_MEASURE,
              "Memory traffic of the iteration (cProfile, idle 2-core EPYC, 2026-12-02: 0.89 s "
              "in all): LSQR 0.54 s, 42 iterations to tol 1e-14 with 85 products with the "
              "80 MB matrix (about 6 ms each, the memory rate); the SRHT sketch 0.24 s (four "
              "Hadamard passes, as for sketch_and_solve); input checks 0.06 s. LAPACK solves "
              "50000×200 directly in about 2nd² = 4·10⁹ flops at its dgemm-like rate (0.30–"
              "0.34 s). A larger sketch costs little more with SRHT and cuts the iterations "
              "(m = 20d: 21 iterations, 0.67 s against 0.90 s at the default m = 4d)."),
]
