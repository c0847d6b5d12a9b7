"""Tests for eigenbook.krylov against scipy.sparse.linalg, structural properties, bad input."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from eigenbook import ConvergenceWarning, data, krylov
from hypothesis import given, settings
from hypothesis import strategies as st


def _spd(seed, n, kappa=100.0):
    """A dense SPD matrix with eigenvalues geomspace(1, kappa) (host-side: no JAX compiles)."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (Q * np.geomspace(1.0, kappa, n)) @ Q.T


def _rel(x, y):
    return np.linalg.norm(x - y) / np.linalg.norm(y)


# -- CG / PCG --------------------------------------------------------------------------------

def test_cg_matches_scipy_on_poisson():
    A = data.diffusion_2d(15)
    b = np.ones(A.shape[0])
    res = krylov.cg(A, b, tol=1e-10)
    x_ref, info = spla.cg(A, b, rtol=1e-10, atol=0.0)
    assert res.converged and info == 0
    assert _rel(res.x, x_ref) < 1e-8
    assert np.linalg.norm(b - A @ res.x) <= 1e-10 * np.linalg.norm(b) * 1.01
    assert res.residual_norms.shape == (res.n_iter + 1,)
    assert res.n_matvec == res.n_iter


def test_pcg_with_pyamg_and_multigrid(getkey):
    pyamg = pytest.importorskip("pyamg")
    A = data.diffusion_2d(31)
    b = np.ones(A.shape[0])
    plain = krylov.cg(A, b, tol=1e-8)
    amg = krylov.cg(A, b, M=pyamg.smoothed_aggregation_solver(A).aspreconditioner(), tol=1e-8)
    mg = krylov.multigrid(A, 31)
    gmg = krylov.cg(A, b, M=lambda r: krylov.vcycle(mg, r), tol=1e-8)
    x = spla.spsolve(A.tocsc(), b)
    for r in (amg, gmg):
        assert r.converged and _rel(r.x, x) < 1e-6
        assert r.n_iter < plain.n_iter / 3


