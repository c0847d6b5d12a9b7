"""M-FAC (static algorithm): inverse damped-Fisher products by the rank-one recursion.

``F = lambda I + (1/m) sum_i g_i g_i^T``. Sherman–Morrison applied m times gives
``F^{-1} x = x / lambda - sum_i v_i (v_i^T x) / (m + g_i^T v_i)``, with
``v_i = F_{i-1}^{-1} g_i``. Writing ``v_i = sum_j B_ij g_j`` turns the recursion into
one on the m x m lower-triangular coefficients ``B``, driven by the Gram matrix
``K = G G^T`` (O(d m^2) once, then O(m^3)); an inverse product is then two products
with ``G`` and two with ``B``: O(d m + m^2), never a d x d matrix.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from .. import _checks

__all__ = ["MFAC", "mfac_ihvp", "mfac_inverse_diagonal", "mfac_precompute"]


class MFAC(NamedTuple):
    """The precomputed M-FAC state of ``F = damping I + (1/m) G^T G``.

    Attributes
    ----------
    G : array of shape (m, d)
        The gradients.
    B : array of shape (m, m)
        Lower-triangular coefficients: ``v_i = F_{i-1}^{-1} g_i = sum_j B_ij g_j``.
    denominators : array of shape (m,)
        ``m + g_i^T v_i``.
    damping : array, scalar
        ``lambda``.
    """

    G: jax.Array
    B: jax.Array
    denominators: jax.Array
    damping: jax.Array


@jax.jit
def _precompute_impl(G, damping):
    m = G.shape[0]
    K = G @ G.T
    rows = jnp.arange(m)

    def step(i, carry):
        B, den = carry
        c = B @ K[:, i]                                # v_j^T g_i for j < i (rows >= i are 0)
        row = jnp.where(rows == i, 1.0 / damping, 0.0).astype(G.dtype) - (c / den) @ B
        B = B.at[i].set(row)
        den = den.at[i].set(m + row @ K[:, i])
        return B, den

    B0 = jnp.zeros((m, m), G.dtype)
    B, den = jax.lax.fori_loop(0, m, step, (B0, jnp.ones(m, G.dtype)))
    return B, den


def mfac_precompute(G: Any, *, damping: float) -> MFAC:
    """Precompute M-FAC's static inverse of ``F = damping I + (1/m) G^T G``.

    Parameters
    ----------
    G : array of shape (m, d)
        m gradients of dimension d (rows), e.g. :func:`sample_gradients`.
    damping : float
        ``lambda > 0``.

    Returns
    -------
    MFAC
        Cost O(d m^2) (the Gram matrix) plus O(m^3) (the recursion).

    Raises
    ------
    TypeError, ValueError
        ``G`` not a finite real 2-D array; ``damping <= 0``.

    References
    ----------
    * Frantar, E., Kurtic, E. & Alistarh, D. (2021). M-FAC: Efficient matrix-free
      approximations of second-order information. NeurIPS.
    """
    where = "curvature.mfac_precompute"
    if not isinstance(G, jax.core.Tracer):             # under jit: shapes only
        G = _checks.as_matrix(G, "G", where)
    elif G.ndim != 2:
        raise _checks.fail(where, "G", "an array of shape (m, d)", f"shape {tuple(G.shape)}")
    damping = _checks.check_scalar(damping, "damping", where, min_val=0.0, strict_min=True)
    lam = jnp.asarray(damping, G.dtype)
    B, den = _precompute_impl(G, lam)
    return MFAC(G, B, den, lam)


@jax.jit
def _ihvp_impl(G, B, den, damping, X):
    c = B @ (G @ X)                                    # v_i^T x, shape (m, b)
    return X / damping - G.T @ (B.T @ (c / den[:, None]))


def _check_state(state: Any, where: str) -> MFAC:
    if not isinstance(state, MFAC):
        raise _checks.fail(where, "state", "an MFAC (from curvature.mfac_precompute)",
                           type(state).__name__, exc=TypeError)
    return state


def mfac_ihvp(state: MFAC, x: Any) -> jax.Array:
    """Inverse damped-Fisher product ``F^{-1} x`` from the M-FAC state, O(d m + m^2).

    Parameters
    ----------
    state : MFAC
        From :func:`mfac_precompute`.
    x : array of shape (d,) or (d, b)
        Concrete input is validated; under ``jit`` only its shape is checked.

    Returns
    -------
    array of the shape of ``x``

    Raises
    ------
    TypeError, ValueError
        ``state`` not an MFAC; ``x`` of the wrong shape, NaN/inf.
    """
    where = "curvature.mfac_ihvp"
    state = _check_state(state, where)
    d = state.G.shape[1]
    if not isinstance(x, jax.core.Tracer):
        x = _checks.as_array(x, "x", where, ndim=(1, 2),
                             rule=f"an array of shape ({d},) or ({d}, b)")
    if x.ndim not in (1, 2) or x.shape[0] != d:
        raise _checks.fail(where, "x", f"first axis {d} (the gradient dimension)",
                           f"shape {tuple(x.shape)}")
    X = x[:, None] if x.ndim == 1 else x
    out = _ihvp_impl(state.G, state.B, state.denominators, state.damping, X.astype(state.G.dtype))
    return out[:, 0] if x.ndim == 1 else out


@jax.jit
def _diag_impl(G, B, den, damping):
    V = B @ G                                          # rows v_i, O(d m^2)
    return 1.0 / damping - jnp.sum(V * V / den[:, None], axis=0)


def mfac_inverse_diagonal(state: MFAC) -> jax.Array:
    """The diagonal of ``F^{-1}`` from the M-FAC state (for OBS pruning scores).

    ``[F^{-1}]_kk = 1/lambda - sum_i v_i[k]^2 / (m + g_i^T v_i)``: forming the m
    vectors ``v_i`` costs O(d m^2) once, then each element is O(m).

    Parameters
    ----------
    state : MFAC

    Returns
    -------
    array of shape (d,)
    """
    state = _check_state(state, "curvature.mfac_inverse_diagonal")
    return _diag_impl(state.G, state.B, state.denominators, state.damping)
