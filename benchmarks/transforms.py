"""Fast and sparse transforms (chapter 18): ``transforms.fwht`` against the dense
``scipy.linalg.hadamard`` matrix product, and ``transforms.sparse_wht`` against the dense
``transforms.fwht`` of the whole signal.

FWHT problem: a batch of Gaussian rows of length N = 2^n, transformed along the rows. The
Hadamard matrix is built in ``setup`` (not timed). Accuracy, for both sides: the largest
entry-wise difference from ``x @ hadamard(N)``, relative to its largest entry.

Sparse problem: a signal of length N = 2^n whose Walsh spectrum has K non-zeros (uniform random
support, magnitudes in [1, 2] with random signs), precomputed in ``setup``; the sparse side reads
C·B·(n − b + 1) samples of it (C = 3 groups, B = K bins). Accuracy, for both sides: the largest
coefficient error of the spectrum X = H x / N.
"""

from __future__ import annotations

import jax
import numpy as np
import scipy.linalg as sla
from eigenbook import data, transforms
from eigenbook.book.bench import BenchCase, Side

FWHT_SIZES = {"full": {"bits": 12, "batch": 64}, "quick": {"bits": 8, "batch": 8, "repeats": 1}}
SPARSE_SIZES = {"full": {"bits": 22, "K": 64}, "quick": {"bits": 14, "K": 16, "repeats": 1}}


def fwht_setup(size, seed):
    N = 1 << size["bits"]
    x = np.random.default_rng([seed, 180]).standard_normal((size["batch"], N))
    H = sla.hadamard(N).astype(np.float64)
    return {"x": x, "H": H, "truth": x @ H}


def fwht_accuracy(inp, out, side):
    out = np.asarray(out)
    return {"relative error": float(np.max(np.abs(out - inp["truth"]))
                                    / np.max(np.abs(inp["truth"])))}


def sparse_setup(size, seed):
    n, K = size["bits"], size["K"]
    spec = data.sparse_walsh_spectrum(n, K, key=jax.random.key(seed), magnitude="uniform")
    X = np.zeros(1 << n)
    X[spec.support] = spec.coefficients
    x = np.asarray(transforms.fwht(X))
    return {"x": x, "x_dev": jax.device_put(x), "X": X, "K": K,
            "key": jax.random.fold_in(jax.random.key(seed), 1)}


def sparse_accuracy(inp, out, side):
    if isinstance(out, transforms.SparseWHTResult):
        X_hat = np.zeros_like(inp["X"])
        X_hat[out.support] = out.coefficients
    else:
        X_hat = np.asarray(out) / inp["X"].size
    return {"max coefficient error": float(np.max(np.abs(X_hat - inp["X"])))}


CASES = [
    BenchCase("transforms.fwht-vs-hadamard", "18_fast_transforms",
              "{batch} rows of length 2^{bits}", FWHT_SIZES, fwht_setup,
              Side("transforms.fwht", lambda i: transforms.fwht(i["x"])),
              Side("x @ scipy.linalg.hadamard(N)", lambda i: i["x"] @ i["H"]),
              fwht_accuracy, "max |y − x H| / max |x H|"),
    BenchCase("transforms.sparse_wht-vs-fwht", "18_fast_transforms",
              "N = 2^{bits}, K = {K} non-zeros (C = 3, B = K)", SPARSE_SIZES, sparse_setup,
              Side("transforms.sparse_wht", lambda i: transforms.sparse_wht(
                  i["x"], n_bins=i["K"], key=i["key"])),
              Side("transforms.fwht (dense)", lambda i: transforms.fwht(i["x_dev"])),
              sparse_accuracy, "max |X̂ − X| over the whole spectrum"),
]
