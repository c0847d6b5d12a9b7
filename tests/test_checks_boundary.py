"""The floor validators added for issue 29: rotations, indices, host arrays, pytrees."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from eigenbook import _checks

W = "fam.fn"


def _rotation():
    q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((3, 3)))
    return q * np.sign(np.linalg.det(q))


def test_check_rotation_accepts_rotations_and_batches():
    R = _rotation()
    np.testing.assert_array_equal(_checks.check_rotation(R, "R", W), R)
    assert _checks.check_rotation(np.stack([R, R.T]), "R", W).shape == (2, 3, 3)
    assert _checks.check_rotation(np.eye(3, dtype=int), "R", W).dtype == jnp.result_type(float)


@pytest.mark.parametrize("bad,exc,text", [
    (lambda R: 2 * R, ValueError, r"fam\.fn\(R=\.\.\.\): expected an orthogonal matrix"),
    (lambda R: -R, ValueError, r"det R = \+1.*reflection"),
    (lambda R: R[:, :2], ValueError, r"rotation matrices of shape \(\.\.\., 3, 3\)"),
    (lambda R: np.where(np.eye(3, dtype=bool), np.nan, R), ValueError, "finite values"),
    (lambda R: R + 0j, TypeError, "a real array"),
])
def test_check_rotation_refuses(bad, exc, text):
    with pytest.raises(exc, match=text):
        _checks.check_rotation(bad(_rotation()), "R", W)


def test_check_rotation_under_jit_checks_the_shape_only():
    f = jax.jit(lambda R: _checks.check_rotation(R, "R", W) * 1.0)
    assert f(jnp.asarray(2 * _rotation())).shape == (3, 3)
    with pytest.raises(ValueError, match="shape"):
        jax.jit(lambda R: _checks.check_rotation(R, "R", W, batch=False))(jnp.ones((2, 3, 3)))


def test_as_indices():
    np.testing.assert_array_equal(_checks.as_indices([0, 2.0, 4], "i", W, upper=5), [0, 2, 4])
    for bad, text in (([0, -1], "indices >= 0"), ([0, 5], "indices < 5"),
                      ([0, 1.5], "whole numbers"), ([0, np.nan], "finite"), ([], "non-empty")):
        with pytest.raises(ValueError, match=text):
            _checks.as_indices(bad, "i", W, upper=5)
    for bad in ([True, False], ["a"], [1j]):
        with pytest.raises(TypeError, match=r"fam\.fn\(i=\.\.\.\): expected integer indices"):
            _checks.as_indices(bad, "i", W)


def test_as_host_is_numpy_float64_and_strict():
    out = _checks.as_host([[1, 2], [3, 4]], "A", W, ndim=2)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    with pytest.raises(TypeError, match="a real array"):
        _checks.as_host([1 + 1j], "A", W)
    with pytest.raises(ValueError, match="non-empty"):
        _checks.as_host(np.zeros((0, 2)), "A", W)
    with pytest.raises(ValueError, match="finite"):
        _checks.as_host([np.inf], "A", W)


def test_check_pytree_finite_names_the_leaf():
    _checks.check_pytree_finite({"w": np.ones(2), "b": [np.zeros(1)]}, "params", W)
    with pytest.raises(ValueError, match=r"fam\.fn\(params\['w'\]=\.\.\.\)"):
        _checks.check_pytree_finite({"w": np.array([1.0, np.nan])}, "params", W)
    with pytest.raises(TypeError, match=r"params\['w'\]"):
        _checks.check_pytree_finite({"w": "x"}, "params", W)
