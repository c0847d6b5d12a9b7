"""Sparse Walsh–Hadamard transform by aliasing and peeling (SparseFHT / SPRIGHT design)."""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

import jax
import numpy as np

from .._checks import (
    ConvergenceWarning,
    as_host,
    as_indices,
    check_int,
    check_key,
    check_scalar,
    fail,
)
from ..data import numpy_rng

__all__ = ["SparseWHTResult", "sparse_wht", "walsh_synthesis", "sparse_wht_samples"]


class SparseWHTResult(NamedTuple):
    """A sparse Walsh–Hadamard spectrum recovered from few samples.

    Attributes
    ----------
    support : ndarray of int64, shape (k,)
        Recovered frequencies, sorted.
    coefficients : ndarray of shape (k,)
        Their coefficients ``X[support]`` (with ``x = H X``, i.e. ``X = fwht(x) / N``).
    n_samples : int
        Signal samples read: ``n_groups * n_bins * n_delays``.
    n_rounds : int
        Peeling rounds run.
    converged : bool
        Every bin of every group was explained (a zero-ton) when peeling stopped.
    """

    support: np.ndarray
    coefficients: np.ndarray
    n_samples: int
    n_rounds: int
    converged: bool


def _popcount_parity(a: np.ndarray) -> np.ndarray:
    return (np.bitwise_count(a) & 1).astype(np.int8)


def walsh_synthesis(support: Any, coefficients: Any, indices: Any, *, n_bits: int) -> np.ndarray:
    """Evaluate a sparse Walsh series at given indices.

    :math:`x_m = \\sum_k X_k (-1)^{\\langle k, m\\rangle}`, the inverse transform restricted
    to a few indices. Cost :math:`O(mK)` for ``m`` indices, independent of
    :math:`N = 2^n`: the way to read samples of a signal too long to store.

    Parameters
    ----------
    support : array_like of int, shape (K,)
        Frequencies in ``[0, 2**n_bits)``.
    coefficients : array_like of shape (K,)
    indices : array_like of int, shape (m,)
        Where to evaluate, in ``[0, 2**n_bits)``.
    n_bits : int
        :math:`n`, ``1 <= n <= 62``.

    Returns
    -------
    x : ndarray of shape (m,)

    Raises
    ------
    TypeError
        Non-integer indices or support, non-numeric coefficients.
    ValueError
        Out-of-range indices, mismatched lengths, non-finite coefficients.

    See Also
    --------
    fwht : the dense transform (``fwht(X)`` is the whole signal).

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.walsh_synthesis"
    n_bits = check_int(n_bits, "n_bits", where, min_val=1, max_val=62)
    N = 1 << n_bits
    k = as_indices(support, "support", where, upper=N, ndim=1)
    c = as_host(coefficients, "coefficients", where, ndim=1)
    if c.shape[0] != k.shape[0]:
        raise fail(where, "coefficients", f"shape ({k.shape[0]},) (one per support entry)",
                   f"shape {c.shape}")
    m = as_indices(indices, "indices", where, upper=N, ndim=1)
    return _synth(k, c, m)


def _synth(k, c, m):
    out = np.empty(m.shape[0])
    step = max(1, 2**20 // max(1, k.size))
    for s in range(0, m.size, step):
        par = _popcount_parity(m[s:s + step, None] & k[None, :])
        out[s:s + step] = (1 - 2 * par.astype(np.float64)) @ c
    return out


def _fwht_host(v):
    """Unnormalised WHT along the last axis, on the host in float64 (the small bin transforms:
    B points each, where a device call would cost more than the work)."""
    shape, n = v.shape, v.shape[-1]
    y = v.reshape(-1, n).astype(np.float64)
    h = 1
    while h < n:
        z = y.reshape(y.shape[0], n // (2 * h), 2, h)
        y = np.stack([z[:, :, 0] + z[:, :, 1], z[:, :, 0] - z[:, :, 1]], axis=2).reshape(-1, n)
        h *= 2
    return y.reshape(shape)


def _design(n_bits, n_bins_log2, n_groups, n_repeats, rng):
    """Bit subsets of each group and the delays (one shared list per group)."""
    n, b = n_bits, n_bins_log2
    perm = rng.permutation(n)
    groups = []
    for c in range(n_groups):
        if n_groups * b <= n:   # disjoint subsets: independent hashes of a random support
            bits = perm[c * b:(c + 1) * b]
        else:
            bits = rng.choice(n, size=b, replace=False)
        free = np.setdiff1d(np.arange(n), bits)
        delays = []
        for _ in range(n_repeats):
            base = 0 if n_repeats == 1 else int(rng.integers(0, 1 << n))
            delays.append(base)
            delays.extend(base ^ (1 << int(i)) for i in free)
        groups.append((np.sort(bits).astype(np.int64), free.astype(np.int64),
                       np.array(delays, dtype=np.int64)))
    return groups


def sparse_wht_samples(n_bits: int, *, n_bins: int, n_groups: int = 3, n_repeats: int = 1,
                       key: jax.Array) -> np.ndarray:
    """The signal indices :func:`sparse_wht` reads for a given design (same ``key``).

    Parameters
    ----------
    n_bits : int
        :math:`n = \\log_2 N`.
    n_bins : int
        Bins per group ``B`` (a power of 2, ``2 <= B <= N``).
    n_groups : int
        Subsampling groups ``C >= 1``.
    n_repeats : int
        Delay pairs per bit ``R >= 1``.
    key : PRNG key

    Returns
    -------
    indices : ndarray of int64, shape (C, P, B)
        ``P = R (n - log2 B + 1)`` delays per group.

    Raises
    ------
    TypeError, ValueError
        As :func:`sparse_wht`.

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.sparse_wht_samples"
    n_bits, b, C, R = _check_design(n_bits, n_bins, n_groups, n_repeats, where)
    key = check_key(key, "key", where)
    return _indices(_design(n_bits, b, C, R, numpy_rng(key)), b)


