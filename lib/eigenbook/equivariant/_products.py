"""Tensor products of irreps features: dense Clebsch–Gordan, Gaunt (S² grid and 2D Fourier).

All products take features ``x`` of shape ``(..., (L1+1)**2)`` and ``y`` of
shape ``(..., (L2+1)**2)`` in the package's layout (see
:func:`eigenbook.equivariant.sph_harm`) and act on the last axis. The CP route
compresses :func:`coupling_tensor` with :mod:`eigenbook.tensors`.
"""

from __future__ import annotations

from functools import cache, partial

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import as_array, as_vector, check_choice, check_int, check_scalar, fail
from ._coupling import _real_cg, _real_gaunt, tp_paths
from ._harmonics import _legendre_table, _lm_index, s2_quadrature, sph_harm_angles

__all__ = [
    "coupling_tensor",
    "full_tensor_product",
    "weighted_tensor_product",
    "gaunt_product_grid",
    "gaunt_product_fourier",
    "cg_op_count",
    "cp_op_count",
    "gaunt_op_count",
    "span_dimension",
]


def _check_feature(x, L, name, where):
    rule = f"an array of shape (..., {(L + 1) ** 2}) (degrees 0..{L})"
    if isinstance(x, jax.core.Tracer):  # under jit/vmap: shape and dtype only
        if not jnp.issubdtype(x.dtype, jnp.floating):
            raise fail(where, name, "a real floating array", f"dtype {x.dtype}", exc=TypeError)
    else:  # real, finite, non-empty; integers promoted
        x = as_array(x, name, where, rule=rule)
    if x.ndim < 1 or x.shape[-1] != (L + 1) ** 2:
        raise fail(where, name, rule, f"shape {tuple(x.shape)}")
    return x


def _degrees(where, L1, L2, L_out):
    L1 = check_int(L1, "L1", where, min_val=0)
    L2 = check_int(L2, "L2", where, min_val=0)
    L_out = L1 + L2 if L_out is None else check_int(L_out, "L_out", where, min_val=0)
    return L1, L2, L_out


# --------------------------------------------------------------------------- dense CG
@cache
def _pair_blocks(L1: int, L2: int, L_out: int, coupling: str,
                 weights: tuple[float, ...] | None, per_path: bool):
    """For each (l1, l2): the matrix (d1*d2, d_out) of its paths, and output columns."""
    paths = tp_paths(L1, L2, L_out)
    table = _real_cg if coupling == "cg" else _real_gaunt
    wmap = dict(zip(paths, weights, strict=True)) if weights is not None else {}
    blocks = []
    col = 0
    for l1 in range(L1 + 1):
        for l2 in range(L2 + 1):
            ps = [p for p in paths if p[0] == l1 and p[1] == l2]
            if not ps:
                continue
            mats, cols = [], []
            for p in ps:
                l3 = p[2]
                T = np.asarray(table(*p)) * wmap.get(p, 1.0)
                mats.append(T.reshape((2 * l1 + 1) * (2 * l2 + 1), 2 * l3 + 1))
                if per_path:
                    cols.append(np.arange(col, col + 2 * l3 + 1))
                    col += 2 * l3 + 1
                else:
                    cols.append(np.arange(l3 * l3, (l3 + 1) ** 2))
            blocks.append((l1, l2, np.concatenate(mats, axis=1), np.concatenate(cols)))
    d_out = col if per_path else (L_out + 1) ** 2
    return blocks, d_out


