"""The Robustness page: margins (unit) and ``seeds`` on the fixture project."""

import math
import shutil
from pathlib import Path

import eigenbook
import pytest
from eigenbook.book import report, robustness
from eigenbook.book.__main__ import main
from eigenbook.book.project import Project
from eigenbook.book.robustness import bounds, margin, parse_seeds

FIXTURE = Path(__file__).parent / "fixture"
LIB = Path(eigenbook.__file__).parent
INF = math.inf

# Two claims that move with the seed: "near" ends 3 % below its bound (flagged),
# "band" stays well inside its interval.
SEEDED_CELL = '''
```{code-cell} ipython3
from eigenbook.claims import between
rec.claim("near", statement="y is below 1", paper="nobody2024", source="Thm 2",
          paper_value="<= 1", measured=0.95 + 0.01 * seed, check=at_most(1.0), rtol=0.1)
rec.claim("band", statement="z is about 1", paper="nobody2024", source="Thm 3",
          paper_value="[0.5, 2]", measured=1.0 + 0.1 * seed, check=between(0.5, 2.0),
          rtol=0.5)
```
'''


def test_margin_at_most():
    assert margin([0.5, 0.8], -INF, 1.0) == pytest.approx(0.2)  # worst seed: 0.8
    assert margin([0.5], -INF, 2.0) == pytest.approx(0.75)
    assert margin([1.2], -INF, 1.0) == pytest.approx(-0.2)  # fails: negative
    assert margin([-3.0], -INF, -2.0) == pytest.approx(0.5)  # relative to |b|
    assert margin([1e-12, 3e-11], -INF, 1e-10) == pytest.approx(0.7)


def test_margin_at_least():
    assert margin([3.0, 2.5], 2.0, INF) == pytest.approx(0.25)  # worst seed: 2.5
    assert margin([1.9], 2.0, INF) == pytest.approx(-0.05)
    assert margin([-1.0], -2.0, INF) == pytest.approx(0.5)


def test_margin_interval_is_the_smaller_side():
    assert margin([1.0], 0.5, 2.0) == pytest.approx(0.5)  # (2-1)/2 < (1-0.5)/0.5
    assert margin([0.6, 1.0], 0.5, 2.0) == pytest.approx(0.2)  # (0.6-0.5)/0.5
    assert margin([0.6, 1.9], 0.5, 2.0) == pytest.approx(0.05)  # (2-1.9)/2
    assert margin([2.1], 0.5, 2.0) < 0


def test_margin_zero_threshold_and_nan():
    assert margin([0.25], 0.0, 1.0) == pytest.approx(0.25)  # 0: relative to the width
    assert margin([-0.5], -INF, 0.0) == pytest.approx(0.5)  # no width: absolute
    assert margin([0.5, math.nan], -INF, 1.0) == -INF


def test_bounds_from_fields_or_check_text():
    assert bounds({"check": "<= 1", "hi": 1.0 / 3}) == (-INF, 1.0 / 3)
    assert bounds({"check": "<= 1.5e-10"}) == (-INF, 1.5e-10)
    assert bounds({"check": ">= -2"}) == (-2.0, INF)
    assert bounds({"check": "in [0.9, 1.1]"}) == (0.9, 1.1)
    assert bounds({"check": "1 ± 0.25"}) == (0.75, 1.25)
    with pytest.raises(ValueError, match="cannot read"):
        bounds({"id": "x", "check": "sorted"})


def test_recorder_stores_the_bounds():
    from eigenbook.claims import Recorder, at_least, between

    rec = Recorder("99_test")
    rec.claim("a", statement="s", paper="p", source="s", paper_value=1, measured=2.0,
              check=at_least(1.0 / 3), rtol=0.1)
    rec.claim("b", statement="s", paper="p", source="s", paper_value=1, measured=1.0,
              check=between(0.5, 2.0), rtol=0.1)
    a, b = rec.as_dict()["claims"]
    assert a["lo"] == 1.0 / 3 and "hi" not in a
    assert (b["lo"], b["hi"]) == (0.5, 2.0)
    from eigenbook.book import metrics as mx

    assert mx.problems({"chapter": "99_test", "scale": "ci", "seed": 0, "runtime_s": 1.0,
                        "versions": {}, **rec.as_dict()}) == []


