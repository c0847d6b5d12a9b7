"""Matrix completion by alternating minimisation with a spectral start (exact or inexact).

Jain–Netrapalli–Sanghavi: start from the top-k left singular vectors of the rescaled
observed matrix :math:`P_\\Omega(M)/p`, clip the rows of large norm (they would break
incoherence), re-orthonormalise, then alternate least-squares updates of V and U on the
observed entries only. Gu–Song–Yin–Zhang show that the updates may be *approximate*
(e.g. a few steps of an iterative solver) without losing the geometric convergence,
which brings the cost per iteration from :math:`\\tilde O(|\\Omega| k^2)` to
:math:`\\tilde O(|\\Omega| k)`. The loop is the weighted ALS engine of ``_weighted`` with
0/1 weights.
"""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from .. import sketch as _sketch
from ..display import implemented_by
from ._weighted import WeightedALSResult, _als_impl, _cg_solve, _gram_solve, _run_als

__all__ = ["spectral_init", "complete_matrix"]


def _mask(mask: Any, shape: tuple[int, int], where: str) -> jax.Array:
    arr = np.asarray(mask)
    if arr.dtype.kind not in "biuf":
        raise _checks.fail(where, "mask", "a boolean array (True = observed)",
                           f"dtype {arr.dtype}", exc=TypeError)
    if arr.shape != shape:
        raise _checks.fail(where, "mask", f"shape {shape} (that of M)", f"shape {arr.shape}")
    if arr.dtype.kind != "b":
        if not np.all(np.isfinite(arr)) or not np.all((arr == 0) | (arr == 1)):
            raise _checks.fail(where, "mask", "a boolean mask (or 0/1 values)",
                               "other values")
    if not arr.any():
        raise _checks.fail(where, "mask", "at least one observed entry", "an empty mask")
    return jnp.asarray(arr.astype(bool))


def _spectral_init_impl(M, W, k, clip, key):
    """Top-k left singular vectors of P(M)/p by the randomized SVD, then clipping."""
    m, n = M.shape
    over = min(10, min(m, n) - k)
    U = _sketch.randomized_svd(W * M / jnp.mean(W), k, key=key, oversampling=over,
                               n_power_iter=2).U
    return _clip(U, k, clip)


@functools.partial(jax.jit, static_argnums=(1,))
def _clip(U, k, clip):
    m = U.shape[0]
    keep = jnp.linalg.norm(U, axis=1) <= clip * jnp.sqrt(k / m)
    U = jnp.where(keep[:, None], U, 0.0)
    Q, R = jnp.linalg.qr(U)
    return Q * jnp.where(jnp.diagonal(R) < 0, -1.0, 1.0)[None, :], jnp.sum(~keep)


@implemented_by(_spectral_init_impl, _clip)
def _problem(M: Any, mask: Any, k: Any, key: Any, clip: Any, where: str):
    """The validated completion problem shared by :func:`spectral_init` and
    :func:`complete_matrix`: ``(M, W, k, key, clip)`` with the mask as M's dtype and
    ``clip = inf`` for None."""
    M = _checks.as_matrix(M, "M", where)
    W = _mask(mask, M.shape, where).astype(M.dtype)
    k = _checks.check_rank(k, "k", where, upper=min(M.shape) - 1,
                           upper_name="min(m, n) - 1")
    key = _checks.check_key(key, "key", where)
    c = np.inf if clip is None else _checks.check_scalar(clip, "clip", where, min_val=0.0,
                                                         strict_min=True)
    return M, W, k, key, c


