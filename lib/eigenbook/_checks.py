"""Input validation shared by every family module.

Each helper validates one thing, returns the validated value, and raises with a
message built from one template::

    eigen.lanczos(k=...): expected 1 <= k <= n = 40; got k=64. Lower k.

that is: the public call and argument, the rule, what was received, and (where
there is one) a hint. ``TypeError`` is raised for the wrong kind of object,
``ValueError`` for a wrong shape or value. The ``where`` argument is the public
name of the caller (``"eigen.lanczos"``), so that the message points at the
call the user wrote, not at this module.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sp

__all__ = [
    "as_array",
    "as_matrix",
    "as_vector",
    "as_weights",
    "check_finite",
    "check_symmetric",
    "check_tol",
    "check_rank",
    "check_scalar",
    "check_int",
    "check_key",
    "check_choice",
    "fail",
    "ConvergenceWarning",
    "warn_unconverged",
    "check_rotation",
    "as_indices",
    "check_pytree_finite",
    "as_host",
]


def fail(where: str, name: str, rule: str, got: str, hint: str = "",
         exc: type[Exception] = ValueError) -> Exception:
    """Build (not raise) an exception following the house template."""
    msg = f"{where}({name}=...): expected {rule}; got {got}."
    if hint:
        msg += f" {hint}"
    return exc(msg)


def _shape_of(x: Any) -> tuple[int, ...] | None:
    return getattr(x, "shape", None)


def as_matrix(A: Any, name: str, where: str, *, square: bool = False,
              dtype: Any = None, allow_complex: bool = False) -> jax.Array:
    """Return ``A`` as a finite 2-D floating JAX array.

    Parameters
    ----------
    A : array_like of shape (m, n)
        The input. Python lists, numpy and JAX arrays are accepted.
    name, where : str
        Argument name and public caller, used in error messages.
    square : bool
        Require m == n.
    dtype : dtype, optional
        Cast to this floating dtype. Default: keep a floating dtype, promote
        integers to the default float (float64 when x64 is enabled).
    allow_complex : bool
        Accept complex input.

    Raises
    ------
    TypeError
        ``A`` is not array-like, or has a non-numeric dtype.
    ValueError
        ``A`` is not 2-D, not square when ``square``, empty, or holds NaN/inf.
    """
    if callable(A) and not hasattr(A, "shape"):
        raise fail(where, name, "an array of shape (m, n)", f"a callable {A!r}",
                   "Pass a matrix here, or use the function's matvec form.",
                   exc=TypeError)
    arr = _as_numeric(A, name, where, "an array of shape (m, n)", dtype)
    kind = arr.dtype.kind
    if kind == "b" or kind not in "iufc":
        raise fail(where, name, "a numeric (floating) array",
                   f"dtype {arr.dtype}", exc=TypeError)
    if kind == "c" and not allow_complex:
        raise fail(where, name, "a real array", f"dtype {arr.dtype}",
                   exc=TypeError)
    if dtype is not None:
        arr = arr.astype(dtype)
    elif kind in "iu":
        arr = arr.astype(jnp.result_type(float))
    if arr.ndim != 2:
        raise fail(where, name, "a 2-D array of shape (m, n)",
                   f"an array of shape {tuple(arr.shape)}")
    if arr.size == 0:
        raise fail(where, name, "a non-empty matrix", f"shape {tuple(arr.shape)}")
    if square and arr.shape[0] != arr.shape[1]:
        raise fail(where, name, "a square matrix of shape (n, n)",
                   f"shape {tuple(arr.shape)}")
    check_finite(arr, name, where)
    return jnp.asarray(arr)


def _as_numeric(x: Any, name: str, where: str, rule: str, dtype: Any) -> np.ndarray:
    """Convert on the host first, so that NaN checks never run inside JAX.

    ``dtype`` is applied by the caller *after* its dtype-kind checks: casting first would
    turn complex, boolean or string input into floats without a word.
    """
    try:
        return np.asarray(x)
    except (TypeError, ValueError) as err:
        raise fail(where, name, rule, f"an object of type {type(x).__name__}",
                   exc=TypeError) from err


def as_array(x: Any, name: str, where: str, *, ndim: int | tuple[int, ...] | None = None,
             rule: str | None = None, dtype: Any = None, allow_complex: bool = False,
             allow_empty: bool = False) -> jax.Array:
    """Return ``x`` as a finite N-D floating (or complex) JAX array.

    Parameters
    ----------
    x : array_like
        The input (list, numpy or JAX array).
    name, where : str
        Argument name and public caller, used in error messages.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions (default: any).
    rule : str, optional
        How the expected shape reads in messages, e.g. ``"an array of shape (N, T, 2)"``.
    dtype : dtype, optional
        Cast to this dtype. Default: keep a floating/complex dtype, promote integers
        to the default float.
    allow_complex : bool
        Accept complex input (kept complex).
    allow_empty : bool
        Accept arrays with a zero-length axis.

    Returns
    -------
    jax.Array

    Raises
    ------
    TypeError
        Not array-like; boolean, string or object dtype; complex when not allowed.
    ValueError
        Wrong number of dimensions, empty, or NaN/inf.
    """
    dims = (ndim,) if isinstance(ndim, int) else ndim
    rule = rule or (f"a {'-D or '.join(map(str, dims))}-D array" if dims else "an array")
    arr = _as_numeric(x, name, where, rule, dtype)
    kind = arr.dtype.kind
    if kind == "b" or kind not in "iufc":
        raise fail(where, name, "a numeric (floating) array", f"dtype {arr.dtype}",
                   exc=TypeError)
    if kind == "c" and not allow_complex:
        raise fail(where, name, "a real array", f"dtype {arr.dtype}", exc=TypeError)
    if dtype is not None:
        arr = arr.astype(dtype)
    elif kind in "iu":
        arr = arr.astype(jnp.result_type(float))
    if dims is not None and arr.ndim not in dims:
        raise fail(where, name, rule, f"an array of shape {tuple(arr.shape)}")
    if arr.size == 0 and not allow_empty:
        raise fail(where, name, "a non-empty array", f"shape {tuple(arr.shape)}")
    check_finite(arr, name, where)
    return jnp.asarray(arr)


def as_weights(W: Any, name: str, where: str) -> sp.csr_array | np.ndarray:
    """Validate graph weights: square, finite, real, symmetric and non-negative.

    Parameters
    ----------
    W : array_like or scipy.sparse matrix of shape (n, n)
    name, where : str
        Argument name and public caller, used in error messages.

    Returns
    -------
    scipy.sparse.csr_array (sparse input) or float64 ndarray of shape (n, n)

    Raises
    ------
    TypeError
        Not a real numeric matrix.
    ValueError
        Not square, empty, NaN/inf, negative weights, or not symmetric to
        ``1e-12 max|W|``.
    """
    if sp.issparse(W):
        if W.ndim != 2 or W.shape[0] != W.shape[1] or W.shape[0] == 0:
            raise fail(where, name, "a non-empty square matrix of shape (n, n)",
                       f"shape {tuple(W.shape)}")
        if W.dtype.kind not in "iuf":
            raise fail(where, name, "a real weight matrix", f"dtype {W.dtype}", exc=TypeError)
        S = sp.csr_array(W, dtype=np.float64)
        S.sum_duplicates()
        check_finite(S.data, name, where)
        data = S.data
        asym = abs(S - S.T).max() if S.nnz else 0.0
    else:
        S = np.asarray(as_matrix(W, name, where, square=True), dtype=np.float64)
        data = S
        asym = float(np.max(np.abs(S - S.T)))
    if data.size and float(np.min(data)) < 0:
        raise fail(where, name, "non-negative weights", f"min weight {float(np.min(data)):.3g}")
    scale = float(np.max(np.abs(data))) if data.size else 0.0
    if asym > 1e-12 * max(scale, 1e-300):
        raise fail(where, name, "a symmetric weight matrix", f"max |W - W^T| = {asym:.2e}",
                   "Symmetrise it, e.g. (W + W.T) / 2 or W.maximum(W.T).")
    return S


def as_vector(x: Any, name: str, where: str, *, size: int | None = None,
              dtype: Any = None, allow_complex: bool = False,
              allow_empty: bool = True) -> jax.Array:
    """Return ``x`` as a finite 1-D floating (or complex) JAX array of length ``size``.

    As :func:`as_array` with ``ndim=1``; ``allow_empty=False`` refuses length 0.
    """
    arr = as_array(x, name, where, ndim=1, rule="a 1-D array of shape (n,)", dtype=dtype,
                   allow_complex=allow_complex, allow_empty=True)
    if arr.shape[0] == 0 and not allow_empty:
        raise fail(where, name, "a non-empty array", "shape (0,)")
    if size is not None and arr.shape[0] != size:
        raise fail(where, name, f"shape ({size},)", f"shape {tuple(arr.shape)}")
    return arr


def check_finite(x: Any, name: str, where: str) -> Any:
    """Raise ``ValueError`` if ``x`` holds NaN or inf; return ``x``."""
    finite = np.isfinite(np.asarray(x))
    if not finite.all():
        n_bad = int(finite.size - finite.sum())
        raise fail(where, name, "finite values", f"{n_bad} NaN/inf entries",
                   "Clean the input first.")
    return x


def check_symmetric(A: jax.Array, name: str, where: str, *,
                    rtol: float | None = None) -> jax.Array:
    """Raise ``ValueError`` unless ``A`` is symmetric to a relative tolerance.

    The default tolerance is ``100 * eps`` of the dtype, relative to
    ``max|A|``: round-off from forming ``B^T B`` passes, a real asymmetry
    does not. Returns ``(A + A^T) / 2`` so that downstream code sees an
    exactly symmetric matrix.
    """
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise fail(where, name, "a square symmetric matrix",
                   f"shape {tuple(A.shape)}")
    eps = float(jnp.finfo(A.dtype).eps)
    tol = (100 * eps if rtol is None else rtol) * max(float(jnp.max(jnp.abs(A))), 1e-300)
    asym = float(jnp.max(jnp.abs(A - A.T)))
    if asym > tol:
        raise fail(where, name, f"a symmetric matrix (max |A - A^T| <= {tol:.1e})",
                   f"max |A - A^T| = {asym:.2e}",
                   "This solver needs a symmetric (Hermitian) operator; "
                   "symmetrise it or use an SVD-based routine.")
    return (A + A.T) / 2


def check_int(x: Any, name: str, where: str, *, min_val: int | None = None,
              max_val: int | None = None, hint: str = "") -> int:
    """Return ``x`` as ``int`` after checking type and range."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral):
        raise fail(where, name, "an int", f"{type(x).__name__} {x!r}", exc=TypeError)
    x = int(x)
    lo = "-inf" if min_val is None else str(min_val)
    hi = "inf" if max_val is None else str(max_val)
    if (min_val is not None and x < min_val) or (max_val is not None and x > max_val):
        raise fail(where, name, f"{lo} <= {name} <= {hi}", f"{name}={x}", hint)
    return x


