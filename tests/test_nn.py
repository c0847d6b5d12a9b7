"""eigenbook.nn: networks as pytrees and the one training loop (optax inside lax.scan)."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from eigenbook import nn
from eigenbook.nn import _train


def _quadratic(p):
    return jnp.sum((p["w"] - 3.0) ** 2)


def test_fit_matches_a_hand_driven_optax_loop():
    opt = optax.adam(0.1)
    p0 = {"w": jnp.zeros(4)}
    res = nn.fit(_quadratic, p0, opt, n_steps=50)
    p, state, losses = p0, opt.init(p0), []
    for _ in range(50):
        value, g = jax.value_and_grad(_quadratic)(p)
        updates, state = opt.update(g, state, p)
        p = optax.apply_updates(p, updates)
        losses.append(value)
    np.testing.assert_allclose(res.params["w"], p["w"], rtol=1e-12)
    np.testing.assert_allclose(res.losses, np.array(losses), rtol=1e-12)
    assert res.losses.shape == (50,) and res.losses[-1] < 1e-2 * res.losses[0]


def test_keyed_loss_gets_a_fresh_key_each_step_and_training_resumes():
    def noisy(p, k):
        return jnp.sum((p - jax.random.normal(k, p.shape)) ** 2)

    opt = optax.sgd(0.01)
    a = nn.fit(noisy, jnp.zeros(3), opt, n_steps=20, key=jax.random.key(0))
    b = nn.fit(noisy, jnp.zeros(3), opt, n_steps=20, key=jax.random.key(0))
    np.testing.assert_array_equal(a.losses, b.losses)        # reproducible
    assert len(set(np.round(np.asarray(a.losses), 12))) > 10  # a new draw each step
    c = nn.fit(noisy, a.params, opt, n_steps=5, key=jax.random.key(1), opt_state=a.opt_state)
    assert c.losses.shape == (5,)


def _least_squares(p, data, k):
    A, b = data
    return jnp.mean((A @ p - b) ** 2) + 0.0 * jax.random.normal(k)


def test_fit_compiles_once_for_the_same_loss_and_optimizer():
    opt = optax.adam(0.1)
    nn.fit(_quadratic, {"w": jnp.zeros(4)}, opt, n_steps=7)
    size = _train._fit_impl._cache_size()
    nn.fit(_quadratic, {"w": jnp.ones(4)}, opt, n_steps=7)
    assert _train._fit_impl._cache_size() == size
    # data is traced: new arrays of the same shapes reuse the compiled loop
    for seed in range(3):
        A = jax.random.normal(jax.random.key(seed), (8, 3))
        res = nn.fit(_least_squares, jnp.zeros(3), opt, n_steps=200, data=(A, A @ jnp.ones(3)),
                     key=jax.random.key(0))
        np.testing.assert_allclose(res.params, np.ones(3), atol=1e-2)
    assert _train._fit_impl._cache_size() == size + 1


def test_mlp_and_conv_shapes_and_he_scale():
    params = nn.init_mlp([9, 256, 256, 4], key=jax.random.key(0))
    assert [W.shape for W, _ in params] == [(9, 256), (256, 256), (256, 4)]
    assert abs(float(jnp.std(params[1][0])) - np.sqrt(2 / 256)) < 0.01
    assert nn.mlp(params, jnp.ones((5, 9))).shape == (5, 4)
    cparams = nn.init_conv([1, 8, 2], key=jax.random.key(1), kernel_size=3)
    assert nn.conv(cparams, jnp.ones((2, 12, 12, 1))).shape == (2, 12, 12, 2)


def test_a_small_mlp_learns_a_smooth_function():
    x = jnp.linspace(-1, 1, 64)[:, None]
    y = jnp.sin(3 * x)
    params = nn.init_mlp([1, 32, 32, 1], key=jax.random.key(0))
    res = nn.fit(lambda p: jnp.mean((nn.mlp(p, x, activation=jnp.tanh) - y) ** 2), params,
                 optax.adam(1e-2), n_steps=1500)
    assert float(res.losses[-1]) < 1e-2 * float(res.losses[0])


@pytest.mark.parametrize("call, exc, text", [
    (lambda: nn.fit("loss", {}, optax.adam(1e-3), n_steps=1), TypeError, "loss"),
    (lambda: nn.fit(_quadratic, {"w": jnp.zeros(2)}, "adam", n_steps=1), TypeError, "optimizer"),
    (lambda: nn.fit(_quadratic, {"w": jnp.zeros(2)}, optax.adam(1e-3), n_steps=0), ValueError,
     "n_steps"),
    (lambda: nn.fit(_quadratic, {"w": np.full(2, np.nan)}, optax.adam(1e-3), n_steps=1),
     ValueError, "finite parameters"),
    (lambda: nn.fit(_quadratic, {}, optax.adam(1e-3), n_steps=1), ValueError, "params"),
    (lambda: nn.init_mlp([3], key=jax.random.key(0)), ValueError, "sizes"),
    (lambda: nn.init_mlp([3, 0], key=jax.random.key(0)), ValueError, "sizes"),
    (lambda: nn.init_mlp([3, 2], key=0), TypeError, "key"),
    (lambda: nn.init_conv([1, 2], key=jax.random.key(0), kernel_size=2), ValueError,
     "kernel_size"),
])
def test_bad_input_names_the_argument(call, exc, text):
    with pytest.raises(exc, match=text):
        call()