def _contract_pairs(x, y, blocks, d_out):
    lead = jnp.broadcast_shapes(x.shape[:-1], y.shape[:-1])
    dtype = jnp.result_type(x, y)
    parts = []
    for l1, l2, M, _ in blocks:
        xa = x[..., l1 * l1:(l1 + 1) ** 2]
        yb = y[..., l2 * l2:(l2 + 1) ** 2]
        outer = (xa[..., :, None] * yb[..., None, :]).reshape(*lead, -1)
        parts.append(outer @ jnp.asarray(M, dtype=dtype))
    cols = np.concatenate([c for *_, c in blocks])
    if np.array_equal(cols, np.arange(d_out)):  # one output slice per pair, in order
        return jnp.concatenate(parts, axis=-1)
    out = jnp.zeros((*lead, d_out), dtype=dtype)  # pairs share output irreps: add them
    for part, (*_, c) in zip(parts, blocks, strict=True):
        out = out.at[..., c].add(part)
    return out


@partial(jax.jit, static_argnums=(2, 3, 4, 5, 6, 7))
def _dense_impl(x, y, L1, L2, L_out, coupling, weights, per_path):
    blocks, d_out = _pair_blocks(L1, L2, L_out, coupling, weights, per_path)
    return _contract_pairs(x, y, blocks, d_out)


def full_tensor_product(x, y, L1: int, L2: int, L_out: int | None = None) -> jax.Array:
    """The full Clebsch–Gordan tensor product, one output irrep per path.

    For every path ``(l1, l2, l3)`` of :func:`tp_paths` (in that order) the output
    holds ``C^{l1 l2 l3}(x_l1, y_l2)`` (:func:`real_clebsch_gordan`). With
    ``L_out = L1 + L2`` the map ``x ⊗ y ↦ output`` is an orthogonal change of basis.
    Cost: one dense matrix per input pair ``(l1, l2)``,
    ``Σ (2l1+1)²(2l2+1)²`` multiply-adds per sample.

    Parameters
    ----------
    x : array_like of shape (..., (L1 + 1)**2)
    y : array_like of shape (..., (L2 + 1)**2)
        Leading axes broadcast.
    L1, L2 : int
        Largest input degrees.
    L_out : int, optional
        Largest output degree (default ``L1 + L2``).

    Returns
    -------
    z : jax.Array of shape (..., Σ_paths (2 l3 + 1))

    Raises
    ------
    ValueError
        Wrong last-axis length or negative degree.
    TypeError
        Non-floating input.

    See Also
    --------
    e3nn_jax.tensor_product : the reference (convert with :func:`to_e3nn`);
        chapter :ref:`equivariant-tensor-products`.
    """
    where = "equivariant.full_tensor_product"
    L1, L2, L_out = _degrees(where, L1, L2, L_out)
    x = _check_feature(x, L1, "x", where)
    y = _check_feature(y, L2, "y", where)
    return _dense_impl(x, y, L1, L2, L_out, "cg", None, True)


def weighted_tensor_product(x, y, L1: int, L2: int, L_out: int, *, weights=None,
                            coupling: str = "cg") -> jax.Array:
    """Weighted sum of tensor-product paths into degrees ``0..L_out`` (dense, O(L⁶)).

    ``z_l3 = Σ_{l1, l2} w_{l1 l2 l3} T^{l1 l2 l3}(x_l1, y_l2)`` with ``T`` the real
    Clebsch–Gordan (``coupling="cg"``) or Gaunt (``coupling="gaunt"``) tensor.
    With Gaunt coupling and unit weights this is the product of the spherical
    functions ``Σ x_lm Y_lm`` and ``Σ y_lm Y_lm``, projected on degrees ``<= L_out``.

    Parameters
    ----------
    x : array_like of shape (..., (L1 + 1)**2)
    y : array_like of shape (..., (L2 + 1)**2)
    L1, L2, L_out : int
        Largest degrees.
    weights : sequence of float, optional
        One weight per path of ``tp_paths(L1, L2, L_out)`` (default: all 1).
    coupling : {"cg", "gaunt"}

    Returns
    -------
    z : jax.Array of shape (..., (L_out + 1)**2)

    Raises
    ------
    ValueError
        Wrong shapes, wrong number of weights, unknown coupling.
    TypeError
        Non-floating input.

    See Also
    --------
    e3nn_jax.FunctionalTensorProduct : the reference's weighted product.

    References
    ----------
    :cite:p:`luo2024gaunt,xie2025price`
    """
    where = "equivariant.weighted_tensor_product"
    L1, L2, L_out = _degrees(where, L1, L2, L_out)
    check_choice(coupling, "coupling", where, ("cg", "gaunt"))
    x = _check_feature(x, L1, "x", where)
    y = _check_feature(y, L2, "y", where)
    n_paths = len(tp_paths(L1, L2, L_out))
    if weights is not None:
        w = np.asarray(as_vector(weights, "weights", where, allow_empty=False))
        if w.shape[0] != n_paths:
            raise fail(where, "weights", f"{n_paths} weights (one per path)",
                       f"{w.shape[0]}")
        weights = tuple(float(v) for v in w)
    return _dense_impl(x, y, L1, L2, L_out, coupling, weights, False)


