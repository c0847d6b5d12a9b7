"""eigenbook.diagnostics against numpy/scipy/powerlaw references, properties and bad input."""

from __future__ import annotations

import jax
import numpy as np
import pytest
import scipy.integrate as integrate
import scipy.linalg as sla
from eigenbook import data, diagnostics, lowrank
from hypothesis import given, settings
from hypothesis import strategies as st

KEY = jax.random.key(0)


# ---------------------------------------------------------------------- ESD and MP
def test_esd_matches_svdvals():
    W = np.asarray(data.random_weights(30, 50, key=KEY))
    e = diagnostics.esd(W)
    ref = sla.svdvals(W) ** 2 / 50
    np.testing.assert_allclose(np.asarray(e.eigenvalues), ref, rtol=1e-12)
    assert e.q == pytest.approx(0.6) and e.N == 50
    e2 = diagnostics.esd(W.T)
    np.testing.assert_allclose(np.asarray(e2.eigenvalues), ref, rtol=1e-12)


@pytest.mark.parametrize("q", [0.1, 0.5, 1.0])
def test_marchenko_pastur_density_integrates_to_one(q):
    lo, hi = diagnostics.marchenko_pastur_edges(q, sigma2=2.0)
    assert lo == pytest.approx(2 * (1 - np.sqrt(q)) ** 2)
    assert hi == pytest.approx(2 * (1 + np.sqrt(q)) ** 2)

    def f(x):
        return float(diagnostics.marchenko_pastur_density(np.array([x]), q, sigma2=2.0)[0])

    total = integrate.quad(f, lo, hi, limit=200, points=[lo + 1e-9])[0]
    assert total == pytest.approx(1.0, abs=2e-3)
    out = diagnostics.marchenko_pastur_density(np.array([lo / 2 if lo > 0 else -1, hi * 2]), q)
    np.testing.assert_array_equal(np.asarray(out), 0.0)


def test_marchenko_pastur_scale_uses_lowrank_median():
    lam = np.linspace(0.5, 1.5, 11)
    got = diagnostics.marchenko_pastur_scale(lam, 0.25)
    assert got == pytest.approx(1.0 / lowrank.marchenko_pastur_median(0.25))
    W = 2.0 * np.asarray(data.random_weights(200, 800, key=KEY))
    e = diagnostics.esd(W)
    assert diagnostics.marchenko_pastur_scale(e.eigenvalues, e.q) == pytest.approx(4.0, rel=0.05)


# ---------------------------------------------------------------------- power laws
def _pareto(n, alpha, seed=0):
    """Continuous power law with density exponent alpha, xmin = 1."""
    u = np.random.default_rng(seed).uniform(size=n)
    return (1 - u) ** (-1 / (alpha - 1))


def test_powerlaw_mle_closed_form_and_reference():
    powerlaw = pytest.importorskip("powerlaw")
    x = _pareto(400, 2.5) * 0.7 + 0.3
    xmin = float(np.quantile(x, 0.4))
    got = diagnostics.powerlaw_mle(x, xmin=xmin)
    tail = x[x >= xmin]
    assert got.n_tail == tail.size
    assert got.alpha == pytest.approx(1 + tail.size / np.sum(np.log(tail / xmin)), rel=1e-13)
    ref = powerlaw.Fit(x, xmin=xmin, verbose=0, parameter_ranges={"alpha": [1, 100]})
    assert got.alpha == pytest.approx(ref.power_law.alpha, rel=1e-10)
    assert got.ks == pytest.approx(ref.power_law.D, rel=1e-8)


def test_hill_is_mle_at_kth_largest():
    x = _pareto(300, 3.0, seed=1)
    h = diagnostics.hill_alpha(x, k=60)
    xmin = np.sort(x)[::-1][59]
    m = diagnostics.powerlaw_mle(x, xmin=xmin)
    assert h.alpha == pytest.approx(m.alpha, rel=1e-12) and h.n_tail == 60 == m.n_tail
    assert h.ks == pytest.approx(m.ks, rel=1e-10)
    assert diagnostics.hill_alpha(x).n_tail == 150


