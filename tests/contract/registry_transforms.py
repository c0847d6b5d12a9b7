"""Contract entries for eigenbook.transforms (chapter 18) and its data generators.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import jax
import numpy as np
from kinds import Arg
from registry import lazy  # defined before registry.py merges this file

KEY = jax.random.key(0)
_rng = np.random.default_rng(18)
X38 = _rng.standard_normal((3, 8))                          # 3 lines of length 8
X83 = _rng.standard_normal((8, 3))                          # 8 rows (rotated axis 0)
_lag = np.abs(np.arange(5)[:, None] - np.arange(5))
C5 = 0.6 ** _lag                                            # AR(1) correlation, 5 x 5
Q53 = np.linalg.qr(_rng.standard_normal((5, 3)))[0]
P53 = np.linalg.qr(_rng.standard_normal((5, 3)))[0]
SPEC_K = np.array([3, 9])                                   # a 2-sparse spectrum of length 16
SPEC_C = np.array([1.5, -1.0])
_H16 = np.array([[(-1) ** bin(i & j).count("1") for j in range(16)] for i in range(16)], float)
SIGNAL16 = _H16[:, SPEC_K] @ SPEC_C                         # x = H X
SERIES = np.sin(2 * np.pi * np.arange(60) / 6) + 0.1 * _rng.standard_normal(60)
WIN = _rng.standard_normal((4, 6))                          # 4 windows of lookback 6

ANY_SHAPE = {"ndim+1": "any leading shape is transformed", "ndim-1": "a 1-D line is fine"}
CX = {"complex": "complex input is transformed as such"}


def _model():
    from eigenbook import transforms
    return transforms.fit_linear_forecaster(SERIES, 6, 2, n_components=3)


ENTRIES: dict[str, dict] = {
    # ---------------------------------------------------------------- Hadamard
    "transforms.fwht": dict(
        x=Arg("array", X38, valid={**CX, **ANY_SHAPE}),
        axis=Arg("opaque", -1, bad=[("out_of_range", 2), ("string", "0")]),
        normalized=Arg("opaque", False, bad=[("string", "yes"), ("int", 1)])),
    "transforms.random_hadamard_rotation": dict(
        x=Arg("array", X83, valid={**CX, "ndim+1": "a leading axis of length 1 (2^0) rotates"},
              bad=[("not_power_of_two", X83[:6])]),
        key=Arg("key", KEY),
        axis=Arg("opaque", 0, bad=[("out_of_range", 2), ("string", "0")])),
    # ---------------------------------------------------------------- bases
    "transforms.ar1_covariance": dict(
        n=Arg("count", 5), rho=Arg("scalar", 0.6, bad=[("one", 1.0), ("minus_one", -1.0)])),
    "transforms.klt_basis": dict(C=Arg("symmetric", C5)),
    "transforms.basis_alignment": dict(Q=Arg("matrix", Q53), P=Arg("matrix", P53,
                                                                  bad=[("shape", P53[:, :2])])),
    "transforms.offdiagonal_energy": dict(C=Arg("square", C5, bad=[("zero", 0 * C5)])),
    # ---------------------------------------------------------------- sparse WHT
    "transforms.sparse_wht": dict(
        signal=Arg("vector", SIGNAL16, bad=[("not_power_of_two", SIGNAL16[:12])]),
        n_bins=Arg("count", 4, upper=16, bad=[("not_power_of_two", 3)]),
        key=Arg("key", KEY), n_groups=Arg("count", 2), n_repeats=Arg("count", 1),
        noise_var=Arg("nonneg", 0.0), max_rounds=Arg("count", 8)),
    "transforms.sparse_wht_samples": dict(
        n_bits=Arg("count", 4), n_bins=Arg("count", 4, upper=16), n_groups=Arg("count", 2),
        n_repeats=Arg("count", 2), key=Arg("key", KEY)),
    "transforms.walsh_synthesis": dict(
        support=Arg("indices", SPEC_K, upper=16), coefficients=Arg("vector", SPEC_C),
        indices=Arg("indices", np.arange(16), upper=16), n_bits=Arg("count", 4)),
    # ---------------------------------------------------------------- forecasting
    "transforms.sliding_windows": dict(series=Arg("vector", SERIES),
                                       lookback=Arg("count", 6, bad=[("one", 1), ("long", 60)]),
                                       horizon=Arg("count", 2)),
    "transforms.temporal_correlation": dict(series=Arg("vector", SERIES),
                                            lookback=Arg("count", 6, bad=[("one", 1)])),
    "transforms.orthotrans_basis": dict(series=Arg("vector", SERIES),
                                        lookback=Arg("count", 6, bad=[("one", 1)])),
    "transforms.fit_linear_forecaster": dict(
        series=Arg("vector", SERIES), lookback=Arg("count", 6, bad=[("one", 1)]),
        horizon=Arg("count", 2), basis=Arg("choice", "orthotrans",
                                           bad=[("wrong_shape", np.eye(5))]),
        n_components=Arg("count", 3, upper=6), ridge=Arg("nonneg", 0.1),
        normalize=Arg("opaque", True, bad=[("string", "yes")])),
    "transforms.forecast": dict(
        model=Arg("opaque", lazy(_model), bad=[("tuple", (1, 2)), ("array", np.eye(3))]),
        inputs=Arg("matrix", WIN, bad=[("lookback", WIN[:, :5])])),
    "transforms.seasonal_naive": dict(inputs=Arg("matrix", WIN), horizon=Arg("count", 3),
                                      period=Arg("count", 3, upper=6)),
    # ---------------------------------------------------------------- data (_series.py)
    "data.ar_process": dict(
        n_steps=Arg("count", 20, bad=[("one", 1)]),
        coefficients=Arg("vector", np.array([0.5, -0.2]), bad=[("unstable", np.array([1.5]))]),
        key=Arg("key", KEY), n_series=Arg("count", 2), noise_std=Arg("positive", 1.0),
        burn_in=Arg("nonneg_int", 10)),
    "data.seasonal_series": dict(
        n_steps=Arg("count", 30, bad=[("one", 1)]), key=Arg("key", KEY),
        periods=Arg("vector", np.array([6.0, 4.0]), bad=[("below_one", np.array([0.5, 4.0]))]),
        amplitudes=Arg("vector", np.array([1.0, 0.5]), bad=[("negative", np.array([-1.0, 0.5]))]),
        rho=Arg("scalar", 0.5, bad=[("one", 1.0)]), noise_std=Arg("positive", 0.3),
        n_series=Arg("count", 2)),
    "data.sparse_walsh_spectrum": dict(
        n_bits=Arg("count", 6, upper=40), n_nonzero=Arg("count", 4, upper=64),
        key=Arg("key", KEY), magnitude=Arg("choice", "uniform")),
}
