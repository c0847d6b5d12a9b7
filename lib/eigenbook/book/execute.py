"""Execute chapters with papermill: incremental, parallel, atomic.

For each chapter: the jupytext ``.md`` is converted to a notebook, executed by
papermill with the scale's parameters in a fresh kernel (one worker process per
chapter, so each gets its own environment), and the executed notebook and its
``metrics.json`` are moved into place. The stamp (content hash) is written
last, after both outputs, and removed before a run starts: an interrupted run
never leaves a stamp that a later run would trust.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..claims import METRICS_ENV, write_json_atomic
from .project import Chapter, Project

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TRACEBACK_TAIL = 15  # lines of traceback printed for a failing chapter
VERSIONED = ("numpy", "scipy", "jax", "jaxlib", "scikit-learn", "matplotlib", "eigenbook")


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


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def execute(project: Project, chapters: list[Chapter], *, scale: str, seed: int = 0,
            jobs: int = 1, force: bool = False, log=print) -> list[Outcome]:
    """Execute ``chapters`` (those whose stamp is stale), ``jobs`` at a time."""
    run = project.run_dir(scale, seed)
    params = parameters_for(scale, seed)
    todo, outcomes = [], {}
    for ch in chapters:
        digest = project.content_hash(ch, params)
        if not force and _stamp_matches(run, ch.slug, digest):
            outcomes[ch.slug] = Outcome(ch.slug, "skipped")
            log(outcomes[ch.slug].line())
        else:
            todo.append((ch, digest))
    if todo:
        log(f"executing {len(todo)} chapter(s) at scale={scale} seed={seed} with {jobs} job(s)")

    def work(item):
        ch, digest = item
        out = _run_worker(project, ch, scale=scale, seed=seed, digest=digest)
        log(out.line())
        return out

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for out in pool.map(work, todo):
            outcomes[out.slug] = out
    return [outcomes[ch.slug] for ch in chapters]


def _stamp_matches(run: Path, slug: str, digest: str) -> bool:
    stamp = run / "stamps" / f"{slug}.json"
    needed = [run / "executed" / f"{slug}.ipynb", run / "metrics" / f"{slug}.json"]
    if not stamp.is_file() or not all(p.is_file() for p in needed):
        return False
    try:
        return json.loads(stamp.read_text()).get("hash") == digest
    except (json.JSONDecodeError, OSError):
        return False


def _run_worker(project: Project, ch: Chapter, *, scale: str, seed: int,
                digest: str) -> Outcome:
    """Run one chapter in a worker process; collect its outcome."""
    run = project.run_dir(scale, seed)
    tmp = run / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    result_file = tmp / f"{ch.slug}.result.json"
    result_file.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "eigenbook.book", "--root", str(project.root),
           "_run-one", ch.slug, "--scale", scale, "--seed", str(seed), "--hash", digest,
           "--result", str(result_file)]
    env = dict(os.environ, XLA_PYTHON_CLIENT_PREALLOCATE="false", PYTHONHASHSEED="0")
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result_file.is_file():
        data = json.loads(result_file.read_text())
        return Outcome(**data)
    tail = "\n".join((proc.stderr or proc.stdout).splitlines()[-TRACEBACK_TAIL:])
    return Outcome(ch.slug, "failed", seconds,
                   error=f"    worker exited with code {proc.returncode}:\n{tail}")


def run_one(project: Project, slug: str, *, scale: str, seed: int, digest: str,
            result: Path) -> None:
    """Execute one chapter in this process (the worker side of :func:`execute`)."""
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
    os.environ[METRICS_ENV] = str(metrics_tmp)

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

    metrics = _read_metrics(metrics_tmp, slug)
    claims = metrics.get("claims", [])
    outcome = Outcome(slug, "failed" if error else "ok", seconds,
                      claims_held=sum(bool(c["holds"]) for c in claims if c["reproduced"]),
                      claims_total=sum(bool(c["reproduced"]) for c in claims), error=error)
    if error:
        if out.is_file():
            os.replace(out, dirs["failed"] / f"{slug}.ipynb")
            outcome.error += f"\n    partial notebook: {dirs['failed'] / (slug + '.ipynb')}"
    else:
        executed = nbformat.read(out, as_version=4)
        _hide_parameter_cells(executed)
        nbformat.write(executed, out)
        metrics.update({"chapter": slug, "scale": scale, "seed": seed,
                        "runtime_s": round(seconds, 2), "versions": versions()})
        write_json_atomic(dirs["metrics"] / f"{slug}.json", _ordered(metrics))
        os.replace(out, dirs["executed"] / f"{slug}.ipynb")
        (dirs["failed"] / f"{slug}.ipynb").unlink(missing_ok=True)
        write_json_atomic(stamp, {"hash": digest, "seconds": round(seconds, 2)})
    write_json_atomic(result, outcome.__dict__)


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


def _read_metrics(path: Path, slug: str) -> dict:
    if path.is_file():
        try:
            return json.loads(path.read_text())
        except json.JSONDecodeError:
            pass
    return {"chapter": slug, "claims": [], "metrics": {}}


def _ordered(metrics: dict) -> dict:
    keys = ("chapter", "scale", "seed", "runtime_s", "versions", "claims", "metrics")
    return {k: metrics[k] for k in keys if k in metrics}


def _hide_parameter_cells(nb) -> None:
    """Tag papermill's parameter cells ``remove-cell`` so the site hides them."""
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if ("parameters" in tags or "injected-parameters" in tags) and "remove-cell" not in tags:
            cell.setdefault("metadata", {})["tags"] = [*tags, "remove-cell"]
