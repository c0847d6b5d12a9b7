"""Shared pieces of the orthogonalization family: Newton–Schulz coefficients and input checks."""

from __future__ import annotations

from typing import Any

import jax

from eigenbook._checks import (
    as_matrix,
    fail,
)
from eigenbook._results import QRResult as QRResult

#: Muon's quintic Newton–Schulz coefficients (a, b, c) :cite:p:`jordan2024muon`.
MUON_COEFFS = (3.4445, -4.7750, 2.0315)
#: The cubic Newton–Schulz coefficients (3/2, -1/2, 0): :math:`p(s) = (3s - s^3)/2`.
CUBIC_COEFFS = (1.5, -0.5, 0.0)


def _tall(A: Any, where: str) -> jax.Array:
    A = as_matrix(A, "A", where)
    m, n = A.shape
    if m < n:
        raise fail(where, "A", "a tall matrix of shape (m, n) with m >= n",
                   f"shape {(m, n)}", "Pass A.T, or use polar_* for wide matrices.")
    return A
