"""Wall-clock timing for lib-vs-reference comparisons (used by chapters).

JAX functions compile on their first call and return before their result is
ready; :func:`best_time` runs a warm-up call (compilation), then takes the best
of ``repeats`` timed calls, each waiting for its result with
``jax.block_until_ready``. The same helper times the reference library, so
both sides are measured the same way in the same run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jax

__all__ = ["best_time"]


def best_time(fn: Callable[[], Any], *, repeats: int = 3, warmup: int = 1) -> tuple[float, Any]:
    """Best wall time of ``fn()`` over ``repeats`` runs after ``warmup`` runs.

    Parameters
    ----------
    fn : callable with no arguments
        The work to time (wrap arguments in a lambda).
    repeats : int
        Timed runs, ``>= 1``; the minimum is returned (the least disturbed run).
    warmup : int
        Untimed runs first (JIT compilation, caches), ``>= 0``.

    Returns
    -------
    seconds : float
        The best time.
    result : Any
        What the last call returned.
    """
    if repeats < 1 or warmup < 0:
        raise ValueError(f"timing.best_time: expected repeats >= 1 and warmup >= 0; got "
                         f"repeats={repeats}, warmup={warmup}.")
    out = None
    for _ in range(warmup):
        out = jax.block_until_ready(fn())
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        out = jax.block_until_ready(fn())
        best = min(best, time.perf_counter() - start)
    return best, out
