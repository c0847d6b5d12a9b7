"""Execute chapters with papermill: incremental, parallel, atomic.

For each chapter: the jupytext ``.md`` is converted to a notebook, executed by
papermill with the scale's parameters in a fresh kernel, and the executed
notebook and its ``metrics.json`` (validated against the schema,
:mod:`eigenbook.book.metrics`) are moved into place. Each chapter runs in its
own worker process (started with ``multiprocessing``'s *spawn*, calling
:func:`_worker` directly), so that each kernel gets its own environment; the
worker's output goes to ``_build/<run>/tmp/<slug>.log``.

Progress and budgets: while a chapter runs, its worker writes which code cell
it is in (``tmp/<slug>.progress.json``) and :class:`~eigenbook.book.progress.Progress`
shows one live line per running chapter. Each scale has a per-chapter budget
(:data:`BUDGET_S`); every run records, per chapter, its time against the
budget, its three slowest code cells (papermill's per-cell timings in the
executed notebook) and what the kernel measured (JAX compile time, CPU time,
peak memory: :mod:`eigenbook.book.kernel_startup`) in ``_build/<run>/times.json``
(:data:`TIMES_FILE`), which the Execution report shows. At ``ci`` a chapter
over budget fails ``execute`` (:func:`budget_failures`); at ``full`` it is a
warning. The kernels share JAX's persistent compilation cache under
``_build/jax-cache`` (:data:`JAX_CACHE`).

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
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from ..claims import METRICS_ENV, write_json_atomic
from . import metrics as mx
from .progress import Progress, describe
from .project import Chapter, Inputs, Project

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TRACEBACK_TAIL = 15  # lines of traceback printed for a failing chapter
VERSIONED = ("numpy", "scipy", "jax", "jaxlib", "scikit-learn", "matplotlib", "eigenbook")
KERNEL_ENV = {"XLA_PYTHON_CLIENT_PREALLOCATE": "false", "PYTHONHASHSEED": "0"}
BUDGET_S = {"ci": 60.0, "full": 300.0}
"""Per-chapter wall-time budget of each scale, in seconds (on 2 cores with ``-j 2``)."""
_MEASURED = ("{wall} s wall, {cpu} s of kernel CPU, {compile} s of it compiling on a cold JAX "
             "cache, in the integration run of all {n} chapters (-j 2, one BLAS thread per "
             "kernel, 2026-12-02)")
ALLOWANCES: dict[tuple[str, str], tuple[float, str]] = {
    # Over the budget: 1.5 x the measured wall time, rounded up to 10 s.
    ("ci", "04_randomized"): (100.0, _MEASURED.format(wall=62.8, cpu=60.4, compile=42.4, n=16)),
    ("ci", "10_tensor_decompositions"): (100.0,
                                         _MEASURED.format(wall=65.0, cpu=62.0, compile=44.1, n=16)),
    # Within the budget on the machine that measured them but by less than 20 %: kept
    # until a second machine (CI's) confirms them.
    ("ci", "05_orthogonalization"): (80.0, _MEASURED.format(wall=51.5, cpu=48.0, compile=40.5,
                                                            n=16)),
    ("ci", "11_equivariant_tensor_products"): (80.0,
                                               _MEASURED.format(wall=51.0, cpu=49.1,
                                                                compile=44.7, n=16)),
    # Chapters 03 and 09 (round 6): 41.8 s and 50.6 s in one fresh-clone run, 50.0 s and
    # 62.8 s in the next, in which every chapter took about 20 % longer; the rules above
    # applied to the slower run
    ("ci", "03_lowrank_compression"): (80.0, _MEASURED.format(wall=50.0, cpu=45.8,
                                                              compile=37.4, n=19)),
    ("ci", "09_neural_operators"): (100.0, _MEASURED.format(wall=62.8, cpu=59.5, compile=46.3,
                                                            n=19)),
}
"""``(scale, slug) -> (seconds, why)``: a chapter that cannot yet meet its scale's budget
gets a larger limit, *declared here with the measurement that explains it*. The check
then fails only above the allowance, and the report and ``execute`` still show the
chapter as over the budget, with the reason. Remove an entry once the chapter fits."""


def budget_for(scale: str, slug: str) -> tuple[float, str]:
    """The limit ``execute`` holds ``slug`` to at ``scale``, and why it differs from
    :data:`BUDGET_S` (``""`` when it does not)."""
    seconds, why = ALLOWANCES.get((scale, slug), (BUDGET_S[scale], ""))
    return max(seconds, BUDGET_S[scale]), why
SLOWEST = 3  # slowest cells recorded per chapter
TIMES_FILE = "times.json"  # per run: _build/<run>/times.json
JAX_CACHE = Path("_build") / "jax-cache"
"""JAX's persistent compilation cache, relative to the project root (shared by the
test stages and every chapter's kernel)."""
JAX_CACHE_MIN_COMPILE_S = 0.0
"""Cache every compiled executable, however fast it compiled (JAX's default, 1 s,
would leave out nearly all of the book's many small compilations)."""
STATS_ENV = "EIGENBOOK_KERNEL_STATS"


