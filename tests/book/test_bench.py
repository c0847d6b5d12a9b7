"""The benchmark runner and the Performance page, on a tiny case in the fixture project;
and the project's own ``benchmarks/`` files are well formed (not run: ``make bench``)."""

import json
import shutil
from pathlib import Path

import pytest
from eigenbook.book import bench, report
from eigenbook.book.__main__ import main
from eigenbook.book.project import Project

pytestmark = pytest.mark.book
FIXTURE = Path(__file__).parent / "fixture"
ROOT = Path(__file__).resolve().parents[2]

TINY = '''
import warnings

import jax.numpy as jnp
import numpy as np

from eigenbook import ConvergenceWarning
from eigenbook.book.bench import BenchCase, Side


def setup(size, seed):
    g = np.random.default_rng(seed)
    A = g.standard_normal((size["n"], size["n"]))
    A = A + A.T
    return {"A": A, "A_jax": jnp.asarray(A), "w": np.linalg.eigvalsh(A)}


def accuracy(inp, out, side):
    return {"max eig. error": np.abs(np.asarray(out[0]) - inp["w"]).max(), "side": side}


def book(inp):
    warnings.warn("tiny solver stopped short", ConvergenceWarning)
    return jnp.linalg.eigh(inp["A_jax"])


def broken(inp):
    raise RuntimeError("this case is broken")


SIZES = {"full": {"n": 64}, "quick": {"n": 8}}
REF = Side("numpy.linalg.eigh", lambda i: np.linalg.eigh(i["A"]))
CASES = [
    BenchCase("tiny.eigh-vs-numpy", "01_ok", "symmetric n={n}", SIZES, setup,
              Side("jnp.linalg.eigh", book, lambda i: 2.0 * len(i["A"]) ** 3), REF,
              accuracy, "largest |λ − λ*|"),
    BenchCase("tiny.broken", "99_none", "symmetric n={n}", SIZES, setup,
              Side("broken", broken), REF, accuracy, "largest |λ − λ*|"),
]
'''


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setitem(bench.PROTOCOL, "quick", {"repeats": 1, "warmup": 1, "gemm_n": 64})
    shutil.copytree(FIXTURE, tmp_path / "book")
    (tmp_path / "book" / "benchmarks").mkdir()
    (tmp_path / "book" / "benchmarks" / "tiny.py").write_text(TINY)
    return Project(tmp_path / "book")


def test_page_without_results_says_so(project, tmp_path):
    paths = bench.write_page(project, tmp_path / "staged")
    assert paths == [tmp_path / "staged" / bench.PAGE]
    text = paths[0].read_text()
    assert text.startswith("(performance)=\n# Performance\n")
    assert "No benchmark results yet" in text and "make bench" in text
    assert "{figure}" not in text


def test_quick_run_writes_results_and_page(project, capsys):
    root = ["--root", str(project.root)]
    assert main([*root, "bench", "--list"]) == 0
    assert "tiny.eigh-vs-numpy" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="unknown benchmark case"):
        main([*root, "bench", "--quick", "--only", "nope"])

    assert main([*root, "bench", "--quick"]) == 1  # one case fails; the other still ran
    out = capsys.readouterr().out
    assert "[1/2] tiny.eigh-vs-numpy" in out and "ratio" in out and "[book warned]" in out
    assert "[2/2] tiny.broken" in out and "FAILED: RuntimeError: this case is broken" in out
    path = project.root / "_build/bench/results.json"
    res = json.loads(path.read_text())
    assert res["schema"] == bench.SCHEMA and res["mode"] == "quick"
    assert res["device"]["platform"] == "cpu" and res["machine"]["cores"] >= 1
    assert "numpy" in res["versions"] and "blas" in res and res["machine"]["cpu"]
    assert res["dgemm"]["before"]["numpy_gflops"] > 0 and res["dgemm"]["after"]["jax_gflops"] > 0
    ok, broken = res["cases"]
    assert ok["status"] == "ok" and ok["chapter"] == "01_ok" and ok["problem"] == "symmetric n=8"
    for side in ("book", "reference"):
        assert ok[side]["best_s"] > 0 and ok[side]["first_s"] > 0
        assert ok[side]["accuracy"]["max eig. error"] < 1e-10
        assert ok[side]["accuracy"]["side"] == side
    assert ok["ratio"] == pytest.approx(ok["book"]["best_s"] / ok["reference"]["best_s"])
    assert ok["book"]["warnings"] == ["ConvergenceWarning: tiny solver stopped short"]
    assert ok["book"]["fraction_of_dgemm"] > 0 and ok["reference"]["fraction_of_dgemm"] is None
    assert broken["status"] == "failed" and "this case is broken" in broken["error"]

    text = (project.root / "_build/bench" / bench.PAGE).read_text()
    assert "| Case | Problem | Book | Reference | Book (s) CPU |" in text
    row = next(line for line in text.splitlines() if line.startswith("| `tiny.eigh-vs-numpy`"))
    assert "{doc}`01_ok </chapters/01_ok/ok>`" in row and "⚠ ConvergenceWarning" in row
    assert "`99_none`" in text  # an unknown chapter is not a broken link
    assert "`--quick` run" in text and "```{figure} performance-ratios.png" in text
    assert (project.root / "_build/bench/appendix/performance-ratios.png").read_bytes()[:4] \
        == b"\x89PNG"

    # --only merges into the results of the same mode and device
    assert main([*root, "bench", "--quick", "--only", "tiny.eigh-vs-numpy"]) == 0
    res2 = json.loads(path.read_text())
    assert [c["id"] for c in res2["cases"]] == ["tiny.broken", "tiny.eigh-vs-numpy"]

    # a results file from an accelerator adds its columns; the site build writes the page
    gpu = dict(res2, device={"platform": "gpu", "name": "Some GPU", "count": 1})
    (project.root / "_build/bench/results-gpu.json").write_text(json.dumps(gpu))
    book = project.book_dir("ci")
    report.write_pages(project, book, "ci")
    text = (book / bench.PAGE).read_text()
    assert "Book (s) GPU | Ratio GPU | Chapter |" in text and "Some GPU" in text
    assert (book / "appendix" / bench.FIGURE).is_file()


