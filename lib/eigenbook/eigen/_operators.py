"""Turn what the user passed into one symmetric linear operator.

Every solver in :mod:`eigenbook.eigen` accepts the same four kinds of ``A``:

* a dense array of shape (n, n) (numpy, JAX or a nested list);
* a ``scipy.sparse`` matrix or array of shape (n, n), converted to a
  :class:`jax.experimental.sparse.BCOO`;
* a :class:`jax.experimental.sparse.BCOO` of shape (n, n);
* a callable ``matmat(X) -> A @ X`` for ``X`` of shape (n, b), together with
  an explicit ``n=``. The callable must be JAX-traceable; it is a static
  argument of the jitted solver, so pass the *same* function object between
  calls to reuse the compiled code.

The result is an :class:`Operator`: the array data (a pytree that jit traces)
and a hashable ``apply(data, X)`` (static under jit).
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

from .. import _checks

__all__ = ["Operator", "as_operator"]


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


def _apply_array(data: Any, X: jax.Array) -> jax.Array:
    """``A @ X`` for a dense array or a BCOO matrix."""
    return data @ X


@dataclasses.dataclass(frozen=True)
class _MatFree:
    """Static wrapper of a user callable: ``apply(None, X) = fn(X)``."""

    fn: Callable[[jax.Array], jax.Array]

    def __call__(self, data: Any, X: jax.Array) -> jax.Array:
        del data
        return self.fn(X)


def _float_dtype(dtype: Any) -> Any:
    kind = np.dtype(dtype).kind
    return jnp.result_type(float) if kind in "iu" else jnp.dtype(dtype)


def _check_sparse_dtype(dtype: Any, name: str, where: str) -> None:
    kind = np.dtype(dtype).kind
    if kind == "b" or kind not in "iuf":
        raise _checks.fail(where, name, "a real numeric (floating) matrix", f"dtype {dtype}",
                           exc=TypeError)


def _check_sparse_symmetric(S: sp.sparray | sp.spmatrix, name: str, where: str) -> None:
    """Cheap symmetry test ``max|A - A^T| <= 100 eps max|A|`` on a scipy matrix."""
    if S.nnz == 0:
        return
    scale = float(abs(S).max())
    eps = float(np.finfo(_float_dtype(S.dtype)).eps)
    tol = 100 * eps * max(scale, 1e-300)
    diff = S - S.T
    asym = float(abs(diff).max()) if diff.nnz else 0.0
    if asym > tol:
        raise _checks.fail(where, name, f"a symmetric matrix (max |A - A^T| <= {tol:.1e})",
                           f"max |A - A^T| = {asym:.2e}",
                           "This solver needs a symmetric (Hermitian) operator; "
                           "symmetrise it or use an SVD-based routine.")


def _from_scipy(S: Any, name: str, where: str, symmetric: bool) -> Operator:
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise _checks.fail(where, name, "a square matrix of shape (n, n)",
                           f"shape {tuple(S.shape)}")
    if S.shape[0] == 0:
        raise _checks.fail(where, name, "a non-empty matrix", f"shape {tuple(S.shape)}")
    _check_sparse_dtype(S.dtype, name, where)
    S = sp.coo_array(S)
    S.sum_duplicates()
    _checks.check_finite(S.data, name, where)
    if symmetric:
        _check_sparse_symmetric(S, name, where)
    dtype = _float_dtype(S.dtype)
    S = S.astype(dtype)
    B = jsparse.BCOO.from_scipy_sparse(S)
    return Operator(B, _apply_array, int(S.shape[0]), dtype)


def _from_bcoo(B: jsparse.BCOO, name: str, where: str, symmetric: bool) -> Operator:
    if B.ndim != 2 or B.n_batch or B.n_dense:
        raise _checks.fail(where, name, "a 2-D BCOO with no batch or dense dimensions",
                           f"shape {tuple(B.shape)}, n_batch={B.n_batch}, n_dense={B.n_dense}")
    rows, cols = np.asarray(B.indices).T
    data = np.asarray(B.data)
    S = sp.coo_array((data, (rows, cols)), shape=B.shape)
    op = _from_scipy(S, name, where, symmetric)
    # Keep the user's BCOO (and its dtype) rather than a converted copy.
    return Operator(B.astype(op.dtype), _apply_array, op.n, op.dtype)


def _from_callable(fn: Callable, n: Any, name: str, where: str) -> Operator:
    if n is None:
        raise _checks.fail(where, "n", "the size n of the operator when A is a callable",
                           "n=None", "Pass n=... together with matmat(X) -> A @ X.",
                           exc=TypeError)
    n = _checks.check_int(n, "n", where, min_val=1)
    dtype = jnp.result_type(float)
    try:
        out = jax.eval_shape(fn, jax.ShapeDtypeStruct((n, 1), dtype))
    except Exception as err:  # the user's function failed to trace
        raise _checks.fail(where, name, "a JAX-traceable callable matmat(X) -> A @ X",
                           f"a callable that raised {type(err).__name__}: {err}",
                           exc=TypeError) from err
    shape = getattr(out, "shape", None)
    if shape != (n, 1):
        raise _checks.fail(where, name, f"matmat(X) of shape (n, b) = ({n}, 1) for X of "
                           f"shape ({n}, 1)", f"output shape {shape}",
                           "The callable must map (n, b) arrays to (n, b) arrays.")
    kind = np.dtype(out.dtype).kind
    if kind not in "f":
        raise _checks.fail(where, name, "a callable returning a real floating array",
                           f"dtype {out.dtype}", exc=TypeError)
    return Operator(None, _MatFree(fn), n, jnp.dtype(out.dtype))


def as_operator(A: Any, name: str, where: str, *, n: Any = None,
                symmetric: bool = True) -> Operator:
    """Validate ``A`` and return it as an :class:`Operator`.

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
    if isinstance(A, jsparse.BCOO):
        op = _from_bcoo(A, name, where, symmetric)
    elif sp.issparse(A):
        op = _from_scipy(A, name, where, symmetric)
    elif callable(A) and not hasattr(A, "shape"):
        return _from_callable(A, n, name, where)
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