def jax_cache_env(root: str | os.PathLike) -> dict[str, str]:
    """The environment that points a JAX process at the project's persistent cache."""
    return {"JAX_COMPILATION_CACHE_DIR": str(Path(root).resolve() / JAX_CACHE),
            "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": str(JAX_CACHE_MIN_COMPILE_S),
            "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0"}


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
    budget_s: float = 0.0  # the limit it is held to (the scale's budget, or its allowance)
    allowance: str = ""  # why budget_s is above the scale's budget
    slowest: list = None  # [{"cell", "seconds", "compile_s", "heading", "first_line"}]
    kernel: dict = None  # what kernel_startup measured (totals, without per-cell records)

    def __post_init__(self):
        self.slowest = list(self.slowest or [])
        self.kernel = dict(self.kernel or {})

    @property
    def over_budget(self) -> bool:
        return self.status != "skipped" and bool(self.budget_s) and self.seconds > self.budget_s

    def line(self) -> str:
        if self.status == "skipped":
            return f"[skip] {self.slug:<32} unchanged since last run"
        claims = f"claims {self.claims_held}/{self.claims_total} held"
        budget = ""
        if self.budget_s:
            budget = (f" / {self.budget_s:g} s" + (" allowed" if self.allowance else "")
                      + (" OVER BUDGET" if self.over_budget else ""))
        head = f"{self.slug:<32} {self.seconds:7.1f} s{budget}  {claims}"
        if self.over_budget:
            head += "\n    slowest cells: " + slowest_text(self.slowest)
        if self.status == "ok":
            return f"[ok]   {head}"
        return f"[FAIL] {head}\n{self.error}"


def slowest_text(cells: list[dict]) -> str:
    """``code cell 17 (46.5 s, 12.0 s compiling; § Against the reference), ...``."""
    out = []
    for c in cells:
        extra = [f"{c['seconds']:.1f} s"]
        if c.get("compile_s"):
            extra.append(f"{c['compile_s']:.1f} s compiling")
        where = f"; § {c['heading']}" if c.get("heading") else ""
        out.append(f"code cell {c['cell']} ({', '.join(extra)}{where})")
    return ", ".join(out) or "(no cell timings)"


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


THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def blas_threads(jobs: int) -> dict[str, str]:
    """BLAS/OpenMP threads per kernel when ``jobs`` kernels share this machine's cores.

    Each kernel gets ``cores // jobs`` threads (at least one). Without the limit every
    kernel starts one BLAS thread per core, and with ``-j 2`` on 2 cores four spinning
    threads share two cores: a 256 x 256 ``eigh`` measured 1-2.6 s instead of 0.03 s on
    a loaded machine. Variables the user has set are kept (the caller uses setdefault).
    """
    n = str(max(1, (os.cpu_count() or 1) // max(1, jobs)))
    return {var: n for var in THREAD_VARS}


def environment() -> dict:
    """The machine and toolchain a run executes on (recorded in the times file).

    Python, NumPy, SciPy, JAX, the BLAS that NumPy calls (library, version, the
    kernel it selected for this CPU, threads; from ``threadpoolctl``), the CPU
    model and the number of cores.
    """
    env = {k: v for k, v in versions().items() if k in ("python", "numpy", "scipy", "jax",
                                                          "jaxlib")}
    try:
        import numpy as np
        from threadpoolctl import threadpool_info

        np.ones(2) @ np.ones(2)  # load the BLAS
        blas = next((i for i in threadpool_info() if i.get("user_api") == "blas"), None)
        if blas:
            env["blas"] = f"{blas.get('internal_api', '?')} {blas.get('version') or ''}".strip()
            env["blas_kernel"] = blas.get("architecture") or ""
            env["blas_threads"] = blas.get("num_threads")
    except Exception:  # threadpoolctl missing or odd: the rest still says something
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                env["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        env["cpu"] = platform.processor() or platform.machine()
    env.setdefault("cpu", platform.processor() or platform.machine())
    env["cores"] = os.cpu_count()
    return env


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
            jobs: int = 1, force: bool = False, log=None,
            progress: Progress | None = None) -> list[Outcome]:
    """Execute ``chapters`` (those whose inputs changed), ``jobs`` at a time.

    ``log`` receives the final line of each chapter (default: printed, through
    the live display); ``progress`` shows the running chapters (default: a
    :class:`Progress` on stderr when ``log`` is not given, none otherwise).
    Each chapter's time, budget and slowest cells go to the run's times file
    (:func:`write_times`).
    """
    own = progress is None and log is None
    if own:
        progress = Progress(sys.stderr)
    if log is None:
        log = progress.print if progress is not None else print
    todo, outcomes = [], {}
    for item in plan(project, chapters, scale=scale, seed=seed, force=force):
        if item.runs:
            todo.append(item)
        else:
            outcomes[item.chapter.slug] = Outcome(item.chapter.slug, "skipped")
            log(outcomes[item.chapter.slug].line())
    if todo:
        log(f"executing {len(todo)} chapter(s) at scale={scale} seed={seed} with {jobs} job(s); "
            f"budget {BUDGET_S[scale]:.0f} s per chapter")

    for var, value in blas_threads(jobs).items():  # inherited by the spawned kernels
        os.environ.setdefault(var, value)

    def work(item: Planned) -> Outcome:
        out = _run_worker(project, item.chapter, scale=scale, seed=seed, inputs=item.inputs,
                          progress=progress)
        log(out.line())
        return out

    if own and todo:
        progress.__enter__()
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for out in pool.map(work, todo):
                outcomes[out.slug] = out
    finally:
        if own and todo:
            progress.__exit__(None, None, None)
    ran = [outcomes[item.chapter.slug] for item in todo]
    if ran:
        write_times(project, ran, scale=scale, seed=seed, jobs=jobs)
    return [outcomes[ch.slug] for ch in chapters]


def chapter_title(ch: Chapter) -> str:
    """The chapter's title: the first ``# `` heading of its source (else its slug)."""
    try:
        for line in ch.source.read_text().splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    except OSError:
        pass
    return ch.slug


def times_file(project: Project, scale: str, seed: int = 0) -> Path:
    return project.run_dir(scale, seed) / TIMES_FILE


def read_times(project: Project, scale: str, seed: int = 0) -> dict:
    """The run's times file (``{"chapters": {}}`` when there is none or it is unreadable)."""
    path = times_file(project, scale, seed)
    try:
        data = json.loads(path.read_text())
        if isinstance(data.get("chapters"), dict):
            return data
    except (OSError, json.JSONDecodeError, AttributeError):
        pass
    return {"chapters": {}}


def write_times(project: Project, outcomes: list[Outcome], *, scale: str, seed: int,
                jobs: int) -> Path:
    """Record each executed chapter's time against the budget in ``_build/<run>/times.json``.

    Chapters not in ``outcomes`` keep their previous record. Per chapter::

        {"seconds": 48.2, "budget_s": 60.0, "within_budget": true, "status": "ok",
         "jobs": 2, "cpus": 2, "slowest_cells": [{"cell": 17, "seconds": 21.0,
         "compile_s": 3.1, "heading": "Against the reference", "first_line": "..."}, ...],
         "kernel": {"compile_s": 9.8, "cpu_s": 51.0, "peak_rss_mb": 812.0, ...}}
    """
    import datetime

    data = read_times(project, scale, seed)
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    for out in outcomes:
        data["chapters"][out.slug] = {
            "seconds": round(out.seconds, 2), "budget_s": out.budget_s,
            "allowance": out.allowance, "within_budget": not out.over_budget,
            "status": out.status,
            "jobs": jobs, "cpus": os.cpu_count(), "finished": now,
            "slowest_cells": out.slowest, "kernel": out.kernel}
    data.update(scale=scale, seed=seed, budget_s=BUDGET_S[scale], updated=now,
                environment=environment())
    data["chapters"] = dict(sorted(data["chapters"].items()))
    path = times_file(project, scale, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(path, data)
    return path


def budget_failures(project: Project, chapters: list[Chapter], *, scale: str,
                    seed: int = 0) -> list[str]:
    """One message per chapter whose last recorded time at this run is over budget.

    Read from the run's times file, so that a chapter skipped as unchanged is
    judged by the time of the run that produced its outputs.
    """
    recorded = read_times(project, scale, seed)["chapters"]
    out = []
    for ch in chapters:
        rec = recorded.get(ch.slug)
        if rec and rec.get("budget_s") and rec["seconds"] > rec["budget_s"]:
            kind = "allowance" if rec.get("allowance") else "budget"
            out.append(f"{ch.slug} took {rec['seconds']:.1f} s, over its {rec['budget_s']:g} s "
                       f"{kind} at scale={scale} (with -j {rec.get('jobs', '?')} on "
                       f"{rec.get('cpus', '?')} CPUs); slowest: "
                       + slowest_text(rec.get("slowest_cells", [])))
    return out


def over_target(project: Project, chapters: list[Chapter], *, scale: str,
                seed: int = 0) -> list[str]:
    """One line per chapter over its scale's budget but within a declared allowance."""
    recorded = read_times(project, scale, seed)["chapters"]
    out = []
    for ch in chapters:
        rec = recorded.get(ch.slug)
        if (rec and rec.get("allowance") and BUDGET_S[scale] < rec["seconds"]
                <= rec["budget_s"]):
            out.append(f"{ch.slug} took {rec['seconds']:.1f} s: over the {BUDGET_S[scale]:g} s "
                       f"budget of scale={scale}, within its allowance of {rec['budget_s']:g} s "
                       f"({rec['allowance']})")
    return out


def summary_table(project: Project, chapters: list[Chapter], *, scale: str,
                  seed: int = 0) -> str:
    """The per-chapter table printed at the end of ``execute``."""
    recorded = read_times(project, scale, seed)["chapters"]
    lines = [f"{'chapter':<34} {'seconds':>8} {'budget':>7} {'compile':>8} {'cpu':>7} "
             f"{'peak MB':>8}  slowest cells"]
    for ch in chapters:
        rec = recorded.get(ch.slug)
        if not rec:
            continue
        k = rec.get("kernel") or {}
        flag = "!" if rec["seconds"] > (rec.get("budget_s") or float("inf")) else " "
        cells = ", ".join(f"{c['cell']}:{c['seconds']:.0f}s" for c in rec.get("slowest_cells", []))
        lines.append(f"{ch.slug:<34} {rec['seconds']:>7.1f}{flag} {rec.get('budget_s', 0):>7.0f} "
                     f"{_num(k.get('compile_s')):>8} {_num(k.get('cpu_s')):>7} "
                     f"{_num(k.get('peak_rss_mb'), 0):>8}  {cells}")
    return "\n".join(lines)


def _num(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


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
                inputs: Inputs, progress: Progress | None = None) -> Outcome:
    """Run one chapter in a worker process; collect its outcome."""
    start = time.perf_counter()
    proc, result, log = _spawn(project, ch, scale=scale, seed=seed, inputs=inputs)
    key = f"{ch.slug}#{seed}#{threading.get_ident()}"
    state_file = project.run_dir(scale, seed) / "tmp" / f"{ch.slug}.progress.json"
    if progress is not None:
        progress.start(key, ch.slug if seed == 0 else f"{ch.slug} (seed {seed})")
    try:
        while proc.is_alive():
            proc.join(timeout=0.5)
            if progress is not None:
                progress.update(key, describe(_read_json(state_file)))
    finally:
        if progress is not None:
            progress.finish(key)
    seconds = time.perf_counter() - start
    if result.is_file():
        outcome = Outcome(**json.loads(result.read_text()))
        # the parent's budgets (a test may set them)
        outcome.budget_s, outcome.allowance = budget_for(scale, ch.slug)
        return outcome
    text = log.read_text(errors="replace") if log.is_file() else ""
    tail = "\n".join("    " + line for line in text.splitlines()[-TRACEBACK_TAIL:])
    return Outcome(ch.slug, "failed", seconds, budget_s=budget_for(scale, ch.slug)[0],
                   error=f"    worker exited with code {proc.exitcode} (log: {log}):\n{tail}")


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return {}


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
    stats = dirs["tmp"] / f"{slug}.kernel.json"
    state = dirs["tmp"] / f"{slug}.progress.json"
    for path in (metrics_tmp, stats, state):
        path.unlink(missing_ok=True)
    nbformat.write(nb, src)
    # The kernel inherits this environment: its metrics and statistics files, the
    # project's JAX cache, an IPython profile whose startup file measures each cell,
    # and the project's lib first.
    os.environ.update(KERNEL_ENV)
    os.environ.update(jax_cache_env(project.root))
    os.environ[METRICS_ENV] = str(metrics_tmp)
    os.environ[STATS_ENV] = str(stats)
    os.environ["IPYTHONDIR"] = str(_ipython_dir(dirs["tmp"] / f"{slug}.ipython"))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(project.lib_root)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                                   if p])

    start = time.perf_counter()
    error = ""
    try:
        papermill.execute_notebook(
            str(src), str(out), parameters=parameters_for(scale, seed),
            kernel_name="python3", cwd=str(ch.folder), progress_bar=False,
            log_output=False, request_save_on_cell_execute=False,
            engine_name=_progress_engine(state))
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
    kernel = _read_json(stats)
    per_cell = kernel.pop("cells", [])
    kernel.pop("jax_listening", None)
    kernel["compile_s"] = round(sum(kernel.get(k, 0.0) for k in ("backend_s", "trace_s",
                                                                  "lower_s")), 2)
    outcome = Outcome(slug, "failed" if error else "ok", seconds, claims_held=summary.held,
                      claims_total=summary.asserted, error=error, budget_s=BUDGET_S[scale],
                      slowest=slowest_cells(out, per_cell) if out.is_file() else [],
                      kernel=kernel)
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


def _ipython_dir(path: Path) -> Path:
    """A fresh IPython directory whose startup file is :mod:`kernel_startup`."""
    startup = path / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    code = (Path(__file__).parent / "kernel_startup.py").read_text()
    (startup / "00-eigenbook.py").write_text(code)
    return path


def _progress_engine(state: Path) -> str:
    """Register (once per process) papermill's engine that writes ``state`` at each cell."""
    from papermill.engines import NBClientEngine, papermill_engines

    class ProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            numbers = _code_cell_numbers(nb_man.nb)
            total = max(numbers.values(), default=0)
            headings = _headings(nb_man.nb)
            slowest = []
            start, complete = nb_man.cell_start, nb_man.cell_complete

            def cell_start(cell, cell_index=None, **kw):
                n = numbers.get(cell_index)
                if n is not None:
                    write_json_atomic(state, {"cell": n, "of": total,
                                              "heading": headings.get(cell_index, ""),
                                              "slowest": list(slowest[0]) if slowest else None})
                return start(cell, cell_index, **kw)

            def cell_complete(cell, cell_index=None, **kw):
                result = complete(cell, cell_index, **kw)
                duration = cell.metadata.get("papermill", {}).get("duration")
                if duration is not None and cell_index in numbers:
                    slowest.append((float(duration), numbers[cell_index]))
                    slowest.sort(reverse=True)
                return result

            nb_man.cell_start, nb_man.cell_complete = cell_start, cell_complete
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register("eigenbook-progress", ProgressEngine)
    return "eigenbook-progress"


def _code_cell_numbers(nb) -> dict[int, int]:
    """Notebook cell index -> the code-cell number a reader counts (papermill's injected
    parameters cell has none)."""
    out, n = {}, 0
    for i, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "code" and "injected-parameters" not in tags:
            n += 1
            out[i] = n
    return out


def _headings(nb) -> dict[int, str]:
    """Notebook cell index -> the last section heading above it."""
    out, current = {}, ""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if re.match(r"#{1,6} ", line):
                    current = line.lstrip("#").strip()
        out[i] = current
    return out


def slowest_cells(notebook: Path, per_cell: list[dict] | None = None,
                  n: int = SLOWEST) -> list[dict]:
    """The ``n`` slowest code cells of an executed notebook, from papermill's timings.

    Each: ``{"cell": code-cell number, "seconds", "heading", "first_line"}``, plus
    ``compile_s`` and ``cpu_s`` when the kernel's per-cell records (``per_cell``,
    :mod:`kernel_startup`, matched by execution count) have them.
    """
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    numbers, headings = _code_cell_numbers(nb), _headings(nb)
    by_count = {c.get("execution_count"): c for c in per_cell or []}
    rows = []
    for i, number in numbers.items():
        cell = nb.cells[i]
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if duration is None:
            continue
        first = next((t.strip() for t in cell.source.splitlines()
                      if t.strip() and not t.startswith("#")), "")
        row = {"cell": number, "seconds": round(float(duration), 2),
               "heading": headings.get(i, ""), "first_line": first[:80]}
        kernel = by_count.get(cell.get("execution_count"))
        if kernel:
            row.update(compile_s=round(kernel["compile_s"], 2), cpu_s=round(kernel["cpu_s"], 2))
        rows.append(row)
    rows.sort(key=lambda r: -r["seconds"])
    return rows[:n]


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
