"""Tests of eigenbook.equivariant against sympy (exact), scipy, e3nn-jax and properties."""

import e3nn_jax as e3nn
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from eigenbook import equivariant as eq
from eigenbook import tensors, testing
from eigenbook.equivariant._harmonics import sph_harm_angles
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import sph_harm_y
from sympy.physics.wigner import clebsch_gordan, gaunt


def _quad_grid(L):
    c, s, phi, w = eq.s2_quadrature(2 * L)
    C, P = np.meshgrid(c, phi, indexing="ij")
    return sph_harm_angles(L, C, np.sqrt(1 - C * C), P).reshape(-1, (L + 1) ** 2), w.reshape(-1)


def test_harmonics_orthonormal_and_l1():
    Y, w = _quad_grid(5)
    assert np.abs((Y * w[:, None]).T @ Y - np.eye(36)).max() < 1e-13
    v = np.array([0.3, -0.5, 0.8])
    Y1 = np.asarray(eq.sph_harm(1, v))[1:4] / np.sqrt(3 / (4 * np.pi))
    np.testing.assert_allclose(Y1, v[[1, 2, 0]] / np.linalg.norm(v), atol=1e-15)


@pytest.mark.parametrize("l", [0, 1, 2, 4])
def test_complex_to_real_matches_scipy(l):
    t, p = np.array([0.3, 1.2, 2.9]), np.array([0.1, 2.5, 5.0])
    Yc = np.stack([sph_harm_y(l, m, t, p) for m in range(-l, l + 1)], axis=-1)
    Yr = sph_harm_angles(l, np.cos(t), np.sin(t), p)[:, l * l:]
    np.testing.assert_allclose(Yr, (Yc @ eq.complex_to_real(l).T).real, atol=1e-14)
    assert np.abs((Yc @ eq.complex_to_real(l).T).imag).max() < 1e-14


def test_wigner_D_rotates_harmonics_and_is_a_homomorphism(getkey):
    R1, R2 = eq.random_rotation(key=getkey()), eq.random_rotation(key=getkey())
    v = jax.random.normal(getkey(), (7, 3))
    D1 = eq.wigner_D(4, R1)
    np.testing.assert_allclose(eq.sph_harm(4, v @ R1.T), eq.sph_harm(4, v) @ D1.T, atol=1e-13)
    np.testing.assert_allclose(D1 @ D1.T, np.eye(25), atol=1e-13)
    np.testing.assert_allclose(eq.wigner_D(4, R1 @ R2), D1 @ eq.wigner_D(4, R2), atol=1e-13)
    R = eq.random_rotation((3,), key=getkey())
    assert R.shape == (3, 3, 3)
    np.testing.assert_allclose(np.linalg.det(np.asarray(R)), 1.0, atol=1e-13)


@pytest.mark.parametrize("l1,l2,l3", [(1, 1, 1), (1, 2, 3), (2, 2, 2), (3, 2, 4), (4, 3, 2)])
def test_complex_cg_matches_sympy(l1, l2, l3):
    C = eq.complex_clebsch_gordan(l1, l2, l3)
    ref = np.zeros_like(C)
    for m1 in range(-l1, l1 + 1):
        for m2 in range(-l2, l2 + 1):
            if abs(m1 + m2) <= l3:
                ref[m1 + l1, m2 + l2, m1 + m2 + l3] = float(
                    clebsch_gordan(l1, l2, l3, m1, m2, m1 + m2))
    np.testing.assert_allclose(C, ref, atol=1e-14)


@pytest.mark.parametrize("l1,l2,l3", [(1, 1, 2), (1, 2, 2), (2, 2, 4), (3, 2, 3), (2, 1, 3)])
def test_real_gaunt_matches_sympy(l1, l2, l3):
    Gc = np.zeros((2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1), dtype=complex)
    for m1 in range(-l1, l1 + 1):
        for m2 in range(-l2, l2 + 1):
            m3 = -(m1 + m2)
            if abs(m3) <= l3:
                Gc[m1 + l1, m2 + l2, m3 + l3] = complex(gaunt(l1, l2, l3, m1, m2, m3).evalf(20))
    U1, U2, U3 = (eq.complex_to_real(l) for l in (l1, l2, l3))
    ref = np.einsum("am,bn,cp,mnp->abc", U1, U2, U3, Gc)
    np.testing.assert_allclose(eq.real_gaunt(l1, l2, l3), ref.real, atol=1e-14)


