"""Budgets and progress of ``execute`` on a fixture chapter with one slow cell."""

import io
import json
import shutil
from pathlib import Path

import eigenbook
import pytest
from eigenbook.book import execute
from eigenbook.book.__main__ import main
from eigenbook.book.progress import Progress, describe
from eigenbook.book.project import Project

pytestmark = pytest.mark.book
FIXTURE = Path(__file__).parent / "fixture"
LIB = Path(eigenbook.__file__).parent
SLOW = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---

# A slow chapter

```{code-cell} ipython3
:tags: [parameters]
scale = "full"
seed = 0
```

```{code-cell} ipython3
import time
from eigenbook.claims import Recorder
rec = Recorder("04_slow")
```

## The slow part

```{code-cell} ipython3
time.sleep(1.2)
```

```{code-cell} ipython3
x = 1
```
"""


@pytest.fixture(scope="module")
def slow(tmp_path_factory):
    """A fixture project with ``04_slow`` executed once at ci (shared by the tests)."""
    root = tmp_path_factory.mktemp("budget") / "book"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(LIB, root / "lib" / "eigenbook", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "chapters" / "04_slow").mkdir()
    (root / "chapters" / "04_slow" / "slow.md").write_text(SLOW)
    project = Project(root)
    lines = []
    (out,) = execute.execute(project, project.select(["04_slow"]), scale="ci", log=lines.append)
    assert out.status == "ok", out.error
    return project, out, lines


def test_slowest_cells_come_from_papermill_timings(slow):
    project, out, _ = slow
    first = out.slowest[0]
    assert first["cell"] == 3 and first["seconds"] >= 1.2  # the sleep, as a reader counts cells
    assert first["heading"] == "The slow part" and first["first_line"] == "time.sleep(1.2)"
    assert len(out.slowest) == 3 and out.slowest[1]["seconds"] <= first["seconds"]
    assert out.kernel["peak_rss_mb"] > 10 and out.kernel["cpu_s"] > 0  # the kernel's own record
    times = json.loads((project.run_dir("ci") / "times.json").read_text())
    rec = times["chapters"]["04_slow"]
    assert rec["budget_s"] == execute.BUDGET_S["ci"] and rec["slowest_cells"] == out.slowest
    assert rec["within_budget"] is (out.seconds <= execute.BUDGET_S["ci"])


def test_over_budget_at_ci_fails_and_names_the_slowest_cell(slow, monkeypatch, capsys):
    project, _, _ = slow
    monkeypatch.setattr(execute, "BUDGET_S", {"ci": 0.5, "full": 0.5})
    # the chapter is unchanged, so it is skipped: judged by its recorded run ...
    assert not execute.budget_failures(project, project.select(["04_slow"]), scale="ci")
    # ... which was within the real budget; re-run it under the tiny one
    code = main(["--root", str(project.root), "execute", "--scale", "ci", "--only", "04_slow",
                 "--force"])
    text = capsys.readouterr().out
    assert code == 1
    assert "OVER BUDGET: 04_slow took" in text and "over its 0.5 s budget" in text
    assert "code cell 3 (1." in text and "§ The slow part" in text
    # the same record, judged again without running (a skipped chapter keeps its verdict)
    (msg,) = execute.budget_failures(project, project.select(["04_slow"]), scale="ci")
    assert msg.startswith("04_slow took") and "code cell 3" in msg
    # at full, or with --budget warn, it is a warning
    assert main(["--root", str(project.root), "execute", "--scale", "ci", "--only", "04_slow",
                 "--budget", "warn"]) == 0
    assert "warning, over budget: 04_slow" in capsys.readouterr().out


def test_within_budget_passes(slow, monkeypatch, capsys):
    project, _, _ = slow
    monkeypatch.setattr(execute, "BUDGET_S", {"ci": 1e6, "full": 1e6})
    code = main(["--root", str(project.root), "execute", "--scale", "ci", "--only", "04_slow",
                 "--force"])
    assert code == 0 and "OVER BUDGET" not in capsys.readouterr().out


def test_progress_plain_lines_and_final_lines():
    stream = io.StringIO()
    progress = Progress(stream, interval=0.0001, tty=False)
    progress.start("a", "01_chapter")
    progress.update("a", describe({"cell": 3, "of": 9, "heading": "Setup",
                                   "slowest": [2.5, 1]}))
    import time

    time.sleep(0.01)
    progress.tick()
    progress.finish("a", "[ok]   01_chapter")
    out = stream.getvalue().splitlines()
    assert out[0].startswith("[running] 01_chapter") and "code cell 3/9  § Setup" in out[0]
    assert "(slowest so far: cell 1, 2.5 s)" in out[0] and out[-1] == "[ok]   01_chapter"


def test_progress_on_a_terminal_redraws_in_place():
    stream = io.StringIO()
    progress = Progress(stream, tty=True)
    progress.start("a", "01_chapter")
    progress.tick()
    progress.tick()
    progress.print("done")
    text = stream.getvalue()
    assert text.count("\x1b[1F\x1b[J") == 2  # each redraw replaced the one live line
    assert "done\n" in text


def test_a_declared_allowance_is_shown_and_holds_the_chapter_to_it(slow, monkeypatch, capsys):
    project, _, _ = slow
    monkeypatch.setattr(execute, "BUDGET_S", {"ci": 0.5, "full": 0.5})
    monkeypatch.setattr(execute, "ALLOWANCES",
                        {("ci", "04_slow"): (1e6, "measured: sleeps on purpose")})
    code = main(["--root", str(project.root), "execute", "--scale", "ci", "--only", "04_slow",
                 "--force"])
    text = capsys.readouterr().out
    assert code == 0 and "OVER BUDGET" not in text
    assert "note, over budget: 04_slow took" in text and "sleeps on purpose" in text
    rec = json.loads((project.run_dir("ci") / "times.json").read_text())["chapters"]["04_slow"]
    assert rec["budget_s"] == 1e6 and rec["allowance"] == "measured: sleeps on purpose"


def test_parallel_kernels_share_the_cores_between_their_blas_threads(monkeypatch):
    monkeypatch.setattr(execute.os, "cpu_count", lambda: 2)
    assert set(execute.blas_threads(2).values()) == {"1"}
    assert set(execute.blas_threads(1).values()) == {"2"}
    monkeypatch.setattr(execute.os, "cpu_count", lambda: 16)
    assert execute.blas_threads(3)["OPENBLAS_NUM_THREADS"] == "5"
    assert execute.blas_threads(64)["OMP_NUM_THREADS"] == "1"  # never zero threads
    assert set(execute.blas_threads(2)) == set(execute.THREAD_VARS)
