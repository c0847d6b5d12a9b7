"""Tests of the compression part of eigenbook.lowrank (chapter 03): weighted low-rank
approximation, Fisher importance, adapters, Tucker adapters and matrix completion."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from eigenbook import ConvergenceWarning, data, nn
from eigenbook import lowrank as lr
from hypothesis import given, settings
from hypothesis import strategies as st

RNG = np.random.default_rng(7)
A = RNG.standard_normal((12, 9))


# ------------------------------------------------------------------ weighted SVD
def test_weighted_svd_with_unit_weights_is_the_svd():
    f = lr.weighted_svd(A, 3)
    np.testing.assert_allclose(f.left @ f.right, lr.best_rank_k(A, 3), atol=1e-12)
    np.testing.assert_allclose(f.s, np.linalg.svd(A, compute_uv=False)[:3], rtol=1e-12)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([1, 3]))
def test_weighted_svd_is_optimal_in_its_norm(seed, k):
    rng = np.random.default_rng(seed)
    r, c = rng.uniform(0.1, 3, 12), rng.uniform(0.1, 3, 9)
    f = lr.weighted_svd(A, k, row_weights=r, col_weights=c)
    B = np.asarray(f.left @ f.right)
    assert np.linalg.matrix_rank(B) == k
    s = np.linalg.svd(np.sqrt(r)[:, None] * A * np.sqrt(c), compute_uv=False)
    err = lr.weighted_error(A, B, row_weights=r, col_weights=c)
    np.testing.assert_allclose(err, np.sqrt(np.sum(s[k:] ** 2)), rtol=1e-10)
    # the SVD is worse in the weighted norm, better in the Frobenius norm
    S = np.asarray(lr.best_rank_k(A, k))
    assert err <= lr.weighted_error(A, S, row_weights=r, col_weights=c) * (1 + 1e-12)
    assert lr.weighted_error(A, S) <= lr.weighted_error(A, B) * (1 + 1e-12)


def test_weighted_svd_zero_weights_on_one_side():
    r = np.ones(12)
    r[:4] = 0.0                                      # four rows do not count
    f = lr.weighted_svd(A, 2, row_weights=r)
    B = np.asarray(f.left @ f.right)
    assert np.all(np.isfinite(B))
    ref = lr.weighted_svd(A[4:], 2)                  # the weighted rows alone
    np.testing.assert_allclose(B[4:], ref.left @ ref.right, atol=1e-10)
    c = np.ones(9)
    c[0] = 0
    f2 = lr.weighted_svd(A, 2, col_weights=c)
    assert np.all(np.isfinite(f2.left @ f2.right))
    with pytest.raises(ValueError, match=r"lowrank.weighted_svd\(col_weights"):
        lr.weighted_svd(A, 2, row_weights=r, col_weights=c)


def test_weighted_error_matches_numpy():
    B = RNG.standard_normal(A.shape)
    W = RNG.uniform(size=A.shape)
    r = RNG.uniform(0.5, 2, 12)
    ref = np.sqrt(np.sum(W * r[:, None] * (A - B) ** 2))
    np.testing.assert_allclose(lr.weighted_error(A, B, row_weights=r, weights=W), ref,
                               rtol=1e-12)
    np.testing.assert_allclose(lr.weighted_error(A, B), np.linalg.norm(A - B), rtol=1e-12)


@pytest.mark.parametrize("bad,exc,arg", [
    (dict(k=0), ValueError, "k"), (dict(k=2.0), TypeError, "k"),
    (dict(row_weights=-np.ones(12)), ValueError, "row_weights"),
    (dict(col_weights=np.ones(8)), ValueError, "col_weights"),
    (dict(col_weights=np.full(9, np.nan)), ValueError, "col_weights"),
])
def test_weighted_svd_bad_input(bad, exc, arg):
    kw = dict(k=2) | bad
    with pytest.raises(exc, match=rf"lowrank.weighted_svd\({arg}="):
        lr.weighted_svd(A, **kw)


# ------------------------------------------------------------------ weighted ALS
def test_weighted_low_rank_unit_weights_reaches_the_svd_error():
    res = lr.weighted_low_rank(A, np.ones_like(A), 2, max_steps=300, tol=1e-12)
    err = lr.weighted_error(A, np.asarray(res.U @ res.V.T))
    np.testing.assert_allclose(err, lr.eckart_young_errors(np.linalg.svd(A, compute_uv=False),
                                                           2).frobenius, rtol=1e-6)


@pytest.mark.parametrize("method", ["exact", "cg"])
def test_weighted_low_rank_is_monotone_and_beats_svd_in_its_norm(method):
    W = RNG.uniform(size=A.shape) ** 3
    res = lr.weighted_low_rank(A, W, 2, method=method, cg_tol=1e-6, max_cg_steps=2,
                               max_steps=200, tol=1e-10)
    assert res.converged and res.n_steps == res.residuals.size
    assert np.all(np.diff(res.residuals) <= 1e-12)
    B = np.asarray(res.U @ res.V.T)
    assert lr.weighted_error(A, B, weights=W) < lr.weighted_error(A, lr.best_rank_k(A, 2),
                                                                  weights=W)
    assert (res.cg_steps > 0) == (method == "cg")


def test_weighted_low_rank_warns_when_short():
    W = RNG.uniform(size=A.shape)
    with pytest.warns(ConvergenceWarning, match="lowrank.weighted_low_rank"):
        res = lr.weighted_low_rank(A, W, 3, max_steps=2, tol=1e-14)
    assert not res.converged and res.n_steps == 2


def test_weighted_low_rank_bad_input():
    with pytest.raises(ValueError, match=r"weighted_low_rank\(weights="):
        lr.weighted_low_rank(A, -np.ones_like(A), 2)
    with pytest.raises(ValueError, match=r"weighted_low_rank\(weights="):
        lr.weighted_low_rank(A, np.ones((3, 3)), 2)
    with pytest.raises(ValueError, match=r"weighted_low_rank\(method="):
        lr.weighted_low_rank(A, np.ones_like(A), 2, method="lu")
    W = np.ones_like(A)
    W[0] = 0.0                                        # a row without weight: singular solve
    with pytest.raises(ValueError, match="ridge"):
        lr.weighted_low_rank(A, W, 2)
    res = lr.weighted_low_rank(A, W, 2, ridge=1e-8)
    assert np.all(np.isfinite(res.U))


# ------------------------------------------------------------------ Fisher
def test_layer_fisher_matches_per_sample_gradients():
    params = nn.init_mlp([5, 7, 6, 3], key=jax.random.key(0))
    x = jax.random.normal(jax.random.key(1), (11, 5))
    y = jnp.arange(11) % 3
    for layer in range(3):
        def loss_one(W, xi, yi, layer=layer):
            q = list(params)
            q[layer] = (W, params[layer][1])
            return nn.cross_entropy(nn.mlp(q, xi[None]), yi[None])

        g = jax.vmap(jax.grad(loss_one), (None, 0, 0))(params[layer][0], x, y)
        fisher = lr.layer_fisher(params, x, y, layer=layer)
        np.testing.assert_allclose(fisher, jnp.mean(g**2, axis=0), atol=1e-14)


def test_layer_fisher_bad_input():
    params = nn.init_mlp([5, 4, 3], key=jax.random.key(0))
    x = np.ones((4, 5))
    with pytest.raises(ValueError, match=r"layer_fisher\(layer="):
        lr.layer_fisher(params, x, np.zeros(4, int), layer=2)
    with pytest.raises(ValueError, match=r"layer_fisher\(labels="):
        lr.layer_fisher(params, x, np.full(4, 3), layer=0)
    with pytest.raises(ValueError, match=r"layer_fisher\(x="):
        lr.layer_fisher(params, np.ones((4, 6)), np.zeros(4, int), layer=0)
    with pytest.raises(TypeError, match=r"layer_fisher\(params="):
        lr.layer_fisher({"W": 1}, x, np.zeros(4, int), layer=0)


# ------------------------------------------------------------------ adapters
def test_svd_adapter_merges_exactly_and_is_orthonormal():
    ad = lr.svd_adapter(A, 4)
    np.testing.assert_allclose(lr.merge_adapter(ad), A, atol=1e-13)
    assert float(lr.orthonormality_defect(ad.U, ad.Vt)) < 1e-13
    np.testing.assert_allclose(np.linalg.norm(ad.residual, 2),
                               np.linalg.svd(A, compute_uv=False)[4], rtol=1e-12)


def test_orthonormality_defect_under_jit_and_grad():
    U, Vt = 2.0 * np.eye(4, 2), np.eye(2, 3)
    expected = np.linalg.norm(U.T @ U - np.eye(2)) + np.linalg.norm(Vt @ Vt.T - np.eye(2))
    np.testing.assert_allclose(lr.orthonormality_defect(U, Vt), expected, rtol=1e-12)
    f = jax.jit(lr.orthonormality_defect)
    np.testing.assert_allclose(f(U, Vt), expected, rtol=1e-12)
    g = jax.grad(lambda u: lr.orthonormality_defect(u, Vt))(jnp.asarray(U))
    assert g.shape == U.shape and np.all(np.isfinite(g))
    with pytest.raises(ValueError, match=r"orthonormality_defect\(Vt="):
        lr.orthonormality_defect(U, np.eye(3))


@pytest.mark.parametrize("method", ["lora", "pissa", "sorsa"])
def test_fit_adapter_starts_at_w0_and_decreases(method):
    task = data.adapter_task(16, 40, 2, key=jax.random.key(1), subspace="principal")
    fit = lr.fit_adapter(task.X, task.Y, task.W0, 2, method=method, learning_rate=1e-2,
                         n_steps=60, gamma=1e-3, key=jax.random.key(2))
    start = float(jnp.sum((task.X @ task.W0 - task.Y) ** 2) / jnp.sum(task.Y**2))
    reg0 = 0.0 if method != "sorsa" else 1e-3 * float(lr.orthonormality_defect(
        *lr.svd_adapter(task.W0, 2)[::2]))
    np.testing.assert_allclose(float(fit.losses[0]), start + reg0, rtol=1e-10, atol=1e-14)
    assert fit.task_loss < 0.5 * start
    np.testing.assert_allclose(
        float(jnp.sum((task.X @ fit.weight - task.Y) ** 2) / jnp.sum(task.Y**2)),
        fit.task_loss, rtol=1e-10)


def test_fit_adapter_bad_input():
    task = data.adapter_task(8, 10, 2, key=jax.random.key(1))
    with pytest.raises(ValueError, match=r"fit_adapter\(W0="):
        lr.fit_adapter(task.X, task.Y, task.W0[:-1], 2, key=jax.random.key(0))
    with pytest.raises(ValueError, match=r"fit_adapter\(method="):
        lr.fit_adapter(task.X, task.Y, task.W0, 2, method="dora", key=jax.random.key(0))
    with pytest.raises(TypeError, match=r"fit_adapter\(key="):
        lr.fit_adapter(task.X, task.Y, task.W0, 2, key=0)


# ------------------------------------------------------------------ Tucker adapters
def test_tucker_adapter_recovers_multilinear_rank_and_counts():
    shape, ranks = (8, 6, 3, 3), (3, 2, 2, 2)
    t = data.tucker_tensor(shape, ranks, key=jax.random.key(3))
    ad = lr.tucker_adapter(t.T, ranks)
    assert ad.relative_error < 1e-12
    assert ad.n_params == 3 * 2 * 2 * 2 + 8 * 3 + 6 * 2 + 3 * 2 + 3 * 2
    assert lr.tucker_adapter_size((64, 64, 3, 3), (8, 8, 3, 3)) == 1618
    assert lr.lora_adapter_size((64, 64, 3, 3), 8) == 5120
    lo = lr.matricized_adapter(t.T, 3)                # mode-1 rank 3: exact
    assert lo.relative_error < 1e-12 and lo.n_params == 3 * (8 + 6 * 9)
    lo1 = lr.matricized_adapter(t.T, 1)
    M = np.asarray(t.T).reshape(8, -1)
    s = np.linalg.svd(M, compute_uv=False)
    np.testing.assert_allclose(lo1.relative_error, np.sqrt(np.sum(s[1:] ** 2) / np.sum(s**2)),
                               rtol=1e-10)
    np.testing.assert_allclose(lo1.A @ lo1.B, lr.best_rank_k(M, 1), atol=1e-12)


def test_tucker_adapter_bad_input():
    T = np.ones((4, 3, 2))
    with pytest.raises(ValueError, match=r"tucker_adapter\(ranks="):
        lr.tucker_adapter(T, (2, 2))
    with pytest.raises(ValueError, match=r"tucker_adapter\(ranks="):
        lr.tucker_adapter(T, (5, 2, 2))
    with pytest.raises(ValueError, match=r"matricized_adapter\(r="):
        lr.matricized_adapter(T, 5)
    with pytest.raises(TypeError, match=r"tucker_adapter_size\(shape="):
        lr.tucker_adapter_size(4, (2,))


# ------------------------------------------------------------------ matrix completion
@pytest.fixture(scope="module")
def problem():
    return data.completion_problem(60, 50, 3, 0.4, key=jax.random.key(5))


def test_completion_problem_has_rank_k_and_rate(problem):
    assert np.linalg.matrix_rank(np.asarray(problem.M)) == 3
    assert 0.3 < float(np.mean(problem.mask)) < 0.5


def test_spectral_init_is_orthonormal_and_clips(problem):
    U0 = lr.spectral_init(problem.M, problem.mask, 3, key=jax.random.key(0))
    np.testing.assert_allclose(U0.T @ U0, np.eye(3), atol=1e-12)
    U_clip = lr.spectral_init(problem.M, problem.mask, 3, key=jax.random.key(0), clip=0.5)
    assert int(np.sum(np.linalg.norm(np.asarray(U_clip), axis=1) < 1e-14)) > 0


@pytest.mark.parametrize("method", ["exact", "cg"])
def test_complete_matrix_recovers(problem, method):
    res = lr.complete_matrix(problem.M, problem.mask, 3, key=jax.random.key(0), method=method,
                             cg_tol=1e-2, max_steps=60, tol=1e-10, reference=problem.M)
    assert res.converged and res.errors.size == res.n_steps
    assert res.errors[-1] < 1e-8
    assert (res.cg_steps > 0) == (method == "cg")
    # unobserved entries are ignored: garbage there changes nothing
    M_bad = np.where(np.asarray(problem.mask), np.asarray(problem.M), 1e3)
    res2 = lr.complete_matrix(M_bad, problem.mask, 3, key=jax.random.key(0), method=method,
                              cg_tol=1e-2, max_steps=60, tol=1e-10)
    np.testing.assert_allclose(res2.U @ res2.V.T, res.U @ res.V.T, atol=1e-8)


def test_complete_matrix_warns_and_refuses(problem):
    with pytest.warns(ConvergenceWarning, match="lowrank.complete_matrix"):
        lr.complete_matrix(problem.M, problem.mask, 3, key=jax.random.key(0), max_steps=1)
    with pytest.raises(ValueError, match=r"complete_matrix\(mask="):
        lr.complete_matrix(problem.M, np.zeros((60, 50), bool), 3, key=jax.random.key(0))
    with pytest.raises(ValueError, match=r"complete_matrix\(mask="):
        lr.complete_matrix(problem.M, np.ones((60, 49), bool), 3, key=jax.random.key(0))
    with pytest.raises(ValueError, match=r"complete_matrix\(k="):
        lr.complete_matrix(problem.M, problem.mask, 50, key=jax.random.key(0))
    mask = np.asarray(problem.mask).copy()
    mask[0] = False                                   # a row with no observation
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.raises(ValueError, match="ridge"):
            lr.complete_matrix(problem.M, mask, 3, key=jax.random.key(0), clip=None)


def test_tucker_tensor_and_adapter_task():
    t = data.tucker_tensor((5, 4, 3), (2, 2, 1), key=jax.random.key(0), noise=0.1)
    np.testing.assert_allclose(np.linalg.norm(t.T - t.clean) / np.linalg.norm(t.clean), 0.1,
                               rtol=1e-12)
    assert np.linalg.matrix_rank(np.asarray(t.clean).reshape(5, -1)) == 2
    task = data.adapter_task(10, 12, 3, key=jax.random.key(0), subspace="principal")
    assert np.linalg.matrix_rank(np.asarray(task.delta)) == 3
    U, s, Vt = np.linalg.svd(np.asarray(task.W0))
    P = U[:, :3] @ U[:, :3].T
    np.testing.assert_allclose(P @ task.delta, task.delta, atol=1e-12)
    np.testing.assert_allclose(task.Y, task.X @ task.W_target, atol=1e-12)
