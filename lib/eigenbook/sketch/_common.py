"""Shared pieces of the randomized family: result types and input checks."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import numpy as np

from .. import _checks

_KINDS = ("gaussian", "srht", "countsketch")


class SampleResult(NamedTuple):
    """Rows drawn i.i.d. with replacement and their rescaling.

    Attributes
    ----------
    indices : array of shape (m,)
        Sampled row indices.
    weights : array of shape (m,)
        Row scaling: the sampled matrix is ``weights[:, None] * A[indices]``.
    probabilities : array of shape (n,)
        The sampling distribution.
    """

    indices: jax.Array
    weights: jax.Array
    probabilities: jax.Array


class CURResult(NamedTuple):
    """A CUR approximation ``A ≈ C @ U @ R``.

    Attributes
    ----------
    C : array of shape (m, c)
        The selected columns ``A[:, cols]``.
    U : array of shape (c, r)
        ``pinv(A[rows][:, cols])``.
    R : array of shape (r, n)
        The selected rows ``A[rows, :]``.
    rows, cols : arrays of ints
        The selected indices.
    """

    C: jax.Array
    U: jax.Array
    R: jax.Array
    rows: jax.Array
    cols: jax.Array


class LstsqResult(NamedTuple):
    """Result of an iterative least-squares solve.

    Attributes
    ----------
    x : array of shape (d,)
        The solution.
    n_iter : int
        Iterations of the inner solver (LSQR).
    residual_norm : float
        :math:`\\lVert A x - b \\rVert_2`.
    converged : bool
        LSQR stopped on its tolerance (not on ``max_steps`` or the condition limit).
    optimality : float
        LSQR's stopping measure at exit: :math:`\\lVert \\tilde A^T r \\rVert /
        (\\lVert \\tilde A \\rVert \\lVert r \\rVert)` for the preconditioned
        :math:`\\tilde A = A R^{-1}` (0 for a consistent system solved exactly).
    """

    x: np.ndarray
    n_iter: int
    residual_norm: float
    converged: bool
    optimality: float


class WeightedLstsqResult(NamedTuple):
    """Result of :func:`weighted_least_squares`.

    Attributes
    ----------
    c : ndarray of shape (m,)
        Coefficients in the basis of the features.
    lambda_min : float
        Smallest eigenvalue of the weighted Gram matrix
        :math:`G = \\sum_i w_i \\varphi(x_i)\\varphi(x_i)^\\top`.
    """

    c: np.ndarray
    lambda_min: float


def _tall(A: Any, where: str) -> jax.Array:
    return _checks.as_matrix(A, "A", where)


def _sketch_size(m: Any, where: str, n: int) -> int:
    return _checks.check_int(m, "m", where, min_val=1,
                             hint="The sketch size m must be a positive int.")
