"""Argument kinds of the contract test and the bad inputs that apply to each.

Each kind maps to a function ``mutations(value, arg) -> list[(label, bad_value)]``: the
inputs a careful user might pass by mistake (issue 29). ``value`` is the valid example
value of the argument; ``arg`` its :class:`Arg` declaration (for bounds such as ``n + 1``).
A mutation listed in ``Arg.valid`` is a declared valid edge case instead: it is called and
must succeed (no exception, finite output).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jax
import numpy as np


@dataclass
class Arg:
    """One argument of a registry entry.

    kind : str
        One of :data:`KINDS`.
    value : Any
        The valid example value.
    upper : int, optional
        For counts: the largest valid value (``upper + 1`` is then a bad input).
    valid : dict
        Mutation label -> why that input is legitimate here (called; must succeed).
    bad : list of (label, value)
        Extra bad inputs specific to this argument.
    promote : bool
        Integer input must be promoted (f(int array) == f(float array)); default for
        real-array kinds.
    """

    kind: str
    value: Any
    upper: int | None = None
    valid: dict[str, str] = field(default_factory=dict)
    bad: list[tuple[str, Any]] = field(default_factory=list)
    promote: bool | None = None
    ndim: int | None = None
    nan_out: tuple[str, ...] = ()  # declared-valid labels whose documented answer is NaN


def _np(v):
    return np.asarray(v)


def _array_common(v):
    a = _np(v).astype(float)
    nan = a.copy()
    nan.flat[0] = np.nan
    inf = a.copy()
    inf.flat[-1] = np.inf
    return [
        ("nan", nan),
        ("inf", inf),
        ("complex", a + 1j),
        ("bool", a > a.mean()),
        ("string", np.full(a.shape, "x")),
        ("object", object()),
    ]


def _matrix(v, arg):
    a = _np(v).astype(float)
    return _array_common(a) + [
        ("ndim1", a[0]),
        ("ndim3", a[None]),
        ("empty", a[:0]),
    ]


def _square(v, arg):
    a = _np(v).astype(float)
    return _matrix(a, arg) + [("nonsquare", a[:, :-1])]


def _symmetric(v, arg):
    a = _np(v).astype(float)
    asym = a.copy()
    asym[0, -1] += 1.0 + abs(a).max()
    return _square(a, arg) + [("nonsymmetric", asym)]


def _vector(v, arg):
    a = _np(v).astype(float)
    return _array_common(a) + [("ndim2", a[None]), ("empty", a[:0])]


def _array(v, arg):
    """An N-D array of fixed ndim (shape rules in the docstring of the function)."""
    a = _np(v).astype(float)
    out = _array_common(a) + [("ndim+1", a[None]), ("empty", a[:0])]
    if a.ndim > 1:
        out.append(("ndim-1", a[0]))
    return out


def _batch(v, arg):
    """An array ``(..., d)``: any batch shape; the last axis is checked."""
    a = _np(v).astype(float)
    return _array_common(a) + [("lastaxis", a[..., :-1]), ("empty", a[..., :0, :])
                               if a.ndim > 1 else ("empty", a[:0])]


def _complex_vector(v, arg):
    a = _np(v)
    nan, inf = a.copy(), a.copy()
    nan.flat[0] = np.nan
    inf.flat[-1] = np.inf
    return [("nan", nan), ("inf", inf), ("string", np.full(a.shape, "x")),
            ("bool", a.real > 0), ("ndim2", a[None]), ("empty", a[:0])]


def _complex_matrix(v, arg):
    a = _np(v)
    nan = a.copy()
    nan.flat[0] = np.nan
    return [("nan", nan), ("string", np.full(a.shape, "x")), ("bool", a.real > 0),
            ("ndim1", a[0]), ("empty", a[:0])]


def _rotation(v, arg):
    """Rotation matrices ``(..., 3, 3)``: orthogonal with det +1."""
    R = _np(v).astype(float)
    nan = R.copy()
    nan.flat[0] = np.nan
    return [
        ("nan", nan),
        ("complex", R + 1j),
        ("string", np.full(R.shape, "x")),
        ("not_orthogonal", 2.0 * R),
        ("reflection", -R),
        ("shape", R[..., :2]),
    ]


def _count(v, arg):
    out = [("zero", 0), ("negative", -1), ("fraction", 2.5), ("bool", True), ("string", "3"),
           ("none", None)]
    if arg.upper is not None:
        out.append(("n+1", arg.upper + 1))
    return out


def _nonneg_int(v, arg):
    out = [("negative", -1), ("fraction", 2.5), ("bool", True), ("string", "3"), ("none", None)]
    if arg.upper is not None:
        out.append(("n+1", arg.upper + 1))
    return out


def _positive(v, arg):
    return [("zero", 0.0), ("negative", -1.0), ("nan", float("nan")), ("inf", float("inf")),
            ("string", "0.1"), ("complex", 1j)]


def _nonneg(v, arg):
    return [("negative", -1.0), ("nan", float("nan")), ("inf", float("inf")),
            ("string", "0.1"), ("complex", 1j)]


def _scalar(v, arg):
    return [("nan", float("nan")), ("inf", float("inf")), ("string", "0.1"), ("complex", 1j)]


def _fraction(v, arg):
    """A number in [0, 1] (a probability, a share)."""
    return [("negative", -0.1), ("above_one", 1.5), ("nan", float("nan")), ("string", "0.5")]


def _key(v, arg):
    return [("int", 0), ("none", None), ("array", np.zeros(3))]


def _choice(v, arg):
    return [("unknown", "no-such-option"), ("int", 3)]


def _callable(v, arg):
    return [("not_callable", 3)]


def _shape(v, arg):
    return [("negative", tuple(-1 for _ in v) if isinstance(v, tuple) and v else (-1,)),
            ("fraction", (2.5,)), ("string", "ab")]


def _index_vector(v, arg):
    """Integer indices into an axis of length ``arg.upper``."""
    a = _np(v)
    out = [("negative", np.where(np.arange(a.size) == 0, -1, a)), ("fraction", a + 0.5),
           ("string", np.full(a.shape, "x")), ("ndim2", a[None])]
    if arg.upper is not None:
        out.append(("out_of_range", np.where(np.arange(a.size) == 0, arg.upper, a)))
    return out


def _mask(v, arg):
    a = _np(v)
    return [("int", a.astype(int) * 2), ("length", a[:-1]), ("string", np.full(a.shape, "x"))]


def _none(v, arg):
    return []


KINDS = {
    "matrix": _matrix,                # real 2-D (m, n)
    "square": _square,                # real 2-D (n, n)
    "symmetric": _symmetric,          # real symmetric (n, n)
    "vector": _vector,                # real 1-D (n,)
    "array": _array,                  # real N-D of fixed ndim
    "batch": _batch,                  # real (..., d)
    "complex_vector": _complex_vector,
    "complex_matrix": _complex_matrix,
    "rotation": _rotation,            # (..., 3, 3), orthogonal, det +1
    "count": _count,                  # int >= 1 (<= upper)
    "nonneg_int": _nonneg_int,        # int >= 0 (<= upper)
    "positive": _positive,            # real > 0 (a tolerance, a step, a rate)
    "nonneg": _nonneg,                # real >= 0
    "scalar": _scalar,                # finite real
    "fraction": _fraction,            # real in [0, 1]
    "key": _key,                      # a JAX PRNG key
    "choice": _choice,                # one of a set of strings
    "callable": _callable,
    "shape": _shape,                  # tuple of non-negative ints
    "indices": _index_vector,         # int array of indices < upper
    "mask": _mask,                    # bool array
    "opaque": _none,                  # not mutated (a pytree, a result object...): said why
}

REAL_ARRAY_KINDS = {"matrix", "square", "symmetric", "vector", "array", "batch"}


def mutations(arg: Arg) -> list[tuple[str, Any]]:
    out = KINDS[arg.kind](arg.value, arg) + list(arg.bad)
    return out


def key0():
    return jax.random.key(0)
