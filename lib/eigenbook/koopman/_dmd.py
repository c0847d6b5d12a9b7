"""Dynamic mode decomposition: exact and projected DMD, delay embeddings, reconstruction."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from eigenbook import _checks

__all__ = ["DMDResult", "dmd", "dmd_reconstruct", "hankel"]


class DMDResult(NamedTuple):
    """A rank-r DMD of snapshot pairs ``Y ~= A X``.

    Attributes
    ----------
    eigenvalues : complex array of shape (r,)
        DMD eigenvalues (eigenvalues of the reduced operator ``Atilde``).
    modes : complex array of shape (n, r)
        DMD modes, exact (``Y V S^-1 w``) or projected (``U w``), by ``method``.
    amplitudes : complex array of shape (r,)
        Least-squares amplitudes of the first snapshot, ``modes @ b ~= X[:, 0]``.
    residuals : array of shape (r,)
        ResDMD residuals with the linear observables of the data:
        :math:`\\lVert (Y - \\lambda_j X) g_j \\rVert / \\lVert X g_j \\rVert` with
        :math:`g_j = V S^{-1} w_j` (0 for an exact eigenpair of a linear system).
    Atilde : array of shape (r, r)
        The reduced operator :math:`U^* Y V S^{-1}`.
    s : array of shape (min(n, m),)
        All singular values of ``X`` (the first ``r`` were kept).
    """

    eigenvalues: np.ndarray
    modes: np.ndarray
    amplitudes: np.ndarray
    residuals: np.ndarray
    Atilde: np.ndarray
    s: np.ndarray


def _pairs(X: Any, Y: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(_checks.as_matrix(X, "X", where, allow_complex=True))
    if Y is None:
        if X.shape[1] < 2:
            raise _checks.fail(where, "X", "at least 2 snapshots (columns)",
                               f"shape {X.shape}", "Pass a longer sequence or Y=.")
        return X[:, :-1], X[:, 1:]
    Y = np.asarray(_checks.as_matrix(Y, "Y", where, allow_complex=True))
    if Y.shape != X.shape:
        raise _checks.fail(where, "Y", f"the shape of X, {X.shape}", f"shape {Y.shape}")
    return X, Y


def dmd(X: Any, rank: int, *, Y: Any = None, method: str = "exact") -> DMDResult:
    """Dynamic mode decomposition of snapshot pairs.

    Fits the best linear map :math:`A` with :math:`Y \\approx A X` on the span of the
    first ``rank`` left singular vectors of ``X``: with the truncated SVD
    :math:`X \\approx U S V^*`, the reduced operator is :math:`\\tilde A = U^* Y V S^{-1}`,
    its eigenpairs :math:`\\tilde A w = \\lambda w` give the DMD eigenvalues, and the modes
    are :math:`Y V S^{-1} w` ("exact" DMD, Tu et al.) or :math:`U w` ("projected" DMD,
    Schmid). Cost: one thin SVD of ``X``, :math:`O(nm\\min(n, m))`, plus
    :math:`O(r^3)`. Float64/complex128 on the host (a non-symmetric eigensolver).

    Parameters
    ----------
    X : array of shape (n, m + 1) or (n, m)
        Snapshots as columns. Without ``Y``, the sequence ``x_0 .. x_m`` (pairs
        ``(x_k, x_{k+1})``); with ``Y``, the first members of the pairs.
    rank : int
        Truncation rank r, ``1 <= r <= min(n, m)``.
    Y : array of shape (n, m), optional
        The second members of the pairs (``Y[:, k]`` follows ``X[:, k]``).
    method : {"exact", "projected"}
        Which modes to return.

    Returns
    -------
    DMDResult
        ``eigenvalues`` (r,), ``modes`` (n, r), ``amplitudes`` (r,), ``residuals`` (r,),
        ``Atilde`` (r, r), ``s`` (min(n, m),).

    Raises
    ------
    TypeError
        Non-numeric input or a non-int ``rank``.
    ValueError
        Not 2-D, NaN/inf, mismatched ``Y``, ``rank`` out of range, unknown ``method``.

    See Also
    --------
    pydmd.DMD : the reference implementation (``svd_rank=r, exact=True``).

    Notes
    -----
    Explained in chapter :ref:`koopman-dmd`. References: :cite:p:`schmid2010dynamic,tu2014dynamic`.
    """
    where = "koopman.dmd"
    method = _checks.check_choice(method, "method", where, ("exact", "projected"))
    X, Y = _pairs(X, Y, where)
    r = _checks.check_rank(rank, "rank", where, upper=min(X.shape), upper_name="min(n, m)")
    U, s, Vh = np.linalg.svd(X, full_matrices=False)
    Ur, sr, Vr = U[:, :r], s[:r], Vh[:r].conj().T
    if sr[-1] <= np.finfo(float).eps * s[0] * max(X.shape):
        raise _checks.fail(where, "rank", f"rank <= numerical rank of X "
                           f"({int(np.sum(s > np.finfo(float).eps * s[0] * max(X.shape)))})",
                           f"rank={r}", "Lower rank.")
    YVS = (Y @ Vr) / sr
    Atilde = Ur.conj().T @ YVS
    lam, W = np.linalg.eig(Atilde)
    proj = Ur @ W
    exact = YVS @ W
    residuals = np.linalg.norm(exact - proj * lam, axis=0) / np.linalg.norm(proj, axis=0)
    modes = exact if method == "exact" else proj
    b = np.linalg.lstsq(modes, X[:, 0], rcond=None)[0]
    return DMDResult(lam, modes, b, residuals, Atilde, s)


def dmd_reconstruct(result: DMDResult, n_steps: int) -> np.ndarray:
    """Snapshots predicted by a DMD: :math:`x_k = \\sum_j \\phi_j b_j \\lambda_j^k`.

    Parameters
    ----------
    result : DMDResult
    n_steps : int
        Number of snapshots ``k = 0 .. n_steps - 1``, ``>= 1``.

    Returns
    -------
    complex array of shape (n, n_steps)

    Raises
    ------
    TypeError, ValueError
        ``result`` is not a DMDResult, or a bad ``n_steps``.
    """
    where = "koopman.dmd_reconstruct"
    if not isinstance(result, DMDResult):
        raise _checks.fail(where, "result", "a DMDResult (from koopman.dmd)",
                           type(result).__name__, exc=TypeError)
    n_steps = _checks.check_int(n_steps, "n_steps", where, min_val=1)
    V = result.eigenvalues[:, None] ** np.arange(n_steps)[None, :]
    return (result.modes * result.amplitudes) @ V


def hankel(x: Any, n_delays: int) -> np.ndarray:
    """Delay (Hankel) embedding of a time series.

    Column k is :math:`(x_k, x_{k+1}, \\dots, x_{k+d-1})` stacked over channels, so a
    DMD of the result is Hankel DMD (a Krylov method for the Koopman operator on
    delay coordinates).

    Parameters
    ----------
    x : array of shape (T,) or (c, T)
        The series (c channels).
    n_delays : int
        Number of delays d, ``1 <= d <= T``.

    Returns
    -------
    array of shape (c * d, T - d + 1)

    Raises
    ------
    TypeError, ValueError
        Non-numeric or non-finite ``x``, more than 2 dimensions, bad ``n_delays``.
    """
    where = "koopman.hankel"
    x = np.asarray(_checks.as_array(x, "x", where, ndim=(1, 2),
                                    rule="an array of shape (T,) or (c, T)", allow_complex=True))
    x = x[None] if x.ndim == 1 else x
    T = x.shape[1]
    d = _checks.check_int(n_delays, "n_delays", where, min_val=1, max_val=T)
    idx = np.arange(d)[:, None] + np.arange(T - d + 1)[None, :]
    return x[:, idx].reshape(x.shape[0] * d, T - d + 1)