def coupling_tensor(L1: int, L2: int, L_out: int | None = None, *,
                    coupling: str = "cg", per_path: bool = True) -> np.ndarray:
    """The dense 3-tensor ``M`` with ``z_k = Σ_ij M[i, j, k] x_i y_j`` of a product.

    Parameters
    ----------
    L1, L2 : int
        Largest input degrees.
    L_out : int, optional
        Largest output degree (default ``L1 + L2``).
    coupling : {"cg", "gaunt"}
    per_path : bool
        One output block per path (as :func:`full_tensor_product`) or summed
        into degrees ``0..L_out`` (as :func:`weighted_tensor_product`).

    Returns
    -------
    M : ndarray of shape ((L1+1)**2, (L2+1)**2, d_out)

    Raises
    ------
    ValueError
        Negative degree or unknown coupling.
    """
    where = "equivariant.coupling_tensor"
    L1, L2, L_out = _degrees(where, L1, L2, L_out)
    check_choice(coupling, "coupling", where, ("cg", "gaunt"))
    blocks, d_out = _pair_blocks(L1, L2, L_out, coupling, None, bool(per_path))
    M = np.zeros(((L1 + 1) ** 2, (L2 + 1) ** 2, d_out))
    for l1, l2, B, cols in blocks:
        sub = B.reshape(2 * l1 + 1, 2 * l2 + 1, -1)
        M[l1 * l1:(l1 + 1) ** 2, l2 * l2:(l2 + 1) ** 2, cols] += sub
    return M


# --------------------------------------------------------------------------- Gaunt: S² grid
@cache
def _grid_tables(L1: int, L2: int, L_out: int):
    c, s, phi, w = s2_quadrature(L1 + L2 + L_out)
    Lm = max(L1, L2, L_out)
    P = _legendre_table(Lm, c, s)  # (n_t, Lm+1, Lm+1) [t, l, |m|]
    ms = np.arange(-Lm, Lm + 1)
    Pm = P[:, :, np.abs(ms)]  # (n_t, l, m-index)
    mask = np.abs(ms)[None, :] <= np.arange(Lm + 1)[:, None]
    Pm = Pm * mask[None]
    T = np.stack([np.sqrt(2) * np.sin(-m * phi) if m < 0 else
                  (np.ones_like(phi) if m == 0 else np.sqrt(2) * np.cos(m * phi))
                  for m in ms], axis=-1)  # (n_p, m-index)
    w_phi = 2 * np.pi / len(phi)
    return Pm, T, w[:, 0] / w_phi, w_phi


def _to_lm_grid(x, L, Lm):
    """(..., (L+1)^2) → (..., Lm+1, 2Lm+1) zero-padded [l, m + Lm]."""
    ls, ms = _lm_index(L)
    out = jnp.zeros((*x.shape[:-1], Lm + 1, 2 * Lm + 1), dtype=x.dtype)
    return out.at[..., ls, ms + Lm].set(x)


def _from_lm_grid(g, L, Lm):
    ls, ms = _lm_index(L)
    return g[..., ls, ms + Lm]