def spectral_init(M: Any, mask: Any, k: int, *, key: jax.Array,
                  clip: float | None = 2.0) -> jax.Array:
    """Spectral start of alternating minimisation: clipped top-k left singular vectors.

    The top-k left singular vectors of :math:`P_\\Omega(M)/p` (unobserved entries set to 0,
    :math:`p = |\\Omega|/(mn)`), whose expectation is M. Rows with norm above
    :math:`c\\sqrt{k/m}` (an incoherent U has row norms near :math:`\\sqrt{k/m}`) are zeroed
    and the result re-orthonormalised :cite:p:`jain2013low`. The top-k vectors come from
    :func:`eigenbook.sketch.randomized_svd` (oversampling 10, two power iterations):
    :math:`O(mnk)`, not a full SVD.

    Parameters
    ----------
    M : array of shape (m, n)
        Observed values (entries outside ``mask`` are ignored; they must be finite).
    mask : bool array of shape (m, n)
        True where observed.
    k : int
        ``1 <= k < min(m, n)``.
    key : PRNG key
        Draws the randomized SVD's test matrix.
    clip : float, optional
        The clipping level :math:`c > 0` (None: no clipping).

    Returns
    -------
    array of shape (m, k)
        Orthonormal columns.

    Raises
    ------
    TypeError, ValueError
        Bad ``M``, ``mask`` (shape, values, nothing observed), ``k`` or ``clip``.

    References
    ----------
    :cite:p:`jain2013low`

    See Also
    --------
    scipy.sparse.linalg.svds : a sparse top-k SVD.
    complete_matrix : the iteration it starts.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.spectral_init"
    M, W, k, key, c = _problem(M, mask, k, key, clip, where)
    return _spectral_init_impl(M, W, k, c, key)[0]


@implemented_by(_als_impl, _gram_solve, _cg_solve)
def complete_matrix(M: Any, mask: Any, k: int, *, key: jax.Array, method: str = "exact",
                    cg_tol: float = 1e-2, max_cg_steps: int | None = None,
                    max_steps: int = 100, tol: float | None = None,
                    clip: float | None = 2.0, ridge: float = 0.0,
                    reference: Any = None) -> WeightedALSResult:
    """Low-rank matrix completion by alternating minimisation from a spectral start.

    Finds :math:`U V^\\top` (rank k) fitting the observed entries,
    :math:`\\min \\lVert P_\\Omega(M - U V^\\top) \\rVert_F`, by alternating least squares
    started at :func:`spectral_init` :cite:p:`jain2013low`. ``method="exact"`` solves every
    row's k x k normal equations; ``method="cg"`` runs warm-started conjugate gradients to a
    residual reduction ``cg_tol`` instead: the inexact updates of
    :cite:t:`gu2023low`, which keep the geometric convergence for moderate ``cg_tol``.
    Cost per iteration with the dense mask used here: :math:`O(mnk^2 + (m+n)k^3)` exact,
    :math:`O(mnk)` per CG step (a sparse implementation replaces mn by
    :math:`|\\Omega|`).

    Parameters
    ----------
    M : array of shape (m, n)
        Observed values (entries outside ``mask`` are ignored; they must be finite).
    mask : bool array of shape (m, n)
        True where observed.
    k : int
        Target rank, ``1 <= k < min(m, n)``.
    key : PRNG key
        For the randomized SVD of the spectral start.
    method : {"exact", "cg"}
    cg_tol : float
        CG stops, per row, once its residual has dropped by this factor in (0, 1].
    max_cg_steps : int, optional
        Cap on CG steps per half-step (default k).
    max_steps : int
        Cap on the iterations, ``>= 1``.
    tol : float, optional
        Stop when the relative residual on the observed entries is at most ``tol``
        (default :math:`\\sqrt{\\varepsilon}`).
    clip : float, optional
        Clipping level of :func:`spectral_init` (None: no clipping).
    ridge : float
        Added to each k x k Gram matrix (``>= 0``).
    reference : array of shape (m, n), optional
        The true matrix, to record the relative error after each iteration.

    Returns
    -------
    WeightedALSResult
        ``U`` (m, k), ``V`` (n, k), ``residuals`` and ``errors`` per iteration,
        ``n_steps``, ``cg_steps``, ``converged``.

    Raises
    ------
    TypeError, ValueError
        Bad inputs or options; a row or column with too few observations for its k x k
        solve (pass ``ridge > 0``).

    Warns
    -----
    ConvergenceWarning
        ``max_steps`` reached with the residual above ``tol``.

    References
    ----------
    :cite:p:`jain2013low,gu2023low`

    See Also
    --------
    scipy.linalg.lstsq : the per-row solve of the reference implementation.
    weighted_low_rank : general non-negative weights.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.complete_matrix"
    M, W, k, key, c = _problem(M, mask, k, key, clip, where)
    U0 = _spectral_init_impl(M, W, k, c, key)[0]
    return _run_als(where, M * W, W, U0, k, method=method, cg_tol=cg_tol,
                    max_cg_steps=max_cg_steps, max_steps=max_steps, tol=tol, ridge=ridge,
                    reference=reference, stop="residual",
                    hint="Raise max_steps, observe more entries, or lower k.")
