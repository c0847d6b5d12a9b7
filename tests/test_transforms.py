"""Tests of eigenbook.transforms (and data._series) against scipy/sympy, identities, bad input."""

import jax
import numpy as np
import pytest
import scipy.fft
import scipy.linalg as sla
import sympy.discrete.transforms as sym_tr
from eigenbook import ConvergenceWarning, data, orth, sketch, transforms
from eigenbook.transforms import _hadamard
from hypothesis import given, settings
from hypothesis import strategies as st

RNG = np.random.default_rng(18)


# ------------------------------------------------------------------ FWHT
@pytest.mark.parametrize("n", [1, 2, 8, 64])
def test_fwht_equals_scipy_hadamard(n):
    x = RNG.standard_normal((3, n))
    np.testing.assert_allclose(transforms.fwht(x), x @ sla.hadamard(n), atol=1e-12)
    np.testing.assert_allclose(transforms.fwht(x.T, axis=0), (x @ sla.hadamard(n)).T,
                               atol=1e-12)


def test_fwht_equals_sympy_and_handles_complex():
    x = RNG.standard_normal(16)
    np.testing.assert_allclose(transforms.fwht(x), np.array(sym_tr.fwht(list(x)), float),
                               atol=1e-12)
    z = x + 1j * RNG.standard_normal(16)
    np.testing.assert_allclose(transforms.fwht(z), sla.hadamard(16) @ z, atol=1e-12)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 6), st.integers(0, 2**31 - 1))
def test_fwht_is_an_involution_up_to_n_and_orthonormal(bits, seed):
    n = 1 << bits
    x = np.random.default_rng(seed).standard_normal((2, n))
    np.testing.assert_allclose(np.asarray(transforms.fwht(transforms.fwht(x))) / n, x,
                               atol=1e-12)
    y = transforms.fwht(x, normalized=True)
    np.testing.assert_allclose(np.linalg.norm(y, axis=1), np.linalg.norm(x, axis=1), rtol=1e-12)


def test_fwht_compiles_once_per_shape():
    x = RNG.standard_normal((2, 32))
    transforms.fwht(x)
    before = _hadamard._fwht_impl._cache_size()
    for _ in range(5):
        transforms.fwht(RNG.standard_normal((2, 32)))
    assert _hadamard._fwht_impl._cache_size() == before


def test_fwht_bad_input():
    with pytest.raises(ValueError, match=r"transforms\.fwht\(x=.*power of 2"):
        transforms.fwht(np.ones(6))
    with pytest.raises(ValueError, match=r"transforms\.fwht\(x="):
        transforms.fwht(np.array([1.0, np.nan]))
    with pytest.raises(TypeError, match=r"transforms\.fwht\(normalized="):
        transforms.fwht(np.ones(4), normalized="yes")
    with pytest.raises(ValueError, match=r"transforms\.fwht\(axis="):
        transforms.fwht(np.ones(4), axis=3)


def test_random_rotation_is_orthogonal_and_flattens():
    key = jax.random.key(0)
    M = np.asarray(transforms.random_hadamard_rotation(np.eye(64), key=key))
    np.testing.assert_allclose(M.T @ M, np.eye(64), atol=1e-12)
    np.testing.assert_allclose(np.abs(M), 1 / 8, atol=1e-12)   # every entry ±1/sqrt(N)
    U = np.linalg.qr(np.vstack([1e3 * RNG.standard_normal((4, 4)),
                                RNG.standard_normal((252, 4))]))[0]
    lev = sketch.leverage_scores(np.asarray(transforms.random_hadamard_rotation(U, key=key)))
    bound = np.sqrt(4 / 256) + np.sqrt(8 * np.log(256 / 0.01) / 256)
    assert np.sqrt(lev.max()) <= bound
    with pytest.raises(TypeError, match=r"random_hadamard_rotation\(key="):
        transforms.random_hadamard_rotation(U, key=0)


# ------------------------------------------------------------------ bases
def test_ar1_klt_tends_to_dct():
    D = np.asarray(orth.dct_matrix(96))
    mins = [float(np.min(transforms.basis_alignment(
        transforms.klt_basis(transforms.ar1_covariance(96, rho)).basis, D)))
        for rho in (0.5, 0.9, 0.99)]
    np.testing.assert_allclose(mins, [0.786, 0.926, 0.997], atol=2e-3)
    np.testing.assert_allclose(D, scipy.fft.dct(np.eye(96), norm="ortho", axis=1), atol=1e-12)


