"""Tests for eigenbook.physics against numpy/scipy references, properties, bad input."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg as sla
from eigenbook import data, nn, physics
from eigenbook.physics import _pinn
from hypothesis import given, settings
from hypothesis import strategies as st

jax.config.update("jax_enable_x64", True)


def _ho(x):
    return 0.5 * x**2


HO = np.array([0.5, 1.5, 2.5])


# -- finite differences and collocation ------------------------------------------------------

def test_fd_matches_dense_eigh_and_converges_quadratically():
    d, e, x = physics.fd_hamiltonian(_ho, (-8.0, 8.0), 200)
    dense = np.diag(d) + np.diag(e, 1) + np.diag(e, -1)
    ref = np.linalg.eigvalsh(dense)[:3]
    res = physics.fd_eigh(_ho, (-8.0, 8.0), 200, k=3)
    np.testing.assert_allclose(res.energies, ref, rtol=1e-12)
    err = [abs(physics.fd_eigh(_ho, (-8.0, 8.0), n).energies[0] - 0.5) for n in (200, 400)]
    assert 3.5 < err[0] / err[1] < 4.5
    assert np.all(res.energies < HO)          # FD is below for the oscillator


def test_chebyshev_points_differentiate_polynomials_exactly():
    x, D = physics.chebyshev_points(8)
    np.testing.assert_allclose(D @ x**5, 5 * x**4, atol=1e-11)
    np.testing.assert_allclose(x, np.cos(np.pi * np.arange(9) / 8))


def test_chebyshev_oscillator_spectral():
    res = physics.chebyshev_eigh(_ho, (-10.0, 10.0), 80, k=3)
    np.testing.assert_allclose(res.energies, HO, atol=1e-9)
    assert np.all(np.diff(res.nodes) > 0)


# -- finite elements ----------------------------------------------------------------------

@pytest.mark.parametrize("p", [1, 2, 5, 12])
def test_gll_rule(p):
    x, w = physics.gll_nodes(p)
    assert x[0] == -1 and x[-1] == 1 and np.all(np.diff(x) > 0)
    for k in range(2 * p):                    # exact to degree 2p - 1
        np.testing.assert_allclose(np.sum(w * x**k), (1 + (-1) ** k) / (k + 1), atol=1e-13)


def test_fem_upper_bounds_and_p_convergence():
    mesh = np.linspace(-10.0, 10.0, 11)
    errs = []
    for p in (2, 4, 8):
        r = physics.fem_eigh(_ho, mesh, p=p, k=3)
        assert r.n_dof == 10 * p - 1 and r.coefficients.shape == (r.n_dof, 3)
        assert np.all(r.energies - HO > -1e-12)
        errs.append(np.abs(r.energies - HO).max())
    assert errs[2] < 1e-3 * errs[0]


def test_fem_linear_elements_match_scipy_generalized_eigh():
    # p = 1 with exact integrals of V = 0: the classical tridiagonal K, M of linear elements
    n_el, L = 20, 1.0
    h = L / n_el
    r = physics.fem_eigh(lambda x: 0 * x, np.linspace(0, L, n_el + 1), p=1, k=3)
    n = n_el - 1
    K = (np.diag(np.full(n, 2.0)) - np.diag(np.ones(n - 1), 1) - np.diag(np.ones(n - 1), -1))
    K *= 0.5 / h
    M = (np.diag(np.full(n, 4.0)) + np.diag(np.ones(n - 1), 1) + np.diag(np.ones(n - 1), -1))
    M *= h / 6
    np.testing.assert_allclose(r.energies, sla.eigh(K, M, eigvals_only=True)[:3], rtol=1e-12)


def test_radial_fem_hydrogen():
    mesh = physics.exponential_mesh(0.0, 100.0, 10, 50.0)
    for l in (0, 1, 2):
        r = physics.radial_fem_eigh(1.0, l, mesh, p=16, k=2)
        exact = -0.5 / np.arange(l + 1, l + 3) ** 2
        np.testing.assert_allclose(r.energies, exact, atol=1e-7)
        assert np.all(r.energies - exact > -1e-10)


def test_exponential_mesh_ratio():
    m = physics.exponential_mesh(0.0, 10.0, 5, 16.0)
    h = np.diff(m)
    assert m[0] == 0 and m[-1] == 10
    np.testing.assert_allclose(h[-1] / h[0], 16.0)
    np.testing.assert_allclose(h[1:] / h[:-1], 2.0)


@settings(max_examples=10, deadline=None)
@given(st.floats(0.5, 3.0), st.integers(3, 8))
def test_fem_scaling_property(Z, p):
    # E(Z) = Z^2 E(1) when the mesh scales like 1/Z
    mesh = physics.exponential_mesh(0.0, 40.0, 6, 20.0)
    e1 = physics.radial_fem_eigh(1.0, 0, mesh, p=p, k=1).energies[0]
    eZ = physics.radial_fem_eigh(Z, 0, mesh / Z, p=p, k=1).energies[0]
    np.testing.assert_allclose(eZ, Z**2 * e1, rtol=1e-9)


def test_fem_rejects_underintegrated_mass():
    with pytest.raises(ValueError, match=r"physics.fem_eigh\(n_quad="):
        physics.fem_eigh(_ho, np.linspace(-4.0, 4.0, 5), p=6, n_quad=2)


def test_radial_fem_rejects_mesh_off_origin():
    with pytest.raises(ValueError, match=r"physics.radial_fem_eigh\(mesh="):
        physics.radial_fem_eigh(1.0, 0, np.linspace(1.0, 5.0, 3), p=3)


# -- shooting -------------------------------------------------------------------------------

def test_shooting_matches_exact_and_fem():
    exact = -0.5 / np.arange(1, 3) ** 2
    br = np.stack([exact * 1.01, exact * 0.99], axis=1)
    s = physics.radial_shooting(1.0, 0, br)
    np.testing.assert_allclose(s.energies, exact, atol=1e-9)
    assert s.n_shots > 4


def test_shooting_rejects_bracket_without_root():
    with pytest.raises(ValueError, match=r"physics.radial_shooting\(brackets="):
        physics.radial_shooting(1.0, 0, np.array([[-0.4, -0.3]]))


# -- PINN --------------------------------------------------------------------------------------

def test_pinn_taylor_derivatives_match_autodiff():
    net = nn.init_mlp((1, 8, 8, 1), key=jax.random.key(1), dtype=jnp.float64)
    x = jnp.linspace(0.0, 1.0, 7)
    psi, dd = _pinn._psi_and_dd(net, x, 0.0, 1.0)
    f = lambda t: _pinn._psi(net, t[None], 0.0, 1.0)[0]  # noqa: E731
    np.testing.assert_allclose(psi, jax.vmap(f)(x), atol=1e-13)
    np.testing.assert_allclose(dd, jax.vmap(jax.grad(jax.grad(f)))(x), atol=1e-11)


def test_pinn_infinite_well_short():
    x = jnp.linspace(0.0, 1.0, 65)
    r = physics.pinn_eigenstate(x, 0 * x, key=jax.random.key(0), energy=np.pi**2 / 2,
                                train_energy=False, norm_weight=100.0, n_steps=800,
                                learning_rate=1e-2)
    exact = np.sqrt(2) * np.sin(np.pi * np.asarray(x))
    s = np.sign(np.sum(np.asarray(r.psi) * exact))
    assert np.sqrt(np.trapezoid((s * np.asarray(r.psi) - exact) ** 2, np.asarray(x))) < 0.05
    assert abs(r.norm - 1) < 0.05 and r.losses.shape == (800,)
    assert r.energy == np.pi**2 / 2


# -- filters and cooling ------------------------------------------------------------------

@pytest.mark.parametrize("delta,eps", [(0.2, 1e-3), (0.05, 1e-2), (0.1, 1e-6)])
def test_sign_polynomial_meets_eps(delta, eps):
    sp = physics.sign_polynomial(0.1, delta, eps)
    assert sp.max_error <= eps and sp.coefficients.shape == (sp.degree + 1,)
    shorter = physics.sign_polynomial(0.1, delta, eps * 10)
    assert shorter.degree < sp.degree


def test_sign_polynomial_interpolate_control():
    sp = physics.sign_polynomial(0.0, 0.1, 0.05, method="interpolate")
    assert sp.max_error <= 0.05 and sp.k == 0.0


def test_chebyshev_filter_degree_formula():
    d = physics.chebyshev_filter_degree(0.1, 1e-3)
    T = np.polynomial.chebyshev.Chebyshev.basis
    assert T(d)(1.1) >= 1e3 > T(d - 1)(1.1)


def test_chebyshev_series_apply_matches_eigendecomposition():
    rng = np.random.default_rng(3)
    B = rng.standard_normal((6, 6))
    A = (B + B.T) / 2
    w, U = np.linalg.eigh(A)
    lo, hi = w[0] - 0.1, w[-1] + 0.1
    c = rng.standard_normal(7)
    X = rng.standard_normal((6, 2))
    t = (w - (hi + lo) / 2) / ((hi - lo) / 2)
    ref = U @ (np.polynomial.chebyshev.chebval(t, c)[:, None] * (U.T @ X))
    np.testing.assert_allclose(physics.chebyshev_series_apply(A, c, X, bounds=(lo, hi)), ref,
                               atol=1e-12)


def test_cooling_dynamics_conserves_norm_and_bound():
    H = data.transverse_field_ising(5)
    V = data.random_local_pauli(5, key=jax.random.key(2))
    w, U = np.linalg.eigh(H)
    mu = (w[3] + w[4]) / 2
    t = np.linspace(0, 20, 41)
    run = physics.sign_cooling_dynamics(H, V, U[:, 3], mu=mu, lam=0.05, times=t)
    assert run.p_above[0] < 1e-20 and run.p_above.max() <= 0.05**2
    plain = physics.sign_cooling_dynamics(H, V, U[:, 3], mu=mu, lam=0.0, times=t,
                                          transform="none")
    np.testing.assert_allclose(plain.p_above, 0.0, atol=1e-20)   # eigenstate: stationary


def test_spin_generators():
    H = data.transverse_field_ising(4, J=1.0, h=0.0)
    np.testing.assert_allclose(np.linalg.eigvalsh(H)[0], -3.0)   # open chain, 3 bonds
    V = data.random_local_pauli(4, key=jax.random.key(0))
    np.testing.assert_allclose(V, V.conj().T)
    np.testing.assert_allclose(np.linalg.norm(V, 2), 1.0)
    V2 = data.random_local_pauli(4, key=jax.random.key(0))
    np.testing.assert_array_equal(V, V2)
