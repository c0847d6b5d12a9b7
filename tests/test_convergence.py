"""Convergence reporting of the iterative routines outside the eigensolvers (issue 29).

Each routine returns ``converged`` and its final residual/objective, and emits one
``eigenbook.ConvergenceWarning`` naming itself, the tolerance and what it reached when it
stops short; a converging call emits none.
"""

import warnings

import jax
import numpy as np
import pytest
from eigenbook import ConvergenceWarning, graphs, sketch, tensors


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
