"""Tests of eigenbook.orth: QR variants, polar iterations, optimizer directions, conv spectra,
DCT selection and rotation representations."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
import scipy.fft
import scipy.linalg as sla
from eigenbook import data, orth
from hypothesis import given, settings
from hypothesis import strategies as st
from optax import contrib
from scipy.spatial.transform import Rotation


def conditioned(m, n, kappa, seed=0):
    """m x n matrix with singular values logspaced from 1 to 1/kappa."""
    kU, kV = jax.random.split(jax.random.key(seed))
    U = np.asarray(data.haar_orthogonal(m, n, key=kU))
    V = np.asarray(data.haar_orthogonal(n, key=kV))
    return (U * np.logspace(0, -np.log10(kappa), n)) @ V.T


# --- QR ----------------------------------------------------------------------

@pytest.mark.parametrize("factor", [
    lambda A: orth.gram_schmidt(A, method="cgs"),
    lambda A: orth.gram_schmidt(A, method="mgs"),
    lambda A: orth.gram_schmidt(A, method="cgs2"),
    orth.householder_qr,
    orth.cholesky_qr2,
])
def test_qr_reconstructs_and_matches_numpy(factor):
    A = conditioned(50, 20, 10.0)
    Q, R = factor(A)
    Q, R = np.asarray(Q), np.asarray(R)
    np.testing.assert_allclose(Q @ R, A, atol=1e-13)
    np.testing.assert_allclose(R, np.triu(R), atol=0)
    Qn, Rn = np.linalg.qr(A)
    signs = np.sign(np.diag(R)) * np.sign(np.diag(Rn))  # QR is unique up to column signs
    np.testing.assert_allclose(Q * signs, Qn, atol=1e-12)
    assert orth.orthogonality_loss(Q) < 1e-13


def test_loss_of_orthogonality_orders():
    A = conditioned(80, 30, 1e7)
    loss = {m: orth.orthogonality_loss(orth.gram_schmidt(A, method=m).Q)
            for m in ("cgs", "mgs", "cgs2")}
    loss["hh"] = orth.orthogonality_loss(orth.householder_qr(A).Q)
    eps = np.finfo(float).eps
    assert loss["cgs"] > 1e-6                    # ~ eps kappa^2 >> 1e-6
    assert loss["mgs"] < 30 * 30 * eps * 1e7     # ~ eps kappa
    assert loss["mgs"] < 1e-3 * loss["cgs"]
    assert loss["cgs2"] < 1e-13 and loss["hh"] < 1e-13


def test_orthogonality_loss_values():
    assert orth.orthogonality_loss(np.eye(4)[:, :3]) == 0.0
    Q = np.diag([1.0, 2.0])
    assert orth.orthogonality_loss(Q) == pytest.approx(3.0)
    assert orth.orthogonality_loss(Q, ord="fro") == pytest.approx(3.0)
    assert np.isnan(orth.orthogonality_loss(np.array([[np.nan], [1.0]])))


@settings(max_examples=6, deadline=None)
@given(st.sampled_from([3, 8]), st.sampled_from([0, 5]), st.integers(0, 1000))
def test_householder_property(n, extra, seed):
    A = np.random.default_rng(seed).standard_normal((n + extra, n))
    Q, R = orth.householder_qr(A)
    np.testing.assert_allclose(np.asarray(Q) @ np.asarray(R), A, atol=1e-12)
    assert orth.orthogonality_loss(Q) < 1e-13


# --- polar -------------------------------------------------------------------

def polar_ref(A):
    U, _, Vt = np.linalg.svd(A, full_matrices=False)
    return U @ Vt


@pytest.mark.parametrize("shape", [(40, 40), (60, 25), (25, 60)])
def test_polar_methods_agree_with_scipy(shape):
    A = np.random.default_rng(1).standard_normal(shape)
    P = polar_ref(A)
    if shape[0] >= shape[1]:
        np.testing.assert_allclose(sla.polar(A)[0], P, atol=1e-12)
        np.testing.assert_allclose(orth.polar_qdwh(A).Q, P, atol=1e-12)
    np.testing.assert_allclose(orth.polar_svd(A), P, atol=1e-12)
    schedule = np.vstack([np.tile(orth.MUON_COEFFS, (10, 1)), np.tile(orth.CUBIC_COEFFS, (8, 1))])
    np.testing.assert_allclose(orth.newton_schulz(A, coeffs=schedule), P, atol=1e-10)
    if shape[0] == shape[1]:
        np.testing.assert_allclose(orth.polar_newton(A, n_iter=12).Q, P, atol=1e-12)


def test_newton_schulz_is_the_scalar_map():
    A = conditioned(30, 20, 50.0, seed=2)
    X = np.asarray(orth.newton_schulz(A, n_iter=3))
    sv = np.linalg.svd(A, compute_uv=False) / np.linalg.norm(A)
    expected = np.sort(np.asarray(orth.ns_scalar_map(sv, n_iter=3)))
    np.testing.assert_allclose(np.sort(np.linalg.svd(X, compute_uv=False)), expected, atol=1e-12)
    # same singular vectors: X = U f(S) V^T
    U, _, Vt = np.linalg.svd(A, full_matrices=False)
    np.testing.assert_allclose(U.T @ X @ Vt.T, np.diag(np.diag(U.T @ X @ Vt.T)), atol=1e-12)


def test_newton_schulz_matches_optax():
    A = np.random.default_rng(3).standard_normal((24, 40))
    ref = contrib._muon.orthogonalize_via_newton_schulz(
        jnp.asarray(A), jnp.asarray(orth.MUON_COEFFS), 5, "frobenius", 1e-8)
    np.testing.assert_allclose(orth.newton_schulz(A, eps=1e-8), ref, atol=1e-13)
    np.testing.assert_allclose(orth.newton_schulz(A.T, eps=1e-8), np.asarray(ref).T, atol=1e-13)


def test_cubic_converges_and_muon_band():
    s = np.linspace(0.05, 1.0, 200)
    np.testing.assert_allclose(orth.ns_scalar_map(s, coeffs=orth.CUBIC_COEFFS, n_iter=30), 1.0,
                               atol=1e-12)
    band = np.asarray(orth.ns_scalar_map(s, n_iter=5))
    assert 0.6 < band.min() and band.max() < 1.2 and np.abs(band - 1).max() > 0.1


def test_fit_ns_coeffs_reduces_mean_error(getkey):
    fit = orth.fit_ns_coeffs(64, 64, key=getkey(), n_matrices=2, n_steps=400)
    c = fit.coeffs
    A = np.asarray(jax.random.normal(getkey(), (64, 64)))

    def mean_err(coeffs):
        sv = np.linalg.svd(np.asarray(orth.newton_schulz(A, coeffs=coeffs)), compute_uv=False)
        return np.mean(np.abs(sv - 1))

    assert c.shape == (3,)
    assert mean_err(c) < mean_err(orth.MUON_COEFFS)
    # the reported objective is the fitted loss at c, below the one at the start
    assert 0.0 < fit.objective < fit.initial_objective


# --- optimizer directions ------------------------------------------------------

def test_soft_threshold_and_clip():
    M = np.array([[3.0, -0.5], [-2.0, 1.0]])
    np.testing.assert_allclose(orth.soft_threshold(M, 1.0), [[2.0, 0.0], [-1.0, 0.0]])
    np.testing.assert_allclose(orth.clip_outliers(M, 1.0), np.clip(M, -1.0, 1.0))


def test_muon_step_matches_optax(getkey):
    params = {"W": jax.random.normal(getkey(), (6, 9)), "b": jnp.zeros(9),
              "V": jax.random.normal(getkey(), (9, 3))}
    X = jax.random.normal(getkey(), (5, 6))

    def loss(p):
        return jnp.sum(jnp.tanh(X @ p["W"] + p["b"]) @ p["V"]) ** 2

    grad = jax.jit(jax.grad(loss))
    opt = contrib.muon(learning_rate=0.1)
    update = jax.jit(opt.update)
    state = opt.init(params)
    p_ref, p_book, mu, adam = params, params, None, None
    for step in range(2):
        upd, state = update(grad(p_ref), state, p_ref)
        p_ref = optax.apply_updates(p_ref, upd)
        p_book, mu, adam = orth.muon_step(p_book, grad(p_book), mu, step,
                                          learning_rate=0.1, adam_state=adam)
        for k in params:
            np.testing.assert_allclose(p_book[k], p_ref[k], atol=1e-12)


def test_auon_is_positive_rescaling():
    M = np.random.default_rng(8).standard_t(3.0, (20, 30))
    U = np.asarray(orth.auon_direction(M))
    c = U.ravel() @ np.asarray(M).ravel() / (np.asarray(M).ravel() @ np.asarray(M).ravel())
    assert c > 0
    np.testing.assert_allclose(U, c * np.asarray(M), rtol=1e-12)
    assert np.linalg.norm(U, 2) <= np.linalg.norm(U) <= 1.0


# --- convolutions ---------------------------------------------------------------

def test_conv_matrix_singular_values_and_identity():
    rng = np.random.default_rng(4)
    K = rng.standard_normal((2, 3, 3))
    for N in (5, 7, 12):
        Km = np.asarray(orth.circular_conv_matrix(K, N))
        x = rng.standard_normal((3, N))
        y = np.array([sum(np.sum(K[m, c] * np.roll(x[c], -t)[:3]) for c in range(3))
                      for m in range(2) for t in range(N)])
        np.testing.assert_allclose(Km @ x.ravel(), y, atol=1e-12)
        sv = np.sort(np.asarray(orth.conv_singular_values(K, N)).ravel())
        np.testing.assert_allclose(sv, np.sort(np.linalg.svd(Km, compute_uv=False)), atol=1e-10)
        E = np.linalg.norm(Km @ Km.T - np.eye(2 * N)) ** 2
        assert E == pytest.approx(N * orth.conv_orth_loss(K), rel=1e-12)


def test_orthogonal_kernel_has_zero_loss():
    K = np.zeros((2, 4, 3))
    K[:, :, 0] = np.asarray(data.haar_orthogonal(4, key=jax.random.key(5)))[:2]
    assert orth.conv_orth_loss(K) == pytest.approx(0.0, abs=1e-24)
    np.testing.assert_allclose(orth.conv_singular_values(K, 8), 1.0, atol=1e-12)


# --- DCT -----------------------------------------------------------------------

def test_dct_matrix_and_selection():
    D = np.asarray(orth.dct_matrix(16))
    np.testing.assert_allclose(D.T @ D, np.eye(16), atol=1e-13)
    G = np.random.default_rng(6).standard_normal((5, 16))
    np.testing.assert_allclose(G @ D, scipy.fft.dct(G, norm="ortho", axis=1), atol=1e-13)
    G = np.outer(np.ones(5), D[:, 3] * 5 + D[:, 7] * 2)
    assert list(np.asarray(orth.dct_select(G, 2))) == [3, 7]


# --- rotations -----------------------------------------------------------------

def test_rotations_match_scipy():
    Rs = Rotation.random(50, random_state=7)
    R = Rs.as_matrix()
    qs = Rs.as_quat()[:, [3, 0, 1, 2]]
    qs = np.where(qs[:, :1] < 0, -qs, qs)
    np.testing.assert_allclose(orth.quaternion_from_rotation(R), qs, atol=1e-12)
    np.testing.assert_allclose(orth.rotation_from_quaternion(qs), R, atol=1e-12)
    np.testing.assert_allclose(orth.euler_from_rotation(R), Rs.as_euler("ZYX"), atol=1e-12)
    np.testing.assert_allclose(orth.rotation_from_euler(Rs.as_euler("ZYX")), R, atol=1e-12)
    np.testing.assert_allclose(orth.rotation_from_6d(orth.rotation_to_6d(R)), R, atol=1e-12)
    ang = (Rs[:1].inv() * Rs).magnitude()
    np.testing.assert_allclose(orth.geodesic_angle(R[:1], R), ang, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=6, max_size=6))
def test_6d_gives_rotation(x):
    x = np.asarray(x)
    a1, a2 = x[:3], x[3:]
    if np.linalg.norm(np.cross(a1, a2)) < 1e-3 * (1 + np.linalg.norm(a1) * np.linalg.norm(a2)):
        return  # (near-)dependent columns: the map is undefined there
    R = np.asarray(orth.rotation_from_6d(x))
    np.testing.assert_allclose(R.T @ R, np.eye(3), atol=1e-9)
    assert np.linalg.det(R) == pytest.approx(1.0, abs=1e-9)


# --- validation ------------------------------------------------------------------

def test_validation_errors(getkey):
    with pytest.raises(ValueError, match=r"orth.gram_schmidt\(method=...\)"):
        orth.gram_schmidt(np.eye(3), method="qr")
    with pytest.raises(ValueError, match=r"orth.householder_qr\(A=...\): expected a tall"):
        orth.householder_qr(np.ones((2, 3)))
    with pytest.raises(TypeError, match=r"orth.cholesky_qr2\(A=...\)"):
        orth.cholesky_qr2("abc")
    with pytest.raises(ValueError, match=r"square"):
        orth.polar_newton(np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"orth.newton_schulz\(coeffs=...\)"):
        orth.newton_schulz(np.eye(3), coeffs=(1.0, 2.0))
    with pytest.raises(ValueError, match=r"n_iter"):
        orth.newton_schulz(np.eye(3), coeffs=np.ones((4, 3)), n_iter=5)
    with pytest.raises(ValueError, match=r"finite"):
        orth.newton_schulz(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match=r"orth.polar_qdwh\(l0=...\)"):
        orth.polar_qdwh(np.eye(3), l0=0.0)
    with pytest.raises(TypeError, match=r"key"):
        orth.fit_ns_coeffs(4, 4, key=0)
    with pytest.raises(ValueError, match=r"threshold"):
        orth.soft_threshold(np.eye(2), -1.0)
    with pytest.raises(ValueError, match=r"orth.circular_conv_matrix\(N=...\)"):
        orth.circular_conv_matrix(np.ones((1, 1, 3)), 2)
    with pytest.raises(ValueError, match=r"shape \(M, C, k\)"):
        orth.conv_orth_loss(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"orth.dct_select\(r=...\)"):
        orth.dct_select(np.ones((2, 4)), 5)
    with pytest.raises(ValueError, match=r"\(\.\.\., 6\)"):
        orth.rotation_from_6d(np.ones(5))
    with pytest.raises(TypeError, match=r"orth.muon_step\(params=...\)"):
        orth.muon_step([1], {}, None, 0, learning_rate=0.1)
    with pytest.raises(ValueError, match=r"orth.orthogonality_loss\(ord=...\)"):
        orth.orthogonality_loss(np.eye(2), ord="1")


def test_rotation_autoencoder_shapes_and_validation(getkey):
    out = orth.rotation_autoencoder(reps=("6d",), key=getkey(), n_steps=3, width=4, batch=8,
                                    n_test=10)
    assert out.reps == ("6d",) and out.errors.shape == (1, 10) and out.of("6d").shape == (10,)
    assert np.all((np.asarray(out.of("6d")) >= 0) & (np.asarray(out.of("6d")) <= np.pi + 1e-12))
    R = np.asarray(orth.random_rotations(5, key=getkey()))
    np.testing.assert_allclose(np.swapaxes(R, 1, 2) @ R, np.broadcast_to(np.eye(3), R.shape),
                               atol=1e-12)
    with pytest.raises(ValueError, match=r"orth.rotation_autoencoder\(reps=...\)"):
        orth.rotation_autoencoder(reps=("axis-angle",), key=getkey())


def test_one_cholesky_qr_pass_loses_eps_kappa2_and_the_second_repairs_it():
    rng = np.random.default_rng(2)
    U, _ = np.linalg.qr(rng.standard_normal((200, 10)))
    V, _ = np.linalg.qr(rng.standard_normal((10, 10)))
    A = (U * np.logspace(0, -6, 10)) @ V.T                      # kappa = 1e6
    one, two = orth.cholesky_qr(A), orth.cholesky_qr2(A)
    np.testing.assert_allclose(one.Q @ one.R, A, atol=1e-12)
    assert orth.orthogonality_loss(one.Q) > 1e-6 > 1e-13 > orth.orthogonality_loss(two.Q)


def test_conv_orth_penalty_is_the_traceable_conv_orth_loss():
    K = np.random.default_rng(4).standard_normal((4, 6, 3))
    assert float(orth.conv_orth_penalty(jnp.asarray(K))) == pytest.approx(
        orth.conv_orth_loss(K), rel=1e-12)
    g = jax.grad(orth.conv_orth_penalty)(jnp.asarray(K))
    assert g.shape == K.shape and bool(jnp.all(jnp.isfinite(g)))