def test_klt_basis_matches_eigh_and_sign_convention():
    C = np.asarray(transforms.ar1_covariance(6, 0.7))
    res = transforms.klt_basis(C)
    w = np.linalg.eigvalsh(C)[::-1]
    np.testing.assert_allclose(res.eigenvalues, w, rtol=1e-12)
    V = np.asarray(res.basis)
    np.testing.assert_allclose(V.T @ C @ V, np.diag(w), atol=1e-12)
    assert np.all(V[np.argmax(np.abs(V), axis=0), np.arange(6)] > 0)
    with pytest.raises(ValueError, match=r"klt_basis\(C="):
        transforms.klt_basis(C + np.triu(np.ones((6, 6)), 1))
    with pytest.raises(ValueError, match=r"ar1_covariance\(rho="):
        transforms.ar1_covariance(4, 1.0)


def test_offdiagonal_energy():
    assert transforms.offdiagonal_energy(np.diag([1.0, 2.0])) == 0.0
    assert transforms.offdiagonal_energy(np.ones((2, 2))) == pytest.approx(0.5)
    with pytest.raises(ValueError, match=r"offdiagonal_energy\(C="):
        transforms.offdiagonal_energy(np.zeros((2, 2)))


# ------------------------------------------------------------------ sparse WHT
def _sparse_case(n_bits, K, seed, magnitude="uniform"):
    spec = data.sparse_walsh_spectrum(n_bits, K, key=jax.random.key(seed), magnitude=magnitude)
    X = np.zeros(1 << n_bits)
    X[spec.support] = spec.coefficients
    return spec, X, np.asarray(transforms.fwht(X))


def test_walsh_synthesis_matches_dense_transform():
    spec, _, x = _sparse_case(10, 5, 1)
    idx = RNG.integers(0, 1 << 10, 50)
    np.testing.assert_allclose(transforms.walsh_synthesis(spec.support, spec.coefficients, idx,
                                                          n_bits=10), x[idx], atol=1e-12)


def test_sparse_wht_recovers_the_dense_spectrum():
    spec, X, x = _sparse_case(14, 16, 2)
    res = transforms.sparse_wht(x, n_bins=32, key=jax.random.key(3))
    assert res.converged
    np.testing.assert_array_equal(res.support, spec.support)
    np.testing.assert_allclose(res.coefficients, (np.asarray(transforms.fwht(x)) / x.size)
                               [spec.support], atol=1e-10)
    assert res.n_samples == 3 * 32 * (14 - 5 + 1)
    # the same through a callable, and the sample set is the documented one
    seen = []

    def read(idx):
        seen.append(idx.copy())
        return x[idx]

    res2 = transforms.sparse_wht(read, n_bits=14, n_bins=32, key=jax.random.key(3))
    np.testing.assert_array_equal(res2.support, res.support)
    idx = transforms.sparse_wht_samples(14, n_bins=32, key=jax.random.key(3))
    np.testing.assert_array_equal(np.sort(seen[0]), np.sort(idx.reshape(-1)))


def test_sparse_wht_noise_robust_with_repeats():
    spec, _, x = _sparse_case(14, 16, 4, magnitude="unit")
    sigma2 = 16 / 10.0                                          # 10 dB per sample
    noisy = x + np.sqrt(sigma2) * RNG.standard_normal(x.size)
    res = transforms.sparse_wht(noisy, n_bins=32, n_repeats=3, noise_var=sigma2,
                                key=jax.random.key(5))
    np.testing.assert_array_equal(res.support, spec.support)
    np.testing.assert_allclose(res.coefficients, spec.coefficients, atol=0.3)


def test_sparse_wht_warns_when_unresolved_and_bad_input():
    _, _, x = _sparse_case(12, 64, 6)
    with pytest.warns(ConvergenceWarning):
        res = transforms.sparse_wht(x, n_bins=4, key=jax.random.key(0), max_rounds=1)
    assert not res.converged
    with pytest.raises(ValueError, match=r"sparse_wht\(signal=.*power of 2"):
        transforms.sparse_wht(np.ones(12), n_bins=4, key=jax.random.key(0))
    with pytest.raises(ValueError, match=r"sparse_wht\(n_bins=.*power of 2"):
        transforms.sparse_wht(x, n_bins=6, key=jax.random.key(0))
    with pytest.raises(TypeError, match=r"sparse_wht\(n_bits="):
        transforms.sparse_wht(lambda i: i * 0.0, n_bins=4, key=jax.random.key(0))
    with pytest.raises(ValueError, match=r"sparse_wht\(n_bits="):
        transforms.sparse_wht(x, n_bits=5, n_bins=4, key=jax.random.key(0))


