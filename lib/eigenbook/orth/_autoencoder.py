"""The rotation-autoencoder sanity test of Zhou et al."""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp

from eigenbook._checks import (
    check_choice,
    check_int,
    check_key,
    check_scalar,
    fail,
)

from ._rotations import (
    _geodesic_impl,
    _rotation_from_6d_impl,
    _rotation_from_euler_impl,
    _rotation_from_quaternion_impl,
)

_DECODERS = {
    "6d": (6, lambda y: _rotation_from_6d_impl(y)),
    "quaternion": (4, lambda y: _rotation_from_quaternion_impl(
        y / jnp.linalg.norm(y, axis=-1, keepdims=True))),
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
    return _haar(check_key(key, where), n)


def rotation_autoencoder(reps: tuple[str, ...] = ("6d", "quaternion", "euler"), *,
                         key: jax.Array, n_steps: int = 2000, width: int = 64,
                         batch: int = 64, learning_rate: float = 1e-3,
                         n_test: int = 2000) -> dict[str, jax.Array]:
    """Train small MLP autoencoders through rotation representations; test geodesic errors.

    The sanity test of :cite:t:`zhou2019continuity`, scaled down: for each
    representation an MLP :math:`9 \\to` ``width`` :math:`\\to` ``width``
    :math:`\\to d` (ReLU) reads a rotation matrix, its output is decoded to a
    rotation (6D by Gram–Schmidt, quaternion by normalisation, Euler angles), and
    it is trained with Adam on :math:`\\lVert \\hat R - R\\rVert_F^2` over fresh
    Haar-random batches. The encoder must learn the map from matrices to the
    representation; for a discontinuous representation no continuous network can.
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
    dict of str to array of shape (n_test,)
        Geodesic errors in radians on the test rotations, per representation.

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
    key = check_key(key, where)
    n_steps = check_int(n_steps, "n_steps", where, min_val=1)
    width = check_int(width, "width", where, min_val=1)
    batch = check_int(batch, "batch", where, min_val=1)
    n_test = check_int(n_test, "n_test", where, min_val=1)
    lr = check_scalar(learning_rate, "learning_rate", where, min_val=0.0, strict_min=True)
    errors = _autoencoder_impl(key, reps, n_steps, width, batch, lr, n_test)
    return dict(zip(reps, errors, strict=True))


def _haar(key, n):
    q = jax.random.normal(key, (n, 4))
    return _rotation_from_quaternion_impl(q / jnp.linalg.norm(q, axis=-1, keepdims=True))


@partial(jax.jit, static_argnames=("reps", "n_steps", "width", "batch", "n_test"))
def _autoencoder_impl(key, reps, n_steps, width, batch, lr, n_test):
    k_init, k_train, k_test = jax.random.split(key, 3)

    def init(k, d):
        sizes = [9, width, width, d]
        ks = jax.random.split(k, len(sizes) - 1)
        return [(jax.random.normal(kk, (a, b)) * jnp.sqrt(2.0 / a), jnp.zeros(b))
                for kk, a, b in zip(ks, sizes[:-1], sizes[1:], strict=True)]

    params = tuple(init(jax.random.fold_in(k_init, i), _DECODERS[r][0])
                   for i, r in enumerate(reps))

    def net(p, rep, R):
        h = R.reshape(R.shape[0], 9)
        for i, (W, b) in enumerate(p):
            h = h @ W + b
            if i < len(p) - 1:
                h = jax.nn.relu(h)
        return _DECODERS[rep][1](h)

    def loss(ps, R):  # a sum of independent losses: separate gradients
        return sum(jnp.mean(jnp.sum((net(p, r, R) - R) ** 2, axis=(-2, -1)))
                   for p, r in zip(ps, reps, strict=True))

    grad = jax.grad(loss)
    b1, b2, tiny = 0.9, 0.999, 1e-8

    def step(carry, t):
        p, m, v = carry
        g = grad(p, _haar(jax.random.fold_in(k_train, t), batch))
        m = jax.tree.map(lambda a, b: b1 * a + (1 - b1) * b, m, g)
        v = jax.tree.map(lambda a, b: b2 * a + (1 - b2) * b**2, v, g)
        c1, c2 = 1 - b1 ** (t + 1.0), 1 - b2 ** (t + 1.0)
        p = jax.tree.map(lambda w, a, b: w - lr * (a / c1) / (jnp.sqrt(b / c2) + tiny), p, m, v)
        return (p, m, v), None

    zeros = jax.tree.map(jnp.zeros_like, params)
    (params, _, _), _ = jax.lax.scan(step, (params, zeros, zeros), jnp.arange(n_steps))
    R = _haar(k_test, n_test)
    return tuple(_geodesic_impl(net(p, r, R), R) for p, r in zip(params, reps, strict=True))
