"""Tests of eigenbook.tensors beyond CP: unfoldings, Tucker, TT, Kronecker, Chebyshev–Tucker, GP."""

import warnings

import eigenbook
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg as sla
import tensorly as tl
from eigenbook import data, tensors
from hypothesis import given, settings
from hypothesis import strategies as st


def _rand(key, shape):
    return jax.random.normal(key, shape)


# -- unfoldings and mode products ------------------------------------------------------------
def test_unfold_matches_tensorly_and_fold_inverts(getkey):
    T = _rand(getkey(), (3, 4, 5))
    for k in range(3):
        np.testing.assert_array_equal(tensors.unfold(T, k), tl.base.unfold(np.asarray(T), k))
        np.testing.assert_array_equal(tensors.fold(tensors.unfold(T, k), k, T.shape), T)


@settings(max_examples=15, deadline=None)
@given(mode=st.integers(0, 2), m=st.integers(1, 4), seed=st.integers(0, 1000))
def test_mode_product_is_a_matrix_product_of_the_unfolding(mode, m, seed):
    key = jax.random.key(seed)
    T = _rand(key, (2, 3, 4))
    M = _rand(jax.random.fold_in(key, 1), (m, T.shape[mode]))
    P = tensors.mode_product(T, M, mode)
    np.testing.assert_allclose(tensors.unfold(P, mode), M @ tensors.unfold(T, mode), atol=1e-12)
    np.testing.assert_allclose(P, tl.tenalg.mode_dot(np.asarray(T), np.asarray(M), mode),
                               atol=1e-12)


# -- Tucker ----------------------------------------------------------------------------------
def test_hosvd_is_exact_on_a_low_multilinear_rank_tensor(getkey):
    G = _rand(getkey(), (2, 3, 2))
    Us = [np.linalg.qr(np.asarray(_rand(getkey(), (n, r))))[0] for n, r in ((6, 2), (7, 3), (5, 2))]
    T = tensors.tucker_to_tensor(G, Us)
    ho = tensors.hosvd(T, (2, 3, 2))
    assert ho.relative_error < 1e-13
    for U in ho.factors:
        np.testing.assert_allclose(U.T @ U, np.eye(U.shape[1]), atol=1e-13)
    assert tensors.hosvd(T, eps=1e-8).core.shape == (2, 3, 2)


def test_hosvd_eps_bound_and_hooi_improves_and_matches_tensorly(getkey):
    T = _rand(getkey(), (8, 9, 10))
    ho = tensors.hosvd(T, eps=0.5)
    assert ho.relative_error <= 0.5
    ranks = (3, 3, 3)
    h0, h1 = tensors.hosvd(T, ranks), tensors.hooi(T, ranks, max_steps=200, tol=1e-12)
    assert h1.relative_error <= h0.relative_error + 1e-12
    ref = tl.decomposition.tucker(np.asarray(T), rank=list(ranks), tol=1e-12, n_iter_max=200)
    ref_err = np.linalg.norm(tl.tucker_to_tensor(ref) - np.asarray(T)) / np.linalg.norm(T)
    assert abs(h1.relative_error - ref_err) < 1e-6
    assert h1.converged


def test_hooi_warns_when_capped(getkey):
    T = _rand(getkey(), (8, 9, 10))
    with pytest.warns(eigenbook.ConvergenceWarning, match="tensors.hooi"):
        res = tensors.hooi(T, 3, max_steps=1, tol=1e-15)
    assert not res.converged


def test_multilinear_singular_values_and_eps_ranks(getkey):
    T = _rand(getkey(), (4, 5, 6))
    sv = tensors.multilinear_singular_values(T)
    ref = np.linalg.svd(tl.base.unfold(np.asarray(T), 1), compute_uv=False)
    np.testing.assert_allclose(sv[1], ref, rtol=1e-12)
    for eps in (0.9, 0.3, 1e-3):
        assert tensors.tucker_eps_ranks(sv, eps) == tensors.hosvd(T, eps=eps).core.shape