@partial(jax.jit, static_argnums=(2, 3, 4))
def _grid_impl(x, y, L1, L2, L_out):
    Pm, T, wt, wp = _grid_tables(L1, L2, L_out)
    Lm = max(L1, L2, L_out)

    def synth(a, L):
        g = _to_lm_grid(a, L, Lm)
        return jnp.einsum("pm,...tm->...tp", T, jnp.einsum("tlm,...lm->...tm", Pm, g))

    h = synth(x, L1) * synth(y, L2)
    H = jnp.einsum("pm,...tp->...tm", T * wp, h) * wt[:, None]
    return _from_lm_grid(jnp.einsum("tlm,...tm->...lm", Pm, H), L_out, Lm)


def gaunt_product_grid(x, y, L1: int, L2: int, L_out: int) -> jax.Array:
    """Gaunt tensor product through a grid on the sphere (sample, multiply, project).

    Evaluates ``f = Σ x_lm Y_lm`` and ``g = Σ y_lm Y_lm`` on a Gauss–Legendre ×
    uniform-φ grid exact to degree ``L1 + L2 + L_out``, multiplies pointwise and
    projects on ``Y_l3m3``, ``l3 <= L_out``. Synthesis and projection are
    separable (Legendre in θ, then trigonometric in φ): ``O(L³)`` per sample.
    Equals ``weighted_tensor_product(..., coupling="gaunt")`` to round-off.

    Parameters
    ----------
    x : array_like of shape (..., (L1 + 1)**2)
    y : array_like of shape (..., (L2 + 1)**2)
    L1, L2, L_out : int

    Returns
    -------
    z : jax.Array of shape (..., (L_out + 1)**2)

    Raises
    ------
    ValueError
        Wrong shapes or negative degrees.
    TypeError
        Non-floating input.

    See Also
    --------
    e3nn_jax.to_s2grid, e3nn_jax.from_s2grid : the reference's grid transforms.

    References
    ----------
    :cite:p:`xie2025price`
    """
    where = "equivariant.gaunt_product_grid"
    L1, L2, L_out = _degrees(where, L1, L2, L_out)
    x = _check_feature(x, L1, "x", where)
    y = _check_feature(y, L2, "y", where)
    return _grid_impl(x, y, L1, L2, L_out)


# --------------------------------------------------------------------------- Gaunt: 2D Fourier
@cache
def _fourier_coefficients(L: int) -> np.ndarray:
    """F[lm, u + L, v + L]: Y_lm(θ, φ) = Σ F e^{i(uθ + vφ)} on the torus θ, φ ∈ [0, 2π)."""
    N = 2 * L + 1
    t = 2 * np.pi * np.arange(N) / N
    TT, PP = np.meshgrid(t, t, indexing="ij")
    Y = sph_harm_angles(L, np.cos(TT), np.sin(TT), PP)  # (N, N, d)
    F = np.fft.fftshift(np.fft.fft2(np.moveaxis(Y, -1, 0)), axes=(1, 2)) / N**2
    F[np.abs(F) < 1e-14] = 0.0
    return F