def _claim(id, measured, check, **kw):
    return {"id": id, "measured": measured, "check": check, "holds": True, "reproduced": True,
            "kind": "paper", **kw}


def test_rows_use_each_seeds_check_and_report_missing_seeds():
    per_seed = {
        0: {"claims": [_claim("a", 0.5, "<= 1", hi=1.0), _claim("b", 3.0, "sorted")]},
        1: {"claims": [_claim("a", 0.95, "<= 2", hi=2.0)]},
    }
    a, b = robustness.rows(per_seed)
    assert a["margins"] == {0: 0.5, 1: pytest.approx(0.525)} and a["check"] == "<= 1 / <= 2"
    assert a["worst_margin"] == 0.5 and a["held"] and not a["flagged"]
    assert b["missing"] == [1] and not b["held"]
    assert math.isnan(b["worst_margin"]) and not b["flagged"]  # unreadable check: no margin


def test_parse_seeds():
    assert parse_seeds("0-4") == [0, 1, 2, 3, 4]
    assert parse_seeds("0,2,5-6") == [0, 2, 5, 6]
    with pytest.raises(SystemExit):
        parse_seeds("4-1")


@pytest.fixture
def project(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "book")
    shutil.copytree(LIB, tmp_path / "book" / "lib" / "eigenbook",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return Project(tmp_path / "book")


@pytest.mark.book
def test_seeds_writes_per_seed_metrics_and_the_page(project, capsys):
    src = project.root / "chapters/01_ok/ok.md"
    src.write_text(src.read_text() + SEEDED_CELL)
    root = ["--root", str(project.root)]
    assert main([*root, "seeds", "--scale", "ci", "--seeds", "0-2", "--only", "01_ok",
                 "-j", "1"]) == 0
    for seed in (0, 1, 2):
        data = robustness.mx.load(project.metrics_file("01_ok", "ci", seed))
        assert data["seed"] == seed
        near = next(c for c in data["claims"] if c["id"] == "near")
        assert near["measured"] == pytest.approx(0.95 + 0.01 * seed) and near["hi"] == 1.0
    book = project.book_dir("ci")
    text = (book / robustness.PAGE).read_text()
    assert "| Claim | Check | seed 0 | seed 1 | seed 2 | Worst margin | Every seed? |" in text
    assert "| **half** | <= 1 | 0.5 | 0.5 | 0.5 | 50 % | held |" in text
    assert "| **near** | <= 1 | 0.95 | 0.96 | 0.97 | **3 % ⚠** | held |" in text
    assert "| **band** | in [0.5, 2] | 1 | 1.1 | 1.2 | 40 % | held |" in text
    assert "3 of the 3 asserted claims held on every seed; 1 has a worst margin below " \
           "10 %: `01_ok` near." in text
    assert "```{figure} robustness-01_ok.png" in text
    assert (book / "appendix/robustness-01_ok.png").read_bytes()[:4] == b"\x89PNG"
    assert "02_fail" not in text  # never run: not on the page
    out = capsys.readouterr().out
    assert "wrote " in out and "3 seed(s) x 1 chapter(s): 0 failed" in out

    # The site's report pages include it; an edited chapter's seed runs are left out.
    paths = report.write_pages(project, book, "ci")
    assert book / robustness.PAGE in paths and book / "appendix/robustness-01_ok.png" in paths
    src.write_text(src.read_text() + "\n% an edit\n")
    robustness.write_page(project, book, "ci")
    text = (book / robustness.PAGE).read_text()
    assert "No seed runs yet" in text and "robustness-01_ok.png" not in text
    assert "`01_ok`: out of date or failed for seed(s) 0, 1, 2 (left out)." in text
