"""Execute chapters with papermill: incremental, parallel, atomic.

For each chapter: the jupytext ``.md`` is converted to a notebook, executed by
papermill with the scale's parameters in a fresh kernel, and the executed
notebook and its ``metrics.json`` (validated against the schema,
:mod:`eigenbook.book.metrics`) are moved into place. Each chapter runs in its
own worker process (started with ``multiprocessing``'s *spawn*, calling
:func:`_worker` directly), so that each kernel gets its own environment; the
worker's output goes to ``_build/<run>/tmp/<slug>.log``.

Incremental: a chapter runs only when one of its inputs changed since its last
successful run (:meth:`Project.inputs`: its folder, the library modules it
imports, the parameters, the lock); :func:`plan` says which and why. The stamp
(those inputs, hashed) is written last, after both outputs, and removed before
a run starts: an interrupted run never leaves a stamp that a later run would
trust.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import re
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from ..claims import METRICS_ENV, write_json_atomic
from . import metrics as mx
from .project import Chapter, Inputs, Project

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TRACEBACK_TAIL = 15  # lines of traceback printed for a failing chapter
VERSIONED = ("numpy", "scipy", "jax", "jaxlib", "scikit-learn", "matplotlib", "eigenbook")
KERNEL_ENV = {"XLA_PYTHON_CLIENT_PREALLOCATE": "false", "PYTHONHASHSEED": "0"}


def parameters_for(scale: str, seed: int) -> dict:
    """The papermill parameters of a run."""
    return {"scale": scale, "seed": seed}


@dataclass
class Outcome:
    """What happened to one chapter."""

    slug: str
    status: str  # "ok", "skipped", "failed"
    seconds: float = 0.0
    claims_held: int = 0
    claims_total: int = 0
    error: str = ""

    def line(self) -> str:
        if self.status == "skipped":
            return f"[skip] {self.slug:<32} unchanged since last run"
        claims = f"claims {self.claims_held}/{self.claims_total} held"
        if self.status == "ok":
            return f"[ok]   {self.slug:<32} {self.seconds:7.1f} s  {claims}"
        return f"[FAIL] {self.slug:<32} {self.seconds:7.1f} s  {claims}\n{self.error}"


class Planned(NamedTuple):
    """One chapter of a :func:`plan`: its inputs and why it runs (``[]``: it does not)."""

    chapter: Chapter
    inputs: Inputs
    reasons: list[str]

    @property
    def runs(self) -> bool:
        return bool(self.reasons)

    def line(self) -> str:
        if not self.runs:
            return f"[skip] {self.chapter.slug:<32} unchanged since last run"
        return f"[run]  {self.chapter.slug:<32} " + "; ".join(self.reasons)


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def plan(project: Project, chapters: list[Chapter], *, scale: str, seed: int = 0,
         force: bool = False) -> list[Planned]:
    """Which of ``chapters`` need executing, and why (what ``execute --dry-run`` shows)."""
    run = project.run_dir(scale, seed)
    params = parameters_for(scale, seed)
    library = project.library()
    out = []
    for ch in chapters:
        inputs = project.inputs(ch, params, library=library)
        reasons = ["--force"] if force else _stale(run, ch.slug, inputs)
        out.append(Planned(ch, inputs, reasons))
    return out


def _stale(run: Path, slug: str, inputs: Inputs) -> list[str]:
    """Why the last successful run of ``slug`` is not valid for ``inputs`` ([]: it is)."""
    stamp = run / "stamps" / f"{slug}.json"
    if not stamp.is_file():
        return ["no previous run"]
    if not all(p.is_file() for p in (run / "executed" / f"{slug}.ipynb",
                                     run / "metrics" / f"{slug}.json")):
        return ["outputs of the previous run missing"]
    try:
        old = json.loads(stamp.read_text())
    except (json.JSONDecodeError, OSError):
        return ["no previous run (unreadable stamp)"]
    if old.get("hash") == inputs.digest:
        return []
    if not isinstance(old.get("inputs"), dict):
        return ["no previous run (stamp written by an older machinery)"]
    return inputs.changes(old["inputs"]) or ["inputs changed"]


def execute(project: Project, chapters: list[Chapter], *, scale: str, seed: int = 0,
            jobs: int = 1, force: bool = False, log=print) -> list[Outcome]:
    """Execute ``chapters`` (those whose inputs changed), ``jobs`` at a time."""
    todo, outcomes = [], {}
    for item in plan(project, chapters, scale=scale, seed=seed, force=force):
        if item.runs:
            todo.append(item)
        else:
            outcomes[item.chapter.slug] = Outcome(item.chapter.slug, "skipped")
            log(outcomes[item.chapter.slug].line())
    if todo:
        log(f"executing {len(todo)} chapter(s) at scale={scale} seed={seed} with {jobs} job(s)")

    def work(item: Planned) -> Outcome:
        out = _run_worker(project, item.chapter, scale=scale, seed=seed, inputs=item.inputs)
        log(out.line())
        return out

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for out in pool.map(work, todo):
            outcomes[out.slug] = out
    return [outcomes[ch.slug] for ch in chapters]


def _spawn(project: Project, ch: Chapter, *, scale: str, seed: int,
           inputs: Inputs) -> tuple[multiprocessing.Process, Path, Path]:
    """Start the worker process of one chapter; return it, its result and log files."""
    tmp = project.run_dir(scale, seed) / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    result, log = tmp / f"{ch.slug}.result.json", tmp / f"{ch.slug}.log"
    result.unlink(missing_ok=True)
    proc = multiprocessing.get_context("spawn").Process(
        target=_worker, name=f"eigenbook-{ch.slug}",
        kwargs=dict(root=str(project.root), slug=ch.slug, scale=scale, seed=seed,
                    inputs=inputs._asdict(), result=str(result), log=str(log)))
    proc.start()
    return proc, result, log


def _run_worker(project: Project, ch: Chapter, *, scale: str, seed: int,
                inputs: Inputs) -> Outcome:
    """Run one chapter in a worker process; collect its outcome."""
    start = time.perf_counter()
    proc, result, log = _spawn(project, ch, scale=scale, seed=seed, inputs=inputs)
    proc.join()
    seconds = time.perf_counter() - start
    if result.is_file():
        return Outcome(**json.loads(result.read_text()))
    text = log.read_text(errors="replace") if log.is_file() else ""
    tail = "\n".join("    " + line for line in text.splitlines()[-TRACEBACK_TAIL:])
    return Outcome(ch.slug, "failed", seconds,
                   error=f"    worker exited with code {proc.exitcode} (log: {log}):\n{tail}")


def _worker(*, root: str, slug: str, scale: str, seed: int, inputs: dict, result: str,
            log: str) -> None:
    """Body of a worker process: output to ``log``, run the chapter, write ``result``."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    outcome = _run_one(Project(root), slug, scale=scale, seed=seed, inputs=Inputs(**inputs))
    write_json_atomic(result, outcome.__dict__)


