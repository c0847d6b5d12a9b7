"""Tests for eigenbook.operators and the neural-operator data (chapter 09)."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
import scipy.fft
from eigenbook import data, nn, operators, tensors
from eigenbook.operators import _fourier, _t1
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

RNG = np.random.default_rng(9)


def _weights(k, ci, co, seed=0):
    r = np.random.default_rng(seed)
    return r.standard_normal((k, ci, co)) + 1j * r.standard_normal((k, ci, co))


# ------------------------------------------------------------------ spectral convolution
@pytest.mark.parametrize("n", [16, 17, 32])
def test_spectral_conv_matches_dense_matrix(n):
    W = _weights(n // 2 + 1 if n % 2 == 0 else 6, 3, 2)
    x = RNG.standard_normal((4, n, 3))
    y = np.asarray(operators.spectral_conv1d(x, W))
    M = operators.spectral_conv_matrix(W, n)
    np.testing.assert_allclose(y.reshape(4, -1), x.reshape(4, -1) @ M, atol=1e-12)


def test_spectral_conv_matches_numpy_fft():
    W = _weights(5, 2, 3)
    x = RNG.standard_normal((3, 20, 2))
    xh = np.fft.rfft(x, axis=1, norm="forward")[:, :5]
    ref = np.fft.irfft(np.einsum("bmi,mio->bmo", xh, W), 20, axis=1, norm="forward")
    np.testing.assert_allclose(np.asarray(operators.spectral_conv1d(x, W)), ref, atol=1e-12)


def test_spectral_conv_resolution_invariance():
    W = _weights(6, 2, 2)
    m = np.arange(1, 5)
    c = RNG.standard_normal((4, 2)) + 1j * RNG.standard_normal((4, 2))

    def f(n):
        x = np.arange(n) / n
        ph = 2 * np.pi * m[:, None] * x
        return (np.einsum("mc,mx->xc", c.real, np.cos(ph))
                + np.einsum("mc,mx->xc", c.imag, np.sin(ph)))[None]

    y32 = np.asarray(operators.spectral_conv1d(f(32), W))[0]
    y96 = np.asarray(operators.spectral_conv1d(f(96), W))[0]
    np.testing.assert_allclose(y96[::3], y32, atol=1e-12)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 31), st.floats(-3, 3))
def test_spectral_conv_is_shift_equivariant_and_linear(shift, a):
    W = _weights(7, 2, 2, seed=3)
    x = np.random.default_rng(shift).standard_normal((2, 32, 2))
    y = np.asarray(operators.spectral_conv1d(x, W))
    ys = np.asarray(operators.spectral_conv1d(np.roll(x, shift, axis=1), W))
    np.testing.assert_allclose(ys, np.roll(y, shift, axis=1), atol=1e-11)
    np.testing.assert_allclose(np.asarray(operators.spectral_conv1d(a * x, W)), a * y, atol=1e-11)


def test_spectral_conv_compiles_once_per_shape():
    W = _weights(4, 2, 2)
    operators.spectral_conv1d(RNG.standard_normal((2, 16, 2)), W)
    before = _fourier._spectral_conv_impl._cache_size()
    for _ in range(4):
        operators.spectral_conv1d(RNG.standard_normal((2, 16, 2)), _weights(4, 2, 2, seed=5))
    assert _fourier._spectral_conv_impl._cache_size() == before


def test_spectral_conv_bad_input():
    W = _weights(4, 2, 2)
    with pytest.raises(ValueError, match=r"operators\.spectral_conv1d\(x=.*channels"):
        operators.spectral_conv1d(RNG.standard_normal((2, 16, 3)), W)
    with pytest.raises(ValueError, match=r"operators\.spectral_conv1d\(x=.*n_modes"):
        operators.spectral_conv1d(RNG.standard_normal((2, 4, 2)), W)
    with pytest.raises(ValueError, match=r"operators\.spectral_conv1d\(x=.*NaN"):
        operators.spectral_conv1d(np.full((1, 16, 2), np.nan), W)
    with pytest.raises(TypeError, match=r"operators\.spectral_conv1d\(x=.*real"):
        operators.spectral_conv1d(np.ones((1, 16, 2)) + 1j, W)
    with pytest.raises(ValueError, match=r"operators\.spectral_conv_matrix\(n=.*n_modes"):
        operators.spectral_conv_matrix(W, 4)


# ------------------------------------------------------------------ FNO / TFNO
ARCH = dict(width=6, n_modes=5, n_layers=3)


def test_fno_shapes_grid_independence_and_jit(getkey):
    p = operators.init_fno(2, 1, key=getkey(), **ARCH)
    assert p["spectral_re"].shape == (3, 5, 6, 6)
    for n in (16, 40):
        assert operators.fno(p, RNG.standard_normal((3, n, 2))).shape == (3, n, 1)
    before = _fourier._fno_forward._cache_size()
    operators.fno(p, RNG.standard_normal((3, 16, 2)))
    assert _fourier._fno_forward._cache_size() == before
    # the spectral layers reproduce spectral_conv1d: a one-layer FNO with identity maps
    assert operators.count_parameters(p) == sum(int(np.prod(np.shape(x)))
                                                for x in jax.tree.leaves(p))


def test_tfno_reconstruction_matches_tensors_tucker(getkey):
    p = operators.init_tfno(2, 1, key=getkey(), rank=0.3, **ARCH)
    W = np.asarray(_fourier._tucker_weights(p["core_re"], p["core_im"], list(p["factors"])))
    ref_re = tensors.tucker_to_tensor(p["core_re"], p["factors"])
    ref_im = tensors.tucker_to_tensor(p["core_im"], p["factors"])
    np.testing.assert_allclose(W.real, ref_re, atol=1e-12)
    np.testing.assert_allclose(W.imag, ref_im, atol=1e-12)
    dense = 2 * 3 * 5 * 6 * 6
    tucker = operators.count_parameters([p["core_re"], p["core_im"], p["factors"]])
    assert tucker <= 0.3 * dense


def test_tfno_full_rank_equals_fno_with_its_weights(getkey):
    p = operators.init_tfno(2, 1, key=getkey(), rank=1.0, **ARCH)
    # ranks are full only if the budget allows it; build the FNO from the reconstruction
    W = _fourier._tucker_weights(p["core_re"], p["core_im"], list(p["factors"]))
    q = {k: p[k] for k in ("lift", "skip_w", "skip_b", "proj")}
    q["spectral_re"], q["spectral_im"] = jnp.real(W), jnp.imag(W)
    x = RNG.standard_normal((2, 16, 2))
    np.testing.assert_allclose(np.asarray(operators.tfno(p, x)), np.asarray(operators.fno(q, x)),
                               atol=1e-12)


def test_fno_trains_with_nn_fit(getkey):
    x = RNG.standard_normal((8, 16, 1))
    y = np.asarray(operators.spectral_conv1d(x, _weights(3, 1, 1)))
    p = operators.init_fno(1, 1, key=getkey(), **ARCH)

    def loss(p, d):
        return jnp.mean((operators.fno(p, d[0]) - d[1]) ** 2)

    res = nn.fit(loss, p, optax.adam(1e-2), n_steps=60, data=(x, y))
    assert float(res.losses[-1]) < 0.2 * float(res.losses[0])


def test_fno_bad_input(getkey):
    p = operators.init_fno(2, 1, key=getkey(), **ARCH)
    with pytest.raises(TypeError, match=r"operators\.fno\(params="):
        operators.fno([1, 2], np.ones((1, 16, 2)))
    with pytest.raises(ValueError, match=r"operators\.fno\(x=.*grid points"):
        operators.fno(p, np.ones((1, 4, 2)))
    with pytest.raises(ValueError, match=r"operators\.fno\(x=.*shape"):
        operators.fno(p, np.ones((16, 2)))
    with pytest.raises(ValueError, match=r"operators\.init_tfno\(rank="):
        operators.init_tfno(2, 1, key=getkey(), rank=1.5, **ARCH)
    with pytest.raises(TypeError, match=r"operators\.init_fno\(key="):
        operators.init_fno(2, 1, key=0, **ARCH)


# ------------------------------------------------------------------ DeepONet
def test_deeponet_matches_manual_formula(getkey):
    p = operators.init_deeponet(7, 5, key=getkey(), branch_hidden=(6,), trunk_hidden=(4, 4))
    u, y = RNG.standard_normal((3, 7)), RNG.uniform(size=(9, 1))
    b = nn.mlp(p["branch"], u, activation=jnp.tanh)
    t = jnp.tanh(nn.mlp(p["trunk"], y, activation=jnp.tanh))
    np.testing.assert_allclose(np.asarray(operators.deeponet(p, u, y)),
                               np.asarray(b @ t.T + p["bias"]), atol=1e-12)
    with pytest.raises(ValueError, match=r"operators\.deeponet\(u=.*n_sensors"):
        operators.deeponet(p, RNG.standard_normal((3, 6)), y)
    with pytest.raises(ValueError, match=r"operators\.deeponet\(y=.*coordinate_dim"):
        operators.deeponet(p, u, RNG.uniform(size=(9, 2)))


# ------------------------------------------------------------------ T1
def test_t1_matches_scipy_dct_pipeline(getkey):
    p = operators.init_t1(2, 3, width=4, n_modes=6, n_layers=2, key=getkey())
    x = RNG.standard_normal((2, 20, 2))
    z = scipy.fft.dct(x, type=2, axis=1, norm="ortho")[:, :6].reshape(2, 12)
    h = np.asarray(nn.mlp(p, z))
    zh = np.zeros((2, 20, 3))
    zh[:, :6] = h.reshape(2, 6, 3)
    ref = scipy.fft.idct(zh, type=2, axis=1, norm="ortho")
    np.testing.assert_allclose(np.asarray(operators.t1(p, x, in_channels=2)), ref, atol=1e-12)
    m = np.asarray(operators.t1_layer_moments(p, x, in_channels=2))
    np.testing.assert_allclose(m[-1], np.mean(ref**2) / np.mean(x**2), rtol=1e-10)


def test_t1_variance_preserving_init_keeps_the_scale(getkey):
    x = np.stack([data.periodic_grf(16, 64, key=getkey()) for _ in range(16)], axis=-1)
    vp = operators.init_t1(16, 16, width=16, n_modes=16, n_layers=6, key=getkey())
    sp = operators.init_t1(16, 16, width=16, n_modes=16, n_layers=6, key=getkey(),
                           init="spatial")
    r_vp = float(operators.t1_layer_moments(vp, x, in_channels=16)[-1])
    r_sp = float(operators.t1_layer_moments(sp, x, in_channels=16)[-1])
    assert 0.4 < r_vp < 2.5
    assert r_sp > 1e4


def test_dct_truncate_against_scipy():
    x = RNG.standard_normal((3, 24))
    c = scipy.fft.dct(x, type=2, axis=1, norm="ortho")
    c[:, 5:] = 0
    np.testing.assert_allclose(np.asarray(operators.dct_truncate(x, 5)),
                               scipy.fft.idct(c, type=2, axis=1, norm="ortho"), atol=1e-12)
    np.testing.assert_allclose(np.asarray(operators.dct_truncate(x, 24)), x, atol=1e-12)
    f = np.fft.rfft(x, axis=1)
    f[:, 3:] = 0
    np.testing.assert_allclose(np.asarray(operators.dct_truncate(x, 5, basis="fft")),
                               np.fft.irfft(f, 24, axis=1), atol=1e-12)
    with pytest.raises(ValueError, match=r"operators\.dct_truncate\(n_modes="):
        operators.dct_truncate(x, 25)
    with pytest.raises(TypeError, match=r"operators\.t1\(params="):
        operators.t1("nope", np.ones((1, 8, 1)), in_channels=1)
    assert _t1._INITS == ("variance_preserving", "spatial")


# ------------------------------------------------------------------ LSM
def test_lsm_block_shapes_and_linear_flops(getkey):
    p = operators.init_lsm_block(4, n_tokens=3, n_basis=2, key=getkey())
    x = RNG.standard_normal((2, 10, 4))
    assert operators.lsm_block(p, x).shape == (2, 10, 4)
    assert operators.self_attention(p, x).shape == (2, 10, 4)
    B = np.asarray(operators.latent_basis(np.array([0.25]), 2))
    np.testing.assert_allclose(B[0], [np.sin(np.pi / 4), np.sin(np.pi / 2),
                                      np.cos(np.pi / 4), np.cos(np.pi / 2)], atol=1e-15)


def test_latent_basis_fit_converges_for_analytic_maps():
    z = np.linspace(-0.5, 0.5, 201)
    e = [operators.latent_basis_fit(z, np.exp(z), n_basis=k).max_error for k in (2, 6, 10)]
    assert e[2] < 1e-6 < e[0]
    fit = operators.latent_basis_fit(z, np.sin(np.pi * z), n_basis=3)
    np.testing.assert_allclose(fit.coefficients[0], 1.0, atol=1e-10)
    with pytest.raises(ValueError, match=r"operators\.latent_basis_fit\(z=.*\[-1, 1\]"):
        operators.latent_basis_fit(2 * z + 0.1, z, n_basis=2)


# ------------------------------------------------------------------ data
def test_burgers_matches_solve_ivp():
    u0 = data.periodic_grf(1, 32, key=jax.random.key(1))[0]
    ivp = solve_ivp(lambda t, u: data.burgers_rhs(u, nu=0.05), (0, 0.5), u0, method="DOP853",
                    rtol=1e-12, atol=1e-12)
    errs = []
    for n_steps in (100, 200):
        u = np.asarray(data.burgers_1d(u0, nu=0.05, t_final=0.5, n_steps=n_steps).u[-1])
        errs.append(np.max(np.abs(u - ivp.y[:, -1])))
    assert errs[1] < 1e-8
    assert errs[0] / errs[1] > 10  # fourth order: 16 in theory


def test_burgers_saves_and_batches():
    u0 = data.periodic_grf(3, 16, key=jax.random.key(2))
    sol = data.burgers_1d(u0, nu=0.1, n_steps=20, n_save=4)
    assert sol.u.shape == (3, 4, 16) and np.allclose(sol.t, [0.25, 0.5, 0.75, 1.0])
    one = data.burgers_1d(u0[1], nu=0.1, n_steps=20, n_save=4).u
    np.testing.assert_allclose(np.asarray(one), np.asarray(sol.u[1]), atol=1e-13)
    # the mean is conserved
    np.testing.assert_allclose(np.asarray(sol.u).mean(-1),
                               np.broadcast_to(u0.mean(-1)[:, None], (3, 4)), atol=1e-12)
    with pytest.raises(ValueError, match=r"data\.burgers_1d\(n_steps=.*multiple"):
        data.burgers_1d(u0, nu=0.1, n_steps=10, n_save=4)
    with pytest.raises(ValueError, match=r"data\.burgers_1d\(nu="):
        data.burgers_1d(u0, nu=0.0)


def test_periodic_grf_spectrum():
    u = data.periodic_grf(4000, 32, key=jax.random.key(3), alpha=2.0, tau=5.0)
    lam = 625.0 * (4 * np.pi**2 * np.arange(16) ** 2 + 25.0) ** -2.0
    var = np.var(u, axis=0).mean()
    np.testing.assert_allclose(var, lam[0] + 2 * lam[1:].sum(), rtol=0.06)


def test_antiderivative_data_is_the_integral():
    d = data.antiderivative_data(3, key=jax.random.key(4), n_sensors=101, n_points=101)
    assert d.u.shape == (3, 101) and d.s.shape == (3, 101)
    np.testing.assert_allclose(d.s[:, 0], 0.0)
    # s' = u: central differences of s at the (shared) grid points
    ds = np.gradient(d.s, d.y, axis=1, edge_order=2)
    np.testing.assert_allclose(ds, d.u, atol=5e-3)
    x = np.linspace(0, 1, 50)
    g = data.grf_samples(x, 2000, length_scale=0.2, key=jax.random.key(5))
    emp = np.cov(g[:, [0, 10]].T)[0, 1]
    np.testing.assert_allclose(emp, np.exp(-0.5 * (x[10] / 0.2) ** 2), atol=0.08)