@cache
def _fourier_tables(L1: int, L2: int, L_out: int):
    """Sparse (v = ±m) forward tables per input and the backward table for the output."""

    def forward(L):
        F = _fourier_coefficients(L)
        # G[l, v, s, u] = F[(l, s|v|), u, v] ; s = 0: m = +|v|, s = 1: m = -|v| (v != 0)
        G = np.zeros((L + 1, 2 * L + 1, 2, 2 * L + 1), dtype=complex)
        idx = np.zeros((L + 1, 2 * L + 1, 2), dtype=int)  # gather index into padded x
        pad = (L + 1) ** 2
        idx[:] = pad
        for l in range(L + 1):
            for v in range(-L, L + 1):
                if abs(v) > l:
                    continue
                for s, m in enumerate((abs(v), -abs(v))):
                    if s == 1 and v == 0:
                        continue
                    k = l * l + l + m
                    G[l, v + L, s] = F[k, :, v + L]
                    idx[l, v + L, s] = k
        return G, idx

    G1, i1 = forward(L1)
    G2, i2 = forward(L2)
    Lc = L1 + L2
    # back-projection: out_(l3 m3) = 2π Σ_{u,v} h[u, v] Σ_{u'} F3[(l3 m3), u', -v] I(u + u')
    k = np.arange(-2 * (Lc + L_out), 2 * (Lc + L_out) + 1)
    Ik = np.where(np.abs(k) == 1, 0.5j * np.pi * np.sign(k),
                  np.divide(1.0 + (-1.0) ** k, 1.0 - k * k, where=np.abs(k) != 1,
                            out=np.zeros(k.shape)))
    off = 2 * (Lc + L_out)
    F3 = _fourier_coefficients(L_out)  # (d3, 2L_out+1, 2L_out+1)
    u = np.arange(-Lc, Lc + 1)
    up = np.arange(-L_out, L_out + 1)
    # K[(l3 m3), u, v'] for v' = -v index of F3: Σ_{u'} F3[., u', v'] I(u + u')
    Iuu = Ik[u[:, None] + up[None, :] + off]  # (U, U3)
    K = 2 * np.pi * np.einsum("kav,ua->kuv", F3, Iuu)  # v here is F3's v' (= -v of h)
    B = np.zeros((L_out + 1, 2 * L_out + 1, 2, 2 * Lc + 1), dtype=complex)
    hv = np.zeros((2 * L_out + 1, 2), dtype=int)  # h column (v + Lc) used per (m3, s)
    for l3 in range(L_out + 1):
        for m3 in range(-l3, l3 + 1):
            for s, vp in enumerate((abs(m3), -abs(m3))):
                if s == 1 and m3 == 0:
                    continue
                B[l3, m3 + L_out, s] = K[l3 * l3 + l3 + m3, :, vp + L_out]
    Lv = max(Lc, L_out)  # h is zero-padded in v to |v| <= Lv
    for m3 in range(-L_out, L_out + 1):
        for s, vp in enumerate((abs(m3), -abs(m3))):
            hv[m3 + L_out, s] = -vp + Lv
    return G1, i1, G2, i2, B, hv


def _split(z):
    return jnp.real(z), jnp.imag(z)


@partial(jax.jit, static_argnums=(2, 3, 4, 5))
def _fourier_impl(x, y, L1, L2, L_out, convolution):
    G1, i1, G2, i2, B, hv = _fourier_tables(L1, L2, L_out)
    Lc = L1 + L2

    def to_fourier(a, G, idx):
        # real input times complex table, as two real contractions
        ap = jnp.concatenate([a, jnp.zeros((*a.shape[:-1], 1), a.dtype)], axis=-1)
        X = ap[..., idx]  # (..., l, v, s)
        re = jnp.einsum("...lvs,lvsu->...uv", X, G.real)
        im = jnp.einsum("...lvs,lvsu->...uv", X, G.imag)
        return re + 1j * im

    a = to_fourier(x, G1, i1)
    b = to_fourier(y, G2, i2)
    if convolution == "fft":
        n = int(2 ** np.ceil(np.log2(2 * Lc + 1)))
        h = jnp.fft.ifft2(jnp.fft.fft2(a, s=(n, n)) * jnp.fft.fft2(b, s=(n, n)))
        h = h[..., :2 * Lc + 1, :2 * Lc + 1]  # linear convolution, index u + Lc, v + Lc
    else:
        # convolution theorem with dense DFTs: values on an n x n torus grid, n = 2Lc + 1
        n = 2 * Lc + 1
        ang = 2 * np.pi * np.arange(n) / n

        def values(c, L):
            E = np.exp(1j * np.outer(ang, np.arange(-L, L + 1)))  # (n, 2L+1)
            return jnp.einsum("ju,...uv,kv->...jk", E, c, E).real  # real functions

        prod = values(a, L1) * values(b, L2)
        E = np.exp(-1j * np.outer(np.arange(-Lc, Lc + 1), ang)) / n  # (2Lc+1, n)
        h = jnp.einsum("uj,...jk,vk->...uv", E, prod, E)
    # index u + Lc, v + Lc; zero-pad v to |v| <= max(Lc, L_out)
    Lv = max(Lc, L_out)
    pad = [(0, 0)] * (h.ndim - 1) + [(Lv - Lc, Lv - Lc)]
    h = jnp.pad(h, pad)
    hr, hi = _split(h[..., :, hv])  # (..., U, m3, s)
    out = (jnp.einsum("...ums,lmsu->...lm", hr, B.real)
           - jnp.einsum("...ums,lmsu->...lm", hi, B.imag))
    return _from_lm_grid(out, L_out, L_out)


