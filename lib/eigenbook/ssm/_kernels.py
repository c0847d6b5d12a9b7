"""The SSM convolution kernel three ways: recurrence, Vandermonde product, FFT convolution."""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
from jax import lax

from .. import _checks
from ..display import implemented_by
from ._common import _state_matrix


@functools.partial(jax.jit, static_argnames=("L",))
def _recurrence_impl(Abar, Bbar, C, L):
    def step(x, _):
        return Abar @ x, C @ x

    _, K = lax.scan(step, Bbar, None, length=L)
    return K


def ssm_kernel_recurrence(Abar: Any, Bbar: Any, C: Any, L: int) -> jax.Array:
    """The kernel :math:`K_k = C \\bar A^k \\bar B`, :math:`k < L`, by running the recurrence.

    :math:`L` matrix-vector products: :math:`O(N^2 L)` for dense :math:`\\bar A`.

    Parameters
    ----------
    Abar : array of shape (N, N)
        Discrete state matrix.
    Bbar, C : arrays of shape (N,)
    L : int
        Kernel length, ``L >= 1``.

    Returns
    -------
    K : array of shape (L,)
        Complex when any input is complex.

    Raises
    ------
    TypeError
        Non-numeric inputs or non-int ``L``.
    ValueError
        Shapes disagree or ``L < 1``.

    References
    ----------
    :cite:p:`gu2022efficiently`

    See Also
    --------
    scipy.signal.dimpulse : the impulse response of the same discrete system.
    ssm_kernel_vandermonde : the :math:`O(NL)` diagonal version.
    """
    where = "ssm.ssm_kernel_recurrence"
    Abar = _state_matrix(Abar, where, "Abar")
    N = Abar.shape[0]
    Bbar = _checks.as_vector(Bbar, "Bbar", where, size=N, allow_complex=True, allow_empty=False)
    C = _checks.as_vector(C, "C", where, size=N, allow_complex=True, allow_empty=False)
    L = _checks.check_int(L, "L", where, min_val=1)
    dtype = jnp.result_type(Abar, Bbar, C)
    return _recurrence_impl(Abar.astype(dtype), Bbar.astype(dtype), C.astype(dtype), L)


@functools.partial(jax.jit, static_argnames=("L",))
def _vandermonde_impl(log_Lbar, CB, L):
    k = jnp.arange(L, dtype=log_Lbar.real.dtype)
    return CB @ jnp.exp(log_Lbar[:, None] * k[None, :])


@implemented_by(_vandermonde_impl)
def ssm_kernel_vandermonde(Lambda_bar: Any, Bbar: Any, C: Any, L: int, *,
                           conj_pairs: bool = False) -> jax.Array:
    """The diagonal SSM kernel as a Vandermonde product, :math:`O(NL)`.

    :math:`K_k = \\sum_n C_n \\bar B_n \\bar\\lambda_n^k`, evaluated as
    :math:`(C \\circ \\bar B)^\\top \\mathcal V` with the Vandermonde matrix
    :math:`\\mathcal V_{nk} = \\exp(k \\log \\bar\\lambda_n)` (one exponential per entry, no
    repeated products, so the round-off does not grow with :math:`k` beyond that of
    :math:`k \\log\\bar\\lambda_n`).

    Parameters
    ----------
    Lambda_bar : complex array of shape (N,)
        Discrete eigenvalues (nonzero).
    Bbar, C : arrays of shape (N,)
    L : int
        Kernel length, ``L >= 1``.
    conj_pairs : bool
        The modes stand for conjugate pairs (S4D): return :math:`2\\,\\mathrm{Re}\\,K`.

    Returns
    -------
    K : array of shape (L,)
        Complex, or real when ``conj_pairs``.

    Raises
    ------
    TypeError
        Non-numeric inputs or non-int ``L``.
    ValueError
        Shapes disagree, a zero eigenvalue, or ``L < 1``.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    scipy.signal.dimpulse : the reference impulse response (of the equivalent real system,
        :func:`diag_to_real`).
    ssm_kernel_recurrence : the same kernel by the recurrence.
    """
    where = "ssm.ssm_kernel_vandermonde"
    Lambda_bar = _checks.as_vector(Lambda_bar, "Lambda_bar", where,
                                   allow_complex=True, allow_empty=False)
    N = Lambda_bar.shape[0]
    Bbar = _checks.as_vector(Bbar, "Bbar", where, size=N, allow_complex=True, allow_empty=False)
    C = _checks.as_vector(C, "C", where, size=N, allow_complex=True, allow_empty=False)
    L = _checks.check_int(L, "L", where, min_val=1)
    if bool(jnp.any(Lambda_bar == 0)):
        raise _checks.fail(where, "Lambda_bar", "nonzero eigenvalues", "a zero entry")
    K = _vandermonde_impl(jnp.log(Lambda_bar.astype(complex)),
                          (C * Bbar).astype(complex), L)
    return 2 * K.real if conj_pairs else K


@jax.jit
def _fft_convolve_impl(u, K):
    L = u.shape[-1]
    n = 2 * L
    if jnp.iscomplexobj(u) or jnp.iscomplexobj(K):
        y = jnp.fft.ifft(jnp.fft.fft(u, n) * jnp.fft.fft(K, n), n)
    else:
        y = jnp.fft.irfft(jnp.fft.rfft(u, n) * jnp.fft.rfft(K, n), n)
    return y[..., :L]


@implemented_by(_fft_convolve_impl)
def fft_convolve(u: Any, K: Any) -> jax.Array:
    """Causal convolution :math:`y_k = \\sum_{j \\le k} K_j u_{k-j}` via the FFT.

    Both signals are zero-padded to length :math:`2L` so that the circular convolution of
    the FFT equals the linear one on the first :math:`L` entries: :math:`O(L \\log L)`.

    Parameters
    ----------
    u : array of shape (..., L)
        Input(s); leading axes are batch axes.
    K : array of shape (L,)
        Kernel.

    Returns
    -------
    y : array of shape (..., L)

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        ``K`` is not 1-D or its length differs from the last axis of ``u``.

    References
    ----------
    :cite:p:`gu2022efficiently`

    See Also
    --------
    scipy.signal.fftconvolve : the SciPy equivalent (full convolution, then truncate).
    """
    where = "ssm.fft_convolve"
    K = _checks.as_vector(K, "K", where, allow_complex=True, allow_empty=False)
    arr = _checks.as_array(u, "u", where, rule="an array of shape (..., L)",
                           allow_complex=True)
    if arr.ndim < 1 or arr.shape[-1] != K.shape[0]:
        raise _checks.fail(where, "u", f"shape (..., {K.shape[0]}) matching K",
                           f"shape {tuple(arr.shape)}")
    return _fft_convolve_impl(arr, K)
