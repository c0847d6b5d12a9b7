"""The book machinery on a tiny fixture project.

Three chapters: ``01_ok`` passes and imports the family ``eigenbook.ssm``;
``02_fail`` fails a claim; ``03_other`` passes and imports ``eigenbook.eigen``.
The fixture gets a copy of the library under test in ``lib/`` (what its
kernels import, and what its content hashes cover), so a test can edit it.
"""

import json
import shutil
import time
from pathlib import Path

import eigenbook
import pytest
from eigenbook.book import baselines, execute
from eigenbook.book import metrics as mx
from eigenbook.book.__main__ import main
from eigenbook.book.project import Project

pytestmark = pytest.mark.book
FIXTURE = Path(__file__).parent / "fixture"
LIB = Path(eigenbook.__file__).parent


@pytest.fixture
def project(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "book")
    shutil.copytree(LIB, tmp_path / "book" / "lib" / "eigenbook",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return Project(tmp_path / "book")


def run(project, only, **kw):
    lines = []
    outcomes = execute.execute(project, project.select(only), scale="ci",
                               log=lines.append, **kw)
    return outcomes, "\n".join(lines)


def test_execute_writes_outputs_and_metrics(project):
    (out,), log = run(project, ["01_ok"])
    assert out.status == "ok", out.error
    assert (out.claims_held, out.claims_total) == (1, 1)
    assert "[ok]   01_ok" in log and "claims 1/1 held" in log
    ci = project.run_dir("ci")
    nb = json.loads((ci / "executed" / "01_ok.ipynb").read_text())
    tagged = [c["metadata"].get("tags", []) for c in nb["cells"]]
    assert ["injected-parameters", "remove-cell"] in tagged  # papermill's cell is hidden
    metrics = json.loads((ci / "metrics" / "01_ok.json").read_text())
    assert metrics["scale"] == "ci" and metrics["seed"] == 0 and metrics["runtime_s"] > 0
    assert metrics["claims"][0]["measured"] == 0.5  # the ci parameter reached the notebook
    assert metrics["metrics"]["seed_plus_one"]["value"] == 1
    assert "numpy" in metrics["versions"]
    assert not list((project.root / "chapters").rglob("*.ipynb"))  # nothing in chapters/


def test_second_run_is_skipped_until_source_changes(project):
    run(project, ["01_ok"])
    (out,), log = run(project, ["01_ok"])
    assert out.status == "skipped" and "unchanged" in log
    src = project.root / "chapters/01_ok/ok.md"
    src.write_text(src.read_text() + "\n% an edit\n")
    (out,), _ = run(project, ["01_ok"])
    assert out.status == "ok"


def test_seed_is_a_parameter_with_its_own_outputs(project):
    (out,), _ = run(project, ["01_ok"], seed=3)
    assert out.status == "ok"
    metrics = json.loads((project.run_dir("ci", 3) / "metrics/01_ok.json").read_text())
    assert metrics["seed"] == 3 and metrics["metrics"]["seed_plus_one"]["value"] == 4
    assert not project.run_dir("ci").exists()


def test_failure_names_chapter_cell_and_claim_and_others_still_run(project):
    outcomes, log = run(project, None, jobs=2)
    status = {o.slug: o.status for o in outcomes}
    assert status == {"01_ok": "ok", "02_fail": "failed", "03_other": "ok"}
    assert "[FAIL] 02_fail" in log
    assert "chapters/02_fail/fail.md:25, code cell 3" in log  # as the author sees it
    assert "AssertionError" in log and "'too-big'" in log and "02_fail" in log
    assert (project.run_dir("ci") / "failed" / "02_fail.ipynb").is_file()
    assert not (project.run_dir("ci") / "stamps" / "02_fail.json").exists()
    # every metrics.json written matches the schema (and the failed chapter wrote none)
    written = sorted((project.run_dir("ci") / "metrics").glob("*.json"))
    assert [p.stem for p in written] == ["01_ok", "03_other"]
    for path in written:
        mx.load(path)
    other = mx.load(written[1])
    assert mx.summarize(other["claims"])[:3] == (0, 0, 1)  # held, asserted, not reproduced
    assert other["claims"][0]["reason"] == "the book's scale is small"


def test_cli_exit_code_and_unknown_chapter(project, capsys):
    assert main(["--root", str(project.root), "execute", "--scale", "ci"]) == 1
    assert "1 failed: 02_fail" in capsys.readouterr().out
    with pytest.raises(SystemExit,
                       match="unknown chapter.*nosuch.*Valid chapters: 01_ok, 02_fail, 03_other"):
        main(["--root", str(project.root), "execute", "--scale", "ci", "--only", "nosuch"])


def test_interrupted_run_leaves_no_trusted_stamp(project):
    src = project.root / "chapters/01_ok/ok.md"
    original = src.read_text()
    run(project, ["01_ok"])
    # Same chapter, killed mid-execution (the kernel dies as on Ctrl-C / OOM).
    src.write_text(original + "\n```{code-cell} ipython3\nimport os; os._exit(1)\n```\n")
    (out,), log = run(project, ["01_ok"])
    assert out.status == "failed" and "[FAIL] 01_ok" in log
    # Restoring the original source restores the old hash: a surviving stamp would
    # now be trusted. It must not have survived.
    src.write_text(original)
    (out,), _ = run(project, ["01_ok"])
    assert out.status == "ok"


def test_worker_killed_before_writing_leaves_no_stamp(project):
    run(project, ["01_ok"])
    stamp = project.run_dir("ci") / "stamps/01_ok.json"
    assert stamp.is_file()
    # A worker started and killed at once (SIGKILL) must have removed the stamp first.
    (ch,) = project.select(["01_ok"])
    inputs = project.inputs(ch, execute.parameters_for("ci", 0))
    proc, result, _ = execute._spawn(project, ch, scale="ci", seed=0, inputs=inputs)
    deadline = time.monotonic() + 60
    while stamp.exists() and proc.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.kill()
    proc.join()
    assert not stamp.exists() and not result.exists()
    (out,), _ = run(project, ["01_ok"])
    assert out.status == "ok"


def test_check_detects_drift_and_update_fixes_it(project, capsys):
    root = ["--root", str(project.root)]
    run(project, ["01_ok"])
    assert main([*root, "check", "--only", "01_ok"]) == 1  # no baseline yet
    assert "no baseline file" in capsys.readouterr().out
    assert main([*root, "baseline", "--update", "--only", "01_ok"]) == 0
    assert main([*root, "check", "--only", "01_ok"]) == 0
    base_file = project.baselines / "01_ok.json"
    base = json.loads(base_file.read_text())
    assert "wall" not in base["metrics"]  # timings are never regression-checked
    base["metrics"]["claim.half"]["value"] = 0.6  # the recorded value moved by 20 %
    base_file.write_text(json.dumps(base))
    capsys.readouterr()
    assert main([*root, "check", "--only", "01_ok"]) == 1
    out = capsys.readouterr().out
    assert "01_ok" in out and "claim.half" in out and "outside tolerance" in out


def test_compare_reports_each_kind_of_drift():
    metrics = {"metrics": {"a": {"value": 1.0, "kind": "accuracy", "rtol": 0.1},
                           "new": {"value": 2.0, "kind": "count", "atol": 0},
                           "t": {"value": 9.0, "kind": "timing"}},
               "claims": [{"id": "c", "holds": False, "reproduced": True}]}
    baseline = {"metrics": {"a": {"value": 1.05, "rtol": 0.1}, "gone": {"value": 1, "atol": 0}},
                "claims": {"c": {"holds": True, "reproduced": True}}}
    problems = {(d.metric, d.problem) for d in baselines.compare("x", metrics, baseline)}
    assert problems == {("gone", "missing from this run"),
                        ("new", "no baseline (run `baseline --update`)"),
                        ("claim c", "'holds' changed")}
    # a claim shown as not reproduced: its check is not asserted, so "holds" may move
    shown = {"claims": [{"id": "c", "holds": False, "reproduced": False}], "metrics": {}}
    was = {"metrics": {}, "claims": {"c": {"holds": True, "reproduced": False}}}
    assert not baselines.compare("x", shown, was)
    assert baselines.within(1.09, 1.0, rtol=0.1) and not baselines.within(1.11, 1.0, rtol=0.1)
    assert baselines.within(1e-12, 0.0, atol=1e-11)


def test_decades_tolerates_a_tenfold_move_that_rtol_flags():
    """A rounding-dominated number (CGS orthogonality loss at κ = 1e6) moves by 10×
    between machines: `decades` passes it, a relative tolerance does not."""
    base, moved = 5.0e6, 5.0e5
    as_rtol = {"metrics": {"loss": {"value": moved, "kind": "accuracy", "rtol": 0.5}},
               "claims": []}
    as_decades = {"metrics": {"loss": {"value": moved, "kind": "accuracy", "decades": 1.5}},
                  "claims": []}
    assert [d.problem for d in baselines.compare(
        "x", as_rtol, {"metrics": {"loss": {"value": base, "rtol": 0.5}}})] == [
        "outside tolerance"]
    assert baselines.compare(
        "x", as_decades, {"metrics": {"loss": {"value": base, "decades": 1.5}}}) == []
    # but 2 decades is a real change, and so is a change of sign
    assert not baselines.within(5.0e4 / 2, base, decades=1.5)
    assert not baselines.within(-base, base, decades=1.5)
    # atol is a floor for near-eps errors that may round to exactly 0 elsewhere
    assert baselines.within(0.0, 3e-16, decades=2, atol=1e-14)
    assert not baselines.within(0.0, 3e-16, decades=2)
    assert baselines.within(3e-14, 3e-16, decades=2) and not baselines.within(
        3e-13, 3e-16, decades=2, atol=1e-14)


def test_decades_is_declared_in_the_recorder():
    """The chapter declares `decades` like rtol/atol; it excludes rtol."""
    from eigenbook.claims import Recorder

    rec = Recorder("x")
    rec.metric("loss", 1e-3, decades=1.5)
    assert rec.metrics["loss"]["decades"] == 1.5 and "rtol" not in rec.metrics["loss"]
    with pytest.raises(ValueError, match="either rtol=... or decades"):
        rec.metric("both", 1.0, rtol=0.1, decades=1)
    with pytest.raises(ValueError, match="decades=..."):
        rec.metric("none", 1.0)


def scheduled(project, only=None):
    """{slug: reasons} of the chapters a run would execute now."""
    planned = execute.plan(project, project.select(only), scale="ci")
    return {p.chapter.slug: p.reasons for p in planned if p.runs}


def edit(path: Path) -> None:
    path.write_text(path.read_text() + "\n# an edit\n")


def test_incremental_by_import(project, capsys):
    lib = project.library()
    assert lib.root == project.root / "lib"
    both = ["01_ok", "03_other"]
    assert scheduled(project, both) == {"01_ok": ["no previous run"],
                                        "03_other": ["no previous run"]}
    assert [o.status for o in run(project, both)[0]] == ["ok", "ok"]
    assert scheduled(project, both) == {}

    # What each chapter's hash covers: its family, the floor it imports, not the other family.
    (ok, other) = project.select(both)
    params = execute.parameters_for("ci", 0)
    ok_modules = set(project.inputs(ok, params).modules)
    other_modules = set(project.inputs(other, params).modules)
    assert {"eigenbook", "eigenbook.claims", "eigenbook.ssm", "eigenbook._checks"} <= ok_modules
    assert {"eigenbook.eigen", "eigenbook.eigen._lanczos", "eigenbook._checks"} <= other_modules
    assert not any(m.startswith("eigenbook.eigen") for m in ok_modules)
    assert not any(m.startswith("eigenbook.ssm") for m in other_modules)
    assert not any(m.startswith("eigenbook.book") for m in ok_modules | other_modules)

    # Editing one family schedules only the chapter that imports it, and says which file.
    ssm = lib.module_of("eigenbook.ssm")
    edit(ssm.path)
    assert scheduled(project, both) == {
        "01_ok": [f"lib module(s) changed: {ssm.name}"]}
    assert main(["--root", str(project.root), "execute", "--scale", "ci", "--dry-run",
                 "--only", *both]) == 0
    out = capsys.readouterr().out
    assert "[run]  01_ok" in out and f"lib module(s) changed: {ssm.name}" in out
    assert "[skip] 03_other" in out and "would execute 1 chapter(s), 1 unchanged" in out
    assert scheduled(project, both) == {"01_ok": [f"lib module(s) changed: {ssm.name}"]}

    (out_ok, out_other), log = run(project, both)
    assert (out_ok.status, out_other.status) == ("ok", "skipped")

    # A floor module both import (one directly, both through their family) schedules both.
    for floor in ("eigenbook._checks", "eigenbook.claims"):
        path = lib.module_of(floor).path
        original = path.read_text()
        edit(path)
        assert scheduled(project, both) == {
            "01_ok": [f"lib module(s) changed: {floor}"],
            "03_other": [f"lib module(s) changed: {floor}"]}, floor
        path.write_text(original)
    assert scheduled(project, both) == {}

    # The machinery itself and unimported families are not inputs of any chapter.
    run(project, both)
    edit(project.root / "lib/eigenbook/book/report.py")
    edit(lib.module_of("eigenbook.lowrank").path)
    assert scheduled(project, both) == {}

    # Other reasons: the chapter source, a new import, the lock, --force.
    src = project.root / "chapters/03_other/other.md"
    new = "import eigenbook.eigen as eigen\nimport eigenbook.lowrank"
    src.write_text(src.read_text().replace("import eigenbook.eigen as eigen", new))
    (project.root / "requirements").mkdir()
    (project.root / "requirements/lock.txt").write_text("numpy==0\n")
    reasons = scheduled(project, both)
    assert reasons["01_ok"] == ["dependency lock changed (requirements/lock.txt)"]
    assert reasons["03_other"][0] == "chapter source changed"
    assert reasons["03_other"][1].startswith("now imports: eigenbook.lowrank")
    forced = execute.plan(project, project.select(both), scale="ci", force=True)
    assert all(p.reasons == ["--force"] for p in forced)


def test_report_writes_pages_without_staging_the_site(project, capsys):
    run(project, ["01_ok"])  # 02 and 03 not executed: the site could not be staged
    assert main(["--root", str(project.root), "report", "--scale", "ci"]) == 0
    book = project.book_dir("ci")
    assert sorted(str(p.relative_to(book)) for p in book.rglob("*") if p.is_file()) == [
        "appendix/claims-index.md", "appendix/execution-report.md",
        "appendix/execution-report.png", "appendix/performance.md", "appendix/robustness.md"]
    page = (book / "appendix/execution-report.md").read_text()
    # the chapter's title, its claims, its slowest cells, the figure and the machine
    assert "`A chapter that passes </chapters/01_ok/ok>`" in page and "| 1/1 | 0 |" in page
    assert "fig-execution-report" in page and "execution-report.png" in page
    for row in ("| NumPy |", "| JAX |", "| SciPy |", "| BLAS library |", "| CPU model |",
                "| CPU cores |", "| Python |"):
        assert row in page
    assert "Slowest cells (s)" in page and "Peak memory (MB)" in page
    assert "1 asserted claims, of which 1 held" in (book / "appendix/claims-index.md").read_text()
    assert "No seed runs yet" in (book / "appendix/robustness.md").read_text()
    assert "No benchmark results yet" in (book / "appendix/performance.md").read_text()
    assert capsys.readouterr().out.count("wrote ") == 5
