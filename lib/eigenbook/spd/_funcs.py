"""Validation of SPD inputs and matrix functions by eigendecomposition."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook import _checks

__all__ = ["sqrtm", "invsqrtm", "logm", "expm", "powm"]

_RULE = "an array of shape (n, n) or (N, n, n)"


def _as_sym(X: Any, name: str, where: str, *, spd: bool = True,
            ndim: tuple[int, ...] = (2, 3)) -> jax.Array:
    """``X`` as float64 symmetric (and, if ``spd``, positive definite) matrices.

    Checks on the host: real, finite, ``ndim`` in ``ndim``, square trailing axes,
    symmetric to ``1e-10`` relative, and (``spd``) a Cholesky factor exists.
    Returns the exactly symmetrised JAX array.
    """
    rule = _RULE if ndim == (2, 3) else (
        "an array of shape (n, n)" if ndim == (2,) else "an array of shape (N, n, n)")
    a = _checks.as_host(X, name, where, ndim=ndim, rule=rule)
    if a.shape[-1] != a.shape[-2]:
        raise _checks.fail(where, name, "square matrices (..., n, n)", f"shape {a.shape}")
    scale = max(float(np.max(np.abs(a))), 1e-300)
    asym = float(np.max(np.abs(a - np.swapaxes(a, -1, -2))))
    if asym > 1e-10 * scale:
        raise _checks.fail(where, name, "symmetric matrices", f"max |X - X^T| = {asym:.2e}",
                           "Symmetrise it, e.g. (X + X.T) / 2.")
    a = (a + np.swapaxes(a, -1, -2)) / 2
    if spd:
        try:
            np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise _checks.fail(where, name, "symmetric positive definite matrices",
                               "a matrix that is not positive definite",
                               "Regularise it, e.g. X + 1e-6 * trace(X) / n * I.") from None
    return jnp.asarray(a)


def _eig_apply(X: jax.Array, f: Callable[[jax.Array], jax.Array]) -> jax.Array:
    """``U f(Λ) Uᵀ`` over the trailing two axes."""
    w, U = jnp.linalg.eigh(X)
    return (U * f(w)[..., None, :]) @ jnp.swapaxes(U, -1, -2)


@partial(jax.jit, static_argnames="kind")
def _fun(X: jax.Array, kind: str) -> jax.Array:
    f = {"sqrt": jnp.sqrt, "invsqrt": lambda w: 1 / jnp.sqrt(w), "log": jnp.log,
         "exp": jnp.exp}[kind]
    return _eig_apply(X, f)


@jax.jit
def _pow(X: jax.Array, p: jax.Array) -> jax.Array:
    return _eig_apply(X, lambda w: w ** p)


def _sqrt_isqrt(X: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``X^{1/2}`` and ``X^{-1/2}`` from one eigendecomposition (traceable)."""
    w, U = jnp.linalg.eigh(X)
    Ut = jnp.swapaxes(U, -1, -2)
    s = jnp.sqrt(w)[..., None, :]
    return (U * s) @ Ut, (U / s) @ Ut


def _doc(kind: str, formula: str, domain: str) -> str:
    return f"""The matrix {kind} ``{formula}`` of {domain} by eigendecomposition.

    ``X = U diag(λ) Uᵀ`` (``jnp.linalg.eigh``), then ``U diag(f(λ)) Uᵀ``: exact for a
    symmetric argument, one ``O(n³)`` eigendecomposition per matrix, and differentiable
    (the derivative is the Daleckii–Krein formula; it is well conditioned when the
    eigenvalues are well separated or ``f`` is smooth).

    Parameters
    ----------
    X : array_like of shape (n, n) or (N, n, n)
        {domain.capitalize()}.

    Returns
    -------
    jax.Array of the shape of ``X``

    Raises
    ------
    TypeError
        Not a real numeric array.
    ValueError
        Wrong shape, NaN/inf, not symmetric{", not positive definite" if "SPD" in domain else ""}.
    """


def sqrtm(X: Any) -> jax.Array:
    return _fun(_as_sym(X, "X", "spd.sqrtm"), "sqrt")


def invsqrtm(X: Any) -> jax.Array:
    return _fun(_as_sym(X, "X", "spd.invsqrtm"), "invsqrt")


def logm(X: Any) -> jax.Array:
    return _fun(_as_sym(X, "X", "spd.logm"), "log")


def expm(X: Any) -> jax.Array:
    return _fun(_as_sym(X, "X", "spd.expm", spd=False), "exp")


sqrtm.__doc__ = _doc("square root", "X^{1/2}", "SPD matrices")
invsqrtm.__doc__ = _doc("inverse square root", "X^{-1/2}", "SPD matrices")
logm.__doc__ = _doc("logarithm", "log X", "SPD matrices")
expm.__doc__ = _doc("exponential", "exp X", "symmetric matrices")


def powm(X: Any, p: float) -> jax.Array:
    """The matrix power ``X^p`` of SPD matrices by eigendecomposition.

    ``U diag(λ^p) Uᵀ``; ``p`` any real (negative powers are inverses). As ``p → 0``,
    ``(X^p - I) / p → log X``: the power deformation of chapter 16.

    Parameters
    ----------
    X : array_like of shape (n, n) or (N, n, n)
        SPD matrices.
    p : float
        The exponent (finite).

    Returns
    -------
    jax.Array of the shape of ``X``

    Raises
    ------
    TypeError
        Not a real array, or ``p`` not a real number.
    ValueError
        Wrong shape, NaN/inf, not symmetric positive definite; ``p`` not finite.
    """
    where = "spd.powm"
    X = _as_sym(X, "X", where)
    p = _checks.check_scalar(p, "p", where)
    return _pow(X, jnp.asarray(p, X.dtype))
