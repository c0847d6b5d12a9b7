"""Tests of eigenbook.sketch against numpy/scipy/scikit-learn references and properties."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg as sla
from eigenbook import data, sketch
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.fixture
def tall():
    rng = np.random.default_rng(0)
    return rng.standard_normal((512, 8))


def low_rank_plus_noise(m, n, r, noise, seed=0):
    rng = np.random.default_rng(seed)
    kU, kV = jax.random.split(jax.random.key(seed))
    U = np.asarray(data.haar_orthogonal(m, r, key=kU))
    V = np.asarray(data.haar_orthogonal(n, r, key=kV))
    return (U * 2.0 ** -np.arange(r)) @ V.T + noise * rng.standard_normal((m, n))


# --- sketching operators ---------------------------------------------------
@pytest.mark.parametrize("kind", ["gaussian", "srht", "countsketch"])
def test_sketch_shapes_and_embedding(kind, tall, getkey):
    SA = sketch.sketch(tall, 256, key=getkey(), kind=kind)
    assert SA.shape == (256, 8)
    # 256 rows for d = 8: the distortion is about sqrt(d/s) ~ 0.18, far below 0.6
    assert sketch.embedding_distortion(tall, SA) < 0.6


def test_srht_is_an_isometry_when_keeping_all_rows(tall, getkey):
    # s = n' (all rows of the padded transform): S = H D is orthogonal
    SA = sketch.srht_sketch(tall, 512, key=getkey())
    np.testing.assert_allclose(np.asarray(SA.T @ SA), tall.T @ tall, rtol=1e-10, atol=1e-9)


def test_countsketch_has_one_signed_entry_per_column(getkey):
    # S A with A = I is S itself: one +-1 per column (each row goes to one bucket)
    S = np.asarray(sketch.countsketch(np.eye(64), 8, key=getkey()))
    assert S.shape == (8, 64)
    np.testing.assert_array_equal(np.count_nonzero(S, axis=0), np.ones(64))
    np.testing.assert_array_equal(np.abs(S).sum(0), np.ones(64))
    assert len(np.unique(np.argmax(np.abs(S), axis=0))) > 1  # not all in one bucket


def test_embedding_distortion_is_zero_for_orthogonal_sketch(tall):
    v = np.random.default_rng(1).standard_normal(512)
    v /= np.linalg.norm(v)
    H_tall = tall - 2 * np.outer(v, v @ tall)  # a Householder reflection is orthogonal
    assert sketch.embedding_distortion(tall, H_tall) < 1e-10
    assert sketch.embedding_distortion(tall, 1.5 * tall) == pytest.approx(0.5, rel=1e-12)


# --- range finder, randomized SVD ------------------------------------------
def test_randomized_svd_matches_numpy_on_low_rank(getkey):
    A = low_rank_plus_noise(200, 120, 10, 0.0)
    res = sketch.randomized_svd(A, 10, key=getkey())
    s_ref = np.linalg.svd(A, compute_uv=False)[:10]
    np.testing.assert_allclose(np.asarray(res.s), s_ref, rtol=1e-10)
    np.testing.assert_allclose(np.asarray((res.U * res.s) @ res.Vt), A, atol=1e-12)
    np.testing.assert_allclose(np.asarray(res.U.T @ res.U), np.eye(10), atol=1e-12)


def test_randomized_svd_error_close_to_sklearn(getkey):
    from sklearn.utils.extmath import randomized_svd as sk_rsvd

    A = low_rank_plus_noise(200, 120, 30, 1e-3)  # same shape as above: one compilation
    res = sketch.randomized_svd(A, 10, key=getkey(), oversampling=10, n_power_iter=2)
    U, s, Vt = sk_rsvd(A, 10, n_oversamples=10, n_iter=2, power_iteration_normalizer="QR",
                       random_state=0)
    err = np.linalg.norm(A - np.asarray((res.U * res.s) @ res.Vt))
    err_sk = np.linalg.norm(A - (U * s) @ Vt)
    best = np.sqrt(np.sum(np.linalg.svd(A, compute_uv=False)[10:] ** 2))
    assert err <= 1.01 * err_sk and err <= 1.01 * best


def test_range_finder_mean_error_within_hmt_bound(getkey):
    kU, kV = jax.random.split(jax.random.key(3))
    U = np.asarray(data.haar_orthogonal(120, 80, key=kU))
    V = np.asarray(data.haar_orthogonal(80, key=kV))
    s = 1.0 / np.arange(1, 81)
    A = (U * s) @ V.T
    errs = [np.linalg.norm(A - (Q := np.asarray(sketch.randomized_range_finder(
        A, 10, key=getkey(), n_power_iter=0))) @ (Q.T @ A), 2) for _ in range(8)]
    assert np.mean(errs) <= sketch.hmt_error_bound(s, 5, oversampling=5, n_power_iter=0)
    assert min(errs) >= s[10] * (1 - 1e-12)  # never better than the optimum sigma_{l+1}


def test_power_iterations_reduce_error(getkey):
    A = (np.random.default_rng(4).standard_normal((120, 80))
         * (1.0 / np.arange(1, 81)))
    key = getkey()
    e = [np.linalg.norm(A - (Q := np.asarray(sketch.randomized_range_finder(
        A, 10, key=key, n_power_iter=q))) @ (Q.T @ A), 2) for q in (0, 3)]
    assert e[1] < e[0]


def test_hmt_bound_formula():
    s = np.array([1.0, 0.5, 0.25, 0.125])
    want = (1 + np.sqrt(1 / 1)) * 0.5 + np.e * np.sqrt(3) / 2 * np.sqrt(0.25 + 0.0625 + 0.015625)
    got = sketch.hmt_error_bound(s, 1, oversampling=2, n_power_iter=0)
    assert got == pytest.approx(want, rel=1e-14)


# --- least squares -----------------------------------------------------------
def test_sketch_and_solve_residual_close_to_lstsq(tall, getkey):
    b = tall @ np.ones(8) + np.random.default_rng(5).standard_normal(512)
    x = sketch.sketch_and_solve(tall, b, 256, key=getkey())
    x_ref = sla.lstsq(tall, b)[0]
    ratio = np.linalg.norm(tall @ x - b) / np.linalg.norm(tall @ x_ref - b)
    assert 1.0 - 1e-12 <= ratio <= 1.2


def test_sketch_precondition_matches_lstsq_on_ill_conditioned(getkey):
    rng = np.random.default_rng(6)
    kU, kV = jax.random.split(jax.random.key(6))
    U = np.asarray(data.haar_orthogonal(1000, 12, key=kU))
    A = (U * np.logspace(0, -7, 12)) @ np.asarray(data.haar_orthogonal(12, key=kV))
    b = rng.standard_normal(1000)
    res = sketch.sketch_precondition_lstsq(A, b, key=getkey())
    r_ref = np.linalg.norm(A @ sla.lstsq(A, b)[0] - b)
    assert abs(res.residual_norm / r_ref - 1) < 1e-10
    assert res.n_iter < 100


# --- leverage scores, sensitivities, sampling --------------------------------
@settings(max_examples=15, deadline=None)
@given(n=st.integers(6, 40), d=st.integers(1, 5), seed=st.integers(0, 1000))
def test_leverage_scores_properties(n, d, seed):
    A = np.random.default_rng(seed).standard_normal((n, d))
    lev = np.asarray(sketch.leverage_scores(A))
    np.testing.assert_allclose(lev.sum(), d, rtol=1e-10)
    assert np.all(lev <= 1 + 1e-12) and np.all(lev >= -1e-15)
    np.testing.assert_allclose(lev, np.diag(A @ np.linalg.pinv(A)), atol=1e-10)


def test_l1_sensitivities_bounds_and_definition():
    rng = np.random.default_rng(7)
    A = rng.standard_normal((30, 3))
    s = sketch.l1_sensitivities(A)
    assert np.all(s > 0) and np.all(s <= 1 + 1e-9) and s.sum() <= 3 + 1e-6
    # the sup is attained: no random direction beats it
    X = rng.standard_normal((3, 2000))
    ratio = np.abs(A @ X) / np.abs(A @ X).sum(0)
    assert np.all(ratio.max(1) <= s + 1e-9)


def test_sensitivity_sampling_unbiased_and_validated(getkey):
    scores = np.array([1.0, 3.0, 0.0, 4.0])
    smp = sketch.sensitivity_sampling(scores, 20000, key=getkey(), p=2)
    np.testing.assert_allclose(np.asarray(smp.probabilities), scores / 8)
    counts = np.bincount(np.asarray(smp.indices), minlength=4) / 20000
    np.testing.assert_allclose(counts, scores / 8, atol=0.02)
    np.testing.assert_allclose(np.asarray(smp.weights) ** 2 * 20000 * scores[np.asarray(
        smp.indices)] / 8, 1.0)
    with pytest.raises(ValueError, match="scores"):
        sketch.sensitivity_sampling([-1.0, 2.0], 3, key=getkey())


def test_lp_distortion_zero_when_keeping_everything(getkey, tall):
    smp = sketch.SampleResult(jnp.arange(512), jnp.ones(512), jnp.full(512, 1 / 512))
    assert sketch.lp_distortion(tall, smp, np.eye(8), p=1) < 1e-12


# --- CUR, DPP, weighted least squares ----------------------------------------
def test_cur_exact_on_low_rank():
    rng = np.random.default_rng(8)
    A = rng.standard_normal((60, 5)) @ rng.standard_normal((5, 70))
    c = sketch.cur(A, np.arange(10), np.arange(3, 13))
    np.testing.assert_allclose(np.asarray(c.C @ c.U @ c.R), A, atol=1e-10)
    with pytest.raises(ValueError, match="rows"):
        sketch.cur(A, np.array([0, 60]), np.arange(3))
    with pytest.raises(TypeError, match="cols"):
        sketch.cur(A, np.arange(3), np.array([0.5]))


def test_projection_dpp_distinct_and_marginals(getkey):
    Q = np.asarray(data.haar_orthogonal(12, 3, key=jax.random.key(9)))
    draws = np.asarray(sketch.projection_dpp_sample(Q, key=getkey(), n_draws=4000))
    assert draws.shape == (4000, 3)
    assert all(len(set(row)) == 3 for row in draws)
    freq = np.bincount(draws.ravel(), minlength=12) / 4000
    np.testing.assert_allclose(freq, np.sum(Q**2, 1), atol=0.035)  # P(i in X) = K_ii


def test_projection_dpp_rejects_non_orthonormal(getkey):
    with pytest.raises(ValueError, match="orthonormal"):
        sketch.projection_dpp_sample(np.ones((5, 2)), key=getkey())


def test_weighted_least_squares_matches_lstsq():
    rng = np.random.default_rng(10)
    Phi, y, w = rng.standard_normal((20, 4)), rng.standard_normal(20), rng.uniform(0.5, 2, 20)
    c, lam = sketch.weighted_least_squares(Phi, y, w)
    c_ref = np.linalg.lstsq(np.sqrt(w)[:, None] * Phi, np.sqrt(w) * y, rcond=None)[0]
    np.testing.assert_allclose(c, c_ref, rtol=1e-10)
    assert lam == pytest.approx(np.linalg.eigvalsh(Phi.T @ (w[:, None] * Phi))[0], rel=1e-10)


# --- validation --------------------------------------------------------------
def test_validation_errors(tall, getkey):
    with pytest.raises(TypeError, match="key"):
        sketch.gaussian_sketch(tall, 4, key=0)
    with pytest.raises(ValueError, match=r"sketch.sketch\(kind"):
        sketch.sketch(tall, 4, key=getkey(), kind="fourier")
    with pytest.raises(ValueError, match="m"):
        sketch.srht_sketch(tall, 0, key=getkey())
    with pytest.raises(ValueError, match="k"):
        sketch.randomized_svd(tall, 8, key=getkey())  # k + p > min(m, n)
    with pytest.raises(ValueError, match="finite"):
        sketch.leverage_scores(np.full((3, 2), np.nan))
    with pytest.raises(ValueError, match="b"):
        sketch.sketch_and_solve(tall, np.ones(3), 16, key=getkey())
    with pytest.raises(ValueError, match="oversampling"):
        sketch.hmt_error_bound([1.0, 0.5, 0.1], 1, oversampling=1)
    with pytest.raises(TypeError, match="mesh"):
        sketch.sharded_tsqr(tall, mesh="cpu")


# --- sharding (in a subprocess: the device count is fixed when jax starts) ----
SHARDED = textwrap.dedent("""
    import jax, numpy as np
    jax.config.update("jax_enable_x64", True)
    from eigenbook import data, sketch
    assert jax.device_count() == 8
    mesh = jax.make_mesh((8,), ("rows",))
    rng = np.random.default_rng(0)
    A = rng.standard_normal((512, 40)) * 0.8 ** np.arange(40)
    Q, R = sketch.sharded_tsqr(A[:, :16], mesh)
    Q1, R1 = sketch.qr_positive(A[:, :16])
    key = jax.random.key(1)
    s8 = sketch.sharded_randomized_svd(A, 5, key=key, mesh=mesh, oversampling=5)
    s1 = sketch.randomized_svd(A, 5, key=key, oversampling=5)
    print("TSQR", float(abs(Q - Q1).max()), float(abs(R - R1).max()))
    print("RSVD", float(abs(s8.s - s1.s).max()),
          float(abs((s8.U * s8.s) @ s8.Vt - (s1.U * s1.s) @ s1.Vt).max()))
    print("SAME", float(abs(s8.U - s1.U).max()),            # one sign convention
          float(abs(s8.residual_norms - s1.residual_norms).max()))
    print("SHARDS", len(Q.devices()))
    try:
        sketch.sharded_tsqr(A[:500], mesh)
    except ValueError as err:
        print("ERR", "divisible" in str(err))
