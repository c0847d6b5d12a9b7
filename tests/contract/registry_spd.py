"""Contract entries for eigenbook.spd (chapter 16) and its data generators.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import jax
import numpy as np
from kinds import Arg
from registry import lazy  # defined before registry.py merges this file

KEY = jax.random.key(0)
K = Arg("key", KEY)
_rng = np.random.default_rng(16)
P3 = np.array([[2.0, 0.5, 0.0], [0.5, 2.0, 0.5], [0.0, 0.5, 2.0]])     # SPD
B3 = np.array([[1.5, -0.25, 0.25], [-0.25, 1.0, 0.0], [0.25, 0.0, 2.5]])
S3 = np.array([[0.5, 0.25, 0.0], [0.25, -0.5, 0.25], [0.0, 0.25, 0.0]])  # symmetric, indefinite
BATCH = np.stack([P3, B3, P3 + 0.5 * np.eye(3), B3 + np.eye(3)])        # (4, 3, 3) SPD
Y4 = np.array([0, 1, 0, 1])
TRIALS = _rng.standard_normal((3, 2, 40))                              # (N, c, T)
SERIES = _rng.standard_normal((2, 60))                                 # (c, T)
TOE = np.kron(np.eye(3), P3[:2, :2])                                   # (6, 6), 3 blocks

BATCH_OF_ONE = {"ndim3": "a batch of one matrix (1, n, n) is accepted"}
INDEF = [("indefinite", -P3)]
INDEF_B = [("indefinite", -BATCH), ("nonsymmetric", BATCH + np.triu(np.ones((3, 3)), 1))]


def spdm(**kw):
    return Arg("symmetric", P3, valid=BATCH_OF_ONE, bad=INDEF, **kw)


def spdb():
    return Arg("array", BATCH, bad=INDEF_B)


def _model():
    from eigenbook import spd
    return spd.mdm_fit(BATCH, Y4)


ENTRIES: dict[str, dict] = {
    # ------------------------------------------------------------------ spd: functions
    "spd.sqrtm": dict(X=spdm()),
    "spd.invsqrtm": dict(X=spdm()),
    "spd.logm": dict(X=spdm()),
    "spd.expm": dict(X=Arg("symmetric", S3, valid=BATCH_OF_ONE)),
    "spd.powm": dict(X=spdm(), p=Arg("scalar", 0.5)),
    # ------------------------------------------------------------------ spd: metrics
    "spd.distance": dict(A=spdm(), B=Arg("symmetric", B3, valid=BATCH_OF_ONE, bad=INDEF),
                         metric=Arg("choice", "airm")),
    "spd.geodesic": dict(A=spdm(), B=Arg("symmetric", B3, valid=BATCH_OF_ONE, bad=INDEF),
                         t=Arg("fraction", 0.3), metric=Arg("choice", "bw")),
    "spd.exp_map": dict(P=spdm(), S=Arg("symmetric", 0.2 * S3, valid=BATCH_OF_ONE),
                        metric=Arg("choice", "airm")),
    "spd.log_map": dict(P=spdm(), X=Arg("symmetric", B3, valid=BATCH_OF_ONE, bad=INDEF),
                        metric=Arg("choice", "bw")),
    "spd.metric_tensor": dict(P=Arg("symmetric", P3, bad=INDEF),
                              metric=Arg("choice", "log_euclidean")),
    "spd.parallel_transport": dict(S=Arg("symmetric", S3, valid=BATCH_OF_ONE),
                                   A=Arg("symmetric", P3, bad=INDEF),
                                   B=Arg("symmetric", B3, bad=INDEF)),
    "spd.recentre": dict(X=spdb(), target=Arg("symmetric", B3, bad=INDEF),
                         tol=Arg("positive", 1e-10), max_iter=Arg("count", 50)),
    # ------------------------------------------------------------------ spd: means
    "spd.karcher_mean": dict(
        X=spdb(), weights=Arg("vector", np.array([1.0, 2.0, 1.0, 1.0]), bad=[
            ("negative", np.array([-1.0, 2.0, 1.0, 1.0])), ("zeros", np.zeros(4)),
            ("length", np.ones(3))]),
        init=Arg("symmetric", P3, bad=INDEF + [("size", np.eye(2))]),
        tol=Arg("positive", 1e-10), max_iter=Arg("count", 50)),
    "spd.bw_mean": dict(
        X=spdb(), weights=Arg("vector", np.array([1.0, 2.0, 1.0, 1.0]), bad=[
            ("negative", np.array([-1.0, 2.0, 1.0, 1.0])), ("length", np.ones(3))]),
        init=Arg("symmetric", P3, bad=INDEF), tol=Arg("positive", 1e-10),
        max_iter=Arg("count", 100)),
    "spd.log_euclidean_mean": dict(X=spdb(), weights=Arg("vector", np.ones(4), bad=[
        ("negative", -np.ones(4)), ("length", np.ones(3))])),
    # ------------------------------------------------------------------ spd: features
    "spd.covariances": dict(X=Arg("array", TRIALS), shrinkage=Arg("fraction", 0.1)),
    "spd.augmented_covariance": dict(X=Arg("array", TRIALS),
                                     order=Arg("count", 3, bad=[("too_long", 30)]),
                                     lag=Arg("count", 2), shrinkage=Arg("fraction", 0.0)),
    "spd.yule_walker": dict(x=Arg("matrix", SERIES), order=Arg("count", 2, bad=[("too_long", 40)]),
                            lag=Arg("count", 1)),
    "spd.toeplitz_gap": dict(C=Arg("square", TOE), n_blocks=Arg("count", 3, upper=6, bad=[
        ("nondivisor", 4)])),
    # ------------------------------------------------------------------ spd: MDM
    "spd.mdm_fit": dict(X=spdb(), y=Arg("indices", Y4, bad=[("one_class", np.zeros(4, int)),
                                                          ("length", Y4[:-1])]),
                        metric=Arg("choice", "airm"), tol=Arg("positive", 1e-10),
                        max_iter=Arg("count", 50)),
    "spd.mdm_predict": dict(
        model=Arg("opaque", lazy(_model), bad=[("tuple", (1.0, 2.0)), ("array", np.eye(3))]),
        X=Arg("array", BATCH, bad=INDEF_B + [("size", np.stack([np.eye(2)] * 2))])),
    # ------------------------------------------------------------------ data (chapter 16)
    "data.ar_eeg_trials": dict(
        n_trials=Arg("count", 4, bad=[("one", 1)]), key=K, n_channels=Arg("count", 3),
        n_times=Arg("count", 32, bad=[("short", 4)]), fs=Arg("positive", 128.0, bad=[
            ("nyquist", 20.0)]), shift=Arg("nonneg", 3.0),
        radius=Arg("positive", 0.9, bad=[("one", 1.0)]), noise=Arg("nonneg", 0.1)),
    "data.hemisphere_eeg": dict(
        n_channels=Arg("count", 8, bad=[("two", 2)]), n_times=Arg("count", 20, bad=[("one", 1)]),
        key=K, n_sources=Arg("count", 5), width=Arg("positive", 0.5),
        depth=Arg("positive", 0.9, bad=[("above_one", 1.5)]), noise=Arg("nonneg", 0.05)),
}
