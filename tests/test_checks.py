"""The validation vocabulary: each helper's message names the call, the argument and what came."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from eigenbook import _checks as C


def test_as_matrix_accepts_lists_and_promotes_integers():
    A = C.as_matrix([[1, 2], [3, 4]], "A", "f", square=True)
    assert A.dtype == jnp.float64 and A.shape == (2, 2)


@pytest.mark.parametrize("bad, exc, msg", [
    (np.ones(3), ValueError, r"f\(A=...\): expected a 2-D array of shape \(m, n\); got an array "
                             r"of shape \(3,\)"),
    (np.ones((2, 3)), ValueError, r"expected a square matrix of shape \(n, n\); got shape"),
    (np.array([[1.0, np.nan], [0, 1]]), ValueError, r"expected finite values; got 1 NaN/inf"),
    (np.array([[1.0, np.inf], [0, 1]]), ValueError, r"got 1 NaN/inf"),
    (np.ones((2, 2), bool), TypeError, r"expected a numeric"),
    (np.ones((2, 2), complex), TypeError, r"expected a real array"),
    ("abc", TypeError, r"expected a numeric"),
    (np.zeros((0, 0)), ValueError, r"non-empty"),
    (lambda x: x, TypeError, r"got a callable"),
])
def test_as_matrix_rejects(bad, exc, msg):
    with pytest.raises(exc, match=msg):
        C.as_matrix(bad, "A", "f", square=True)


def test_check_symmetric_tolerates_roundoff_only():
    B = np.random.default_rng(0).standard_normal((30, 30))
    S = jnp.asarray(B.T @ B)
    sym = C.check_symmetric(S + 1e-14 * jnp.asarray(B), "A", "f")  # round-off passes
    assert np.array_equal(sym, sym.T)  # and comes back exactly symmetric
    with pytest.raises(ValueError, match=r"f\(A=...\): expected a symmetric matrix .*"
                                         r"got max \|A - A\^T\| = .*symmetrise it"):
        C.check_symmetric(jnp.asarray(B), "A", "f")


def test_check_rank_and_int_and_scalar():
    assert C.check_rank(3, "k", "f", upper=5) == 3
    with pytest.raises(ValueError, match=r"expected 1 <= k <= n = 5; got k=6. Lower k."):
        C.check_rank(6, "k", "f", upper=5)
    with pytest.raises(ValueError, match=r"got k=0. Raise k."):
        C.check_rank(0, "k", "f", upper=5)
    with pytest.raises(TypeError, match="expected an int; got float"):
        C.check_rank(2.0, "k", "f", upper=5)
    with pytest.raises(TypeError, match="expected an int; got bool"):
        C.check_int(True, "n_iter", "f", min_val=1)
    with pytest.raises(ValueError, match=r"expected 1 <= n_iter <= inf; got n_iter=0"):
        C.check_int(0, "n_iter", "f", min_val=1)
    assert C.check_scalar(np.float32(0.5), "tol", "f", min_val=0, strict_min=True) == 0.5
    with pytest.raises(ValueError, match=r"expected tol > 0; got tol=0.0"):
        C.check_scalar(0, "tol", "f", min_val=0, strict_min=True)
    with pytest.raises(ValueError, match="finite"):
        C.check_scalar(float("nan"), "tol", "f")


def test_check_key_and_choice():
    key = jax.random.key(0)
    assert C.check_key(key, "key", "f") is key
    C.check_key(jax.random.PRNGKey(0), "key", "f")  # legacy raw keys are accepted
    with pytest.raises(TypeError, match=r"f\(key=...\): expected a JAX PRNG key.*pass jax"):
        C.check_key(0, "key", "f")
    with pytest.raises(ValueError, match=r"expected one of \['largest', 'smallest'\]; "
                                         r"got 'middle'"):
        C.check_choice("middle", "which", "f", ("largest", "smallest"))


def test_as_array_validates_nd_and_complex_input():
    x = C.as_array(np.ones((2, 3, 4), dtype=int), "x", "f", ndim=3)
    assert x.shape == (2, 3, 4) and x.dtype.kind == "f"
    z = C.as_array([1 + 2j, 3.0], "z", "f", ndim=1, allow_complex=True)
    assert z.dtype.kind == "c"
    with pytest.raises(TypeError, match=r"f\(z=...\): expected a real array"):
        C.as_array([1j], "z", "f")
    with pytest.raises(ValueError, match=r"expected an array of shape \(N, T, 2\)"):
        C.as_array(np.ones((2, 3)), "x", "f", ndim=3, rule="an array of shape (N, T, 2)")
    with pytest.raises(ValueError, match="non-empty"):
        C.as_array(np.ones((0, 3)), "x", "f")
    assert C.as_array(np.ones((0, 3)), "x", "f", allow_empty=True).shape == (0, 3)
    with pytest.raises(ValueError, match="NaN"):
        C.as_array([[np.nan]], "x", "f")
    with pytest.raises(TypeError, match="numeric"):
        C.as_array([True], "x", "f")


def test_as_weights_accepts_symmetric_non_negative_graphs_only():
    import scipy.sparse as sp
    W = np.array([[0, 1.0], [1.0, 0]])
    assert isinstance(C.as_weights(sp.csr_array(W), "W", "g"), sp.csr_array)
    np.testing.assert_array_equal(C.as_weights(W, "W", "g"), W)
    with pytest.raises(ValueError, match="non-negative"):
        C.as_weights(-W, "W", "g")
    with pytest.raises(ValueError, match="symmetric"):
        C.as_weights(np.array([[0, 1.0], [0, 0]]), "W", "g")
    with pytest.raises(TypeError, match="real weight"):
        C.as_weights(sp.csr_array(W.astype(complex)), "W", "g")
