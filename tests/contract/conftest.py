"""The contract test checks NaN outputs itself (``_finite``): no ``jax.debug_nans`` here,
which would also re-run every jitted call de-optimised."""

import pytest


@pytest.fixture(autouse=True)
def _debug_nans():
    yield
