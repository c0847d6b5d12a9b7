"""Tests of eigenbook.graphs: Laplacians, embeddings, cuts, filters, clustering, encodings."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg as sla
import scipy.sparse as sp
from eigenbook import data, graphs
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import laplacian as csgraph_laplacian
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import kneighbors_graph


def random_weights(n, seed, p=0.4):
    """Dense symmetric random weights, connected (a path is added)."""
    rng = np.random.default_rng(seed)
    W = rng.uniform(0.1, 1.0, (n, n)) * (rng.random((n, n)) < p)
    W = np.triu(W, 1)
    W[np.arange(n - 1), np.arange(1, n)] += 0.5
    return W + W.T


def path_graph(n):
    W = np.zeros((n, n))
    W[np.arange(n - 1), np.arange(1, n)] = 1.0
    return W + W.T


# ---------------------------------------------------------------- graphs
def test_knn_graph_pattern_and_weights():
    X = np.random.default_rng(0).standard_normal((120, 3))
    W = graphs.knn_graph(X, 6, sigma=0.7)
    assert abs(W - W.T).max() == 0
    assert W.diagonal().max() == 0
    ref = kneighbors_graph(X, 6, mode="distance")
    ref = ref.maximum(ref.T)
    assert (sp.csr_array(W != 0) != sp.csr_array(ref != 0)).nnz == 0
    r, c = W.nonzero()
    d2 = ((X[r] - X[c]) ** 2).sum(1)
    np.testing.assert_allclose(W[r, c], np.exp(-d2 / (2 * 0.7**2)), rtol=1e-12)


def test_knn_graph_validation():
    X = np.zeros((10, 2))
    with pytest.raises(ValueError, match="graphs.knn_graph"):
        graphs.knn_graph(X, 3)  # all distances zero
    with pytest.raises(ValueError, match="k=..."):
        graphs.knn_graph(np.ones((5, 2)), 5)
    with pytest.raises(TypeError, match="k=..."):
        graphs.knn_graph(np.eye(5), 2.0)
    with pytest.raises(ValueError, match="sigma"):
        graphs.knn_graph(np.eye(5), 2, sigma=0.0)


def test_sbm_density_and_labels(getkey):
    W, lab = graphs.stochastic_block_model([300, 200], 0.1, 0.01, key=getkey())
    assert W.shape == (500, 500) and abs(W - W.T).max() == 0 and W.diagonal().max() == 0
    assert set(np.unique(W.data)) == {1.0}
    np.testing.assert_array_equal(lab, np.repeat([0, 1], [300, 200]))
    A = W.toarray()
    p_in = A[:300, :300].sum() / (300 * 299)
    p_out = A[:300, 300:].mean()
    assert abs(p_in - 0.1) < 0.01 and abs(p_out - 0.01) < 0.003  # > 5 standard deviations


def test_sbm_validation(getkey):
    with pytest.raises(ValueError, match="p_in"):
        graphs.stochastic_block_model([5, 5], 1.5, 0.1, key=getkey())
    with pytest.raises(TypeError, match="sizes"):
        graphs.stochastic_block_model(10, 0.5, 0.1, key=getkey())
    with pytest.raises(TypeError, match="key"):
        graphs.stochastic_block_model([5, 5], 0.5, 0.1, key=0)


# ---------------------------------------------------------------- Laplacians
@pytest.mark.parametrize("sparse", [False, True])
def test_laplacians_match_scipy(sparse):
    W = random_weights(30, 1)
    Wi = sp.csr_array(W) if sparse else W
    dense = (lambda M: M.toarray()) if sparse else np.asarray
    np.testing.assert_allclose(dense(graphs.laplacian(Wi)), csgraph_laplacian(W), atol=1e-14)
    np.testing.assert_allclose(dense(graphs.laplacian(Wi, kind="normalized")),
                               csgraph_laplacian(W, normed=True), atol=1e-14)
    d = W.sum(1)
    np.testing.assert_allclose(dense(graphs.laplacian(Wi, kind="random_walk")),
                               np.eye(30) - W / d[:, None], atol=1e-14)
    np.testing.assert_allclose(graphs.degrees(Wi), d, rtol=1e-14)


def test_laplacian_validation():
    W = random_weights(6, 2)
    with pytest.raises(ValueError, match="kind"):
        graphs.laplacian(W, kind="signless")
    bad = W.copy()
    bad[0, 1] = -1.0
    bad[1, 0] = -1.0
    with pytest.raises(ValueError, match="non-negative"):
        graphs.laplacian(bad)
    asym = W.copy()
    asym[0, 1] += 1.0
    with pytest.raises(ValueError, match="symmetric"):
        graphs.laplacian(sp.csr_array(asym))
    iso = W.copy()
    iso[0, :] = iso[:, 0] = 0
    with pytest.raises(ValueError, match="isolated"):
        graphs.laplacian(iso, kind="normalized")
    with pytest.raises(ValueError, match="W=..."):
        graphs.laplacian(np.ones((3, 4)))


@settings(max_examples=15, deadline=None)
@given(n=st.integers(3, 25), seed=st.integers(0, 10_000))
def test_quadratic_form_identity(n, seed):
    W = random_weights(n, seed)
    x = np.random.default_rng(seed).standard_normal(n)
    q = x @ graphs.laplacian(W) @ x
    assert abs(graphs.dirichlet_energy(W, x) - q) <= 1e-11 * max(q, 1.0)


# ---------------------------------------------------------------- eigenpairs
def test_spectral_embedding_dense_matches_eigh(getkey):
    W = random_weights(40, 3)
    r = graphs.spectral_embedding(W, 4, key=getkey())
    w = np.linalg.eigvalsh(csgraph_laplacian(W, normed=True))
    np.testing.assert_allclose(r.eigenvalues, w[:4], atol=1e-12)
    assert float(jnp.max(r.residual_norms)) < 1e-10


@pytest.mark.parametrize("method", [None, "shift-invert", "lobpcg", "lanczos"])
def test_spectral_embedding_sparse_solvers(getkey, method):
    W = sp.csr_array(random_weights(90, 4, p=0.1))
    r = graphs.spectral_embedding(W, 3, key=getkey(), method=method, n_iter=200)
    w = np.linalg.eigvalsh(csgraph_laplacian(W.toarray(), normed=True))
    np.testing.assert_allclose(r.eigenvalues, w[:3], atol=1e-8)
    V = np.asarray(r.eigenvectors)
    Ls = csgraph_laplacian(W.toarray(), normed=True)
    assert np.max(np.linalg.norm(Ls @ V - V * np.asarray(r.eigenvalues), axis=0)) < 1e-6


def test_spectral_embedding_validation(getkey):
    W = sp.csr_array(random_weights(30, 5))
    with pytest.raises(ValueError, match="preconditioner"):
        graphs.spectral_embedding(W, 2, key=getkey(), method="lanczos",
                                  preconditioner=lambda R: R)
    with pytest.raises(ValueError, match="method"):
        graphs.spectral_embedding(W, 2, key=getkey(), method="arpack")
    with pytest.raises(TypeError, match="key"):
        graphs.spectral_embedding(W, 2, key=1)


def test_fiedler_vector_of_a_path(getkey):
    n = 20
    lam2, v = graphs.fiedler_vector(path_graph(n), key=getkey(), kind="combinatorial")
    assert abs(lam2 - (2 - 2 * np.cos(np.pi / n))) < 1e-12
    # the Fiedler vector of a path is monotone: it splits the path in the middle
    assert np.all(np.diff(v) > 0) or np.all(np.diff(v) < 0)
    with pytest.raises(ValueError, match="n >= 6"):
        graphs.fiedler_vector(path_graph(4), key=getkey())


# ---------------------------------------------------------------- cuts
def test_sweep_cut_profile_matches_conductance():
    W = random_weights(12, 6)
    x = np.random.default_rng(6).standard_normal(12)
    sc = graphs.sweep_cut(W, x)
    order = np.argsort(x)
    for i in range(11):
        mask = np.zeros(12, bool)
        mask[order[: i + 1]] = True
        assert abs(sc.profile[i] - graphs.conductance(W, mask)) < 1e-12
    assert sc.conductance == pytest.approx(graphs.conductance(W, sc.mask))


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_cheeger_inequality(seed):
    W = random_weights(10, seed, p=0.3)
    lam2, v = graphs.fiedler_vector(W, key=jax.random.key(seed))
    h = graphs.cheeger_constant(W)
    phi = graphs.sweep_cut(W, v).conductance
    assert lam2 / 2 <= h + 1e-12
    assert h <= phi + 1e-12
    assert phi <= np.sqrt(2 * lam2) + 1e-12


def test_cut_validation():
    W = random_weights(8, 7)
    with pytest.raises(ValueError, match="non-trivial"):
        graphs.conductance(W, np.ones(8, bool))
    with pytest.raises(TypeError, match="boolean"):
        graphs.conductance(W, np.ones(8))
    with pytest.raises(ValueError, match="n <= 20"):
        graphs.cheeger_constant(random_weights(21, 0))
    with pytest.raises(ValueError, match="x=..."):
        graphs.sweep_cut(W, np.ones(7))


# ---------------------------------------------------------------- signals
def test_heat_filter_matches_expm():
    W = random_weights(25, 8)
    L = graphs.laplacian(W)
    X = np.random.default_rng(8).standard_normal((25, 3))
    out = graphs.spectral_filter(L, X, lambda lam: np.exp(-0.7 * lam))
    np.testing.assert_allclose(out, sla.expm(-0.7 * L) @ X, atol=1e-12)
    np.testing.assert_allclose(graphs.spectral_filter(L, X[:, 0], np.ones_like), X[:, 0],
                               atol=1e-12)
    lam, U = graphs.graph_fourier(sp.csr_array(L))
    np.testing.assert_allclose(U @ np.diag(lam) @ U.T, L, atol=1e-12)


def test_filter_validation():
    L = graphs.laplacian(random_weights(6, 9))
    with pytest.raises(TypeError, match="response"):
        graphs.spectral_filter(L, np.ones(6), 3.0)
    with pytest.raises(ValueError, match="X=..."):
        graphs.spectral_filter(L, np.ones(5), np.exp)
    with pytest.raises(ValueError, match="response"):
        graphs.spectral_filter(L, np.ones(6), lambda lam: lam[:2])
    asym = L.copy()
    asym[0, 1] += 1
    with pytest.raises(ValueError, match="symmetric"):
        graphs.graph_fourier(asym)


# ---------------------------------------------------------------- clustering
def test_kmeans_recovers_separated_blobs(getkey):
    rng = np.random.default_rng(10)
    centres = np.array([[0, 0], [10, 0], [0, 10]])
    lab = np.repeat(np.arange(3), 50)
    X = centres[lab] + rng.standard_normal((150, 2))
    res = graphs.kmeans(X, 3, key=getkey())
    assert adjusted_rand_score(lab, res.labels) == 1.0
    inertia = sum(((X[res.labels == j] - res.centers[j]) ** 2).sum() for j in range(3))
    assert res.inertia == pytest.approx(inertia, rel=1e-10)
    with pytest.raises(ValueError, match="k=..."):
        graphs.kmeans(X, 151, key=getkey())
    with pytest.raises(TypeError, match="key"):
        graphs.kmeans(X, 3, key=None)


def test_spectral_clustering_sbm(getkey):
    W, lab = graphs.stochastic_block_model([40, 40, 40], 0.5, 0.02, key=getkey())
    pred = graphs.spectral_clustering(W.toarray(), 3, key=getkey())
    assert adjusted_rand_score(lab, pred) > 0.95
    with pytest.raises(ValueError, match="embedding"):
        graphs.spectral_clustering(W, 3, key=getkey(), embedding=np.ones((5, 3)))


# ---------------------------------------------------------------- encodings
def test_spe_encoding_basis_invariance():
    n = 16
    W = np.roll(np.eye(n), 1, axis=1)
    lam, U = graphs.graph_fourier(graphs.laplacian(W + W.T))
    phis = [lambda lm: jnp.exp(-lm), lambda lm: lm**2]
    c, s = np.cos(0.7), np.sin(0.7)
    R = np.eye(5)
    R[1:3, 1:3] = [[c, -s], [s, c]]
    R[3:5, 3:5] = [[-1, 0], [0, 1]]  # a sign flip
    E0 = graphs.spe_encoding(lam[:5], U[:, :5], phis)
    E1 = graphs.spe_encoding(lam[:5], U[:, :5] @ R, phis)
    assert E0.shape == (2, n, n)
    assert float(jnp.max(jnp.abs(E0 - E1))) < 1e-13
    np.testing.assert_allclose(E0[1], U[:, :5] @ np.diag(lam[:5] ** 2) @ U[:, :5].T, atol=1e-13)
    with pytest.raises(TypeError, match="phis"):
        graphs.spe_encoding(lam[:5], U[:, :5], [])
    with pytest.raises(ValueError, match="eigenvalues"):
        graphs.spe_encoding(lam[:4], U[:, :5], phis)


def test_align_signs():
    V = np.random.default_rng(11).standard_normal((10, 3))
    flipped = V * np.array([-1, 1, -1])
    np.testing.assert_allclose(graphs.align_signs(flipped, V), V)
    with pytest.raises(ValueError, match="V_ref"):
        graphs.align_signs(V, V[:, :2])


# ---------------------------------------------------------------- smooth vectors
@pytest.mark.filterwarnings("ignore::eigenbook.ConvergenceWarning")  # approximate by design
def test_smooth_vectors_ritz_values_bound_eigenvalues(getkey):
    W = sp.csr_array(random_weights(80, 12, p=0.08))
    w = np.linalg.eigvalsh(csgraph_laplacian(W.toarray(), normed=True))
    few = graphs.smooth_vectors(W, 3, key=getkey(), n_sweeps=3)
    many = graphs.smooth_vectors(W, 3, key=getkey(), n_sweeps=60, n_vectors=8)
    # Ritz values from any subspace are upper bounds (Courant–Fischer)
    assert np.all(np.asarray(few.eigenvalues) >= w[:3] - 1e-12)
    assert np.all(np.asarray(many.eigenvalues) >= w[:3] - 1e-12)
    np.testing.assert_allclose(many.eigenvalues, w[:3], atol=1e-6)
    assert float(jnp.sum(few.eigenvalues)) > float(jnp.sum(many.eigenvalues))
    # far too many sweeps: every vector collapses onto the constant one (no orthogonalisation)
    collapsed = graphs.smooth_vectors(W, 3, key=getkey(), n_sweeps=400, n_vectors=8)
    assert float(collapsed.eigenvalues[2]) > w[2] + 0.1
    with pytest.raises(ValueError, match="omega"):
        graphs.smooth_vectors(W, 3, key=getkey(), omega=1.5)
    with pytest.raises(ValueError, match="n_vectors"):
        graphs.smooth_vectors(W, 3, key=getkey(), n_vectors=2)


def test_augment_with_attributes():
    W = random_weights(6, 13)
    F = np.eye(3)[[0, 0, 1, 1, 2, 2]]
    A = graphs.augment_with_attributes(W, F, weight=2.0).toarray()
    assert A.shape == (9, 9)
    np.testing.assert_allclose(A[:6, :6], W)
    np.testing.assert_allclose(A[:6, 6:], 2 * F)
    np.testing.assert_allclose(A, A.T)
    assert not A[6:, 6:].any()
    with pytest.raises(ValueError, match="attributes"):
        graphs.augment_with_attributes(W, F[:5])
    with pytest.raises(ValueError, match="weight"):
        graphs.augment_with_attributes(W, F, weight=0.0)


# ---------------------------------------------------------------- learned basis
def test_learn_nested_basis_finds_ordered_eigenvectors(getkey):
    Q = np.asarray(data.haar_orthogonal(30, key=jax.random.key(14)))
    S = (Q * np.r_[3.0, 2.0, 1.0, 0.3 * np.ones(27)]) @ Q.T
    res = graphs.learn_nested_basis(S, 2, key=getkey(), n_steps=600, learning_rate=0.1)
    for k in (1, 2):
        angle = np.degrees(sla.subspace_angles(res.basis[:, :k], Q[:, :k]).max())
        assert angle < 5.0
    np.testing.assert_allclose(res.energies, [9.0, 4.0], rtol=0.02)
    assert res.loss_history[-100:].mean() < res.loss_history[:10].mean()
    with pytest.raises(ValueError, match="K=..."):
        graphs.learn_nested_basis(S, 31, key=getkey())
    with pytest.raises(ValueError, match="learning_rate"):
        graphs.learn_nested_basis(S, 2, key=getkey(), learning_rate=-1.0)


def test_shift_invert_keeps_the_multiplicity_of_zero(getkey):
    """Three disconnected copies of a graph: eigenvalue 0 three times, then the others of
    the copy three times each; the default (shift-invert) and LOBPCG find them all."""
    one = random_weights(40, 11, p=0.3)
    W = sp.csr_array(sla.block_diag(one, one, one))
    w = np.linalg.eigvalsh(csgraph_laplacian(W.toarray(), normed=True))
    for method in (None, "lobpcg"):
        r = graphs.spectral_embedding(W, 6, key=getkey(), method=method, n_iter=400)
        np.testing.assert_allclose(r.eigenvalues, w[:6], atol=1e-8)
        assert bool(np.all(r.converged))


def test_shift_invert_far_from_zero_still_meets_tol(getkey):
    """A dense random graph: the smallest non-trivial eigenvalues are near 1, where the
    inverse's residual is 1000 times smaller than L_sym's; the second solve makes up for it."""
    W = sp.csr_array(random_weights(120, 12, p=0.5))
    r = graphs.spectral_embedding(W, 4, key=getkey())
    w = np.linalg.eigvalsh(csgraph_laplacian(W.toarray(), normed=True))
    np.testing.assert_allclose(r.eigenvalues, w[:4], atol=1e-9)
    assert bool(np.all(r.converged)) and float(r.eigenvalues[1]) > 0.3
