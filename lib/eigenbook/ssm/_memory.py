"""The Legendre basis, memory length and impulse responses."""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _checks
from ._common import RealSystem, _expm, _state_matrix


def legendre(n_max: int, x: Any) -> jax.Array:
    """Legendre polynomials :math:`P_0, \\dots, P_{n_{\\max}-1}` at ``x`` (three-term recurrence).

    Parameters
    ----------
    n_max : int
        Number of polynomials, ``>= 1``.
    x : array of shape (m,)

    Returns
    -------
    P : array of shape (n_max, m)

    Raises
    ------
    TypeError
        Non-int ``n_max`` or non-numeric ``x``.
    ValueError
        ``n_max < 1`` or ``x`` not 1-D.

    See Also
    --------
    scipy.special.eval_legendre : the reference.
    """
    where = "ssm.legendre"
    n_max = _checks.check_int(n_max, "n_max", where, min_val=1)
    x = _checks.as_vector(x, "x", where)
    rows = [jnp.ones_like(x), x]
    for n in range(1, n_max - 1):
        rows.append(((2 * n + 1) * x * rows[n] - n * rows[n - 1]) / (n + 1))
    return jnp.stack(rows[:n_max])


def warped_legendre(N: int, t: Any) -> jax.Array:
    """The LegS basis in closed form: :math:`\\sqrt{2n+1}\\,P_n(2e^{-t} - 1)\\,e^{-t}`.

    How to Train Your HiPPO shows that :math:`e^{tA}B` for HiPPO-LegS equals these
    exponentially warped Legendre polynomials, so the LTI LegS state is a projection onto
    them.

    Parameters
    ----------
    N : int
        Number of basis functions.
    t : array of shape (m,)
        Times :math:`t \\ge 0`.

    Returns
    -------
    K : array of shape (N, m)
        Entry ``(n, j)`` is basis function ``n`` at ``t[j]``.

    Raises
    ------
    TypeError
        Non-int ``N`` or non-numeric ``t``.
    ValueError
        ``N < 1`` or negative times.

    References
    ----------
    :cite:p:`gu2023train`

    See Also
    --------
    scipy.special.eval_legendre
    """
    where = "ssm.warped_legendre"
    N = _checks.check_int(N, "N", where, min_val=1)
    t = _checks.as_vector(t, "t", where)
    if bool(jnp.any(t < 0)):
        raise _checks.fail(where, "t", "times t >= 0", f"min t = {float(t.min()):.3g}")
    w = jnp.exp(-t)
    n = jnp.arange(N, dtype=t.dtype)
    return jnp.sqrt(2 * n + 1)[:, None] * legendre(N, 2 * w - 1) * w[None, :]


def memory_length(K: Any, *, frac: float = 0.99) -> int:
    """Number of leading steps that hold a fraction ``frac`` of the kernel's energy.

    Parameters
    ----------
    K : array of shape (L,) or (L, N)
        A kernel; for a state impulse response (one row per step) the energy of step ``k``
        is :math:`\\lVert K_k\\rVert^2`.
    frac : float
        In ``(0, 1]``.

    Returns
    -------
    ell : int
        The smallest :math:`\\ell` with :math:`\\sum_{k<\\ell}\\lVert K_k\\rVert^2 \\ge`
        ``frac`` :math:`\\sum_k \\lVert K_k\\rVert^2`.

    Raises
    ------
    TypeError
        Non-numeric ``K``.
    ValueError
        ``frac`` outside :math:`(0, 1]`, ``K`` of the wrong rank, or all zero.

    References
    ----------
    :cite:p:`gu2023train`

    See Also
    --------
    numpy.cumsum
    """
    where = "ssm.memory_length"
    arr = np.asarray(_checks.as_array(K, "K", where, ndim=(1, 2), allow_complex=True,
                                      rule="an array of shape (L,) or (L, N)"))
    frac = _checks.check_scalar(frac, "frac", where, min_val=0.0, max_val=1.0, strict_min=True)
    e = np.abs(arr) ** 2
    if e.ndim == 2:
        e = e.sum(axis=1)
    c = np.cumsum(e)
    if c[-1] == 0:
        raise _checks.fail(where, "K", "a nonzero kernel", "all zeros")
    return int(np.searchsorted(c, frac * c[-1] * (1 - 1e-14)) + 1)


@functools.partial(jax.jit, static_argnames=("L",))
def _state_impulse_impl(Abar, Bbar, L):
    def step(x, _):
        return Abar @ x, x

    return lax.scan(step, Bbar, None, length=L)[1]


def state_impulse_response(Abar: Any, Bbar: Any, L: int) -> jax.Array:
    r"""The discrete state impulse response :math:`\bar A^k \bar B`, :math:`k < L`.

    Parameters
    ----------
    Abar : array of shape (N, N)
    Bbar : array of shape (N,)
    L : int
        Number of steps, ``>= 1``.

    Returns
    -------
    X : array of shape (L, N)
        Row ``k`` is :math:`\bar A^k \bar B`.

    Raises
    ------
    TypeError
        Non-numeric inputs or non-int ``L``.
    ValueError
        Shapes disagree or ``L < 1``.

    See Also
    --------
    scipy.signal.dimpulse : with :math:`C = I`.
    ssm_kernel_recurrence : the output :math:`C \bar A^k \bar B` instead of the state.
    """
    where = "ssm.state_impulse_response"
    Abar = _state_matrix(Abar, where, "Abar")
    Bbar = _checks.as_vector(Bbar, "Bbar", where, size=Abar.shape[0],
                             allow_complex=True, allow_empty=False)
    L = _checks.check_int(L, "L", where, min_val=1)
    dtype = jnp.result_type(Abar, Bbar)
    return _state_impulse_impl(Abar.astype(dtype), Bbar.astype(dtype), L)


