"""Host (numpy / SciPy) engines: operators as host products and thick-restart Lanczos.

A Krylov method takes one product with A per step and a little dense work on an
(m, m) matrix, m of a few tens. Run as a jitted JAX loop on CPU, each step pays
for dispatching tiny ops and for compiling the loop per operator; run on the host,
the sparse product is SciPy's CSR kernel, the reorthogonalisation two BLAS-2
passes over the stored basis, the restart one GEMM, and the small eigenproblem
LAPACK's. That is what ARPACK does, and it is what this module does.

:func:`host_matmat` turns the user's operator (dense, scipy.sparse, BCOO or a JAX
callable) into ``X (n, b) -> A X`` on numpy arrays; :func:`thick_restart_lanczos`
is the restarted symmetric Lanczos (Wu & Simon 2000) used by ``eigen.lanczos``,
``graphs.spectral_embedding`` and, in its Golub–Kahan form, ``lowrank.truncated_svd``.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
from jax.experimental import sparse as jsparse

__all__ = ["HostGK", "HostLanczos", "fast_sparse", "host_matmat", "host_rmatmat",
           "host_signs", "host_start", "one_blas_thread", "thick_restart_gk",
           "thick_restart_lanczos"]

_JITTED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CONTROLLER: list[Any] = []


def one_blas_thread() -> contextlib.AbstractContextManager:
    """A context with host BLAS limited to one thread (when threadpoolctl is installed).

    The Krylov loops do level-1/2 BLAS on vectors of length n: memory bound, and
    on a shared machine a multi-threaded OpenBLAS spends far more time
    synchronising its threads than computing (measured: a length-2e4 dot took
    6 ms with 2 threads under load, 4 us with one).
    """
    if not _CONTROLLER:
        try:
            from threadpoolctl import ThreadpoolController
            _CONTROLLER.append(ThreadpoolController())
        except Exception:  # threadpoolctl missing: leave BLAS as it is
            _CONTROLLER.append(None)
    ctl = _CONTROLLER[0]
    return contextlib.nullcontext() if ctl is None else ctl.limit(limits=1, user_api="blas")


def _jitted(fn: Callable) -> Callable:
    """One ``jax.jit`` wrapper per user callable (no recompilation between calls)."""
    try:
        return _JITTED[fn]
    except (KeyError, TypeError):
        pass
    jf = jax.jit(fn)
    try:
        _JITTED[fn] = jf
    except TypeError:  # not weak-referenceable
        pass
    return jf


def _bcoo_to_csr(B: jsparse.BCOO, dtype: Any) -> sp.csr_array:
    rows, cols = np.asarray(B.indices).T
    return sp.csr_array((np.asarray(B.data, dtype=dtype), (rows, cols)), shape=B.shape)


def _callable_matmat(fn: Callable, dtype: Any) -> Callable[[np.ndarray], np.ndarray]:
    jf = _jitted(fn)

    def mm(X: np.ndarray) -> np.ndarray:
        return np.asarray(jf(jnp.asarray(X, dtype=dtype)), dtype=dtype)

    return mm


def host_matmat(A: Any, data: Any, dtype: Any) -> Callable[[np.ndarray], np.ndarray]:
    """``X (n, b) -> A @ X`` on numpy arrays, for the user's (validated) operator.

    ``A`` is what the user passed, ``data`` the operator's traced data from
    :func:`eigenbook._operators.as_operator` (None for a callable). A scipy.sparse
    ``A`` keeps its CSR kernel; a BCOO is converted to CSR once; a dense array is a
    numpy array (BLAS); a callable is jitted once per function object.
    """
    dtype = np.dtype(dtype)
    if data is None:
        fn = A if callable(A) else A[0]
        return _callable_matmat(fn, dtype)
    if sp.issparse(A):
        M = sp.csr_array(A, dtype=dtype)
    elif isinstance(data, jsparse.BCOO):
        M = _bcoo_to_csr(data, dtype)
    else:
        M = np.asarray(data, dtype=dtype)
    return lambda X: M @ X


def _float(dtype: Any) -> np.dtype:
    kind = np.dtype(dtype).kind
    return np.dtype(float) if kind in "iu" else np.dtype(dtype)


def fast_sparse(A: Any, *, symmetric: bool, n: Any = None) -> sp.csr_array | None:
    """A float CSR copy-free view of a scipy.sparse ``A`` when it is plainly valid, else None.

    The fast path of validation for the host solvers: a real, finite, non-empty
    scipy.sparse matrix (square and symmetric to ``100 eps max|A|`` when
    ``symmetric``) is returned as CSR without the COO round trip and device copy
    of :func:`eigenbook._operators.as_operator`. Anything else (including every
    invalid input) returns None, and the caller falls back to ``as_operator``,
    which raises the house error or accepts the input.
    """
    if not sp.issparse(A) or A.ndim != 2 or 0 in A.shape:
        return None
    if n is not None or (symmetric and A.shape[0] != A.shape[1]):
        return None
    kind = np.dtype(A.dtype).kind
    if kind not in "iuf":
        return None
    M = sp.csr_array(A, dtype=_float(A.dtype))
    if not M.has_canonical_format:
        M = M.copy()
        M.sum_duplicates()
    if not np.all(np.isfinite(M.data)):
        return None
    if symmetric and M.nnz:
        T = M.T.tocsr()
        T.sort_indices()
        scale = float(np.max(np.abs(M.data)))
        tol = 100 * float(np.finfo(M.dtype).eps) * max(scale, 1e-300)
        if not (np.array_equal(M.indptr, T.indptr) and np.array_equal(M.indices, T.indices)):
            return None
        if float(np.max(np.abs(M.data - T.data))) > tol:
            return None
    return M


def host_rmatmat(A: Any, data: Any, dtype: Any) -> Callable[[np.ndarray], np.ndarray]:
    """``Y (m, b) -> A^T @ Y`` on numpy arrays (see :func:`host_matmat`)."""
    dtype = np.dtype(dtype)
    if data is None:
        return _callable_matmat(A[1], dtype)
    if sp.issparse(A):
        M = sp.csr_array(A, dtype=dtype).T  # CSC view: no copy
    elif isinstance(data, jsparse.BCOO):
        M = _bcoo_to_csr(data, dtype).T
    else:
        M = np.asarray(data, dtype=dtype).T
    return lambda Y: M @ Y


def host_start(key: jax.Array, n: int, dtype: Any) -> tuple[np.ndarray, np.random.Generator]:
    """A unit start vector of length n and a numpy generator, both from ``key``.

    The generator is seeded by the key's bits, so the same key gives the same start
    (and the same restart vectors on breakdown) without a JAX dispatch.
    """
    bits = np.asarray(jax.random.key_data(key)).ravel().astype(np.uint64)
    rng = np.random.default_rng([int(b) for b in bits])
    v = rng.standard_normal(n).astype(dtype)
    return v / np.linalg.norm(v), rng


def host_signs(V: np.ndarray) -> np.ndarray:
    """:func:`eigenbook._results.column_signs` on numpy: +-1 per column of V (n, k)."""
    if V.shape[1] == 0:
        return np.ones(0, V.dtype)
    idx = np.argmax(np.abs(V), axis=0)
    picked = V[idx, np.arange(V.shape[1])]
    return np.where(picked < 0, -1.0, 1.0).astype(V.dtype)


def orthogonalize(Q: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Remove from w its components on the rows of Q (j, n): CGS with DGKS re-pass.

    Returns ``(w, h)`` with h (j,) the total coefficients removed. The second pass
    runs only when the first removed more than 1 - 1/sqrt(2) of w's norm (Daniel,
    Gragg, Kaufman & Stewart 1976), which keeps Q w at rounding level.
    """
    h = Q @ w
    nrm0 = np.linalg.norm(w)
    w = w - Q.T @ h
    if np.linalg.norm(w) < 0.7071 * nrm0:
        h2 = Q @ w
        w = w - Q.T @ h2
        h = h + h2
    return w, h


