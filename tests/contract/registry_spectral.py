"""Contract entries for eigenbook.spectral (chapter 08) and its data generator.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import jax
import numpy as np
from kinds import Arg

_rng = np.random.default_rng(8)
PTS = _rng.uniform(-np.pi, np.pi, (12, 2))                 # M = 12 points in 2-D
STR = _rng.standard_normal(12) + 0.5j                      # complex strengths
COEF = _rng.standard_normal((6, 5)) + 0.25j                # (6, 5) modes
VALS = np.cos(np.pi * np.arange(7) / 6) ** 3               # values at 7 Chebyshev points
TRI = _rng.uniform(-1, 1, (3, 3, 2))                       # 3 triangles in R^2
OMEGA = _rng.uniform(-4, 4, (5, 2))
POLY = np.array([[-0.5, -0.4], [0.6, -0.3], [0.4, 0.5], [-0.3, 0.6]])
IMG = (_rng.uniform(size=(8, 8)) > 0.5).astype(float)
_t = np.linspace(0, 1, 4)
K4 = np.exp(-0.5 * (_t[:, None] - _t) ** 2 / 0.3**2)       # SPD 4 x 4
K3 = np.exp(-0.5 * (_t[:3, None] - _t[:3]) ** 2 / 0.3**2)
NS3 = K3 + np.triu(np.ones((3, 3)), 1)
W3, MU3, SC3 = np.array([1.0, 0.5, 0.2]), np.array([0.0, 2.0, 5.0]), np.array([0.3, 0.5, 1.0])

CX = {"complex": "complex input is transformed as such"}
ANY = {"ndim+1": "any shape is accepted (elementwise)", "ndim-1": "any shape is accepted"}
EPS = Arg("positive", 1e-6, bad=[("too_loose", 0.5)])
ISIGN1 = Arg("opaque", 1, bad=[("zero", 0), ("two", 2), ("string", "+")])
ISIGN2 = Arg("opaque", -1, bad=[("zero", 0), ("string", "-")])
MODES = Arg("opaque", (6, 5), bad=[("wrong_length", (6, 5, 4)), ("zero", (0, 5)),
                                   ("string", "6"), ("fraction", (2.5, 5))])
SM = dict(weights=Arg("vector", W3, bad=[("negative", -W3)]),
          means=Arg("vector", MU3, bad=[("length", MU3[:2])]),
          scales=Arg("vector", SC3, bad=[("zero", 0 * SC3)]))

ENTRIES: dict[str, dict] = {
    "spectral.fft_modes": dict(n=Arg("count", 8)),
    "spectral.dct": dict(x=Arg("array", _rng.standard_normal((5, 4)), valid={**CX, **ANY}),
                         type=Arg("opaque", 1, bad=[("three", 3), ("string", "1")]),
                         axis=Arg("opaque", -1, bad=[("out_of_range", 2), ("string", "0")])),
    "spectral.chebyshev_points": dict(n=Arg("count", 7)),
    "spectral.chebyshev_coefficients": dict(values=Arg("vector", VALS, valid=CX)),
    "spectral.chebyshev_evaluate": dict(coefficients=Arg("vector", VALS, valid=CX),
                                        x=Arg("vector", np.linspace(-1, 1, 5),
                                              valid={"ndim2": "any shape is accepted"})),
    "spectral.clenshaw_curtis": dict(n=Arg("count", 9)),
    "spectral.nufft_type1": dict(points=Arg("matrix", PTS), strengths=Arg("vector", STR, valid=CX),
                                 n_modes=MODES, eps=EPS, isign=ISIGN1),
    "spectral.nufft_type2": dict(points=Arg("matrix", PTS),
                                 coefficients=Arg("complex_matrix", COEF), eps=EPS, isign=ISIGN2),
    "spectral.nudft_type1": dict(points=Arg("matrix", PTS), strengths=Arg("vector", STR, valid=CX),
                                 n_modes=MODES, isign=ISIGN1),
    "spectral.nudft_type2": dict(points=Arg("matrix", PTS),
                                 coefficients=Arg("complex_matrix", COEF), isign=ISIGN2),
    "spectral.simplex_fourier_transform": dict(
        vertices=Arg("array", TRI), omega=Arg("matrix", OMEGA),
        weights=Arg("vector", np.array([1.0, -0.5, 2.0])), method=Arg("choice", "auto"),
        gap_tol=Arg("positive", 0.05)),
    "spectral.simplex_quadrature": dict(vertices=Arg("array", TRI), order=Arg("count", 4)),
    "spectral.polygon_triangles": dict(vertices=Arg("matrix", POLY)),
    "spectral.rasterize_polygon": dict(vertices=Arg("matrix", POLY), n=Arg("count", 8)),
    "spectral.image_fourier_coefficients": dict(image=Arg("square", IMG),
                                                n_modes=Arg("count", 4, upper=8)),
    "spectral.lowpass_image": dict(coefficients=Arg("complex_matrix", COEF[:5, :5]),
                                   sigma=Arg("positive", 0.1)),
    "spectral.spectral_mixture_kernel": dict(tau=Arg("vector", np.linspace(-1, 1, 5),
                                                     valid={"ndim2": "any shape is accepted"}),
                                             **SM),
    "spectral.spectral_mixture_density": dict(frequency=Arg("vector", np.linspace(-3, 3, 5),
                                                            valid={"ndim2": "any shape"}),
                                              **SM),
    "spectral.kron_gp_solve": dict(
        factors=Arg("opaque", [K4, K3], bad=[("array", K4), ("empty", []),
                                             ("nonsymmetric", [K4, NS3]),
                                             ("nan", [K4, K3 * np.nan])]),
        y=Arg("vector", _rng.standard_normal(12)), noise=Arg("positive", 0.1)),
    # ---------------------------------------------------------------- data (_spectral.py)
    "data.random_convex_polygon": dict(n_points=Arg("count", 6, valid={}),
                                       key=Arg("key", jax.random.key(0)),
                                       radius=Arg("positive", 0.7, bad=[("above_one", 1.5)])),
}