def _run_one(project: Project, slug: str, *, scale: str, seed: int,
             inputs: Inputs) -> Outcome:
    """Execute one chapter in this process (the worker side of :func:`execute`).

    Sets this process's environment for the kernel, so call it only in a worker.
    """
    import jupytext
    import nbformat
    import papermill

    (ch,) = project.select([slug])
    run = project.run_dir(scale, seed)
    dirs = {name: run / name for name in ("executed", "metrics", "stamps", "failed", "tmp")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    stamp = dirs["stamps"] / f"{slug}.json"
    stamp.unlink(missing_ok=True)  # from here on, no stale stamp can be trusted

    nb = jupytext.read(ch.source)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    src = dirs["tmp"] / f"{slug}.input.ipynb"
    out = dirs["tmp"] / f"{slug}.output.ipynb"
    metrics_tmp = dirs["tmp"] / f"{slug}.metrics.json"
    metrics_tmp.unlink(missing_ok=True)
    nbformat.write(nb, src)
    # The kernel inherits this environment: its metrics file, and the project's lib first.
    os.environ.update(KERNEL_ENV)
    os.environ[METRICS_ENV] = str(metrics_tmp)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(project.lib_root)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                                   if p])

    start = time.perf_counter()
    error = ""
    try:
        papermill.execute_notebook(
            str(src), str(out), parameters=parameters_for(scale, seed),
            kernel_name="python3", cwd=str(ch.folder), progress_bar=False,
            log_output=False, request_save_on_cell_execute=False)
    except papermill.PapermillExecutionError as err:
        error = _describe_failure(err, ch, nb)
    except Exception as err:  # kernel died, bad notebook, ...
        error = "    " + "".join(traceback.format_exception_only(err)).strip()
    seconds = time.perf_counter() - start

    metrics = _partial_metrics(metrics_tmp, slug)
    if not error:
        metrics.update({"chapter": slug, "scale": scale, "seed": seed,
                        "runtime_s": round(seconds, 2), "versions": versions()})
        metrics = mx.ordered(metrics)
        try:
            mx.validate(metrics, where=f"the metrics.json of {slug}")
        except mx.MetricsError as err:
            error = "    " + str(err).replace("\n", "\n    ")
    summary = mx.summarize(c for c in metrics.get("claims", []) if isinstance(c, dict))
    outcome = Outcome(slug, "failed" if error else "ok", seconds, claims_held=summary.held,
                      claims_total=summary.asserted, error=error)
    if error:
        if out.is_file():
            os.replace(out, dirs["failed"] / f"{slug}.ipynb")
            outcome.error += f"\n    partial notebook: {dirs['failed'] / (slug + '.ipynb')}"
    else:
        executed = nbformat.read(out, as_version=4)
        _hide_parameter_cells(executed)
        nbformat.write(executed, out)
        write_json_atomic(dirs["metrics"] / f"{slug}.json", metrics)
        os.replace(out, dirs["executed"] / f"{slug}.ipynb")
        (dirs["failed"] / f"{slug}.ipynb").unlink(missing_ok=True)
        write_json_atomic(stamp, {"hash": inputs.digest, "seconds": round(seconds, 2),
                                  "inputs": inputs._asdict()})
    return outcome