def check_rank(k: Any, name: str, where: str, *, upper: int,
               upper_name: str = "n") -> int:
    """Check a requested number of pairs/rank: ``1 <= k <= upper``."""
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral):
        raise fail(where, name, "an int", f"{type(k).__name__} {k!r}", exc=TypeError)
    k = int(k)
    if not 1 <= k <= upper:
        raise fail(where, name, f"1 <= {name} <= {upper_name} = {upper}",
                   f"{name}={k}", f"{'Lower' if k > upper else 'Raise'} {name}.")
    return k


def check_scalar(x: Any, name: str, where: str, *, min_val: float | None = None,
                 max_val: float | None = None, strict_min: bool = False) -> float:
    """Return ``x`` as a finite ``float`` in ``[min_val, max_val]``.

    ``strict_min=True`` makes the lower bound exclusive (e.g. a tolerance > 0).
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise fail(where, name, "a real number", f"{type(x).__name__} {x!r}",
                   exc=TypeError)
    x = float(x)
    if not np.isfinite(x):
        raise fail(where, name, "a finite number", f"{name}={x}")
    if min_val is not None and (x < min_val or (strict_min and x == min_val)):
        op = ">" if strict_min else ">="
        raise fail(where, name, f"{name} {op} {min_val}", f"{name}={x}")
    if max_val is not None and x > max_val:
        raise fail(where, name, f"{name} <= {max_val}", f"{name}={x}")
    return x


def check_key(key: Any, name: str, where: str) -> jax.Array:
    """Check that ``key`` is a JAX PRNG key (typed or raw uint32[2])."""
    arr = key
    if isinstance(key, jax.Array) and jnp.issubdtype(key.dtype, jax.dtypes.prng_key):
        if key.shape != ():
            raise fail(where, name, "a single PRNG key", f"key array of shape {key.shape}")
        return key
    if (not isinstance(arr, (jax.Array, np.ndarray)) or arr.dtype != np.uint32
            or arr.shape != (2,)):
        raise fail(where, name, "a JAX PRNG key (jax.random.key(seed))",
                   f"{type(key).__name__} {getattr(key, 'shape', '')}".strip(),
                   "Randomness is explicit in eigenbook: pass jax.random.key(seed).",
                   exc=TypeError)
    return jnp.asarray(arr)


def check_tol(tol: Any, dtype: Any, where: str, name: str = "tol") -> float:
    """A relative tolerance ``> 0``; None means ``sqrt(eps)`` of ``dtype`` (1.5e-8 in float64)."""
    if tol is None:
        return float(jnp.finfo(dtype).eps) ** 0.5
    return check_scalar(tol, name, where, min_val=0.0, strict_min=True)


def check_choice(x: Any, name: str, where: str, choices: tuple[str, ...]) -> str:
    """Check that ``x`` is one of ``choices``."""
    if x not in choices:
        raise fail(where, name, f"one of {list(choices)}", f"{x!r}")
    return x


class ConvergenceWarning(UserWarning):
    """An iterative routine stopped before meeting its tolerance.

    Raised (as a warning) by every iterative routine in eigenbook that returns a result it
    could not bring within ``tol``; the result still carries ``converged=False`` and the
    residual reached. Chapters that run a solver short on purpose silence it explicitly::

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", eigenbook.ConvergenceWarning)
            ...
    """


def warn_unconverged(where: str, *, tol: float, reached: float, what: str = "residual",
                     n_iter: int | None = None, hint: str = "", stacklevel: int = 3) -> None:
    """Emit the one :class:`ConvergenceWarning` of a routine that stopped short.

    The message names the public routine, the tolerance and what was reached::

        eigen.lanczos: stopped after n_iter=300 with residual 3.1e-03 > tol=1.5e-08. Raise max_iter.
    """
    after = f" after n_iter={n_iter}" if n_iter is not None else ""
    msg = f"{where}: stopped{after} with {what} {float(reached):.2e} > tol={float(tol):.2e}."
    if hint:
        msg += f" {hint}"
    warnings.warn(msg, ConvergenceWarning, stacklevel=stacklevel)


def _is_tracer(x: Any) -> bool:
    return isinstance(x, jax.core.Tracer)


def check_rotation(R: Any, name: str, where: str, *, atol: float = 1e-6,
                   batch: bool = True) -> jax.Array:
    """Return ``R`` as rotation matrices of shape ``(..., 3, 3)`` (``(3, 3)`` if not ``batch``).

    Checks: real, finite, orthogonal (``max |RᵀR - I| <= atol``) and ``det R = +1`` (to
    ``atol``). Under ``jit``/``vmap`` (a tracer) only the shape is checked, so that the
    caller stays transformable.

    Raises
    ------
    TypeError
        Not a real numeric array.
    ValueError
        Wrong shape, NaN/inf, not orthogonal, or a reflection (``det R = -1``).
    """
    rule = "rotation matrices of shape (..., 3, 3)" if batch else "a rotation matrix (3, 3)"
    if _is_tracer(R):
        if R.shape[-2:] != (3, 3) or (not batch and R.ndim != 2):
            raise fail(where, name, rule, f"shape {tuple(R.shape)}")
        return R
    arr = as_array(R, name, where, rule=rule, allow_empty=True)
    if arr.ndim < 2 or arr.shape[-2:] != (3, 3) or (not batch and arr.ndim != 2):
        raise fail(where, name, rule, f"an array of shape {tuple(arr.shape)}")
    a = np.asarray(arr)
    if a.size == 0:
        return arr
    gram = np.einsum("...ji,...jk->...ik", a, a)
    orth = float(np.max(np.abs(gram - np.eye(3))))
    if orth > atol:
        raise fail(where, name, f"an orthogonal matrix (max |R^T R - I| <= {atol:.0e})",
                   f"max |R^T R - I| = {orth:.2e}",
                   "Orthonormalise it first, e.g. with orth.polar_svd.")
    det = np.linalg.det(a)
    if float(np.min(det)) < 1 - atol:
        raise fail(where, name, "a rotation (det R = +1)",
                   f"det R = {float(np.min(det)):.3g} (a reflection)")
    return arr


def as_indices(x: Any, name: str, where: str, *, upper: int | None = None,
               ndim: int | None = None, rule: str | None = None,
               allow_empty: bool = False) -> np.ndarray:
    """Return ``x`` as an int64 ndarray of indices ``0 <= x < upper``.

    Integer dtypes are accepted, and floats holding whole numbers (``3.0``); booleans,
    strings, fractions, NaN/inf, negatives and values ``>= upper`` are refused.

    Raises
    ------
    TypeError
        Boolean, string, complex or object dtype.
    ValueError
        Wrong ``ndim``, empty, fractional, NaN/inf or out of range.
    """
    rule = rule or ("an int array" if ndim is None else f"a {ndim}-D int array")
    arr = _as_numeric(x, name, where, rule, None)
    kind = arr.dtype.kind
    if kind == "b" or kind not in "iuf":
        raise fail(where, name, "integer indices", f"dtype {arr.dtype}", exc=TypeError)
    if ndim is not None and arr.ndim != ndim:
        raise fail(where, name, rule, f"an array of shape {tuple(arr.shape)}")
    if arr.size == 0 and not allow_empty:
        raise fail(where, name, "a non-empty array", f"shape {tuple(arr.shape)}")
    if kind == "f":
        check_finite(arr, name, where)
        if not np.all(arr == np.round(arr)):
            raise fail(where, name, "whole numbers (indices)", "fractional entries")
    out = arr.astype(np.int64)
    if out.size and int(out.min()) < 0:
        raise fail(where, name, "indices >= 0", f"min {int(out.min())}")
    if upper is not None and out.size and int(out.max()) >= upper:
        raise fail(where, name, f"indices < {upper}", f"max {int(out.max())}")
    return out


def check_pytree_finite(tree: Any, name: str, where: str) -> Any:
    """Check that every array leaf of a pytree (dict of parameters...) is real and finite.

    The message names the leaf: ``orth.muon_step(params['w']=...)``.
    """
    leaves = jax.tree_util.tree_leaves_with_path(tree)
    for path, leaf in leaves:
        label = name + jax.tree_util.keystr(path)
        a = _as_numeric(leaf, label, where, "an array", None)
        if a.dtype.kind not in "iuf" or a.dtype.kind == "b":
            raise fail(where, label, "a real floating array", f"dtype {a.dtype}", exc=TypeError)
        check_finite(a, label, where)
    return tree


def as_host(x: Any, name: str, where: str, *, ndim: int | tuple[int, ...] | None = None,
            rule: str | None = None, allow_empty: bool = False) -> np.ndarray:
    """:func:`as_array` on the host: a finite real float64 ``ndarray``, no JAX involved.

    For routines that run host LAPACK in a loop with changing shapes (no device transfer,
    no compilation). Same rules and messages as :func:`as_array` (complex refused).
    """
    dims = (ndim,) if isinstance(ndim, int) else ndim
    rule = rule or (f"a {'-D or '.join(map(str, dims))}-D array" if dims else "an array")
    arr = _as_numeric(x, name, where, rule, None)
    kind = arr.dtype.kind
    if kind == "b" or kind not in "iufc":
        raise fail(where, name, "a numeric (floating) array", f"dtype {arr.dtype}",
                   exc=TypeError)
    if kind == "c":
        raise fail(where, name, "a real array", f"dtype {arr.dtype}", exc=TypeError)
    if dims is not None and arr.ndim not in dims:
        raise fail(where, name, rule, f"an array of shape {tuple(arr.shape)}")
    if arr.size == 0 and not allow_empty:
        raise fail(where, name, "a non-empty array", f"shape {tuple(arr.shape)}")
    arr = arr.astype(np.float64, copy=False)
    check_finite(arr, name, where)
    return arr
