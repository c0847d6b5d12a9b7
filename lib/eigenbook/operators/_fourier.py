"""Spectral convolution, the Fourier neural operator and its Tucker-factorised variant (1-D).

Conventions: fields are ``(batch, n, channels)`` on the grid :math:`x_j = j/n` of [0, 1);
Fourier coefficients use ``norm="forward"`` (:math:`\\hat u_m = \\frac1n\\sum_j u_j
e^{-2\\pi i m j/n}`), so that they approximate the coefficients of the underlying function
and do not depend on ``n``: a layer trained on one grid applies to another.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks, nn
from ..display import implemented_by
from ._common import fields, params_dict

__all__ = ["spectral_conv1d", "spectral_conv_matrix", "init_fno", "fno", "init_tfno", "tfno"]

_FNO_KEYS = ("lift", "spectral_re", "spectral_im", "skip_w", "skip_b", "proj")
_TFNO_KEYS = ("lift", "core_re", "core_im", "factors", "skip_w", "skip_b", "proj")


def _weights(weights: Any, where: str, name: str = "weights") -> jax.Array:
    rule = "a complex array of shape (n_modes, c_in, c_out)"
    if isinstance(weights, jax.core.Tracer):
        if weights.ndim != 3:
            raise _checks.fail(where, name, rule, f"shape {tuple(weights.shape)}")
        return weights
    return _checks.as_array(weights, name, where, ndim=3, rule=rule, allow_complex=True)


def _check_modes(k: int, n: int, where: str, name: str = "weights") -> None:
    if k > n // 2 + 1:
        raise _checks.fail(where, name, f"n_modes <= n // 2 + 1 = {n // 2 + 1} (the rfft "
                           f"modes of an n = {n} grid)", f"n_modes={k}",
                           "Use a finer grid or fewer modes.")


@jax.jit
def _spectral_conv_impl(x, W):
    n = x.shape[-2]
    k = W.shape[0]
    xh = jnp.fft.rfft(x, axis=-2, norm="forward")[..., :k, :]
    yh = jnp.einsum("bmi,mio->bmo", xh, W)
    return jnp.fft.irfft(yh, n, axis=-2, norm="forward")


@implemented_by(_spectral_conv_impl)
def spectral_conv1d(x: Any, weights: Any) -> jax.Array:
    """Fourier layer kernel: multiply the lowest ``n_modes`` Fourier modes by channel matrices.

    :math:`(\\mathcal K u)(x) = \\mathcal F^{-1}\\bigl[R_m\\,\\hat u_m\\bigr]` for
    :math:`0 \\le m < k`, zero above: a convolution with a kernel whose Fourier transform is
    truncated to :math:`k` modes, the integral operator of the Fourier neural operator
    :cite:p:`li2021fourier`. The coefficients use ``norm="forward"``, so the same
    ``weights`` define the same operator on every grid with ``n >= 2k`` points
    (resolution invariance). The output is real: ``irfft`` takes the real part of the mean
    (and Nyquist) mode. Cost :math:`O(n c \\log n + k c_{\\rm in} c_{\\rm out})` per sample,
    against :math:`O(n^2 c_{\\rm in} c_{\\rm out})` for the dense matrix of the same operator
    (:func:`spectral_conv_matrix`).

    Parameters
    ----------
    x : array_like of shape (batch, n, c_in)
        Real fields on the grid :math:`x_j = j/n`.
    weights : array_like of shape (n_modes, c_in, c_out), complex
        :math:`R_m`; ``n_modes <= n // 2 + 1``.

    Returns
    -------
    jax.Array of shape (batch, n, c_out)

    Raises
    ------
    TypeError, ValueError
        Wrong shapes or dtypes, NaN/inf, channel mismatch, too many modes for the grid.

    References
    ----------
    :cite:p:`li2021fourier`

    See Also
    --------
    numpy.fft.rfft : the transform.
    spectral_conv_matrix : the same operator as a dense matrix.

    Notes
    -----
    Chapter :ref:`neural-operators`.
    """
    where = "operators.spectral_conv1d"
    W = _weights(weights, where)
    x = fields(x, where, W.shape[1])
    _check_modes(W.shape[0], x.shape[1], where, "x")
    return _spectral_conv_impl(x, W.astype(jnp.result_type(x.dtype, jnp.complex64)))


def spectral_conv_matrix(weights: Any, n: int) -> np.ndarray:
    """The dense matrix of :func:`spectral_conv1d` on an ``n``-point grid, in closed form.

    With :math:`a_0 = 1`, :math:`a_m = 2` for :math:`0 < m < n/2` and :math:`a_{n/2} = 1`
    (the real output doubles the modes whose conjugates are not stored),

    .. math::

        M[(l, i), (j, o)] = \\frac1n \\sum_{m<k} a_m \\bigl(\\cos\\theta\\,\\mathrm{Re}\\,R_m[i, o]
        - \\sin\\theta\\,\\mathrm{Im}\\,R_m[i, o]\\bigr), \\qquad \\theta = 2\\pi m (j - l)/n,

    a block-circulant matrix such that ``y.reshape(b, -1) = x.reshape(b, -1) @ M``. Built with
    NumPy, no FFT: the independent reference of the layer. Memory :math:`n^2 c_{\\rm in}
    c_{\\rm out}`.

    Parameters
    ----------
    weights : array_like of shape (n_modes, c_in, c_out), complex
    n : int
        Grid size, ``n >= 2 (n_modes - 1)``.

    Returns
    -------
    ndarray of shape (n * c_in, n * c_out), float64

    Raises
    ------
    TypeError, ValueError
        Bad ``weights``; ``n`` too small for ``n_modes``.

    References
    ----------
    :cite:p:`li2021fourier`

    See Also
    --------
    spectral_conv1d : the same operator by FFTs.
    """
    where = "operators.spectral_conv_matrix"
    W = np.asarray(_weights(weights, where), dtype=complex)
    n = _checks.check_int(n, "n", where, min_val=2)
    k, ci, co = W.shape
    _check_modes(k, n, where, "n")
    m = np.arange(k)
    a = np.where((m == 0) | (2 * m == n), 1.0, 2.0)
    d = np.arange(n)[None, :] - np.arange(n)[:, None]          # j - l, shape (l, j)
    theta = 2 * np.pi * m[:, None, None] * d[None] / n         # (m, l, j)
    M = (np.einsum("m,mlj,mio->lijo", a, np.cos(theta), W.real)
         - np.einsum("m,mlj,mio->lijo", a, np.sin(theta), W.imag)) / n
    return M.reshape(n * ci, n * co)


# ------------------------------------------------------------------------------------ FNO
def _positive(x: Any, name: str, where: str) -> int:
    return _checks.check_int(x, name, where, min_val=1)


def _init_common(in_channels, out_channels, width, n_layers, hidden, key, where):
    """Lifting, skip and projection parameters shared by FNO and TFNO."""
    k_lift, k_skip, k_proj = jax.random.split(key, 3)
    lift = nn.init_mlp((in_channels, width), key=k_lift)[0]
    skip_w = jax.random.normal(k_skip, (n_layers, width, width)) / jnp.sqrt(width)
    proj = nn.init_mlp((width, hidden, out_channels), key=k_proj)
    return lift, skip_w, jnp.zeros((n_layers, width)), proj


def _sizes(in_channels, out_channels, width, n_modes, n_layers, hidden, key, where):
    return (_positive(in_channels, "in_channels", where),
            _positive(out_channels, "out_channels", where),
            _positive(width, "width", where), _positive(n_modes, "n_modes", where),
            _positive(n_layers, "n_layers", where),
            None if hidden is None else _positive(hidden, "hidden", where),
            _checks.check_key(key, "key", where))


def init_fno(in_channels: int, out_channels: int, *, width: int, n_modes: int, n_layers: int,
             key: jax.Array, hidden: int | None = None) -> dict:
    """Parameters of a 1-D Fourier neural operator :cite:p:`li2021fourier`.

    The network (:func:`fno`) lifts the input channels to ``width`` by a pointwise linear
    map, applies ``n_layers`` Fourier layers :math:`h \\leftarrow \\sigma(\\mathcal K_l h +
    W_l h + b_l)` (spectral convolution plus a pointwise skip; no :math:`\\sigma` after the
    last) and projects pointwise by a two-layer MLP. The spectral weights are drawn as in
    the reference code: :math:`(c_{\\rm in} c_{\\rm out})^{-1}` times uniform [0, 1) real and
    imaginary parts; stored as real arrays (``spectral_re``, ``spectral_im``) so that every
    leaf is a real parameter for the optimizer.

    Parameters
    ----------
    in_channels, out_channels : int
        Channels of the input and output fields.
    width : int
        Channels of the hidden fields.
    n_modes : int
        Fourier modes kept by every layer.
    n_layers : int
        Number of Fourier layers.
    key : PRNG key
    hidden : int, optional
        Hidden size of the projection MLP (default ``2 * width``).

    Returns
    -------
    dict
        ``lift`` (W of shape (in_channels, width), b of shape (width,)), ``spectral_re`` and
        ``spectral_im`` of shape (n_layers, n_modes, width, width), ``skip_w`` of shape
        (n_layers, width, width), ``skip_b`` of shape (n_layers, width), ``proj`` (an
        :func:`eigenbook.nn.init_mlp` list).

    Raises
    ------
    TypeError, ValueError
        Sizes not positive ints; bad key.

    References
    ----------
    :cite:p:`li2021fourier`

    See Also
    --------
    init_tfno : the Tucker-factorised spectral weights.
    """
    where = "operators.init_fno"
    ci, co, w, k, L, hidden, key = _sizes(in_channels, out_channels, width, n_modes, n_layers,
                                          hidden, key, where)
    k_spec, k_rest = jax.random.split(key)
    kr, ki = jax.random.split(k_spec)
    scale = 1.0 / (w * w)
    lift, skip_w, skip_b, proj = _init_common(ci, co, w, L, hidden or 2 * w, k_rest, where)
    return {"lift": lift,
            "spectral_re": scale * jax.random.uniform(kr, (L, k, w, w)),
            "spectral_im": scale * jax.random.uniform(ki, (L, k, w, w)),
            "skip_w": skip_w, "skip_b": skip_b, "proj": proj}


@jax.jit
def _fno_forward(lift, W, skip_w, skip_b, proj, x):
    h = x @ lift[0] + lift[1]
    L = W.shape[0]
    act = jnp.arange(L) < L - 1

    def layer(h, p):
        Wl, Sw, Sb, a = p
        y = _spectral_conv_impl(h, Wl) + h @ Sw + Sb
        return jnp.where(a, jax.nn.gelu(y), y), None

    h, _ = jax.lax.scan(layer, h, (W, skip_w, skip_b, act))
    return nn.mlp(proj, h, activation=jax.nn.gelu)


def _check_grid(x, k, where):
    if x.shape[1] < 2 * (k - 1):
        raise _checks.fail(where, "x", f"n >= 2 (n_modes - 1) = {2 * (k - 1)} grid points",
                           f"shape {tuple(x.shape)}", "Use a finer grid.")


def fno(params: dict, x: Any) -> jax.Array:
    """Apply a Fourier neural operator (parameters from :func:`init_fno`).

    Pure and jitted (one compilation per input shape); under ``jax.grad`` / :func:`nn.fit
    <eigenbook.nn.fit>` the input is used as is. Cost per sample
    :math:`O(L(n w\\log n + k w^2 + n w^2))` and :math:`2L` FFTs.

    Parameters
    ----------
    params : dict
        From :func:`init_fno`.
    x : array_like of shape (batch, n, in_channels)
        Input fields on the grid :math:`x_j = j/n`, ``n >= 2 (n_modes - 1)``; any ``n``
        (resolution invariance of the spectral layers).

    Returns
    -------
    jax.Array of shape (batch, n, out_channels)

    Raises
    ------
    TypeError, ValueError
        ``params`` not an FNO parameter dict; bad ``x`` (shape, channels, NaN/inf, grid too
        coarse for the modes).

    References
    ----------
    :cite:p:`li2021fourier`

    See Also
    --------
    tfno : the same network with Tucker-factorised spectral weights.
    """
    where = "operators.fno"
    params = params_dict(params, where, _FNO_KEYS, "init_fno")
    x = fields(x, where, jnp.shape(params["lift"][0])[0])
    _check_grid(x, jnp.shape(params["spectral_re"])[1], where)
    W = params["spectral_re"] + 1j * params["spectral_im"]
    return _fno_forward(params["lift"], W, params["skip_w"], params["skip_b"], params["proj"], x)


# ----------------------------------------------------------------------------------- TFNO
def _tucker_ranks(shape: tuple[int, ...], ratio: float) -> tuple[int, ...]:
    """Largest common fraction c of every dimension (ranks max(1, round(c n_i))) whose Tucker
    parameter count 2 prod(r) + sum(n_i r_i) is at most ratio * 2 prod(n)."""
    full = 2 * int(np.prod(shape))
    best = tuple(1 for _ in shape)
    for c in np.linspace(0.0, 1.0, 2001)[1:]:
        r = tuple(int(min(n, max(1, round(c * n)))) for n in shape)
        if 2 * int(np.prod(r)) + sum(n * q for n, q in zip(shape, r, strict=True)) <= ratio * full:
            best = r
    return best


def init_tfno(in_channels: int, out_channels: int, *, width: int, n_modes: int, n_layers: int,
              key: jax.Array, rank: float = 0.05, hidden: int | None = None) -> dict:
    """Parameters of a Tucker-factorised FNO (TFNO) :cite:p:`kossaifi2023multigrid`.

    The spectral weights of *all* layers form one complex tensor :math:`\\mathcal W` of shape
    (n_layers, n_modes, width, width); TFNO stores it in Tucker form
    :math:`\\mathcal W = \\mathcal G \\times_1 U_1 \\times_2 U_2 \\times_3 U_3 \\times_4 U_4`
    with a complex core :math:`\\mathcal G` of shape :math:`(r_1, r_2, r_3, r_4)` and real
    factors :math:`U_i` of shape :math:`(n_i, r_i)` (the real and imaginary parts share the
    factors: a Tucker decomposition of the real tensor of shape (2, n_layers, n_modes, width,
    width) with full rank on the first mode). The ranks are :math:`r_i \\approx c\\,n_i` with
    the largest common :math:`c` whose parameter count :math:`2\\prod r_i + \\sum n_i r_i` is at
    most ``rank`` times the dense count :math:`2\\prod n_i`. Factors start with orthonormal
    columns and the core is scaled so that :math:`\\mathcal W` has the RMS of the dense
    initialisation of :func:`init_fno`. Lifting, skips and projection are as in
    :func:`init_fno` (same key use).

    Parameters
    ----------
    in_channels, out_channels, width, n_modes, n_layers : int
        As in :func:`init_fno`.
    key : PRNG key
    rank : float
        Parameter budget of the factorised spectral weights, as a fraction ``0 < rank <= 1``
        of the dense count.
    hidden : int, optional
        Hidden size of the projection MLP (default ``2 * width``).

    Returns
    -------
    dict
        As :func:`init_fno`, with ``core_re``, ``core_im`` of shape (r_1, r_2, r_3, r_4) and
        ``factors`` (a list of 4 arrays, the i-th of shape (n_i, r_i)) instead of
        ``spectral_re``/``spectral_im``.

    Raises
    ------
    TypeError, ValueError
        Sizes not positive ints; ``rank`` outside (0, 1]; bad key.

    References
    ----------
    :cite:p:`kossaifi2023multigrid`

    See Also
    --------
    eigenbook.tensors.tucker_to_tensor : the reconstruction (checked against it in the tests).
    """
    where = "operators.init_tfno"
    ci, co, w, k, L, hidden, key = _sizes(in_channels, out_channels, width, n_modes, n_layers,
                                          hidden, key, where)
    rank = _checks.check_scalar(rank, "rank", where, min_val=0.0, max_val=1.0, strict_min=True)
    shape = (L, k, w, w)
    ranks = _tucker_ranks(shape, rank)
    k_spec, k_rest = jax.random.split(key)
    keys = jax.random.split(k_spec, 6)
    factors = [jnp.linalg.qr(jax.random.normal(kk, (n, r)))[0]
               for kk, n, r in zip(keys[:4], shape, ranks, strict=True)]
    target_rms = np.sqrt(2.0 / 3.0) / (w * w)      # RMS of the dense FNO initialisation
    std = target_rms * np.sqrt(np.prod(shape) / np.prod(ranks)) / np.sqrt(2.0)
    lift, skip_w, skip_b, proj = _init_common(ci, co, w, L, hidden or 2 * w, k_rest, where)
    return {"lift": lift, "core_re": std * jax.random.normal(keys[4], ranks),
            "core_im": std * jax.random.normal(keys[5], ranks), "factors": factors,
            "skip_w": skip_w, "skip_b": skip_b, "proj": proj}


@jax.jit
def _tucker_weights(core_re, core_im, factors):
    U1, U2, U3, U4 = factors
    core = core_re + 1j * core_im
    return jnp.einsum("abcd,la,kb,ic,od->lkio", core, U1, U2, U3, U4)


@jax.jit
def _tfno_forward(lift, core_re, core_im, factors, skip_w, skip_b, proj, x):
    W = _tucker_weights(core_re, core_im, factors)
    return _fno_forward(lift, W, skip_w, skip_b, proj, x)


def tfno(params: dict, x: Any) -> jax.Array:
    """Apply a Tucker-factorised FNO (parameters from :func:`init_tfno`).

    Reconstructs the spectral weights of all layers from the core and factors (one einsum,
    :math:`O(\\prod n_i\\, r_1)`) and runs the FNO forward pass (:func:`fno`); jitted, so the
    gradient flows to the core and factors.

    Parameters
    ----------
    params : dict
        From :func:`init_tfno`.
    x : array_like of shape (batch, n, in_channels)

    Returns
    -------
    jax.Array of shape (batch, n, out_channels)

    Raises
    ------
    TypeError, ValueError
        ``params`` not a TFNO parameter dict; bad ``x``.

    References
    ----------
    :cite:p:`kossaifi2023multigrid`

    See Also
    --------
    fno : the dense-weight network.
    """
    where = "operators.tfno"
    params = params_dict(params, where, _TFNO_KEYS, "init_tfno")
    x = fields(x, where, jnp.shape(params["lift"][0])[0])
    _check_grid(x, jnp.shape(params["factors"][1])[0], where)
    return _tfno_forward(params["lift"], params["core_re"], params["core_im"],
                         list(params["factors"]), params["skip_w"], params["skip_b"],
                         params["proj"], x)
