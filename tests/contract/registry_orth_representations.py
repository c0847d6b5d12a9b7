"""Contract entries for the chapter-06 part of eigenbook.orth (orthogonal representations).

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import jax
import numpy as np
from kinds import Arg

_rng = np.random.default_rng(6)
_K = Arg("key", jax.random.key(0))
V24 = _rng.standard_normal((2, 4))                     # two reflection vectors in R^4
SQ4 = _rng.standard_normal((4, 4))
X42 = np.linalg.qr(_rng.standard_normal((4, 2)))[0]    # an orthonormal frame
XI42 = 0.1 * _rng.standard_normal((4, 2))
A63 = _rng.standard_normal((6, 3))
B63 = _rng.standard_normal((6, 3))
Y38 = _rng.standard_normal((3, 8))                     # a stream of 8 samples in R^3
D33 = np.linalg.qr(_rng.standard_normal((3, 3)))[0]
H63 = _rng.standard_normal((6, 3))
LAB6 = np.array([0, 1, 0, 1, 0, 1])
W23 = _rng.standard_normal((2, 3))
IMG = _rng.random((256, 3, 3))
SYM4 = SQ4 + SQ4.T

ENTRIES: dict[str, dict] = {
    "orth.householder_orthogonal": dict(V=Arg("matrix", V24), r=Arg("count", 2, upper=4)),
    "orth.cayley_orthogonal": dict(W=Arg("square", SQ4)),
    "orth.qr_retraction": dict(X=Arg("matrix", X42), xi=Arg("matrix", XI42)),
    "orth.procrustes": dict(A=Arg("matrix", A63), B=Arg("matrix", B63)),
    "orth.spectral_lmo": dict(G=Arg("matrix", A63)),
    "orth.online_odl": dict(Y=Arg("matrix", Y38), key=_K, batch=Arg("count", 2, upper=8),
                            rho_exp=Arg("fraction", 0.5), gamma_exp=Arg("fraction", 0.5),
                            keep_every=Arg("nonneg_int", 1)),
    "orth.dictionary_error": dict(D=Arg("matrix", D33 + 0.01), D0=Arg("matrix", D33)),
    "orth.welch_bound": dict(N=Arg("count", 5), d=Arg("count", 3)),
    "orth.max_coherence": dict(V=Arg("matrix", A63)),
    "orth.equiangular_vectors": dict(N=Arg("count", 5), d=Arg("count", 3), key=_K,
                                     n_steps=Arg("count", 3), lr=Arg("positive", 1e-3),
                                     alpha=Arg("fraction", 0.5, bad=[("one", 1.0)])),
    "orth.simplex_etf": dict(K=Arg("count", 3),
                             d=Arg("count", 4, valid={"none": "the default d = K"})),
    "orth.neural_collapse_metrics": dict(H=Arg("matrix", H63), labels=Arg("indices", LAB6),
                                         W=Arg("matrix", W23), centre=True),
    "orth.train_deep_linear_ufm": dict(counts=Arg("indices", np.array([2, 3])),
                                       d=Arg("count", 3), depth=Arg("count", 2), bias=True,
                                       weight_decay=Arg("positive", 1e-3),
                                       feature_decay=Arg("positive", 1e-3),
                                       n_steps=Arg("count", 3), lr=Arg("positive", 1e-2),
                                       key=_K),
    "orth.cross_correlation": dict(Z1=Arg("matrix", A63), Z2=Arg("matrix", B63)),
    "orth.barlow_twins_loss": dict(Z1=Arg("matrix", A63), Z2=Arg("matrix", B63),
                                   lam=Arg("nonneg", 5e-3)),
    "orth.barlow_twins_train": dict(images=Arg("array", IMG), key=_K, lam=Arg("nonneg", 5e-3),
                                    dim=Arg("count", 2), hidden=Arg("count", 4),
                                    n_steps=Arg("count", 2), lr=Arg("positive", 1e-3),
                                    noise=Arg("nonneg", 0.1)),
    "orth.lambda_orthogonal_map": dict(X_new=Arg("matrix", A63), X_old=Arg("matrix", B63),
                                       lam=Arg("nonneg", 1.0), n_steps=Arg("count", 3),
                                       lr=Arg("positive", 1e-2)),
    "orth.householder_pca": dict(M=Arg("square", SYM4), r=Arg("count", 2, upper=4), key=_K,
                                 k=Arg("count", 3, upper=4, valid={"none": "the default k = r"}),
                                 n_steps=Arg("count", 3), lr=Arg("positive", 1e-2),
                                 penalty=Arg("positive", 1.0,
                                             valid={"none": "None: the Householder product"})),
    "data.orthogonal_dictionary_stream": dict(n=Arg("count", 3), T=Arg("count", 5),
                                              p=Arg("fraction", 0.3), gaussian=False, key=_K),
}
