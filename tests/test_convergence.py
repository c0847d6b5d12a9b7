"""Convergence reporting of the iterative routines (issue 29).

(Lanczos and LOBPCG are tested in ``test_eigen.py``; here the other routines.)

Each routine returns ``converged`` and its final residual/objective, and emits one
``eigenbook.ConvergenceWarning`` naming itself, the tolerance and what it reached when it
stops short; a converging call emits none.
"""

import warnings

import jax
import numpy as np
import pytest
from eigenbook import ConvergenceWarning, data, eigen, graphs, lowrank, orth, sketch, tensors


@pytest.fixture
def no_convergence_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        yield


def _ill_conditioned(n=60, d=8, seed=0):
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((n, d)))
    V, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return U @ np.diag(np.logspace(0, -6, d)) @ V.T, rng.standard_normal(n)


def test_sketch_precondition_lstsq_warns_when_stopped_short():
    A, b = _ill_conditioned()
    with pytest.warns(ConvergenceWarning, match=r"sketch\.sketch_precondition_lstsq: stopped "
                                                r"after n_iter=1 .* > tol=1\.00e-14"):
        res = sketch.sketch_precondition_lstsq(A, b, key=jax.random.key(0), max_steps=1)
    assert not res.converged and res.optimality > 1e-14 and res.n_iter == 1


def test_sketch_precondition_lstsq_converges_silently(no_convergence_warning):
    A, b = _ill_conditioned()
    res = sketch.sketch_precondition_lstsq(A, b, key=jax.random.key(0))
    assert res.converged and res.optimality <= 1e-14
    np.testing.assert_allclose(res.x, np.linalg.lstsq(A, b, rcond=None)[0], rtol=1e-6)


