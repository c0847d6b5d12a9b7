"""Tests of eigenbook.tensors: Khatri–Rao against numpy, CP-ALS fits, the bilinear map."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from eigenbook import equivariant as eq
from eigenbook import tensors


def test_khatri_rao_matches_columnwise_kron(getkey):
    P = jax.random.normal(getkey(), (3, 4))
    Q = jax.random.normal(getkey(), (5, 4))
    ref = np.stack([np.kron(P[:, r], Q[:, r]) for r in range(4)], axis=1)
    np.testing.assert_allclose(tensors.khatri_rao(P, Q), ref, rtol=1e-13)


def test_cp_recovers_a_low_rank_tensor_and_the_bilinear_map(getkey):
    A, B, C = (jax.random.normal(getkey(), (d, 2)) for d in (4, 3, 5))
    M = jnp.einsum("ir,jr,kr->ijk", A, B, C)
    cp = tensors.cp_decompose(M, 2, key=getkey(), n_iter=200)
    assert cp.residual < 1e-6 * float(jnp.linalg.norm(M))
    x, y = jax.random.normal(getkey(), (7, 4)), jax.random.normal(getkey(), (7, 3))
    np.testing.assert_allclose(tensors.cp_product(x, y, cp),
                               jnp.einsum("bi,bj,ijk->bk", x, y, M), atol=1e-6)


def test_cp_exact_is_exact_on_the_coupling_tensor(getkey):
    M = eq.coupling_tensor(1, 1)
    exact = tensors.cp_exact(M)
    x, y = jax.random.normal(getkey(), (3, 4)), jax.random.normal(getkey(), (3, 4))
    np.testing.assert_allclose(tensors.cp_product(x, y, exact), eq.full_tensor_product(x, y, 1, 1),
                               atol=1e-13)
    assert eq.cp_decompose is tensors.cp_decompose  # the old name still resolves


def test_validation_names_the_function():
    with pytest.raises(ValueError, match=r"tensors.khatri_rao\(Q=...\)"):
        tensors.khatri_rao(jnp.ones((2, 3)), jnp.ones((2, 4)))
    with pytest.raises(ValueError, match=r"tensors.khatri_rao\(P=...\)"):
        tensors.khatri_rao(jnp.ones(3), jnp.ones((2, 3)))
    with pytest.raises(ValueError, match="3-D"):
        tensors.cp_decompose(jnp.ones((2, 2)), 1, key=jax.random.key(0))