def exponential_input_state(A: Any, B: Any, t: float, *, rate: float = 1.0) -> jax.Array:
    r"""Exact state :math:`x(t) = \int_0^t e^{(t-s)A} B\, e^{-\mathrm{rate}\cdot s}\,ds`.

    The response from rest to the input :math:`u(s) = e^{-\mathrm{rate}\cdot s}`,
    computed as one exponential of the augmented matrix
    :math:`[[A, B], [0, -\mathrm{rate}]]` (no time stepping, so no discretisation error).

    Parameters
    ----------
    A : array of shape (N, N)
    B : array of shape (N,)
    t : float
        Time, ``t >= 0``.
    rate : float
        Decay rate of the input.

    Returns
    -------
    x : array of shape (N,)

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree or ``t < 0``.

    See Also
    --------
    scipy.signal.lsim : the time-stepping reference.
    """
    where = "ssm.exponential_input_state"
    A = _state_matrix(A, where)
    N = A.shape[0]
    B = _checks.as_vector(B, "B", where, size=N, allow_complex=True, allow_empty=False)
    t = _checks.check_scalar(t, "t", where, min_val=0.0)
    rate = _checks.check_scalar(rate, "rate", where)
    M = np.zeros((N + 1, N + 1), jnp.result_type(A, B))
    M[:N, :N], M[:N, N], M[N, N] = np.asarray(A), np.asarray(B), -rate
    return jnp.asarray(_expm(t * M)[:N, N])


def continuous_impulse_response(A: Any, B: Any, t: Any) -> jax.Array:
    r"""The continuous state impulse response :math:`e^{tA}B` at the times ``t``.

    Parameters
    ----------
    A : array of shape (N, N)
    B : array of shape (N,)
    t : array of shape (m,)
        Times (any sign).

    Returns
    -------
    X : array of shape (N, m)
        Column ``j`` is :math:`e^{t_j A}B`.

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree.

    See Also
    --------
    scipy.linalg.expm : the same exponential (here: scaling and squaring, Pade 13).
    warped_legendre : the closed form for HiPPO-LegS.
    """
    where = "ssm.continuous_impulse_response"
    A = _state_matrix(A, where)
    B = _checks.as_vector(B, "B", where, size=A.shape[0], allow_complex=True, allow_empty=False)
    t = _checks.as_vector(t, "t", where, allow_empty=False)
    A_np, B_np = np.asarray(A), np.asarray(B)
    return jnp.asarray(np.stack([_expm(float(tj) * A_np) @ B_np for tj in np.asarray(t)], 1))


def diag_to_real(Lambda_bar: Any, Bbar: Any, C: Any) -> RealSystem:
    """The real system whose output is :math:`2\\,\\mathrm{Re}` of a conjugate-pair diagonal one.

    Each complex mode :math:`(\\bar\\lambda, \\bar b, c)` becomes the real 2×2 block
    :math:`[[\\mathrm{Re}\\,\\bar\\lambda, -\\mathrm{Im}\\,\\bar\\lambda],
    [\\mathrm{Im}\\,\\bar\\lambda, \\mathrm{Re}\\,\\bar\\lambda]]` acting on
    :math:`(\\mathrm{Re}\\,x, \\mathrm{Im}\\,x)`, with input
    :math:`(\\mathrm{Re}\\,\\bar b, \\mathrm{Im}\\,\\bar b)` and output
    :math:`(2\\,\\mathrm{Re}\\,c, -2\\,\\mathrm{Im}\\,c)`, so that a real-only library
    (``scipy.signal.dlti``) can simulate it.

    Parameters
    ----------
    Lambda_bar, Bbar, C : complex arrays of shape (M,)

    Returns
    -------
    RealSystem
        ``(A, B, C)``, ndarrays of shapes (2M, 2M), (2M, 1) and (1, 2M).

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree.

    See Also
    --------
    scipy.signal.dlti, scipy.signal.dimpulse
    """
    where = "ssm.diag_to_real"
    lam = np.asarray(_checks.as_vector(Lambda_bar, "Lambda_bar", where,
                                       allow_complex=True, allow_empty=False)).astype(complex)
    M = lam.shape[0]
    b = np.asarray(_checks.as_vector(Bbar, "Bbar", where, size=M,
                                     allow_complex=True, allow_empty=False)).astype(complex)
    c = np.asarray(_checks.as_vector(C, "C", where, size=M,
                                     allow_complex=True, allow_empty=False)).astype(complex)
    A = np.zeros((2 * M, 2 * M))
    idx = 2 * np.arange(M)
    A[idx, idx] = lam.real
    A[idx + 1, idx + 1] = lam.real
    A[idx, idx + 1] = -lam.imag
    A[idx + 1, idx] = lam.imag
    Bv = np.zeros((2 * M, 1))
    Bv[idx, 0], Bv[idx + 1, 0] = b.real, b.imag
    Cv = np.zeros((1, 2 * M))
    Cv[0, idx], Cv[0, idx + 1] = 2 * c.real, -2 * c.imag
    return RealSystem(A, Bv, Cv)
