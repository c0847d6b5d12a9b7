"""The benchmark suite: the book's routines against the reference libraries.

``python -m eigenbook.book bench`` (``make bench``) imports every file
``benchmarks/<family>.py`` of the project, each holding a list ``CASES`` of
:class:`BenchCase`, runs them one after the other with a progress line per
case, writes ``_build/bench/results.json`` (``results-<platform>.json`` when
JAX's default device is not the CPU) and renders the **Performance** appendix
page from every results file present (:func:`write_page`; the site build does
the same through :func:`eigenbook.book.report.write_pages`).

Protocol (the one timing harness of the chapters, :func:`eigenbook.timing.
against_reference`): each side's first call, which includes JIT compilation, is
timed on its own; after ``warmup - 1`` more untimed calls the steady-state time
is the best of ``repeats`` calls, each waiting for its result. The dgemm rate
(``numpy`` float64 ``A @ B``, and ``jax.numpy`` on the default device) is
measured in the same run, before and after the cases; the machine, BLAS and
versions are recorded with it.

Both sides of a case are measured with the same accuracy function against the
case's ground truth (made by its ``setup``), so each side has its own accuracy
columns. Warnings raised by either side (an unconverged solver's
``ConvergenceWarning``) are recorded with the case.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import json
import math
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..claims import format_value
from .project import Project
from .robustness import save_png

SCHEMA = 1
PAGE = "appendix/performance.md"
FIGURE = "performance-ratios.png"
MODES = ("full", "quick")
PROTOCOL = {"full": {"repeats": 3, "warmup": 2, "gemm_n": 2000},
            "quick": {"repeats": 1, "warmup": 1, "gemm_n": 512}}
"""Steady-state calls (best kept), calls before them (the first one timed on its own),
and the size of the square dgemm, per mode."""


class Side(NamedTuple):
    """One side of a benchmark case: a routine applied to the case's inputs.

    Attributes
    ----------
    name : str
        What is run, as shown (``"eigen.lobpcg"``, ``"scipy.sparse.linalg.eigsh"``).
    run : callable ``inputs -> output``
        Runs it on the inputs made by the case's ``setup``.
    flops : callable ``inputs -> float``, optional
        The floating-point operations of the matrix products of one call, for
        routines bound by GEMM: the page shows the rate as a fraction of dgemm.
    """

    name: str
    run: Callable[[dict], Any]
    flops: Callable[[dict], float] | None = None


class BenchCase(NamedTuple):
    """One comparison of the book's routine with the reference on generated inputs.

    Attributes
    ----------
    id : str
        Unique name, ``<family>.<what>`` (``"eigen.lobpcg-vs-eigsh"``); ``--only``
        selects by it (or by its family).
    chapter : str
        The slug of the chapter that explains the routine (``"01_eigensolvers"``).
    problem : str
        The inputs, formatted with the size (``"sparse symmetric n={n}, top {k}"``).
    sizes : mapping ``"full"``/``"quick"`` -> mapping
        The size parameters of each mode, passed to ``setup`` (``"repeats"``
        optionally overrides the protocol's for this case).
    setup : callable ``(size, seed) -> dict``
        Makes the inputs (seeded) and the ground truth the accuracy is measured against.
        Cases whose ``setup`` and size are the same share one call.
    book, reference : Side
        The book's routine and the reference a reader would use instead.
    accuracy : callable ``(inputs, output, side) -> mapping``
        The accuracy columns of one side's output (name -> number, bool or str);
        applied to both sides (``side`` is ``"book"`` or ``"reference"``, for
        outputs in different conventions).
    measure : str
        What the accuracy columns measure, in words (shown on the page).
    bound : str, optional
        Where the book's routine is slower than the reference, what bounds it, from a
        profile (shown on the page for cases whose ratio is above 1).
    """

    id: str
    chapter: str
    problem: str
    sizes: Mapping[str, Mapping[str, Any]]
    setup: Callable[[Mapping[str, Any], int], dict]
    book: Side
    reference: Side
    accuracy: Callable[[dict, Any, str], Mapping[str, Any]]
    measure: str
    bound: str = ""


# -- discovery -----------------------------------------------------------------
def bench_dir(project: Project) -> Path:
    return project.root / "benchmarks"


def results_dir(project: Project) -> Path:
    return project.root / "_build" / "bench"


def published_dir(project: Project) -> Path:
    """Results committed with the project (``bench --publish`` copies a run there): the
    page shows them when ``_build/bench/`` holds none, so that a site built on a machine
    that never ran the suite (CI, a reader's clone) still has its measured numbers."""
    return project.root / "benchmarks" / "results"


def discover(project: Project) -> list[tuple[str, BenchCase]]:
    """Every case of ``benchmarks/*.py`` as ``(family, case)``, files in name order.

    Files whose name starts with ``_`` are helpers the others import (the folder is
    put on ``sys.path``).

    Raises
    ------
    SystemExit
        A file without a ``CASES`` list of :class:`BenchCase`, a case without
        both sizes, or two cases with the same id.
    """
    out: list[tuple[str, BenchCase]] = []
    seen: set[str] = set()
    folder = str(bench_dir(project))
    if folder not in sys.path:  # the files share helpers from benchmarks/_*.py
        sys.path.insert(0, folder)
    for path in sorted(bench_dir(project).glob("[a-z]*.py")):
        name = f"_eigenbook_bench_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        cases = getattr(module, "CASES", None)
        if not isinstance(cases, (list, tuple)) or not all(isinstance(c, BenchCase)
                                                           for c in cases):
            raise SystemExit(f"{path.relative_to(project.root)}: expected a list CASES of "
                             "eigenbook.book.bench.BenchCase")
        for case in cases:
            missing = [m for m in MODES if m not in case.sizes]
            if missing or case.id in seen:
                raise SystemExit(f"{path.relative_to(project.root)}: case {case.id!r} "
                                 + (f"has no size for {missing}" if missing else "appears twice"))
            seen.add(case.id)
            out.append((path.stem, case))
    return out


def select(found: list[tuple[str, BenchCase]], only: Sequence[str] | None):
    """The cases named in ``only`` (by id or by family), in that order; all when empty."""
    if not only:
        return found
    unknown = [o for o in only if not any(o in (fam, c.id) for fam, c in found)]
    if unknown:
        valid = ", ".join(c.id for _, c in found) or "(none)"
        raise SystemExit(f"unknown benchmark case(s): {', '.join(unknown)}. Valid cases "
                         f"(or a family name): {valid}")
    chosen = [(fam, c) for o in only for fam, c in found if o in (fam, c.id)]
    return list({c.id: (fam, c) for fam, c in chosen}.values())  # each case once


# -- the environment -------------------------------------------------------------
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    """CPU model, cores (logical and usable by this process), memory, OS, load average."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {"cpu": _cpu_model(), "cores": os.cpu_count(), "usable_cores": usable,
            "memory_gib": mem, "os": platform.platform(),
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None}


def blas() -> dict:
    """numpy's BLAS/LAPACK (``numpy.show_config``) and the loaded thread pools
    (``threadpoolctl``, when installed)."""
    import numpy as np

    out: dict[str, Any] = {}
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]
        out["numpy"] = {k: {f: cfg[k].get(f) for f in ("name", "version")}
                        for k in ("blas", "lapack") if k in cfg}
    except Exception as e:  # older numpy: no mode="dicts"
        out["numpy"] = f"unavailable ({type(e).__name__})"
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        out["threadpools"] = "threadpoolctl not installed"
    else:
        out["threadpools"] = [{k: p.get(k) for k in ("user_api", "internal_api", "version",
                                                      "num_threads", "architecture")}
                              for p in threadpool_info()]
    return out


def versions() -> dict:
    from importlib import metadata

    from .execute import versions as base

    out = base()
    for name in ("e3nn-jax", "tensorly", "pyamg"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def device() -> dict:
    """JAX's default device: platform (``cpu``, ``gpu``, ...) and its name."""
    import jax

    d = jax.devices()[0]
    name = _cpu_model() if d.platform == "cpu" else getattr(d, "device_kind", str(d))
    return {"platform": d.platform, "name": name, "count": jax.device_count()}


def dgemm_rate(n: int) -> dict:
    """Float64 ``A @ B`` of two ``n × n`` matrices: GFLOP/s by numpy (host BLAS) and by
    ``jax.numpy`` on the default device, each the best of 5 after a warm-up."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    from ..timing import best_time

    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    flops = 2.0 * n**3
    t_np = best_time(lambda: A @ B, repeats=5).seconds
    Aj, Bj = jnp.asarray(A), jnp.asarray(B)  # float64 when x64 is on (as :func:`run` sets)
    mm = jax.jit(jnp.matmul)
    t_jax = best_time(lambda: mm(Aj, Bj), repeats=5).seconds
    return {"n": n, "numpy_gflops": flops / t_np / 1e9, "jax_gflops": flops / t_jax / 1e9}


# -- running ----------------------------------------------------------------------
class _Recorded:
    """Calls ``fn()`` recording the warnings it raises (each message once)."""

    def __init__(self, fn: Callable[[], Any]):
        self.fn, self.messages = fn, {}

    def __call__(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = self.fn()
        for w in caught:
            text = f"{w.category.__name__}: {str(w.message).splitlines()[0][:300]}"
            self.messages[text] = None
        return out


def _plain(value: Any) -> Any:
    """A JSON value of an accuracy column: bools, strings and finite floats; NaN/inf as str."""
    import numpy as np

    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str) or value is None:
        return value
    x = float(value)
    return x if math.isfinite(x) else str(x)


def run_case(family: str, case: BenchCase, *, mode: str, seed: int, rates: dict,
             platform_name: str, cache: dict, repeats: int | None = None) -> dict:
    """Measure one case; a failure is returned as ``status="failed"`` with its error."""
    from ..timing import Case, against_reference

    size = dict(case.sizes[mode])
    reps = int(repeats or size.pop("repeats", None) or PROTOCOL[mode]["repeats"])
    size.pop("repeats", None)
    out = {"id": case.id, "family": family, "chapter": case.chapter,
           "problem": case.problem.format(**size), "size": size,
           "book_routine": case.book.name, "reference_routine": case.reference.name,
           "accuracy_measure": case.measure, "bound": case.bound, "repeats": reps,
           "warmup": PROTOCOL[mode]["warmup"]}
    start = time.perf_counter()
    try:
        key = (id(case.setup), repr(sorted(size.items())), seed)
        if key not in cache:
            cache.clear()  # one problem's inputs at a time (they can be large)
            cache[key] = case.setup(size, seed)
        inputs = cache[key]
        book, ref = (_Recorded(lambda s=s: s.run(inputs)) for s in (case.book, case.reference))
        row, = against_reference([Case(out["problem"], case.book.name, book,
                                       case.reference.name, ref)],
                                 repeats=reps, warmup=PROTOCOL[mode]["warmup"]).rows
        sides = {}
        host = max(rates["numpy_gflops"], rates["jax_gflops"]) if platform_name == "cpu" \
            else rates["numpy_gflops"]
        for label, side, rec, first, best, output, rate in (
                ("book", case.book, book, row.first_seconds, row.seconds, row.output,
                 host if platform_name == "cpu" else rates["jax_gflops"]),
                ("reference", case.reference, ref, row.reference_first_seconds,
                 row.reference_seconds, row.reference_output, host)):
            acc = {k: _plain(v) for k, v in case.accuracy(inputs, output, label).items()}
            flops = float(side.flops(inputs)) if side.flops else None
            sides[label] = {"first_s": first, "best_s": best, "accuracy": acc,
                            "warnings": list(rec.messages), "gemm_flops": flops,
                            "fraction_of_dgemm": flops / best / (rate * 1e9) if flops else None}
        out.update(status="ok", ratio=row.ratio, **sides)
    except Exception as e:  # noqa: BLE001 - a failed case is reported, the others still run
        import traceback

        out.update(status="failed", error=f"{type(e).__name__}: {e}",
                   traceback=traceback.format_exc(limit=8))
    out["wall_s"] = time.perf_counter() - start
    return out


def results_path(project: Project, platform_name: str) -> Path:
    name = "results.json" if platform_name == "cpu" else f"results-{platform_name}.json"
    return results_dir(project) / name


def run(project: Project, *, only: Sequence[str] | None = None, quick: bool = False,
        seed: int = 0, repeats: int | None = None, output: Path | None = None,
        log: Callable[[str], None] = print) -> tuple[dict, Path, list[dict]]:
    """Run the selected cases, write the results file; return ``(results, path, measured)``
    (``measured``: the cases of this run).

    With ``only``, the cases measured replace theirs in an existing results file of
    the same mode and device (each case keeps the dgemm rate of its own run).
    """
    import jax

    jax.config.update("jax_enable_x64", True)  # float64 on both sides
    mode = "quick" if quick else "full"
    chosen = select(discover(project), only)
    dev = device()
    path = Path(output) if output else results_path(project, dev["platform"])
    started = _dt.datetime.now(_dt.UTC)
    log(f"bench: {len(chosen)} case(s), mode={mode}, device={dev['platform']} "
        f"({dev['name']}); measuring the dgemm rate ...")
    env = {"machine": machine(), "blas": blas(), "versions": versions(), "device": dev}
    rates_before = dgemm_rate(PROTOCOL[mode]["gemm_n"])
    log(f"  dgemm n={rates_before['n']}: numpy {rates_before['numpy_gflops']:.1f} GFLOP/s, "
        f"jax {rates_before['jax_gflops']:.1f} GFLOP/s")
    old = []
    if only and path.is_file():
        prev = json.loads(path.read_text())
        if prev.get("mode") == mode and prev.get("device", {}).get("platform") == dev["platform"]:
            ids = {c.id for _, c in chosen}
            old = [c for c in prev.get("cases", []) if c["id"] not in ids]

    def write(cases: list[dict], rates_after: dict | None) -> dict:
        """The results so far (written after every case, so a stopped run leaves them)."""
        env["machine"]["load_average_after"] = (list(os.getloadavg())
                                                if hasattr(os, "getloadavg") else None)
        results = {"schema": SCHEMA, "mode": mode, "seed": seed,
                   "started": started.isoformat(timespec="seconds"),
                   "wall_s": (_dt.datetime.now(_dt.UTC) - started).total_seconds(),
                   "complete": rates_after is not None, "planned": len(chosen) + len(old),
                   **env, "protocol": PROTOCOL[mode],
                   "dgemm": {"before": rates_before, "after": rates_after or rates_before},
                   "cases": old + cases}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(results, indent=1) + "\n")
        tmp.replace(path)
        return results

    cases, cache = [], {}
    for i, (family, case) in enumerate(chosen, 1):
        res = run_case(family, case, mode=mode, seed=seed, rates=rates_before,
                       platform_name=dev["platform"], cache=cache, repeats=repeats)
        res["dgemm"] = rates_before
        cases.append(res)
        write(cases, None)
        if res["status"] == "ok":
            line = (f"book {res['book']['best_s']:.3g} s (first {res['book']['first_s']:.3g}), "
                    f"ref {res['reference']['best_s']:.3g} s, ratio {res['ratio']:.2f}x"
                    + ("  [book warned]" if res["book"]["warnings"] else ""))
        else:
            line = f"FAILED: {res['error'][:200]}"
        log(f"[{i}/{len(chosen)}] {case.id:<36} {line}  ({res['wall_s']:.1f} s)")
    cache.clear()
    results = write(cases, dgemm_rate(PROTOCOL[mode]["gemm_n"]))
    failed = [c["id"] for c in cases if c["status"] != "ok"]
    log(f"wrote {_rel(path, project)}: {len(cases) - len(failed)} ok, {len(failed)} failed"
        f"{': ' + ', '.join(failed) if failed else ''}")
    return results, path, cases


def _rel(path: Path, project: Project) -> str:
    try:
        return str(path.resolve().relative_to(project.root))
    except ValueError:
        return str(path)


# -- the page -----------------------------------------------------------------------
def load_results(project: Project) -> list[dict]:
    """Every results file under ``_build/bench/`` (or, when it holds none, the published
    ones of :func:`published_dir`), ``results.json`` first, each with ``file`` (its path
    in the project) and ``column`` (the device label of its columns) added."""
    files = []
    for folder in (results_dir(project), published_dir(project)):
        files = sorted(folder.glob("results*.json"),
                       key=lambda p: (p.name != "results.json", p.name))
        if files:
            break
    out = []
    for path in files:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if data.get("schema") != SCHEMA or not isinstance(data.get("cases"), list):
            continue
        data["file"] = path.relative_to(project.root).as_posix()
        data["column"] = data.get("device", {}).get("platform", "cpu").upper()
        out.append(data)
    return out


def _seconds(x: float) -> str:
    return f"{x:.3g}"


def _acc_cell(side: dict) -> str:
    parts = [f"{k} {format_value(v)}" for k, v in side["accuracy"].items()]
    if side["warnings"]:
        names = sorted({w.split(":", 1)[0] for w in side["warnings"]})
        parts.append("⚠ " + ", ".join(names))
    return "; ".join(parts) or "—"


def _pct(side: dict) -> str | None:
    f = side.get("fraction_of_dgemm")
    return None if f is None else f"{100 * f:.3g} %"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _chapter_link(slug: str, docnames: dict[str, str]) -> str:
    return f"{{doc}}`{slug} </{docnames[slug]}>`" if slug in docnames else f"`{slug}`"


def figure(runs: list[dict], path: Path) -> bool:
    """Bar chart of the time ratios (log scale), one bar per case and device; written
    only when its bytes change. False when there is no ratio to show."""
    ids = list(dict.fromkeys(c["id"] for r in runs for c in r["cases"] if c["status"] == "ok"))
    if not ids:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 0.32 * len(ids) * len(runs) + 1.4), dpi=110)
    h = 0.8 / len(runs)
    every = []
    for j, r in enumerate(runs):
        by_id = {c["id"]: c for c in r["cases"] if c["status"] == "ok"}
        ys = [i + (j - (len(runs) - 1) / 2) * h for i, cid in enumerate(ids) if cid in by_id]
        xs = [by_id[cid]["ratio"] for cid in ids if cid in by_id]
        every += xs
        ax.barh(ys, [x - 1.0 for x in xs], left=1.0, height=h * 0.9,  # bars start at 1
                label=f"{r['column']} ({r['device']['name']})", zorder=3)
    ax.axvline(1.0, color="black", lw=1.0, zorder=4)
    ax.set_xscale("log")
    lo, hi = min(every + [1.0]), max(every + [1.0])
    ax.set_xlim(lo / 2, hi * 2)
    ax.set_yticks(range(len(ids)), ids, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("time ratio book / reference (log scale; < 1: the book is faster)", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", which="both", lw=0.3, alpha=0.5)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    fig.tight_layout()
    save_png(fig, path)
    return True


def _environment_lines(r: dict) -> list[str]:
    m, d, b = r.get("machine", {}), r.get("device", {}), r.get("blas", {})
    g = r.get("dgemm", {})
    blas_text = "—"
    if isinstance(b.get("numpy"), dict) and "blas" in b["numpy"]:
        blas_text = " ".join(str(x) for x in b["numpy"]["blas"].values() if x)
    pools = b.get("threadpools")
    if isinstance(pools, list) and pools:
        blas_text += " (" + ", ".join(f"{p.get('internal_api')} {p.get('version')}, "
                                      f"{p.get('num_threads')} threads" for p in pools) + ")"
    v = r.get("versions", {})
    load = m.get("load_average")
    lines = [
        f"- **{r['column']}** (`{r['file']}`, {r['mode']} mode, started "
        f"{r.get('started', '?')}, {r.get('wall_s', 0):.0f} s): device {d.get('name')}; "
        f"CPU {m.get('cpu')}, {m.get('cores')} cores ({m.get('usable_cores')} usable), "
        f"{m.get('memory_gib')} GiB"
        + (f", load average {load[0]:.2f} at the start" if load else "") + f"; BLAS {blas_text}.",
    ]
    if g.get("before"):
        lines.append(
            f"  dgemm ({g['before']['n']}², float64): numpy "
            f"{g['before']['numpy_gflops']:.1f} / {g['after']['numpy_gflops']:.1f} GFLOP/s, "
            f"`jax.numpy` on the device {g['before']['jax_gflops']:.1f} / "
            f"{g['after']['jax_gflops']:.1f} GFLOP/s (before / after the cases).")
    reps = sorted({c.get("repeats") for c in r["cases"] if c.get("repeats")})
    warm = sorted({c.get("warmup") for c in r["cases"] if c.get("warmup")})
    if reps and warm:
        lines.append(f"  Protocol: the first call timed alone, then the best of "
                     f"{'/'.join(map(str, reps))} call(s) after {'/'.join(map(str, warm))} "
                     "warm-up call(s) (the first included).")
    lines.append("  Versions: " + ", ".join(f"{k} {v[k]}" for k in sorted(v)) + ".")
    return lines


def page(runs: list[dict], docnames: dict[str, str], figures: bool) -> str:
    """The Markdown of the Performance page (``runs``: :func:`load_results`)."""
    head = ["(performance)=", "# Performance", ""]
    how = ("`make bench` (`python -m eigenbook.book bench`; `--quick` for small sizes, "
           "`--only CASE` for one case) runs the suite of `benchmarks/`: each case solves "
           "generated, seeded inputs with the book's routine and with the library a reader "
           "would use instead, measured in the same run by the chapters' harness "
           "(`eigenbook.timing.against_reference`): the first call, which includes JAX's "
           "compilation, is timed on its own, the steady state is the best of the calls after "
           "the warm-up. *Ratio* is book / reference in the steady state (below 1: the book is "
           "faster). Both outputs are measured with the same accuracy function against the "
           "case's ground truth. Where the routine is bound by matrix products, *% of dgemm* "
           "is the rate of its matrix-product flops against the float64 dgemm rate measured in "
           "the same run: on the CPU the better of numpy's BLAS and `jax.numpy` (XLA), for "
           "both sides; on an accelerator, `jax.numpy` on it for the book.")
    if not runs:
        return "\n".join(head + [
            "No benchmark results yet: this page is written from `_build/bench/results.json`, "
            "which `make bench` produces (or from the published run in `benchmarks/results/`, "
            "which `bench --publish` writes).", "", how, ""])
    primary, others = runs[0], runs[1:]
    quick = any(r["mode"] == "quick" for r in runs)
    lines = head + [how, ""]
    if quick:
        lines += ["```{note}", "Some columns come from a `--quick` run (small sizes, one timed "
                  "call): a check that the suite runs, not a measurement.", "```", ""]
    stopped = [r for r in runs if not r.get("complete", True)]
    if stopped:
        lines += ["```{note}", "The run behind the " + ", ".join(r["column"] for r in stopped)
                  + " column(s) stopped before its end: "
                  + "; ".join(f"{len(r['cases'])} of {r.get('planned', '?')} cases measured"
                              for r in stopped) + ".", "```", ""]
    cols = ["Case", "Problem", "Book", "Reference", f"Book (s) {primary['column']}",
            f"Reference (s) {primary['column']}", f"Ratio {primary['column']}",
            "Book accuracy", "Reference accuracy", "% of dgemm (book / ref.)"]
    for r in others:
        cols += [f"Book (s) {r['column']}", f"Ratio {r['column']}"]
    cols.append("Chapter")
    lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    other_cases = [{c["id"]: c for c in r["cases"]} for r in others]
    failed = []
    for c in primary["cases"]:
        cells = [f"`{c['id']}`", c["problem"], f"`{c['book_routine']}`",
                 f"`{c['reference_routine']}`"]
        if c["status"] == "ok":
            b, ref = c["book"], c["reference"]
            pb, pr = _pct(b), _pct(ref)
            cells += [f"{_seconds(b['best_s'])} (first {_seconds(b['first_s'])})",
                      f"{_seconds(ref['best_s'])} (first {_seconds(ref['first_s'])})",
                      f"**{c['ratio']:.3g}×**", _acc_cell(b), _acc_cell(ref),
                      f"{pb or '—'} / {pr or '—'}" if (pb or pr) else "—"]
        else:
            failed.append(c)
            cells += ["failed", "—", "—", "—", "—", "—"]
        for oc in other_cases:
            o = oc.get(c["id"])
            if o and o["status"] == "ok":
                cells += [f"{_seconds(o['book']['best_s'])} (first "
                          f"{_seconds(o['book']['first_s'])})", f"**{o['ratio']:.3g}×**"]
            else:
                cells += ["—" if not o else "failed", "—"]
        cells.append(_chapter_link(c["chapter"], docnames))
        lines.append("| " + " | ".join(_cell(x) for x in cells) + " |")
    lines += ["", "Accuracy measures, per case:", ""]
    lines += [f"- `{c['id']}`: {c['accuracy_measure']}" for c in primary["cases"]]
    slower = [c for c in primary["cases"] if c["status"] == "ok" and c["ratio"] > 1.0]
    if slower:
        lines += ["", "Where the book is slower (ratio above 1), what bounds it:", ""]
        lines += [f"- `{c['id']}` ({c['ratio']:.3g}×): "
                  + (c.get("bound") or "not profiled yet.") for c in slower]
    if failed:
        lines += ["", "Failed cases:", ""]
        lines += [f"- `{c['id']}`: `{_cell(c['error'][:300])}`" for c in failed]
    warned = [(c["id"], w) for c in primary["cases"] if c["status"] == "ok"
              for side in ("book", "reference") for w in c[side]["warnings"]]
    if warned:
        lines += ["", "Warnings raised during the timed calls:", ""]
        lines += [f"- `{cid}`: {_cell(w)}" for cid, w in warned]
    if figures:
        lines += ["", "```{figure} " + FIGURE, ":name: fig-performance-ratios", ":width: 95%", "",
                  "Time ratio book / reference of each case, on a log scale, per device: "
                  "each bar runs from 1 (as fast as the reference, the vertical line) to the "
                  "case's ratio; bars to the left of the line: the book is faster.", "```"]
    lines += ["", "## Where the numbers come from", ""]
    for r in runs:
        lines += _environment_lines(r)
    if others:
        lines += ["", "The reference libraries run on the host CPU in every run; the "
                  f"{', '.join(r['column'] for r in others)} column(s) time the book's routine "
                  "on that device, against the reference timed on the same machine's CPU."]
    return "\n".join(lines) + "\n"


def write_page(project: Project, book_dir: Path) -> list[Path]:
    """Write the page (and its figure, when there are results) into ``book_dir``."""
    runs = load_results(project)
    docnames = {ch.slug: ch.docname for ch in project.chapters()}
    fig_path = book_dir / Path(PAGE).parent / FIGURE
    has_fig = figure(runs, fig_path) if runs else False
    if not has_fig and fig_path.is_file():
        fig_path.unlink()
    text = page(runs, docnames, has_fig)
    path = book_dir / PAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return [path, fig_path] if has_fig else [path]
