"""Tests for eigenbook.spd against numpy/scipy and pyriemann references, and properties."""

import warnings

import jax
import numpy as np
import pytest
import scipy.linalg as sla
from eigenbook import ConvergenceWarning, data, spd
from hypothesis import given, settings
from hypothesis import strategies as st

warnings.filterwarnings("ignore", category=DeprecationWarning, module="pyriemann")


def _spd(rng, n, cond=10.0):
    Q = np.linalg.qr(rng.standard_normal((n, n)))[0]
    return (Q * np.geomspace(1.0, cond, n)) @ Q.T


def _batch(seed, N=6, n=4, spread=0.5):
    rng = np.random.default_rng(seed)
    C = _spd(rng, n)
    out = []
    for _ in range(N):
        S = rng.standard_normal((n, n)) * spread
        out.append(np.asarray(spd.exp_map(C, (S + S.T) / 2)))
    return np.stack(out)


@pytest.fixture(scope="module")
def pair():
    rng = np.random.default_rng(0)
    return _spd(rng, 5, 30.0), _spd(rng, 5, 5.0)


# -- matrix functions ------------------------------------------------------------------------

def test_matrix_functions_match_scipy(pair):
    A, _ = pair
    np.testing.assert_allclose(spd.sqrtm(A), sla.sqrtm(A).real, atol=1e-12)
    np.testing.assert_allclose(spd.logm(A), sla.logm(A).real, atol=1e-11)
    np.testing.assert_allclose(spd.invsqrtm(A), np.linalg.inv(sla.sqrtm(A).real), atol=1e-12)
    S = (A - A.T + A + A.T) / 20
    S = (S + S.T) / 2
    np.testing.assert_allclose(spd.expm(S), sla.expm(S), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(spd.powm(A, 0.3), sla.fractional_matrix_power(A, 0.3).real,
                               atol=1e-11)


def test_batched_functions_match_loop():
    X = _batch(1)
    L = np.asarray(spd.logm(X))
    for i in range(len(X)):
        np.testing.assert_allclose(L[i], sla.logm(X[i]).real, atol=1e-11)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**16), st.floats(-2.0, 2.0))
def test_power_laws(seed, p):
    A = _spd(np.random.default_rng(seed), 4, 50.0)
    np.testing.assert_allclose(np.asarray(spd.powm(A, p)) @ np.asarray(spd.powm(A, -p)),
                               np.eye(4), atol=1e-9)
    np.testing.assert_allclose(spd.expm(spd.logm(A)), A, rtol=1e-10, atol=1e-10)


# -- distances and maps ----------------------------------------------------------------------

def test_distances_match_pyriemann(pair):
    from pyriemann.geometry.distance import (
        distance_logeuclid,
        distance_riemann,
        distance_wasserstein,
    )
    A, B = pair
    assert abs(float(spd.distance(A, B)) - distance_riemann(A, B)) < 1e-10
    assert abs(float(spd.distance(A, B, metric="log_euclidean"))
               - distance_logeuclid(A, B)) < 1e-10
    assert abs(float(spd.distance(A, B, metric="bw")) - distance_wasserstein(A, B)) < 1e-10


def test_distance_broadcasts_over_a_batch():
    X = _batch(2)
    d = np.asarray(spd.distance(X[0], X))
    assert d.shape == (len(X),) and abs(d[0]) < 1e-7
    np.testing.assert_allclose(d[1:], [float(spd.distance(X[0], Y)) for Y in X[1:]], atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**16))
def test_airm_is_affine_invariant(seed):
    rng = np.random.default_rng(seed)
    A, B = _spd(rng, 4), _spd(rng, 4)
    W = rng.standard_normal((4, 4)) + 3 * np.eye(4)
    d1 = float(spd.distance(A, B))
    d2 = float(spd.distance(W @ A @ W.T, W @ B @ W.T))
    assert abs(d1 - d2) < 1e-8 * max(1.0, d1)