def test_fit_powerlaw_matches_powerlaw_package():
    powerlaw = pytest.importorskip("powerlaw")
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.uniform(0.2, 1.0, 200), _pareto(300, 2.4, seed=4)])
    got = diagnostics.fit_powerlaw(x)
    ref = powerlaw.Fit(x, verbose=0, parameter_ranges={"alpha": [1, 100]})
    assert got.xmin == pytest.approx(ref.xmin, rel=1e-12)
    assert got.alpha == pytest.approx(ref.power_law.alpha, rel=1e-10)
    assert got.ks == pytest.approx(ref.power_law.D, rel=1e-8)
    assert abs(got.alpha - 2.4) < 0.3


@settings(max_examples=15, deadline=None)
@given(st.floats(1.5, 4.0), st.floats(0.1, 10.0))
def test_fits_are_scale_invariant(alpha, c):
    x = _pareto(200, alpha, seed=5)
    a = diagnostics.fit_powerlaw(x)
    b = diagnostics.fit_powerlaw(c * x)
    assert b.alpha == pytest.approx(a.alpha, rel=1e-9) and b.n_tail == a.n_tail
    assert diagnostics.hill_alpha(c * x).alpha == pytest.approx(
        diagnostics.hill_alpha(x).alpha, rel=1e-10)


# ---------------------------------------------------------------------- FARMS
def test_farms_blocks_match_numpy():
    W = np.asarray(data.random_weights(10, 14, key=KEY))
    f = diagnostics.farms_esd(W, block=(4, 6), stride=3)
    rows, cols = range(0, 7, 3), range(0, 9, 3)
    ref = np.concatenate([np.linalg.eigvalsh(W[r:r + 4, c:c + 6] @ W[r:r + 4, c:c + 6].T) / 6
                          for r in rows for c in cols])
    assert f.n_blocks == 9 and f.block == (4, 6)
    np.testing.assert_allclose(np.asarray(f.eigenvalues), np.sort(ref)[::-1], atol=1e-12)


def test_farms_whole_matrix_is_esd():
    W = np.asarray(data.random_weights(12, 12, key=KEY))
    f = diagnostics.farms_esd(W, block=12, stride=5)
    np.testing.assert_allclose(np.asarray(f.eigenvalues),
                               np.asarray(diagnostics.esd(W).eigenvalues), atol=1e-12)
    assert diagnostics.farms_alpha(W, block=12).alpha == pytest.approx(
        diagnostics.hill_alpha(diagnostics.esd(W).eigenvalues).alpha, rel=1e-10)


def test_farms_removes_aspect_ratio_bias_small():
    raw, farms = [], []
    for i, (m, n) in enumerate(((96, 96), (48, 384))):
        W = data.random_weights(m, n, key=jax.random.fold_in(KEY, i))
        raw.append(diagnostics.hill_alpha(diagnostics.esd(W).eigenvalues).alpha)
        farms.append(diagnostics.farms_alpha(W, block=32, stride=16).alpha)
    assert raw[1] - raw[0] > 1.0
    assert abs(farms[1] - farms[0]) < 0.15


# ---------------------------------------------------------------------- geometry
@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0.0, 10.0), min_size=1, max_size=20).filter(lambda v: max(v) > 1e-3))
def test_effective_rank_bounds_and_scale(s):
    s = np.array(s)
    r = diagnostics.effective_rank(s)
    assert 1.0 - 1e-9 <= r <= np.count_nonzero(s) + 1e-9
    assert diagnostics.effective_rank(3.0 * s) == pytest.approx(r, rel=1e-9)


def test_effective_rank_reference_values():
    assert diagnostics.effective_rank(np.ones(7)) == pytest.approx(7.0, rel=1e-14)
    assert diagnostics.effective_rank(np.array([1.0, 0, 0])) == pytest.approx(1.0)
    p = np.array([3.0, 1.0]) / 4
    assert diagnostics.effective_rank(np.array([3.0, 1.0])) == pytest.approx(
        np.exp(-np.sum(p * np.log(p))))