@pytest.mark.parametrize("L", [1, 2, 3])
def test_real_cg_equivariant_orthogonal_and_e3nn(L, getkey):
    R = eq.random_rotation(key=getkey())
    D = np.asarray(eq.wigner_D(2 * L, R))
    Pe = np.asarray(eq.wigner_D(2 * L, eq.E3NN_FRAME))
    for l1, l2, l3 in eq.tp_paths(L, L):
        C = eq.real_clebsch_gordan(l1, l2, l3)
        s1, s2, s3 = (eq.degree_slice(l) for l in (l1, l2, l3))
        lhs = np.einsum("ijk,ia,jb,kc->abc", C, D[s1, s1], D[s2, s2], D[s3, s3])
        np.testing.assert_allclose(lhs, C, atol=1e-13)
        ce = np.einsum("ijk,ai,bj,ck->abc", C, Pe[s1, s1], Pe[s2, s2], Pe[s3, s3])
        np.testing.assert_allclose(ce, np.sqrt(2 * l3 + 1) * np.asarray(
            e3nn.clebsch_gordan(l1, l2, l3)), atol=1e-13)
    M = eq.coupling_tensor(L, L).reshape((L + 1) ** 4, -1)
    np.testing.assert_allclose(M.T @ M, np.eye(M.shape[1]), atol=1e-13)


@pytest.mark.parametrize("L", [2, 4])
def test_gaunt_is_cg_times_path_scalar_and_odd_paths_vanish(L):
    for p in eq.tp_paths(L, L):
        G, C, c = eq.real_gaunt(*p), eq.real_clebsch_gordan(*p), eq.gaunt_to_cg_ratio(*p)
        np.testing.assert_allclose(G, c * C, atol=1e-14)
        if sum(p) % 2:
            assert np.abs(G).max() == 0.0 and c == 0.0
        else:
            assert abs(c) > 1e-3


def test_span_dimensions_and_weighted_cg_equals_sum_of_paths(getkey):
    assert eq.span_dimension(2, 2, coupling="cg") == 19
    assert eq.span_dimension(2, 2, coupling="gaunt") == 14
    x, y = jax.random.normal(getkey(), (3, 9)), jax.random.normal(getkey(), (3, 4))
    paths = eq.tp_paths(2, 1, 2)
    w = np.arange(1.0, len(paths) + 1)
    z = eq.weighted_tensor_product(x, y, 2, 1, 2, weights=w)
    ref = np.zeros((3, 9))
    for wi, (l1, l2, l3) in zip(w, paths, strict=True):
        s1, s2, s3 = (eq.degree_slice(l) for l in (l1, l2, l3))
        ref[:, s3] += wi * np.einsum("bi,bj,ijk->bk", x[:, s1], y[:, s2],
                                     eq.real_clebsch_gordan(l1, l2, l3))
    np.testing.assert_allclose(z, ref, atol=1e-13)


def test_path_counts_and_op_counts():
    counts = {L: (len(eq.tp_paths(L, L)), len(eq.tp_paths(L, L, parity="even")))
              for L in (2, 4, 8)}
    assert counts == {2: (19, 14), 4: (85, 55), 8: (489, 285)}
    assert eq.cg_op_count(4) == 27_225 and eq.cg_op_count(8) == 938_961
    assert eq.cp_op_count(2, 10) == 10 * (9 + 9 + 25)