""")


def test_sharded_tsqr_and_rsvd_agree_with_single_device():
    lib = str(Path(sketch.__file__).resolve().parents[2])
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=8",
           "PYTHONPATH": lib, "JAX_PLATFORMS": "cpu"}
    out = subprocess.run([sys.executable, "-c", SHARDED], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    vals = {line.split()[0]: line.split()[1:] for line in out.stdout.splitlines()}
    assert max(map(float, vals["TSQR"])) < 1e-12
    assert max(map(float, vals["RSVD"])) < 1e-10
    assert max(map(float, vals["SAME"][:2])) < 1e-10
    assert vals["SHARDS"] == ["8"]
    assert vals["ERR"] == ["True"]


def test_randomized_svd_has_the_shared_result_residuals_and_signs(getkey):
    from eigenbook import lowrank

    rng = np.random.default_rng(3)
    low = rng.standard_normal((80, 5)) @ rng.standard_normal((5, 60))
    res = sketch.randomized_svd(low, 5, key=getkey())
    assert type(res) is lowrank.SVDResult          # one result type for every SVD
    assert bool(np.all(res.converged)) and float(np.max(res.residual_norms)) < 1e-10
    noisy = low + 0.1 * rng.standard_normal(low.shape)
    res = sketch.randomized_svd(noisy, 5, key=getkey())
    explicit = np.sqrt(np.sum((noisy @ res.Vt.T - res.U * res.s) ** 2, axis=0)
                       + np.sum((noisy.T @ res.U - res.Vt.T * res.s) ** 2, axis=0))
    np.testing.assert_allclose(res.residual_norms, explicit, rtol=1e-6, atol=1e-12)
    crude = sketch.randomized_svd(noisy, 5, key=getkey(), oversampling=0, n_power_iter=0)
    assert not bool(np.any(crude.converged))       # no power steps: not triplets to sqrt(eps)
    ref = lowrank.truncated_svd(noisy, 5, key=getkey())
    # the same sign convention: largest-magnitude entry of each left vector is positive
    for U in (np.asarray(res.U), np.asarray(ref.U)):
        assert np.all(U[np.argmax(np.abs(U), axis=0), np.arange(5)] > 0)


def test_leverage_sampling_bound_falls_with_m_and_is_a_bound(getkey):
    b = [sketch.leverage_sampling_bound(m, 5, delta=0.1) for m in (100, 1000, 10000)]
    assert b[0] > b[1] > b[2] and b[2] < 0.1
    A = np.random.default_rng(6).standard_normal((4000, 5))
    lev = sketch.leverage_scores(A)
    worst = max(sketch.lp_distortion(A, sketch.sensitivity_sampling(lev, 1000, key=getkey()),
                                     np.eye(5)) for _ in range(5))
    assert worst <= b[1]
    with pytest.raises(ValueError, match="delta"):
        sketch.leverage_sampling_bound(10, 5, delta=1.0)