def fresh_vector(Q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random unit vector orthogonal to the rows of Q (zero when Q spans the space)."""
    n = Q.shape[1]
    if Q.shape[0] >= n:
        return np.zeros(n, Q.dtype)
    r = rng.standard_normal(n).astype(Q.dtype)
    for _ in range(2):
        r = r - Q.T @ (Q @ r)
    nrm = np.linalg.norm(r)
    return r / nrm if nrm > 0 else r


def set_next(Q: np.ndarray, i: int, w: np.ndarray, b: float, small: float,
             rng: np.random.Generator) -> float:
    """Store ``w / b`` as ``Q[i]``, or on breakdown (``b <= small`` or Q full) a fresh
    random direction orthogonal to ``Q[:i]``; return the coupling (0 on breakdown)."""
    if b <= small or i >= Q.shape[1]:
        Q[i] = fresh_vector(Q[:i], rng)
        return 0.0
    Q[i] = w / b
    return b


class HostLanczos(NamedTuple):
    """Output of :func:`thick_restart_lanczos` (numpy arrays)."""

    theta: np.ndarray       # (k,) wanted Ritz values, output order
    X: np.ndarray           # (n, k) Ritz vectors
    res_est: np.ndarray     # (k,) |beta_m s_{m,i}| at the last restart
    anorm: float            # max |Ritz value| seen (estimate of ||A||_2)
    n_matvec: int           # products with A
    n_restart: int          # restarts done
    converged: bool


def _keep(k: int, m: int, n_conv: int) -> int:
    """Ritz vectors kept at a thick restart: k plus a third of (free slots + converged).

    Keeping more vectors than k damps the unwanted nearby Ritz values (as ARPACK's
    ``nev + min(nconv, (ncv - nev) / 2)``); tried on random sparse and 2-D
    Laplacian matrices with k = 1, 5, 10 at both ends, this rule needed the fewest
    products (within 10 % of ARPACK's count, often fewer).
    """
    return k + (n_conv + m - k) // 3


def _wanted(w: np.ndarray, k: int, which: str) -> np.ndarray:
    m = w.shape[0]
    return np.arange(m - 1, m - 1 - k, -1) if which == "largest" else np.arange(k)


def thick_restart_lanczos(matvec: Callable[[np.ndarray], np.ndarray], n: int, k: int, *,
                          which: str, m: int, tol: float, max_restarts: int,
                          v0: np.ndarray, rng: np.random.Generator,
                          dtype: Any) -> HostLanczos:
    """Thick-restart Lanczos (Wu & Simon 2000) with full (DGKS) reorthogonalisation.

    Each cycle extends the basis to m vectors, solves the (m, m) Rayleigh–Ritz
    problem with LAPACK, and stops when every wanted pair has
    ``|beta_m s_{m,i}| <= tol * ||A||`` (the Ritz residual ``||A x_i - theta_i x_i||``
    in exact arithmetic; ``||A||`` estimated by the largest |Ritz value|). Otherwise it
    keeps the ``l = k + (m - k) // 2`` Ritz vectors nearest the wanted end plus the
    residual vector, so that ``T`` becomes an arrowhead ``[[diag(theta), s], [s^T, a]]``
    and the recurrence continues from vector l.

    ``matvec`` maps a block X (n, b) to A X (n, b) (called with one column, b = 1, as
    the user's operator expects blocks).
    """
    m = min(m, n)
    V = np.zeros((m + 1, n), dtype)
    T = np.zeros((m, m), dtype)
    V[0] = v0
    l = 0
    n_matvec = 0
    anorm = 0.0
    n_restart = 0
    b_last = 0.0
    eps, tiny = float(np.finfo(dtype).eps), float(np.finfo(dtype).tiny)
    while True:
        for j in range(l, m):
            w = np.asarray(matvec(V[j][:, None]), dtype).ravel()
            n_matvec += 1
            w, h = orthogonalize(V[: j + 1], w)
            T[j, j] = h[j]
            b = float(np.linalg.norm(w))
            anorm = max(anorm, abs(float(h[j])) + b)
            # invariant subspace: continue with a fresh orthogonal direction
            b = set_next(V, j + 1, w, b, 100 * eps * max(anorm, tiny), rng)
            if j + 1 < m:
                T[j, j + 1] = T[j + 1, j] = b
            b_last = b
        theta, S = sla.eigh(T, overwrite_a=False, check_finite=False, driver="evr")
        anorm = max(anorm, float(np.max(np.abs(theta))))
        idx = _wanted(theta, k, which)
        res = np.abs(b_last * S[m - 1, idx])
        done = bool(np.all(res <= tol * anorm))
        if done or n_restart >= max_restarts or m >= n:
            X = V[:m].T @ S[:, idx]
            return HostLanczos(theta[idx], X, res, anorm, n_matvec, n_restart,
                               done or m >= n)
        # thick restart: keep l Ritz vectors nearest the wanted end
        l = min(_keep(k, m, int(np.sum(res <= tol * anorm))), m - 1)
        keep = _wanted(theta, l, which)
        Vk = S[:, keep].T @ V[:m]
        V[:l] = Vk
        V[l] = V[m]
        T[:] = 0.0
        T[np.arange(l), np.arange(l)] = theta[keep]
        coupling = b_last * S[m - 1, keep]
        T[:l, l] = coupling
        T[l, :l] = coupling
        n_restart += 1


class HostGK(NamedTuple):
    """Output of :func:`thick_restart_gk` (numpy arrays)."""

    s: np.ndarray           # (k,) Ritz singular values, descending
    U: np.ndarray           # (m, k)
    V: np.ndarray           # (n, k)
    anorm: float            # largest Ritz singular value (estimate of ||A||_2)
    n_matvec: int           # products with A (as many with A^T)
    n_restart: int
    converged: bool


def thick_restart_gk(matvec: Callable[[np.ndarray], np.ndarray],
                     rmatvec: Callable[[np.ndarray], np.ndarray], shape: tuple[int, int],
                     k: int, *, s: int, tol: float, max_restarts: int, v0: np.ndarray,
                     rng: np.random.Generator, dtype: Any) -> HostGK:
    """Thick-restart Golub–Kahan–Lanczos for the k largest singular triplets.

    ``A V_s = U_s B_s`` and ``A^T U_s = V_s B_s^T + beta_s v_{s+1} e_s^T`` with B
    upper triangular (bidiagonal, plus one spike column after a restart). From the
    SVD ``B = P Sigma Q^T`` the Ritz triplet i has residual
    ``||A^T u_i - sigma_i v_i|| = |beta_s P[s-1, i]|`` (and ``A v_i = sigma_i u_i``
    exactly); the loop stops when every wanted one is ``<= tol * sigma_1``, else
    keeps l Ritz pairs and ``v_{s+1}`` (Baglama & Reichel 2005, in Wu–Simon form).
    Both bases are fully reorthogonalised (DGKS).
    """
    m_rows, n_cols = shape
    p = min(shape)
    s = min(s, p)
    Vt = np.zeros((s + 1, n_cols), dtype)
    Ut = np.zeros((s, m_rows), dtype)
    B = np.zeros((s, s), dtype)
    Vt[0] = v0
    l = 0
    n_matvec = n_restart = 0
    anorm = 0.0
    eps, tiny = float(np.finfo(dtype).eps), float(np.finfo(dtype).tiny)
    while True:
        for j in range(l, s):
            u = np.asarray(matvec(Vt[j][:, None]), dtype).ravel()
            n_matvec += 1
            u, _ = orthogonalize(Ut[:j], u) if j else (u, None)
            a = float(np.linalg.norm(u))
            anorm = max(anorm, a)
            a = set_next(Ut, j, u, a, 100 * eps * max(anorm, tiny), rng)
            B[j, j] = a
            w = np.asarray(rmatvec(Ut[j][:, None]), dtype).ravel()
            w, _ = orthogonalize(Vt[: j + 1], w)
            b = float(np.linalg.norm(w))
            anorm = max(anorm, b)
            b = set_next(Vt, j + 1, w, b, 100 * eps * max(anorm, tiny), rng)
            if j + 1 < s:
                B[j, j + 1] = b
            b_last = b
        P, sig, Qt = sla.svd(B, check_finite=False, lapack_driver="gesdd")
        anorm = max(anorm, float(sig[0]))
        res_all = np.abs(b_last * P[s - 1])
        done = bool(np.all(res_all[:k] <= tol * anorm))
        if done or n_restart >= max_restarts or s >= p:
            return HostGK(sig[:k], Ut.T @ P[:, :k], Vt[:s].T @ Qt[:k].T, anorm, n_matvec,
                          n_restart, done or s >= p)
        l = min(_keep(k, s, int(np.sum(res_all[:k] <= tol * anorm))), s - 1)
        Vt[:l] = Qt[:l] @ Vt[:s]
        Ut[:l] = P[:, :l].T @ Ut
        Vt[l] = Vt[s]
        B[:] = 0.0
        B[np.arange(l), np.arange(l)] = sig[:l]
        B[:l, l] = b_last * P[s - 1, :l]
        n_restart += 1