def _random_tensor(shape=(3, 3, 4), seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def test_cp_decompose_warns_when_stopped_short():
    M = _random_tensor()
    with pytest.warns(ConvergenceWarning, match=r"tensors\.cp_decompose: stopped after "
                                                r"n_iter=2 with change of the relative error"):
        cp = tensors.cp_decompose(M, 3, key=jax.random.key(0), n_iter=2)
    assert not cp.converged and cp.change > 1e-8
    assert cp.residual == pytest.approx(np.linalg.norm(
        M - np.einsum("ir,jr,kr->ijk", cp.A, cp.B, cp.C)))


def test_cp_decompose_converges_silently(no_convergence_warning):
    rng = np.random.default_rng(1)
    a, b, c = rng.standard_normal(3), rng.standard_normal(3), rng.standard_normal(4)
    M = np.einsum("i,j,k->ijk", a, b, c)  # rank 1: ALS is exact after one sweep
    cp = tensors.cp_decompose(M, 1, key=jax.random.key(0), n_iter=20)
    assert cp.converged and cp.residual < 1e-10 * np.linalg.norm(M)


def _blobs(seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    return np.concatenate([c + rng.standard_normal((30, 2)) for c in centres])


def test_kmeans_warns_when_stopped_short():
    X = np.random.default_rng(2).standard_normal((200, 2))  # no clusters: many Lloyd steps
    with pytest.warns(ConvergenceWarning, match=r"graphs\.kmeans: stopped after n_iter=1 "
                                                r"with points changing cluster"):
        res = graphs.kmeans(X, 5, key=jax.random.key(0), n_init=1, n_iter=1)
    assert not res.converged and res.n_changed > 0 and res.n_iter == 1


def test_kmeans_converges_silently(no_convergence_warning):
    res = graphs.kmeans(_blobs(), 3, key=jax.random.key(0))
    assert res.converged and res.n_changed == 0 and res.n_iter < 100
    assert len(np.unique(res.labels)) == 3


def _one_warning(record):
    """The record of ``pytest.warns`` holds exactly one ConvergenceWarning."""
    assert sum(issubclass(w.category, ConvergenceWarning) for w in record) == 1


# ------------------------------------------------------------- eigen: fixed-step solvers


def _spectrum(eigenvalues, seed=0):
    return np.asarray(data.symmetric_with_spectrum(np.asarray(eigenvalues),
                                                   key=jax.random.key(seed)).A)


SLOW = _spectrum(np.r_[1.0, 0.99, np.linspace(0.5, 0.0, 28)])   # lambda_2 / lambda_1 = 0.99
FAST = _spectrum(np.r_[10.0, 8.0, 6.0, np.linspace(1.0, 0.0, 27)])


def test_power_iteration_warns_when_stopped_short():
    with pytest.warns(ConvergenceWarning, match=r"eigen\.power_iteration: stopped after "
                                                r"n_iter=5 with relative residual .* > "
                                                r"tol=1\.49e-08") as rec:
        res = eigen.power_iteration(SLOW, key=jax.random.key(0), n_iter=5)
    _one_warning(rec)
    assert not bool(res.converged)
    assert float(res.residual_norm) == float(res.residual_history[-1]) > 1.49e-8
    with pytest.warns(ConvergenceWarning, match=r"tol=1\.00e-20"):
        eigen.power_iteration(FAST, key=jax.random.key(0), n_iter=200, tol=1e-20)


def test_power_iteration_converges_silently(no_convergence_warning):
    res = eigen.power_iteration(FAST, key=jax.random.key(0), n_iter=200)
    assert bool(res.converged) and float(res.residual_norm) <= 1.49e-8 * 10.0
    assert float(res.eigenvalue) == pytest.approx(10.0, rel=1e-12)
    # the new fields are appended: the old positional layout is unchanged
    assert res[:5] == (res.eigenvalue, res.eigenvector, res.rayleigh_history,
                       res.residual_history, res.angle_history)


@pytest.mark.parametrize("solver, short, enough, match", [
    (eigen.subspace_iteration, {"n_iter": 2}, {"n_iter": 200},
     r"eigen\.subspace_iteration: stopped after n_iter=2 with relative residual"),
    (eigen.chebyshev_filtered_subspace_iteration, {"degree": 2, "n_iter": 1},
     {"degree": 12, "n_iter": 12},
     r"eigen\.chebyshev_filtered_subspace_iteration: stopped after n_iter=1 with relative "
     r"residual"),
])
def test_block_iterations_warn_when_stopped_short(solver, short, enough, match):
    with pytest.warns(ConvergenceWarning, match=match + r" .* > tol=1\.49e-08") as rec:
        res = solver(FAST, 2, key=jax.random.key(0), **short)
    _one_warning(rec)
    assert not bool(np.all(res.converged))
    with pytest.warns(ConvergenceWarning, match=r"tol=1\.00e-20"):
        solver(FAST, 2, key=jax.random.key(0), tol=1e-20, **enough)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        res = solver(FAST, 2, key=jax.random.key(0), **enough)
    assert bool(np.all(res.converged))
    np.testing.assert_allclose(res.eigenvalues, [10.0, 8.0], rtol=1e-10)


# ------------------------------------------------------------------ graphs.smooth_vectors


def _ring(n=12):
    W = np.zeros((n, n))
    for i in range(n):
        W[i, (i + 1) % n] = W[(i + 1) % n, i] = 1.0
    return W


def test_smooth_vectors_warns_when_not_converged():
    with pytest.warns(ConvergenceWarning, match=r"graphs\.smooth_vectors: stopped with "
                                                r"residual .* > tol=1\.49e-08\. "
                                                r"\(n_sweeps=3\)") as rec:
        res = graphs.smooth_vectors(_ring(), 2, key=jax.random.key(0), n_sweeps=3)
    _one_warning(rec)
    assert not bool(np.all(res.converged)) and int(res.n_steps) == 3


def test_smooth_vectors_converges_silently(no_convergence_warning):
    # complete graph K_8: L_sym has eigenvalues 0 and 8/7, damped by |1 - (2/3)(8/7)| = 5/21
    # per sweep, so 40 sweeps leave the constant vector to round-off
    W = np.ones((8, 8)) - np.eye(8)
    res = graphs.smooth_vectors(W, 1, key=jax.random.key(0), n_sweeps=40)
    assert bool(res.converged[0]) and abs(float(res.eigenvalues[0])) < 1e-12
    # a looser tol is how a caller says how smooth is smooth enough
    loose = graphs.smooth_vectors(_ring(), 1, key=jax.random.key(0), n_sweeps=200, tol=0.5)
    assert bool(loose.converged[0])


# ------------------------------------------------------------------------ orth: polar


def _conditioned(n=20, cond=1e6, seed=0):
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((n, n)))
    V, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (U * np.logspace(0, -np.log10(cond), n)) @ V.T, U @ V.T


@pytest.mark.parametrize("fn, short, match", [
    (orth.polar_newton, {"n_iter": 1, "scaled": False},
     r"orth\.polar_newton: stopped after n_iter=1"),
    (orth.polar_qdwh, {"n_iter": 1}, r"orth\.polar_qdwh: stopped after n_iter=1"),
    (orth.polar_qdwh, {"l0": 0.9}, r"orth\.polar_qdwh: stopped after n_iter=2"),  # l0 too large
])
def test_polar_iterations_warn_when_stopped_short(fn, short, match):
    A, _ = _conditioned()
    with pytest.warns(ConvergenceWarning,
                      match=match + r" with \|\|Q\^T Q - I\|\|_F .* > tol=1\.49e-08") as rec:
        res = fn(A, **short)
    _one_warning(rec)
    Q = np.asarray(res.Q)
    defect = np.linalg.norm(Q.T @ Q - np.eye(Q.shape[1]))
    assert not bool(res.converged) and float(res.residual) == pytest.approx(defect, rel=1e-10)
    assert defect > 1e-3


@pytest.mark.parametrize("fn", [orth.polar_newton, orth.polar_qdwh])
def test_polar_iterations_converge_silently(fn, no_convergence_warning):
    A, P = _conditioned()
    res = fn(A)
    assert isinstance(res, orth.PolarResult) and bool(res.converged)
    assert float(res.residual) <= 1.49e-8
    np.testing.assert_allclose(res.Q, P, atol=1e-9)
    Q, converged, residual, n_iter = res  # the documented layout
    assert n_iter == res.n_iter >= 1


def test_fit_ns_coeffs_reports_its_objective(no_convergence_warning):
    # no known minimum, hence no tolerance and no warning: the objective is reported
    fit = orth.fit_ns_coeffs(8, 8, key=jax.random.key(0), n_matrices=2, n_steps=200)
    assert isinstance(fit, orth.NSCoeffsFit) and fit.coeffs.shape == (3,)
    assert 0.0 < fit.objective < fit.initial_objective


# -------------------------------------------------------------------------- lowrank.pca


def test_pca_warns_when_components_miss_tol():
    X = np.random.default_rng(3).standard_normal((30, 6))
    # rounding (~1e-16 relative) cannot reach 1e-20: the restarts run out, for the dense
    # path too
    for key in (jax.random.key(0), None):
        with pytest.warns(ConvergenceWarning, match=r"lowrank\.pca: stopped with relative "
                                                    r"residual of the components .* > "
                                                    r"tol=1\.00e-20") as rec:
            res = lowrank.pca(X, 2, key=key, tol=1e-20)
        _one_warning(rec)
        assert not bool(np.all(res.converged)) and res.residual_norms.shape == (2,)


def test_pca_with_key_converges_silently(no_convergence_warning):
    X = np.random.default_rng(3).standard_normal((30, 6))
    res = lowrank.pca(X, 2, key=jax.random.key(0))
    dense = lowrank.pca(X, 2)
    assert bool(np.all(res.converged)) and bool(np.all(dense.converged))
    Xc = X - X.mean(0)
    U = np.asarray(res.scores) / np.asarray(res.singular_values)
    V = np.asarray(res.components).T
    explicit = np.sqrt(np.sum((Xc @ V - U * res.singular_values) ** 2, 0)
                       + np.sum((Xc.T @ U - V * res.singular_values) ** 2, 0))
    np.testing.assert_allclose(res.residual_norms, explicit, atol=1e-12)
    sines = np.sin(np.asarray(lowrank.principal_angles(res.components.T, dense.components.T)))
    assert sines.max() < 1e-8
