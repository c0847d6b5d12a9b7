"""Matrices with a known answer: a prescribed spectrum, singular values or spike.

spiked_rows
    Gaussian rows with a spiked covariance (R, 1, ..., 1) in a random basis,
    optionally with a few heavy rows; returns the exact top right singular
    vector of the sample and its gap. Used in chapter 01_eigensolvers.
symmetric_with_spectrum
    A dense symmetric matrix with a prescribed spectrum and Haar eigenvectors.
matrix_with_singular_values
    A dense matrix with prescribed singular values and Haar singular vectors.
sparse_decaying
    A sparse symmetric matrix: a decaying diagonal plus sparse symmetric
    noise, with well separated top eigenvalues (the eigensolver benchmark).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook import _checks

from ._random import _haar_orthogonal_impl, numpy_rng

__all__ = ["SpikedRows", "spiked_rows", "SymmetricWithSpectrum", "symmetric_with_spectrum",
           "SpectrumMatrix", "matrix_with_singular_values", "sparse_decaying"]


class SpikedRows(NamedTuple):
    """Rows of a spiked instance with its exact answer.

    Attributes
    ----------
    rows : array of shape (n, d)
        The matrix A, one sample per row.
    v1 : array of shape (d,)
        Unit top right singular vector of the sample A (top eigenvector of
        AᵀA), sign fixed so that its largest-magnitude entry is positive.
    gap : array of shape ()
        The sample gap R_sample = σ1(A)² / σ2(A)².
    """

    rows: jax.Array
    v1: jax.Array
    gap: jax.Array


def spiked_rows(n: int, d: int, R: float, *, key: jax.Array, n_heavy: int = 0,
                heavy_share: float = 0.0) -> SpikedRows:
    r"""Gaussian rows with covariance spectrum (R, 1, ..., 1) in a random basis.

    Draw a Haar orthogonal Q = [q_1, ..., q_d] and rows
    a_i = Q diag(√R, 1, ..., 1) z_i with z_i ~ N(0, I_d), so that
    E[AᵀA] / n = R q_1 q_1ᵀ + (I - q_1 q_1ᵀ). For n ≫ d the sample gap
    σ1(A)²/σ2(A)² is close to R (it is smaller, by the fluctuation of order
    √(d/n) of the bulk); the exact sample gap is returned.

    With ``n_heavy = h > 0`` the first h rows are replaced by heavy rows
    ±c q_2 (random signs), all of the same norm c, chosen so that the heavy rows carry a
    fraction ``heavy_share`` of ‖A‖_F². They lie along q_2, orthogonal to the
    spike, so they compete with it: they lower the gap, and a block of the
    stream that misses (or over-weights) them sees a very different AᵀA.
    They sit at indices 0..h-1; use :func:`shuffle_rows` for a random order.

    Parameters
    ----------
    n, d : int
        Number of rows (n >= 2) and dimension (d >= 2).
    R : float
        Population spike, R >= 1.
    key : PRNG key
        Source of all randomness (basis, rows, heavy-row signs).
    n_heavy : int, optional
        Number h of heavy rows, 0 <= h <= n - 1. Default 0.
    heavy_share : float, optional
        Fraction of ‖A‖_F² carried by the heavy rows, in [0, 1); must be > 0
        exactly when ``n_heavy > 0``.

    Returns
    -------
    SpikedRows
        ``rows`` (n, d), ``v1`` (d,), ``gap`` () in the default float dtype.

    Raises
    ------
    TypeError
        ``key`` is not a PRNG key, or a size is not an int.
    ValueError
        A size or share is out of range.

    References
    ----------
    * ``kacham2024topeigenvector``: P. Kacham and D. P. Woodruff,
      "Approximating the Top Eigenvector in Random Order Streams",
      NeurIPS 2024 (arXiv 2412.11963).

    Explained in chapter 01_eigensolvers.
    """
    where = "data.spiked_rows"
    key = _checks.check_key(key, "key", where)
    n = _checks.check_int(n, "n", where, min_val=2)
    d = _checks.check_int(d, "d", where, min_val=2)
    R = _checks.check_scalar(R, "R", where, min_val=1.0)
    n_heavy = _checks.check_int(n_heavy, "n_heavy", where, min_val=0, max_val=n - 1,
                                hint="At least one light row must remain.")
    heavy_share = _checks.check_scalar(heavy_share, "heavy_share", where, min_val=0.0)
    if heavy_share >= 1.0:
        raise _checks.fail(where, "heavy_share", "0 <= heavy_share < 1",
                           f"heavy_share={heavy_share}")
    if (n_heavy > 0) != (heavy_share > 0.0):
        raise _checks.fail(where, "heavy_share",
                           "heavy_share > 0 exactly when n_heavy > 0",
                           f"n_heavy={n_heavy}, heavy_share={heavy_share}",
                           "Set both, or neither.")
    dtype = jnp.result_type(float)
    k_basis, k_rows, k_sign = jax.random.split(key, 3)
    Q = _haar_orthogonal_impl(k_basis, n=d, p=d, shape=(), dtype=np.dtype(dtype))
    scale = jnp.ones((d,), dtype).at[0].set(jnp.sqrt(jnp.asarray(R, dtype)))
    Z = jax.random.normal(k_rows, (n, d), dtype=dtype)
    rows = (Z * scale[None, :]) @ Q.T
    if n_heavy > 0:
        light_f2 = jnp.sum(rows[n_heavy:] ** 2)
        heavy_f2 = heavy_share / (1.0 - heavy_share) * light_f2
        c = jnp.sqrt(heavy_f2 / n_heavy)
        signs = jnp.where(jax.random.bernoulli(k_sign, 0.5, (n_heavy,)), 1.0, -1.0)
        heavy = (signs.astype(dtype) * c)[:, None] * Q[:, 1][None, :]
        rows = rows.at[:n_heavy].set(heavy)
    # Exact answer of the sample, in float64 numpy.
    A = np.asarray(rows, dtype=np.float64)
    w, V = np.linalg.eigh(A.T @ A)
    v1 = V[:, -1]
    v1 = v1 * np.sign(v1[np.argmax(np.abs(v1))])
    gap = w[-1] / w[-2] if w[-2] > 0 else np.inf
    return SpikedRows(rows, jnp.asarray(v1, dtype), jnp.asarray(gap, dtype))


class SymmetricWithSpectrum(NamedTuple):
    """A symmetric matrix with known eigenpairs.

    Attributes
    ----------
    A : array of shape (n, n)
        ``V diag(eigenvalues) V^T``, exactly symmetrised.
    eigenvalues : array of shape (n,)
        The prescribed spectrum, in decreasing order.
    eigenvectors : array of shape (n, n)
        Orthonormal eigenvectors, column i for ``eigenvalues[i]``.
    """

    A: jax.Array
    eigenvalues: jax.Array
    eigenvectors: jax.Array


def symmetric_with_spectrum(eigenvalues, *, key: jax.Array) -> SymmetricWithSpectrum:
    """Dense symmetric matrix ``V diag(eigenvalues) V^T`` with Haar-random ``V``.

    Parameters
    ----------
    eigenvalues : array of shape (n,)
        The spectrum (any order; returned sorted in decreasing order).
    key : PRNG key
        Draws ``V``.

    Returns
    -------
    SymmetricWithSpectrum
        ``A`` (n, n), ``eigenvalues`` (n,), ``eigenvectors`` (n, n).

    Raises
    ------
    TypeError, ValueError
        Non-real, non-finite or non-1-D ``eigenvalues``; bad ``key``.
    """
    where = "data.symmetric_with_spectrum"
    key = _checks.check_key(key, "key", where)
    lam = _checks.as_vector(eigenvalues, "eigenvalues", where, allow_empty=False)
    lam = -jnp.sort(-lam)
    V = _haar_orthogonal_impl(key, n=lam.shape[0], p=lam.shape[0], shape=(),
                              dtype=np.dtype(lam.dtype))
    A = (V * lam[None, :]) @ V.T
    return SymmetricWithSpectrum((A + A.T) / 2, lam, V)


class SpectrumMatrix(NamedTuple):
    """A test matrix ``A = U diag(s) Vt`` with known singular triplets.

    Attributes
    ----------
    A : array of shape (m, n)
    U : array of shape (m, p)
    s : array of shape (p,)
        Descending, p = min(m, n).
    Vt : array of shape (p, n)
    """

    A: jax.Array
    U: jax.Array
    s: jax.Array
    Vt: jax.Array


def matrix_with_singular_values(m: int, n: int, s: Any, *, key: jax.Array) -> SpectrumMatrix:
    """Dense test matrix :math:`U \\operatorname{diag}(s) V^T` with Haar-random factors.

    ``U`` and ``V`` are Haar orthonormal frames (:func:`haar_orthogonal` of
    shapes (m, p) and (n, p), from the two halves of ``jax.random.split(key)``).

    Parameters
    ----------
    m, n : int
        Shape, ``>= 1``.
    s : array of shape (min(m, n),)
        Singular values (non-negative; returned sorted descending).
    key : PRNG key
        Draws U and V.

    Returns
    -------
    SpectrumMatrix
        ``A`` (m, n), ``U`` (m, p), ``s`` (p,), ``Vt`` (p, n), p = min(m, n).

    Raises
    ------
    TypeError, ValueError
        Bad sizes, wrong length or negative ``s``, bad ``key``.

    See Also
    --------
    symmetric_with_spectrum : the symmetric analogue.

    Notes
    -----
    Cost :math:`O((m + n) p^2 + m n p)`. Used in chapter :ref:`svd-pca`.
    """
    where = "data.matrix_with_singular_values"
    key = _checks.check_key(key, "key", where)
    m = _checks.check_int(m, "m", where, min_val=1)
    n = _checks.check_int(n, "n", where, min_val=1)
    p = min(m, n)
    s = _checks.as_vector(s, "s", where, size=p)
    if bool(jnp.any(s < 0)):
        raise _checks.fail(where, "s", "non-negative singular values",
                           f"min(s) = {float(jnp.min(s)):.3g}")
    s = -jnp.sort(-s)
    ku, kv = jax.random.split(key)
    dt = np.dtype(s.dtype)
    U = _haar_orthogonal_impl(ku, n=m, p=p, shape=(), dtype=dt)
    V = _haar_orthogonal_impl(kv, n=n, p=p, shape=(), dtype=dt)
    return SpectrumMatrix((U * s[None, :]) @ V.T, U, s, V.T)


def sparse_decaying(n: int, *, key: jax.Array, nnz_per_row: int = 8,
                    noise: float = 0.05, decay: float = 0.5):
    """Sparse symmetric test matrix: ``diag(i^-decay) + noise * S``, i = 1..n.

    ``S`` is a random symmetric sparse matrix with about ``nnz_per_row``
    entries per row, scaled to spectral norm at most 1 (by its largest
    absolute row sum), so the top eigenvalues stay close to 1, 2^-decay,
    3^-decay, ... and are well separated: a fair benchmark for top-k solvers.

    Parameters
    ----------
    n : int
        Size, ``n >= 2``.
    key : PRNG key
        Draws the pattern and values of ``S``.
    nnz_per_row : int
        Average off-diagonal entries per row of ``S`` (before symmetrising).
    noise : float
        Weight of ``S``, ``>= 0``.
    decay : float
        Exponent of the diagonal, ``> 0``.

    Returns
    -------
    scipy.sparse.csr_array of shape (n, n), float64

    Raises
    ------
    TypeError, ValueError
        Bad sizes, negative ``noise``, non-positive ``decay``, bad ``key``.
    """
    import scipy.sparse as sp

    where = "data.sparse_decaying"
    key = _checks.check_key(key, "key", where)
    n = _checks.check_int(n, "n", where, min_val=2)
    nnz_per_row = _checks.check_int(nnz_per_row, "nnz_per_row", where, min_val=1,
                                    max_val=n - 1)
    noise = _checks.check_scalar(noise, "noise", where, min_val=0.0)
    decay = _checks.check_scalar(decay, "decay", where, min_val=0.0, strict_min=True)
    rng = numpy_rng(key)
    m = n * nnz_per_row // 2
    rows, cols = rng.integers(0, n, m), rng.integers(0, n, m)
    S = sp.coo_array((rng.standard_normal(m), (rows, cols)), shape=(n, n)).tocsr()
    S = S + S.T
    scale = float(abs(S).sum(axis=1).max()) or 1.0
    D = sp.diags_array(np.arange(1, n + 1, dtype=np.float64) ** -decay)
    return sp.csr_array(D + (noise / scale) * S)
