"""Discretisation: zero-order hold and bilinear, dense and diagonal."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from .. import _checks
from ._common import DiagDiscretized, Discretized, _expm, _state_matrix


def discretize(A: Any, B: Any, dt: float, *, method: str = "zoh") -> Discretized:
    """Discretise a dense SSM with step ``dt``.

    Zero-order hold (the input is constant on each step):
    :math:`\\bar A = e^{\\Delta A}`, :math:`\\bar B = \\int_0^\\Delta e^{sA} B\\,ds`, computed
    together as one exponential of the block matrix :math:`[[A, B], [0, 0]]` (no
    inverse of :math:`A` needed). Bilinear (Tustin):
    :math:`\\bar A = (I - \\tfrac{\\Delta}{2}A)^{-1}(I + \\tfrac{\\Delta}{2}A)`,
    :math:`\\bar B = (I - \\tfrac{\\Delta}{2}A)^{-1}\\Delta B`.

    Parameters
    ----------
    A : array of shape (N, N)
    B : array of shape (N,)
    dt : float
        Step :math:`\\Delta > 0`.
    method : {"zoh", "bilinear"}

    Returns
    -------
    Discretized
        ``(Abar, Bbar)``, arrays of shapes (N, N) and (N,).

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree, ``dt <= 0``, or an unknown ``method``.

    References
    ----------
    :cite:p:`gu2022efficiently`

    See Also
    --------
    scipy.signal.cont2discrete : the same maps (``"zoh"``, ``"bilinear"``).
    discretize_diag : the elementwise version for diagonal ``A``.
    """
    where = "ssm.discretize"
    A = _state_matrix(A, where)
    N = A.shape[0]
    B = _checks.as_vector(B, "B", where, size=N, allow_complex=True, allow_empty=False)
    dt = _checks.check_scalar(dt, "dt", where, min_val=0.0, strict_min=True)
    method = _checks.check_choice(method, "method", where, ("zoh", "bilinear"))
    dtype = jnp.result_type(A, B)
    A, B = A.astype(dtype), B.astype(dtype)
    if method == "zoh":
        M = np.zeros((N + 1, N + 1), dtype)
        M[:N, :N], M[:N, N] = dt * np.asarray(A), dt * np.asarray(B)
        E = _expm(M)
        return Discretized(jnp.asarray(E[:N, :N]), jnp.asarray(E[:N, N]))
    eye = jnp.eye(N, dtype=dtype)
    left = eye - dt / 2 * A
    Abar = jnp.linalg.solve(left, eye + dt / 2 * A)
    Bbar = jnp.linalg.solve(left, dt * B)
    return Discretized(Abar, Bbar)


def discretize_diag(Lambda: Any, B: Any, dt: Any, *, method: str = "zoh"
                    ) -> DiagDiscretized:
    """Discretise a diagonal SSM elementwise (the S4D form).

    Zero-order hold: :math:`\\bar\\lambda = e^{\\Delta\\lambda}`,
    :math:`\\bar B = (e^{\\Delta\\lambda} - 1)/\\lambda \\cdot B`; bilinear:
    :math:`\\bar\\lambda = (1 + \\Delta\\lambda/2)/(1 - \\Delta\\lambda/2)`,
    :math:`\\bar B = \\Delta B/(1 - \\Delta\\lambda/2)`.

    Parameters
    ----------
    Lambda : complex array of shape (N,)
        Diagonal of :math:`A`, nonzero for ``"zoh"``.
    B : array of shape (N,)
    dt : float
        Step :math:`\\Delta > 0`.
    method : {"zoh", "bilinear"}

    Returns
    -------
    DiagDiscretized
        ``(Lambda_bar, Bbar)``, complex arrays of shape (N,).

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree, ``dt <= 0``, a zero eigenvalue with ``"zoh"``, or an unknown
        ``method``.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    scipy.signal.cont2discrete : the dense reference.
    discretize : the dense version.
    """
    where = "ssm.discretize_diag"
    Lambda = _checks.as_vector(Lambda, "Lambda", where, allow_complex=True, allow_empty=False)
    B = _checks.as_vector(B, "B", where, size=Lambda.shape[0],
                          allow_complex=True, allow_empty=False)
    dt = _checks.check_scalar(dt, "dt", where, min_val=0.0, strict_min=True)
    method = _checks.check_choice(method, "method", where, ("zoh", "bilinear"))
    if method == "zoh" and bool(jnp.any(Lambda == 0)):
        raise _checks.fail(where, "Lambda", "nonzero eigenvalues for method='zoh'",
                           "a zero entry", "Use method='bilinear' or shift the spectrum.")
    return DiagDiscretized(*_discretize_diag(Lambda.astype(complex), B.astype(complex), dt,
                                             method))


def _discretize_diag(Lambda, B, dt, method):
    if method == "zoh":
        Lbar = jnp.exp(dt * Lambda)
        return Lbar, (Lbar - 1) / Lambda * B
    denom = 1 - dt / 2 * Lambda
    return (1 + dt / 2 * Lambda) / denom, dt * B / denom