# -- tensor trains ---------------------------------------------------------------------------
def test_tt_svd_matches_tensorly_and_contracts_back(getkey):
    T = _rand(getkey(), (4, 5, 6, 3))
    tt = tensors.tt_svd(T, max_rank=3)
    ref = tl.decomposition.tensor_train(np.asarray(T), rank=[1, 3, 3, 3, 1])
    ref_err = np.linalg.norm(tl.tt_to_tensor(ref) - np.asarray(T)) / np.linalg.norm(T)
    assert abs(tt.relative_error - ref_err) < 1e-12
    exact = tensors.tt_svd(T, eps=1e-12)
    np.testing.assert_allclose(tensors.tt_to_tensor(exact.cores), T, atol=1e-12)
    assert exact.ranks[0] == exact.ranks[-1] == 1


def test_tt_ranks_of_a_sine_of_a_sum():
    x = jnp.linspace(0, 1, 5)
    S = jnp.sin(sum(jnp.meshgrid(*([x] * 5), indexing="ij")))
    assert max(tensors.tt_svd(S, eps=1e-10).ranks) == 2


# -- Kronecker -------------------------------------------------------------------------------
def test_kron_matvec_solve_and_kron_sum_solve_against_dense(getkey):
    A = _rand(getkey(), (3, 4))
    B = _rand(getkey(), (5, 2))
    x = _rand(getkey(), (8,))
    np.testing.assert_allclose(tensors.kron_matvec([A, B], x), np.kron(A, B) @ x, atol=1e-12)
    C = _rand(getkey(), (4, 4)) + 4 * jnp.eye(4)
    D = _rand(getkey(), (3, 3)) + 4 * jnp.eye(3)
    b = _rand(getkey(), (12,))
    np.testing.assert_allclose(tensors.kron_solve([C, D], b), np.linalg.solve(np.kron(C, D), b),
                               atol=1e-12)
    S1 = C @ C.T
    S2 = D @ D.T
    dense = np.kron(S1, np.eye(3)) + np.kron(np.eye(4), S2) + 0.5 * np.eye(12)
    np.testing.assert_allclose(tensors.kron_sum_solve([S1, S2], b, shift=0.5),
                               np.linalg.solve(dense, b), atol=1e-12)
    # d = 2 without shift is the Sylvester equation S1 X + X S2 = B
    X = tensors.kron_sum_solve([S1, S2], b).reshape(4, 3)
    np.testing.assert_allclose(X, sla.solve_sylvester(S1, S2.T, np.asarray(b).reshape(4, 3)),
                               atol=1e-12)


# -- Chebyshev–Tucker ------------------------------------------------------------------------
def test_chebyshev_tensor_matches_numpy_in_1d_and_is_exact_on_polynomials():
    f = lambda x: np.exp(x)  # noqa: E731
    ct = tensors.chebyshev_tensor(lambda x: jnp.exp(x), 12, d=1)
    ref = np.polynomial.chebyshev.chebinterpolate(f, 11)
    np.testing.assert_allclose(ct.coefficients, ref, atol=1e-14)
    poly = tensors.chebyshev_tensor(lambda x, y: x**2 * y, 4, d=2)
    assert np.abs(np.asarray(poly.coefficients)).round(12).nonzero()[0].size == 2  # T0 T1, T2 T1
    V = tensors.chebyshev_vandermonde(jnp.linspace(-1, 1, 7), 5)
    np.testing.assert_allclose(V, np.polynomial.chebyshev.chebvander(np.linspace(-1, 1, 7), 4),
                               atol=1e-14)


def test_chebtucker_reproduces_a_smooth_function_on_a_fine_grid():
    f = lambda x, y, z: 1.0 / (2.5 + x + 0.5 * y - 0.3 * z)  # noqa: E731
    ct = tensors.chebtucker(f, 24, eps=1e-8, domain=(-1.0, 1.0))
    g = jnp.linspace(-1, 1, 17)
    F = f(*jnp.meshgrid(g, g, g, indexing="ij"))
    err = float(jnp.max(jnp.abs(tensors.chebtucker_evaluate(ct, [g] * 3) - F))
                / jnp.max(jnp.abs(F)))
    assert err < 1e-6
    assert max(ct.ranks) < 24