def _indices(groups, b):
    l = np.arange(1 << b, dtype=np.int64)
    out = []
    for bits, _, delays in groups:
        offs = np.zeros_like(l)
        for j, i in enumerate(bits):
            offs |= ((l >> j) & 1) << i
        out.append(delays[:, None] ^ offs[None, :])
    return np.stack(out)


def _check_design(n_bits, n_bins, n_groups, n_repeats, where):
    n_bits = check_int(n_bits, "n_bits", where, min_val=1, max_val=62)
    B = check_int(n_bins, "n_bins", where, min_val=2, max_val=1 << n_bits)
    if B & (B - 1):
        raise fail(where, "n_bins", "a power of 2", f"n_bins={B}")
    C = check_int(n_groups, "n_groups", where, min_val=1)
    R = check_int(n_repeats, "n_repeats", where, min_val=1)
    return n_bits, B.bit_length() - 1, C, R


def sparse_wht(signal: Any, *, n_bins: int, key: jax.Array, n_bits: int | None = None,
               n_groups: int = 3, n_repeats: int = 1, noise_var: float = 0.0,
               max_rounds: int = 64) -> SparseWHTResult:
    """Recover a K-sparse Walsh–Hadamard spectrum from :math:`O(K \\log N)` samples.

    The signal :math:`x = H X` has length :math:`N = 2^n` and a spectrum ``X`` with
    :math:`K \\ll N` non-zeros. Group ``c`` reads ``x`` on a coset of a ``b``-bit subspace
    (:math:`B = 2^b` samples, shifted by a delay ``d``) and takes a ``B``-point WHT: bin
    ``j`` then holds :math:`\\sum X_k (-1)^{\\langle k, d\\rangle}` over the frequencies whose
    ``b`` selected bits spell ``j`` (aliasing). A bin with one frequency (a *singleton*)
    reveals it: the delay :math:`d \\oplus e_i` flips the bin's sign exactly when bit ``i``
    of ``k`` is 1. Singletons are found, subtracted from the bins they alias to in the
    other groups (*peeling*), which creates new singletons, until no bin is left. With
    ``C = 3`` groups and :math:`B \\ge K`, peeling succeeds with probability
    :math:`1 - O(1/K)`: a random 3-hypergraph with :math:`K` edges on :math:`3B` vertices has
    an empty 2-core when :math:`K/(3B) < 0.818` :cite:p:`scheibler2015fast`.
    Samples :math:`C B (n - b + 1)`, time :math:`O(K \\log^2 N)` instead of
    :math:`O(N \\log N)`.

    Noise (``noise_var`` :math:`\\sigma^2 > 0` per sample) is handled as in SPRIGHT
    :cite:p:`li2015spright`: each bit is read from ``n_repeats`` pairs of random delays
    :math:`(d_r, d_r\\oplus e_i)` and decided by majority vote, a bin is a zero-ton when its
    mean energy is below :math:`3\\sigma^2/B`, and a singleton when the residual of the
    one-frequency fit is below that threshold. The sample count grows only by the factor
    ``n_repeats``.

    Parameters
    ----------
    signal : array_like of shape (N,), or callable
        The signal, or a function ``f(indices) -> values`` (int64 array of indices in
        ``[0, N)``; then ``n_bits`` is required). Only the sampled entries are read.
    n_bins : int
        Bins per group ``B`` (a power of 2, ``B <= N``); take ``B >= K``.
    key : PRNG key
        Draws the bit subsets (and the random delays when ``n_repeats > 1``).
    n_bits : int, optional
        :math:`n`; default ``log2(len(signal))``.
    n_groups : int
        ``C >= 1`` (3 is the design the peeling analysis is about).
    n_repeats : int
        Delay pairs per bit ``R >= 1``: 1 is the noiseless design (delays 0 and
        :math:`e_i`), ``R > 1`` random delays with a majority vote per bit.
    noise_var : float
        Noise variance per sample, ``>= 0``; 0 uses round-off tolerances.
    max_rounds : int
        Cap on peeling rounds, ``>= 1`` (warns ``ConvergenceWarning`` when unresolved bins
        remain).

    Returns
    -------
    SparseWHTResult
        ``support``, ``coefficients``, ``n_samples``, ``n_rounds``, ``converged``.

    Raises
    ------
    TypeError
        ``signal`` neither an array nor a callable, sizes not ints, ``key`` not a key.
    ValueError
        Length not a power of 2, ``n_bits`` inconsistent with the array, ``n_bins`` not a
        power of 2 or above N, ``noise_var < 0``, non-finite samples.

    References
    ----------
    :cite:p:`li2015spright,scheibler2015fast`

    See Also
    --------
    fwht : the dense transform, :math:`O(N\\log N)`.
    sparse_wht_samples, walsh_synthesis

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.sparse_wht"
    if callable(signal) and not hasattr(signal, "shape"):
        if n_bits is None:
            raise fail(where, "n_bits", "an int when signal is a callable", "None",
                       exc=TypeError)
        read = signal
        x_arr = None
    else:
        x_arr = as_host(signal, "signal", where, ndim=1, rule="an array of shape (N,)")
        N = x_arr.shape[0]
        if N < 2 or N & (N - 1):
            raise fail(where, "signal", "a length N that is a power of 2 (>= 2)",
                       f"length {N}", "Zero-pad to the next power of 2.")
        if n_bits is not None and check_int(n_bits, "n_bits", where) != N.bit_length() - 1:
            raise fail(where, "n_bits", f"log2(len(signal)) = {N.bit_length() - 1}",
                       f"n_bits={n_bits}")
        n_bits = N.bit_length() - 1
        read = None
    n, b, C, R = _check_design(n_bits, n_bins, n_groups, n_repeats, where)
    key = check_key(key, "key", where)
    sigma2 = check_scalar(noise_var, "noise_var", where, min_val=0.0)
    max_rounds = check_int(max_rounds, "max_rounds", where, min_val=1)
    B = 1 << b
    groups = _design(n, b, C, R, numpy_rng(key))
    idx = _indices(groups, b)                                     # (C, P, B)
    if read is None:
        vals = x_arr[idx]
    else:
        vals = np.asarray(read(idx.reshape(-1)), dtype=np.float64)
        if vals.shape != (idx.size,):
            raise fail(where, "signal", f"a callable returning shape ({idx.size},)",
                       f"shape {vals.shape}", exc=TypeError)
        if not np.all(np.isfinite(vals)):
            raise fail(where, "signal", "finite values", "NaN/inf samples")
        vals = vals.reshape(idx.shape)
    U = _fwht_host(vals) / B             # (C, P, B): bins per delay
    delays = np.stack([g[2] for g in groups])                      # (C, P)
    free_bits = [g[1] for g in groups]
    sel_bits = [g[0] for g in groups]
    n_free = n - b
    if sigma2 > 0:
        thr_zero = thr_res = 3.0 * sigma2 / B
    else:
        scale = float(np.max(np.abs(U))) if U.size else 0.0
        thr_zero = (1e-9 * scale) ** 2
        thr_res = (1e-7 * scale) ** 2
    found: dict[int, float] = {}
    lbits = np.arange(b)
    rounds = 0
    while rounds < max_rounds:
        rounds += 1
        new: dict[int, float] = {}
        for c in range(C):
            u = U[c]                                               # (P, B)
            energy = np.mean(u**2, axis=0)
            cand = np.nonzero(energy > thr_zero)[0]
            if cand.size == 0:
                continue
            uc = u[:, cand].reshape(R, n_free + 1, cand.size)
            prod = uc[:, 1:, :] * uc[:, :1, :]                     # (R, n_free, m)
            ones = np.sum(prod < 0, axis=0) * 2 > R                # majority vote per bit
            k = np.zeros(cand.size, dtype=np.int64)
            for j, i in zip(lbits, sel_bits[c], strict=True):
                k |= ((cand >> j) & 1) << i
            for f, i in enumerate(free_bits[c]):
                k |= ones[f].astype(np.int64) << i
            s = 1.0 - 2.0 * _popcount_parity(delays[c][:, None] & k[None, :])  # (P, m)
            xh = np.mean(u[:, cand] * s, axis=0)
            res = np.mean((u[:, cand] - xh * s) ** 2, axis=0)
            ok = res <= thr_res
            for kk, vv in zip(k[ok], xh[ok], strict=True):
                kk = int(kk)
                if kk not in found and kk not in new:
                    new[kk] = float(vv)
        if not new:
            break
        ks = np.fromiter(new, dtype=np.int64)
        vs = np.array([new[kk] for kk in ks])
        for c in range(C):                                        # peel from every group
            j = np.zeros(ks.size, dtype=np.int64)
            for jj, i in enumerate(sel_bits[c]):
                j |= ((ks >> i) & 1) << jj
            s = 1.0 - 2.0 * _popcount_parity(delays[c][:, None] & ks[None, :])
            np.add.at(U[c].T, j, -(s * vs).T)
        found.update(new)
    left = int(sum(np.sum(np.mean(U[c] ** 2, axis=0) > thr_zero) for c in range(C)))
    converged = left == 0
    if not converged and rounds >= max_rounds:
        warnings.warn(f"{where}: {left} bins unresolved after max_rounds={max_rounds} "
                      "peeling rounds; raise max_rounds or n_bins.", ConvergenceWarning,
                      stacklevel=2)
    support = np.array(sorted(found), dtype=np.int64)
    coefs = np.array([found[int(kk)] for kk in support], dtype=np.float64)
    return SparseWHTResult(support, coefs, int(idx.size), rounds, converged)
