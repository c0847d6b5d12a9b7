"""What every Krylov solver shares: the host-side operator, the right-hand side, the result.

The solvers of this family run their loops on the host (NumPy), not under ``jit``: their
cost is the sparse product, for which SciPy's CSR kernel is the fast path on a CPU, and
their small dense steps (least squares on a Hessenberg matrix, harmonic Ritz pairs) change
size from cycle to cycle, which would recompile a jitted loop. The operator still comes
through :func:`eigenbook._operators.as_operator`, so every family accepts the same inputs;
a matrix-free JAX callable is jitted once and called from the host.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp
from jax.experimental import sparse as jsparse

from eigenbook import _checks, _operators


class SolveResult(NamedTuple):
    """Result of a Krylov solve ``A x = b``.

    Attributes
    ----------
    x : array of shape (n,)
        The approximate solution.
    converged : bool
        Whether ``||b - A x|| <= tol * ||b||`` was reached.
    n_iter : int
        Iterations (Krylov steps) taken.
    n_matvec : int
        Products with ``A`` (the cost measure of the book's comparisons).
    residual_norms : array of shape (n_iter + 1,)
        Relative residual history ``||r_j|| / ||b||``, starting with the initial guess.
    """

    x: np.ndarray
    converged: bool
    n_iter: int
    n_matvec: int
    residual_norms: np.ndarray


class HostOperator(NamedTuple):
    """A square operator as a host-side product (internal to the family)."""

    matvec: Callable[[np.ndarray], np.ndarray]
    n: int
    matrix: Any  # scipy CSR or dense ndarray when there is one, else None


def host_operator(A: Any, name: str, where: str, *, n: Any = None,
                  symmetric: bool = True) -> HostOperator:
    """Validate ``A`` through :mod:`eigenbook._operators` and return a NumPy product."""
    if sp.issparse(A) and A.ndim == 2 and A.shape[0] == A.shape[1]:
        # scipy.sparse stays scipy: the CSR product is the host fast path, and a round trip
        # through BCOO would cost more than a whole preconditioned solve
        if A.dtype.kind not in "iuf":
            raise _checks.fail(where, name, "a real sparse matrix", f"dtype {A.dtype}",
                               exc=TypeError)
        S = sp.csr_array(A, dtype=np.float64)
        if S.shape[0] == 0:
            raise _checks.fail(where, name, "a non-empty square matrix", f"shape {S.shape}")
        _checks.check_finite(S.data, name, where)
        if n is not None and _checks.check_int(n, "n", where, min_val=1) != S.shape[0]:
            raise _checks.fail(where, "n", f"n = A.shape[0] = {S.shape[0]}", f"n={n}",
                               "Leave n=None unless A is a callable.")
        if symmetric:
            big = float(abs(S).max()) if S.nnz else 0.0
            asym = float(abs(S - S.T).max()) if S.nnz else 0.0
            if asym > 100 * np.finfo(np.float64).eps * max(big, 1e-300):
                raise _checks.fail(where, name, "a symmetric matrix",
                                   f"max |A - A^T| = {asym:.2e}",
                                   "This solver needs a symmetric operator.")
        return HostOperator(S.__matmul__, S.shape[0], S)
    op = _operators.as_operator(A, name, where, n=n, symmetric=symmetric)
    if op.data is None:
        fn = jax.jit(lambda v: op.apply(None, v[:, None])[:, 0])
        return HostOperator(lambda v: np.asarray(fn(jnp.asarray(v))), op.n, None)
    if isinstance(op.data, jsparse.BCOO):
        idx = np.asarray(op.data.indices)
        S = sp.csr_array((np.asarray(op.data.data, dtype=np.float64),
                          (idx[:, 0], idx[:, 1])), shape=op.data.shape)
        if symmetric:
            S = sp.csr_array((S + S.T) / 2)
        return HostOperator(S.__matmul__, op.n, S)
    # dense: read the user's values in float64 (the validated JAX copy may be float32)
    M = np.asarray(A, dtype=np.float64) if not isinstance(A, jax.Array) else np.asarray(
        op.data, dtype=np.float64)
    if symmetric:
        M = (M + M.T) / 2
    return HostOperator(M.__matmul__, op.n, M)


def preconditioner(M: Any, n: int, where: str) -> Callable[[np.ndarray], np.ndarray] | None:
    """``M`` (an approximation of ``A^{-1}``): None, a matrix, or a host callable ``r -> M r``."""
    if M is None:
        return None
    if callable(M) and not hasattr(M, "shape"):
        out = np.asarray(M(np.ones(n)))
        if out.shape != (n,):
            raise _checks.fail(where, "M", f"a callable r -> M r returning shape ({n},)",
                               f"shape {out.shape}")
        return lambda r: np.asarray(M(r), dtype=np.float64)
    if hasattr(M, "matvec") and hasattr(M, "shape"):  # scipy LinearOperator, pyamg
        if tuple(M.shape) != (n, n):
            raise _checks.fail(where, "M", f"shape ({n}, {n})", f"shape {tuple(M.shape)}")
        return lambda r: np.asarray(M.matvec(r), dtype=np.float64).ravel()
    op = host_operator(M, "M", where, n=None, symmetric=False)
    if op.matrix is not None:  # PCG needs a symmetric M: checked, used as given
        S = op.matrix
        big = float(abs(S).max()) if S.size else 0.0
        asym = float(abs(S - S.T).max()) if S.size else 0.0
        if asym > 1e-10 * max(big, 1e-300):
            raise _checks.fail(where, "M", "a symmetric (SPD) preconditioner",
                               f"max |M - M^T| = {asym:.2e} (max |M| = {big:.2e})",
                               "PCG needs a symmetric positive definite M.")
    return op.matvec


def rhs(b: Any, n: int, where: str, name: str = "b") -> np.ndarray:
    """The right-hand side (or initial guess) as a finite float64 vector of length n."""
    _checks.as_vector(b, name, where, size=n)
    return np.array(b, dtype=np.float64).reshape(n)


def options(where: str, n: int, tol: Any, max_steps: Any, *,
            default_steps: int | None = None) -> tuple[float, int]:
    """Validated ``tol`` (``None``: sqrt(eps) of float64) and ``max_steps`` (``None``: 10 n)."""
    tol = _checks.check_tol(tol, jnp.float64, where)
    if max_steps is None:
        max_steps = default_steps if default_steps is not None else 10 * n
    max_steps = _checks.check_int(max_steps, "max_steps", where, min_val=1)
    return tol, max_steps


def start(op: HostOperator, b: np.ndarray, x0: Any, where: str
          ) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Initial iterate, residual, ``||b||`` (1 for b = 0) and products spent (internal)."""
    if x0 is None:
        return np.zeros(op.n), b.copy(), float(np.linalg.norm(b)) or 1.0, 0
    x = rhs(x0, op.n, where, "x0")
    return x, b - op.matvec(x), float(np.linalg.norm(b)) or 1.0, 1