def test_long_range_potential_is_smooth_at_the_charges():
    f = data.long_range_potential(jnp.zeros((1, 3)), jnp.ones(1), sigma=0.5)
    v0 = float(f(jnp.zeros(1), jnp.zeros(1), jnp.zeros(1))[0])
    v1 = float(f(jnp.full(1, 1e-5), jnp.zeros(1), jnp.zeros(1))[0])
    assert abs(v0 - 2 / (0.5 * np.sqrt(np.pi))) < 1e-12 and abs(v0 - v1) < 1e-8


# -- GP factors ------------------------------------------------------------------------------
def test_state_space_gp_equals_dense_gp_with_scales_and_unsorted_inputs(getkey):
    t = jax.random.uniform(getkey(), (60,))
    y = jnp.sin(8 * t) + 0.1 * _rand(getkey(), (60,))
    s = jnp.where(jnp.arange(60) % 7 == 0, 0.0, 1.0 + 0.5 * jnp.cos(t))  # s = 0: prediction point
    noise = 0.01 + 0.01 * jax.random.uniform(getkey(), (60,))
    a = tensors.gp_state_space(t, y, lengthscale=0.2, variance=1.3, noise=noise, scale=s)
    b = tensors.gp_dense(t, y, lengthscale=0.2, variance=1.3, noise=noise, scale=s)
    np.testing.assert_allclose(a.mean, b.mean, atol=1e-10)
    np.testing.assert_allclose(a.variance, b.variance, atol=1e-10)


def test_dense_gp_matches_sklearn(getkey):
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import Matern

    t = np.asarray(jax.random.uniform(getkey(), (30,)))
    y = np.sin(6 * t)
    gpr = GaussianProcessRegressor(Matern(length_scale=0.3, nu=1.5), alpha=0.05, optimizer=None)
    gpr.fit(t[:, None], y)
    ours = tensors.gp_dense(t, y, lengthscale=0.3, noise=0.05)
    np.testing.assert_allclose(ours.mean, gpr.predict(t[:, None]), atol=1e-10)
    np.testing.assert_allclose(tensors.matern32_kernel(np.array([0.0, 0.3]), lengthscale=0.3),
                               Matern(length_scale=0.3, nu=1.5)(np.array([[0.0], [0.3]]))[0],
                               atol=1e-14)


def test_functional_tucker_fits_rank_one_data(getkey):
    d = data.continuous_rank1_data(400, 100, key=getkey(), noise=0.02)
    fun = tensors.functional_tucker(d.train_indices, d.train_y, d.test_indices, lengthscale=0.1,
                                    noise=0.02**2, n_iter=10)
    rmse = float(jnp.sqrt(jnp.mean((fun.test_prediction - d.test_y) ** 2)))
    assert rmse < 0.1 * float(jnp.std(d.test_y))


def test_cp_tensor_has_the_stated_rank_and_noise(getkey):
    lt = data.cp_tensor((6, 7, 8), 3, key=getkey(), noise=1e-3)
    assert tensors.hosvd(lt.clean, eps=1e-10).core.shape == (3, 3, 3)
    rel = float(jnp.linalg.norm(lt.T - lt.clean) / jnp.linalg.norm(lt.clean))
    assert abs(rel - 1e-3) < 1e-12


