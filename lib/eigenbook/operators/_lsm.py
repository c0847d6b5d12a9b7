"""A latent spectral block in the style of Latent Spectral Models (LSM), 1-D."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from ._common import fields, params_dict

__all__ = ["latent_basis", "BasisFit", "latent_basis_fit", "init_lsm_block", "lsm_block",
           "self_attention"]

_KEYS = ("tokens", "enc_q", "enc_k", "enc_v", "basis_w", "dec_q", "dec_k", "dec_v")


def _basis_impl(z, n_basis):
    k = jnp.arange(1, n_basis + 1, dtype=z.dtype)
    arg = jnp.pi * z[..., None] * k
    return jnp.concatenate([jnp.sin(arg), jnp.cos(arg)], axis=-1)


def latent_basis(z: Any, n_basis: int) -> jax.Array:
    """The sine/cosine features :math:`(\\sin k\\pi z, \\cos k\\pi z)_{k=1..K}` of latent values.

    The neural spectral block of LSM :cite:p:`wu2023solving` expands a map of the latent
    token values in this basis (with learned coefficients): on an interval of length 1 inside
    [-1, 1] the basis is a Fourier extension (period 2), which converges geometrically for
    analytic maps.

    Parameters
    ----------
    z : array_like of any shape
        Latent values.
    n_basis : int
        :math:`K`, the number of sine/cosine pairs.

    Returns
    -------
    jax.Array of shape z.shape + (2 K,)
        Sines first, then cosines.

    Raises
    ------
    TypeError, ValueError
        ``z`` not finite real; ``n_basis < 1``.

    References
    ----------
    :cite:p:`wu2023solving`

    See Also
    --------
    latent_basis_fit : least-squares fit of a map in this basis.
    """
    where = "operators.latent_basis"
    z = _checks.as_array(z, "z", where)
    K = _checks.check_int(n_basis, "n_basis", where, min_val=1)
    return _basis_impl(z, K)


class BasisFit(NamedTuple):
    """What :func:`latent_basis_fit` returns.

    Attributes
    ----------
    coefficients : ndarray of shape (2 K,)
        Least-squares coefficients (sines first).
    max_error : float
        Largest absolute residual on the sample points.
    rms_error : float
        Root-mean-square residual.
    """

    coefficients: np.ndarray
    max_error: float
    rms_error: float


def latent_basis_fit(z: Any, values: Any, *, n_basis: int) -> BasisFit:
    """Least-squares fit of ``values`` at points ``z`` by :func:`latent_basis` features.

    Host float64 (``numpy.linalg.lstsq``, SVD-based, so the near-dependence of a Fourier
    extension frame costs accuracy only near rounding).

    Parameters
    ----------
    z, values : array_like of shape (n,)
        Sample points in [-1, 1] and the map's values there.
    n_basis : int
        :math:`K`; ``2 K <= n``.

    Returns
    -------
    BasisFit

    Raises
    ------
    TypeError, ValueError
        Bad or mismatched vectors, points outside [-1, 1], ``2 K > n``.

    References
    ----------
    :cite:p:`wu2023solving`

    See Also
    --------
    numpy.linalg.lstsq : the solver.
    """
    where = "operators.latent_basis_fit"
    z = _checks.as_host(z, "z", where, ndim=1)
    v = _checks.as_host(values, "values", where, ndim=1)
    if v.size != z.size:
        raise _checks.fail(where, "values", f"length {z.size} (the length of z)",
                           f"shape {v.shape}")
    if np.max(np.abs(z)) > 1.0:
        raise _checks.fail(where, "z", "points in [-1, 1]", f"max |z| = {np.max(np.abs(z)):.3g}")
    K = _checks.check_rank(n_basis, "n_basis", where, upper=z.size // 2, upper_name="n // 2")
    k = np.arange(1, K + 1)
    A = np.concatenate([np.sin(np.pi * z[:, None] * k), np.cos(np.pi * z[:, None] * k)], axis=1)
    c = np.linalg.lstsq(A, v, rcond=None)[0]
    r = A @ c - v
    return BasisFit(c, float(np.max(np.abs(r))), float(np.sqrt(np.mean(r**2))))


def init_lsm_block(width: int, *, n_tokens: int, n_basis: int, key: jax.Array) -> dict:
    """Parameters of a latent spectral block (1-D version of LSM's neural spectral block).

    :func:`lsm_block` encodes the ``n`` points into ``n_tokens`` latent tokens by
    cross-attention (learned queries), applies the spectral map
    :math:`z \\leftarrow z + \\sum_k \\bigl(\\sin k\\pi z\\, A_k + \\cos k\\pi z\\, B_k\\bigr)` to
    the latent values, and decodes back to the points by cross-attention (points as
    queries), with a residual connection :cite:p:`wu2023solving`.

    Parameters
    ----------
    width : int
        Channels :math:`c` of the fields.
    n_tokens : int
        Latent tokens :math:`T`.
    n_basis : int
        Sine/cosine pairs :math:`K`.
    key : PRNG key

    Returns
    -------
    dict
        ``tokens`` (T, c); ``enc_q``, ``enc_k``, ``enc_v``, ``dec_q``, ``dec_k``, ``dec_v``
        (c, c); ``basis_w`` (2K, c, c).

    Raises
    ------
    TypeError, ValueError
        Sizes not positive ints; bad key.

    References
    ----------
    :cite:p:`wu2023solving`

    See Also
    --------
    self_attention : full attention over the points (quadratic in n), for comparison.
    """
    where = "operators.init_lsm_block"
    c = _checks.check_int(width, "width", where, min_val=1)
    T = _checks.check_int(n_tokens, "n_tokens", where, min_val=1)
    K = _checks.check_int(n_basis, "n_basis", where, min_val=1)
    key = _checks.check_key(key, "key", where)
    ks = jax.random.split(key, 8)
    mat = [jax.random.normal(kk, (c, c)) / np.sqrt(c) for kk in ks[:6]]
    return {"tokens": jax.random.normal(ks[6], (T, c)),
            "enc_q": mat[0], "enc_k": mat[1], "enc_v": mat[2],
            "dec_q": mat[3], "dec_k": mat[4], "dec_v": mat[5],
            "basis_w": jax.random.normal(ks[7], (2 * K, c, c)) / np.sqrt(2 * K * c)}


@jax.jit
def _lsm_impl(p, x):
    c = x.shape[-1]
    q = p["tokens"] @ p["enc_q"]                                      # (T, c)
    a = jax.nn.softmax(jnp.einsum("tc,bnc->btn", q, x @ p["enc_k"]) / np.sqrt(c), axis=-1)
    z = jnp.einsum("btn,bnc->btc", a, x @ p["enc_v"])                # (b, T, c): O(n T c)
    K = p["basis_w"].shape[0] // 2
    z = z + jnp.einsum("btik,kio->bto", _basis_impl(z, K), p["basis_w"])
    a = jax.nn.softmax(jnp.einsum("bnc,btc->bnt", x @ p["dec_q"], z @ p["dec_k"]) / np.sqrt(c),
                       axis=-1)
    return x + jnp.einsum("bnt,btc->bnc", a, z @ p["dec_v"])


def lsm_block(params: dict, x: Any) -> jax.Array:
    """Apply a latent spectral block: encode to tokens, spectral map, decode (residual).

    Cost :math:`O(n T c + n c^2 + T K c^2)` per sample: linear in the number of points
    ``n``, against :math:`O(n^2 c)` for :func:`self_attention`.

    Parameters
    ----------
    params : dict
        From :func:`init_lsm_block`.
    x : array_like of shape (batch, n, width)

    Returns
    -------
    jax.Array of shape (batch, n, width)

    Raises
    ------
    TypeError, ValueError
        Bad ``params`` or ``x``.

    References
    ----------
    :cite:p:`wu2023solving`

    See Also
    --------
    self_attention : the quadratic alternative.
    """
    where = "operators.lsm_block"
    params = params_dict(params, where, _KEYS, "init_lsm_block")
    x = fields(x, where, jnp.shape(params["tokens"])[1])
    return _lsm_impl(params, x)


@jax.jit
def _self_attention_impl(p, x):
    c = x.shape[-1]
    a = jax.nn.softmax(jnp.einsum("bnc,bmc->bnm", x @ p["enc_q"], x @ p["enc_k"]) / np.sqrt(c),
                       axis=-1)
    return x + jnp.einsum("bnm,bmc->bnc", a, x @ p["enc_v"])


def self_attention(params: dict, x: Any) -> jax.Array:
    """Full softmax self-attention over the points, with the block's encoder projections.

    :math:`x + \\mathrm{softmax}(x W_q (x W_k)^T/\\sqrt c)\\, x W_v`: every point attends to
    every point, :math:`O(n^2 c)` time and :math:`O(n^2)` memory per sample; the reference
    against which LSM's latent projection is linear.

    Parameters
    ----------
    params : dict
        From :func:`init_lsm_block` (uses ``enc_q``, ``enc_k``, ``enc_v``).
    x : array_like of shape (batch, n, width)

    Returns
    -------
    jax.Array of shape (batch, n, width)

    Raises
    ------
    TypeError, ValueError
        Bad ``params`` or ``x``.

    References
    ----------
    :cite:p:`wu2023solving`

    See Also
    --------
    lsm_block : the linear-time latent version.
    """
    where = "operators.self_attention"
    params = params_dict(params, where, _KEYS, "init_lsm_block")
    x = fields(x, where, jnp.shape(params["tokens"])[1])
    return _self_attention_impl(params, x)
