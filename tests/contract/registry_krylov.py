"""Contract entries for eigenbook.krylov (chapter 12) and its data generators.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import jax
import numpy as np
from kinds import Arg
from registry import lazy  # registry.py imports this file after defining lazy

_rng = np.random.default_rng(12)
_K = Arg("key", jax.random.key(0))
_B = _rng.standard_normal((6, 6))
SPD6 = _B @ _B.T + 6 * np.eye(6)                         # symmetric positive definite
NS6 = 4 * np.eye(6) + _rng.standard_normal((6, 6))       # square, not symmetric
_Dg = np.diag([3.0, 2.0, 1.0, -1.0, -2.0, 4.0])
IND6 = _Dg + 0.1 * (_B + _B.T)                           # symmetric indefinite
B6 = _rng.standard_normal(6)
ALPHAS = np.array([0.5, 0.25, 0.2])                      # CG step lengths, positive
BETAS = np.array([0.3, 0.1])                             # CG direction updates, >= 0
PARAMS = _rng.standard_normal((4, 2))                    # 4 systems, 2 parameters each
COEF = np.array([[1.0, 2.0, 1.5], [0.5, 1.0, 2.0], [1.25, 0.75, 1.0]])  # positive a(x, y)
N_MG = 7                                                 # multigrid: 7 x 7 grid, 49 unknowns


def _poisson():
    from eigenbook import data
    return data.diffusion_2d(N_MG).toarray() / (N_MG + 1) ** 2


POISSON = _poisson()


def _mg():
    from eigenbook import krylov
    return krylov.multigrid(POISSON, N_MG)


# options shared by the solvers: a tolerance, a step cap
def _opts(steps=60):
    return dict(tol=Arg("positive", 1e-8), max_steps=Arg("count", steps))


BAD_RANGE = [("reversed", (20.0, 5.0)), ("nan", (float("nan"), 20.0)),
             ("string", ("a", "b"))]

ENTRIES: dict[str, dict] = {
    "krylov.cg": dict(A=Arg("symmetric", SPD6), b=Arg("vector", B6), x0=Arg("vector", 0 * B6),
                      M=Arg("symmetric", np.diag(1 / np.diag(SPD6))), **_opts()),
    "krylov.cg_tridiagonal": dict(alphas=Arg("vector", ALPHAS), betas=Arg("vector", BETAS)),
    "krylov.dcdm": dict(A=Arg("symmetric", SPD6), b=Arg("vector", B6),
                        direction=Arg("callable", lambda r: r), x0=Arg("vector", 0 * B6),
                        n_orth=Arg("nonneg_int", 2), **_opts()),
    "krylov.minres": dict(A=Arg("symmetric", IND6), b=Arg("vector", B6),
                          x0=Arg("vector", 0 * B6), **_opts()),
    "krylov.gmres": dict(A=Arg("square", NS6), b=Arg("vector", B6), x0=Arg("vector", 0 * B6),
                         restart=Arg("count", 4), **_opts()),
    "krylov.gcro_dr": dict(A=Arg("square", NS6), b=Arg("vector", B6), x0=Arg("vector", 0 * B6),
                           m=Arg("count", 4), k=Arg("count", 2), **_opts()),
    "krylov.greedy_order": dict(params=Arg("matrix", PARAMS),
                                start=Arg("nonneg_int", 1, upper=3), farthest=False),
    "krylov.solve_sequence": dict(
        matrices=[NS6, NS6 + 0.1 * np.eye(6)], rhs=Arg("matrix", np.stack([B6, B6[::-1]])),
        order=Arg("indices", np.array([1, 0]), upper=2), method=Arg("choice", "gcro_dr"),
        m=Arg("count", 4), k=Arg("count", 2), **_opts()),
    "krylov.multigrid": dict(A=Arg("symmetric", POISSON), n_grid=Arg("count", N_MG),
                             n_smooth=Arg("count", 2), omega=Arg("fraction", 0.8),
                             coarsest=Arg("count", 3)),
    "krylov.vcycle": dict(mg=lazy(_mg), r=Arg("vector", np.linspace(-1.0, 1.0, N_MG * N_MG))),
    # any matrix with invertible diagonal blocks (documented): H need not be symmetric
    "krylov.schur_complements": dict(H=Arg("square", SPD6), k=Arg("count", 2, upper=5)),
    "krylov.block_solve": dict(H=Arg("square", SPD6), b=Arg("vector", B6),
                               k=Arg("count", 2, upper=5)),
    "krylov.dcreg_preconditioner": dict(H=Arg("symmetric", SPD6), k=Arg("count", 2, upper=5),
                                        kappa_max=Arg("positive", 1e3)),
    # ---------------------------------------------------------------- data (_pde.py)
    "data.diffusion_2d": dict(a=Arg("square", COEF, bad=[
        ("negative", -COEF), ("grid_size_1", 1), ("bool_size", True)])),
    "data.darcy_systems": dict(n_grid=Arg("count", 4), n_systems=Arg("count", 2), key=_K,
                               n_modes=Arg("count", 3, upper=20),
                               amplitude=Arg("nonneg", 0.5)),
    "data.corridor_registration": dict(
        n_points=Arg("count", 4), key=_K, tilt=Arg("nonneg", 0.1, bad=[("above_max", 2.0)]),
        offset=Arg("opaque", (5.0, 20.0), bad=BAD_RANGE), width=Arg("positive", 2.0),
        height=Arg("positive", 1.5)),
    "data.tunnel_registration": dict(
        n_points=Arg("count", 8), key=_K,
        axis=Arg("opaque", (0.0, -1.0), bad=[("nan", (float("nan"), 0.0)), ("string", "ab")]),
        radius=Arg("positive", 2.0), ellipticity=Arg("fraction", 0.2),
        taper=Arg("fraction", 0.1), offset=Arg("opaque", (5.0, 20.0), bad=BAD_RANGE)),
}