# -- bad input -------------------------------------------------------------------------------
def test_bad_input_names_the_function_and_argument():
    T = jnp.ones((3, 4, 5))
    with pytest.raises(ValueError, match=r"tensors.unfold\(mode=...\)"):
        tensors.unfold(T, 3)
    with pytest.raises(ValueError, match=r"tensors.mode_product\(M=...\)"):
        tensors.mode_product(T, jnp.ones((2, 5)), 0)
    with pytest.raises(ValueError, match=r"tensors.hosvd\(ranks=...\)"):
        tensors.hosvd(T, 2, eps=0.1)
    with pytest.raises(ValueError, match=r"tensors.hosvd\(ranks=...\)"):
        tensors.hosvd(T, (2, 2, 9))
    with pytest.raises(ValueError, match=r"tensors.hooi\(T=...\)"):
        bad = np.ones((3, 4, 5))
        bad[0, 0, 0] = np.nan
        tensors.hooi(bad, 2)
    with pytest.raises(TypeError, match=r"tensors.hooi\(T=...\)"):
        tensors.hooi("abc", 2)
    with pytest.raises(ValueError, match=r"tensors.tt_svd\(max_rank=...\)"):
        tensors.tt_svd(T, max_rank=0)
    with pytest.raises(TypeError, match=r"tensors.hooi\(ranks=...\)"):
        tensors.hooi(T, None)
    with pytest.raises(TypeError, match=r"tensors.tucker_to_tensor\(factors=...\)"):
        tensors.tucker_to_tensor(jnp.ones((1, 1, 1)), 3)
    with pytest.raises(ValueError, match=r"tensors.chebtucker\(d=...\)"):
        tensors.chebtucker(lambda x: x, 4, eps=0.1, d=0)
    with pytest.raises(TypeError, match=r"tensors.gp_dense\(noise=...\)"):
        tensors.gp_dense(jnp.ones(3), jnp.ones(3), lengthscale=1.0, noise="0.1")
    with pytest.raises(ValueError, match=r"tensors.tt_to_tensor\(cores=...\)"):
        tensors.tt_to_tensor([jnp.ones((1, 2, 2)), jnp.ones((3, 2, 1))])
    with pytest.raises(ValueError, match=r"tensors.kron_solve\(b=...\)"):
        tensors.kron_solve([jnp.eye(2), jnp.eye(3)], jnp.ones(5))
    with pytest.raises(TypeError, match=r"tensors.kron_matvec\(factors=...\)"):
        tensors.kron_matvec(jnp.eye(2), jnp.ones(2))
    with pytest.raises(ValueError, match=r"tensors.kron_sum_solve\(factors=...\)"):
        tensors.kron_sum_solve([jnp.triu(jnp.ones((2, 2)))], jnp.ones(2))
    with pytest.raises(ValueError, match=r"tensors.chebyshev_tensor\(f=...\)"):
        tensors.chebyshev_tensor(lambda x, y: x[0], 4, d=2)
    with pytest.raises(ValueError, match=r"tensors.chebyshev_tensor\(domain=...\)"):
        tensors.chebyshev_tensor(lambda x: x, 4, d=1, domain=(1.0, 0.0))
    with pytest.raises(ValueError, match=r"tensors.gp_state_space\(y=...\)"):
        tensors.gp_state_space(jnp.ones(3), jnp.ones(4), lengthscale=1.0)
    with pytest.raises(ValueError, match=r"tensors.gp_dense\(noise=...\)"):
        tensors.gp_dense(jnp.ones(3), jnp.ones(3), lengthscale=1.0, noise=0.0)
    with pytest.raises(ValueError, match=r"tensors.functional_tucker\(test_indices=...\)"):
        tensors.functional_tucker(jnp.ones((3, 2)), jnp.ones(3), jnp.ones((2, 3)), lengthscale=1.0,
                                  noise=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tensors.hosvd(T, 1)  # no warning on valid input


def test_no_ranks_is_the_exact_decomposition():
    # neither ranks nor eps: the full multilinear ranks / the exact train (TensorLy's rank=None)
    T = np.random.default_rng(3).standard_normal((3, 4, 2))
    tk = tensors.hosvd(T)
    assert tk.core.shape == (3, 4, 2) and tk.relative_error < 1e-12
    tt = tensors.tt_svd(T)
    assert tt.ranks == (1, 3, 2, 1) and tt.relative_error < 1e-12
