"""Shared pytest configuration: float64 everywhere, strict numerics, keys."""

import itertools

import jax
import pytest

jax.config.update("jax_enable_x64", True)


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