@pytest.mark.parametrize("L1,L2,L_out", [(2, 3, 5), (0, 0, 1), (3, 1, 2)])
def test_gaunt_routes_agree_with_dense(L1, L2, L_out, getkey):
    x = jax.random.normal(getkey(), (3, (L1 + 1) ** 2))
    y = jax.random.normal(getkey(), (3, (L2 + 1) ** 2))
    dense = eq.weighted_tensor_product(x, y, L1, L2, L_out, coupling="gaunt")
    np.testing.assert_allclose(eq.gaunt_product_grid(x, y, L1, L2, L_out), dense, atol=1e-12)
    np.testing.assert_allclose(eq.gaunt_product_fourier(x, y, L1, L2, L_out), dense, atol=1e-12)
    np.testing.assert_allclose(eq.gaunt_product_fourier(x, y, L1, L2, L_out, convolution="fft"),
                               dense, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 5), st.integers(0, 5), st.data())
def test_real_cg_orthonormal_and_gaunt_proportional(l1, l2, data):
    l3 = data.draw(st.integers(abs(l1 - l2), l1 + l2))
    C = eq.real_clebsch_gordan(l1, l2, l3).reshape(-1, 2 * l3 + 1)
    np.testing.assert_allclose(C.T @ C, np.eye(2 * l3 + 1), atol=1e-13)
    G = eq.real_gaunt(l1, l2, l3).reshape(-1, 2 * l3 + 1)
    np.testing.assert_allclose(G, eq.gaunt_to_cg_ratio(l1, l2, l3) * C, atol=1e-14)


def test_gaunt_is_the_product_of_spherical_functions(getkey):
    x, y = jax.random.normal(getkey(), (9,)), jax.random.normal(getkey(), (4,))
    v = jax.random.normal(getkey(), (5, 3))
    z = eq.gaunt_product_grid(x, y, 2, 1, 3)
    np.testing.assert_allclose(eq.sph_harm(3, v) @ z,
                               (eq.sph_harm(2, v) @ x) * (eq.sph_harm(1, v) @ y), atol=1e-12)


@pytest.mark.parametrize("L", [2])
def test_full_product_matches_e3nn(L, getkey):
    d = (L + 1) ** 2
    x, y = jax.random.normal(getkey(), (4, d)), jax.random.normal(getkey(), (4, d))
    irr = e3nn.s2_irreps(L)
    ref = e3nn.tensor_product(e3nn.IrrepsArray(irr, eq.to_e3nn(x, L)),
                              e3nn.IrrepsArray(irr, eq.to_e3nn(y, L)), regroup_output=False)
    paths = eq.tp_paths(L, L)
    ours = eq.paths_to_e3nn(eq.full_tensor_product(x, y, L, L), paths)
    np.testing.assert_allclose(ours, ref.array, atol=1e-13)


def test_e3nn_conversion_of_harmonics():
    v = np.array([[0.3, -0.5, 0.8], [1.0, 2.0, -0.3]])
    for norm in ("integral", "component"):
        ref = e3nn.spherical_harmonics(e3nn.s2_irreps(3), v, normalize=True,
                                       normalization=norm).array
        ours = eq.to_e3nn(eq.sph_harm(3, v), 3, normalization=norm)
        np.testing.assert_allclose(ours, ref, atol=1e-13)
        np.testing.assert_allclose(eq.from_e3nn(ref, 3, normalization=norm),
                                   eq.sph_harm(3, v), atol=1e-13)
    # l = 1: e3nn orders (x, y, z), this package (y, z, x)
    e = eq.to_e3nn(jnp.array([0.0, 1.0, 2.0, 3.0]), 1)  # (y, z, x) = (1, 2, 3)
    np.testing.assert_allclose(e, [0.0, 3.0, 1.0, 2.0], atol=1e-15)


