"""The test pipeline behind ``make test``: stages in order, stop at the first failure."""

from __future__ import annotations

import os
import subprocess
import sys
import time

PY = sys.executable


def stages(jobs: int) -> list[tuple[str, str, list[str]]]:
    """(name, what it checks, command) for every stage, in order."""
    book = [PY, "-m", "eigenbook.book"]
    pytest = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    return [
        ("lint", "ruff over lib/ and tests/", [PY, "-m", "ruff", "check", "lib", "tests"]),
        ("unit", "unit tests of lib (numpy/scipy references, properties, bad input)",
         [*pytest, "-m", "not site and not book"]),
        ("machinery", "book machinery on tiny fixture notebooks", [*pytest, "-m", "book"]),
        ("execute", "every chapter at scale=ci",
         [*book, "execute", "--scale", "ci", "-j", str(jobs)]),
        ("check", "metrics against tests/baselines", [*book, "check"]),
        ("build", "the ci site, warnings as errors", [*book, "build", "--scale", "ci"]),
        ("site", "offline HTML and the headless-browser test",
         [*pytest, "-m", "site"]),
    ]


def run(jobs: int = 2, *, log=print) -> int:
    """Run every stage; return 0 when all pass, else the failing stage's code."""
    plan = stages(jobs)
    times: list[tuple[str, float, str]] = []
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for i, (name, what, cmd) in enumerate(plan, 1):
        log(f"\n=== stage {i}/{len(plan)}: {name} — {what}", flush=True)
        start = time.perf_counter()
        code = subprocess.call(cmd, env=env)
        seconds = time.perf_counter() - start
        times.append((name, seconds, "ok" if code == 0 else "FAILED"))
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
