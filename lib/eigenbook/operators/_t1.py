"""Transform Once (T1): one DCT in, layers on the kept modes, one inverse DCT out."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from .. import _checks, nn
from ..display import implemented_by
from ._common import fields

__all__ = ["init_t1", "t1", "t1_layer_moments", "dct_truncate"]

_INITS = ("variance_preserving", "spatial")


def init_t1(in_channels: int, out_channels: int, *, width: int, n_modes: int, n_layers: int,
            key: jax.Array, init: str = "variance_preserving") -> list:
    """Parameters of a Transform-Once frequency-domain model :cite:p:`poli2022transform`.

    The model (:func:`t1`) transforms the input once (orthonormal DCT-II along the grid),
    keeps the ``n_modes`` lowest modes, and applies ``n_layers`` dense layers to the whole
    kept spectrum (``n_modes * channels`` numbers: the layers mix modes and channels), ReLU
    between them, then pads with zeros and inverts the DCT once. The layers form an
    :func:`eigenbook.nn.init_mlp` network with sizes ``(k c_in, k w, ..., k w, k c_out)``.

    Initialisation (``init``):

    ``"variance_preserving"``
        Zero-mean Gaussian weights with variance :math:`g/\\text{fan-in}`, fan-in the
        *whole* kept spectrum :math:`k\\,c`, gain :math:`g = 1` on the first layer (its input
        is not rectified) and :math:`g = 2` after a ReLU. Each layer then preserves the
        second moment of its pre-activations in expectation, and with an orthonormal
        transform the spatial out/in variance ratio is the share of the input energy in the
        kept modes (close to 1 for smooth inputs), whatever the depth.
    ``"spatial"``
        The same Gaussian with the fan-in of a pointwise-in-space layer (the channels only,
        :math:`2/c`): the rule for spatial layers, which ignores that a frequency-domain layer
        sums over all :math:`k` modes. Every layer multiplies the second moment by about
        :math:`k` (the negative control of the chapter).

    Parameters
    ----------
    in_channels, out_channels : int
    width : int
        Channels per mode in the hidden layers.
    n_modes : int
        Kept DCT modes :math:`k`.
    n_layers : int
        Number of dense layers, ``>= 1``.
    key : PRNG key
    init : {"variance_preserving", "spatial"}

    Returns
    -------
    list of (W, b)
        ``W`` of shape (k c_l, k c_{l+1}), ``b`` zeros.

    Raises
    ------
    TypeError, ValueError
        Sizes not positive ints; unknown ``init``; bad key.

    References
    ----------
    :cite:p:`poli2022transform`

    See Also
    --------
    init_fno : the model with a forward and inverse FFT in every layer.
    """
    where = "operators.init_t1"
    ci = _checks.check_int(in_channels, "in_channels", where, min_val=1)
    co = _checks.check_int(out_channels, "out_channels", where, min_val=1)
    w = _checks.check_int(width, "width", where, min_val=1)
    k = _checks.check_int(n_modes, "n_modes", where, min_val=1)
    L = _checks.check_int(n_layers, "n_layers", where, min_val=1)
    key = _checks.check_key(key, "key", where)
    init = _checks.check_choice(init, "init", where, _INITS)
    chans = (ci,) + (w,) * (L - 1) + (co,)
    params = nn.init_mlp(tuple(k * c for c in chans), key=key)   # He: variance 2 / (k c)
    out = []
    for i, (W, b) in enumerate(params):
        if init == "variance_preserving":
            W = W * (jnp.sqrt(0.5) if i == 0 else 1.0)
        else:  # fan-in of the channels only: variance 2 / c instead of 2 / (k c)
            W = W * jnp.sqrt(float(k))
        out.append((W, b))
    return out


@jax.jit
def _t1_impl(params, x):
    b, n, ci = x.shape
    k = params[0][0].shape[0] // ci
    z = jax.scipy.fft.dct(x, type=2, axis=1, norm="ortho")[:, :k, :]
    h = nn.mlp(params, z.reshape(b, k * ci), activation=jax.nn.relu)
    co = h.shape[-1] // k
    zh = jnp.zeros((b, n, co), h.dtype).at[:, :k, :].set(h.reshape(b, k, co))
    return jax.scipy.fft.idct(zh, type=2, axis=1, norm="ortho")


def _t1_params(params: Any, where: str) -> list:
    if (not isinstance(params, (list, tuple)) or not params
            or not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in params)):
        raise _checks.fail(where, "params", "the parameters of init_t1 (a list of (W, b))",
                           type(params).__name__, exc=TypeError)
    return list(params)


@implemented_by(_t1_impl)
def t1(params: list, x: Any, *, in_channels: int) -> jax.Array:
    """Apply a Transform-Once model (parameters from :func:`init_t1`).

    Two transforms in all (one DCT-II, one inverse), against :math:`2L` FFTs for an
    :math:`L`-layer FNO. Cost per sample :math:`O(n c\\log n + L (k w)^2)`: the layers do not
    depend on the grid size.

    Parameters
    ----------
    params : list of (W, b)
        From :func:`init_t1`.
    x : array_like of shape (batch, n, in_channels)
        ``n >= n_modes``.
    in_channels : int
        The model's input channels (fixes the number of kept modes
        ``k = params[0][0].shape[0] // in_channels``).

    Returns
    -------
    jax.Array of shape (batch, n, out_channels)

    Raises
    ------
    TypeError, ValueError
        Bad ``params``; bad ``x``; ``n < n_modes``.

    References
    ----------
    :cite:p:`poli2022transform`

    See Also
    --------
    scipy.fft.dct : the transform (``norm="ortho"``).
    """
    where = "operators.t1"
    params = _t1_params(params, where)
    ci = _checks.check_int(in_channels, "in_channels", where, min_val=1)
    x = fields(x, where, ci)
    fan_in = jnp.shape(params[0][0])[0]
    if fan_in % ci:
        raise _checks.fail(where, "in_channels", f"a divisor of the first layer's fan-in "
                           f"{fan_in}", f"in_channels={ci}")
    k = fan_in // ci
    if x.shape[1] < k:
        raise _checks.fail(where, "x", f"n >= n_modes = {k} grid points",
                           f"shape {tuple(x.shape)}")
    return _t1_impl(params, x)


@jax.jit
def _moments_impl(params, x):
    b, n, ci = x.shape
    k = params[0][0].shape[0] // ci
    z = jax.scipy.fft.dct(x, type=2, axis=1, norm="ortho")[:, :k, :].reshape(b, k * ci)
    ms_in = jnp.mean(x * x)
    out = []
    for i, (W, bias) in enumerate(params):
        z = z @ W + bias
        out.append(jnp.sum(jnp.mean(z * z, axis=0)) / (n * (z.shape[1] // k)) / ms_in)
        if i < len(params) - 1:
            z = jax.nn.relu(z)
    return jnp.stack(out)


def t1_layer_moments(params: list, x: Any, *, in_channels: int) -> jax.Array:
    """Spatial out/in second-moment ratio after each layer of a T1 model (pre-activation).

    Layer ``l``'s pre-activation, zero-padded and inverted by the orthonormal DCT, is a field
    on the grid; its mean square over the batch, the grid and the channels, divided by that of
    ``x``, is entry ``l`` (the last entry is the model's output, :func:`t1`). By Parseval the
    field is never formed: the mean square is the sum of squared coefficients over ``n`` times
    the channels. The quantity the initialisation of :func:`init_t1` is meant to keep near 1.

    Parameters
    ----------
    params : list of (W, b)
        From :func:`init_t1`.
    x : array_like of shape (batch, n, in_channels)
    in_channels : int

    Returns
    -------
    jax.Array of shape (n_layers,)

    Raises
    ------
    TypeError, ValueError
        As :func:`t1`.

    References
    ----------
    :cite:p:`poli2022transform`

    See Also
    --------
    t1 : the forward pass.
    """
    where = "operators.t1_layer_moments"
    params = _t1_params(params, where)
    ci = _checks.check_int(in_channels, "in_channels", where, min_val=1)
    x = fields(x, where, ci)
    fan_in = jnp.shape(params[0][0])[0]
    if fan_in % ci or x.shape[1] < fan_in // ci:
        raise _checks.fail(where, "x", f"n >= n_modes and in_channels dividing {fan_in}",
                           f"shape {tuple(x.shape)}")
    return _moments_impl(params, x)


def dct_truncate(x: Any, n_modes: int, *, basis: str = "dct") -> jax.Array:
    """Keep the ``n_modes`` lowest modes of each row and transform back (a reduced-order model).

    ``basis="dct"``: orthonormal DCT-II, the first ``n_modes`` coefficients (the even
    extension: no jump at the ends of a non-periodic signal). ``basis="fft"``: the real FFT
    with the same number of real parameters, modes ``0 .. ceil(n_modes/2) - 1`` (the periodic
    extension: a jump when the ends differ). The frequency selection of reduced-order
    frequency-domain models :cite:p:`poli2022transform`.

    Parameters
    ----------
    x : array_like of shape (batch, n)
    n_modes : int
        Real coefficients kept, ``1 <= n_modes <= n``.
    basis : {"dct", "fft"}

    Returns
    -------
    jax.Array of shape (batch, n)

    Raises
    ------
    TypeError, ValueError
        Bad ``x``; ``n_modes`` out of range; unknown ``basis``.

    References
    ----------
    :cite:p:`poli2022transform`

    See Also
    --------
    scipy.fft.dct : the reference transform.
    """
    where = "operators.dct_truncate"
    x = _checks.as_array(x, "x", where, ndim=2, rule="an array of shape (batch, n)")
    k = _checks.check_rank(n_modes, "n_modes", where, upper=x.shape[1])
    basis = _checks.check_choice(basis, "basis", where, ("dct", "fft"))
    return _truncate_impl(x, k, basis)


def _truncate_impl(x, k, basis):
    n = x.shape[1]
    if basis == "dct":
        c = jax.scipy.fft.dct(x, type=2, axis=1, norm="ortho")
        c = jnp.where(jnp.arange(n) < k, c, 0.0)
        return jax.scipy.fft.idct(c, type=2, axis=1, norm="ortho")
    c = jnp.fft.rfft(x, axis=1)
    c = jnp.where(jnp.arange(n // 2 + 1) < (k + 1) // 2, c, 0.0)
    return jnp.fft.irfft(c, n, axis=1)
