"""Karhunen–Loève bases, the DCT as the KLT of AR(1), and decorrelation measures."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import as_matrix, check_int, check_scalar, check_symmetric, fail


class KLTBasis(NamedTuple):
    """An orthonormal eigenbasis of a correlation (or covariance) matrix.

    Attributes
    ----------
    basis : jax.Array of shape (n, n)
        Orthonormal eigenvectors as columns, by decreasing eigenvalue; each column's entry
        of largest magnitude is positive (one sign convention).
    eigenvalues : jax.Array of shape (n,)
        Decreasing.
    """

    basis: jax.Array
    eigenvalues: jax.Array


def ar1_covariance(n: int, rho: float) -> jax.Array:
    """The stationary correlation matrix of an AR(1) process, :math:`C_{ij} = \\rho^{|i-j|}`.

    A symmetric Toeplitz (Kac–Murdock–Szegő) matrix. Its eigenvectors tend to the DCT-II
    basis as :math:`\\rho \\to 1` :cite:p:`ahmed1974discrete`: the DCT is the asymptotic
    Karhunen–Loève transform of highly correlated Markov-1 signals.

    Parameters
    ----------
    n : int
        Size, ``>= 1``.
    rho : float
        Lag-one correlation, ``-1 < rho < 1``.

    Returns
    -------
    C : jax.Array of shape (n, n)
        Symmetric positive definite.

    Raises
    ------
    TypeError
        ``n`` not an int or ``rho`` not a real number.
    ValueError
        ``n < 1`` or ``|rho| >= 1``.

    See Also
    --------
    scipy.linalg.toeplitz
    klt_basis

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.ar1_covariance"
    n = check_int(n, "n", where, min_val=1)
    rho = check_scalar(rho, "rho", where)
    if abs(rho) >= 1:
        raise fail(where, "rho", "-1 < rho < 1 (a stationary AR(1))", f"rho={rho}")
    lag = np.abs(np.arange(n)[:, None] - np.arange(n)[None, :])
    return jnp.asarray(np.power(rho, lag, dtype=np.float64), dtype=jnp.result_type(float))


@jax.jit
def _klt_impl(C):
    w, V = jnp.linalg.eigh(C)
    w, V = w[::-1], V[:, ::-1]
    idx = jnp.argmax(jnp.abs(V), axis=0)
    sign = jnp.sign(V[idx, jnp.arange(V.shape[1])])
    return V * jnp.where(sign == 0, 1.0, sign), w


def klt_basis(C: Any) -> KLTBasis:
    """The Karhunen–Loève basis of a symmetric matrix: its eigenvectors, largest first.

    Parameters
    ----------
    C : array_like of shape (n, n)
        Symmetric (a covariance or correlation matrix).

    Returns
    -------
    KLTBasis
        ``basis`` (n, n) with orthonormal columns (sign: largest-magnitude entry positive),
        ``eigenvalues`` (n,) decreasing.

    Raises
    ------
    TypeError
        ``C`` not numeric.
    ValueError
        ``C`` not square, not symmetric, empty or not finite.

    References
    ----------
    :cite:p:`ahmed1974discrete`

    See Also
    --------
    numpy.linalg.eigh
    orthotrans_basis : the same basis for the lag correlation of a series.

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.klt_basis"
    C = check_symmetric(as_matrix(C, "C", where, square=True), "C", where)
    V, w = _klt_impl(C)
    return KLTBasis(V, w)


def basis_alignment(Q: Any, P: Any) -> jax.Array:
    """Column-by-column alignment :math:`|\\langle q_k, p_k\\rangle|` of two bases.

    Parameters
    ----------
    Q, P : array_like of shape (n, k)
        Two sets of ``k`` unit columns in the same order (e.g. a KLT basis and the DCT-II
        basis of :func:`eigenbook.orth.dct_matrix`).

    Returns
    -------
    alignment : jax.Array of shape (k,)
        In [0, 1] for unit columns; 1 when the ``k``-th columns agree up to sign.

    Raises
    ------
    TypeError
        ``Q`` or ``P`` not numeric.
    ValueError
        Not 2-D, shapes differ, empty or not finite.

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.basis_alignment"
    Q = as_matrix(Q, "Q", where)
    P = as_matrix(P, "P", where)
    if Q.shape != P.shape:
        raise fail(where, "P", f"the shape of Q {tuple(Q.shape)}", f"shape {tuple(P.shape)}")
    return jnp.abs(jnp.sum(Q * P, axis=0))


def offdiagonal_energy(C: Any) -> float:
    """Share of a matrix's squared Frobenius norm that lies off the diagonal.

    :math:`\\sum_{i\\ne j} C_{ij}^2 / \\sum_{ij} C_{ij}^2`: 0 for a diagonal (decorrelated)
    matrix, close to 1 for a strongly correlated one.

    Parameters
    ----------
    C : array_like of shape (n, n)

    Returns
    -------
    share : float
        In [0, 1].

    Raises
    ------
    TypeError
        ``C`` not numeric.
    ValueError
        ``C`` not square, empty, not finite, or zero.

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.offdiagonal_energy"
    C = np.asarray(as_matrix(C, "C", where, square=True))
    total = float(np.sum(C**2))
    if total == 0:
        raise fail(where, "C", "a non-zero matrix", "all zeros")
    return float((total - float(np.sum(np.diag(C) ** 2))) / total)
