"""Tests of the chapter-06 part of eigenbook.orth: orthogonal parameterisations, Procrustes,
online orthogonal dictionary learning, frames and neural collapse, Barlow Twins."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg as sla
from eigenbook import data, nn, orth
from hypothesis import given, settings
from hypothesis import strategies as st


def _householder_dense(V, r):
    n = V.shape[1]
    Q = np.eye(n)
    for v in V:
        v = v / np.linalg.norm(v)
        Q = Q @ (np.eye(n) - 2 * np.outer(v, v))
    return Q[:, :r]


# --- parameterisations --------------------------------------------------------

@settings(max_examples=8, deadline=None)
@given(st.integers(1, 6), st.integers(0, 1000))
def test_householder_matches_dense_product_and_is_orthogonal(k, seed):
    V = np.random.default_rng(seed).standard_normal((k, 7))
    Q = np.asarray(orth.householder_orthogonal(V, 3))
    np.testing.assert_allclose(Q, _householder_dense(V, 3), atol=1e-12)
    np.testing.assert_allclose(Q.T @ Q, np.eye(3), atol=1e-12)


def test_householder_rejects_zero_vector_and_bad_r():
    V = np.ones((2, 4))
    with pytest.raises(ValueError, match=r"householder_orthogonal\(V"):
        orth.householder_orthogonal(np.vstack([V[0], np.zeros(4)]), 2)
    with pytest.raises(ValueError, match=r"householder_orthogonal\(r"):
        orth.householder_orthogonal(V, 5)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 1000))
def test_cayley_is_orthogonal_and_matches_scipy(seed):
    W = np.random.default_rng(seed).standard_normal((6, 6))
    A = (W - W.T) / 2
    Q = np.asarray(orth.cayley_orthogonal(W))
    np.testing.assert_allclose(Q, sla.solve(np.eye(6) - A, np.eye(6) + A), atol=1e-12)
    np.testing.assert_allclose(Q.T @ Q, np.eye(6), atol=1e-12)


def test_qr_retraction_is_orthonormal_with_positive_r():
    rng = np.random.default_rng(0)
    X = np.linalg.qr(rng.standard_normal((8, 3)))[0]
    xi = 0.1 * rng.standard_normal((8, 3))
    Q = np.asarray(orth.qr_retraction(X, xi))
    np.testing.assert_allclose(Q.T @ Q, np.eye(3), atol=1e-12)
    R = Q.T @ (X + xi)
    assert np.all(np.diag(R) > 0)
    np.testing.assert_allclose(Q @ R, X + xi, atol=1e-12)
    with pytest.raises(ValueError, match=r"qr_retraction\(xi"):
        orth.qr_retraction(X, xi[:, :2])


def test_procrustes_and_lmo_match_scipy():
    rng = np.random.default_rng(1)
    A, B = rng.standard_normal((20, 5)), rng.standard_normal((20, 5))
    np.testing.assert_allclose(orth.procrustes(A, B), sla.orthogonal_procrustes(A, B)[0],
                               atol=1e-12)
    G = rng.standard_normal((5, 4))
    S = np.asarray(orth.spectral_lmo(G))
    assert np.linalg.norm(S, 2) <= 1 + 1e-12
    np.testing.assert_allclose(np.sum(S * G), np.linalg.svd(G, compute_uv=False).sum(),
                               rtol=1e-12)


def test_lambda_orthogonal_map_limits():
    rng = np.random.default_rng(2)
    Xn = rng.standard_normal((200, 4))
    Xo = Xn @ sla.qr(rng.standard_normal((4, 4)))[0] @ np.diag([1.5, 1, 1, 0.5])
    W0 = np.asarray(orth.lambda_orthogonal_map(Xn, Xo, lam=0.0, n_steps=50))
    np.testing.assert_allclose(W0, np.linalg.lstsq(Xn, Xo, rcond=None)[0], atol=1e-2)
    Winf = np.asarray(orth.lambda_orthogonal_map(Xn, Xo, lam=100.0, n_steps=5000))
    assert np.linalg.norm(Winf - sla.orthogonal_procrustes(Xn, Xo)[0]) < 0.05


def test_householder_pca_stays_orthogonal():
    A = np.random.default_rng(3).standard_normal((10, 10))
    fit = orth.householder_pca(A + A.T, 2, key=jax.random.key(0), n_steps=20)
    assert float(jnp.max(fit.defect)) < 1e-12
    pen = orth.householder_pca(A + A.T, 2, key=jax.random.key(0), n_steps=20, penalty=1.0)
    assert float(jnp.max(pen.defect)) > 1e-6


# --- online dictionary learning ------------------------------------------------

def test_dictionary_error_is_invariant_to_signed_permutation():
    D0 = np.linalg.qr(np.random.default_rng(4).standard_normal((5, 5)))[0]
    P = np.eye(5)[[2, 0, 4, 1, 3]] * np.array([1, -1, 1, -1, 1])
    assert orth.dictionary_error(3.0 * D0 @ P, D0) < 1e-12
    assert orth.dictionary_error(np.eye(5), D0) > 0.1


def test_online_odl_recovers_a_small_dictionary():
    s = data.orthogonal_dictionary_stream(8, 8000, key=jax.random.key(1))
    res = orth.online_odl(s.Y, key=jax.random.key(2), batch=32, keep_every=50)
    assert orth.dictionary_error(res.D, s.D0) < 0.1
    assert res.history.shape == (8000 // 32 // 50, 8, 8)
    assert np.linalg.norm(np.asarray(res.D), 2) <= 1 + 1e-10
    assert float(jnp.min(res.gaps)) >= -1e-10


def test_dictionary_stream_shapes_and_orthogonality():
    s = data.orthogonal_dictionary_stream(4, 50, p=0.5, key=jax.random.key(0))
    np.testing.assert_allclose(np.asarray(s.D0.T @ s.D0), np.eye(4), atol=1e-12)
    np.testing.assert_allclose(np.asarray(s.D0 @ s.X), np.asarray(s.Y), atol=1e-12)
    assert 0.2 < float(jnp.mean(s.X != 0)) < 0.8


# --- frames --------------------------------------------------------------------

def test_welch_bound_is_attained_by_the_simplex_etf():
    for K in (3, 5, 8):
        M = np.asarray(orth.simplex_etf(K))
        # K unit vectors in a (K-1)-dimensional subspace: the Welch bound for N = K, d = K-1
        np.testing.assert_allclose(orth.max_coherence(M), orth.welch_bound(K, K - 1), rtol=1e-12)
        np.testing.assert_allclose(np.linalg.norm(M, axis=1), 1.0, rtol=1e-12)
    assert orth.welch_bound(3, 5) == 0.0


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 1000))
def test_max_coherence_matches_numpy(seed):
    V = np.random.default_rng(seed).standard_normal((6, 3))
    U = V / np.linalg.norm(V, axis=1, keepdims=True)
    G = np.abs(U @ U.T) - np.eye(6)
    assert abs(orth.max_coherence(V) - G.max()) < 1e-12
    assert orth.max_coherence(V) >= orth.welch_bound(6, 3) - 1e-12


def test_equiangular_vectors_beat_random():
    r = orth.equiangular_vectors(20, 8, key=jax.random.key(0), n_steps=500)
    rand = orth.max_coherence(jax.random.normal(jax.random.key(0), (20, 8)))
    assert orth.welch_bound(20, 8) <= orth.max_coherence(r.V) < rand
    np.testing.assert_allclose(np.linalg.norm(np.asarray(r.V), axis=1), 1.0, rtol=1e-12)


def test_neural_collapse_metrics_on_an_exact_etf():
    M = np.asarray(orth.simplex_etf(3, d=5))
    labels = np.repeat(np.arange(3), 4)
    m = orth.neural_collapse_metrics(M[labels], labels, W=M)
    assert m.nc1 < 1e-20
    np.testing.assert_allclose(np.asarray(m.cosines)[~np.eye(3, dtype=bool)], -0.5, atol=1e-12)
    assert m.nc3 < 1e-12
    with pytest.raises(ValueError, match=r"neural_collapse_metrics\(labels"):
        orth.neural_collapse_metrics(M[labels], np.where(labels == 1, 2, labels))


def test_train_deep_linear_ufm_collapses_to_an_etf():
    u = orth.train_deep_linear_ufm([6, 6, 6], d=4, depth=1, n_steps=20000, key=jax.random.key(0))
    m = orth.neural_collapse_metrics(u.H, np.repeat(np.arange(3), 6))
    assert m.nc1 < 1e-6
    np.testing.assert_allclose(np.asarray(m.cosines)[~np.eye(3, dtype=bool)], -0.5, atol=1e-3)


# --- Barlow Twins ----------------------------------------------------------------

def test_cross_correlation_and_loss():
    rng = np.random.default_rng(5)
    Z = rng.standard_normal((500, 4))
    C = np.asarray(orth.cross_correlation(Z, Z))
    np.testing.assert_allclose(C, np.corrcoef(Z.T), atol=1e-4)
    Zw = (Z - Z.mean(0)) @ np.linalg.inv(sla.sqrtm(np.cov(Z.T, bias=True))).real
    assert float(orth.barlow_twins_loss(Zw, Zw, lam=1.0)) < 1e-6
    assert float(orth.barlow_twins_loss(Z, -Z, lam=0.0)) == pytest.approx(16.0, rel=1e-4)


def test_barlow_twins_train_runs_and_lowers_the_loss():
    imgs = np.random.default_rng(7).random((300, 4, 4))
    r = orth.barlow_twins_train(imgs, key=jax.random.key(0), dim=4, hidden=8, n_steps=200,
                                lr=1e-2)
    assert float(jnp.mean(r.losses[-20:])) < float(jnp.mean(r.losses[:20]))
    assert nn.mlp(r.params, imgs.reshape(300, -1)).shape == (300, 4)
    with pytest.raises(ValueError, match=r"barlow_twins_train\(images"):
        orth.barlow_twins_train(imgs[:100], key=jax.random.key(0))
