"""The rotation-autoencoder sanity test of Zhou et al."""

from __future__ import annotations

import functools
from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp

from eigenbook._checks import (
    check_choice,
    check_int,
    check_key,
    check_scalar,
    fail,
)

from .. import data, nn
from ._rotations import (
    _geodesic_impl,
    _rotation_from_6d_impl,
    _rotation_from_euler_impl,
)

_DECODERS = {
    "6d": (6, lambda y: _rotation_from_6d_impl(y)),
    "quaternion": (4, lambda y: data.rotation_from_quaternion(y)),
    "euler": (3, lambda y: _rotation_from_euler_impl(y)),
}


def random_rotations(n: int, *, key: jax.Array) -> jax.Array:
    """Haar-distributed rotation matrices (from normalised Gaussian quaternions).

    Parameters
    ----------
    n : int
        How many, ``>= 1``.
    key : jax.Array
        PRNG key.

    Returns
    -------
    array of shape (n, 3, 3)

    Raises
    ------
    TypeError
        Wrong types.
    ValueError
        ``n < 1``.

    See Also
    --------
    scipy.spatial.transform.Rotation.random

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.random_rotations"
    n = check_int(n, "n", where, min_val=1)
    return data.haar_rotation(n, key=check_key(key, "key", where))


class AutoencoderErrors(NamedTuple):
    """Test errors of :func:`rotation_autoencoder`, one row per representation.

    Attributes
    ----------
    reps : tuple of str, length r
        The representations, in the order asked for.
    errors : array of shape (r, n_test)
        Geodesic errors in radians on the test rotations; row ``i`` is ``reps[i]``.
    """

    reps: tuple[str, ...]
    errors: jax.Array

    def of(self, rep: str) -> jax.Array:
        """The errors of representation ``rep``, an array of shape (n_test,)."""
        return self.errors[self.reps.index(rep)]


def rotation_autoencoder(*, reps: tuple[str, ...] = ("6d", "quaternion", "euler"),
                         key: jax.Array, n_steps: int = 2000, width: int = 64,
                         batch: int = 64, learning_rate: float = 1e-3,
                         n_test: int = 2000) -> AutoencoderErrors:
    """Train small MLP autoencoders through rotation representations; test geodesic errors.

    The sanity test of :cite:t:`zhou2019continuity`, scaled down: for each
    representation an MLP :math:`9 \\to` ``width`` :math:`\\to` ``width``
    :math:`\\to d` (ReLU) reads a rotation matrix, its output is decoded to a
    rotation (6D by Gram–Schmidt, quaternion by normalisation, Euler angles), and
    it is trained with Adam (:func:`eigenbook.nn.fit`) on
    :math:`\\lVert \\hat R - R\\rVert_F^2` over fresh Haar-random batches. The
    encoder must learn the map from matrices to the representation; for a
    discontinuous representation no continuous network can.
    The networks are independent (separate weights, the same batches) and are
    trained in one compiled program.

    Parameters
    ----------
    reps : tuple of {"6d", "quaternion", "euler"}
    key : jax.Array
        PRNG key (initialisation, batches, test set).
    n_steps, width, batch : int
        Training steps, hidden width, batch size.
    learning_rate : float
        Adam step size.
    n_test : int
        Test rotations.

    Returns
    -------
    AutoencoderErrors
        ``(reps, errors)``: the representations and the geodesic test errors in
        radians, an array of shape (len(reps), n_test).

    Raises
    ------
    TypeError
        Wrong types.
    ValueError
        Unknown representation or non-positive sizes.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    rotation_from_6d, quaternion_from_rotation, euler_from_rotation

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.rotation_autoencoder"
    reps = tuple(reps)
    if not reps:
        raise fail(where, "reps", "a non-empty tuple of representations", "()")
    for rep in reps:
        check_choice(rep, "reps", where, tuple(_DECODERS))
    key = check_key(key, "key", where)
    n_steps = check_int(n_steps, "n_steps", where, min_val=1)
    width = check_int(width, "width", where, min_val=1)
    batch = check_int(batch, "batch", where, min_val=1)
    n_test = check_int(n_test, "n_test", where, min_val=1)
    lr = check_scalar(learning_rate, "learning_rate", where, min_val=0.0, strict_min=True)
    errors = _autoencoder_impl(key, reps, n_steps, width, batch, lr, n_test)
    return AutoencoderErrors(reps, jnp.stack(errors))


def _decode(p, rep, R):
    """The network for representation ``rep``: MLP encoder, then the fixed decoder."""
    return _DECODERS[rep][1](nn.mlp(p, R.reshape(R.shape[0], 9)))


@functools.lru_cache(maxsize=16)
def _batch_loss(reps: tuple[str, ...], batch: int):
    """The training loss on a fresh Haar batch (one function object per setting)."""
    def loss(ps, step_key):  # a sum of independent losses: separate gradients
        R = data.haar_rotation(batch, key=step_key)
        return sum(jnp.mean(jnp.sum((_decode(p, r, R) - R) ** 2, axis=(-2, -1)))
                   for p, r in zip(ps, reps, strict=True))
    return loss


@partial(jax.jit, static_argnames=("reps",))
def _test_errors(params, reps, R):
    return tuple(_geodesic_impl(_decode(p, r, R), R) for p, r in zip(params, reps, strict=True))


def _autoencoder_impl(key, reps, n_steps, width, batch, lr, n_test):
    k_init, k_train, k_test = jax.random.split(key, 3)
    params = tuple(nn.init_mlp([9, width, width, _DECODERS[r][0]],
                               key=jax.random.fold_in(k_init, i)) for i, r in enumerate(reps))
    trained = nn.fit(_batch_loss(reps, batch), params, nn.adam(float(lr)), n_steps=n_steps,
                     key=k_train)
    return _test_errors(trained.params, reps, data.haar_rotation(n_test, key=k_test))
