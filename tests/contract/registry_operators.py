"""Contract entries for eigenbook.operators (chapter 09) and its data generators.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``. Parameter pytrees are built
lazily by their own ``init_*`` (which are under contract themselves).
"""

from __future__ import annotations

import jax
import numpy as np
from kinds import Arg
from registry import lazy  # defined before registry.py merges this file

KEY = jax.random.key(0)
_rng = np.random.default_rng(9)
W = _rng.standard_normal((4, 2, 3)) + 1j * _rng.standard_normal((4, 2, 3))   # 4 modes, 2 -> 3
_Wnan = W.copy()
_Wnan[0, 0, 0] = np.nan
X2 = _rng.standard_normal((2, 16, 2))                       # (batch, n, channels = 2)
X4 = _rng.standard_normal((2, 10, 4))                       # width 4
U7 = _rng.standard_normal((3, 7))                           # 3 functions at 7 sensors
Y5 = np.linspace(0, 1, 5)[:, None]
U0 = np.sin(2 * np.pi * np.arange(16) / 16) + 0.3 * _rng.standard_normal((3, 16))
Z10 = np.linspace(-0.5, 0.5, 10)
ARCH = dict(width=4, n_modes=4, n_layers=2)


def _fno():
    from eigenbook import operators
    return operators.init_fno(2, 1, key=KEY, **ARCH)


def _tfno():
    from eigenbook import operators
    return operators.init_tfno(2, 1, key=KEY, rank=0.3, **ARCH)


def _deeponet():
    from eigenbook import operators
    return operators.init_deeponet(7, 4, key=KEY, branch_hidden=(5,), trunk_hidden=(5,))


def _t1():
    from eigenbook import operators
    return operators.init_t1(2, 2, key=KEY, width=3, n_modes=4, n_layers=2)


def _lsm():
    from eigenbook import operators
    return operators.init_lsm_block(4, n_tokens=3, n_basis=2, key=KEY)


FIELDS = dict(bad=[("channels", X2[..., :1])])
PARAMS_BAD = [("list", [1, 2]), ("none", None)]
WEIGHTS = Arg("opaque", W, bad=[("nan", _Wnan), ("ndim2", W[0]), ("string", np.full(W.shape, "x")),
                                ("bool", W.real > 0)])
SIZES = dict(width=Arg("count", 4), n_modes=Arg("count", 4), n_layers=Arg("count", 2))

