"""Sharded TSQR and randomized SVD over a 1-D device mesh."""

from __future__ import annotations

import contextlib
import functools
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp

from .. import _checks
from .._results import QRResult, SVDResult
from ..display import implemented_by
from ._rsvd import _qr_pos


def _mesh_axis(mesh: Any, A: jax.Array, where: str) -> tuple[str, int]:
    if not isinstance(mesh, jax.sharding.Mesh) or len(mesh.axis_names) != 1:
        raise _checks.fail(where, "mesh", "a 1-D jax.sharding.Mesh",
                           f"{type(mesh).__name__}", exc=TypeError)
    name = mesh.axis_names[0]
    n_dev = mesh.devices.size
    if A.shape[0] % n_dev:
        raise _checks.fail(where, "A", f"a row count divisible by the {n_dev} devices",
                           f"{A.shape[0]} rows", "Pad A with zero rows.")
    return name, n_dev


def _tsqr_local(Y, axis):
    """TSQR body (inside shard_map): local QR, gather the R factors, QR of the stack."""
    Q1, R1 = _qr_pos(Y)
    Rs = jax.lax.all_gather(R1, axis, tiled=True)  # (p * l, l), replicated
    Q2, R = _qr_pos(Rs)
    ell = Y.shape[1]
    blk = jax.lax.dynamic_slice_in_dim(Q2, jax.lax.axis_index(axis) * ell, ell, axis=0)
    return Q1 @ blk, R


@implemented_by(_tsqr_local)
def sharded_tsqr(A: Any, mesh: jax.sharding.Mesh) -> QRResult:
    """Tall-skinny QR of a row-sharded matrix over a 1-D device mesh (one reduction step).

    Each device factors its block :math:`A_i = Q_i R_i`; the small factors are
    all-gathered, :math:`[R_1; \\dots; R_P] = \\tilde Q R`, and device ``i``
    forms :math:`Q_i \\tilde Q_i`. Communication: :math:`P d^2` numbers, once.
    Both factors are normalised to a non-negative diagonal of ``R``, so the
    result equals :func:`qr_positive` up to round-off.

    Parameters
    ----------
    A : array_like of shape (n, d)
        Full column rank; ``n`` divisible by the number of devices and
        ``n / P >= d``.
    mesh : jax.sharding.Mesh
        A 1-D mesh; rows of ``A`` are split over its axis.

    Returns
    -------
    QRResult
        ``Q`` of shape (n, d), row-sharded over the mesh; ``R`` of shape (d, d),
        replicated.

    Raises
    ------
    TypeError
        ``mesh`` not a 1-D mesh; bad ``A``.
    ValueError
        ``n`` not divisible by the device count, or blocks shorter than ``d``.

    References
    ----------
    :cite:p:`demmel2012communication`

    See Also
    --------
    numpy.linalg.qr, qr_positive

    Notes
    -----
    Explained in the chapter :ref:`randomized` (scale-out section).
    """
    where = "sketch.sharded_tsqr"
    A = _checks.as_matrix(A, "A", where)
    axis, n_dev = _mesh_axis(mesh, A, where)
    if A.shape[0] // n_dev < A.shape[1]:
        raise _checks.fail(where, "A", f"blocks of at least d = {A.shape[1]} rows",
                           f"{A.shape[0] // n_dev} rows per device")
    with _blas_threads_for(mesh):
        return QRResult(*jax.block_until_ready(
            _sharded_tsqr_fn(mesh, axis)(_shard_rows(A, mesh, axis))))


def _blas_threads_for(mesh):
    """One BLAS thread per simulated CPU device.

    Several CPU "devices" in one process run their LAPACK calls (QR) concurrently;
    if each also starts a multi-threaded BLAS, the threads oversubscribe the cores
    and a millisecond QR can take seconds. Limit BLAS to one thread while the
    sharded program runs (``threadpoolctl``, when installed).
    """
    if mesh.devices.size > 1 and mesh.devices.flat[0].platform == "cpu":
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
            return contextlib.nullcontext()
        return threadpool_limits(1)
    return contextlib.nullcontext()


def _specs():
    from jax.sharding import PartitionSpec as P
    return P


def _shard_rows(A, mesh, axis):
    """Place ``A`` on the mesh, rows split over ``axis`` (a no-op if already there)."""
    P = _specs()
    return jax.device_put(A, jax.sharding.NamedSharding(mesh, P(axis, None)))


@functools.lru_cache(maxsize=32)
def _sharded_tsqr_fn(mesh, axis):
    P = _specs()
    fn = jax.shard_map(partial(_tsqr_local, axis=axis), mesh=mesh,
                       in_specs=P(axis, None), out_specs=(P(axis, None), P()),
                       check_vma=False)  # R is replicated: all devices factor the same stack
    return jax.jit(fn)