def test_published_results_fill_the_page_when_none_were_measured_here(project, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setitem(bench.PROTOCOL, "full", {"repeats": 1, "warmup": 1, "gemm_n": 64})
    root = ["--root", str(project.root)]
    with pytest.raises(SystemExit, match="--publish: only a full run"):
        main([*root, "bench", "--quick", "--publish"])
    with pytest.raises(SystemExit, match="--publish: only a full run"):
        main([*root, "bench", "--only", "tiny.eigh-vs-numpy", "--publish"])
    # a full run of every case publishes even when one case fails (the page lists it)
    assert main([*root, "bench", "--repeats", "1", "--publish"]) == 1
    measured = project.root / "_build/bench/results.json"
    published = bench.published_dir(project) / "results.json"
    assert published.read_text() == measured.read_text()

    shutil.rmtree(project.root / "_build")  # a fresh clone: nothing measured on this machine
    text = bench.write_page(project, tmp_path / "staged")[0].read_text()
    assert "No benchmark results yet" not in text
    assert "| `tiny.eigh-vs-numpy`" in text and "`benchmarks/results/results.json`" in text

    # a case slower than its reference shows what bounds it, or that it was not profiled
    res = json.loads(published.read_text())
    ok = next(c for c in res["cases"] if c["status"] == "ok")
    slow = [dict(ok, ratio=3.0, bound="thin products, memory bound."),
            dict(ok, id="tiny.unprofiled", ratio=1.5, bound=""), dict(ok, ratio=0.5)]
    published.write_text(json.dumps(dict(res, cases=slow)))
    text = bench.write_page(project, tmp_path / "staged")[0].read_text()
    assert "Where the book is slower (ratio above 1), what bounds it:" in text
    assert "- `tiny.eigh-vs-numpy` (3×): thin products, memory bound." in text
    assert "- `tiny.unprofiled` (1.5×): not profiled yet." in text
    assert "(0.5×)" not in text

    measured.parent.mkdir(parents=True)  # a local run takes precedence over the published one
    measured.write_text(json.dumps(dict(json.loads(published.read_text()), mode="quick")))
    text = bench.write_page(project, tmp_path / "staged")[0].read_text()
    assert "`_build/bench/results.json`, quick mode" in text


def test_the_projects_benchmarks_are_well_formed():
    project = Project(ROOT)
    found = bench.discover(project)
    slugs = {ch.slug for ch in project.chapters()}
    families = {fam for fam, _ in found}
    assert {"eigen", "lowrank", "sketch", "orth", "graphs"} <= families
    for fam, case in found:
        assert case.id.startswith(fam + "."), case.id
        assert case.chapter in slugs, (case.id, case.chapter)
        for mode in bench.MODES:
            size = {k: v for k, v in case.sizes[mode].items() if k != "repeats"}
            case.problem.format(**size)  # every placeholder has a size
    assert bench.select(found, ["orth"]) == [(f, c) for f, c in found if f == "orth"]
    first = found[-1][1].id  # --only runs in the order given, each case once
    assert [c.id for _, c in bench.select(found, [first, found[-1][0]])][0] == first
    assert len(bench.select(found, [first, found[-1][0]])) == \
        sum(f == found[-1][0] for f, _ in found)
