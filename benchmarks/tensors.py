"""CP decomposition (chapter 11): ``tensors.cp_decompose`` (alternating least squares)
against TensorLy's ``parafac``, both for the same number of ALS sweeps (TensorLy with
``tol=0`` so that it does not stop earlier) from random factors.

Problem: a d×d×d tensor of CP rank R (Gaussian factors) plus 1 % Gaussian noise, fitted at
rank R. Accuracy, for both sides: the relative fit error ‖M − [[A, B, C]]‖_F / ‖M‖_F
(the noise level is the floor).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import tensorly as tl
from eigenbook import tensors
from eigenbook.book.bench import BenchCase, Side
from tensorly.decomposition import parafac

SIZES = {"full": {"d": 60, "rank": 8, "sweeps": 100},
         "quick": {"d": 12, "rank": 3, "sweeps": 20, "repeats": 1}}


def setup(size, seed):
    d, R = size["d"], size["rank"]
    g = np.random.default_rng([seed, 7])
    A, B, C = g.standard_normal((3, d, R))
    M = np.einsum("ir,jr,kr->ijk", A, B, C)
    M = M + 0.01 * np.linalg.norm(M) / d**1.5 * g.standard_normal(M.shape)
    return {"M": M, "M_jax": jnp.asarray(M), "rank": R, "sweeps": size["sweeps"],
            "key": jax.random.key(seed), "seed": seed}


def accuracy(inp, out, side):
    if side == "book":
        A, B, C = (np.asarray(f) for f in out[:3])
        weights = np.ones(A.shape[1])
    else:
        weights, (A, B, C) = out
    M_hat = np.einsum("r,ir,jr,kr->ijk", np.asarray(weights), A, B, C)
    return {"relative fit error": np.linalg.norm(inp["M"] - M_hat) / np.linalg.norm(inp["M"])}


def _book(i):
    return tensors.cp_decompose(i["M_jax"], i["rank"], key=i["key"], n_iter=i["sweeps"])


def _tensorly(i):
    return parafac(tl.tensor(i["M"]), i["rank"], n_iter_max=i["sweeps"], init="random",
                   tol=0.0, random_state=i["seed"])


CASES = [
    BenchCase("tensors.cp_decompose-vs-tensorly", "11_equivariant_tensor_products",
              "{d}×{d}×{d}, CP rank {rank} + 1 % noise, {sweeps} ALS sweeps", SIZES, setup,
              Side("tensors.cp_decompose", _book),
              Side("tensorly.decomposition.parafac (tol=0)", _tensorly),
              accuracy, "‖M − [[A, B, C]]‖_F / ‖M‖_F (the 1 % noise is the floor)"),
]
