"""Tests of eigenbook.eigen: power, subspace, Lanczos, LOBPCG, Chebyshev filtering."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spl
from eigenbook import data
from eigenbook.eigen._chebyshev import chebyshev_filtered_subspace_iteration
from eigenbook.eigen._common import EighResult
from eigenbook.eigen._lanczos import (
    kaniel_paige_bound,
    lanczos,
    lanczos_decomposition,
    ritz_value_history,
)
from eigenbook.eigen._lobpcg import lobpcg
from eigenbook.eigen._power import power_iteration, rayleigh_quotient, subspace_iteration
from hypothesis import given, settings
from hypothesis import strategies as st
from jax.experimental import sparse as jsparse

N = 60


def spectrum_matrix(eigenvalues, seed=0):
    """Dense symmetric Q diag(eigenvalues) Q^T with a random orthogonal Q."""
    n = len(eigenvalues)
    Q = np.asarray(data.haar_orthogonal(n, key=jax.random.key(seed)))
    return (Q * np.asarray(eigenvalues)) @ Q.T


def gapped_spectrum(n=N):
    """Well-separated extremes at both ends, a bulk in the middle."""
    bulk = np.linspace(-1.0, 1.0, n - 8)
    return np.concatenate([[-10.0, -8.0, -6.0, -4.0], bulk, [4.0, 6.0, 8.0, 10.0]])


A_DENSE = spectrum_matrix(gapped_spectrum())
W_TRUE = np.linalg.eigvalsh(A_DENSE)
A_JNP = jnp.asarray(A_DENSE)


def _matmat(X):
    return A_JNP @ X


FORMS = {
    "dense": lambda: A_DENSE,
    "scipy": lambda: sp.csr_array(A_DENSE),
    "bcoo": lambda: jsparse.BCOO.fromdense(A_JNP),
    "callable": lambda: _matmat,
}


def expected(k, which):
    return W_TRUE[::-1][:k] if which == "largest" else W_TRUE[:k]


def assert_eigh_ok(res, A, k, which, atol=1e-8):
    assert isinstance(res, EighResult)
    assert res.eigenvalues.shape == (k,)
    assert res.eigenvectors.shape == (A.shape[0], k)
    np.testing.assert_allclose(res.eigenvalues, expected(k, which), atol=atol)
    V = np.asarray(res.eigenvectors)
    np.testing.assert_allclose(V.T @ V, np.eye(k), atol=1e-10)
    np.testing.assert_allclose(np.linalg.norm(A @ V - V * res.eigenvalues, axis=0),
                               res.residual_norms, atol=1e-10)
    assert bool(jnp.all(res.converged))
    # Sign convention: the largest-|entry| of every column is positive.
    assert np.all(V[np.argmax(np.abs(V), axis=0), np.arange(k)] > 0)


SOLVERS = {
    "lanczos": lambda A, k, which, key, n: lanczos(A, k, key=key, n_steps=50, which=which,
                                                   n=n),
    "lobpcg": lambda A, k, which, key, n: lobpcg(A, k, key=key, which=which, n=n),
    "chebyshev": lambda A, k, which, key, n: chebyshev_filtered_subspace_iteration(
        A, k, key=key, degree=12, n_iter=12, which=which, n=n),
}


# Every form with every solver; each solver sees both ends across the forms.
CASES = [(form, solver, ("largest", "smallest")[(i + j) % 2])
         for i, form in enumerate(FORMS) for j, solver in enumerate(SOLVERS)]


@pytest.mark.parametrize("form, solver, which", CASES)
def test_solvers_match_numpy_eigh(form, solver, which, getkey):
    n = N if form == "callable" else None
    res = SOLVERS[solver](FORMS[form](), 3, which, getkey(), n)
    assert_eigh_ok(res, A_DENSE, 3, which)


@pytest.mark.parametrize("form", list(FORMS))
def test_subspace_iteration_dominant(form, getkey):
    n = N if form == "callable" else None
    res = subspace_iteration(FORMS[form](), 2, key=getkey(), n_iter=200, n=n)
    # Dominant pairs are +-10 (then +-8): sorted by decreasing magnitude.
    np.testing.assert_allclose(np.abs(res.eigenvalues), [10.0, 10.0], atol=1e-8)
    assert res.residual_norms.max() < 1e-6
    assert int(res.n_steps) == 200


def test_subspace_iteration_psd(getkey):
    A = spectrum_matrix(np.linspace(1.0, 10.0, 30) ** 2)
    res = subspace_iteration(A, 3, key=getkey(), n_iter=300)
    np.testing.assert_allclose(res.eigenvalues, np.linalg.eigvalsh(A)[::-1][:3], rtol=1e-10)
    assert bool(jnp.all(res.converged))


def test_against_scipy_eigsh_sparse(getkey):
    rng = np.random.default_rng(1)
    n = 400
    S = sp.random_array((n, n), density=0.02, rng=rng, format="csr")
    S = (S + S.T + sp.diags_array(np.linspace(0, 3, n))).tocsr()
    ref = np.sort(spl.eigsh(S, k=5, which="LA", v0=np.ones(n))[0])[::-1]
    res = lanczos(S, 5, key=getkey(), n_steps=150)
    np.testing.assert_allclose(res.eigenvalues, ref, atol=1e-8)
    ref_small = np.sort(spl.eigsh(S, k=4, which="SA", v0=np.ones(n))[0])
    res = lobpcg(S, 4, key=getkey(), which="smallest", n_iter=500)
    np.testing.assert_allclose(res.eigenvalues, ref_small, atol=1e-7)


def test_lobpcg_preconditioner_and_cap(getkey):
    n = 300
    d = np.arange(1.0, n + 1.0)
    A = sp.diags_array([np.full(n - 1, 0.3), d, np.full(n - 1, 0.3)], offsets=[-1, 0, 1])
    dj = jnp.asarray(d)

    def jacobi(R):
        return R / dj[:, None]

    plain = lobpcg(A, 3, key=getkey(), which="smallest", n_iter=300)
    pre = lobpcg(A, 3, key=getkey(), which="smallest", n_iter=300, preconditioner=jacobi)
    ref = np.linalg.eigvalsh(A.toarray())[:3]
    np.testing.assert_allclose(pre.eigenvalues, ref, atol=1e-8)
    assert bool(jnp.all(pre.converged))
    assert int(pre.n_steps) < int(plain.n_steps)
    with pytest.warns(UserWarning, match="eigen.lobpcg: stopped"):
        capped = lobpcg(A, 3, key=getkey(), which="smallest", n_iter=2)
    assert int(capped.n_steps) == 2 and not bool(jnp.all(capped.converged))


def test_float32_input_keeps_dtype(getkey):
    res = lanczos(A_DENSE.astype(np.float32), 2, key=getkey(), n_steps=40)
    assert res.eigenvalues.dtype == jnp.float32
    np.testing.assert_allclose(res.eigenvalues, [10.0, 8.0], rtol=1e-4)


@pytest.mark.parametrize("fn", [
    lambda A, key: lanczos(A, 3, key=key),
    lambda A, key: lobpcg(A, 3, key=key),
    lambda A, key: chebyshev_filtered_subspace_iteration(A, 3, key=key, degree=8, n_iter=5),
    lambda A, key: subspace_iteration(A, 3, key=key, n_iter=5),
    lambda A, key: power_iteration(A, key=key, n_iter=5),
    lambda A, key: lanczos_decomposition(A, 10, key=key),
])
@pytest.mark.filterwarnings("ignore::eigenbook.ConvergenceWarning")  # short runs on purpose
def test_same_key_same_result(fn):
    a = fn(A_DENSE, jax.random.key(7))
    b = fn(A_DENSE, jax.random.key(7))
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


def test_different_key_changes_start():
    a = lanczos_decomposition(A_DENSE, 5, key=jax.random.key(1))
    b = lanczos_decomposition(A_DENSE, 5, key=jax.random.key(2))
    assert not np.allclose(a.Q[:, 0], b.Q[:, 0])


# ---------------------------------------------------------------- Lanczos theory


def test_lanczos_decomposition_identity(getkey):
    m = 25
    d = lanczos_decomposition(A_DENSE, m, key=getkey())
    Q, T = np.asarray(d.Q), np.diag(d.alpha) + np.diag(d.beta, 1) + np.diag(d.beta, -1)
    assert Q.shape == (N, m) and d.alpha.shape == (m,) and d.beta.shape == (m - 1,)
    np.testing.assert_allclose(Q.T @ Q, np.eye(m), atol=1e-13)
    np.testing.assert_allclose(Q.T @ A_DENSE @ Q, T, atol=1e-12)


def test_lanczos_without_reorth_loses_orthogonality(getkey):
    key = getkey()
    full = lanczos_decomposition(A_DENSE, N, key=key, reorth="full")
    none = lanczos_decomposition(A_DENSE, N, key=key, reorth="none")
    err = lambda d: np.abs(np.asarray(d.Q.T @ d.Q) - np.eye(N)).max()  # noqa: E731
    assert err(full) < 1e-12
    assert err(none) > 1e-3


def test_lanczos_breakdown_restarts_without_nan(getkey):
    # Only 3 distinct eigenvalues: the Krylov space is invariant after 3 steps.
    A = spectrum_matrix(np.repeat([1.0, 2.0, 5.0], 4), seed=3)
    d = lanczos_decomposition(A, 12, key=getkey())
    assert np.all(np.isfinite(np.asarray(d.Q)))
    np.testing.assert_allclose(d.Q.T @ d.Q, np.eye(12), atol=1e-12)
    assert abs(float(d.beta[2])) == 0.0
    T = np.diag(d.alpha) + np.diag(d.beta, 1) + np.diag(d.beta, -1)
    np.testing.assert_allclose(np.linalg.eigvalsh(T), np.linalg.eigvalsh(A), atol=1e-12)
    res = lanczos(A, 5, key=getkey(), n_steps=12)
    np.testing.assert_allclose(res.eigenvalues, [5, 5, 5, 5, 2], atol=1e-12)


def test_ritz_value_history_matches_leading_blocks(getkey):
    d = lanczos_decomposition(A_DENSE, 15, key=getkey())
    T = np.diag(d.alpha) + np.diag(d.beta, 1) + np.diag(d.beta, -1)
    top = [np.linalg.eigvalsh(T[:j, :j])[-1] for j in range(1, 16)]
    bottom = [np.linalg.eigvalsh(T[:j, :j])[0] for j in range(1, 16)]
    np.testing.assert_allclose(ritz_value_history(d.alpha, d.beta), top, atol=1e-12)
    np.testing.assert_allclose(ritz_value_history(d.alpha, d.beta, which="smallest"), bottom,
                               atol=1e-12)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), gap=st.floats(0.05, 2.0))
def test_ritz_values_interlace_and_obey_kaniel_paige(seed, gap):
    rng = np.random.default_rng(seed)
    n, m = 40, 30  # fixed shapes: one compilation; the history covers j = 1..m
    lam = np.concatenate([rng.uniform(-1.0, 1.0, n - 1), [1.0 + gap]])
    A = spectrum_matrix(lam, seed=seed)
    d = lanczos_decomposition(A, m, key=jax.random.key(seed))
    hist = np.asarray(ritz_value_history(d.alpha, d.beta))
    lam_max, lam_min = lam.max(), lam.min()
    # Cauchy interlacing: Ritz values lie in [lambda_n, lambda_1] and the
    # largest one increases monotonically with the step.
    T = np.diag(d.alpha) + np.diag(d.beta, 1) + np.diag(d.beta, -1)
    theta = np.linalg.eigvalsh(T)
    assert theta.min() >= lam_min - 1e-10 and theta.max() <= lam_max + 1e-10
    assert np.all(np.diff(hist) >= -1e-10)
    np.testing.assert_allclose(np.asarray(d.Q.T @ d.Q), np.eye(m), atol=1e-12)
    # Kaniel–Paige: lambda_1 - theta_1^(j) <= bound(j) for every step j.
    w, V = np.linalg.eigh(A)
    cos0 = abs(float(V[:, -1] @ np.asarray(d.Q[:, 0])))
    tan0 = np.sqrt(max(1.0 - cos0**2, 0.0)) / cos0
    for j in range(1, m + 1):
        err = lam_max - hist[j - 1]
        assert err <= kaniel_paige_bound(w, j, tan0) * (1 + 1e-8) + 1e-11


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_lobpcg_and_lanczos_residuals_on_random_matrices(seed):
    rng = np.random.default_rng(seed)
    n = 36
    lam = np.concatenate([rng.uniform(-1.0, 1.0, n - 2), [3.0, 4.0]])
    A = spectrum_matrix(lam, seed=seed)
    key = jax.random.key(seed)
    for res in (lobpcg(A, 2, key=key), lanczos(A, 2, key=key, n_steps=36)):
        np.testing.assert_allclose(res.eigenvalues, [4.0, 3.0], atol=1e-8)
        assert res.residual_norms.max() < 1e-7
        V = np.asarray(res.eigenvectors)
        np.testing.assert_allclose(V.T @ V, np.eye(2), atol=1e-10)


def test_kaniel_paige_bound_values():
    lam = np.array([3.0, 1.0, 0.0, -1.0])
    assert kaniel_paige_bound(lam, 1, 2.0) == pytest.approx(4.0 * 4.0)
    gamma = 2.0 / 2.0
    cheb2 = 2 * (1 + 2 * gamma) ** 2 - 1  # T_2(3) = 17
    assert kaniel_paige_bound(lam, 3, 0.5) == pytest.approx(4.0 * (0.5 / cheb2) ** 2)
    assert kaniel_paige_bound(lam, 10_000, 1.0) == 0.0  # no overflow, no NaN
    assert kaniel_paige_bound([2.0, 0.0, 0.0], 3, 1.0) == 0.0


# ---------------------------------------------------------------- power iteration


@pytest.mark.filterwarnings("ignore::eigenbook.ConvergenceWarning")  # a fixed 40-step history
def test_power_rate_diagonal(getkey):
    lam = np.array([10.0, 7.0, 5.0, 3.0, 1.0, 0.5])
    A = np.diag(lam)
    e1 = np.eye(6)[0]
    res = power_iteration(A, key=getkey(), n_iter=40, reference=e1)
    sin = np.asarray(res.angle_history)
    tan = sin / np.sqrt(1 - sin**2)
    ratio = lam[1] / lam[0]
    k = np.arange(40)
    assert np.all(tan <= ratio**k * tan[0] * (1 + 1e-12) + 1e-15)
    assert res.eigenvalue == pytest.approx(10.0)
    np.testing.assert_allclose(np.abs(res.eigenvector), e1, atol=1e-6)
    assert res.rayleigh_history.shape == res.residual_history.shape == (40,)
    assert np.all(np.diff(np.asarray(res.rayleigh_history)) >= -1e-12)


def test_power_without_reference_and_matfree(getkey):
    d = jnp.asarray([4.0, 2.0, 1.0])
    res = power_iteration(lambda X: d[:, None] * X, key=getkey(), n_iter=60, n=3)
    assert np.all(np.asarray(res.angle_history) == 0.0)
    assert float(res.eigenvalue) == pytest.approx(4.0, rel=1e-12)
    assert float(res.residual_history[-1]) < 1e-12


def test_power_zero_matrix_gives_no_nan(getkey):
    res = power_iteration(np.zeros((4, 4)), key=getkey(), n_iter=3)
    assert float(res.eigenvalue) == 0.0
    assert np.all(np.isfinite(np.asarray(res.eigenvector)))


def test_rayleigh_quotient():
    A = np.diag([1.0, 2.0, 3.0])
    assert float(rayleigh_quotient(A, [0.0, 0.0, 2.0])) == pytest.approx(3.0)
    assert float(rayleigh_quotient(sp.csr_array(A), [1.0, 1.0, 1.0])) == pytest.approx(2.0)
    assert float(rayleigh_quotient(lambda X: 2 * X, [1.0, 2.0])) == pytest.approx(2.0)


def test_chebyshev_with_bounds(getkey):
    res = chebyshev_filtered_subspace_iteration(A_DENSE, 4, key=getkey(), degree=10, n_iter=10,
                                                bounds=(-10.5, 3.0))
    np.testing.assert_allclose(res.eigenvalues, [10, 8, 6, 4], atol=1e-10)


def test_large_sparse_smoke(getkey):
    # 2-D grid Laplacian, n = 40 000: the BCOO path at a realistic size.
    m = 200
    L1 = sp.diags_array([-np.ones(m - 1), 2 * np.ones(m), -np.ones(m - 1)], offsets=[-1, 0, 1])
    A = (sp.kron(L1, sp.eye_array(m)) + sp.kron(sp.eye_array(m), L1)).tocsr()
    res = lanczos(A, 2, key=getkey(), n_steps=30)
    assert res.eigenvectors.shape == (m * m, 2)
    assert float(res.eigenvalues[0]) <= 8.0 and float(res.eigenvalues[0]) > 7.9


# ---------------------------------------------------------------- bad inputs

KEY = jax.random.key(0)
SYM = np.eye(6)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: lanczos(np.ones((4, 5)), 1, key=KEY), ValueError,
     r"eigen\.lanczos\(A=\.\.\.\): expected a square matrix"),
    (lambda: lanczos(np.triu(np.ones((5, 5))), 1, key=KEY), ValueError, "symmetric"),
    (lambda: lanczos(sp.csr_array(np.triu(np.ones((5, 5)))), 1, key=KEY), ValueError,
     "symmetric"),
    (lambda: lanczos(np.full((3, 3), np.nan), 1, key=KEY), ValueError, "finite"),
    (lambda: lanczos(sp.csr_array(np.diag([1.0, np.inf])), 1, key=KEY), ValueError, "finite"),
    (lambda: lanczos(SYM, 0, key=KEY), ValueError, r"1 <= k <= n = 6; got k=0\. Raise k"),
    (lambda: lanczos(SYM, 7, key=KEY), ValueError, r"got k=7\. Lower k"),
    (lambda: lanczos(SYM, 2.5, key=KEY), TypeError, "expected an int"),
    (lambda: lanczos(SYM.astype(bool), 1, key=KEY), TypeError, "numeric"),
    (lambda: lanczos(SYM.astype(complex), 1, key=KEY), TypeError, "real"),
    (lambda: lanczos(np.array([["a", "b"], ["c", "d"]]), 1, key=KEY), TypeError, "numeric"),
    (lambda: lanczos(sp.csr_array(SYM.astype(bool)), 1, key=KEY), TypeError, "numeric"),
    (lambda: lanczos(SYM, 1, key=KEY, which="biggest"), ValueError,
     r"which=\.\.\.\): expected one of \['largest', 'smallest'\]"),
    (lambda: lobpcg(SYM, 1, key=KEY, which="LM"), ValueError, "which"),
    (lambda: lanczos(lambda X: X, 1, key=KEY), TypeError, r"n=\.\.\.\).*Pass n="),
    (lambda: lanczos(lambda X: X[:2], 1, key=KEY, n=4), ValueError, "output shape"),
    (lambda: lanczos(SYM, 1, key=0), TypeError, r"jax\.random\.key\(seed\)"),
    (lambda: lanczos(SYM, 1, key=np.array([1, 2])), TypeError, "PRNG key"),
    (lambda: lanczos(SYM, 3, key=KEY, n_steps=2), ValueError, "n_steps"),
    (lambda: lanczos(SYM, 1, key=KEY, n=5), ValueError, r"n = A\.shape\[0\] = 6"),
    (lambda: lanczos_decomposition(SYM, 7, key=KEY), ValueError, "n_steps"),
    (lambda: lanczos_decomposition(SYM, 3, key=KEY, reorth="partial"), ValueError, "reorth"),
    (lambda: lobpcg(SYM, 3, key=KEY), ValueError, r"1 <= k <= n // 3 = 2"),
    (lambda: lobpcg(SYM, 1, key=KEY, tol=0.0), ValueError, "tol > 0"),
    (lambda: lobpcg(SYM, 1, key=KEY, preconditioner=3), TypeError, "preconditioner"),
    (lambda: lobpcg(SYM, 1, key=KEY, preconditioner=lambda R: R[:3]), ValueError,
     "preconditioner"),
    (lambda: chebyshev_filtered_subspace_iteration(SYM, 6, key=KEY, degree=3, n_iter=2),
     ValueError, r"n - 1 = 5"),
    (lambda: chebyshev_filtered_subspace_iteration(SYM, 1, key=KEY, degree=0, n_iter=2),
     ValueError, "degree"),
    (lambda: chebyshev_filtered_subspace_iteration(SYM, 1, key=KEY, degree=3, n_iter=2,
                                                   bounds=(2.0, 1.0)), ValueError, "a < b"),
    (lambda: chebyshev_filtered_subspace_iteration(SYM, 1, key=KEY, degree=3, n_iter=2,
                                                   bounds=3.0), TypeError, "pair"),
    (lambda: subspace_iteration(SYM, 0, key=KEY, n_iter=3), ValueError, "k"),
    (lambda: power_iteration(SYM, key=KEY, n_iter=0), ValueError, "n_iter"),
    (lambda: power_iteration(SYM, key=KEY, n_iter=3, reference=np.ones(6)), ValueError,
     "unit vector"),
    (lambda: power_iteration(SYM, key=KEY, n_iter=3, reference=np.ones(5)), ValueError,
     r"shape \(6,\)"),
    (lambda: rayleigh_quotient(SYM, np.zeros(6)), ValueError, "non-zero"),
    (lambda: ritz_value_history([1.0, 2.0], [1.0, 2.0]), ValueError, r"shape \(1,\)"),
    (lambda: kaniel_paige_bound([1.0], 2, 1.0), ValueError, "at least 2"),
    (lambda: kaniel_paige_bound([1.0, 0.0], 0, 1.0), ValueError, "j"),
    (lambda: kaniel_paige_bound([1.0, 0.0], 2, -1.0), ValueError, "tan_theta0"),
])
def test_bad_inputs(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_public_namespace_and_residual_norms(getkey):
    from eigenbook import eigen

    assert eigen.lanczos is lanczos and eigen.lobpcg is lobpcg
    res = eigen.lanczos(A_DENSE, 2, key=getkey(), n_steps=40)
    np.testing.assert_allclose(
        eigen.residual_norms(A_DENSE, res.eigenvalues, res.eigenvectors),
        res.residual_norms, atol=1e-12)


# ------------------------------------------------------------ restarts and the warning
def _lap2d(N, M=None):
    """Laplacian of an N x M grid; N != M keeps the eigenvalues simple (a single-vector
    Krylov method sees one copy of a multiple eigenvalue)."""
    M = N + 1 if M is None else M

    def path(p):
        return sp.diags([-np.ones(p - 1), 2 * np.ones(p), -np.ones(p - 1)], [-1, 0, 1])

    return (sp.kron(path(N), sp.identity(M)) + sp.kron(sp.identity(N), path(M))).tocsr()


@pytest.mark.parametrize("which", ["largest", "smallest"])
def test_lanczos_restarts_to_eigsh_accuracy(which, getkey):
    # a clustered spectrum (2-D Laplacian, n = 900): one cycle of 20 vectors is far
    # from enough, the restarts must carry it to tol * ||A||
    A = _lap2d(30)
    res = lanczos(A, 4, key=getkey(), which=which, tol=1e-10)
    ref = spl.eigsh(A, 4, which="LA" if which == "largest" else "SA", tol=1e-12)[0]
    ref = np.sort(ref)[::-1] if which == "largest" else np.sort(ref)
    assert bool(np.all(res.converged))
    assert int(res.n_steps) > 20  # restarted
    np.testing.assert_allclose(res.eigenvalues, ref, atol=1e-9)
    R = A @ np.asarray(res.eigenvectors) - np.asarray(res.eigenvectors) * np.asarray(
        res.eigenvalues)[None, :]
    np.testing.assert_allclose(np.linalg.norm(R, axis=0), res.residual_norms, atol=1e-12)
    assert np.all(np.asarray(res.residual_norms) <= 1e-10 * 8.0)


@pytest.mark.parametrize("solver, short, match", [
    (lanczos, {"max_restarts": 0}, r"eigen\.lanczos: stopped"),
    (lobpcg, {"n_iter": 3}, r"eigen\.lobpcg: stopped after n_iter=3"),
])
def test_warns_when_it_stops_short(solver, short, match, getkey):
    import warnings

    import eigenbook
    A = _lap2d(30)
    with pytest.warns(eigenbook.ConvergenceWarning, match=match):
        res = solver(A, 3, key=getkey(), **short)
    assert not bool(np.all(res.converged))
    with warnings.catch_warnings():
        warnings.simplefilter("error", eigenbook.ConvergenceWarning)
        res = solver(A_DENSE, 2, key=getkey())
    assert bool(np.all(res.converged))


def test_lanczos_calls_a_callable_with_blocks_as_documented():
    # the docstring promises X (n, b) -> A X: an operator written for blocks only must work
    A = np.diag(np.arange(1.0, 51.0))

    def blocks_only(X):
        assert X.ndim == 2, X.shape
        return jnp.asarray(A) @ X

    r = lanczos(blocks_only, 3, key=jax.random.key(0), n=50)
    np.testing.assert_allclose(np.asarray(r.eigenvalues), [50.0, 49.0, 48.0], rtol=1e-10)
    assert bool(np.all(r.converged))


def test_host_solvers_take_a_linear_operator_for_shift_invert(getkey):
    """A factorised inverse as a scipy LinearOperator: the smallest eigenvalues of A are the
    largest of (A - sigma I)^-1, found by both host solvers with k <= n // 3."""
    n, sigma = 300, -1e-3
    A = sp.diags_array([np.full(n - 1, -1.0), np.full(n, 2.0), np.full(n - 1, -1.0)],
                       offsets=[-1, 0, 1]).tocsc()
    lu = spl.splu(A - sigma * sp.eye_array(n, format="csc"))
    inv = spl.LinearOperator((n, n), matvec=lu.solve, matmat=lu.solve, dtype=np.float64)
    want = np.sort(np.linalg.eigvalsh(A.toarray()))[:4]
    for solver in (lobpcg, lanczos):
        r = solver(inv, 4, key=getkey(), tol=1e-10)
        got = np.sort(1 / np.asarray(r.eigenvalues) + sigma)
        np.testing.assert_allclose(got, want, rtol=1e-7)
        assert bool(np.all(r.converged))
    with pytest.raises(ValueError, match=r"eigen.lobpcg\(A=.*square"):
        lobpcg(spl.aslinearoperator(np.ones((6, 5))), 1, key=getkey())
    with pytest.raises(ValueError, match=r"eigen.lanczos\(n=.*300"):
        lanczos(inv, 2, key=getkey(), n=200)
    with pytest.raises(TypeError, match=r"eigen.lobpcg\(A=.*real floating"):
        lobpcg(spl.aslinearoperator(np.eye(9, dtype=complex)), 1, key=getkey())
