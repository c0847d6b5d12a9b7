"""The public API's shape rules (CONTRIBUTING.md, issue 13 §1), checked on every family.

* Results are NamedTuples: no public function is annotated to return a bare
  ``tuple`` or ``dict``.
* Keys and options are keyword-only: no parameter named ``key`` is positional, and a
  positional parameter with a default is a problem size or the data itself, never an
  option (the allow-list below names each one and why).
"""

from __future__ import annotations

import importlib
import inspect
import types
import typing

import pytest

FAMILIES = ("eigen", "lowrank", "sketch", "orth", "graphs", "equivariant", "tensors", "ssm",
            "krylov", "koopman", "curvature", "spd", "diagnostics", "physics", "spectral",
            "transforms", "operators", "data", "nn", "display", "timing")
FLOOR = ("_checks", "_operators", "_results", "claims", "testing", "plotting")

# function -> why it may return a bare tuple
TUPLE_RETURNS = {
    "equivariant.tp_paths": "a variable-length collection of (l1, l2, l3) paths, not a record",
    "equivariant.as_irreps": "an Irreps: a variable-length collection of (l, parity) pairs",
    "equivariant.path_irreps": "an Irreps: a variable-length collection of (l, parity) pairs",
    "tensors.multilinear_singular_values": "one spectrum per mode: a collection of d arrays",
    "tensors.tucker_eps_ranks": "one rank per mode: a tuple of d ints (a shape, like core.shape)",
    "operators.init_fno": "a parameter pytree (dict of arrays) that nn.fit trains, not a record",
    "operators.init_tfno": "a parameter pytree (dict of arrays) that nn.fit trains, not a record",
    "operators.init_deeponet": "a parameter pytree (dict of arrays) that nn.fit trains",
    "operators.init_lsm_block": "a parameter pytree (dict of arrays) that nn.fit trains",
}

# function -> why it may take key positionally
POSITIONAL_KEY = {
    "data.numpy_rng": "the key is the data: it is converted to a numpy Generator",
    "_checks.check_key": "a validator: its first argument is the value it checks",
}

# (function, parameter) -> why a positional parameter may have a default
POSITIONAL_DEFAULTS = {
    ("data.data_dir", "path"): "the data itself (default: the book's data/ folder)",
    ("data.haar_orthogonal", "p"): "a size: the matrix is (n, p)",
    ("tensors.hosvd", "ranks"): "a size: the multilinear ranks (None when eps= picks them)",
    ("tensors.chebtucker", "n"): "a size: points per axis (None when f is a ChebyshevTensor)",
    ("data.haar_rotation", "shape"): "a size: the batch shape",
    ("equivariant.random_rotation", "shape"): "a size: the batch shape",
    ("equivariant.tp_paths", "L_out"): "a size: the largest output degree",
    ("equivariant.cg_op_count", "L_out"): "a size: the largest output degree",
    ("equivariant.cp_op_count", "L_out"): "a size: the largest output degree",
    ("equivariant.coupling_tensor", "L_out"): "a size: the largest output degree",
    ("equivariant.full_tensor_product", "L_out"): "a size: the largest output degree",
    ("equivariant.span_dimension", "L_out"): "a size: the largest output degree",
    ("equivariant.as_irreps", "name"): "a validator: (x, name, where) like every _checks one",
    ("equivariant.as_irreps", "where"): "a validator: (x, name, where) like every _checks one",
    ("_checks.check_tol", "name"): "a validator: (x, ..., where, name)",
    ("_checks.fail", "hint"): "the error's parts, in the order they are printed",
    ("_checks.fail", "exc"): "the error's parts, in the order they are printed",
}


def _public_functions(modules):
    out = []
    for fam in modules:
        mod = importlib.import_module(f"eigenbook.{fam}")
        names = getattr(mod, "__all__", None)
        if names is None:
            names = [n for n in vars(mod) if not n.startswith("_")]
        for name in names:
            obj = inspect.unwrap(getattr(mod, name))  # functools.cache wrappers
            if inspect.isfunction(obj) and obj.__module__.startswith("eigenbook"):
                out.append((f"{fam}.{name}", obj))
    return out


FUNCTIONS = _public_functions(FAMILIES + FLOOR)


def _bare_container(fn) -> str | None:
    """``"tuple"``/``"dict"`` when the return annotation is (a union with) a bare one."""
    try:
        ret = typing.get_type_hints(fn).get("return", None)
    except Exception:  # names only imported for type checking: read the string
        text = str(inspect.signature(fn).return_annotation).replace(" ", "")
        for part in text.split("|"):
            head = part.split("[")[0].removeprefix("typing.").lower()
            if head in ("tuple", "dict"):
                return head
        return None
    for t in (typing.get_args(ret) if typing.get_origin(ret) in (typing.Union, types.UnionType)
              else (ret,)):
        base = typing.get_origin(t) or t
        if base in (tuple, dict):
            return base.__name__
    return None


def test_the_walk_sees_every_family():
    seen = {name.split(".")[0] for name, _ in FUNCTIONS}
    assert set(FAMILIES) <= seen
    assert len(FUNCTIONS) > 150


@pytest.mark.parametrize("name,fn", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_results_are_named_tuples(name, fn):
    if name in TUPLE_RETURNS:
        return
    bare = _bare_container(fn)
    assert bare is None, (f"{name} is annotated to return a bare {bare}; return a NamedTuple "
                          "with documented fields (or add it to TUPLE_RETURNS with a reason)")


@pytest.mark.parametrize("name,fn", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_keys_and_options_are_keyword_only(name, fn):
    positional = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if name not in POSITIONAL_KEY:
        assert "key" not in [p.name for p in positional], (
            f"{name}: key must be keyword-only (after *)")
    for p in positional:
        if p.default is not p.empty:
            assert (name, p.name) in POSITIONAL_DEFAULTS, (
                f"{name}({p.name}=...): an option must be keyword-only (after *); a size or "
                "the data itself goes in POSITIONAL_DEFAULTS with a reason")


def test_allow_lists_name_real_parameters():
    """A stale entry would hide a regression: every allowed name must still exist."""
    sigs = {name: inspect.signature(fn) for name, fn in FUNCTIONS}
    for name in list(TUPLE_RETURNS) + list(POSITIONAL_KEY):
        assert name in sigs, name
    for name, param in POSITIONAL_DEFAULTS:
        assert name in sigs and param in sigs[name].parameters, (name, param)
    # and the detector itself sees the allowed bare tuple
    assert _bare_container(dict(FUNCTIONS)["equivariant.tp_paths"]) == "tuple"
