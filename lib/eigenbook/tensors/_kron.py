"""Kronecker algebra without forming the Kronecker product: products and structured solves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from .._checks import as_matrix, as_vector, check_scalar, check_symmetric, fail
from ._tucker import _multi_mode_product


def _factors(factors: Sequence[Any], where: str, square: bool = False) -> tuple[jax.Array, ...]:
    if isinstance(factors, (jax.Array,)) or not isinstance(factors, Sequence) or not factors:
        raise fail(where, "factors", "a non-empty sequence of matrices [A_1, ..., A_d]",
                   f"{type(factors).__name__}", exc=TypeError)
    return tuple(as_matrix(A, "factors", where, square=square) for A in factors)


def _rhs(x, n_cols, where, name):
    N = 1
    for n in n_cols:
        N *= n
    return as_vector(x, name, where, size=N)


@jax.jit
def _kron_matvec_impl(factors, x):
    X = x.reshape(tuple(A.shape[1] for A in factors))
    return _multi_mode_product(X, factors).reshape(-1)


def kron_matvec(factors: Sequence[Any], x) -> jax.Array:
    """``(A_1 ⊗ A_2 ⊗ ⋯ ⊗ A_d) x`` without forming the Kronecker product.

    With ``x`` the C-order flattening of a tensor ``X`` of shape (n_1, ..., n_d), the
    product is the flattening of ``X ×_1 A_1 ⋯ ×_d A_d`` (for d = 2:
    :math:`(A \\otimes B)\\operatorname{vec}(X) = \\operatorname{vec}(A X B^\\top)`).
    Cost :math:`O(N \\sum_k m_k)` against :math:`O(N M)` for the dense product
    (:math:`N = \\prod n_k`, :math:`M = \\prod m_k`).

    Parameters
    ----------
    factors : sequence of d arrays, the k-th of shape (m_k, n_k)
    x : array_like of shape (n_1 n_2 ⋯ n_d,)

    Returns
    -------
    y : jax.Array of shape (m_1 m_2 ⋯ m_d,)

    Raises
    ------
    TypeError
        ``factors`` is not a sequence of matrices.
    ValueError
        ``x`` has the wrong length or NaN/inf.

    See Also
    --------
    numpy.kron : the dense product.

    References
    ----------
    :cite:p:`vanloan2000ubiquitous`
    """
    where = "tensors.kron_matvec"
    factors = _factors(factors, where)
    x = _rhs(x, [A.shape[1] for A in factors], where, "x")
    return _kron_matvec_impl(factors, x)


@jax.jit
def _kron_solve_impl(factors, b):
    X = b.reshape(tuple(A.shape[0] for A in factors))
    for k, A in enumerate(factors):
        Xk = jnp.moveaxis(X, k, 0)
        X = jnp.moveaxis(jnp.linalg.solve(A, Xk.reshape(A.shape[0], -1)).reshape(Xk.shape), 0, k)
    return X.reshape(-1)


def kron_solve(factors: Sequence[Any], b) -> jax.Array:
    """Solve ``(A_1 ⊗ ⋯ ⊗ A_d) x = b`` one factor at a time.

    Uses :math:`(A_1 \\otimes \\cdots \\otimes A_d)^{-1} = A_1^{-1} \\otimes \\cdots \\otimes
    A_d^{-1}`: cost :math:`O(\\sum_k n_k^3 + N \\sum_k n_k)` instead of :math:`O(N^3)`.

    Parameters
    ----------
    factors : sequence of d square arrays, the k-th of shape (n_k, n_k), invertible
    b : array_like of shape (n_1 ⋯ n_d,)

    Returns
    -------
    x : jax.Array of shape (n_1 ⋯ n_d,)

    Raises
    ------
    TypeError
        ``factors`` is not a sequence of matrices.
    ValueError
        A factor is not square, or ``b`` has the wrong length or NaN/inf.

    See Also
    --------
    numpy.linalg.solve : the dense solve of ``np.kron(...)``.

    References
    ----------
    :cite:p:`vanloan2000ubiquitous`
    """
    where = "tensors.kron_solve"
    factors = _factors(factors, where, square=True)
    b = _rhs(b, [A.shape[0] for A in factors], where, "b")
    return _kron_solve_impl(factors, b)


@jax.jit
def _kron_sum_solve_impl(factors, b, shift):
    eig = [jnp.linalg.eigh(A) for A in factors]
    shape = tuple(A.shape[0] for A in factors)
    Bt = _multi_mode_product(b.reshape(shape), [Q for _, Q in eig], transpose=True)
    denom = shift
    for k, (w, _) in enumerate(eig):
        denom = denom + w.reshape((1,) * k + (-1,) + (1,) * (len(shape) - k - 1))
    return _multi_mode_product(Bt / denom, [Q for _, Q in eig]).reshape(-1)


def kron_sum_solve(factors: Sequence[Any], b, *, shift: float = 0.0) -> jax.Array:
    """Solve ``(A_1 ⊕ ⋯ ⊕ A_d + shift·I) x = b`` for symmetric ``A_k`` by eigendecomposition.

    The Kronecker sum :math:`A_1 \\oplus A_2 = A_1 \\otimes I + I \\otimes A_2` (for example
    the finite-difference Laplacian on a tensor grid) has the eigenvectors
    :math:`Q_1 \\otimes Q_2` and eigenvalues :math:`\\lambda_i + \\mu_j`, so
    :math:`x = (Q_1 \\otimes Q_2)\\, D^{-1} (Q_1 \\otimes Q_2)^\\top b` with mode products only
    (the fast diagonalisation method :cite:p:`lynch1964direct`). Cost
    :math:`O(\\sum_k n_k^3 + N\\sum_k n_k)`.

    Parameters
    ----------
    factors : sequence of d symmetric arrays, the k-th of shape (n_k, n_k)
    b : array_like of shape (n_1 ⋯ n_d,)
    shift : float
        Added to the diagonal; the sum must be non-singular.

    Returns
    -------
    x : jax.Array of shape (n_1 ⋯ n_d,)

    Raises
    ------
    ValueError
        A factor is not symmetric, or ``b`` has the wrong length or NaN/inf.
    TypeError
        ``factors`` is not a list or tuple of 2-D arrays.

    See Also
    --------
    scipy.linalg.solve_sylvester : the d = 2 case as a matrix equation.

    References
    ----------
    :cite:p:`lynch1964direct,vanloan2000ubiquitous`
    """
    where = "tensors.kron_sum_solve"
    factors = tuple(check_symmetric(A, "factors", where)
                    for A in _factors(factors, where, square=True))
    b = _rhs(b, [A.shape[0] for A in factors], where, "b")
    shift = check_scalar(shift, "shift", where)
    return _kron_sum_solve_impl(factors, b, shift)
