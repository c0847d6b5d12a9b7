"""Unfoldings, mode products and the Tucker format: HOSVD and HOOI."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import (
    as_array,
    as_matrix,
    check_int,
    check_scalar,
    check_tol,
    fail,
    warn_unconverged,
)


class TuckerDecomposition(NamedTuple):
    """A Tucker tensor ``T ≈ G ×_1 U_1 ×_2 U_2 ⋯ ×_d U_d``.

    Attributes
    ----------
    core : jax.Array of shape (r_1, ..., r_d)
        The core tensor ``G``.
    factors : tuple of jax.Array, the k-th of shape (n_k, r_k)
        Factor matrices with orthonormal columns.
    relative_error : float
        :math:`\\lVert T - [G; U_1, \\dots, U_d] \\rVert_F / \\lVert T \\rVert_F`.
    n_iter : int
        HOOI sweeps run (0 for the HOSVD).
    converged : bool
        HOOI met its tolerance (always True for the HOSVD).
    """

    core: jax.Array
    factors: tuple[jax.Array, ...]
    relative_error: float
    n_iter: int
    converged: bool


def _tensor(T: Any, where: str, name: str = "T", min_ndim: int = 2) -> jax.Array:
    T = as_array(T, name, where, rule=f"an array with at least {min_ndim} axes")
    if T.ndim < min_ndim:
        raise fail(where, name, f"an array with at least {min_ndim} axes",
                   f"shape {tuple(T.shape)}")
    return T


def _sequence(x: Any, name: str, where: str, what: str) -> tuple:
    """``x`` as a tuple of its items: a list or tuple (of arrays), not an array or a number."""
    if not isinstance(x, (list, tuple)):
        raise fail(where, name, f"a list or tuple of {what}", f"{type(x).__name__}",
                   exc=TypeError)
    return tuple(x)


def _mode(mode: Any, ndim: int, where: str) -> int:
    return check_int(mode, "mode", where, min_val=0, max_val=ndim - 1)


def _unfold(T, mode):
    return jnp.moveaxis(T, mode, 0).reshape(T.shape[mode], -1)


def _mode_product(T, M, mode):
    return jnp.moveaxis(jnp.tensordot(M, T, axes=(1, mode)), 0, mode)


def _multi_mode_product(T, mats, transpose=False, skip=None):
    for k, M in enumerate(mats):
        if k != skip:
            T = _mode_product(T, M.T if transpose else M, k)
    return T


def unfold(T, mode: int) -> jax.Array:
    """Mode-``k`` unfolding (matricization) of a tensor.

    Row ``i`` of the result holds the mode-``k`` fibre entries ``T[..., i, ...]``; the other
    axes are flattened in C order (the convention of TensorLy's ``unfold``).

    Parameters
    ----------
    T : array_like of shape (n_1, ..., n_d)
    mode : int
        ``0 <= mode < d``.

    Returns
    -------
    T_k : jax.Array of shape (n_mode, prod of the other n_j)

    Raises
    ------
    ValueError
        ``T`` has fewer than 1 axis, holds NaN/inf, or ``mode`` is out of range.

    See Also
    --------
    fold : the inverse.
    tensorly.base.unfold : the same convention.

    Notes
    -----
    Explained in chapter :ref:`tensor-decompositions`.
    """
    where = "tensors.unfold"
    T = _tensor(T, where, min_ndim=1)
    return _unfold(T, _mode(mode, T.ndim, where))


def fold(M, mode: int, shape: Sequence[int]) -> jax.Array:
    """Inverse of :func:`unfold`: the tensor of ``shape`` whose mode-``mode`` unfolding is ``M``.

    Parameters
    ----------
    M : array_like of shape (shape[mode], prod of the other sizes)
    mode : int
    shape : sequence of int
        ``(n_1, ..., n_d)``.

    Returns
    -------
    T : jax.Array of shape ``shape``

    Raises
    ------
    ValueError
        ``M`` does not have ``prod(shape)`` entries with ``shape[mode]`` rows.
    """
    where = "tensors.fold"
    M = as_matrix(M, "M", where)
    shape = tuple(check_int(s, "shape", where, min_val=1) for s in shape)
    mode = _mode(mode, len(shape), where)
    if M.shape != (shape[mode], int(np.prod(shape)) // shape[mode]):
        raise fail(where, "M", f"shape ({shape[mode]}, {int(np.prod(shape)) // shape[mode]}) "
                   f"for shape={shape}, mode={mode}", f"shape {tuple(M.shape)}")
    rest = shape[:mode] + shape[mode + 1:]
    return jnp.moveaxis(M.reshape((shape[mode],) + rest), 0, mode)


def mode_product(T, M, mode: int) -> jax.Array:
    """Mode-``k`` product ``T ×_k M``: every mode-``k`` fibre of ``T`` multiplied by ``M``.

    ``unfold(T ×_k M, k) = M @ unfold(T, k)``. Cost :math:`O(m\\, n_1 \\cdots n_d)`.

    Parameters
    ----------
    T : array_like of shape (n_1, ..., n_d)
    M : array_like of shape (m, n_mode)
    mode : int

    Returns
    -------
    jax.Array of shape (n_1, ..., m, ..., n_d)
        Axis ``mode`` replaced by ``m``.

    Raises
    ------
    ValueError
        ``M`` is not 2-D with ``T.shape[mode]`` columns, or ``mode`` is out of range.

    See Also
    --------
    tensorly.tenalg.mode_dot : the reference.

    References
    ----------
    :cite:p:`kolda2009tensor`
    """
    where = "tensors.mode_product"
    T = _tensor(T, where, min_ndim=1)
    mode = _mode(mode, T.ndim, where)
    M = as_matrix(M, "M", where)
    if M.shape[1] != T.shape[mode]:
        raise fail(where, "M", f"a matrix with T.shape[{mode}] = {T.shape[mode]} columns",
                   f"shape {tuple(M.shape)}")
    return _mode_product(T, M, mode)


def _check_factors(core, factors, where):
    factors = tuple(as_matrix(U, "factors", where)
                    for U in _sequence(factors, "factors", where, "matrices"))
    if len(factors) != core.ndim:
        raise fail(where, "factors", f"core.ndim = {core.ndim} matrices", f"{len(factors)}")
    for k, U in enumerate(factors):
        if U.shape[1] != core.shape[k]:
            raise fail(where, "factors", f"factors[{k}].shape[1] = core.shape[{k}] = "
                       f"{core.shape[k]}", f"shape {tuple(U.shape)}")
    return factors


def tucker_to_tensor(core, factors: Sequence[Any]) -> jax.Array:
    """The full tensor ``G ×_1 U_1 ⋯ ×_d U_d`` of a Tucker decomposition.

    Parameters
    ----------
    core : array_like of shape (r_1, ..., r_d)
    factors : sequence of d arrays, the k-th of shape (n_k, r_k)

    Returns
    -------
    T : jax.Array of shape (n_1, ..., n_d)

    Raises
    ------
    ValueError
        The factor count or shapes do not match the core.

    See Also
    --------
    tensorly.tucker_to_tensor : the reference.
    """
    where = "tensors.tucker_to_tensor"
    core = _tensor(core, where, "core", min_ndim=1)
    return _multi_mode_product(core, _check_factors(core, factors, where))


def _left_svd(M):
    """Left singular vectors and values of M; for a wide M through the R of a QR of Mᵀ
    (``M = Rᵀ Qᵀ`` has the left singular vectors of the small ``Rᵀ``; backward stable, and the
    right singular vectors are never formed)."""
    if M.shape[0] < M.shape[1]:
        M = jnp.linalg.qr(M.T, mode="r").T
    U, s, _ = jnp.linalg.svd(M, full_matrices=False)
    return U, s


def _leading_left(M, r):
    return _left_svd(M)[0][:, :r]


def _sign_fix(U):
    # the largest-magnitude entry of each column positive (deterministic signs)
    idx = jnp.argmax(jnp.abs(U), axis=0)
    s = jnp.sign(U[idx, jnp.arange(U.shape[1])])
    return U * jnp.where(s == 0, 1.0, s)


@jax.jit
def _mode_singular_values(T):
    return tuple(_left_svd(_unfold(T, k))[1] for k in range(T.ndim))


def multilinear_singular_values(T) -> tuple[jax.Array, ...]:
    """Singular values of each unfolding: the mode-k spectra that set the Tucker ranks.

    Parameters
    ----------
    T : array_like of shape (n_1, ..., n_d)

    Returns
    -------
    tuple of d jax.Array, the k-th of shape (min(n_k, prod of the others),)
        Descending.

    Raises
    ------
    ValueError
        ``T`` has fewer than 2 axes or holds NaN/inf.

    References
    ----------
    :cite:p:`delathauwer2000multilinear`
    """
    return _mode_singular_values(_tensor(T, "tensors.multilinear_singular_values"))


def _eps_ranks(svals, eps, d):
    """Smallest ranks with sum over modes of the discarded tails <= eps^2 ||T||^2."""
    ranks = []
    for s in svals:
        s = np.asarray(s, dtype=float)
        total = float(np.sum(s**2))
        tail = np.concatenate([np.cumsum((s**2)[::-1])[::-1], [0.0]])  # tail[r] = sum_{i>=r}
        ranks.append(int(np.argmax(tail <= eps**2 * total / d)))
    return tuple(max(r, 1) for r in ranks)


def tucker_eps_ranks(spectra: Sequence[Any], eps: float) -> tuple[int, ...]:
    """The ε-ranks of a tensor from its mode spectra: the ranks :func:`hosvd` picks for ``eps``.

    The smallest :math:`r_k` with :math:`\\sum_{i > r_k} \\sigma^{(k)2}_i \\le \\varepsilon^2
    \\lVert T\\rVert_F^2 / d` in every mode (so the HOSVD error is at most
    :math:`\\varepsilon\\lVert T\\rVert_F`). Computing the spectra once and calling this for many
    ``eps`` avoids repeated SVDs.

    Parameters
    ----------
    spectra : sequence of d arrays
        The output of :func:`multilinear_singular_values`.
    eps : float
        In (0, 1).

    Returns
    -------
    tuple of d int

    Raises
    ------
    ValueError
        ``eps`` out of range, or an empty or non-finite spectrum.
    """
    where = "tensors.tucker_eps_ranks"
    eps = check_scalar(eps, "eps", where, min_val=0.0, max_val=1.0, strict_min=True)
    spectra = [np.asarray(as_array(s, "spectra", where, ndim=1, rule="1-D arrays of singular "
                                   "values"))
               for s in _sequence(spectra, "spectra", where, "1-D arrays")]
    if not spectra:
        raise fail(where, "spectra", "one spectrum per mode", "none")
    return _eps_ranks(spectra, eps, len(spectra))


@partial(jax.jit, static_argnames=("ranks",))
def _hosvd_impl(T, ranks):
    factors = tuple(_sign_fix(_leading_left(_unfold(T, k), r)) for k, r in enumerate(ranks))
    core = _multi_mode_product(T, factors, transpose=True)
    return core, factors


def _rel_error(T, core, factors):
    return float(jnp.linalg.norm(T - _multi_mode_product(core, factors)) / jnp.linalg.norm(T))


def _check_ranks(ranks, T, where):
    if not isinstance(ranks, (list, tuple)):
        ranks = (check_int(ranks, "ranks", where, min_val=1),) * T.ndim
    ranks = tuple(ranks)
    if len(ranks) != T.ndim:
        raise fail(where, "ranks", f"an int or {T.ndim} ints (one per mode)", f"{ranks}")
    return tuple(check_int(r, "ranks", where, min_val=1, max_val=int(n),
                           hint="Each rank must be between 1 and its mode's size.")
                 for r, n in zip(ranks, T.shape, strict=True))


def hosvd(T, ranks: int | Sequence[int] | None = None, *,
          eps: float | None = None) -> TuckerDecomposition:
    """Truncated higher-order SVD: the leading left singular vectors of every unfolding.

    Either the ``ranks`` are given, or the smallest ranks are chosen whose discarded mode
    spectra satisfy :math:`\\sum_k \\sum_{i > r_k} \\sigma^{(k)2}_i \\le \\varepsilon^2
    \\lVert T\\rVert_F^2`, which guarantees a relative error at most ``eps``
    :cite:p:`delathauwer2000multilinear`. The error is within :math:`\\sqrt d` of the best
    Tucker approximation of the same ranks. Cost: one SVD per unfolding,
    :math:`O(\\sum_k n_k N)` with :math:`N = \\prod n_k`, plus the projections.

    Parameters
    ----------
    T : array_like of shape (n_1, ..., n_d)
    ranks : int or sequence of d ints, optional
        Multilinear ranks ``1 <= r_k <= n_k``. At most one of ``ranks`` and ``eps``; with
        neither, the full ranks ``r_k = n_k`` (the exact HOSVD, as TensorLy's ``rank=None``).
    eps : float, optional
        Relative Frobenius accuracy in (0, 1); picks the ranks (the ε-ranks).

    Returns
    -------
    TuckerDecomposition
        ``core`` (r_1, ..., r_d), ``factors`` (n_k, r_k) with orthonormal columns (signs
        fixed: the largest entry of each column is positive), ``relative_error``,
        ``n_iter = 0``, ``converged = True``.

    Raises
    ------
    ValueError
        Both ``ranks`` and ``eps``; ranks out of range; ``T`` with NaN/inf.

    See Also
    --------
    hooi : the iterative refinement (Tucker-ALS).
    tensorly.decomposition.tucker : the reference (with ``n_iter_max=0``: HOSVD).

    Notes
    -----
    Explained in chapter :ref:`tensor-decompositions`.
    """
    where = "tensors.hosvd"
    T = _tensor(T, where)
    if ranks is not None and eps is not None:
        raise fail(where, "ranks", "at most one of ranks=... and eps=...",
                   f"ranks={ranks}, eps={eps}")
    if eps is not None:
        eps = check_scalar(eps, "eps", where, min_val=0.0, max_val=1.0, strict_min=True)
        ranks = _eps_ranks(_mode_singular_values(T), eps, T.ndim)
    elif ranks is None:
        ranks = tuple(int(n) for n in T.shape)
    ranks = _check_ranks(ranks, T, where)
    core, factors = _hosvd_impl(T, ranks)
    return TuckerDecomposition(core, factors, _rel_error(T, core, factors), 0, True)


@partial(jax.jit, static_argnames=("ranks",))
def _hooi_impl(T, factors, tol, max_steps, ranks):
    normT = jnp.linalg.norm(T)

    def sweep(factors):
        factors = list(factors)
        for k, r in enumerate(ranks):
            Y = _multi_mode_product(T, factors, transpose=True, skip=k)
            factors[k] = _sign_fix(_leading_left(_unfold(Y, k), r))
        core = _multi_mode_product(T, factors, transpose=True)
        # orthonormal factors: ||T - T_hat||^2 = ||T||^2 - ||G||^2
        err = jnp.sqrt(jnp.maximum(normT**2 - jnp.sum(core**2), 0.0)) / normT
        return tuple(factors), core, err

    def cond(state):
        _, _, err, prev, it = state
        return (it < max_steps) & (jnp.abs(prev - err) > tol)

    def body(state):
        factors, _, err, _, it = state
        factors, core, new = sweep(factors)
        return factors, core, new, err, it + 1

    core0 = _multi_mode_product(T, factors, transpose=True)
    err0 = jnp.sqrt(jnp.maximum(normT**2 - jnp.sum(core0**2), 0.0)) / normT
    state = (factors, core0, err0, err0 + 2 * tol + 1.0, jnp.asarray(0))
    factors, core, err, prev, it = jax.lax.while_loop(cond, body, state)
    return core, factors, it, jnp.abs(prev - err)


def hooi(T, ranks: int | Sequence[int], *, max_steps: int = 100,
         tol: float | None = None) -> TuckerDecomposition:
    """Higher-order orthogonal iteration (Tucker-ALS), started from the HOSVD.

    Each sweep replaces ``U_k`` by the leading ``r_k`` left singular vectors of the mode-k
    unfolding of :math:`T \\times_{j \\ne k} U_j^\\top`, the best ``U_k`` for the others
    fixed :cite:p:`delathauwer2000best`; the error never increases. It stops when the relative
    error changes by at most ``tol`` between sweeps, or after ``max_steps`` sweeps (then it
    warns with :class:`eigenbook.ConvergenceWarning`). Cost per sweep: :math:`O(r N)` for the
    projections, plus SVDs of size :math:`n_k \\times \\prod_{j\\ne k} r_j`.

    Parameters
    ----------
    T : array_like of shape (n_1, ..., n_d)
    ranks : int or sequence of d ints
        ``1 <= r_k <= n_k``.
    max_steps : int
        Cap on the sweeps, ``>= 1``.
    tol : float, optional
        Stop when the change of the relative error is at most ``tol``; default ``sqrt(eps)``
        of the dtype (1.5e-8 in float64), the stopping rule of TensorLy's ``tucker``.

    Returns
    -------
    TuckerDecomposition
        ``core``, ``factors`` (orthonormal), ``relative_error`` (computed from the full
        reconstruction), ``n_iter`` sweeps, ``converged``.

    Raises
    ------
    ValueError
        Ranks out of range, ``max_steps < 1``, ``T`` with NaN/inf.

    See Also
    --------
    hosvd : the initial guess.
    tensorly.decomposition.tucker : the reference HOOI.

    References
    ----------
    :cite:p:`delathauwer2000best,kolda2009tensor`
    """
    where = "tensors.hooi"
    T = _tensor(T, where)
    ranks = _check_ranks(ranks, T, where)
    max_steps = check_int(max_steps, "max_steps", where, min_val=1)
    tol = check_tol(tol, T.dtype, where)
    _, factors = _hosvd_impl(T, ranks)
    core, factors, it, change = _hooi_impl(T, factors, tol, max_steps, ranks)
    converged = bool(change <= tol)
    if not converged:
        warn_unconverged(where, tol=tol, reached=float(change), what="error change",
                         n_iter=int(it), hint="Raise max_steps.")
    return TuckerDecomposition(core, factors, _rel_error(T, core, factors), int(it), converged)