def _rsvd_local(A, omega, *, axis, k, q):
    Q, _ = _tsqr_local(A @ omega, axis)
    for _ in range(q):
        Z = _qr_pos(jax.lax.psum(A.T @ Q, axis))[0]
        Q, _ = _tsqr_local(A @ Z, axis)
    Bt = jax.lax.psum(A.T @ Q, axis)  # (n, l) = (Q^T A)^T, replicated
    Ub, s, Vt = jnp.linalg.svd(Bt.T, full_matrices=False)
    U, s, Vt = Q @ Ub[:, :k], s[:k], Vt[:k]
    # the sign convention of _results.fix_signs, over the row blocks: the entry of largest
    # magnitude of each column is found per block, then across blocks (first block wins ties)
    idx = jnp.argmax(jnp.abs(U), axis=0)
    local = jnp.sum(jnp.where(jnp.arange(U.shape[0])[:, None] == idx[None, :], U, 0), axis=0)
    blocks = jax.lax.all_gather(local, axis)                    # (P, k)
    best = blocks[jnp.argmax(jnp.abs(blocks), axis=0), jnp.arange(k)]
    sgn = jnp.where(best == 0, 1.0, jnp.sign(best))
    U, Vt = U * sgn[None, :], Vt * sgn[:, None]
    # explicit residuals, as _results.svd_result: local rows of A V - U S, summed A^T U
    r1 = jax.lax.psum(jnp.sum((A @ Vt.T - U * s[None, :]) ** 2, axis=0), axis)
    r2 = jnp.sum((jax.lax.psum(A.T @ U, axis) - Vt.T * s[None, :]) ** 2, axis=0)
    return U, s, Vt, jnp.sqrt(r1 + r2)


@functools.lru_cache(maxsize=32)
def _sharded_rsvd_fn(mesh, axis, k, q):
    """The jitted shard_map program, built once per (mesh, k, q) so that calls hit the cache."""
    P = _specs()
    return jax.jit(jax.shard_map(partial(_rsvd_local, axis=axis, k=k, q=q), mesh=mesh,
                                 in_specs=(P(axis, None), P()),
                                 out_specs=(P(axis, None), P(), P(), P()), check_vma=False))


@implemented_by(_tsqr_local, _rsvd_local)
def sharded_randomized_svd(A: Any, k: int, *, key: jax.Array, mesh: jax.sharding.Mesh,
                           oversampling: int = 10, n_power_iter: int = 2,
                           tol: float | None = None) -> SVDResult:
    """Randomized SVD of a row-sharded matrix over a 1-D device mesh.

    The same algorithm and test matrix as :func:`randomized_svd` (so the same
    ``key`` gives the same result up to round-off): products :math:`A\\Omega`
    are local, products :math:`A^\\top Q` are local followed by a ``psum``,
    orthonormalisation of the tall factors is :func:`sharded_tsqr`, and the small
    SVD of :math:`Q^\\top A` is replicated.

    Parameters
    ----------
    A : array_like of shape (m, n)
        ``m`` divisible by the device count, blocks of at least ``k + oversampling`` rows.
    k : int
        Rank.
    key : PRNG key
    mesh : jax.sharding.Mesh
        A 1-D mesh.
    oversampling, n_power_iter, tol
        As in :func:`randomized_svd`.

    Returns
    -------
    SVDResult
        ``U`` row-sharded, ``s`` and ``Vt`` replicated; residuals and signs as
        :func:`randomized_svd`.

    Raises
    ------
    TypeError, ValueError
        As :func:`randomized_svd` and :func:`sharded_tsqr`.

    References
    ----------
    :cite:p:`halko2011finding,demmel2012communication`

    See Also
    --------
    sklearn.utils.extmath.randomized_svd, randomized_svd

    Notes
    -----
    Explained in the chapter :ref:`randomized` (scale-out section).
    """
    where = "sketch.sharded_randomized_svd"
    A = _checks.as_matrix(A, "A", where)
    key = _checks.check_key(key, "key", where)
    axis, n_dev = _mesh_axis(mesh, A, where)
    p = _checks.check_int(oversampling, "oversampling", where, min_val=0)
    k = _checks.check_rank(k, "k", where, upper=min(A.shape) - p,
                           upper_name="min(m, n) - oversampling")
    q = _checks.check_int(n_power_iter, "n_power_iter", where, min_val=0)
    if A.shape[0] // n_dev < k + p:
        raise _checks.fail(where, "A", f"blocks of at least k + oversampling = {k + p} rows",
                           f"{A.shape[0] // n_dev} rows per device")
    omega = jax.random.normal(key, (A.shape[1], k + p), dtype=A.dtype)
    P = _specs()
    fn = _sharded_rsvd_fn(mesh, axis, k, q)
    omega = jax.device_put(omega, jax.sharding.NamedSharding(mesh, P()))
    tol = _checks.check_tol(tol, A.dtype, where)
    with _blas_threads_for(mesh):
        U, s, Vt, res = jax.block_until_ready(fn(_shard_rows(A, mesh, axis), omega))
    return SVDResult(U, s, Vt, res, res <= tol * jnp.maximum(s[0], 1e-300))
