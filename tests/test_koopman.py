"""Tests for eigenbook.koopman against numpy/scipy references, PyDMD, and properties."""

import warnings

import jax
import numpy as np
import pytest
import scipy.linalg as sla
from eigenbook import ConvergenceWarning, data, koopman
from hypothesis import given, settings
from hypothesis import strategies as st


def _match(a, b):
    d = np.abs(np.asarray(a)[:, None] - np.asarray(b)[None, :])
    return max(d.min(axis=1).max(), d.min(axis=0).max())


@pytest.fixture(scope="module")
def lin():
    lam = np.exp(-0.02 * np.arange(1, 9) + 1j * np.linspace(0.2, 2.5, 8))
    return data.linear_system_snapshots(lam, 60, key=jax.random.key(3), conditioning=5.0)


@pytest.fixture(scope="module")
def cat():
    s = data.cat_map_samples(24)
    C = data.numpy_rng(jax.random.key(1)).random((30, 2))
    w = 2 / np.sqrt(30)
    return (s, koopman.gaussian_rbf(s.x, C, width=w, period=1.0),
            koopman.gaussian_rbf(s.y, C, width=w, period=1.0))


# -- DMD --------------------------------------------------------------------------------------

def test_linear_system_generator_has_the_spectrum(lin):
    assert _match(np.linalg.eigvals(lin.A), lin.eigenvalues) < 1e-10
    np.testing.assert_allclose(lin.A @ lin.X[:, :-1], lin.X[:, 1:], atol=1e-10)


def test_dmd_recovers_a_linear_system_and_matches_numpy(lin):
    r = koopman.dmd(lin.X, 16)
    assert _match(r.eigenvalues, lin.eigenvalues) < 1e-9
    X, Y = lin.X[:, :-1], lin.X[:, 1:]
    assert _match(r.eigenvalues, np.linalg.eigvals(Y @ np.linalg.pinv(X))) < 1e-8
    assert r.residuals.max() < 1e-9
    # exact modes are eigenvectors of A
    np.testing.assert_allclose(lin.A @ r.modes, r.modes * r.eigenvalues, atol=1e-8)
    rec = koopman.dmd_reconstruct(r, lin.X.shape[1])
    assert np.linalg.norm(rec - lin.X) / np.linalg.norm(lin.X) < 1e-9


def test_dmd_matches_pydmd(lin):
    from pydmd import DMD
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = DMD(svd_rank=10, exact=True).fit(lin.X)
    r = koopman.dmd(lin.X, 10)
    assert _match(r.eigenvalues, ref.eigs) < 1e-10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref_p = DMD(svd_rank=10, exact=False).fit(lin.X)
    rp = koopman.dmd(lin.X, 10, method="projected")
    assert _match(rp.eigenvalues, ref_p.eigs) < 1e-10
    np.testing.assert_allclose(np.abs(koopman.dmd_reconstruct(r, lin.X.shape[1])),
                               np.abs(ref.reconstructed_data), rtol=1e-6, atol=1e-8)


def test_dmd_with_explicit_pairs_equals_sequence(lin):
    a = koopman.dmd(lin.X, 6)
    b = koopman.dmd(lin.X[:, :-1], 6, Y=lin.X[:, 1:])
    np.testing.assert_allclose(np.sort_complex(a.eigenvalues), np.sort_complex(b.eigenvalues))


def test_projected_and_exact_share_eigenvalues(lin):
    a = koopman.dmd(lin.X, 7)
    b = koopman.dmd(lin.X, 7, method="projected")
    np.testing.assert_allclose(np.sort_complex(a.eigenvalues), np.sort_complex(b.eigenvalues))
    assert b.modes.shape == a.modes.shape == (16, 7)


def test_travelling_waves_need_pairs():
    W = data.travelling_waves(64, 80, speeds=[1.0], wavenumbers=[3], dt=0.1)
    r = koopman.dmd(W, 2)
    assert _match(r.eigenvalues, np.exp(1j * 0.3 * np.array([1, -1]))) < 1e-10


def test_hankel_layout():
    x = np.arange(10.0)
    H = koopman.hankel(x, 3)
    assert H.shape == (3, 8)
    np.testing.assert_array_equal(H[:, 0], [0, 1, 2])
    np.testing.assert_array_equal(H[:, -1], [7, 8, 9])
    H2 = koopman.hankel(np.stack([x, -x]), 2)
    assert H2.shape == (4, 9)


# -- EDMD and ResDMD ----------------------------------------------------------------------------

def test_cat_map_grid_is_permuted():
    s = data.cat_map_samples(10)
    key = lambda p: np.round(p * 10).astype(int) % 10  # noqa: E731
    a = {tuple(v) for v in key(s.x)}
    b = {tuple(v) for v in key(s.y)}
    assert a == b and len(a) == 100


def test_edmd_matches_gram_formula(cat):
    s, PX, PY = cat
    e = koopman.edmd(PX, PY, weights=s.weights)
    W = np.diag(s.weights)
    G, A = PX.T @ W @ PX, PX.T @ W @ PY
    np.testing.assert_allclose(e.K, np.linalg.solve(G, A), rtol=1e-6, atol=1e-8)


