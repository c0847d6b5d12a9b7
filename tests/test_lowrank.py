"""Tests of eigenbook.lowrank against numpy/scipy/scikit-learn and properties."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg as sla
import scipy.sparse as sp
from eigenbook import lowrank as lr
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.decomposition import PCA

# One shape, k and n_steps for the dense solver tests, so that the jitted
# Golub–Kahan–Lanczos code compiles once for the whole file.
SHAPE, K, STEPS = (40, 90), 4, 40


def _decaying(getkey, m=SHAPE[0], n=SHAPE[1], rate=0.8):
    s = rate ** np.arange(min(m, n))
    return lr.matrix_with_singular_values(m, n, s, key=getkey())


# ------------------------------------------------------------------ truncated SVD
def test_truncated_svd_matches_numpy(getkey):
    M = _decaying(getkey)
    res = lr.truncated_svd(M.A, K, key=getkey(), n_steps=STEPS)
    s_ref = np.linalg.svd(np.asarray(M.A), compute_uv=False)[:K]
    np.testing.assert_allclose(res.s, s_ref, rtol=1e-12)
    assert bool(res.converged.all())
    np.testing.assert_allclose(res.U.T @ res.U, np.eye(K), atol=1e-12)
    np.testing.assert_allclose(res.Vt @ res.Vt.T, np.eye(K), atol=1e-12)
    assert float(jnp.max(lr.principal_angles(res.Vt.T, M.Vt[:K].T))) < 1e-10
    # A v = s u for each triplet
    np.testing.assert_allclose(M.A @ res.Vt.T, res.U * res.s, atol=1e-12)


def test_truncated_svd_wide_sparse_and_callables_agree(getkey):
    rng = np.random.default_rng(0)
    S = sp.random(40, 90, density=0.2, random_state=rng, format="csr")
    dense = S.toarray()
    key = getkey()
    ref = np.linalg.svd(dense, compute_uv=False)[:4]
    r_sparse = lr.truncated_svd(S, K, key=key, n_steps=STEPS)
    D = jnp.asarray(dense)
    r_fun = lr.truncated_svd((lambda X: D @ X, lambda Y: D.T @ Y), K, key=key, n_steps=STEPS,
                             shape=SHAPE)
    np.testing.assert_allclose(r_sparse.s, ref, rtol=1e-10)
    np.testing.assert_allclose(r_fun.s, ref, rtol=1e-10)


def test_golub_kahan_relations(getkey):
    M = _decaying(getkey, rate=0.9)
    d = lr.golub_kahan(M.A, 10, key=getkey())
    B = jnp.diag(d.alpha) + jnp.diag(d.beta[:-1], 1)
    np.testing.assert_allclose(M.A @ d.V[:, :10], d.U @ B, atol=1e-12)
    np.testing.assert_allclose(d.U.T @ d.U, np.eye(10), atol=1e-12)
    np.testing.assert_allclose(d.V.T @ d.V, np.eye(11), atol=1e-12)


def test_golub_kahan_exact_low_rank_breakdown(getkey):
    # rank 3: the process must restart cleanly and stay orthonormal
    s = np.array([3.0, 2.0, 1.0] + [0.0] * 37)
    M = lr.matrix_with_singular_values(*SHAPE, s, key=getkey())
    res = lr.truncated_svd(M.A, K, key=getkey(), n_steps=STEPS)
    np.testing.assert_allclose(res.s, s[:K], atol=1e-12)
    np.testing.assert_allclose(res.U.T @ res.U, np.eye(K), atol=1e-12)


# --------------------------------------------------------------- Eckart–Young, angles
@settings(max_examples=15, deadline=None)
@given(st.sampled_from([3, 7]), st.sampled_from([4, 6]), st.integers(0, 10_000))
def test_eckart_young_both_norms(m, n, seed):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, n))
    k = int(rng.integers(1, min(m, n) + 1))
    Ak = np.asarray(lr.best_rank_k(A, k))
    s = np.linalg.svd(A, compute_uv=False)
    spec, frob = lr.eckart_young_errors(s, k)
    assert np.isclose(np.linalg.norm(A - Ak, 2), spec, atol=1e-10)
    assert np.isclose(np.linalg.norm(A - Ak), frob, atol=1e-10)
    assert np.linalg.matrix_rank(Ak, tol=1e-9) <= k
    # a random rank-k competitor is never better
    B = rng.standard_normal((m, k)) @ rng.standard_normal((k, n))
    assert np.linalg.norm(A - B, 2) >= spec - 1e-10
    assert np.linalg.norm(A - B) >= frob - 1e-10


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([1, 3]), st.sampled_from([1, 3]))
def test_principal_angles_match_scipy(seed, p, q):
    rng = np.random.default_rng(seed)
    U, V = rng.standard_normal((10, p)), rng.standard_normal((10, q))
    ours = np.asarray(lr.principal_angles(U, V))
    ref = np.sort(sla.subspace_angles(U, V))
    np.testing.assert_allclose(ours, ref, atol=1e-10)


def test_principal_angles_small_angle_accuracy():
    eps = 1e-9
    U = np.array([[1.0], [0.0]])
    V = np.array([[np.cos(eps)], [np.sin(eps)]])
    assert np.isclose(float(lr.principal_angles(U, V)[0]), eps, rtol=1e-6)


# ------------------------------------------------------------------------- PCA
def test_pca_matches_sklearn(getkey):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((80, 12)) @ np.diag(np.linspace(3, 0.2, 12)) + 5.0
    ours = lr.pca(X, 4)
    ref = PCA(4, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.explained_variance, ref.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(ours.explained_variance_ratio, ref.explained_variance_ratio_,
                               rtol=1e-10)
    np.testing.assert_allclose(np.abs(ours.components), np.abs(ref.components_), atol=1e-10)
    np.testing.assert_allclose(np.abs(ours.scores), np.abs(ref.transform(X)), atol=1e-9)
    Xw = np.asarray(_decaying(getkey).A) + 1.0  # same shape as the solver tests
    lanczos = lr.pca(Xw, K, key=getkey(), n_steps=STEPS)
    np.testing.assert_allclose(lanczos.components, lr.pca(Xw, K).components, atol=1e-9)


# ------------------------------------------------------------------- rank choice
def test_gavish_donoho_constants():
    assert np.isclose(lr.gavish_donoho_lambda(1.0), 4 / np.sqrt(3), rtol=1e-14)
    assert np.isclose(lr.marchenko_pastur_median(1.0), 0.6528, atol=1e-4)
    assert np.isclose(lr.gavish_donoho_omega(1.0), 2.858, atol=1e-3)
    for beta in (0.1, 0.3, 0.5, 0.8, 1.0):
        # the cubic fit is within 0.5 % of the exact coefficient
        assert np.isclose(lr.gavish_donoho_omega(beta, exact=False),
                          lr.gavish_donoho_omega(beta), rtol=5e-3)


def test_marchenko_pastur_median_empirical():
    rng = np.random.default_rng(2)
    m, n = 300, 600
    Z = rng.standard_normal((m, n))
    ev = np.linalg.eigvalsh(Z @ Z.T / n)
    assert abs(np.median(ev) - lr.marchenko_pastur_median(m / n)) < 0.02


def test_optimal_hard_threshold_recovers_rank():
    rng = np.random.default_rng(3)
    n, r = 200, 4
    X = rng.standard_normal((n, r)) @ rng.standard_normal((r, n)) * 2.0
    Y = X + rng.standard_normal((n, n))
    s = np.linalg.svd(Y, compute_uv=False)
    known = lr.optimal_hard_threshold(s, (n, n), sigma=1.0)
    unknown = lr.optimal_hard_threshold(s, (n, n))
    assert known.rank == r and unknown.rank == r
    assert abs(unknown.sigma - 1.0) < 0.05
    Xh = lr.hard_threshold(Y, known.threshold)
    assert np.linalg.norm(Xh - X) < np.linalg.norm(Y - X)


def test_energy_rank():
    assert lr.energy_rank([3.0, 4.0], energy=0.5) == 1
    assert lr.energy_rank([4.0, 3.0], energy=0.64) == 1
    assert lr.energy_rank([4.0, 3.0], energy=0.65) == 2
    assert lr.energy_rank([1.0, 0.0], energy=1.0) == 1


# ---------------------------------------------------------------------- Eigen-CAM
def test_eigencam_is_first_pc_projection(getkey):
    F = jax.random.normal(getkey(), (6, 7, 5)) + jnp.linspace(0, 1, 5)
    cam = lr.eigencam(F)
    ref = PCA(1).fit_transform(np.asarray(F).reshape(42, 5))[:, 0]
    assert cam.shape == (6, 7)
    flat = np.asarray(cam).ravel()
    assert min(np.max(np.abs(flat - ref)), np.max(np.abs(flat + ref))) < 1e-10
    # sign convention: non-negative correlation with the channel sum
    chan = np.asarray(F).reshape(42, 5).sum(1)
    assert np.dot(flat, chan - chan.mean()) >= 0
    batch = lr.eigencam(jnp.stack([F, 2 * F]))
    np.testing.assert_allclose(batch[1], 2 * cam, atol=1e-10)


def test_grad_cam_linear_head():
    F = np.abs(np.random.default_rng(4).standard_normal((4, 4, 3)))
    w = np.array([1.0, -2.0, 0.5])
    G = np.broadcast_to(w / 16, F.shape)
    np.testing.assert_allclose(lr.grad_cam(F, G), np.maximum(F @ w / 16, 0), atol=1e-14)


# --------------------------------------------------------------- EigenTrajectory
def test_trajectory_basis_beats_curves_on_training_set(getkey):
    tr = lr.synthetic_trajectories(300, key=getkey())
    assert tr.shape == (300, 20, 2)
    np.testing.assert_allclose(tr[:, 7], 0.0, atol=1e-12)  # origin at last observation
    B = lr.fit_trajectory_basis(tr, 6)
    C = lr.project_trajectories(B, tr)
    rec = lr.reconstruct_trajectories(B, C)
    sse = float(jnp.sum((rec - tr) ** 2))
    assert sse <= float(jnp.sum((lr.bezier_fit(tr, 6) - tr) ** 2)) + 1e-9
    assert sse <= float(jnp.sum((lr.bspline_fit(tr, 6) - tr) ** 2)) + 1e-9
    # Eckart–Young: the SSE is the tail of the squared singular values
    assert np.isclose(sse, float(jnp.sum(B.singular_values[6:] ** 2)), rtol=1e-9)


def test_curve_fits_reproduce_their_own_family():
    t = np.linspace(0, 1, 12)
    quad = np.stack([1 + 2 * t - 3 * t**2, t**2], axis=-1)[None]
    np.testing.assert_allclose(lr.bezier_fit(quad, 6), quad, atol=1e-12)
    np.testing.assert_allclose(lr.bspline_fit(quad, 8, degree=2), quad, atol=1e-12)


def test_displacement_errors():
    a = np.zeros((2, 3, 2))
    b = a.copy()
    b[1, :, 0] = 3.0
    np.testing.assert_allclose(lr.displacement_error(b, a), [0.0, 3.0])
    np.testing.assert_allclose(lr.min_displacement_error(b, a), [0.0, 0.0])


# ------------------------------------------------------------------- validation
def test_validation_errors(getkey):
    A = np.ones((5, 4))
    with pytest.raises(ValueError, match=r"lowrank.truncated_svd\(k=...\)"):
        lr.truncated_svd(A, 5, key=getkey())
    with pytest.raises(TypeError, match="PRNG key"):
        lr.truncated_svd(A, 2, key=0)
    with pytest.raises(ValueError, match="n_steps"):
        lr.truncated_svd(A, 3, key=getkey(), n_steps=2)
    with pytest.raises(TypeError, match="shape"):
        lr.truncated_svd((lambda X: X, lambda Y: Y), 1, key=getkey())
    with pytest.raises(ValueError, match="matmat"):
        lr.truncated_svd((lambda X: X, lambda Y: Y), 1, key=getkey(), shape=(3, 4))
    with pytest.raises(ValueError, match="finite"):
        lr.truncated_svd(np.full((3, 3), np.nan), 1, key=getkey())
    with pytest.raises(ValueError, match="1-D|2-D"):
        lr.truncated_svd(np.ones(3), 1, key=getkey())
    with pytest.raises(ValueError, match="same number of rows"):
        lr.principal_angles(np.ones((3, 1)), np.ones((4, 1)))
    with pytest.raises(ValueError, match="at least 2 samples"):
        lr.pca(np.ones((1, 3)), 1)
    with pytest.raises(ValueError, match="beta"):
        lr.gavish_donoho_lambda(1.5)
    with pytest.raises(ValueError, match="sigma"):
        lr.optimal_hard_threshold(np.ones(3), (3, 5), sigma=-1.0)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        lr.optimal_hard_threshold(np.ones(4), (3, 5))
    with pytest.raises(ValueError, match="energy"):
        lr.energy_rank([1.0], energy=0.0)
    with pytest.raises(ValueError, match="non-negative"):
        lr.eckart_young_errors([1.0, -1.0], 1)
    with pytest.raises(ValueError, match=r"\(H, W, C\)"):
        lr.eigencam(np.ones((3, 3)))
    with pytest.raises(ValueError, match="even"):
        lr.bezier_fit(np.zeros((2, 10, 2)), 7)
    with pytest.raises(ValueError, match=r"\(N, T, 2\)"):
        lr.fit_trajectory_basis(np.zeros((2, 10, 3)), 2)
    with pytest.raises(TypeError, match="TrajectoryBasis"):
        lr.project_trajectories(np.zeros((4, 2)), np.zeros((2, 2, 2)))


# ------------------------------------------------------------ restarts and the warning
def test_truncated_svd_restarts_and_warns(getkey):
    import warnings

    import eigenbook
    # slowly decaying spectrum: one cycle of 20 steps is not enough for k = 8
    A = sp.random(600, 300, density=0.05, random_state=3, format="csr")
    ref = np.linalg.svd(A.toarray(), compute_uv=False)[:8]
    with warnings.catch_warnings():
        warnings.simplefilter("error", eigenbook.ConvergenceWarning)
        res = lr.truncated_svd(A, 8, key=getkey(), tol=1e-10)
    assert bool(np.all(res.converged))
    np.testing.assert_allclose(res.s, ref, rtol=1e-9)
    with pytest.warns(eigenbook.ConvergenceWarning, match=r"lowrank\.truncated_svd: stopped"):
        short = lr.truncated_svd(A, 8, key=getkey(), max_restarts=0)
    assert not bool(np.all(short.converged))
