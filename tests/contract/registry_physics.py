"""Contract entries for eigenbook.physics (chapter 19) and its spin-chain generators.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import jax
import numpy as np
from kinds import Arg

_K = Arg("key", jax.random.key(0))
MESH = np.linspace(-4.0, 4.0, 5)                # 4 elements
RMESH = np.array([0.0, 1.0, 3.0, 8.0, 20.0])   # starts at the nucleus
BAD_INTERVAL = [("reversed", (1.0, -1.0)), ("nan", (float("nan"), 1.0)),
                ("string", ("a", "b")), ("scalar", 1.0)]
X8 = np.linspace(0.0, 1.0, 9)
_rng = np.random.default_rng(19)
_B = _rng.standard_normal((4, 4))
H4 = np.diag([-2.0, -1.0, 1.0, 2.0])
V4 = (_B + _B.T) / 8
PSI4 = np.array([1.0, 0.5, 0.0, 0.0])
BRACKET = np.array([[-0.51, -0.49]])           # hydrogen 1s, Z = 1


def _harmonic(x):
    return 0.5 * x**2


ENTRIES: dict[str, dict] = {
    "physics.fd_hamiltonian": dict(potential=Arg("callable", _harmonic),
                                   interval=Arg("opaque", (-4.0, 4.0), bad=BAD_INTERVAL),
                                   n=Arg("count", 20, bad=[("one", 1)])),
    "physics.fd_eigh": dict(potential=Arg("callable", _harmonic),
                            interval=Arg("opaque", (-4.0, 4.0), bad=BAD_INTERVAL),
                            n=Arg("count", 20, bad=[("one", 1)]), k=Arg("count", 2, upper=20)),
    "physics.chebyshev_points": dict(n=Arg("count", 6)),
    "physics.chebyshev_hamiltonian": dict(potential=Arg("callable", _harmonic),
                                          interval=Arg("opaque", (-4.0, 4.0), bad=BAD_INTERVAL),
                                          n=Arg("count", 12, bad=[("one", 1)])),
    "physics.chebyshev_eigh": dict(potential=Arg("callable", _harmonic),
                                   interval=Arg("opaque", (-4.0, 4.0), bad=BAD_INTERVAL),
                                   n=Arg("count", 12, bad=[("one", 1)]),
                                   k=Arg("count", 2, upper=11)),
    "physics.gll_nodes": dict(p=Arg("count", 4)),
    "physics.exponential_mesh": dict(r_min=Arg("scalar", 0.0), r_max=Arg("scalar", 10.0),
                                     n_elements=Arg("count", 4),
                                     ratio=Arg("positive", 20.0)),
    "physics.fem_eigh": dict(potential=Arg("callable", _harmonic),
                             mesh=Arg("vector", MESH, promote=False,
                                      bad=[("decreasing", MESH[::-1]), ("single", MESH[:1])]),
                             p=Arg("count", 3), k=Arg("count", 2, upper=11),
                             n_quad=Arg("count", 6, valid={"none": "default p + 2"})),
    "physics.radial_fem_eigh": dict(Z=Arg("positive", 1.0), l=Arg("nonneg_int", 0),
                                    mesh=Arg("vector", RMESH, promote=False,
                                             bad=[("shifted", RMESH + 1.0),
                                                  ("decreasing", RMESH[::-1])]),
                                    p=Arg("count", 4), k=Arg("count", 2, upper=15),
                                    n_quad=Arg("count", 8, valid={"none": "default 2p"})),
    "physics.radial_shooting": dict(Z=Arg("positive", 1.0), l=Arg("nonneg_int", 0),
                                    brackets=Arg("matrix", BRACKET, promote=False,
                                                 bad=[("positive", -BRACKET[:, ::-1]),
                                                      ("no_root", np.array([[-0.4, -0.3]]))]),
                                    rtol=Arg("positive", 1e-8), xtol=Arg("positive", 1e-10)),
    "physics.pinn_eigenstate": dict(
        x=Arg("vector", X8, promote=False, bad=[("decreasing", X8[::-1]), ("short", X8[:2])]),
        V=Arg("vector", 0 * X8, promote=False, bad=[("length", np.zeros(5))]), key=_K,
        energy=Arg("scalar", 4.9), train_energy=Arg("opaque", True, bad=[("int", 1)]),
        norm_weight=Arg("nonneg", 1.0), hidden=Arg("opaque", (4,), bad=[("empty", ())]),
        n_steps=Arg("count", 2), learning_rate=Arg("positive", 1e-3)),
    "physics.sign_polynomial": dict(mu=Arg("scalar", 0.1, bad=[("above", 1.5)]),
                                    delta=Arg("positive", 0.2, bad=[("above", 1.5)]),
                                    eps=Arg("fraction", 1e-2, bad=[("zero", 0.0)]),
                                    method=Arg("choice", "erf"),
                                    max_degree=Arg("count", 2000, bad=[("too_small", 3)])),
    "physics.chebyshev_filter_degree": dict(gap=Arg("positive", 0.1),
                                            eps=Arg("fraction", 1e-3, bad=[("zero", 0.0)])),
    "physics.chebyshev_series_apply": dict(
        A=Arg("symmetric", H4 / 4), coefficients=Arg("vector", np.array([0.5, 0.25, 0.125])),
        X=Arg("vector", PSI4, bad=[("length", np.ones(3))]),
        bounds=Arg("opaque", (-1.0, 1.0), bad=BAD_INTERVAL)),
    "physics.sign_cooling_dynamics": dict(
        H=Arg("symmetric", H4), V=Arg("symmetric", V4),
        psi0=Arg("vector", PSI4, valid={"complex": "quantum states are complex vectors"}),
        mu=Arg("scalar", 0.0, bad=[("eigenvalue", 1.0)]), lam=Arg("nonneg", 0.05),
        times=Arg("vector", np.linspace(0.0, 2.0, 5), bad=[("negative_t", -np.ones(3))]),
        transform=Arg("choice", "sign")),
    # ---------------------------------------------------------------- data (_spins.py)
    "data.transverse_field_ising": dict(n=Arg("count", 3, upper=12, bad=[("one", 1)]),
                                        J=Arg("scalar", 1.0), h=Arg("scalar", 0.5),
                                        periodic=False),
    "data.random_local_pauli": dict(n=Arg("count", 3, upper=12, bad=[("one", 1)]), key=_K,
                                    n_terms=Arg("count", 4, valid={"none": "default 2n"})),
}