def _partial_metrics(path: Path, slug: str) -> dict:
    """What the chapter recorded (possibly half-way), or an empty record."""
    if path.is_file():
        try:
            return json.loads(path.read_text())
        except json.JSONDecodeError:
            pass
    return {"chapter": slug, "claims": [], "metrics": {}}


def _describe_failure(err, ch: Chapter, nb) -> str:
    """Name the failing cell as the reader knows it: file, line and code-cell number."""
    tb = [ANSI.sub("", line) for block in (err.traceback or []) for line in block.splitlines()]
    tail = "\n".join("    " + line for line in tb[-TRACEBACK_TAIL:])
    where = "a cell"
    if err.cell_index is not None:
        # papermill inserted one cell (injected-parameters) after the parameters cell
        tags = [c.get("metadata", {}).get("tags", []) for c in nb.cells]
        params = next((i for i, t in enumerate(tags) if "parameters" in t), -1)
        idx = err.cell_index - (1 if params >= 0 and err.cell_index > params else 0)
        n_code = sum(c.cell_type == "code" for c in nb.cells[: idx + 1])
        first = (err.source or "").strip().splitlines()[:1]
        text = ch.source.read_text().splitlines()
        line = next((i + 1 for i, t in enumerate(text) if first and t.strip() == first[0].strip()),
                    None)
        at = f"{ch.source.relative_to(ch.folder.parent.parent)}" + (f":{line}" if line else "")
        where = f"{at}, code cell {n_code} (notebook cell {err.cell_index})"
    return f"    {where}: {err.ename}: {err.evalue}\n{tail}"


def _hide_parameter_cells(nb) -> None:
    """Tag papermill's parameter cells ``remove-cell`` so the site hides them."""
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if ("parameters" in tags or "injected-parameters" in tags) and "remove-cell" not in tags:
            cell.setdefault("metadata", {})["tags"] = [*tags, "remove-cell"]
