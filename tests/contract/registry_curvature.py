"""Contract entries for eigenbook.curvature (chapter 13), nn.cross_entropy and
data.gaussian_mixture.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from kinds import Arg
from registry import lazy  # registry.py imports this file after defining lazy

_rng = np.random.default_rng(13)
_K = Arg("key", jax.random.key(0))
X5 = _rng.standard_normal((5, 3))                     # 5 samples, 3 features
Y5 = np.array([0, 1, 2, 0, 1])                        # 3 classes
GR = _rng.standard_normal((4, 7))                     # 4 gradients of dimension 7
V7 = _rng.standard_normal(7)
_B = _rng.standard_normal((6, 6))
SPD6 = _B @ _B.T + np.eye(6)
LOGITS = _rng.standard_normal((5, 3))


def _params():
    from eigenbook import nn
    return nn.init_mlp([3, 4, 3], key=jax.random.key(1))


def _loss(params, batch):
    from eigenbook import nn
    x, y = batch
    return nn.cross_entropy(nn.mlp(params, x), y)


def _apply(params, x):
    from eigenbook import nn
    return nn.mlp(params, x)


def _state():
    from eigenbook import curvature
    return curvature.mfac_precompute(GR, damping=0.1)


def _density():
    from eigenbook import curvature
    return curvature.slq(SPD6, n_steps=3, n_probes=2, key=jax.random.key(2))


_PARAMS = Arg("opaque", lazy(_params), bad=[("nan", [(jnp.full((3, 4), jnp.nan), jnp.zeros(4))]),
                                            ("empty", [])])
_DATA = (jnp.asarray(X5), jnp.asarray(Y5))

ENTRIES: dict[str, dict] = {
    "curvature.flatten_params": dict(params=_PARAMS),
    "curvature.hessian_operator": dict(loss=Arg("callable", _loss), params=_PARAMS,
                                       data=Arg("opaque", _DATA)),
    "curvature.gauss_newton_operator": dict(
        apply=Arg("callable", _apply), params=_PARAMS, x=Arg("matrix", X5),
        y=Arg("indices", Y5, upper=3), loss=Arg("choice", "cross_entropy")),
    "curvature.sample_gradients": dict(
        apply=Arg("callable", _apply), params=_PARAMS, x=Arg("matrix", X5),
        y=Arg("indices", Y5, upper=3), loss=Arg("choice", "cross_entropy")),
    "curvature.empirical_fisher_operator": dict(G=Arg("matrix", GR),
                                                damping=Arg("nonneg", 0.1)),
    "curvature.mfac_precompute": dict(G=Arg("matrix", GR), damping=Arg("positive", 0.1)),
    "curvature.mfac_ihvp": dict(state=Arg("opaque", lazy(_state), bad=[("tuple", (1, 2))]),
                                x=Arg("vector", V7)),
    "curvature.mfac_inverse_diagonal": dict(state=Arg("opaque", lazy(_state),
                                                      bad=[("tuple", (1, 2))])),
    "curvature.slq": dict(A=Arg("symmetric", SPD6), n_steps=Arg("count", 3, upper=6),
                          n_probes=Arg("count", 2), key=_K),
    "curvature.spectral_density": dict(
        density=Arg("opaque", lazy(_density), bad=[("tuple", (1, 2))]),
        grid=Arg("vector", np.linspace(0.0, 10.0, 7)), sigma=Arg("positive", 0.5)),
    "curvature.hutchinson_trace": dict(A=Arg("square", SPD6), n_probes=Arg("count", 4),
                                       key=_K),
    # ---------------------------------------------------------------- nn (_losses.py)
    "nn.cross_entropy": dict(logits=Arg("matrix", LOGITS), labels=Arg("indices", Y5, upper=3)),
    # ---------------------------------------------------------------- data (_mixtures.py)
    "data.gaussian_mixture": dict(n=Arg("count", 6), n_classes=Arg("count", 3, bad=[
        ("one", 1)]), dim=Arg("count", 2), separation=Arg("nonneg", 2.0),
        noise=Arg("positive", 1.0), key=_K),
}
