"""Low-rank compression (chapter 03): matrix completion by alternating minimisation and Tucker
adapters, against the code a reader would write with SciPy and TensorLy.

Problems: (1) an incoherent rank-k matrix (``eigenbook.data.completion_problem``) observed at
rate p, completed by a fixed number of alternating-minimisation iterations from the book's
spectral start: ``lowrank.complete_matrix`` with CG updates (δ = 0.1) against the same
iteration with ``scipy.linalg.lstsq`` per row; accuracy: relative error to the true matrix.
(2) A 64×64×3×3 tensor of multilinear rank (8, 8, 3, 3) plus 1 % noise,
``lowrank.tucker_adapter`` (HOOI) against ``tensorly.decomposition.tucker``; accuracy:
relative error to the noisy tensor.
"""

from __future__ import annotations

import warnings

import jax
import numpy as np
import scipy.linalg as sla
import tensorly as tl
from eigenbook import ConvergenceWarning, data, lowrank
from eigenbook.book.bench import BenchCase, Side
from tensorly.decomposition import tucker

jax.config.update("jax_enable_x64", True)

AM_SIZES = {"full": {"n": 1000, "k": 32, "p": 0.2, "n_iter": 8},
            "quick": {"n": 200, "k": 8, "p": 0.3, "n_iter": 3, "repeats": 1}}
TK_SIZES = {"full": {"shape": (64, 64, 3, 3), "ranks": (8, 8, 3, 3)},
            "quick": {"shape": (16, 16, 3, 3), "ranks": (4, 4, 2, 2), "repeats": 1}}


def am_setup(size, seed):
    key = jax.random.key(seed)
    p = data.completion_problem(size["n"], size["n"], size["k"], size["p"], key=key)
    M, mask = np.asarray(p.M), np.asarray(p.mask)
    U0 = np.asarray(lowrank.spectral_init(M, mask, size["k"], key=key))
    return {"M": M, "mask": mask, "k": size["k"], "U0": U0, "n_iter": size["n_iter"],
            "key": key}


def book_am(i):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed iteration count
        r = lowrank.complete_matrix(i["M"], i["mask"], i["k"], key=i["key"], method="cg",
                                    cg_tol=0.1, max_steps=i["n_iter"], tol=1e-14)
    return np.asarray(r.U @ r.V.T)


def scipy_am(i):
    M, mask, U = i["M"], i["mask"], i["U0"]
    for _ in range(i["n_iter"]):
        V = np.stack([sla.lstsq(U[mask[:, j]], M[mask[:, j], j])[0]
                      for j in range(M.shape[1])])
        U = np.stack([sla.lstsq(V[mask[r]], M[r, mask[r]])[0] for r in range(M.shape[0])])
    return U @ V.T


def am_accuracy(inp, out, side):
    return {"rel. error": float(np.linalg.norm(out - inp["M"]) / np.linalg.norm(inp["M"]))}


def tk_setup(size, seed):
    t = data.tucker_tensor(size["shape"], size["ranks"], key=jax.random.key(seed), noise=0.01)
    return {"T": np.asarray(t.T), "ranks": size["ranks"]}


def book_tucker(i):
    return lowrank.tucker_adapter(i["T"], i["ranks"])


def tensorly_tucker(i):
    return tucker(tl.tensor(i["T"]), rank=list(i["ranks"]), n_iter_max=50, tol=1e-8, init="svd")


def tk_accuracy(inp, out, side):
    if isinstance(out, lowrank.TuckerAdapter):
        return {"rel. error": out.relative_error}
    full = tl.tucker_to_tensor(out)
    return {"rel. error": float(np.linalg.norm(full - inp["T"]) / np.linalg.norm(inp["T"]))}


CASES = [
    BenchCase("lowrank_compression.complete_matrix-vs-lstsq", "03_lowrank_compression",
              "completion {n}², k={k}, p={p}, {n_iter} iterations", AM_SIZES, am_setup,
              Side("lowrank.complete_matrix (CG, δ=0.1)", book_am),
              Side("scipy.linalg.lstsq per row", scipy_am), am_accuracy,
              "relative Frobenius error to the true low-rank matrix after the same iterations"),
    BenchCase("lowrank_compression.tucker_adapter-vs-tensorly", "03_lowrank_compression",
              "Tucker {ranks} of {shape}", TK_SIZES, tk_setup,
              Side("lowrank.tucker_adapter (HOOI)", book_tucker),
              Side("tensorly.decomposition.tucker", tensorly_tucker), tk_accuracy,
              "relative Frobenius error to the noisy tensor"),
]
