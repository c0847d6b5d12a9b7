"""The test pipeline behind ``make test``: stages in order, stop at the first failure.

Each stage's wall time is printed at the end and written, after every stage (so
a failed run keeps what it measured), to ``_build/ci-times.json``::

    {"jobs": 2, "cpus": 2, "finished": "2025-01-01T12:00:00+00:00", "passed": true,
     "total_s": 812.3, "stages": [{"name": "lint", "seconds": 1.2, "result": "ok"}, ...]}
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

from ..claims import write_json_atomic
from .execute import jax_cache_env

PY = sys.executable
TIMES_FILE = Path("_build") / "ci-times.json"
# The unit tests run thousands of small programs once each, so XLA's optimisation passes
# cost more than they save: without them (JAX's `jax_disable_most_optimizations`) the summed
# test time went from 728 s to 605 s and the stage from 410 s to 346 s on 2 workers, cold
# cache, the same tests passing (2026-12-02, idle 2-core machine; the second run shared
# it part of the time). Results differ at most by rounding; the chapters keep full XLA.
STAGE_ENV = {"unit": {"JAX_DISABLE_MOST_OPTIMIZATIONS": "1"}}


def stages(jobs: int) -> list[tuple[str, str, list[str]]]:
    """(name, what it checks, command) for every stage, in order."""
    book = [PY, "-m", "eigenbook.book"]
    pytest = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    return [
        ("lint", "ruff over lib/, tests/, data/ and benchmarks/",
         [PY, "-m", "ruff", "check", "lib", "tests", "data", "benchmarks"]),
        # pytest-xdist over `jobs` workers, a file per worker: the tests of a file share
        # their compiled JAX functions (2026-12-02: 364 s serially on an idle fresh clone;
        # 371 s serially and 205 s on 2 workers, both on a machine shared with a helper)
        ("unit", "unit tests of lib (numpy/scipy references, properties, bad input)",
         [*pytest, "-m", "not site and not book", "-n", str(jobs), "--dist", "loadfile"]),
        ("machinery", "book machinery on tiny fixture notebooks",
         [*pytest, "-m", "book", "-n", str(jobs), "--dist", "loadfile"]),
        ("execute", "every chapter at scale=ci",
         [*book, "execute", "--scale", "ci", "-j", str(jobs)]),
        ("check", "metrics against tests/baselines", [*book, "check"]),
        ("build", "the ci site, warnings as errors", [*book, "build", "--scale", "ci"]),
        ("pdf", "every chapter and the book printed to PDF from the ci site",
         [*book, "pdf", "--scale", "ci"]),
        ("site", "offline HTML and the headless-browser test",
         [*pytest, "-m", "site"]),
    ]


def run(jobs: int = 2, *, root: str | os.PathLike = ".", log=print) -> int:
    """Run every stage in ``root``; return 0 when all pass, else the failing stage's code.

    The stage times go to ``root/_build/ci-times.json`` (see the module docstring).
    """
    plan = stages(jobs)
    times: list[tuple[str, float, str]] = []
    # One JAX persistent compilation cache for every stage: the unit tests and the
    # chapters' kernels compile each function once per machine, not once per stage.
    env = dict(os.environ, PYTHONUNBUFFERED="1", **jax_cache_env(root))
    for i, (name, what, cmd) in enumerate(plan, 1):
        log(f"\n=== stage {i}/{len(plan)}: {name} — {what}", flush=True)
        start = time.perf_counter()
        code = subprocess.call(cmd, env={**env, **STAGE_ENV.get(name, {})}, cwd=root)
        seconds = time.perf_counter() - start
        times.append((name, seconds, "ok" if code == 0 else "FAILED"))
        write_times(Path(root) / TIMES_FILE, times, jobs=jobs,
                    passed=code == 0 and i == len(plan))
        if code != 0:
            log(_summary(times))
            log(f"\nstage '{name}' failed (exit {code}) after {seconds:.0f} s; later stages "
                f"not run. Reproduce with:\n  {' '.join(cmd)}")
            return code
    log(_summary(times))
    log("\nall stages passed")
    return 0


def _summary(times: list[tuple[str, float, str]]) -> str:
    lines = ["\nstage        seconds  result"]
    lines += [f"{name:<12} {sec:7.1f}  {res}" for name, sec, res in times]
    lines.append(f"{'total':<12} {sum(t[1] for t in times):7.1f}")
    return "\n".join(lines)


def write_times(path: Path, times: list[tuple[str, float, str]], *, jobs: int,
                passed: bool) -> None:
    """Write the stage times so far to ``path`` (JSON, see the module docstring)."""
    write_json_atomic(path, {
        "jobs": jobs, "cpus": os.cpu_count(),
        "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "passed": passed, "total_s": round(sum(t[1] for t in times), 1),
        "stages": [{"name": n, "seconds": round(sec, 1), "result": r} for n, sec, r in times]})