def gaunt_product_fourier(x, y, L1: int, L2: int, L_out: int, *,
                          convolution: str = "dft") -> jax.Array:
    """Gaunt tensor product through the 2D Fourier basis on the torus (convolution theorem).

    Each real harmonic is a trigonometric polynomial in ``(θ, φ)`` extended to
    the torus, ``Y_lm = Σ_{|u| <= l, v = ±m} F^{lm}_{uv} e^{i(uθ + vφ)}``. The
    route: (1) map ``x`` and ``y`` to 2D Fourier coefficients (``O(L³)``, using
    that only ``v = ±m`` is non-zero); (2) multiply the two functions by a 2D FFT
    convolution; (3) integrate the product against
    ``Y_l3m3`` over the sphere in closed form, ``∫_0^π e^{ikθ} sin θ dθ``
    (``O(L³)``). Equals :func:`gaunt_product_grid` to round-off.

    Parameters
    ----------
    x : array_like of shape (..., (L1 + 1)**2)
    y : array_like of shape (..., (L2 + 1)**2)
    L1, L2, L_out : int
    convolution : {"dft", "fft"}
        How step (2) runs: ``"fft"`` zero-pads and uses ``jnp.fft``
        (``O(L² log L)``); ``"dft"`` (default) evaluates both functions on a
        ``(2(L1+L2)+1)²`` torus grid with dense DFT matrices, multiplies and
        transforms back (``O(L³)``, the order of steps 1 and 3, and faster on CPU
        at these sizes than XLA's FFT). Both are exact.

    Returns
    -------
    z : jax.Array of shape (..., (L_out + 1)**2)

    Raises
    ------
    ValueError
        Wrong shapes, negative degrees or unknown ``convolution``.
    TypeError
        Non-floating input.

    See Also
    --------
    gaunt_product_grid : the same product through a sphere grid.

    References
    ----------
    :cite:p:`luo2024gaunt`
    """
    where = "equivariant.gaunt_product_fourier"
    L1, L2, L_out = _degrees(where, L1, L2, L_out)
    check_choice(convolution, "convolution", where, ("dft", "fft"))
    x = _check_feature(x, L1, "x", where)
    y = _check_feature(y, L2, "y", where)
    return _fourier_impl(x, y, L1, L2, L_out, convolution)


# --------------------------------------------------------------------------- op counts
def cg_op_count(L: int, L_out: int | None = None) -> int:
    """Multiply-adds of the path-by-path CG product: ``Σ_paths (2l1+1)(2l2+1)(2l3+1)``.

    Inputs have degrees ``0..L``; outputs ``0..L_out`` (default ``2L``, the full product).
    """
    L = check_int(L, "L", "equivariant.cg_op_count", min_val=0)
    return sum((2 * a + 1) * (2 * b + 1) * (2 * c + 1) for a, b, c in tp_paths(L, L, L_out))


