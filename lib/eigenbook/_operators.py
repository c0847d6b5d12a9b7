"""The one operator vocabulary of the book: square and rectangular linear operators.

Every family that multiplies by a matrix it is given (``eigen``, ``lowrank``, and
the coming ``krylov`` and ``curvature``) turns the user's ``A`` into an operator
here, so that all of them accept the same kinds of input:

* a dense array (numpy, JAX or a nested list);
* a ``scipy.sparse`` matrix or array, converted to a
  :class:`jax.experimental.sparse.BCOO`;
* a :class:`jax.experimental.sparse.BCOO`;
* matrix-free: a callable ``matmat(X) -> A @ X`` with ``n=`` (square), or a pair
  of callables ``(matmat, rmatmat)`` with ``shape=(m, n)`` (rectangular). The
  callables must be JAX-traceable; they are static arguments of the jitted
  solvers, so pass the *same* function objects between calls to reuse the
  compiled code.

:func:`as_operator` returns a square :class:`Operator` (optionally checked for
symmetry); :func:`as_rect_operator` a :class:`RectOperator` with products by
``A`` and ``A^T``. Both split the operator into traced data (a pytree that jit
traces) and hashable actions (static under jit).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp
from jax.experimental import sparse as jsparse

from . import _checks

__all__ = ["Operator", "RectOperator", "as_operator", "as_rect_operator"]


class Operator(NamedTuple):
    """A square linear operator, split into traced data and a static action.

    Attributes
    ----------
    data : array of shape (n, n), BCOO of shape (n, n), or None
        The traced part (None for a matrix-free callable).
    apply : callable
        ``apply(data, X)`` returns ``A @ X`` for ``X`` of shape (n, b).
        Hashable, so it can be a static jit argument.
    n : int
        The size.
    dtype : numpy dtype
        The floating dtype of the operator.
    """

    data: Any
    apply: Callable[[Any, jax.Array], jax.Array]
    n: int
    dtype: Any


class RectOperator(NamedTuple):
    """A rectangular linear operator, split into traced data and static actions.

    Attributes
    ----------
    data : array of shape (m, n), BCOO of shape (m, n), or None
        The traced part (None for a pair of callables).
    apply : callable
        ``apply(data, X)`` returns ``A @ X`` for X of shape (n, b); hashable.
    rapply : callable
        ``rapply(data, Y)`` returns ``A^T @ Y`` for Y of shape (m, b); hashable.
    shape : tuple of int
        ``(m, n)``.
    dtype : numpy dtype
        The floating dtype.
    """

    data: Any
    apply: Callable[[Any, jax.Array], jax.Array]
    rapply: Callable[[Any, jax.Array], jax.Array]
    shape: tuple[int, int]
    dtype: Any


# -- actions (hashable, static under jit) ------------------------------------------------------
def _apply_array(data: Any, X: jax.Array) -> jax.Array:
    """``A @ X`` for a dense array or a BCOO matrix."""
    return data @ X


def _rapply_sparse(data: Any, Y: jax.Array) -> jax.Array:
    return data.T @ Y


def _rapply_dense(data: Any, Y: jax.Array) -> jax.Array:
    # (Y^T A)^T: XLA on CPU would otherwise transpose A inside the Krylov loop
    return (Y.T @ data).T


@dataclasses.dataclass(frozen=True)
class _MatFree:
    """Static wrapper of a user callable: ``apply(None, X) = fn(X)``."""

    fn: Callable[[jax.Array], jax.Array]

    def __call__(self, data: Any, X: jax.Array) -> jax.Array:
        del data
        return self.fn(X)


# -- sparse input --------------------------------------------------------------------------------
def _float_dtype(dtype: Any) -> Any:
    kind = np.dtype(dtype).kind
    return jnp.result_type(float) if kind in "iu" else jnp.dtype(dtype)


def _as_scipy_coo(S: Any, name: str, where: str) -> sp.coo_array:
    """A validated, deduplicated float COO copy of a scipy matrix or a 2-D BCOO."""
    if isinstance(S, jsparse.BCOO):
        if S.ndim != 2 or S.n_batch or S.n_dense:
            raise _checks.fail(where, name, "a 2-D BCOO with no batch or dense dimensions",
                               f"shape {tuple(S.shape)}, n_batch={S.n_batch}, "
                               f"n_dense={S.n_dense}")
        rows, cols = np.asarray(S.indices).T
        S = sp.coo_array((np.asarray(S.data), (rows, cols)), shape=S.shape)
    if S.ndim != 2 or 0 in S.shape:
        raise _checks.fail(where, name, "a non-empty 2-D matrix", f"shape {tuple(S.shape)}")
    kind = np.dtype(S.dtype).kind
    if kind == "b" or kind not in "iuf":
        raise _checks.fail(where, name, "a real numeric (floating) matrix",
                           f"dtype {S.dtype}", exc=TypeError)
    S = sp.coo_array(S).astype(_float_dtype(S.dtype))
    S.sum_duplicates()
    _checks.check_finite(S.data, name, where)
    return S


def _check_sparse_symmetric(S: sp.coo_array, name: str, where: str) -> None:
    """Cheap symmetry test ``max|A - A^T| <= 100 eps max|A|`` on a scipy matrix."""
    if S.nnz == 0:
        return
    scale = float(abs(S).max())
    eps = float(np.finfo(S.dtype).eps)
    tol = 100 * eps * max(scale, 1e-300)
    diff = S - S.T
    asym = float(abs(diff).max()) if diff.nnz else 0.0
    if asym > tol:
        raise _checks.fail(where, name, f"a symmetric matrix (max |A - A^T| <= {tol:.1e})",
                           f"max |A - A^T| = {asym:.2e}",
                           "This solver needs a symmetric (Hermitian) operator; "
                           "symmetrise it or use an SVD-based routine.")


# -- matrix-free input -------------------------------------------------------------------------
def _traced_shape(fn: Any, size_in: int, size_out: int, label: str, name: str,
                  where: str) -> Any:
    """Trace ``fn`` on a (size_in, 1) input; check it returns (size_out, 1) real floats."""
    if not callable(fn):
        raise _checks.fail(where, name, f"a callable {label}", type(fn).__name__,
                           exc=TypeError)
    try:
        out = jax.eval_shape(fn, jax.ShapeDtypeStruct((size_in, 1), jnp.result_type(float)))
    except Exception as err:  # the user's function failed to trace
        raise _checks.fail(where, name, f"a JAX-traceable callable {label}(X)",
                           f"a callable that raised {type(err).__name__}: {err}",
                           exc=TypeError) from err
    shape = getattr(out, "shape", None)
    if shape != (size_out, 1):
        raise _checks.fail(where, name, f"{label}(X) of shape ({size_out}, 1) for X of "
                           f"shape ({size_in}, 1)", f"output shape {shape}",
                           "The callable must map (n, b) arrays to (m, b) arrays.")
    if np.dtype(out.dtype).kind != "f":
        raise _checks.fail(where, name, "a callable returning a real floating array",
                           f"dtype {out.dtype}", exc=TypeError)
    return out


# -- the two entry points ----------------------------------------------------------------------
def as_operator(A: Any, name: str, where: str, *, n: Any = None,
                symmetric: bool = True) -> Operator:
    """Validate ``A`` and return it as a square :class:`Operator`.

    Parameters
    ----------
    A : array of shape (n, n), scipy.sparse matrix, BCOO, or callable
        The operator; a callable maps ``X`` of shape (n, b) to ``A @ X``.
    name, where : str
        Argument name and public caller, for error messages.
    n : int, optional
        Required when ``A`` is a callable, and must match ``A.shape[0]``
        otherwise.
    symmetric : bool
        Check symmetry (dense: :func:`_checks.check_symmetric`; sparse:
        ``max|A - A^T|``). A callable is trusted to be symmetric.

    Returns
    -------
    Operator

    Raises
    ------
    TypeError
        Wrong kind of object or dtype; callable without ``n``.
    ValueError
        Not square, empty, NaN/inf, not symmetric, or ``n`` mismatch.
    """
    if callable(A) and not hasattr(A, "shape"):
        if n is None:
            raise _checks.fail(where, "n", "the size n of the operator when A is a callable",
                               "n=None", "Pass n=... together with matmat(X) -> A @ X.",
                               exc=TypeError)
        n = _checks.check_int(n, "n", where, min_val=1)
        out = _traced_shape(A, n, n, "matmat", name, where)
        return Operator(None, _MatFree(A), n, jnp.dtype(out.dtype))
    if isinstance(A, jsparse.BCOO) or sp.issparse(A):
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise _checks.fail(where, name, "a square matrix of shape (n, n)",
                               f"shape {tuple(A.shape)}")
        S = _as_scipy_coo(A, name, where)
        if symmetric:
            _check_sparse_symmetric(S, name, where)
        # keep the user's BCOO (cast) rather than a converted copy
        B = (A.astype(S.dtype) if isinstance(A, jsparse.BCOO)
             else jsparse.BCOO.from_scipy_sparse(S))
        op = Operator(B, _apply_array, int(S.shape[0]), jnp.dtype(S.dtype))
    else:
        M = _checks.as_matrix(A, name, where, square=True)
        if symmetric:
            M = _checks.check_symmetric(M, name, where)
        op = Operator(M, _apply_array, int(M.shape[0]), M.dtype)
    if n is not None:
        n = _checks.check_int(n, "n", where, min_val=1)
        if n != op.n:
            raise _checks.fail(where, "n", f"n = A.shape[0] = {op.n}", f"n={n}",
                               "Leave n=None unless A is a callable.")
    return op


def as_rect_operator(A: Any, name: str, where: str, *, shape: Any = None) -> RectOperator:
    """Validate ``A`` and return it as a :class:`RectOperator`.

    Parameters
    ----------
    A : array of shape (m, n), scipy.sparse matrix, BCOO, or (matmat, rmatmat)
        The operator; ``matmat(X) = A @ X`` for X of shape (n, b) and
        ``rmatmat(Y) = A^T @ Y`` for Y of shape (m, b).
    name, where : str
        Argument name and public caller, for error messages.
    shape : tuple of int, optional
        ``(m, n)``; required for a pair of callables, checked otherwise.

    Returns
    -------
    RectOperator

    Raises
    ------
    TypeError
        Wrong kind of object or dtype; callables without ``shape``.
    ValueError
        Not 2-D, empty, NaN/inf, or ``shape`` mismatch.
    """
    if isinstance(A, tuple) and len(A) == 2 and all(callable(f) for f in A):
        if shape is None:
            raise _checks.fail(where, "shape", "shape=(m, n) when A is a pair of callables",
                               "shape=None", "Pass shape=(m, n) with (matmat, rmatmat).",
                               exc=TypeError)
        if not (isinstance(shape, tuple) and len(shape) == 2):
            raise _checks.fail(where, "shape", "a tuple (m, n)", repr(shape), exc=TypeError)
        m = _checks.check_int(shape[0], "shape[0]", where, min_val=1)
        n = _checks.check_int(shape[1], "shape[1]", where, min_val=1)
        out = _traced_shape(A[0], n, m, "matmat", name, where)
        _traced_shape(A[1], m, n, "rmatmat", name, where)
        return RectOperator(None, _MatFree(A[0]), _MatFree(A[1]), (m, n),
                            jnp.dtype(out.dtype))
    if isinstance(A, jsparse.BCOO) or sp.issparse(A):
        S = _as_scipy_coo(A, name, where)
        op = RectOperator(jsparse.BCOO.from_scipy_sparse(S), _apply_array, _rapply_sparse,
                          (int(S.shape[0]), int(S.shape[1])), jnp.dtype(S.dtype))
    else:
        M = _checks.as_matrix(A, name, where)
        op = RectOperator(M, _apply_array, _rapply_dense,
                          (int(M.shape[0]), int(M.shape[1])), M.dtype)
    if shape is not None and tuple(shape) != op.shape:
        raise _checks.fail(where, "shape", f"shape = A.shape = {op.shape}", f"shape={shape}",
                           "Leave shape=None unless A is a pair of callables.")
    return op
