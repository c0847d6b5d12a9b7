"""Tests of eigenbook.spectral against numpy/scipy/finufft references, properties, bad input."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.fft
import scipy.linalg as sla
from eigenbook import data, spectral, tensors
from hypothesis import given, settings
from hypothesis import strategies as st

RNG = np.random.default_rng(8)


# ------------------------------------------------------------------ conventions, Chebyshev
def test_fft_modes_is_the_centred_order():
    for n in (1, 2, 7, 8):
        np.testing.assert_array_equal(spectral.fft_modes(n),
                                      np.fft.fftshift(np.fft.fftfreq(n, 1 / n)).astype(int))


@pytest.mark.parametrize("type_", [1, 2])
@pytest.mark.parametrize("axis", [0, -1])
def test_dct_matches_scipy(type_, axis):
    x = RNG.standard_normal((9, 6))
    np.testing.assert_allclose(spectral.dct(x, type=type_, axis=axis),
                               scipy.fft.dct(x, type=type_, axis=axis), rtol=1e-12, atol=1e-12)
    z = x + 1j * RNG.standard_normal(x.shape)
    np.testing.assert_allclose(spectral.dct(z, type=type_, axis=axis),
                               scipy.fft.dct(z, type=type_, axis=axis), rtol=1e-12, atol=1e-12)


def test_chebyshev_interpolant_matches_numpy_fit():
    n = 12
    x = np.asarray(spectral.chebyshev_points(n))
    v = np.exp(x) * np.sin(3 * x)
    c = spectral.chebyshev_coefficients(v)
    ref = np.polynomial.chebyshev.chebfit(x, v, n - 1)
    np.testing.assert_allclose(c, ref, atol=1e-12)
    xx = np.linspace(-1, 1, 50)
    np.testing.assert_allclose(spectral.chebyshev_evaluate(c, xx),
                               np.polynomial.chebyshev.chebval(xx, ref), atol=1e-12)
    V = np.stack([v, 2 * v], axis=1)                    # columns independently
    np.testing.assert_allclose(spectral.chebyshev_coefficients(V)[:, 1], 2 * np.asarray(c),
                               atol=1e-12)


def test_chebyshev_points_and_single_point():
    np.testing.assert_allclose(spectral.chebyshev_points(3), [1.0, 0.0, -1.0], atol=1e-15)
    np.testing.assert_array_equal(spectral.chebyshev_points(1), [0.0])


def test_clenshaw_curtis_is_exact_for_polynomials():
    q = spectral.clenshaw_curtis(9)
    for k in range(9):
        exact = 0.0 if k % 2 else 2.0 / (k + 1)
        assert abs(float(q.weights @ q.nodes**k) - exact) < 1e-13
    assert abs(float(spectral.clenshaw_curtis(2).weights.sum()) - 2.0) < 1e-14


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=1, max_size=10), st.floats(-1, 1))
def test_clenshaw_evaluates_chebyshev_series(coeffs, x):
    ref = np.polynomial.chebyshev.chebval(x, coeffs)
    assert abs(float(spectral.chebyshev_evaluate(np.array(coeffs), np.array(x))) - ref) < 1e-10


# ------------------------------------------------------------------ NUFFT
@pytest.mark.parametrize("d,n", [(1, 20), (2, (10, 13)), (3, 6)])
def test_nufft_matches_the_direct_sums(d, n):
    x = RNG.uniform(-np.pi, np.pi, (300, d))
    c = RNG.standard_normal(300) + 1j * RNG.standard_normal(300)
    f = spectral.nufft_type1(x, c, n, eps=1e-10)
    ref = spectral.nudft_type1(x, c, n)
    assert float(jnp.linalg.norm(f - ref) / jnp.linalg.norm(ref)) < 1e-9
    shape = ref.shape
    fk = RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)
    u = spectral.nufft_type2(x, fk, eps=1e-10, isign=1)
    ref2 = spectral.nudft_type2(x, fk, isign=1)
    assert float(jnp.linalg.norm(u - ref2) / jnp.linalg.norm(ref2)) < 1e-9


def test_direct_sums_match_explicit_exponentials():
    x = RNG.uniform(-np.pi, np.pi, (7, 2))
    c = RNG.standard_normal(7)
    k1, k2 = np.meshgrid(spectral.fft_modes(4), spectral.fft_modes(5), indexing="ij")
    ref = (c * np.exp(1j * (k1[..., None] * x[:, 0] + k2[..., None] * x[:, 1]))).sum(-1)
    np.testing.assert_allclose(spectral.nudft_type1(x, c, (4, 5)), ref, atol=1e-12)


def test_nufft_agrees_with_finufft():
    finufft = pytest.importorskip("finufft")
    x = RNG.uniform(-np.pi, np.pi, (2000, 2))
    c = RNG.standard_normal(2000) + 1j * RNG.standard_normal(2000)
    ref = finufft.nufft2d1(x[:, 0].copy(), x[:, 1].copy(), c, (32, 24), eps=1e-12)
    f = spectral.nufft_type1(x, c, (32, 24), eps=1e-12)
    assert float(np.linalg.norm(np.asarray(f) - ref) / np.linalg.norm(ref)) < 1e-10
    fk = RNG.standard_normal((32, 24)) + 0j
    ref2 = finufft.nufft2d2(x[:, 0].copy(), x[:, 1].copy(), fk, eps=1e-12)
    u = spectral.nufft_type2(x, fk, eps=1e-12)
    assert float(np.linalg.norm(np.asarray(u) - ref2) / np.linalg.norm(ref2)) < 1e-10


def test_type2_is_the_adjoint_of_type1():
    x = RNG.uniform(-np.pi, np.pi, (200, 2))
    c = RNG.standard_normal(200) + 1j * RNG.standard_normal(200)
    fk = RNG.standard_normal((8, 8)) + 1j * RNG.standard_normal((8, 8))
    lhs = jnp.vdot(fk, spectral.nufft_type1(x, c, (8, 8), isign=1, eps=1e-12))
    rhs = jnp.vdot(spectral.nufft_type2(x, fk, isign=-1, eps=1e-12), c)
    assert abs(complex(lhs - rhs)) < 1e-9 * abs(complex(lhs))


# ------------------------------------------------------------------ simplices and rasters
@pytest.mark.parametrize("j,d", [(1, 1), (1, 2), (2, 2), (2, 3), (3, 3)])
def test_simplex_transform_matches_quadrature(j, d):
    V = RNG.uniform(-1, 1, (3, j + 1, d))
    om = RNG.uniform(-5, 5, (6, d))
    q = spectral.simplex_quadrature(V, 30)
    ref = (q.weights[None] * jnp.exp(-1j * jnp.einsum("kd,spd->ksp", om, q.nodes))).sum((1, 2))
    for method in ("formula", "expm", "auto"):
        F = spectral.simplex_fourier_transform(V, om, method=method)
        np.testing.assert_allclose(F, ref, rtol=1e-9, atol=1e-11)


def test_simplex_transform_at_degenerate_frequencies():
    tri = np.array([[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]])
    F0 = spectral.simplex_fourier_transform(tri, np.zeros((1, 2)))
    np.testing.assert_allclose(F0, [0.5], atol=1e-14)              # the area
    om = np.array([[3.0, 3.0 + 1e-9]])                              # ω·(x1 - x2) ≈ 0
    q = spectral.simplex_quadrature(tri, 30)
    ref = (q.weights * jnp.exp(-1j * q.nodes @ om[0])).sum()
    np.testing.assert_allclose(spectral.simplex_fourier_transform(tri, om), [ref], atol=1e-12)
    pts = RNG.uniform(-1, 1, (4, 1, 2))                             # 0-simplices: e^{-iω·x}
    np.testing.assert_allclose(spectral.simplex_fourier_transform(pts, om),
                               np.exp(-1j * pts[:, 0] @ om[0]).sum()[None], atol=1e-12)


def test_polygon_pipeline():
    poly = data.random_convex_polygon(9, key=jax.random.key(3))
    tris = spectral.polygon_triangles(poly)
    area = 0.5 * abs(np.sum(poly[:, 0] * np.roll(poly[:, 1], -1)
                            - np.roll(poly[:, 0], -1) * poly[:, 1]))
    F = spectral.simplex_fourier_transform(tris, np.zeros((1, 2)))
    np.testing.assert_allclose(F, [area], rtol=1e-12)
    image = spectral.rasterize_polygon(poly, 256)
    F_img = spectral.image_fourier_coefficients(image, n_modes=5)
    assert F_img.shape == (5, 5)
    assert abs(complex(F_img[2, 2]) - area) < 0.02
    n = 16
    k = np.stack(np.meshgrid(spectral.fft_modes(n), spectral.fft_modes(n), indexing="ij"),
                 -1).reshape(-1, 2)
    I_img = spectral.lowpass_image(spectral.simplex_fourier_transform(tris, np.pi * k)
                                   .reshape(n, n), sigma=0.2)
    assert I_img.shape == (n, n)
    assert abs(float(I_img.sum()) * (2 / n) ** 2 - area) < 1e-10  # mode 0 is kept exactly


def test_random_convex_polygon_is_convex_and_inside():
    p = data.random_convex_polygon(12, key=jax.random.key(0), radius=0.9)
    e = np.roll(p, -1, 0) - p
    cross = e[:, 0] * np.roll(e, -1, 0)[:, 1] - e[:, 1] * np.roll(e, -1, 0)[:, 0]
    assert (cross > 0).all() and np.abs(p).max() <= 0.9


# ------------------------------------------------------------------ kernels and GP solves
def test_spectral_mixture_wiener_khinchin():
    sm = dict(weights=np.array([1.0, 0.4]), means=np.array([1.5, 6.0]),
              scales=np.array([0.3, 0.7]))
    q = spectral.clenshaw_curtis(2049)
    F = 6.0 + 12 * 0.7
    tau = np.linspace(0, 3, 31)
    k_q = F * (q.weights * spectral.spectral_mixture_density(F * q.nodes, **sm)
               * jnp.cos(2 * jnp.pi * F * q.nodes * tau[:, None])).sum(-1)
    np.testing.assert_allclose(k_q, spectral.spectral_mixture_kernel(tau, **sm), atol=1e-11)


def test_kron_gp_solve_matches_dense_cholesky():
    t1, t2 = np.linspace(0, 1, 9), np.linspace(0, 2, 7)
    K1 = np.exp(-0.5 * (t1[:, None] - t1) ** 2 / 0.2**2)
    K2 = np.asarray(spectral.spectral_mixture_kernel(t2[:, None] - t2, weights=[1.0],
                                                     means=[0.5], scales=[0.3]))
    y = RNG.standard_normal(63)
    a = spectral.kron_gp_solve([K1, K2], y, noise=0.05)
    K = np.kron(K1, K2) + 0.05 * np.eye(63)
    np.testing.assert_allclose(a, sla.cho_solve(sla.cho_factor(K), y), rtol=1e-10, atol=1e-12)
    mean = tensors.kron_matvec([K1, K2], a)
    np.testing.assert_allclose(mean, np.kron(K1, K2) @ np.asarray(a), atol=1e-10)


# ------------------------------------------------------------------ bad input
def test_bad_input_names_the_function_and_argument():
    with pytest.raises(ValueError, match=r"spectral.dct\(type=...\)"):
        spectral.dct(np.ones(4), type=3)
    with pytest.raises(ValueError, match=r"spectral.dct\(x=...\)"):
        spectral.dct(np.ones(1), type=1)
    with pytest.raises(ValueError, match=r"spectral.chebyshev_coefficients\(values=...\)"):
        spectral.chebyshev_coefficients(np.ones(1))
    with pytest.raises(ValueError, match=r"spectral.nufft_type1\(points=...\)"):
        spectral.nufft_type1(np.ones((5, 4)), np.ones(5), 8)
    with pytest.raises(ValueError, match=r"spectral.nufft_type1\(strengths=...\)"):
        spectral.nufft_type1(np.ones((5, 2)), np.ones(4), 8)
    with pytest.raises(ValueError, match=r"spectral.nufft_type1\(n_modes=...\)"):
        spectral.nufft_type1(np.ones((5, 2)), np.ones(5), (8, 8, 8))
    with pytest.raises(ValueError, match=r"spectral.nufft_type2\(eps=...\)"):
        spectral.nufft_type2(np.ones((5, 2)), np.ones((4, 4)), eps=0.5)
    with pytest.raises(ValueError, match=r"spectral.nufft_type2\(coefficients=...\)"):
        spectral.nufft_type2(np.ones((5, 2)), np.ones(4))
    with pytest.raises(ValueError, match=r"spectral.simplex_fourier_transform\(vertices=...\)"):
        spectral.simplex_fourier_transform(np.ones((2, 4, 2)), np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"spectral.simplex_fourier_transform\(omega=...\)"):
        spectral.simplex_fourier_transform(np.ones((2, 3, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"spectral.spectral_mixture_kernel\(scales=...\)"):
        spectral.spectral_mixture_kernel(np.ones(3), weights=[1.0], means=[1.0], scales=[0.0])
    with pytest.raises(ValueError, match=r"spectral.kron_gp_solve\(noise=...\)"):
        spectral.kron_gp_solve([np.eye(2)], np.ones(2), noise=0.0)
    with pytest.raises(TypeError, match=r"spectral.kron_gp_solve\(factors=...\)"):
        spectral.kron_gp_solve(np.eye(2), np.ones(2), noise=1.0)
    with pytest.raises(ValueError, match=r"spectral.nudft_type1\(points=...\)"):
        spectral.nudft_type1(np.full((3, 2), np.nan), np.ones(3), 4)
