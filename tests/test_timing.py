"""The timing helpers and the "Against the reference" harness (fake callables)."""

import time

import jax.numpy as jnp
import numpy as np
import pytest
from eigenbook.claims import Recorder
from eigenbook.timing import Case, ReferenceTable, against_reference, best_time, record_as


def sleeper(seconds, value=None, first_extra=0.0):
    """A thunk that sleeps ``seconds`` (plus ``first_extra`` on its first call) and counts calls."""
    calls = []

    def fn():
        time.sleep(seconds + (first_extra if not calls else 0.0))
        calls.append(1)
        return value

    fn.calls = calls
    return fn


def test_best_time_takes_the_minimum_after_warmup():
    durations = iter([0.2, 0.05, 0.03, 0.04])  # warm-up, then three timed calls

    def fn():
        time.sleep(next(durations))
        return jnp.ones(3)

    seconds, out = best_time(fn, repeats=3, warmup=1)
    assert 0.03 <= seconds < 0.045 + 0.02
    np.testing.assert_array_equal(out, np.ones(3))


def test_best_time_rejects_bad_counts():
    with pytest.raises(ValueError, match="best_time"):
        best_time(lambda: None, repeats=0)
    with pytest.raises(ValueError, match="best_time"):
        best_time(lambda: None, warmup=-1)


def test_ratio_first_call_and_best_of_n():
    book = sleeper(0.02, value=np.array([1.0, 2.0]), first_extra=0.1)  # one-time "compile"
    ref = sleeper(0.04, value=np.array([1.0, 2.5]))
    rec = Recorder("test")
    table = against_reference(
        [Case("p", "book", book, "ref", ref,
              accuracy=lambda o, r: {"max diff": np.max(np.abs(o - r)), "note": "ok"},
              ratio_name="book_vs_ref",
              record={"max diff": record_as("reference.max_diff", atol=1e-12)})],
        recorder=rec, repeats=3, warmup=2)
    (row,) = table.rows
    assert len(book.calls) == len(ref.calls) == 2 + 3  # warm-up (first included) + repeats
    assert 0.02 <= row.seconds < 0.05  # best of 3, loose: shared CPUs
    assert 0.04 <= row.reference_seconds < 0.07
    assert row.first_seconds >= 0.12 and row.first_seconds > row.seconds + 0.08
    assert row.ratio == pytest.approx(row.seconds / row.reference_seconds)
    assert 0.25 < row.ratio < 1.0
    assert row.accuracy == {"max diff": 0.5, "note": "ok"}
    np.testing.assert_array_equal(row.output, [1.0, 2.0])
    assert rec.metrics["time_ratio.book_vs_ref"] == {"value": row.ratio, "unit": "x",
                                                      "kind": "timing"}
    assert rec.metrics["reference.max_diff"]["value"] == 0.5
    assert rec.metrics["reference.max_diff"]["atol"] == 1e-12


def test_shared_callables_are_timed_once_and_table_renders():
    ref = sleeper(0.01, value=1.0)
    a, b = sleeper(0.005, value=1.5), sleeper(0.005, value=3.0)
    table = against_reference(
        [Case("p", "a", a, "ref", ref, accuracy=lambda o, r: {"err": abs(o - r)}),
         Case("p", "b", b, "ref", ref, accuracy=lambda o, r: {"err": abs(o - r), "ARI": 0.25}),
         Case("q", "a", a, "ref", ref)],
        repeats=2, reference_rows=True, formats={"ARI": ".3f"})
    assert len(ref.calls) == len(a.calls) == 1 + 2
    assert [(r.problem, r.method, r.reference) for r in table.rows] == [
        ("p", "ref", ""), ("p", "a", "ref"), ("p", "b", "ref"), ("q", "ref", ""), ("q", "a", "ref")]
    assert table.rows[0].ratio == 1.0 and table.rows[0].accuracy == {"err": 0.0}
    assert table.row("p", "b").accuracy["err"] == 2.0
    assert table.accuracy_columns == ["err", "ARI"]
    md = table._repr_markdown_()
    lines = md.splitlines()
    assert lines[0].startswith("| problem | method | reference | first call (s) | time (s)")
    assert len(lines) == 2 + 5
    assert "| 0.250 |" in lines[4] and "| 2.0e+00 |" in lines[4]
    assert lines[2].count("—") == 1 and "| (reference) |" in lines[2]
    assert lines[-1].endswith("| — | — |")
    with pytest.raises(KeyError, match="ReferenceTable.row"):
        table.row("p", "nope")


def test_reference_rows_skip_a_reference_that_is_also_a_method():
    ref, other, book = sleeper(0.0, 1.0), sleeper(0.0, 2.0), sleeper(0.0, 3.0)
    table = against_reference([Case("p", "book", book, "ref", ref),
                               Case("p", "other", other, "ref", ref),
                               Case("p", "book", book, "other", other)],
                              repeats=1, reference_rows=True)
    assert [(r.method, r.reference) for r in table.rows] == [
        ("ref", ""), ("book", "ref"), ("other", "ref"), ("book", "other")]


def test_bad_input_raises_clear_errors():
    f = sleeper(0.0)
    ok = Case("p", "m", f, "r", f)
    with pytest.raises(ValueError, match="at least one Case"):
        against_reference([])
    with pytest.raises(TypeError, match="sequence of timing.Case"):
        against_reference(ok)
    with pytest.raises(TypeError, match=r"cases\[0\]\): expected a timing.Case"):
        against_reference([("p", "m", f, "r", f)])
    with pytest.raises(TypeError, match=r"cases\[0\].run\): expected a callable"):
        against_reference([ok._replace(run=1.0)])
    with pytest.raises(ValueError, match="repeats"):
        against_reference([ok], repeats=0)
    with pytest.raises(ValueError, match="warmup"):
        against_reference([ok], warmup=0)
    with pytest.raises(ValueError, match="appears twice"):
        against_reference([ok, ok])
    with pytest.raises(ValueError, match="pass recorder=rec"):
        against_reference([ok._replace(ratio_name="x")])
    with pytest.raises(ValueError, match="recorded twice"):
        against_reference([ok._replace(ratio_name="x"), ok._replace(method="n", ratio_name="x")],
                          recorder=Recorder("test"))
    with pytest.raises(ValueError, match="not among the accuracy columns"):
        against_reference([ok._replace(accuracy=lambda o, r: {"a": 1.0},
                                       record={"b": record_as("m.b", atol=0.1)})],
                          recorder=Recorder("test"))
    with pytest.raises(TypeError, match="return a mapping"):
        against_reference([ok._replace(accuracy=lambda o, r: 1.0)])
    with pytest.raises(TypeError, match="record_as"):
        against_reference([ok._replace(record={"a": "m.a"})], recorder=Recorder("test"))
    with pytest.raises(ValueError, match="drift tolerance"):
        record_as("m.a")


def test_table_is_a_namedtuple_with_markdown_repr():
    table = ReferenceTable(rows=())
    assert table.accuracy_columns == []
    assert repr(table).startswith("| problem | method |")


def test_xla_flops_counts_a_matrix_product():
    from eigenbook.timing import xla_flops

    assert xla_flops(lambda a: a @ a, np.ones((16, 16))) == 2 * 16**3
    with pytest.raises(TypeError, match="fn"):
        xla_flops(3)