@pytest.mark.parametrize("metric", spd.METRICS)
def test_geodesic_midpoint_halves_the_distance(pair, metric):
    A, B = pair
    M = spd.geodesic(A, B, 0.5, metric=metric)
    d = float(spd.distance(A, B, metric=metric))
    assert abs(float(spd.distance(A, M, metric=metric)) - d / 2) < 1e-9 * d
    assert abs(float(spd.distance(M, B, metric=metric)) - d / 2) < 1e-9 * d
    np.testing.assert_allclose(spd.geodesic(A, B, 0.0, metric=metric), A, atol=1e-10)
    np.testing.assert_allclose(spd.geodesic(A, B, 1.0, metric=metric), B, atol=1e-9)


@pytest.mark.parametrize("metric", ["airm", "bw"])
def test_exp_log_round_trip(pair, metric):
    A, B = pair
    S = spd.log_map(A, B, metric=metric)
    np.testing.assert_allclose(spd.exp_map(A, S, metric=metric), B, rtol=1e-9, atol=1e-9)
    # the norm of the logarithm in the metric at A is the distance
    G = np.asarray(spd.metric_tensor(A, metric=metric))
    n = A.shape[0]
    s = np.asarray(S)
    coords = np.array([s[i, j] * (1 if i == j else np.sqrt(2)) for i in range(n)
                       for j in range(i, n)])
    assert abs(np.sqrt(coords @ G @ coords) - float(spd.distance(A, B, metric=metric))) < 1e-8


def test_bw_log_map_matches_pyriemann(pair):
    from pyriemann.geometry.tangentspace import log_map_wasserstein
    A, B = pair
    np.testing.assert_allclose(spd.log_map(A, B, metric="bw"), log_map_wasserstein(B, A),
                               atol=1e-9)


def test_metric_tensor_at_identity():
    G = {m: np.asarray(spd.metric_tensor(np.eye(3), metric=m)) for m in spd.METRICS}
    np.testing.assert_allclose(G["airm"], np.eye(6), atol=1e-14)
    np.testing.assert_allclose(G["log_euclidean"], np.eye(6), atol=1e-14)
    np.testing.assert_allclose(G["bw"], np.eye(6) / 4, atol=1e-14)


def test_parallel_transport_is_an_isometry(pair):
    A, B = pair
    rng = np.random.default_rng(3)
    S, T = (M + M.T for M in rng.standard_normal((2, 5, 5)))
    PS, PT = (np.asarray(spd.parallel_transport(M, A, B)) for M in (S, T))
    g_a = np.trace(np.linalg.solve(A, S) @ np.linalg.solve(A, T))
    g_b = np.trace(np.linalg.solve(B, PS) @ np.linalg.solve(B, PT))
    assert abs(g_a - g_b) < 1e-9 * abs(g_a)
    np.testing.assert_allclose(spd.parallel_transport(A, A, B), B, atol=1e-9)  # E A Eᵀ = B


# -- means ------------------------------------------------------------------------------------

def test_karcher_mean_matches_pyriemann():
    from pyriemann.geometry.mean import mean_riemann
    X = _batch(4, N=10, n=5)
    m = spd.karcher_mean(X, tol=1e-12)
    assert m.converged and m.residual <= 1e-12
    assert float(spd.distance(m.mean, mean_riemann(X, tol=1e-12, maxiter=200))) < 1e-9


def test_bw_mean_matches_pyriemann():
    from pyriemann.geometry.mean import mean_wasserstein
    X = _batch(5, N=8, n=4)
    m = spd.bw_mean(X, tol=1e-13)
    assert m.converged
    ref = mean_wasserstein(X, tol=1e-13, maxiter=1000)
    # Compared entrywise: the BW distance of two nearly equal matrices is the square root of
    # a cancellation, about sqrt(eps * trace) ~ 1e-7 whatever the agreement (2.1e-7 seen on
    # matrices equal to 1e-14), so it cannot measure agreement below that.
    assert np.linalg.norm(np.asarray(m.mean) - ref) / np.linalg.norm(ref) < 1e-10