def test_resdmd_residuals_match_quadratic_form(cat):
    s, PX, PY = cat
    e = koopman.edmd(PX, PY, weights=s.weights)
    W = np.diag(s.weights)
    G, A, L = PX.T @ W @ PX, PX.T @ W @ PY, PY.T @ W @ PY
    want = []
    for lam, g in zip(e.eigenvalues, e.eigenvectors.T, strict=True):
        M = L - lam * A.conj().T - np.conj(lam) * A + abs(lam) ** 2 * G
        want.append(np.sqrt(max((g.conj() @ M @ g).real, 0) / (g.conj() @ G @ g).real))
    np.testing.assert_allclose(e.residuals, want, rtol=1e-5, atol=1e-6)
    got = koopman.resdmd_residuals(PX, PY, e.eigenvalues, e.eigenvectors, weights=s.weights)
    np.testing.assert_allclose(got, e.residuals, rtol=1e-10)


def test_residual_bounds_distance_for_unitary_map(cat):
    s, PX, PY = cat
    e = koopman.edmd(PX, PY)
    assert np.min(e.residuals - (1 - np.abs(e.eigenvalues))) > -1e-8


def test_pseudospectrum_matches_generalised_eigenproblem(cat):
    s, PX, PY = cat
    z = np.array([0.3 + 0.1j, 1.0, -0.9j, 1.4])
    got = koopman.pseudospectrum(PX, PY, z, weights=s.weights, chunk=3).residuals
    W = np.diag(s.weights)
    G, A, L = PX.T @ W @ PX, PX.T @ W @ PY, PY.T @ W @ PY
    for zi, gi in zip(z, got, strict=True):
        M = L - zi * A.conj().T - np.conj(zi) * A + abs(zi) ** 2 * G
        want = np.sqrt(max(sla.eigh(M, G, eigvals_only=True)[0], 0))
        assert gi == pytest.approx(want, rel=1e-4, abs=1e-6)
    # bounded below by the distance to the unit circle (unitary operator, exact quadrature)
    assert np.all(got >= np.abs(np.abs(z) - 1) - 1e-8)


def test_pseudospectrum_decreases_with_nested_dictionaries():
    s = data.cat_map_samples(20)
    C = data.numpy_rng(jax.random.key(2)).random((40, 2))
    z = np.exp(1j * np.linspace(0, 6, 7))
    taus = [koopman.pseudospectrum(koopman.gaussian_rbf(s.x, C[:N], width=0.3, period=1.0),
                                   koopman.gaussian_rbf(s.y, C[:N], width=0.3, period=1.0),
                                   z).residuals for N in (10, 20, 40)]
    assert np.all(taus[1] <= taus[0] + 1e-10) and np.all(taus[2] <= taus[1] + 1e-10)


def test_gaussian_rbf_periodic():
    x = np.array([[0.05, 0.5], [0.95, 0.5]])
    c = np.array([[0.0, 0.5]])
    P = koopman.gaussian_rbf(x, c, width=0.1, period=1.0)
    assert P[0, 0] == pytest.approx(P[1, 0])
    Q = koopman.gaussian_rbf(x, c, width=0.1)
    assert Q[1, 0] < P[1, 0]


# -- POD and local bases ----------------------------------------------------------------------

def test_pod_matches_numpy_svd():
    S = np.asarray(data.bump_snapshots(30, key=jax.random.key(0), n_x=64))
    p = koopman.pod(S, 4)
    U, s, _ = np.linalg.svd(S, full_matrices=False)
    np.testing.assert_allclose(p.singular_values, s)
    np.testing.assert_allclose(np.abs(p.modes.T @ U[:, :4]), np.eye(4), atol=1e-8)


def test_width_profile_is_relative_tail():
    s = np.array([4.0, 2.0, 1.0])
    np.testing.assert_allclose(koopman.width_profile(s, 4),
                               [np.sqrt(5 / 21), np.sqrt(1 / 21), 0.0, 0.0])


@settings(max_examples=25, deadline=None)
@given(st.floats(0.1, 10.0), st.integers(0, 2**16))
def test_sine_dissimilarity_is_scale_blind(scale, s):
    S = np.asarray(data.numpy_rng(jax.random.key(s)).standard_normal((6, 5)))
    D = koopman.dissimilarity(S)
    S2 = S.copy()
    S2[:, 0] *= -scale
    np.testing.assert_allclose(koopman.dissimilarity(S2), D, atol=1e-7)
    assert np.all(D >= 0) and np.all(D <= 1 + 1e-12)
    np.testing.assert_allclose(np.diag(D), 0, atol=1e-6)


def test_euclidean_dissimilarity_matches_scipy():
    from scipy.spatial.distance import cdist
    S = np.asarray(data.numpy_rng(jax.random.key(0)).standard_normal((5, 7)))
    np.testing.assert_allclose(koopman.dissimilarity(S, metric="euclidean"), cdist(S.T, S.T),
                               atol=1e-10)


