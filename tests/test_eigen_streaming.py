"""Tests for eigenbook.eigen._streaming and the spiked generator in eigenbook.data."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from eigenbook import data
from eigenbook.eigen import _streaming as s
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def easy():
    """A well-separated instance (R = 64), in random order."""
    inst = data.spiked_rows(3000, 30, 64.0, key=jax.random.key(11))
    rows = data.shuffle_rows(inst.rows, key=jax.random.key(12))
    return inst, rows


# ----------------------------------------------------------------------- data


def test_spiked_rows_exact_answer():
    inst = data.spiked_rows(2000, 20, 16.0, key=jax.random.key(0))
    A = np.asarray(inst.rows)
    assert A.shape == (2000, 20) and inst.v1.shape == (20,)
    w, V = np.linalg.eigh(A.T @ A)
    assert abs(abs(np.dot(V[:, -1], np.asarray(inst.v1))) - 1) < 1e-12
    assert np.isclose(float(inst.gap), w[-1] / w[-2])
    # n >> d: the sample gap is near the population spike R.
    assert 10.0 < float(inst.gap) < 20.0


def test_spiked_rows_heavy_share():
    inst = data.spiked_rows(1000, 10, 4.0, key=jax.random.key(1), n_heavy=3,
                            heavy_share=0.25)
    A = np.asarray(inst.rows)
    share = np.sum(A[:3] ** 2) / np.sum(A**2)
    assert np.isclose(share, 0.25)
    norms = np.linalg.norm(A[:3], axis=1)
    assert np.allclose(norms, norms[0])


def test_shuffle_rows_is_permutation(getkey):
    A = jnp.arange(12.0).reshape(6, 2)
    B = data.shuffle_rows(A, key=getkey())
    assert sorted(np.asarray(B)[:, 0].tolist()) == sorted(np.asarray(A)[:, 0].tolist())


def test_data_bad_inputs():
    with pytest.raises(ValueError, match=r"data.spiked_rows\(R=...\)"):
        data.spiked_rows(100, 5, 0.5, key=jax.random.key(0))
    with pytest.raises(ValueError, match=r"heavy_share > 0 exactly when n_heavy > 0"):
        data.spiked_rows(100, 5, 2.0, key=jax.random.key(0), n_heavy=2)
    with pytest.raises(TypeError, match=r"PRNG key"):
        data.spiked_rows(100, 5, 2.0, key=0)
    with pytest.raises(ValueError, match=r"2-D"):
        data.shuffle_rows(jnp.ones(3), key=jax.random.key(0))


# ----------------------------------------------------------------------- block power


def test_block_power_matches_eigh(easy):
    inst, rows = easy
    res = s.random_order_block_power(rows, key=jax.random.key(3), n_blocks=20)
    assert res.vector.shape == (30,) and res.vector.dtype == rows.dtype
    assert res.n_rows_seen == 3000 and res.memory_rows == 2
    assert float(s.correlation(res.vector, inst.v1)) > 0.99
    assert np.isclose(float(jnp.linalg.norm(res.vector)), 1.0)


def test_block_power_one_block_is_one_exact_power_step(getkey):
    A = jax.random.normal(getkey(), (50, 6))
    key = getkey()
    res = s.random_order_block_power(A, key=key, n_blocks=1)
    v0 = s._start_vector(key, 6, A.dtype)
    w = np.array(A.T @ (A @ v0))
    w /= np.linalg.norm(w)
    assert abs(abs(float(jnp.dot(res.vector, w))) - 1) < 1e-12


def test_block_power_heavy_rows_kept(getkey):
    inst = data.spiked_rows(2000, 20, 32.0, key=getkey(), n_heavy=2, heavy_share=0.2)
    rows = data.shuffle_rows(inst.rows, key=getkey())
    mask = s.heavy_row_mask(rows, threshold=1.0)
    assert int(mask.sum()) == 2
    res = s.random_order_block_power(rows, key=getkey(), n_blocks=10, heavy_mask=mask)
    assert res.memory_rows == 4
    assert float(s.correlation(res.vector, inst.v1)) > 0.99


def test_same_key_same_result(easy):
    _, rows = easy
    a = s.random_order_block_power(rows, key=jax.random.key(5), n_blocks=7)
    b = s.random_order_block_power(rows, key=jax.random.key(5), n_blocks=7)
    assert np.array_equal(np.asarray(a.vector), np.asarray(b.vector))
    a = s.oja(rows, key=jax.random.key(5), eta=1e-4)
    b = s.oja(rows, key=jax.random.key(5), eta=1e-4)
    assert np.array_equal(np.asarray(a.vector), np.asarray(b.vector))


def test_float32_follows_input(easy):
    _, rows = easy
    r32 = rows.astype(jnp.float32)
    assert s.random_order_block_power(r32, key=jax.random.key(0),
                                      n_blocks=5).vector.dtype == jnp.float32
    assert s.oja(r32, key=jax.random.key(0), eta=1e-4).vector.dtype == jnp.float32


# ----------------------------------------------------------------------- Oja


def test_oja_small_eta_converges(easy):
    inst, rows = easy
    # η ≈ log(n) / (n λ1) with λ1 ≈ R per row: well inside the stable range.
    res = s.oja(rows, key=jax.random.key(4), eta=2e-4)
    assert res.memory_rows == 1 and res.n_rows_seen == 3000
    assert float(s.correlation(res.vector, inst.v1)) > 0.95


# ----------------------------------------------------------------------- heavy rows


def test_heavy_row_mask_vs_numpy(getkey):
    A = np.array(jax.random.normal(getkey(), (200, 8)))
    A[[3, 50, 77]] *= 40.0
    for tau in (0.25, 0.5, 1.0, 2.0):
        ref = np.linalg.norm(A, axis=1) >= tau * np.linalg.norm(A) / np.sqrt(8)
        got = np.asarray(s.heavy_row_mask(A, threshold=tau))
        assert got.dtype == bool and np.array_equal(got, ref)


def test_block_gram_estimates_unbiased_exactly():
    """Weighted by |b|/n, the block estimates average to AᵀA for every order."""

    @settings(max_examples=15, deadline=None)
    @given(n=st.integers(5, 40), d=st.integers(1, 5), n_blocks=st.integers(1, 5),
           n_heavy=st.integers(0, 3), seed=st.integers(0, 2**31 - 1))
    def prop(n, d, n_blocks, n_heavy, seed):
        rng = np.random.default_rng(seed)
        A = rng.standard_normal((n, d))
        mask = np.zeros(n, bool)
        mask[rng.choice(n, size=min(n_heavy, n), replace=False)] = True
        grams, sizes = s._block_gram_estimates(jnp.asarray(A), mask, min(n_blocks, n))
        avg = np.einsum("b,bjk->jk", np.asarray(sizes) / n, np.asarray(grams))
        np.testing.assert_allclose(avg, A.T @ A, rtol=1e-10, atol=1e-10)

    prop()


def test_block_gram_error_heavy_rows(getkey):
    inst = data.spiked_rows(2000, 10, 4.0, key=getkey(), n_heavy=3, heavy_share=0.6)
    mask = s.heavy_row_mask(inst.rows, threshold=1.0)
    assert np.array_equal(np.flatnonzero(np.asarray(mask)), [0, 1, 2])
    key = getkey()
    e_all = s.block_gram_error(inst.rows, key=key, n_blocks=10)
    e_kept = s.block_gram_error(inst.rows, key=key, n_blocks=10, heavy_mask=mask)
    assert e_all.shape == (10,)
    assert float(e_all.mean()) > 5 * float(e_kept.mean())
    # One block is the whole matrix: the estimate is exact.
    assert float(s.block_gram_error(inst.rows, key=key, n_blocks=1)[0]) < 1e-12


def test_correlation():
    assert float(s.correlation(jnp.array([3.0, 4.0]), jnp.array([0.0, -2.0]))) == 0.8
    with pytest.raises(ValueError, match=r"eigen.correlation\(v1=...\): expected shape \(2,\)"):
        s.correlation(jnp.ones(2), jnp.ones(3))
    with pytest.raises(ValueError, match=r"non-zero"):
        s.correlation(jnp.zeros(2), jnp.ones(2))


# ----------------------------------------------------------------------- bad inputs


def test_bad_inputs():
    key = jax.random.key(0)
    A = jnp.ones((10, 3))
    bp = s.random_order_block_power
    with pytest.raises(ValueError, match=r"random_order_block_power\(rows=...\): expected a 2-D"):
        bp(jnp.ones(5), key=key, n_blocks=2)
    A_nan = np.ones((10, 3))
    A_nan[0, 0] = np.nan
    # jnp.asarray of a NaN array trips the debug_nans fixture before the
    # check can speak, so this one input is checked with debug_nans off.
    with jax.debug_nans(False), pytest.raises(ValueError, match=r"finite values"):
        bp(A_nan, key=key, n_blocks=2)
    with pytest.raises(ValueError, match=r"1 <= n_blocks <= 10"):
        bp(A, key=key, n_blocks=11)
    with pytest.raises(ValueError, match=r"1 <= n_blocks <= 10"):
        s.block_gram_error(A, key=key, n_blocks=0)
    with pytest.raises(TypeError, match=r"n_blocks=...\): expected an int"):
        bp(A, key=key, n_blocks=2.0)
    with pytest.raises(TypeError, match=r"PRNG key"):
        bp(A, key=0, n_blocks=2)
    with pytest.raises(TypeError, match=r"PRNG key"):
        s.oja(A, key=np.array([1, 2]), eta=0.1)
    with pytest.raises(ValueError, match=r"eta > 0.0"):
        s.oja(A, key=key, eta=0.0)
    with pytest.raises(ValueError, match=r"eta > 0.0"):
        s.oja(A, key=key, eta=-1.0)
    with pytest.raises(ValueError, match=r"oja\(rows=...\): expected a 2-D"):
        s.oja(jnp.ones((2, 2, 2)), key=key, eta=0.1)
    with pytest.raises(TypeError, match=r"heavy_mask=...\): expected a bool array"):
        bp(A, key=key, n_blocks=2, heavy_mask=np.zeros(10))
    with pytest.raises(ValueError, match=r"heavy_mask=...\): expected shape \(10,\)"):
        bp(A, key=key, n_blocks=2, heavy_mask=np.zeros(9, bool))
    with pytest.raises(ValueError, match=r"threshold > 0.0"):
        s.heavy_row_mask(A, threshold=0.0)