def test_assert_equivariant_passes_and_fails(getkey):
    paths = eq.tp_paths(2, 1)
    err = testing.assert_equivariant(lambda a, b: eq.full_tensor_product(a, b, 2, 1), [2, 1],
                                     eq.path_irreps(paths), key=getkey(), parity=True,
                                     n_rotations=2)
    assert err < 1e-12
    with pytest.raises(AssertionError, match="equivariance error"):
        testing.assert_equivariant(lambda a: a**2, [2], 2, key=getkey(), n_rotations=2)
    # a Gaunt product output has spherical-harmonic parity; declaring all-even fails under O(3)
    with pytest.raises(AssertionError):
        testing.assert_equivariant(lambda a, b: eq.gaunt_product_grid(a, b, 1, 1, 2), [1, 1],
                                   [(0, 1), (1, 1), (2, 1)], key=getkey(), parity=True,
                                   n_rotations=2)


def test_cp_error_bound_and_exact_rank(getkey):
    M = eq.coupling_tensor(1, 1)
    cp = tensors.cp_decompose(M, 6, key=getkey(), n_iter=20)
    fn = lambda a, b: tensors.cp_product(a, b, cp)  # noqa: E731
    irr_out = eq.path_irreps(eq.tp_paths(1, 1))
    unit = lambda a: a / jnp.linalg.norm(a, axis=-1, keepdims=True)  # noqa: E731
    E = eq.equivariance_error(lambda a, b: fn(unit(a), unit(b)), [1, 1], irr_out, key=getkey())
    assert cp.residual > 0.1 and E <= 2 * cp.residual
    exact = tensors.cp_exact(M)
    assert eq.equivariance_error(lambda a, b: tensors.cp_product(a, b, exact), [1, 1], irr_out,
                                 key=getkey()) < 1e-13


def test_validation_errors(getkey):
    with pytest.raises(ValueError, match="triangle"):
        eq.real_clebsch_gordan(1, 1, 3)
    with pytest.raises(ValueError, match=r"equivariant.full_tensor_product\(x=...\)"):
        eq.full_tensor_product(jnp.ones((2, 5)), jnp.ones((2, 4)), 1, 1)
    # integer features are promoted like everywhere else (issue 29), not refused
    ones = jnp.ones((2, 4))
    np.testing.assert_array_equal(eq.gaunt_product_grid(ones.astype(int), ones, 1, 1, 1),
                                  eq.gaunt_product_grid(ones, ones, 1, 1, 1))
    with pytest.raises(TypeError, match="real array"):
        eq.gaunt_product_grid(jnp.ones((2, 4), complex), jnp.ones((2, 4)), 1, 1, 1)
    with pytest.raises(ValueError, match="weights"):
        eq.weighted_tensor_product(jnp.ones(4), jnp.ones(4), 1, 1, 2, weights=[1.0])
    with pytest.raises(ValueError, match="coupling"):
        eq.weighted_tensor_product(jnp.ones(4), jnp.ones(4), 1, 1, 2, coupling="x")
    with pytest.raises(TypeError, match="PRNG key"):
        tensors.cp_decompose(np.ones((2, 2, 2)), 2, key=0)
    with pytest.raises(ValueError, match="rank"):
        tensors.cp_decompose(np.ones((2, 2, 2)), 5, key=getkey())
    with pytest.raises(ValueError, match="vectors"):
        eq.sph_harm(2, jnp.ones((4, 2)))
    with pytest.raises(ValueError, match="R"):
        eq.wigner_D(2, jnp.eye(2))
    with pytest.raises(ValueError, match="parity"):
        eq.tp_paths(2, 2, parity="odd-ish")
    with pytest.raises(ValueError, match="atol"):
        testing.assert_equivariant(lambda a: a, [1], 1, key=getkey(), atol=0.0)
    with pytest.raises(ValueError, match="convolution"):
        eq.gaunt_product_fourier(jnp.ones(4), jnp.ones(4), 1, 1, 1, convolution="x")
    with pytest.raises(ValueError, match="paths"):
        eq.paths_to_e3nn(jnp.ones((2, 7)), eq.tp_paths(1, 1))
    with pytest.raises(ValueError, match="route"):
        eq.gaunt_op_count(3, route="x")
    with pytest.raises(ValueError, match="normalization"):
        eq.to_e3nn(jnp.ones(4), 1, normalization="norm")
