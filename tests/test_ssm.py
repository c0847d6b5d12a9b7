"""Tests for eigenbook.ssm against SciPy references and structural properties."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg as sla
import scipy.signal as signal
from eigenbook import data, ssm
from eigenbook.ssm._common import _expm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import eval_legendre


def _random_stable(key, N):
    """A random real matrix shifted to have its spectrum in Re < -0.1."""
    G = np.asarray(jax.random.normal(key, (N, N))) / np.sqrt(N)
    return G - (np.max(np.linalg.eigvals(G).real) + 0.5) * np.eye(N)


# -- HiPPO-LegS and its structure --------------------------------------------------------------

def test_hippo_legs_matches_definition():
    A, B = ssm.hippo_legs(5)
    A, B = np.asarray(A), np.asarray(B)
    for n in range(5):
        for k in range(5):
            want = (-np.sqrt(2 * n + 1) * np.sqrt(2 * k + 1) if n > k
                    else -(n + 1) if n == k else 0.0)
            assert A[n, k] == pytest.approx(want)
    np.testing.assert_allclose(B, np.sqrt(2 * np.arange(5) + 1))
    np.testing.assert_allclose(np.sort(np.linalg.eigvals(A).real), -np.arange(5, 0, -1))


@pytest.mark.parametrize("N", [1, 2, 7, 32])
def test_nplr_reconstructs_and_is_normal(N):
    d = ssm.hippo_legs_nplr(N)
    A, _ = ssm.hippo_legs(N)
    recon = d.V @ jnp.diag(d.Lambda) @ d.V.conj().T - jnp.outer(d.P, d.P)
    np.testing.assert_allclose(np.asarray(recon).real, np.asarray(A), atol=1e-12 * N)
    np.testing.assert_allclose(np.asarray(d.Lambda.real), -0.5, atol=1e-12 * N)
    S = np.asarray(d.S)
    np.testing.assert_allclose(S + S.T, -np.eye(N), atol=1e-12)   # -I/2 + skew
    np.testing.assert_allclose(np.asarray(d.V.conj().T @ d.V), np.eye(N), atol=1e-12)


def test_warped_legendre_matches_expm_and_scipy():
    A, B = ssm.hippo_legs(12)
    t = np.array([0.0, 0.3, 1.0, 2.5])
    closed = np.asarray(ssm.warped_legendre(12, t))
    ref = np.stack([sla.expm(tj * np.asarray(A)) @ np.asarray(B) for tj in t], 1)
    np.testing.assert_allclose(closed, ref, atol=1e-12)
    n = np.arange(12)[:, None]
    want = np.sqrt(2 * n + 1) * eval_legendre(n, 2 * np.exp(-t) - 1) * np.exp(-t)
    np.testing.assert_allclose(closed, want, atol=1e-13)
    np.testing.assert_allclose(np.asarray(ssm.continuous_impulse_response(A, B, t)), ref,
                               atol=1e-12)


# -- expm, discretisation -----------------------------------------------------------------------

@settings(max_examples=15, deadline=None)
@given(st.integers(1, 12), st.floats(0.01, 30.0), st.integers(0, 2**31 - 1))
def test_expm_matches_scipy(n, scale, seed):
    M = np.random.default_rng(seed).standard_normal((n, n)) * scale / np.sqrt(n)
    ref = sla.expm(M)
    np.testing.assert_allclose(_expm(M), ref, rtol=1e-9,
                               atol=1e-11 * np.abs(ref).max())


@pytest.mark.parametrize("method", ["zoh", "bilinear"])
def test_discretize_matches_cont2discrete(method, getkey):
    A = _random_stable(getkey(), 6)
    B = np.asarray(jax.random.normal(getkey(), (6,)))
    Ab, Bb = ssm.discretize(A, B, 0.05, method=method)
    ref = signal.cont2discrete((A, B[:, None], np.eye(6), np.zeros((6, 1))), 0.05,
                               method=method)
    np.testing.assert_allclose(np.asarray(Ab), ref[0], atol=1e-13)
    np.testing.assert_allclose(np.asarray(Bb), ref[1][:, 0], atol=1e-13)


@pytest.mark.parametrize("method", ["zoh", "bilinear"])
def test_discretize_diag_matches_dense(method, getkey):
    lam = ssm.s4d_inv_init(8)
    B = jax.random.normal(getkey(), (4,)) + 0j
    Lb, Bb = ssm.discretize_diag(lam, B, 0.01, method=method)
    Ab, Bb_dense = ssm.discretize(jnp.diag(lam), B, 0.01, method=method)
    np.testing.assert_allclose(np.asarray(jnp.diag(Ab)), np.asarray(Lb), atol=1e-13)
    np.testing.assert_allclose(np.asarray(Bb_dense), np.asarray(Bb), atol=1e-13)


# -- kernels -------------------------------------------------------------------------------------

def test_three_kernels_and_dimpulse_agree(getkey):
    lam = ssm.s4d_lin_init(16)
    C = jax.random.normal(getkey(), (8,)) + 1j * jax.random.normal(getkey(), (8,))
    Lb, Bb = ssm.discretize_diag(lam, jnp.ones(8), 0.05)
    L = 300
    K_v = ssm.ssm_kernel_vandermonde(Lb, Bb, C, L, conj_pairs=True)
    K_r = 2 * ssm.ssm_kernel_recurrence(jnp.diag(Lb), Bb, C, L).real
    A_r, B_r, C_r = ssm.diag_to_real(Lb, Bb, C)
    _, (y,) = signal.dimpulse(signal.dlti(A_r, B_r, C_r, np.zeros((1, 1)), dt=0.05), n=L + 1)
    np.testing.assert_allclose(np.asarray(K_v), np.asarray(K_r), rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(np.asarray(K_v), y[1:, 0], rtol=1e-11, atol=1e-12)
    # the recurrence on a real dense system gives the same kernel
    K_real = ssm.ssm_kernel_recurrence(A_r, B_r[:, 0], C_r[0], L)
    np.testing.assert_allclose(np.asarray(K_real), np.asarray(K_v), atol=1e-11)


def test_state_impulse_response_matches_powers(getkey):
    A = _random_stable(getkey(), 5)
    Ab, Bb = ssm.discretize(A, np.ones(5), 0.1)
    X = np.asarray(ssm.state_impulse_response(Ab, Bb, 7))
    for k in range(7):
        np.testing.assert_allclose(X[k], np.linalg.matrix_power(np.asarray(Ab), k) @ Bb,
                                   atol=1e-13)


@settings(max_examples=10, deadline=None)
@given(st.sampled_from([1, 2, 17, 40]), st.integers(0, 2**31 - 1))
def test_fft_convolve_is_causal_convolution(L, seed):
    rng = np.random.default_rng(seed)
    u, K = rng.standard_normal((2, L)), rng.standard_normal(L)
    y = np.asarray(ssm.fft_convolve(u, K))
    for b in range(2):
        np.testing.assert_allclose(y[b], np.convolve(u[b], K)[:L], atol=1e-12)


def test_exponential_input_state_matches_lsim():
    A, B = ssm.hippo_legs(6)
    t = np.linspace(0, 2.0, 4001)
    _, _, x = signal.lsim((np.asarray(A), np.asarray(B)[:, None], np.eye(6), np.zeros((6, 1))),
                          np.exp(-t), t, interp=True)
    np.testing.assert_allclose(np.asarray(ssm.exponential_input_state(A, B, 2.0)), x[-1],
                               rtol=1e-6, atol=1e-7)


# -- transfer functions, conditioning, PTD -----------------------------------------------------

def test_transfer_function_dense_triangular_and_diag_agree(getkey):
    A, B = ssm.hippo_legs(10)
    C = jax.random.normal(getkey(), (10,))
    s = 1j * np.logspace(-1, 2, 7)
    G = np.asarray(ssm.transfer_function(A, B, C, s))                 # triangular path
    want = np.array([np.asarray(C) @ np.linalg.solve(z * np.eye(10) - np.asarray(A),
                                                      np.asarray(B)) for z in s])
    np.testing.assert_allclose(G, want, rtol=1e-10)
    G_full = np.asarray(ssm.transfer_function(np.asarray(A) + 0j, B, C, s))
    np.testing.assert_allclose(G_full, want, rtol=1e-10)
    lam = np.array([-1.0 + 2j, -0.5 - 1j])
    b, c = np.array([1.0, 2.0]), np.array([0.5, 1j])
    Gd = np.asarray(ssm.transfer_function(lam, b, c, s))
    np.testing.assert_allclose(Gd, (c * b / (s[:, None] - lam)).sum(1), rtol=1e-12)


def test_s4d_legs_sherman_morrison_identity():
    """G_S4D / G_LegS = (1 + q(s)) / 2 for every C: the B/2 factor, exactly."""
    N = 16
    A, B = ssm.hippo_legs(N)
    d = ssm.hippo_legs_nplr(N)
    lam, Bt, V = ssm.s4d_legs_init(N)
    s = 1j * np.array([0.3, 3.0, 30.0])
    q = np.array([0.5 * np.asarray(B) @ np.linalg.solve(z * np.eye(N) - np.asarray(d.S),
                                                         np.asarray(B)) for z in s])
    for C in (np.eye(N)[0], np.linspace(-1, 1, N)):
        G = np.asarray(ssm.transfer_function(A, B, C, s))
        Ct = jnp.asarray(C) @ V
        Gd = np.asarray(ssm.transfer_function(lam, Bt, Ct, s)
                        + ssm.transfer_function(jnp.conj(lam), jnp.conj(Bt), jnp.conj(Ct), s))
        np.testing.assert_allclose(Gd / G, (1 + q) / 2, rtol=1e-9)


def test_eigenvector_condition_normal_and_legs():
    Q = np.asarray(data.haar_orthogonal(6, key=jax.random.key(0)))
    assert ssm.eigenvector_condition(Q @ np.diag(np.arange(1.0, 7.0)) @ Q.T) == pytest.approx(
        1.0, abs=1e-8)
    k8 = ssm.eigenvector_condition(ssm.hippo_legs(8)[0])
    k16 = ssm.eigenvector_condition(ssm.hippo_legs(16)[0])
    assert k16 > 1e4 * k8 > 1e7


def test_perturb_then_diagonalize(getkey):
    A, _ = ssm.hippo_legs(32)
    r = ssm.perturb_then_diagonalize(A, 1e-6, key=getkey())
    assert np.linalg.norm(np.asarray(r.E), 2) == pytest.approx(
        1e-6 * np.linalg.norm(np.asarray(A), 2), rel=1e-10)
    recon = r.V @ jnp.diag(r.Lambda) @ jnp.linalg.inv(r.V)
    np.testing.assert_allclose(np.asarray(recon).real, np.asarray(A + r.E), atol=1e-6)
    assert r.kappa < 1e-3 * ssm.eigenvector_condition(A)
    r0 = ssm.perturb_then_diagonalize(A, 0.0, key=getkey())
    assert float(jnp.abs(r0.E).max()) == 0.0


# -- inits, memory, layer ------------------------------------------------------------------------

def test_s4d_inits():
    lin, inv = ssm.s4d_lin_init(8), ssm.s4d_inv_init(8)
    np.testing.assert_allclose(np.asarray(lin), -0.5 + 1j * np.pi * np.arange(4))
    np.testing.assert_allclose(np.asarray(inv.imag),
                               8 / np.pi * (8 / (2 * np.arange(4) + 1) - 1))
    lam, Bt, V = ssm.s4d_legs_init(8)
    assert lam.shape == Bt.shape == (4,) and V.shape == (8, 4)
    assert np.all(np.asarray(lam.imag) > 0)
    np.testing.assert_allclose(np.asarray(lam.real), -0.5, atol=1e-12)


def test_memory_length():
    K = np.array([3.0, 4.0, 0.0, 0.0])
    assert ssm.memory_length(K, frac=0.99) == 2
    assert ssm.memory_length(K, frac=0.3) == 1
    assert ssm.memory_length(np.ones((10, 3)), frac=1.0) == 10


def test_legendre_matches_scipy():
    x = np.linspace(-1, 1, 9)
    P = np.asarray(ssm.legendre(7, x))
    np.testing.assert_allclose(P, np.stack([eval_legendre(n, x) for n in range(7)]), atol=1e-14)


def test_s4d_init_stratifies_timescales(getkey):
    p = ssm.s4d_init(8, 5, key=getkey(), dt_min=1e-3, dt_max=1e-1)
    edges = np.linspace(np.log(1e-3), np.log(1e-1), 6)
    log_dt = np.asarray(p.log_dt)
    assert np.all((log_dt >= edges[:-1]) & (log_dt <= edges[1:]))
    np.testing.assert_allclose(-np.exp(np.asarray(p.log_neg_re)), -0.5)


def test_s4d_layer_is_causal_and_trainable(getkey):
    p = ssm.s4d_init(8, 2, key=getkey())
    u = jax.random.normal(getkey(), (3, 32))
    y = ssm.s4d_apply(p, u)
    assert y.shape == (3, 32)
    u2 = u.at[:, 20:].set(0.0)                        # change only the future
    np.testing.assert_allclose(np.asarray(ssm.s4d_apply(p, u2))[:, :20],
                               np.asarray(y)[:, :20], atol=1e-12)
    g = jax.grad(lambda q: jnp.sum(ssm.s4d_apply(q, u) ** 2))(p)
    assert all(np.all(np.isfinite(np.asarray(leaf))) for leaf in g)
    assert float(jnp.abs(g.log_dt).sum()) > 0


# -- validation ----------------------------------------------------------------------------------

def test_validation_errors(getkey):
    with pytest.raises(ValueError, match=r"ssm.hippo_legs\(N=...\)"):
        ssm.hippo_legs(0)
    with pytest.raises(TypeError, match="an int"):
        ssm.hippo_legs(4.0)
    with pytest.raises(ValueError, match="method"):
        ssm.discretize(np.eye(2), np.ones(2), 0.1, method="euler")
    with pytest.raises(ValueError, match=r"dt > 0"):
        ssm.discretize(np.eye(2), np.ones(2), 0.0)
    with pytest.raises(ValueError, match=r"ssm.discretize\(B=...\)"):
        ssm.discretize(np.eye(2), np.ones(3), 0.1)
    with pytest.raises(ValueError, match="square"):
        ssm.ssm_kernel_recurrence(np.ones((2, 3)), np.ones(2), np.ones(2), 4)
    with pytest.raises(ValueError, match="nonzero"):
        ssm.ssm_kernel_vandermonde(np.array([0.5, 0.0]), np.ones(2), np.ones(2), 4)
    with pytest.raises(ValueError, match="zoh"):
        ssm.discretize_diag(np.array([0.0, -1.0]), np.ones(2), 0.1)
    with pytest.raises(ValueError, match="even"):
        ssm.s4d_inv_init(7)
    with pytest.raises(ValueError, match=r"ssm.fft_convolve\(u=...\)"):
        ssm.fft_convolve(np.ones(5), np.ones(4))
    with pytest.raises(TypeError, match="PRNG key"):
        ssm.perturb_then_diagonalize(np.eye(3), 1e-3, key=0)
    with pytest.raises(ValueError, match="eps >= 0"):
        ssm.perturb_then_diagonalize(np.eye(3), -1.0, key=getkey())
    with pytest.raises(ValueError, match="finite"):
        ssm.transfer_function(np.diag([np.nan, 1.0]), np.ones(2), np.ones(2), [1j])
    with pytest.raises(ValueError, match="frac"):
        ssm.memory_length(np.ones(3), frac=1.5)
    with pytest.raises(ValueError, match="t >= 0"):
        ssm.warped_legendre(3, [-1.0])
    with pytest.raises(TypeError, match="S4DParams"):
        ssm.s4d_apply({"a": 1}, np.ones((1, 4)))
