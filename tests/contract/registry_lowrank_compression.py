"""Contract entries for the compression part of eigenbook.lowrank (chapter 03) and its data.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import jax
import numpy as np
from kinds import Arg

KEY = jax.random.key(0)
K = Arg("key", KEY)
_rng = np.random.default_rng(3)
A = _rng.standard_normal((8, 6))
B = _rng.standard_normal((8, 6))
WTS = _rng.uniform(0.5, 2.0, (8, 6))                      # positive entry weights
RW, CW = _rng.uniform(0.5, 2.0, 8), _rng.uniform(0.5, 2.0, 6)
_U, _V = _rng.standard_normal((10, 2)), _rng.standard_normal((9, 2))
MC = _U @ _V.T                                            # rank 2, 10 x 9
MASK = _rng.uniform(size=(10, 9)) < 0.8
MASK[:, :3] = True                                        # every row well observed
MASK[:3, :] = True                                        # every column well observed
DELTA = _rng.standard_normal((4, 3, 2, 2))
X = _rng.standard_normal((12, 5))
W0 = _rng.standard_normal((5, 4))
Y = X @ (W0 + 0.1)
Q, _ = np.linalg.qr(_rng.standard_normal((6, 2)))


def _params():
    from eigenbook import nn
    return nn.init_mlp([5, 4, 3], key=KEY)


def _adapter():
    from eigenbook import lowrank
    return lowrank.svd_adapter(A, 2)


def _lz(fn):
    from registry import lazy  # registry.py defines lazy before it merges this file
    return lazy(fn)


RANKS = Arg("opaque", (2, 2, 1, 1), bad=[("zero", (0, 2, 1, 1)), ("too_big", (5, 2, 1, 1)),
                                         ("length", (2, 2)), ("string", "2"),
                                         ("fraction", (1.5, 2, 1, 1))])
SHAPE4 = Arg("opaque", (4, 3, 2, 2), bad=[("zero", (0, 3, 2, 2)), ("string", "abc"),
                                          ("fraction", (2.5, 3, 2, 2)), ("int", 4)])

ENTRIES: dict[str, dict] = {
    "lowrank.weighted_svd": dict(
        A=Arg("matrix", A), k=Arg("count", 2, upper=6),
        row_weights=Arg("vector", RW, bad=[("negative", -RW), ("length", RW[:-1])]),
        col_weights=Arg("vector", CW, bad=[("negative", -CW), ("zeros", 0 * CW)])),
    "lowrank.weighted_error": dict(
        A=Arg("matrix", A), B=Arg("matrix", B, bad=[("shape", B[:, :-1])]),
        row_weights=Arg("vector", RW, bad=[("negative", -RW)]),
        col_weights=Arg("vector", CW, bad=[("length", CW[:-1])]),
        weights=Arg("matrix", WTS, bad=[("negative", -WTS), ("zeros", 0 * WTS)])),
    "lowrank.weighted_low_rank": dict(
        A=Arg("matrix", A), weights=Arg("matrix", WTS, bad=[("negative", -WTS),
                                                            ("shape", WTS[:, :-1])]),
        k=Arg("count", 2, upper=6), method=Arg("choice", "exact"),
        cg_tol=Arg("positive", 1e-2, bad=[("above_one", 2.0)]),
        max_cg_steps=Arg("count", 2), max_steps=Arg("count", 20),
        tol=Arg("positive", 1e-6), ridge=Arg("nonneg", 0.0)),
    "lowrank.layer_fisher": dict(
        params=Arg("opaque", _lz(_params), bad=[("not_list", np.zeros(3)), ("empty", [])]),
        x=Arg("matrix", X, bad=[("width", X[:, :-1])]),
        labels=Arg("opaque", np.arange(12) % 3, bad=[("out_of_range", np.arange(12)),
                                                     ("length", np.arange(11) % 3),
                                                     ("fraction", np.full(12, 0.5)),
                                                     ("string", np.full(12, "a"))]),
        layer=Arg("nonneg_int", 0, upper=1),
        activation=Arg("callable", jax.nn.relu)),
    "lowrank.spectral_init": dict(
        M=Arg("matrix", MC), mask=Arg("mask", MASK, bad=[("empty_mask", 0 * MASK)]),
        k=Arg("count", 2, upper=8), key=K, clip=Arg("positive", 2.0)),
    "lowrank.complete_matrix": dict(
        M=Arg("matrix", MC), mask=Arg("mask", MASK, bad=[("empty_mask", 0 * MASK)]),
        k=Arg("count", 2, upper=8), key=K, method=Arg("choice", "cg"),
        cg_tol=Arg("positive", 1e-2, bad=[("above_one", 2.0)]), max_cg_steps=Arg("count", 2),
        max_steps=Arg("count", 30), tol=Arg("positive", 1e-8), clip=Arg("positive", 2.0),
        ridge=Arg("nonneg", 0.0),
        reference=Arg("matrix", MC, bad=[("shape", MC[:, :-1])])),
    "lowrank.svd_adapter": dict(W=Arg("matrix", A), r=Arg("count", 2, upper=6)),
    "lowrank.merge_adapter": dict(adapter=Arg("opaque", _lz(_adapter),
                                              bad=[("tuple", (A, A)), ("array", A)])),
    "lowrank.orthonormality_defect": dict(U=Arg("matrix", Q),
                                          Vt=Arg("matrix", Q.T, bad=[("rows", Q.T[:1])])),
    "lowrank.fit_adapter": dict(
        X=Arg("matrix", X), Y=Arg("matrix", Y, bad=[("rows", Y[:-1]), ("zero", 0 * Y)]),
        W0=Arg("matrix", W0, bad=[("shape", W0[:-1])]), r=Arg("count", 2, upper=4),
        method=Arg("choice", "sorsa"), learning_rate=Arg("positive", 1e-2),
        n_steps=Arg("count", 5), gamma=Arg("nonneg", 1e-3), key=K),
    "lowrank.tucker_adapter": dict(
        delta=Arg("array", DELTA, bad=[("zero", 0 * DELTA)]),
        ranks=RANKS, max_steps=Arg("count", 5), tol=Arg("positive", 1e-8)),
    "lowrank.matricized_adapter": dict(
        delta=Arg("array", DELTA, bad=[("zero", 0 * DELTA)],
                  valid={"ndim-1": "any tensor with at least 2 axes is accepted"}),
        r=Arg("count", 2, upper=4)),
    "lowrank.tucker_adapter_size": dict(shape=SHAPE4, ranks=RANKS),
    "lowrank.lora_adapter_size": dict(shape=SHAPE4, r=Arg("count", 2, upper=4)),
    # ---------------------------------------------------------------- data (_lowrank.py)
    "data.completion_problem": dict(m=Arg("count", 6), n=Arg("count", 5),
                                    k=Arg("count", 2, upper=5),
                                    p=Arg("positive", 0.5, bad=[("above_one", 1.5)]), key=K),
    "data.tucker_tensor": dict(shape=SHAPE4, ranks=RANKS, key=K, noise=Arg("nonneg", 0.1)),
    "data.adapter_task": dict(d=Arg("count", 6, bad=[("one", 1)]), n_samples=Arg("count", 8),
                              r=Arg("count", 2, upper=6), key=K, decay=Arg("nonneg", 1.0),
                              shift=Arg("positive", 0.3), subspace=Arg("choice", "random")),
}