def test_cg_tridiagonal_is_lanczos_matrix(getkey):
    A = _spd(1, 40)
    b = np.asarray(jax.random.normal(getkey(), (40,)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        res = krylov.cg(A, b, tol=1e-14, max_steps=8)
    T = krylov.cg_tridiagonal(res.alphas, res.betas)
    # the Lanczos basis: Krylov vectors orthonormalised = normalised CG residuals
    K = np.column_stack([np.linalg.matrix_power(A, j) @ b for j in range(8)])
    Q, _ = np.linalg.qr(K)
    Tl = Q.T @ A @ Q
    np.testing.assert_allclose(np.sort(sla.eigvalsh_tridiagonal(T.diagonal, T.off_diagonal)),
                               np.linalg.eigvalsh(Tl), rtol=1e-8)


def test_cg_warns_when_short():
    A = data.diffusion_2d(15)
    with pytest.warns(ConvergenceWarning, match="krylov.cg"):
        res = krylov.cg(A, np.ones(225), tol=1e-12, max_steps=3)
    assert not res.converged and res.n_iter == 3


def test_cg_accepts_dense_bcoo_and_callable(getkey):
    A = _spd(2, 30)
    b = np.ones(30)
    ref = krylov.cg(A, b, tol=1e-10).x
    from jax.experimental import sparse as jsparse
    for op, kw in ((jsparse.BCOO.fromdense(jnp.asarray(A)), {}),
                   (lambda X: jnp.asarray(A) @ X, {"n": 30})):
        np.testing.assert_allclose(krylov.cg(op, b, tol=1e-10, **kw).x, ref, rtol=1e-7)


@settings(max_examples=15, deadline=None)
@given(n=st.sampled_from([2, 9, 30]), seed=st.integers(0, 10_000), kappa=st.floats(1.0, 1e4))
def test_cg_property_residual_and_monotone_error(n, seed, kappa):
    A = _spd(seed, n, kappa)
    b = np.random.default_rng(seed + 1).standard_normal(n)
    res = krylov.cg(A, b, tol=1e-10, max_steps=4 * n + 10)
    assert res.converged
    assert np.linalg.norm(b - A @ res.x) <= 1e-9 * np.linalg.norm(b)


# -- MINRES / GMRES --------------------------------------------------------------------------

def test_minres_matches_scipy_on_indefinite(getkey):
    lam = np.concatenate([-np.geomspace(1, 10, 20), np.geomspace(1, 50, 30)])
    A = np.asarray(data.symmetric_with_spectrum(lam, key=getkey()).A)
    b = np.asarray(jax.random.normal(getkey(), (50,)))
    res = krylov.minres(A, b, tol=1e-10)
    x_ref, _ = spla.minres(A, b, rtol=1e-12)
    assert res.converged
    assert _rel(res.x, np.linalg.solve(A, b)) < 1e-7
    assert _rel(res.x, x_ref) < 1e-7


def test_gmres_matches_scipy_on_nonsymmetric(getkey):
    n = 80
    G = np.asarray(jax.random.normal(getkey(), (n, n))) / np.sqrt(n)
    A = np.eye(n) * 3 + G
    b = np.asarray(jax.random.normal(getkey(), (n,)))
    res = krylov.gmres(A, b, restart=20, tol=1e-10)
    x_ref, info = spla.gmres(A, b, rtol=1e-10, restart=20)
    assert res.converged and info == 0
    assert _rel(res.x, np.linalg.solve(A, b)) < 1e-8
    assert _rel(res.x, x_ref) < 1e-7
    # full GMRES: the residual history never increases
    full = krylov.gmres(A, b, restart=n, tol=1e-10)
    assert np.all(np.diff(full.residual_norms) <= 1e-12)


@settings(max_examples=10, deadline=None)
@given(n=st.sampled_from([3, 17, 40]), seed=st.integers(0, 10_000), m=st.integers(2, 12))
def test_gmres_property_solves(n, seed, m):
    rng = np.random.default_rng(seed)
    A = 2.5 * np.eye(n) + rng.standard_normal((n, n)) / np.sqrt(n)
    b = rng.standard_normal(n)
    res = krylov.gmres(A, b, restart=m, tol=1e-9, max_steps=2000)
    assert res.converged
    assert np.linalg.norm(b - A @ res.x) <= 1e-8 * np.linalg.norm(b)


# -- GCRO-DR and sequences -------------------------------------------------------------------

def test_gcro_dr_solves_and_recycling_helps():
    ds = data.darcy_systems(12, 6, key=jax.random.key(3))
    first = krylov.gcro_dr(ds.matrices[0], ds.rhs[0], m=30, k=10, tol=1e-10)
    x = spla.spsolve(ds.matrices[0].tocsc(), ds.rhs[0])
    assert first.converged and _rel(first.x, x) < 1e-7
    assert first.recycle.shape == (144, 10)
    cold = krylov.gcro_dr(ds.matrices[1], ds.rhs[1], m=30, k=10, tol=1e-10)
    warm = krylov.gcro_dr(ds.matrices[1], ds.rhs[1], recycle=first.recycle, m=30, k=10,
                          tol=1e-10)
    assert warm.converged and warm.n_matvec < cold.n_matvec
    # recycled space: A U = C with orthonormal C -> A U has orthonormal columns
    AU = ds.matrices[1] @ warm.recycle
    np.testing.assert_allclose(AU.T @ AU, np.eye(10), atol=1e-8)


def test_gcro_dr_agrees_with_gcrotmk():
    ds = data.darcy_systems(10, 1, key=jax.random.key(0))
    A, b = ds.matrices[0], ds.rhs[0]
    ours = krylov.gcro_dr(A, b, m=20, k=5, tol=1e-10)
    ref, info = spla.gcrotmk(A, b, rtol=1e-10, m=15, k=5)
    assert ours.converged and info == 0
    assert _rel(ours.x, ref) < 1e-7


def test_solve_sequence_and_greedy_order(getkey):
    ds = data.darcy_systems(10, 8, key=getkey())
    order = krylov.greedy_order(ds.theta)
    assert sorted(order.tolist()) == list(range(8)) and order[0] == 0
    steps = np.linalg.norm(np.diff(ds.theta[order], axis=0), axis=1)
    d0 = np.linalg.norm(ds.theta - ds.theta[0], axis=1)
    assert steps[0] == pytest.approx(np.sort(d0)[1])  # first move: the nearest neighbour
    for method in ("gmres", "gcro_dr"):
        out = krylov.solve_sequence(ds.matrices, ds.rhs, order=order, method=method,
                                    m=20, k=5, tol=1e-9)
        assert out.converged.all() and out.residuals.max() <= 1e-9 * 1.01
        for i in range(8):
            assert _rel(out.solutions[i], spla.spsolve(ds.matrices[i].tocsc(), ds.rhs[i])) < 1e-6


# -- multigrid, DCDM -------------------------------------------------------------------------

def test_multigrid_vcycle_is_symmetric_contraction():
    A = data.diffusion_2d(15)
    mg = krylov.multigrid(A, 15)
    assert len(mg.matrices) == 3
    M = np.column_stack([krylov.vcycle(mg, e) for e in np.eye(225)])
    np.testing.assert_allclose(M, M.T, atol=1e-10)
    E = np.eye(225) - M @ A.toarray()  # error propagation of one V-cycle
    assert np.abs(np.linalg.eigvals(E)).max() < 0.5


def test_dcdm_invariances():
    A = data.diffusion_2d(15)
    b = np.ones(225)
    mg = krylov.multigrid(A, 15)
    base = krylov.dcdm(A, b, direction=lambda r: krylov.vcycle(mg, r), tol=1e-8)
    for c in (1e-3, 1e3):
        scaled = krylov.dcdm(A, b, direction=lambda r, c=c: c * krylov.vcycle(mg, r), tol=1e-8)
        assert scaled.n_iter == base.n_iter
        assert _rel(scaled.x, base.x) < 1e-12
    lu = spla.splu(A.tocsc())
    exact = krylov.dcdm(A, b, direction=lu.solve, tol=1e-10)
    assert exact.n_iter == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ident = krylov.dcdm(A, b, direction=lambda r: r, tol=1e-14, max_steps=3)
        cg = krylov.cg(A, b, tol=1e-14, max_steps=3)
    np.testing.assert_allclose(ident.residual_norms, cg.residual_norms, rtol=1e-10)
    assert _rel(ident.x, cg.x) < 1e-12


# -- Schur complements, DCReg ----------------------------------------------------------------

def test_schur_and_block_solve(getkey):
    H = _spd(3, 9)
    S = krylov.schur_complements(H, 4)
    Hinv = np.linalg.inv(H)
    np.testing.assert_allclose(np.linalg.inv(S.first), Hinv[:4, :4], rtol=1e-8)
    np.testing.assert_allclose(np.linalg.inv(S.second), Hinv[4:, 4:], rtol=1e-8)
    b = np.arange(9.0)
    np.testing.assert_allclose(krylov.block_solve(H, b, 4).x, np.linalg.solve(H, b),
                               rtol=1e-9)


def test_dcreg_preconditioner_keeps_minimiser():
    c = data.corridor_registration(30, key=jax.random.key(0), tilt=1e-4)
    H = c.J.T @ c.J
    g = c.J.T @ np.linspace(-1, 1, c.J.shape[0])
    P = krylov.dcreg_preconditioner(H, 3, kappa_max=1e3)
    assert P.clamped_second[0] and not P.clamped_first.any()
    res = krylov.cg(H, g, M=P.P_inv, tol=1e-10)
    assert res.converged and res.n_iter <= 2
    assert _rel(res.x, np.linalg.solve(H, g)) < 1e-8


# -- data generators -------------------------------------------------------------------------

def test_diffusion_2d_is_poisson_and_spd():
    A = data.diffusion_2d(4)
    T = sp.diags_array([-np.ones(3), 2 * np.ones(4), -np.ones(3)], offsets=[-1, 0, 1])
    ref = (sp.kron(T, sp.eye(4)) + sp.kron(sp.eye(4), T)) * 25
    np.testing.assert_allclose(A.toarray(), ref.toarray())
    a = np.exp(np.random.default_rng(0).standard_normal((6, 6)))
    B = data.diffusion_2d(a).toarray()
    np.testing.assert_allclose(B, B.T)
    assert np.linalg.eigvalsh(B).min() > 0


# -- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("call, exc, match", [
    (lambda: krylov.cg(np.ones((3, 4)), np.ones(3)), ValueError, r"krylov.cg\(A="),
    (lambda: krylov.cg(np.eye(3), np.ones(4)), ValueError, r"krylov.cg\(b="),
    (lambda: krylov.cg(np.eye(3), [1, np.nan, 1]), ValueError, r"krylov.cg\(b="),
    (lambda: krylov.cg(np.array([[1.0, 2], [0, 1]]), np.ones(2)), ValueError, "symmetric"),
    (lambda: krylov.cg(np.eye(3), np.ones(3), tol=-1.0), ValueError, r"tol="),
    (lambda: krylov.cg(np.eye(3), np.ones(3), max_steps=1.5), TypeError, r"max_steps="),
    (lambda: krylov.cg(lambda X: X, np.ones(3)), TypeError, r"n="),
    (lambda: krylov.gmres(np.eye(3), np.ones(3), restart=0), ValueError, r"restart="),
    (lambda: krylov.gcro_dr(np.eye(3), np.ones(3), m=5, k=5), ValueError, r"k="),
    (lambda: krylov.gcro_dr(np.eye(3), np.ones(3), recycle=np.ones((4, 1))), ValueError,
     r"recycle="),
    (lambda: krylov.minres(np.full((2, 2), np.inf), np.ones(2)), ValueError, r"A="),
    (lambda: krylov.dcdm(np.eye(3), np.ones(3), direction=3), TypeError, r"direction="),
    (lambda: krylov.dcdm(np.eye(3), np.ones(3), direction=lambda r: r[:2]), ValueError,
     r"direction="),
    (lambda: krylov.cg_tridiagonal([1.0, -1.0], [0.5]), ValueError, r"alphas="),
    (lambda: krylov.schur_complements(np.eye(3), 3), ValueError, r"k="),
    (lambda: krylov.multigrid(data.diffusion_2d(7), 8), ValueError, r"n_grid="),
    (lambda: krylov.vcycle("mg", np.ones(3)), TypeError, r"mg="),
    (lambda: krylov.solve_sequence([np.eye(2)], np.ones((2, 2))), ValueError, r"rhs="),
    (lambda: krylov.solve_sequence([np.eye(2)], np.ones((1, 2)), method="cg"), ValueError,
     r"method="),
    (lambda: krylov.greedy_order(np.ones(3)), ValueError, r"params="),
    (lambda: data.darcy_systems(1, 3, key=jax.random.key(0)), ValueError, r"n_grid="),
    (lambda: data.diffusion_2d(-np.ones((3, 3))), ValueError, r"a="),
    (lambda: data.corridor_registration(10, key=0), TypeError, r"key="),
    # found by the contract test (issue 29): a non-symmetric matrix M, a NaN residual for
    # vcycle, solve_sequence's options named by solve_sequence itself
    (lambda: krylov.cg(np.eye(3), np.ones(3), M=np.triu(np.ones((3, 3)))), ValueError,
     r"krylov.cg\(M="),
    (lambda: krylov.vcycle(krylov.multigrid(data.diffusion_2d(3), 3), [np.nan] * 9),
     ValueError, r"krylov.vcycle\(r="),
    (lambda: krylov.solve_sequence([np.eye(2)], np.ones((1, 2)), m=1), ValueError,
     r"krylov.solve_sequence\(m="),
    (lambda: krylov.solve_sequence([np.eye(2)], np.ones((1, 2)), tol=np.nan), ValueError,
     r"krylov.solve_sequence\(tol="),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
