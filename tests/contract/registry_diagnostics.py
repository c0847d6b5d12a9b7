"""Contract entries for eigenbook.diagnostics (chapter 17) and its data generators.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import jax
import numpy as np
from kinds import Arg

_rng = np.random.default_rng(17)
KEY = jax.random.key(0)
K = Arg("key", KEY)
W812 = _rng.standard_normal((8, 12))                    # a small weight matrix
Z64 = _rng.standard_normal((6, 4))                      # 6 representations in R^4
SPEC = np.sort(_rng.pareto(1.5, 12) + 1.0)[::-1].copy()  # 12 distinct positive values

ENTRIES: dict[str, dict] = {
    # ------------------------------------------------------------ diagnostics
    "diagnostics.esd": dict(W=Arg("matrix", W812)),
    "diagnostics.marchenko_pastur_edges": dict(q=Arg("fraction", 0.5),
                                               sigma2=Arg("positive", 1.0)),
    "diagnostics.marchenko_pastur_density": dict(x=Arg("vector", np.array([0.1, 0.5, 1.0, 2.0])),
                                                 q=Arg("fraction", 0.5),
                                                 sigma2=Arg("positive", 1.0)),
    "diagnostics.marchenko_pastur_scale": dict(eigenvalues=Arg("vector", SPEC),
                                               q=Arg("fraction", 0.5)),
    "diagnostics.powerlaw_mle": dict(x=Arg("vector", SPEC), xmin=Arg("positive", 1.2)),
    "diagnostics.hill_alpha": dict(x=Arg("vector", SPEC), k=Arg("count", 6, upper=12),
                                   fraction=Arg("fraction", 0.5)),
    "diagnostics.fit_powerlaw": dict(x=Arg("vector", SPEC), min_tail=Arg("count", 3, upper=12)),
    "diagnostics.farms_esd": dict(W=Arg("matrix", W812), block=Arg("count", 4, upper=8),
                                  stride=Arg("count", 2)),
    "diagnostics.farms_alpha": dict(W=Arg("matrix", W812), block=Arg("count", 4, upper=8),
                                    stride=Arg("count", 2), fraction=Arg("fraction", 0.5)),
    "diagnostics.effective_rank": dict(s=Arg("vector", np.array([3.0, 2.0, 1.0, 0.5]))),
    "diagnostics.rankme": dict(Z=Arg("matrix", Z64), eps=Arg("nonneg", 0.0)),
    "diagnostics.alpha_req": dict(Z=Arg("matrix", Z64), center=True, fit_range=None),
    # ------------------------------------------------------------ data (chapter 17)
    "data.random_weights": dict(m=Arg("count", 4), n=Arg("count", 6), key=K,
                                dist=Arg("choice", "student_t"), df=Arg("positive", 3.0)),
    "data.representations": dict(n=Arg("count", 8), d=Arg("count", 4), key=K,
                                 alpha=Arg("nonneg", 1.0)),
    "data.zipf_bigrams": dict(n=Arg("count", 16), vocab=Arg("count", 8), key=K,
                              exponent=Arg("nonneg", 1.1), noise=Arg("fraction", 0.5)),
}