# ------------------------------------------------------------------ forecasting
def test_sliding_windows_and_seasonal_naive():
    s = np.arange(20.0)
    W = transforms.sliding_windows(s, 5, 3)
    assert W.inputs.shape == (13, 5) and W.targets.shape == (13, 3)
    np.testing.assert_array_equal(W.inputs[2], s[2:7])
    np.testing.assert_array_equal(W.targets[2], s[7:10])
    W2 = transforms.sliding_windows(np.stack([s, -s], 1), 5, 3)
    assert W2.inputs.shape == (26, 5)
    # period 2: y_{t+1} = x_{t-1}, y_{t+2} = x_t, y_{t+3} = x_{t-1}
    pred = np.asarray(transforms.seasonal_naive(W.inputs, 3, period=2))
    np.testing.assert_array_equal(pred[0], [3.0, 4.0, 3.0])
    with pytest.raises(ValueError, match=r"seasonal_naive\(period="):
        transforms.seasonal_naive(W.inputs, 3, period=6)


def test_temporal_correlation_matches_corrcoef():
    s = data.ar_process(300, [0.8], key=jax.random.key(1)).values[:, 0]
    W = transforms.sliding_windows(s, 6, 1).inputs
    np.testing.assert_allclose(transforms.temporal_correlation(s, 6),
                               np.corrcoef(np.vstack([s[i:i + 300 - 6 + 1] for i in range(6)])),
                               atol=1e-12)
    assert W.shape[1] == 6


def test_forecaster_invariance_and_least_squares():
    s = data.seasonal_series(400, key=jax.random.key(2), periods=(12.0,), amplitudes=(1.0,),
                             n_series=2).values
    W = transforms.sliding_windows(s, 16, 4)
    preds = [np.asarray(transforms.forecast(transforms.fit_linear_forecaster(s, 16, 4, basis=b),
                                            W.inputs)) for b in ("orthotrans", "dct", "time")]
    np.testing.assert_allclose(preds[0], preds[2], atol=1e-9)
    np.testing.assert_allclose(preds[1], preds[2], atol=1e-9)
    # the time-domain head is ordinary least squares with an intercept on centred windows
    m = W.inputs.mean(1, keepdims=True)
    A = np.hstack([W.inputs - m, np.ones((W.inputs.shape[0], 1))])
    coef = np.linalg.lstsq(A, W.targets - m, rcond=None)[0]
    np.testing.assert_allclose(preds[2], A @ coef + m, atol=1e-9)
    # ridge shrinks the weights; truncation keeps r columns
    mr = transforms.fit_linear_forecaster(s, 16, 4, basis="orthotrans", n_components=3,
                                          ridge=10.0)
    assert mr.input_basis.shape == (16, 3) and mr.weights.shape == (3, 4)


def test_forecaster_bad_input():
    s = np.sin(np.arange(50.0))
    with pytest.raises(ValueError, match=r"fit_linear_forecaster\(basis="):
        transforms.fit_linear_forecaster(s, 6, 2, basis="wavelet")
    with pytest.raises(ValueError, match=r"fit_linear_forecaster\(lookback="):
        transforms.fit_linear_forecaster(s, 48, 2)
    with pytest.raises(ValueError, match=r"fit_linear_forecaster\(ridge="):
        transforms.fit_linear_forecaster(s, 6, 2, ridge=-1.0)
    model = transforms.fit_linear_forecaster(s, 6, 2)
    with pytest.raises(ValueError, match=r"forecast\(inputs="):
        transforms.forecast(model, np.ones((3, 5)))
    with pytest.raises(TypeError, match=r"forecast\(model="):
        transforms.forecast((1, 2), np.ones((3, 6)))


# ------------------------------------------------------------------ data generators
def test_ar_process_is_stationary_ar1():
    x = data.ar_process(20_000, [0.9], key=jax.random.key(3), n_series=2).values
    assert x.shape == (20_000, 2)
    lag1 = np.mean(x[1:] * x[:-1]) / np.mean(x * x)
    assert abs(lag1 - 0.9) < 0.02
    assert abs(np.var(x) - 1 / (1 - 0.81)) < 0.6
    with pytest.raises(ValueError, match=r"ar_process\(coefficients="):
        data.ar_process(10, [1.2], key=jax.random.key(0))


def test_seasonal_series_and_sparse_spectrum():
    s = data.seasonal_series(240, key=jax.random.key(4), periods=(24.0,), amplitudes=(2.0,),
                             noise_std=0.01, rho=0.0).values[:, 0]
    assert abs(np.corrcoef(s[24:], s[:-24])[0, 1] - 1) < 1e-3
    spec = data.sparse_walsh_spectrum(30, 8, key=jax.random.key(5))
    assert spec.support.size == 8 and np.all(np.diff(spec.support) > 0)
    assert spec.support.max() < 2**30 and np.all(np.abs(spec.coefficients) == 1)
    with pytest.raises(ValueError, match=r"seasonal_series\(amplitudes="):
        data.seasonal_series(10, key=jax.random.key(0), periods=(3.0, 4.0), amplitudes=(1.0,))
