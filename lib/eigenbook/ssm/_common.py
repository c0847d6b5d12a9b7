"""Shared pieces of the state-space family: the state-matrix check, a small matrix exponential."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import numpy as np

from .. import _checks

# -- result types ------------------------------------------------------------------------------

class StateSpace(NamedTuple):
    """A continuous single-input state-space pair :math:`x' = A x + B u`.

    Attributes
    ----------
    A : array of shape (N, N)
        State matrix.
    B : array of shape (N,)
        Input vector.
    """

    A: jax.Array
    B: jax.Array


class Discretized(NamedTuple):
    """A dense discrete-time SSM :math:`x_k = \\bar A x_{k-1} + \\bar B u_k`.

    Attributes
    ----------
    Abar : array of shape (N, N)
    Bbar : array of shape (N,)
    """

    Abar: jax.Array
    Bbar: jax.Array


class DiagDiscretized(NamedTuple):
    """A diagonal discrete-time SSM :math:`x_k = \\bar\\Lambda x_{k-1} + \\bar B u_k`.

    Attributes
    ----------
    Lambda_bar : complex array of shape (N,)
        The diagonal of :math:`\\bar A`.
    Bbar : complex array of shape (N,)
    """

    Lambda_bar: jax.Array
    Bbar: jax.Array


class DiagonalInit(NamedTuple):
    """A diagonal (S4D) initialisation with the eigenvectors it came from.

    Attributes
    ----------
    Lambda : complex array of shape (N // 2,)
        Eigenvalues with positive imaginary part, ascending.
    B : complex array of shape (N // 2,)
        Input vector in the eigenbasis.
    V : complex array of shape (N, N // 2)
        The matching eigenvectors: the state of the original basis is
        :math:`2\\,\\mathrm{Re}(V \\tilde x)`.
    """

    Lambda: jax.Array
    B: jax.Array
    V: jax.Array


class RealSystem(NamedTuple):
    """A real single-input single-output discrete system ``(A, B, C)``, as ``scipy.signal.dlti``.

    Attributes
    ----------
    A : ndarray of shape (2M, 2M)
    B : ndarray of shape (2M, 1)
    C : ndarray of shape (1, 2M)
    """

    A: np.ndarray
    B: np.ndarray
    C: np.ndarray


# -- validation (complex vectors: _checks.as_vector(..., allow_complex=True)) ----------------

def _state_matrix(A: Any, where: str, name: str = "A") -> jax.Array:
    return _checks.as_matrix(A, name, where, square=True, allow_complex=True)


# -- matrix exponential (small dense matrices, no compilation per shape) ----------------------

_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)


def _expm(M: np.ndarray) -> np.ndarray:
    """Matrix exponential by scaling and squaring with the degree-13 Pade approximant.

    Higham's (2005) algorithm without the lower-degree shortcuts: scale so that the 1-norm is
    at most 5.37, evaluate the [13/13] Pade approximant, square back. For the small dense
    matrices of this module NumPy/LAPACK is faster than compiling JAX's ``expm`` per shape.
    """
    M = np.asarray(M)
    b = _PADE13
    norm1 = np.abs(M).sum(axis=0).max()
    s = max(0, int(np.ceil(np.log2(norm1 / 5.371920351148152)))) if norm1 > 0 else 0
    X = M / 2.0**s
    eye = np.eye(X.shape[0], dtype=X.dtype)
    X2 = X @ X
    X4 = X2 @ X2
    X6 = X4 @ X2
    U = X @ (X6 @ (b[13] * X6 + b[11] * X4 + b[9] * X2) + b[7] * X6 + b[5] * X4
             + b[3] * X2 + b[1] * eye)
    V = X6 @ (b[12] * X6 + b[10] * X4 + b[8] * X2) + b[6] * X6 + b[4] * X4 + b[2] * X2 \
        + b[0] * eye
    R = np.linalg.solve(V - U, V + U)
    for _ in range(s):
        R = R @ R
    return R
