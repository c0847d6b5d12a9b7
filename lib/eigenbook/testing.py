"""Assertions shared by the tests and the chapters (not algorithms).

A check that a property holds, raising :class:`AssertionError` with a message that
gives the measured value and the bound. The quantity itself is computed by the
family that owns it (e.g. :func:`eigenbook.equivariant.equivariance_error`), imported
when the assertion is called, so this floor module imports no family at import time.

Example
-------
>>> from eigenbook import testing
>>> testing.assert_equivariant(fn, [2, 2], 4, key=jax.random.key(0))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import _checks

__all__ = ["assert_equivariant"]


def assert_equivariant(fn: Callable[..., Any], irreps_in: Sequence[Any], irreps_out: Any, *,
                       key, atol: float = 1e-10, n_rotations: int = 4, batch: int = 8,
                       parity: bool = False) -> float:
    """Assert that ``fn`` is equivariant: its equivariance error is ``<= atol``.

    Parameters
    ----------
    fn, irreps_in, irreps_out, key, n_rotations, batch, parity
        As in :func:`eigenbook.equivariant.equivariance_error`.
    atol : float
        Allowed absolute error (``> 0``).

    Returns
    -------
    error : float
        The measured error (when it passes).

    Raises
    ------
    ValueError
        ``atol`` is not positive (or as in :func:`~eigenbook.equivariant.equivariance_error`).
    AssertionError
        The error exceeds ``atol``; the message gives both.

    See Also
    --------
    e3nn_jax.utils.assert_equivariant : the reference library's check.
        Chapter :ref:`equivariant-tensor-products` uses it on every product.
    """
    # the floor imports a family only when called
    from .equivariant._equivariance import _equivariance_error

    atol = _checks.check_scalar(atol, "atol", "testing.assert_equivariant", min_val=0.0,
                                strict_min=True)
    err = _equivariance_error(fn, irreps_in, irreps_out, key=key, n_rotations=n_rotations,
                              batch=batch, parity=parity, where="testing.assert_equivariant")
    if not err <= atol:
        raise AssertionError(f"testing.assert_equivariant: equivariance error {err:.3e} "
                             f"exceeds atol={atol:.1e} ({'O(3)' if parity else 'SO(3)'}, "
                             f"{n_rotations} rotations).")
    return err