def test_cluster_snapshots_separates_directions_and_is_deterministic():
    rng = np.random.default_rng(0)
    dirs = np.eye(8)[:, :3]
    S = np.concatenate([dirs[:, [i]] * rng.uniform(0.1, 10, 20) + 1e-3 * rng.standard_normal(
        (8, 20)) for i in range(3)], axis=1)
    r = koopman.cluster_snapshots(S, 3, key=jax.random.key(0))
    truth = np.repeat(np.arange(3), 20)
    for c in range(3):
        assert len(set(r.labels[truth == c])) == 1
    assert r.converged
    r2 = koopman.cluster_snapshots(S, 3, key=jax.random.key(0))
    np.testing.assert_array_equal(r.labels, r2.labels)
    bases = koopman.local_pod(S, r.labels, 1)
    assert koopman.projection_errors(S, bases, r.labels).max() < 5e-2  # noise 1e-3 / amplitude 0.1


def test_cluster_snapshots_warns_when_capped():
    S = np.asarray(data.bump_snapshots(60, key=jax.random.key(1), n_x=32))
    with pytest.warns(ConvergenceWarning, match="koopman.cluster_snapshots"):
        r = koopman.cluster_snapshots(S, 6, key=jax.random.key(0), max_steps=1, n_init=1)
    assert not r.converged


def test_local_pod_full_rank_is_exact():
    S = np.asarray(data.bump_snapshots(12, key=jax.random.key(2), n_x=40))
    lab = np.arange(12) % 2
    b = koopman.local_pod(S, lab, 6)
    assert koopman.projection_errors(S, b, lab).max() < 1e-10


# -- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("call, exc, match", [
    (lambda X: koopman.dmd(X, 0), ValueError, r"koopman.dmd\(rank=...\)"),
    (lambda X: koopman.dmd(X, 2.5), TypeError, "rank"),
    (lambda X: koopman.dmd(X, 2, method="svd"), ValueError, "method"),
    (lambda X: koopman.dmd(X, 2, Y=X[:, :3]), ValueError, r"\(Y=...\)"),
    (lambda X: koopman.dmd(np.where(X > 0, np.nan, X), 2), ValueError, "NaN"),
    (lambda X: koopman.dmd(X[:, :1], 1), ValueError, "2 snapshots"),
    (lambda X: koopman.dmd(X.astype(str), 2), TypeError, "X"),
    (lambda X: koopman.dmd_reconstruct((1, 2), 3), TypeError, "DMDResult"),
    (lambda X: koopman.hankel(X[0], 0), ValueError, "n_delays"),
    (lambda X: koopman.edmd(X[:3], X[:3]), ValueError, "M >= N"),
    (lambda X: koopman.edmd(X, X[:, :4]), ValueError, "Psi_Y"),
    (lambda X: koopman.edmd(X.T, X.T, weights=-np.ones(X.shape[1])), ValueError, "weights"),
    (lambda X: koopman.resdmd_residuals(X.T, X.T, np.ones(2), np.ones((3, 2))), ValueError,
     "eigenvectors"),
    (lambda X: koopman.pseudospectrum(X.T, X.T, [[1.0]]), ValueError, "z"),
    (lambda X: koopman.gaussian_rbf(X.T, X.T, width=0.0), ValueError, "width"),
    (lambda X: koopman.gaussian_rbf(X.T, X.T[:, :2], width=1.0), ValueError, "centers"),
    (lambda X: koopman.pod(X, 99), ValueError, "k"),
    (lambda X: koopman.pod(np.zeros_like(X), 1), ValueError, "zero"),
    (lambda X: koopman.dissimilarity(X, metric="cosine"), ValueError, "metric"),
    (lambda X: koopman.cluster_snapshots(X, 2, key=0), TypeError, "key"),
    (lambda X: koopman.cluster_snapshots(X, 99, key=jax.random.key(0)), ValueError, "k"),
    (lambda X: koopman.local_pod(X, np.zeros(3, int), 1), ValueError, "labels"),
    (lambda X: koopman.local_pod(X, np.zeros(X.shape[1]), 1), TypeError, "labels"),
    (lambda X: koopman.width_profile([-1.0, 1.0], 2), ValueError, "singular_values"),
    (lambda X: data.linear_system_snapshots([0.5 - 0.1j], 5, key=jax.random.key(0)),
     ValueError, "eigenvalues"),
    (lambda X: data.travelling_waves(8, 8, speeds=[1.0], wavenumbers=[0.5]), ValueError,
     "wavenumbers"),
    (lambda X: data.bump_snapshots(5, key=jax.random.key(0), amplitude_range=(2.0, 1.0)),
     ValueError, "amplitude_range"),
])
def test_bad_input(call, exc, match):
    X = np.asarray(data.numpy_rng(jax.random.key(0)).standard_normal((6, 10)))
    with pytest.raises(exc, match=match):
        call(X)
