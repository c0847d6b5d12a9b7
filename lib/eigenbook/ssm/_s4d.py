"""A tiny S4D layer: initialisation and application."""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from ._discretize import _discretize_diag
from ._inits import _half, s4d_inv_init, s4d_lin_init
from ._kernels import _fft_convolve_impl


class S4DParams(NamedTuple):
    """Trainable parameters of :func:`s4d_apply` for ``H`` channels and ``N/2`` modes.

    Attributes
    ----------
    log_dt : array of shape (H,)
    log_neg_re : array of shape (H, N // 2)
        :math:`\\log(-\\mathrm{Re}\\,\\lambda)` (keeps the real part negative).
    im : array of shape (H, N // 2)
    C_re, C_im : arrays of shape (H, N // 2)
    D : array of shape (H,)
        Skip connection.
    W : array of shape (H,)
        Read-out weights mixing the channels into one output.
    """

    log_dt: jax.Array
    log_neg_re: jax.Array
    im: jax.Array
    C_re: jax.Array
    C_im: jax.Array
    D: jax.Array
    W: jax.Array


def s4d_init(N: int, H: int, *, key: jax.Array, dt_min: float = 1e-3,
             dt_max: float = 1e-1, init: str = "inv") -> S4DParams:
    """Initialise an S4D layer: ``H`` channels of a diagonal SSM with ``N/2`` modes each.

    Eigenvalues from :func:`s4d_inv_init` or :func:`s4d_lin_init`, :math:`B = 1`,
    :math:`\\Delta` log-uniform in ``[dt_min, dt_max]`` (stratified: one draw in each of ``H``
    equal slices of the log-range, so the channels cover every timescale), :math:`C` standard
    complex normal.

    Parameters
    ----------
    N : int
        Real state size per channel (even).
    H : int
        Number of channels, ``>= 1``.
    key : jax.Array
    dt_min, dt_max : float
        Range of the timescale :math:`\\Delta`, ``0 < dt_min <= dt_max``.
    init : {"inv", "lin"}

    Returns
    -------
    S4DParams

    Raises
    ------
    TypeError
        Bad ``N``, ``H`` or ``key``.
    ValueError
        Bad ranges or ``init``.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    s4d_apply
    """
    where = "ssm.s4d_init"
    _half(N, where)  # N even, >= 2: checked here so that errors name s4d_init
    H = _checks.check_int(H, "H", where, min_val=1)
    key = _checks.check_key(key, "key", where)
    dt_min = _checks.check_scalar(dt_min, "dt_min", where, min_val=0.0, strict_min=True)
    dt_max = _checks.check_scalar(dt_max, "dt_max", where, min_val=dt_min)
    init = _checks.check_choice(init, "init", where, ("inv", "lin"))
    lam = s4d_inv_init(N) if init == "inv" else s4d_lin_init(N)
    h = lam.shape[0]
    k1, k2, k3, k4 = jax.random.split(key, 4)
    # stratified log-uniform: channel h draws from the h-th of H equal slices of
    # [log dt_min, log dt_max], so that every horizon is covered whatever the key
    frac = (jnp.arange(H) + jax.random.uniform(k1, (H,))) / H
    log_dt = np.log(dt_min) + frac * (np.log(dt_max) - np.log(dt_min))
    C = jax.random.normal(k2, (H, h, 2)) * np.sqrt(0.5)
    return S4DParams(log_dt=log_dt,
                     log_neg_re=jnp.log(-lam.real)[None, :].repeat(H, 0),
                     im=lam.imag[None, :].repeat(H, 0),
                     C_re=C[..., 0], C_im=C[..., 1],
                     D=jax.random.normal(k3, (H,)) * 0.1,
                     W=jax.random.normal(k4, (H,)) / np.sqrt(H))


def _s4d_kernels(params: S4DParams, L: int) -> jax.Array:
    lam = -jnp.exp(params.log_neg_re) + 1j * params.im          # (H, h)
    dt = jnp.exp(params.log_dt)[:, None]
    Lbar, Bbar = _discretize_diag(lam, jnp.ones_like(lam), dt, "zoh")
    CB = (params.C_re + 1j * params.C_im) * Bbar
    k = jnp.arange(L)
    V = jnp.exp((dt * lam)[..., None] * k)                      # (H, h, L)
    return 2 * jnp.einsum("hn,hnl->hl", CB, V).real


@functools.partial(jax.jit, static_argnames=())
def _s4d_apply_impl(params, u):
    L = u.shape[-1]
    K = _s4d_kernels(params, L)                                 # (H, L)
    y = _fft_convolve_impl(u[..., None, :], K) + params.D[:, None] * u[..., None, :]
    return jnp.einsum("h,...hl->...l", params.W, y)


def s4d_apply(params: S4DParams, u: Any) -> jax.Array:
    """Apply the S4D layer: per channel, the FFT convolution with the ZOH Vandermonde kernel
    plus a skip term, then a linear read-out across channels.

    Parameters
    ----------
    params : S4DParams
    u : array of shape (batch, L)

    Returns
    -------
    y : array of shape (batch, L)

    Raises
    ------
    TypeError
        ``params`` is not :class:`S4DParams`.
    ValueError
        ``u`` is not 2-D.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    s4d_init, ssm_kernel_vandermonde, fft_convolve
    """
    where = "ssm.s4d_apply"
    if not isinstance(params, S4DParams):
        raise _checks.fail(where, "params", "S4DParams (from ssm.s4d_init)",
                           type(params).__name__, exc=TypeError)
    rule = "an array of shape (batch, L)"
    if not isinstance(u, jax.core.Tracer):  # under jit/grad: the shape only
        u = _checks.as_array(u, "u", where, ndim=2, rule=rule)
    if u.ndim != 2:
        raise _checks.fail(where, "u", rule, f"shape {tuple(u.shape)}")
    return _s4d_apply_impl(params, u)
