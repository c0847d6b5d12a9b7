"""Tests for eigenbook.curvature against dense JAX/NumPy/SciPy references, properties, bad input."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg as sla
from eigenbook import curvature, data, eigen, nn
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp

jax.config.update("jax_enable_x64", True)


def _loss(params, batch):
    x, y = batch
    return nn.cross_entropy(nn.mlp(params, x), y)


@pytest.fixture(scope="module")
def problem():
    mix = data.gaussian_mixture(60, 3, dim=4, separation=2.0, key=jax.random.key(0))
    batch = (jnp.asarray(mix.x), jnp.asarray(mix.y))
    params = nn.init_mlp([4, 6, 3], key=jax.random.key(1), dtype=jnp.float64)
    w, unflat = curvature.flatten_params(params)
    H = np.asarray(jax.hessian(lambda w_: _loss(unflat(w_), batch))(w))
    return params, batch, w, unflat, H


def test_hvp_matches_jax_hessian(problem):
    params, batch, w, _, H = problem
    op = curvature.hessian_operator(_loss, params, data=batch)
    assert op.n == w.size == H.shape[0] and op.kind == "hessian"
    Hd = np.asarray(op.matmat(jnp.eye(op.n)))
    np.testing.assert_allclose(Hd, H, atol=1e-12 * np.abs(H).max())
    v = np.random.default_rng(0).standard_normal(op.n)
    np.testing.assert_allclose(np.asarray(op.matmat(jnp.asarray(v))), H @ v, atol=1e-12)


def test_gauss_newton_matches_dense(problem):
    params, (x, y), w, unflat, H = problem
    z = nn.mlp(params, x)
    J = np.asarray(jax.jacobian(lambda w_: nn.mlp(unflat(w_), x))(w))     # (N, C, d)
    p = np.asarray(jax.nn.softmax(z, axis=1))
    Hz = np.stack([np.diag(pi) - np.outer(pi, pi) for pi in p])          # (N, C, C)
    G = np.einsum("ncd,nce,nef->df", J, Hz, J) / x.shape[0]
    op = curvature.gauss_newton_operator(nn.mlp, params, x, y)
    np.testing.assert_allclose(np.asarray(op.matmat(jnp.eye(op.n))), G, atol=1e-12)
    assert np.linalg.eigvalsh(G).min() > -1e-12                         # PSD
    # mse: G = J^T J / N
    ymse = np.zeros((x.shape[0], 3))
    opm = curvature.gauss_newton_operator(nn.mlp, params, x, ymse, loss="mse")
    np.testing.assert_allclose(np.asarray(opm.matmat(jnp.eye(opm.n))),
                               np.einsum("ncd,nce->de", J, J) / x.shape[0], atol=1e-12)


def test_sample_gradients_and_fisher(problem):
    params, (x, y), w, unflat, _ = problem
    G = np.asarray(curvature.sample_gradients(nn.mlp, params, x, y))
    assert G.shape == (x.shape[0], w.size)
    g_mean = np.asarray(jax.grad(lambda w_: _loss(unflat(w_), (x, y)))(w))
    np.testing.assert_allclose(G.mean(0), g_mean, atol=1e-12)
    F = curvature.empirical_fisher_operator(G, damping=0.5)
    np.testing.assert_allclose(np.asarray(F.matmat(jnp.eye(F.n))),
                               0.5 * np.eye(w.size) + G.T @ G / G.shape[0], atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(md=st.sampled_from([(1, 1), (5, 7), (12, 30)]),  # a few shapes: one compilation each
       lam=st.floats(1e-3, 10.0), seed=st.integers(0, 2**16))
def test_mfac_equals_dense_solve(md, lam, seed):
    m, d = md
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((m, d))
    F = lam * np.eye(d) + G.T @ G / m
    state = curvature.mfac_precompute(G, damping=lam)
    X = rng.standard_normal((d, 3))
    ref = sla.solve(F, X, assume_a="pos")
    out = np.asarray(curvature.mfac_ihvp(state, X))
    assert np.linalg.norm(out - ref) <= 1e-9 * np.linalg.norm(ref)
    np.testing.assert_allclose(np.asarray(curvature.mfac_ihvp(state, X[:, 0])), ref[:, 0],
                               rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(np.asarray(curvature.mfac_inverse_diagonal(state)),
                               np.diag(np.linalg.inv(F)), rtol=1e-8)


def test_slq_is_exact_for_low_degree_moments():
    lam = np.linspace(0.0, 5.0, 40)
    A = np.asarray(data.symmetric_with_spectrum(lam, key=jax.random.key(3)).A)
    sd = curvature.slq(A, n_steps=6, n_probes=30, key=jax.random.key(4))
    assert sd.nodes.shape == sd.weights.shape == (30, 6)
    np.testing.assert_allclose(sd.weights.sum(1), 1.0, atol=1e-12)
    # full Krylov space: n steps give the exact spectrum as nodes
    full = curvature.slq(A, n_steps=40, n_probes=1, key=jax.random.key(5))
    np.testing.assert_allclose(np.sort(full.nodes[0]), lam, atol=1e-8)
    # the quadrature of each probe is exact for x^k, k <= 2m - 1; the mean estimates tr(A^k)/n
    for k in (1, 2, 3):
        est = np.mean(np.sum(sd.weights * sd.nodes ** k, axis=1))
        assert abs(est - np.mean(lam ** k)) < 0.25 * np.mean(lam ** k)
    grid = np.linspace(-2, 7, 2001)
    dens = curvature.spectral_density(sd, grid, sigma=0.2)
    assert abs(np.trapezoid(dens, grid) - 1.0) < 1e-3


def test_hutchinson_unbiased_and_exact_on_diagonal():
    D = np.diag(np.arange(1.0, 11.0))
    est = curvature.hutchinson_trace(D, n_probes=5, key=jax.random.key(6))
    assert est.estimate == pytest.approx(55.0) and est.std_error == pytest.approx(0.0, abs=1e-12)
    rng = np.random.default_rng(1)
    B = rng.standard_normal((30, 30))
    A = B + B.T
    est = curvature.hutchinson_trace(A, n_probes=4000, key=jax.random.key(7))
    assert abs(est.estimate - np.trace(A)) < 4 * est.std_error
    # matrix-free, same answer
    est2 = curvature.hutchinson_trace(lambda X: jnp.asarray(A) @ X, n=30, n_probes=4000,
                                      key=jax.random.key(7))
    assert est2.estimate == pytest.approx(est.estimate)


def test_lanczos_on_hvp_operator(problem):
    params, batch, _, _, H = problem
    op = curvature.hessian_operator(_loss, params, data=batch)
    r = eigen.lanczos(op.matmat, 4, n=op.n, key=jax.random.key(8))
    np.testing.assert_allclose(np.sort(np.asarray(r.eigenvalues)), np.linalg.eigvalsh(H)[-4:],
                               atol=1e-8 * np.abs(H).max())


def test_gaussian_mixture_and_cross_entropy():
    mix = data.gaussian_mixture(12, 4, dim=3, separation=5.0, key=jax.random.key(9))
    assert mix.x.shape == (12, 3) and mix.means.shape == (4, 3)
    np.testing.assert_array_equal(np.bincount(mix.y), [3, 3, 3, 3])
    z = np.random.default_rng(2).standard_normal((12, 4))
    ref = np.mean(logsumexp(z, axis=1) - z[np.arange(12), mix.y])
    assert float(nn.cross_entropy(z, mix.y)) == pytest.approx(ref)


def test_bad_input_names_function_and_argument(problem):
    params, batch, *_ = problem
    with pytest.raises(TypeError, match=r"curvature.hessian_operator\(loss"):
        curvature.hessian_operator(3, params, data=batch)
    with pytest.raises(TypeError, match=r"curvature.hessian_operator\(loss"):
        curvature.hessian_operator(lambda p, b: nn.mlp(p, b[0]), params, data=batch)
    with pytest.raises(ValueError, match=r"curvature.mfac_precompute\(damping"):
        curvature.mfac_precompute(np.ones((2, 3)), damping=0.0)
    with pytest.raises(ValueError, match=r"curvature.mfac_precompute\(G"):
        curvature.mfac_precompute(np.full((2, 3), np.nan), damping=1.0)
    state = curvature.mfac_precompute(np.ones((2, 3)), damping=1.0)
    with pytest.raises(ValueError, match=r"curvature.mfac_ihvp\(x"):
        curvature.mfac_ihvp(state, np.ones(4))
    with pytest.raises(ValueError, match=r"curvature.gauss_newton_operator\(y"):
        curvature.gauss_newton_operator(nn.mlp, params, batch[0], batch[1][:-1])
    with pytest.raises(ValueError, match=r"curvature.slq\(n_steps"):
        curvature.slq(np.eye(3), n_steps=4, n_probes=1, key=jax.random.key(0))