def test_means_are_stationary_points():
    X = _batch(6)
    km = spd.karcher_mean(X, tol=1e-12).mean
    assert np.linalg.norm(np.asarray(spd.log_map(km, X)).mean(axis=0)) < 1e-9
    bm = spd.bw_mean(X, tol=1e-13).mean
    assert np.linalg.norm(np.asarray(spd.log_map(bm, X, metric="bw")).mean(axis=0)) < 1e-8
    lem = spd.log_euclidean_mean(X).mean
    np.testing.assert_allclose(spd.logm(lem), np.asarray(spd.logm(X)).mean(axis=0), atol=1e-12)


def test_weighted_mean_of_two_is_the_geodesic(pair):
    A, B = pair
    m = spd.karcher_mean(np.stack([A, B]), weights=[0.7, 0.3], tol=1e-12)
    np.testing.assert_allclose(m.mean, spd.geodesic(A, B, 0.3), rtol=1e-9, atol=1e-9)


def test_commuting_means_are_closed_form():
    D = np.stack([np.diag([1.0, 4.0]), np.diag([4.0, 9.0])])
    np.testing.assert_allclose(spd.karcher_mean(D).mean, np.diag([2.0, 6.0]), atol=1e-10)
    np.testing.assert_allclose(spd.bw_mean(D).mean, np.diag([2.25, 6.25]), atol=1e-10)


def test_unconverged_mean_warns():
    X = _batch(7, spread=1.5)
    with pytest.warns(ConvergenceWarning, match="spd.karcher_mean"):
        m = spd.karcher_mean(X, max_iter=1, tol=1e-14)
    assert not m.converged and m.n_iter == 1
    with pytest.warns(ConvergenceWarning, match="spd.bw_mean"):
        spd.bw_mean(X, max_iter=1, tol=1e-14)


def test_recentre_moves_the_mean_to_the_target():
    X = _batch(8)
    T = np.diag([1.0, 2.0, 3.0, 4.0])
    r = spd.recentre(X, target=T)
    np.testing.assert_allclose(spd.karcher_mean(r.X, tol=1e-12).mean, T, atol=1e-8)
    np.testing.assert_allclose(spd.distance(r.X[0], r.X[1]), spd.distance(X[0], X[1]),
                               rtol=1e-9)


# -- features ---------------------------------------------------------------------------------

def test_augmented_covariance_is_the_delay_embedding_covariance():
    rng = np.random.default_rng(9)
    X = rng.standard_normal((2, 3, 50))
    C = np.asarray(spd.augmented_covariance(X, order=3, lag=2))
    x = X[1] - X[1].mean(axis=1, keepdims=True)
    m = 50 - 4
    Z = np.concatenate([x[:, 4 - 2 * i: 4 - 2 * i + m] for i in range(3)])
    np.testing.assert_allclose(C[1], Z @ Z.T / m, atol=1e-12)
    np.testing.assert_allclose(spd.augmented_covariance(X, order=1),
                               spd.covariances(X), atol=1e-14)
    np.testing.assert_allclose(spd.covariances(X)[0], np.cov(X[0], bias=True), atol=1e-12)


def test_yule_walker_recovers_a_var_model():
    tr = data.ar_eeg_trials(2, key=jax.random.key(3), n_channels=4, n_times=40000, noise=0.0)
    fit = spd.yule_walker(tr.X[0], order=2)
    assert np.max(np.abs(fit.coefs - tr.var_coefs[0])) < 0.05
    assert spd.toeplitz_gap(fit.acm, n_blocks=3) < 1e-3


def test_ar_eeg_classes_share_the_spatial_covariance():
    tr = data.ar_eeg_trials(40, key=jax.random.key(1), n_times=2000, noise=0.0)
    C = np.asarray(spd.covariances(tr.X))
    AAt = tr.mixing @ tr.mixing.T
    for k in range(2):
        mean_k = C[tr.y == k].mean(axis=0)
        assert np.linalg.norm(mean_k - AAt) / np.linalg.norm(AAt) < 0.1