def cp_op_count(L: int, rank: int, L_out: int | None = None) -> int:
    """Multiply-adds of a rank-R CP product, ``R (d1 + d2 + d3)``, inputs ``0..L``."""
    L = check_int(L, "L", "equivariant.cp_op_count", min_val=0)
    rank = check_int(rank, "rank", "equivariant.cp_op_count", min_val=1)
    L_out = 2 * L if L_out is None else L_out
    return rank * (2 * (L + 1) ** 2 + (L_out + 1) ** 2)


def gaunt_op_count(L: int, *, route: str = "fourier") -> int:
    """Multiply-adds of the full Gaunt product (inputs ``0..L``, outputs ``0..2L``).

    Counts the steps as implemented. ``"fourier"`` (the ``"dft"`` variant of
    :func:`gaunt_product_fourier`): two sparse forward maps
    ``2 · 2(L+1)(2L+1)²``, dense DFTs to and from the ``n × n`` torus grid
    (``n = 4L + 1``), the pointwise product and the sparse backward map
    ``2 (2L+1)(4L+1) · 2n``. ``"grid"``: separable synthesis (Legendre then
    trigonometric) of both inputs, the product and the separable projection.
    Every term is ``O(L³)``.
    """
    where = "equivariant.gaunt_op_count"
    L = check_int(L, "L", where, min_val=0)
    check_choice(route, "route", where, ("fourier", "grid"))
    Lo = 2 * L
    if route == "fourier":
        n = 2 * (2 * L) + 1
        U = 2 * L + 1
        fwd = 2 * 2 * (L + 1) * U * 2 * U
        values = 2 * (n * U * U + n * n * U)
        back_dft = n * n * n + n * n * n
        back = 2 * (Lo + 1) * (2 * Lo + 1) * 2 * n
        return fwd + values + n * n + back_dft + back
    deg = 4 * L
    n_t, n_p = deg // 2 + 1, deg + 1
    synth = 2 * (n_t * (L + 1) * (2 * L + 1) + n_t * n_p * (2 * L + 1))
    proj = n_t * n_p * (2 * Lo + 1) + n_t * (Lo + 1) * (2 * Lo + 1)
    return synth + n_t * n_p + proj


def span_dimension(L1: int, L2: int, L_out: int | None = None, *,
                   coupling: str = "cg", tol: float = 1e-10) -> int:
    """Dimension of the space of bilinear maps a weighted product can reach.

    A weighted product (:func:`weighted_tensor_product`) with free path weights
    reaches exactly the span of its path tensors ``T^{l1 l2 l3}`` (embedded in
    ``(L1+1)² × (L2+1)² × (L_out+1)²``); this returns its numerical rank. For
    ``coupling="cg"`` it equals the number of paths; for ``"gaunt"`` only the
    even paths (``l1 + l2 + l3`` even) survive, a measure of expressivity in the
    sense of :cite:t:`xie2025price`.

    Parameters
    ----------
    L1, L2 : int
    L_out : int, optional
        Default ``L1 + L2``.
    coupling : {"cg", "gaunt"}
    tol : float
        Singular values below ``tol`` times the largest count as zero.

    Returns
    -------
    dim : int

    Raises
    ------
    ValueError
        Negative degree or unknown coupling.
    """
    where = "equivariant.span_dimension"
    L1, L2, L_out = _degrees(where, L1, L2, L_out)
    tol = check_scalar(tol, "tol", where, min_val=0.0, strict_min=True)
    check_choice(coupling, "coupling", where, ("cg", "gaunt"))
    table = _real_cg if coupling == "cg" else _real_gaunt
    rows = []
    for p in tp_paths(L1, L2, L_out):
        T = np.zeros(((L1 + 1) ** 2, (L2 + 1) ** 2, (L_out + 1) ** 2))
        l1, l2, l3 = p
        T[l1 * l1:(l1 + 1) ** 2, l2 * l2:(l2 + 1) ** 2, l3 * l3:(l3 + 1) ** 2] = table(*p)
        rows.append(T.reshape(-1))
    s = np.linalg.svd(np.stack(rows), compute_uv=False)
    return int(np.sum(s > tol * max(s[0], 1e-300)))
