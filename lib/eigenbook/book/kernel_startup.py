"""Run in every chapter's kernel at start-up (an IPython startup file; see ``execute``).

It measures, per code cell, what the executed notebook's papermill timings do
not say: the JAX compilation time (``jax.monitoring``'s backend-compile and
tracing/lowering events), the persistent-cache hits and misses, the kernel's
CPU time and its peak resident memory. After each cell the totals so far and
the per-cell records are written to the file named by ``EIGENBOOK_KERNEL_STATS``
(JSON, atomically), so that a failing chapter keeps what was measured.

It imports nothing heavy: the JAX listener is registered before the first cell
that runs after ``jax`` was imported (a chapter's setup cell), so compilations
in that setup cell itself are not counted.
"""

import json
import os
import resource
import sys
import time

_PATH = os.environ.get("EIGENBOOK_KERNEL_STATS")
_COMPILE_EVENTS = {
    "/jax/core/compile/backend_compile_duration": "backend_s",
    "/jax/core/compile/jaxpr_trace_duration": "trace_s",
    "/jax/core/compile/jaxpr_to_mlir_module_duration": "lower_s",
    "/jax/compilation_cache/cache_retrieval_time_sec": "cache_load_s",
}
_COUNT_EVENTS = {
    "/jax/compilation_cache/cache_hits": "cache_hits",
    "/jax/compilation_cache/cache_misses": "cache_misses",
}
_totals = {k: 0.0 for k in _COMPILE_EVENTS.values()}
_totals.update({k: 0 for k in _COUNT_EVENTS.values()})
_totals["compiles"] = 0
_state = {"registered": False, "cell_start": None, "at_start": None, "cells": []}


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _on_duration(event, duration, **_kw):
    key = _COMPILE_EVENTS.get(event)
    if key is not None:
        _totals[key] += float(duration)
        if key == "backend_s":
            _totals["compiles"] += 1


def _on_event(event, **_kw):
    key = _COUNT_EVENTS.get(event)
    if key is not None:
        _totals[key] += 1


def _register() -> None:
    if _state["registered"] or "jax" not in sys.modules:
        return
    try:
        import jax.monitoring as mon

        mon.register_event_duration_secs_listener(_on_duration)
        mon.register_event_listener(_on_event)
        _state["registered"] = True
    except Exception:  # an old or odd jax: no compile statistics, nothing else breaks
        _state["registered"] = True


def _snapshot() -> dict:
    return dict(_totals, cpu_s=_cpu(), wall=time.perf_counter())


def _pre(*_args) -> None:
    _register()
    _state["at_start"] = _snapshot()


def _post(result=None) -> None:
    _register()
    start, now = _state["at_start"], _snapshot()
    if start is not None:
        _state["cells"].append({
            "execution_count": getattr(result, "execution_count", None),
            "seconds": round(now["wall"] - start["wall"], 4),
            "cpu_s": round(now["cpu_s"] - start["cpu_s"], 4),
            "compile_s": round(sum(now[k] - start[k] for k in ("backend_s", "trace_s",
                                                              "lower_s")), 4),
            "compiles": now["compiles"] - start["compiles"],
        })
    _write()


def _write() -> None:
    if not _PATH:
        return
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    record = dict({k: round(v, 4) if isinstance(v, float) else v for k, v in _totals.items()},
                  cpu_s=round(_cpu(), 3), peak_rss_mb=round(peak_kib / 1024, 1),
                  jax_listening=_state["registered"], cells=_state["cells"])
    tmp = f"{_PATH}.tmp"
    with open(tmp, "w") as f:
        json.dump(record, f)
    os.replace(tmp, _PATH)


try:
    _ip = get_ipython()  # noqa: F821 (defined in the kernel)
    _ip.events.register("pre_run_cell", _pre)
    _ip.events.register("post_run_cell", _post)
except NameError:  # imported outside IPython (tests, docs): nothing to hook
    pass
