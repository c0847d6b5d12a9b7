"""Contract entries for eigenbook.koopman (chapter 14) and its data generators.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import jax
import numpy as np
from kinds import Arg
from registry import lazy  # defined before registry.py merges this file

_rng = np.random.default_rng(14)
KEY = jax.random.key(0)
K = Arg("key", KEY)
SNAP = _rng.standard_normal((4, 6))                     # n=4 snapshots x_0 .. x_5
XP, YP = SNAP[:, :-1], SNAP[:, 1:]                      # pairs (4, 5)
PSI_X = _rng.standard_normal((6, 3))                    # M=6 points, N=3 functions
PSI_Y = _rng.standard_normal((6, 3))
QW = np.full(6, 1 / 6)                                  # quadrature weights
_edmd_K = np.linalg.lstsq(PSI_X, PSI_Y, rcond=None)[0]
EIGVALS, EIGVECS = np.linalg.eig(_edmd_K)               # complex candidates (3,), (3, 3)
S56 = _rng.standard_normal((5, 6))                      # 6 snapshots in R^5
LAB = np.array([0, 0, 1, 1, 1, 0])                      # two clusters of S56
PTS = _rng.uniform(size=(5, 2))
CTR = _rng.uniform(size=(3, 2))
DEC = np.array([3.0, 2.0, 1.0, 0.5])
SERIES = _rng.standard_normal((2, 8))                   # c=2 channels, T=8

CXD = {"complex": "complex snapshots/dictionaries are accepted (DMD of complex data)"}
CXDIC = {"complex": "complex dictionaries are accepted (Fourier dictionaries are)"}
SERIES_1D = {"ndim-1": "a single-channel series of shape (T,)"}


def _dmd():
    from eigenbook import koopman
    return koopman.dmd(SNAP, 2)


def _bases():
    from eigenbook import koopman
    return koopman.local_pod(S56, LAB, 2)


ENTRIES: dict[str, dict] = {
    # ---------------------------------------------------------------- koopman
    "koopman.dmd": dict(X=Arg("matrix", XP, valid=CXD), rank=Arg("count", 2, upper=4),
                        Y=Arg("matrix", YP, valid=CXD), method=Arg("choice", "exact")),
    "koopman.dmd_reconstruct": dict(
        result=Arg("opaque", lazy(_dmd), bad=[("tuple", (1.0, 2.0)), ("array", np.ones((2, 2)))]),
        n_steps=Arg("count", 4)),
    "koopman.hankel": dict(x=Arg("array", SERIES, valid={**CXD, **SERIES_1D}),
                           n_delays=Arg("count", 3, upper=8)),
    "koopman.edmd": dict(Psi_X=Arg("matrix", PSI_X, valid=CXDIC),
                         Psi_Y=Arg("matrix", PSI_Y, valid=CXDIC),
                         weights=Arg("vector", QW, bad=[("negative", -QW),
                                                        ("zeros", 0 * QW)])),
    "koopman.resdmd_residuals": dict(
        Psi_X=Arg("matrix", PSI_X, valid=CXDIC), Psi_Y=Arg("matrix", PSI_Y, valid=CXDIC),
        eigenvalues=Arg("complex_vector", EIGVALS), eigenvectors=Arg("complex_matrix", EIGVECS),
        weights=Arg("vector", QW, bad=[("negative", -QW)])),
    "koopman.pseudospectrum": dict(
        Psi_X=Arg("matrix", PSI_X, valid=CXDIC), Psi_Y=Arg("matrix", PSI_Y, valid=CXDIC),
        z=Arg("complex_vector", np.array([0.5 + 0.5j, -1.0, 2j])),
        weights=Arg("vector", QW, bad=[("negative", -QW)]), chunk=Arg("count", 2)),
    "koopman.gaussian_rbf": dict(x=Arg("matrix", PTS), centers=Arg("matrix", CTR),
                                 width=Arg("positive", 0.5), period=Arg("positive", 1.0)),
    "koopman.pod": dict(S=Arg("matrix", S56, bad=[("zero_column", S56 * [0, 1, 1, 1, 1, 1])]),
                        k=Arg("count", 2, upper=5)),
    "koopman.dissimilarity": dict(S=Arg("matrix", S56), metric=Arg("choice", "sine")),
    "koopman.cluster_snapshots": dict(S=Arg("matrix", S56), k=Arg("count", 2, upper=6), key=K,
                                      metric=Arg("choice", "sine"), n_init=Arg("count", 2),
                                      max_steps=Arg("count", 20)),
    "koopman.local_pod": dict(S=Arg("matrix", S56), labels=Arg("indices", LAB, bad=[
        ("empty_cluster", np.array([0, 0, 2, 2, 2, 0])), ("length", LAB[:-1])]),
        k=Arg("count", 2, upper=5)),
    "koopman.projection_errors": dict(
        S=Arg("matrix", S56),
        bases=Arg("opaque", lazy(_bases), bad=[("tuple", (np.eye(5)[:, :2],)),
                                               ("array", np.eye(5))]),
        labels=Arg("indices", LAB, upper=2, bad=[("length", LAB[:-1])])),
    "koopman.width_profile": dict(singular_values=Arg("vector", DEC, bad=[
        ("negative", -DEC), ("zeros", 0 * DEC)]), n_max=Arg("count", 6)),
    # ------------------------------------------------------------------ data (chapter 14)
    "data.linear_system_snapshots": dict(
        eigenvalues=Arg("complex_vector", np.array([0.9, 0.5 + 0.5j]),
                        bad=[("lower_member", np.array([0.9, 0.5 - 0.5j]))]),
        n_snapshots=Arg("count", 5, bad=[("one", 1)]), key=K,
        n=Arg("count", 4, bad=[("below_dimension", 2)]),
        conditioning=Arg("positive", 2.0, bad=[("below_one", 0.5)])),
    "data.cat_map_samples": dict(m=Arg("count", 3, bad=[("one", 1)])),
    "data.travelling_waves": dict(
        n_x=Arg("count", 8, bad=[("one", 1)]), n_t=Arg("count", 5, bad=[("one", 1)]),
        speeds=Arg("vector", np.array([1.0, -0.5])),
        wavenumbers=Arg("vector", np.array([1.0, 2.0]), bad=[
            ("fraction", np.array([1.5, 2.0])), ("zero", np.array([0.0, 2.0]))]),
        dt=Arg("positive", 0.1),
        decay=Arg("vector", np.array([0.0, 0.1]), bad=[("negative", np.array([-0.1, 0.1]))])),
    "data.bump_snapshots": dict(
        m=Arg("count", 3), key=K, n_x=Arg("count", 16, bad=[("one", 1)]),
        width=Arg("positive", 0.1),
        amplitude_range=Arg("opaque", (0.5, 2.0), bad=[
            ("reversed", (2.0, 0.5)), ("zero", (0.0, 2.0)), ("nan", (np.nan, 2.0)),
            ("inf", (0.5, np.inf)), ("length", (0.5, 1.0, 2.0)), ("scalar", 1.0),
            ("string", "ab"), ("complex", (0.5j, 2.0))])),
}
