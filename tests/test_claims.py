"""The claims recorder: assertions, records, tolerances, rendering, atomic files."""

import json

import pytest
from eigenbook import claims
from eigenbook.claims import Recorder, at_least, at_most, between, close_to


def record(rec, measured, check, **kw):
    return rec.claim("c1", statement="s", paper="key2024", source="Thm 2",
                     paper_value="<= 1", measured=measured, check=check, **kw)


def test_checks_are_inclusive_and_reject_nan():
    assert at_most(1).holds(1.0) and not at_most(1).holds(1.0 + 1e-12)
    assert at_least(2).holds(2.0) and not at_least(2).holds(1.9)
    assert between(0, 1).holds(0.5) and not between(0, 1).holds(float("nan"))
    assert close_to(10, rtol=0.1).holds(11) and not close_to(10, rtol=0.1).holds(11.01)
    assert close_to(0, atol=1e-9).text == "0 ± 1.000e-09"


def test_bad_checks_are_refused():
    with pytest.raises(ValueError, match="lo <= hi"):
        between(2, 1)
    with pytest.raises(ValueError, match="not both 0"):
        close_to(1.0)


def test_failing_claim_raises_naming_chapter_and_claim_and_is_recorded():
    rec = Recorder("99_test", path=None)
    with pytest.raises(AssertionError, match=r"claim 'c1' of chapter 99_test does not hold: "
                                             r"measured 2, required <= 1 \(key2024, Thm 2"):
        record(rec, 2.0, at_most(1.0), rtol=0.1)
    assert rec.claims["c1"].holds is False  # recorded before raising
    assert rec.metrics["claim.c1"] == {"value": 2.0, "unit": "", "kind": "accuracy",
                                       "rtol": 0.1}


def test_claim_needs_a_drift_tolerance_and_a_check():
    rec = Recorder("99_test")
    with pytest.raises(ValueError, match="drift tolerance"):
        record(rec, 0.5, at_most(1.0))
    with pytest.raises(TypeError, match="expected a Check"):
        record(rec, 0.5, "<= 1", atol=0)


def test_not_reproduced_needs_a_reason_and_is_not_asserted():
    rec = Recorder("99_test")
    with pytest.raises(ValueError, match="expected a reason"):
        rec.not_reproduced("n1", statement="s", paper="k", source="Fig. 1", paper_value=1,
                           measured=5.0, check=at_most(1.0), reason=" ", rtol=0.5)
    rec.not_reproduced("n1", statement="s", paper="k", source="Fig. 1", paper_value=1,
                       measured=5.0, check=at_most(1.0), reason="needs n=1e9", rtol=0.5)
    c = rec.claims["n1"]
    assert (c.holds, c.reproduced, c.reason) == (False, False, "needs n=1e9")
    assert "not reproduced (needs n=1e9)" in claims.claims_markdown(rec.as_dict()["claims"])


def test_metrics_timings_have_no_tolerance_others_need_one():
    rec = Recorder("99_test")
    rec.metric("t", 1.5, unit="s", kind="timing")
    assert rec.time_ratio("eigsh", 1.0, 4.0) == 0.25
    assert rec.metrics["time_ratio.eigsh"]["kind"] == "timing"
    with pytest.raises(ValueError, match="drift tolerance"):
        rec.metric("err", 1e-12)
    with pytest.raises(ValueError, match="expected one of"):
        rec.metric("err", 1e-12, kind="speed", atol=0)


def test_records_are_written_atomically_and_rerun_cells_replace(tmp_path, monkeypatch):
    path = tmp_path / "m" / "metrics.json"
    monkeypatch.setenv(claims.METRICS_ENV, str(path))
    rec = Recorder("99_test")
    record(rec, 0.5, at_most(1.0), atol=1e-3)
    record(rec, 0.25, at_most(1.0), atol=1e-3)  # a re-run cell replaces, never duplicates
    data = json.loads(path.read_text())
    assert data["chapter"] == "99_test" and len(data["claims"]) == 1
    assert data["claims"][0]["measured"] == 0.25
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_atomic_write_keeps_old_file_when_serialisation_fails(tmp_path):
    path = tmp_path / "x.json"
    claims.write_json_atomic(path, {"a": 1})
    with pytest.raises(TypeError):
        claims.write_json_atomic(path, {"a": object()})
    assert json.loads(path.read_text()) == {"a": 1}
    assert list(tmp_path.iterdir()) == [path]


def test_table_renders_every_column():
    rec = Recorder("99_test")
    record(rec, 1.234567e-7, at_most(1e-6), rtol=0.5)
    md = rec.table().data
    assert md.splitlines()[0].startswith("| Claim | Source | Paper's value | Measured")
    assert "{cite:t}`key2024`, Thm 2" in md and "1.235e-07" in md and "| yes |" in md


@pytest.mark.parametrize("x, text", [(0.5, "0.5"), (123456.0, "1.235e+05"),
                                     (1e-4, "1.000e-04"), (True, "yes"), ("1/√R", "1/√R")])
def test_format_value(x, text):
    assert claims.format_value(x) == text


def test_a_claim_whose_control_also_passes_cannot_fail():
    rec = Recorder("99_test")
    with pytest.raises(AssertionError, match=r"claim 'c1' of chapter 99_test cannot fail: its "
                                             r"control \(Q = 0\) also satisfies <= 1"):
        record(rec, 0.5, at_most(1.0), rtol=0.1, control=claims.control(0.9, "Q = 0"))
    # a control that fails the check makes the claim falsifiable, and is recorded and shown
    rec = Recorder("99_test")
    record(rec, 0.5, at_most(1.0), rtol=0.1, control=claims.control(3.0, "Q = 0"))
    stored = rec.as_dict()["claims"][0]
    assert stored["kind"] == "paper" and stored["control"] == {"value": 3.0, "what": "Q = 0"}
    assert "| 3 (Q = 0) |" in claims.claims_markdown([stored])
    with pytest.raises(ValueError, match="kind=..."):
        record(Recorder("x"), 0.5, at_most(1.0), rtol=0.1, kind="theorem")
    with pytest.raises(TypeError, match="control=..."):
        record(Recorder("x"), 0.5, at_most(1.0), rtol=0.1, control=3.0)
    with pytest.raises(ValueError, match="what=..."):
        claims.control(3.0, " ")


def test_implementation_claims_are_shown_apart_and_count_for_no_paper():
    from eigenbook.book import metrics, report

    rec = Recorder("99_test")
    rec.claim("impl", statement="GKL equals LAPACK", paper="golub1965", source="§2",
              paper_value="equal", measured=1e-15, check=at_most(1e-12), atol=1e-12,
              kind="implementation")
    record(rec, 0.5, at_most(1.0), rtol=0.1, control=claims.control(3.0, "Q = 0"))
    rec.claim("weak", statement="s", paper="other2020", source="Fig. 1", paper_value=1,
              measured=0.5, check=at_most(1.0), rtol=0.1)          # paper claim, no control
    table = rec.table().data
    assert table.index("**c1**") < table.index("Implementation checks") < table.index("**impl**")
    rows = rec.as_dict()["claims"]
    s = metrics.summarize(rows)
    assert (s.falsifiable, s.implementation, s.asserted) == (1, 1, 3)
    text, without = report.papers_table([dict(c, chapter="99_test") for c in rows])
    assert without == ["golub1965", "other2020"]   # an implementation check counts for no paper
    assert "| {cite:t}`key2024` | 1 | 1 | 0 |" in text
