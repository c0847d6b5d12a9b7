"""Tests of eigenbook.display: show_source prints public code and its declared implementation."""

import importlib

import pytest
from eigenbook import display, orth, sketch

FAMILIES = ["eigen", "lowrank", "sketch", "orth", "graphs", "ssm", "equivariant", "tensors"]


def test_show_source_drops_the_docstring_and_appends_the_impl(capsys):
    display.show_source(orth.gram_schmidt)
    out = capsys.readouterr().out
    assert out.startswith("def gram_schmidt(")
    assert "Parameters" not in out and "@implemented_by" not in out
    assert "def _gs_impl(" in out and "passes = 2" in out
    assert display.source(orth.gram_schmidt, impl=False).rstrip().endswith(
        "return QRResult(*_gs_impl(A, method))")


def test_impls_named_by_string_resolve_in_the_module():
    text = display.source(sketch.projection_dpp_sample)
    assert "def _dpp_impl(" in text


def test_every_declared_impl_resolves():
    n = 0
    for fam in FAMILIES:
        mod = importlib.import_module(f"eigenbook.{fam}")
        for name in getattr(mod, "__all__", dir(mod)):
            fn = getattr(mod, name)
            if getattr(fn, "__impl__", None):
                text = display.source(fn)
                for impl in fn.__impl__:
                    impl_name = impl if isinstance(impl, str) else impl.__name__
                    assert f"def {impl_name}(" in text
                n += 1
    assert n >= 8


def test_validation():
    with pytest.raises(ValueError, match=r"display.show_source\(fn=...\).*private"):
        display.show_source(sketch._rsvd._range_impl)
    with pytest.raises(TypeError, match=r"display.source\(fn=...\)"):
        display.source(3)
    with pytest.raises(ValueError, match="at least one"):
        display.implemented_by()
    with pytest.raises(TypeError, match="functions or their names"):
        display.implemented_by(3)

    @display.implemented_by("_nowhere")
    def public():
        return 0

    with pytest.raises(ValueError, match="_nowhere"):
        display.source(public)


def test_plotting_import_still_works():
    from eigenbook.plotting import use_house_style

    assert use_house_style is display.use_house_style