def test_rankme_is_effective_rank_of_svdvals_and_invariant():
    Z = np.asarray(data.representations(50, 8, key=KEY, alpha=1.0).Z)
    r = diagnostics.rankme(Z)
    assert r == pytest.approx(diagnostics.effective_rank(sla.svdvals(Z)), rel=1e-12)
    R = np.asarray(data.haar_orthogonal(8, key=jax.random.key(1)))
    assert diagnostics.rankme(5 * Z @ R) == pytest.approx(r, rel=1e-10)
    assert diagnostics.rankme(Z, eps=1e-7) == pytest.approx(r, rel=1e-4)
    Q = np.asarray(data.haar_orthogonal(20, 8, key=KEY))
    assert diagnostics.rankme(Q) == pytest.approx(8.0, abs=1e-10)


@pytest.mark.parametrize("alpha", [0.5, 1.0, 2.0])
def test_alpha_req_exact_on_a_prescribed_spectrum(alpha):
    d = 16
    lam = np.arange(1, d + 1) ** (-alpha)
    n = 64
    s = np.sqrt(n * lam)
    Z = np.asarray(data.matrix_with_singular_values(n, d, s, key=KEY).A)
    got = diagnostics.alpha_req(Z, center=False)
    assert got.alpha == pytest.approx(alpha, rel=1e-10)
    assert got.fit_range == (1, d)
    np.testing.assert_allclose(np.asarray(got.eigenvalues), lam, rtol=1e-10)


def test_alpha_req_on_samples():
    rep = data.representations(4000, 32, key=KEY, alpha=1.0)
    assert diagnostics.alpha_req(rep.Z, fit_range=(1, 16)).alpha == pytest.approx(1.0, abs=0.06)


# ---------------------------------------------------------------------- data generators
def test_generators():
    W = np.asarray(data.random_weights(300, 400, key=KEY, dist="student_t", df=5.0))
    assert W.shape == (300, 400) and abs(W.var() - 1) < 0.1
    W = np.asarray(data.random_weights(3, 4, key=KEY, dist="student_t", df=1.5))
    assert np.isfinite(W).all()
    rep = data.representations(20000, 4, key=KEY, alpha=1.0)
    C = np.asarray(rep.Z).T @ np.asarray(rep.Z) / 20000
    ref = np.asarray(rep.basis) @ np.diag(np.asarray(rep.eigenvalues)) @ np.asarray(rep.basis).T
    np.testing.assert_allclose(C, ref, atol=0.03)
    bg = data.zipf_bigrams(20000, 16, key=KEY, exponent=1.0, noise=0.0)
    np.testing.assert_array_equal(np.asarray(bg.y), np.asarray(bg.successor)[np.asarray(bg.x)])
    freq = np.bincount(np.asarray(bg.x), minlength=16) / 20000
    np.testing.assert_allclose(freq, np.asarray(bg.frequencies), atol=0.015)


# ---------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call,match", [
    (lambda: diagnostics.esd(np.ones(3)), r"diagnostics\.esd\(W="),
    (lambda: diagnostics.marchenko_pastur_edges(1.5), r"marchenko_pastur_edges\(q="),
    (lambda: diagnostics.powerlaw_mle(np.array([1.0, -2.0]), xmin=0.5), r"powerlaw_mle\(x="),
    (lambda: diagnostics.powerlaw_mle(np.array([1.0, 2.0]), xmin=5.0), r"powerlaw_mle\(xmin="),
    (lambda: diagnostics.hill_alpha(np.ones(5)), r"hill_alpha\(x="),
    (lambda: diagnostics.hill_alpha(np.arange(1.0, 6.0), k=9), r"hill_alpha\(k="),
    (lambda: diagnostics.fit_powerlaw(np.array([np.nan, 1.0])), r"fit_powerlaw\(x="),
    (lambda: diagnostics.farms_esd(np.ones((4, 4)), block=8), r"farms_esd\(block="),
    (lambda: diagnostics.farms_alpha(np.ones((4, 4)), block=8), r"farms_alpha\(block="),
    (lambda: diagnostics.effective_rank(np.zeros(3)), r"effective_rank\(s="),
    (lambda: diagnostics.rankme(np.zeros((3, 2))), r"rankme\(Z="),
    (lambda: diagnostics.alpha_req(np.ones((5, 3)), fit_range=(2, 9)), r"alpha_req\(fit_range="),
    (lambda: data.random_weights(2, 2, key=KEY, dist="cauchy"), r"random_weights\(dist="),
    (lambda: data.zipf_bigrams(4, 1, key=KEY), r"zipf_bigrams\(vocab="),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