ENTRIES: dict[str, dict] = {
    # ---------------------------------------------------------------- Fourier layers
    "operators.spectral_conv1d": dict(
        x=Arg("array", X2, bad=[("too_few_points", X2[:, :4])]), weights=WEIGHTS),
    "operators.spectral_conv_matrix": dict(weights=WEIGHTS, n=Arg("count", 8)),
    "operators.init_fno": dict(in_channels=Arg("count", 2), out_channels=Arg("count", 1),
                               key=Arg("key", KEY), hidden=Arg("count", 5), **SIZES),
    "operators.fno": dict(params=Arg("opaque", lazy(_fno), bad=PARAMS_BAD),
                          x=Arg("array", X2, **FIELDS)),
    "operators.init_tfno": dict(in_channels=Arg("count", 2), out_channels=Arg("count", 1),
                                key=Arg("key", KEY), rank=Arg("fraction", 0.3),
                                hidden=Arg("count", 5), **SIZES),
    "operators.tfno": dict(params=Arg("opaque", lazy(_tfno),
                                      bad=PARAMS_BAD + [("fno", lazy(_fno))]),
                           x=Arg("array", X2, **FIELDS)),
    "operators.count_parameters": dict(params=Arg("opaque", lazy(_fno),
                                                  bad=[("int", 3), ("strings", ["a"])])),
    # ---------------------------------------------------------------- DeepONet
    "operators.init_deeponet": dict(
        n_sensors=Arg("count", 7), n_basis=Arg("count", 4), key=Arg("key", KEY),
        branch_hidden=Arg("opaque", (5,), bad=[("string", "5"), ("zero", (0,)), ("int", 5)]),
        trunk_hidden=Arg("opaque", (5,), bad=[("fraction", (2.5,))]),
        coordinate_dim=Arg("count", 1)),
    "operators.deeponet": dict(params=Arg("opaque", lazy(_deeponet), bad=PARAMS_BAD),
                               u=Arg("matrix", U7, bad=[("sensors", U7[:, :5])]),
                               y=Arg("matrix", Y5, bad=[("dim", np.hstack([Y5, Y5]))])),
    # ---------------------------------------------------------------- Transform Once
    "operators.init_t1": dict(in_channels=Arg("count", 2), out_channels=Arg("count", 2),
                              key=Arg("key", KEY), init=Arg("choice", "variance_preserving"),
                              width=Arg("count", 3), n_modes=Arg("count", 4),
                              n_layers=Arg("count", 2)),
    "operators.t1": dict(params=Arg("opaque", lazy(_t1), bad=PARAMS_BAD + [("string", "p")]),
                         x=Arg("array", X2, bad=[("too_few_points", X2[:, :3])]),
                         in_channels=Arg("count", 2)),
    "operators.t1_layer_moments": dict(params=Arg("opaque", lazy(_t1), bad=PARAMS_BAD),
                                       x=Arg("array", X2), in_channels=Arg("count", 2)),
    "operators.dct_truncate": dict(x=Arg("matrix", X2[:, :, 0]), n_modes=Arg("count", 3, upper=16),
                                   basis=Arg("choice", "dct")),
    # ---------------------------------------------------------------- latent spectral block
    "operators.latent_basis": dict(z=Arg("vector", Z10, valid={"ndim2": "any shape"}),
                                   n_basis=Arg("count", 3)),
    "operators.latent_basis_fit": dict(z=Arg("vector", Z10, bad=[("outside", 3 * Z10)]),
                                       values=Arg("vector", np.exp(Z10),
                                                  bad=[("length", Z10[:5])]),
                                       n_basis=Arg("count", 2, upper=5)),
    "operators.init_lsm_block": dict(width=Arg("count", 4), n_tokens=Arg("count", 3),
                                     n_basis=Arg("count", 2), key=Arg("key", KEY)),
    "operators.lsm_block": dict(params=Arg("opaque", lazy(_lsm), bad=PARAMS_BAD),
                                x=Arg("array", X4, bad=[("channels", X4[..., :3])])),
    "operators.self_attention": dict(params=Arg("opaque", lazy(_lsm), bad=PARAMS_BAD),
                                     x=Arg("array", X4, bad=[("channels", X4[..., :3])])),
    # ---------------------------------------------------------------- data (_burgers.py)
    "data.periodic_grf": dict(n_samples=Arg("count", 3), n=Arg("count", 8), key=Arg("key", KEY),
                              alpha=Arg("positive", 2.0, bad=[("half", 0.5)]),
                              tau=Arg("positive", 5.0), sigma=Arg("positive", 3.0)),
    "data.grf_samples": dict(x=Arg("vector", np.linspace(0, 1, 6)), n_samples=Arg("count", 2),
                             length_scale=Arg("positive", 0.2), key=Arg("key", KEY),
                             variance=Arg("positive", 1.0)),
    "data.burgers_1d": dict(u0=Arg("array", U0, valid={"ndim-1": "a single initial state"},
                                   bad=[("too_few_points", U0[:, :4])]),
                            nu=Arg("positive", 0.1), t_final=Arg("positive", 0.5),
                            n_steps=Arg("count", 10, bad=[("not_multiple", 9)]),
                            n_save=Arg("count", 2)),
    "data.burgers_rhs": dict(u=Arg("vector", U0[0], bad=[("too_few_points", U0[0, :4])]),
                             nu=Arg("positive", 0.1)),
    "data.antiderivative_data": dict(n_functions=Arg("count", 2), key=Arg("key", KEY),
                                     n_sensors=Arg("count", 6), n_points=Arg("count", 5),
                                     length_scale=Arg("positive", 0.2), refine=Arg("count", 2)),
}
