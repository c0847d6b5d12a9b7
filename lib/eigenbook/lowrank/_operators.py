"""Rectangular linear operators for the SVD routines.

The symmetric eigensolvers of :mod:`eigenbook.eigen` take a square operator;
an SVD needs products with both ``A`` and ``A^T`` of a rectangular ``A``.
:func:`as_rect_operator` accepts

* a dense array of shape (m, n) (numpy, JAX or a nested list);
* a ``scipy.sparse`` matrix or array, or a
  :class:`jax.experimental.sparse.BCOO`, of shape (m, n);
* a pair of JAX-traceable callables ``(matmat, rmatmat)`` with
  ``matmat(X) = A @ X`` for X of shape (n, b) and ``rmatmat(Y) = A^T @ Y``
  for Y of shape (m, b), together with ``shape=(m, n)``. The callables are
  static arguments of the jitted solvers: pass the same objects between calls
  to reuse the compiled code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp
from jax.experimental import sparse as jsparse

from .. import _checks
from ..eigen._operators import _MatFree  # hashable wrapper of a user callable

__all__ = ["RectOperator", "as_rect_operator"]


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


def _apply(data: Any, X: jax.Array) -> jax.Array:
    return data @ X


def _rapply(data: Any, Y: jax.Array) -> jax.Array:
    return data.T @ Y


def _rapply_dense(data: Any, Y: jax.Array) -> jax.Array:
    # (Y^T A)^T: XLA on CPU would otherwise transpose A inside the Krylov loop
    return (Y.T @ data).T


def _from_sparse(S: Any, name: str, where: str) -> RectOperator:
    if isinstance(S, jsparse.BCOO):
        if S.ndim != 2 or S.n_batch or S.n_dense:
            raise _checks.fail(where, name, "a 2-D BCOO with no batch or dense dimensions",
                               f"shape {tuple(S.shape)}")
        rows, cols = np.asarray(S.indices).T
        S = sp.coo_array((np.asarray(S.data), (rows, cols)), shape=S.shape)
    if S.ndim != 2 or 0 in S.shape:
        raise _checks.fail(where, name, "a non-empty 2-D matrix", f"shape {tuple(S.shape)}")
    kind = np.dtype(S.dtype).kind
    if kind == "b" or kind not in "iuf":
        raise _checks.fail(where, name, "a real numeric matrix", f"dtype {S.dtype}",
                           exc=TypeError)
    dtype = jnp.result_type(float) if kind in "iu" else jnp.dtype(S.dtype)
    S = sp.coo_array(S).astype(dtype)
    S.sum_duplicates()
    _checks.check_finite(S.data, name, where)
    B = jsparse.BCOO.from_scipy_sparse(S)
    return RectOperator(B, _apply, _rapply, (int(S.shape[0]), int(S.shape[1])), dtype)


def _from_callables(pair: Any, shape: Any, name: str, where: str) -> RectOperator:
    if shape is None:
        raise _checks.fail(where, "shape", "shape=(m, n) when A is a pair of callables",
                           "shape=None", "Pass shape=(m, n) with (matmat, rmatmat).",
                           exc=TypeError)
    if not (isinstance(shape, tuple) and len(shape) == 2):
        raise _checks.fail(where, "shape", "a tuple (m, n)", repr(shape), exc=TypeError)
    m = _checks.check_int(shape[0], "shape[0]", where, min_val=1)
    n = _checks.check_int(shape[1], "shape[1]", where, min_val=1)
    dtype = jnp.result_type(float)
    outs = []
    for fn, size_in, size_out, label in ((pair[0], n, m, "matmat"), (pair[1], m, n, "rmatmat")):
        if not callable(fn):
            raise _checks.fail(where, name, f"a callable {label}", type(fn).__name__,
                               exc=TypeError)
        try:
            out = jax.eval_shape(fn, jax.ShapeDtypeStruct((size_in, 1), dtype))
        except Exception as err:  # the user's function failed to trace
            raise _checks.fail(where, name, f"a JAX-traceable {label}",
                               f"a callable that raised {type(err).__name__}: {err}",
                               exc=TypeError) from err
        if getattr(out, "shape", None) != (size_out, 1):
            raise _checks.fail(where, name, f"{label} mapping shape ({size_in}, 1) to "
                               f"({size_out}, 1)", f"output shape {getattr(out, 'shape', None)}")
        outs.append(out)
    return RectOperator(None, _MatFree(pair[0]), _MatFree(pair[1]), (m, n),
                        jnp.dtype(outs[0].dtype))


def as_rect_operator(A: Any, name: str, where: str, *, shape: Any = None) -> RectOperator:
    """Validate ``A`` and return it as a :class:`RectOperator`.

    Parameters
    ----------
    A : array of shape (m, n), scipy.sparse matrix, BCOO, or (matmat, rmatmat)
        The operator.
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
        return _from_callables(A, shape, name, where)
    if isinstance(A, jsparse.BCOO) or sp.issparse(A):
        op = _from_sparse(A, name, where)
    else:
        M = _checks.as_matrix(A, name, where)
        op = RectOperator(M, _apply, _rapply_dense, (int(M.shape[0]), int(M.shape[1])), M.dtype)
    if shape is not None and tuple(shape) != op.shape:
        raise _checks.fail(where, "shape", f"shape = A.shape = {op.shape}", f"shape={shape}",
                           "Leave shape=None unless A is a pair of callables.")
    return op