def test_toeplitz_gap_is_zero_on_block_toeplitz():
    B0, B1 = np.eye(2), np.array([[0.3, 0.1], [0.0, 0.2]])
    C = np.block([[B0, B1, 0 * B0], [B1.T, B0, B1], [0 * B0, B1.T, B0]])
    assert spd.toeplitz_gap(C, n_blocks=3) == 0.0
    C[0, 0] += 1.0
    assert spd.toeplitz_gap(C, n_blocks=3) > 0.1


# -- MDM --------------------------------------------------------------------------------------

def test_mdm_matches_pyriemann():
    from pyriemann.classification import MDM
    tr = data.ar_eeg_trials(40, key=jax.random.key(2), n_channels=4, n_times=128)
    C = np.asarray(spd.augmented_covariance(tr.X, order=2))
    model = spd.mdm_fit(C[:30], tr.y[:30], tol=1e-10)
    pred = spd.mdm_predict(model, C[30:])
    clf = MDM(metric="riemann").fit(C[:30], tr.y[:30])
    np.testing.assert_array_equal(pred.labels, clf.predict(C[30:]))
    np.testing.assert_allclose(pred.distances, clf.transform(C[30:]), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("metric", spd.METRICS)
def test_mdm_separates_well_separated_classes(metric):
    A, B = _batch(10, N=10), _batch(11, N=10)
    X = np.concatenate([A, B])
    y = np.repeat([3, 7], 10)
    model = spd.mdm_fit(X, y, metric=metric)
    assert list(model.classes) == [3, 7]
    assert np.mean(spd.mdm_predict(model, X).labels == y) == 1.0


# -- data -------------------------------------------------------------------------------------

def test_hemisphere_generator_geometry():
    s = data.hemisphere_eeg(16, 50, key=jax.random.key(0))
    assert s.X.shape == (16, 50) and np.all(s.positions[:, 2] >= 0)
    np.testing.assert_allclose(np.linalg.norm(s.positions, axis=1), 1.0)
    assert np.all(s.geodesic >= 0) and np.allclose(s.geodesic, s.geodesic.T)
    assert s.geodesic.max() <= np.pi


def test_generators_are_deterministic():
    a = data.ar_eeg_trials(4, key=jax.random.key(5))
    b = data.ar_eeg_trials(4, key=jax.random.key(5))
    np.testing.assert_array_equal(a.X, b.X)
    assert a.X.shape == (4, 8, 256) and list(a.y) == [0, 1, 0, 1]


# -- bad input ----------------------------------------------------------------------------------

def test_bad_inputs_name_the_call_and_argument(pair):
    A, B = pair
    with pytest.raises(ValueError, match=r"spd\.logm\(X=.*positive definite"):
        spd.logm(-A)
    with pytest.raises(ValueError, match=r"spd\.distance\(B=.*symmetric"):
        spd.distance(A, B + np.triu(np.ones((5, 5)), 1))
    with pytest.raises(ValueError, match=r"spd\.distance\(B="):
        spd.distance(A, np.eye(3))
    with pytest.raises(ValueError, match=r"spd\.distance\(metric="):
        spd.distance(A, B, metric="euclid")
    with pytest.raises(ValueError, match=r"spd\.karcher_mean\(X=.*finite"):
        spd.karcher_mean(np.full((2, 3, 3), np.nan))
    with pytest.raises(TypeError, match=r"spd\.sqrtm\(X="):
        spd.sqrtm(A + 0j)
    with pytest.raises(ValueError, match=r"spd\.mdm_fit\(y="):
        spd.mdm_fit(np.stack([A, B]), [0, 0])
    with pytest.raises(TypeError, match=r"spd\.mdm_predict\(model="):
        spd.mdm_predict((1, 2), np.stack([A]))
    with pytest.raises(ValueError, match=r"spd\.geodesic\(t="):
        spd.geodesic(A, B, 1.5)
