"""Shared pytest configuration: float64 everywhere, strict numerics, keys."""

import itertools
import os
from pathlib import Path

import jax
import pytest

jax.config.update("jax_enable_x64", True)
if not os.environ.get("JAX_COMPILATION_CACHE_DIR"):
    # the project's persistent compilation cache, shared with the chapters (``make test``
    # sets the same through the environment)
    jax.config.update("jax_compilation_cache_dir",
                      str(Path(__file__).resolve().parent.parent / "_build" / "jax-cache"))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)


@pytest.fixture
def getkey():
    """``getkey()`` returns a fresh PRNG key on every call (deterministic per test)."""
    counter = itertools.count()
    base = jax.random.key(0)
    return lambda: jax.random.fold_in(base, next(counter))


@pytest.fixture(autouse=True)
def _debug_nans():
    """Fail fast on NaN produced inside jitted lib code."""
    with jax.debug_nans(True):
        yield
