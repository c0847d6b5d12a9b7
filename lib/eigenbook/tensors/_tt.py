"""Tensor trains: TT-SVD and the contraction back to a full tensor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import as_array, check_int, check_scalar, fail
from ._tucker import _left_svd, _sequence


class TTDecomposition(NamedTuple):
    """A tensor train ``T[i_1, ..., i_d] ≈ G_1[:, i_1, :] G_2[:, i_2, :] ⋯ G_d[:, i_d, :]``.

    Attributes
    ----------
    cores : tuple of d jax.Array, the k-th of shape (r_{k-1}, n_k, r_k)
        ``r_0 = r_d = 1``.
    ranks : tuple of d + 1 int
        ``(1, r_1, ..., r_{d-1}, 1)``.
    relative_error : float
        :math:`\\lVert T - T_{TT}\\rVert_F / \\lVert T\\rVert_F`.
    """

    cores: tuple[jax.Array, ...]
    ranks: tuple[int, ...]
    relative_error: float


def _tt_full(cores):
    out = cores[0]
    for G in cores[1:]:
        out = jnp.tensordot(out, G, axes=(out.ndim - 1, 0))
    return out[0, ..., 0]


def tt_to_tensor(cores: Sequence[Any]) -> jax.Array:
    """Contract a tensor train back to the full tensor.

    Parameters
    ----------
    cores : sequence of d arrays, the k-th of shape (r_{k-1}, n_k, r_k), r_0 = r_d = 1

    Returns
    -------
    full : jax.Array of shape (n_1, ..., n_d)
        The contraction over all rank indices.

    Raises
    ------
    ValueError
        A core is not 3-D, or neighbouring ranks do not match.

    See Also
    --------
    tensorly.tt_to_tensor : the reference.
    """
    where = "tensors.tt_to_tensor"
    cores = tuple(as_array(G, "cores", where, ndim=3, rule="arrays of shape (r0, n, r1)")
                  for G in _sequence(cores, "cores", where, "3-D arrays"))
    if not cores or cores[0].shape[0] != 1 or cores[-1].shape[2] != 1:
        raise fail(where, "cores", "a non-empty train with r_0 = r_d = 1",
                   f"shapes {[tuple(G.shape) for G in cores]}")
    for k in range(1, len(cores)):
        if cores[k].shape[0] != cores[k - 1].shape[2]:
            raise fail(where, "cores", f"cores[{k}].shape[0] = cores[{k - 1}].shape[2]",
                       f"shapes {[tuple(G.shape) for G in cores]}")
    return _tt_full(cores)


def tt_svd(T, *, max_rank: int | Sequence[int] | None = None,
           eps: float | None = None) -> TTDecomposition:
    """TT-SVD: a tensor train by d - 1 sequential truncated SVDs.

    The tensor is reshaped to a matrix ``(n_1, n_2 ⋯ n_d)``; its truncated SVD gives the first
    core; the remaining factor ``Σ Vᵀ`` is reshaped to ``(r_1 n_2, n_3 ⋯ n_d)`` and the process
    repeats :cite:p:`oseledets2011tensor`. With ``eps`` each SVD drops a tail of norm at most
    :math:`\\varepsilon \\lVert T\\rVert_F / \\sqrt{d-1}`, so the train has relative error at
    most ``eps``; ``max_rank`` caps the ranks. Cost: dominated by the first SVD,
    :math:`O(n_1 N)`.

    Parameters
    ----------
    T : array_like of shape (n_1, ..., n_d), d >= 2
    max_rank : int or sequence of d - 1 ints, optional
        Rank caps ``r_k <= max_rank``.
    eps : float, optional
        Relative accuracy in (0, 1). With neither ``max_rank`` nor ``eps``, the exact train
        (every SVD keeps its nonzero singular values: the ranks of the unfoldings).

    Returns
    -------
    TTDecomposition
        ``cores`` (r_{k-1}, n_k, r_k), ``ranks``, ``relative_error``.

    Raises
    ------
    ValueError
        Bad ranks or ``eps``, ``T`` with fewer than 2 axes or NaN/inf.

    See Also
    --------
    tensorly.decomposition.tensor_train : the reference.

    Notes
    -----
    Explained in chapter :ref:`tensor-decompositions`.
    """
    where = "tensors.tt_svd"
    T = as_array(T, "T", where, rule="an array with at least 2 axes")
    if T.ndim < 2:
        raise fail(where, "T", "an array with at least 2 axes", f"shape {tuple(T.shape)}")
    d = T.ndim
    if max_rank is None:
        caps = (None,) * (d - 1)
    elif not isinstance(max_rank, (list, tuple)):
        caps = (check_int(max_rank, "max_rank", where, min_val=1),) * (d - 1)
    else:
        caps = tuple(check_int(r, "max_rank", where, min_val=1) for r in max_rank)
        if len(caps) != d - 1:
            raise fail(where, "max_rank", f"an int or d - 1 = {d - 1} ints", f"{tuple(max_rank)}")
    if eps is not None:
        eps = check_scalar(eps, "eps", where, min_val=0.0, max_val=1.0, strict_min=True)
    normT = float(jnp.linalg.norm(T))
    delta2 = 0.0 if eps is None else (eps * normT) ** 2 / (d - 1)
    cores, ranks = [], [1]
    C = T.reshape(T.shape[0], -1)
    for k in range(d - 1):
        U, s = _left_svd(C)
        s2 = np.asarray(s, dtype=float) ** 2
        tail = np.concatenate([np.cumsum(s2[::-1])[::-1], [0.0]])  # tail[r] = sum_{i >= r} s_i^2
        r = max(int(np.argmax(tail <= delta2)), 1)
        if caps[k] is not None:
            r = min(r, caps[k])
        cores.append(U[:, :r].reshape(ranks[-1], T.shape[k], r))
        ranks.append(r)
        C = (U[:, :r].T @ C).reshape(r * T.shape[k + 1], -1)  # = diag(s) Vᵀ, truncated
    cores.append(C.reshape(ranks[-1], T.shape[-1], 1))
    ranks.append(1)
    cores = tuple(cores)
    err = float(jnp.linalg.norm(T - _tt_full(cores))) / normT
    return TTDecomposition(cores, tuple(ranks), err)
