"""Atomic eigenvalues (chapter 19): ``physics.radial_fem_eigh`` (p-FEM, GLL elements, dense
generalized ``eigh``) against a ``scipy.integrate.solve_ivp`` + ``scipy.optimize.brentq``
shooting solver (``physics.radial_shooting``, the stand-in for dftatom).

Problem: the hydrogen-like radial Schrödinger equation with Z = 92, l = 0, the lowest k
s states; featom's mesh (r_max = 50, 7 exponential elements of ratio 100, p = 31, 53
quadrature points). The shooting side gets brackets of ±0.1 % around the exact energies.
Accuracy, for both sides: the largest error against E_n = −Z²/(2n²) (hartree).
"""

from __future__ import annotations

import numpy as np
from eigenbook import physics
from eigenbook.book.bench import BenchCase, Side

SIZES = {"full": {"k": 4}, "quick": {"k": 1, "repeats": 1}}
Z = 92.0


def setup(size, seed):
    k = size["k"]
    exact = -Z**2 / (2 * np.arange(1, k + 1) ** 2)
    return {"k": k, "exact": exact, "mesh": physics.exponential_mesh(0.0, 50.0, 7, 100.0),
            "brackets": np.stack([exact * 1.001, exact * 0.999], axis=1)}


def accuracy(inp, out, side):
    return {"max error (Ha)": float(np.max(np.abs(np.asarray(out) - inp["exact"])))}


CASES = [
    BenchCase("physics.radial_fem-vs-shooting", "19_physical_eigenproblems",
              "Z = 92, l = 0, lowest {k} s states", SIZES, setup,
              Side("physics.radial_fem_eigh (7 el., p = 31)", lambda i: physics.radial_fem_eigh(
                  Z, 0, i["mesh"], p=31, k=i["k"], n_quad=53).energies),
              Side("solve_ivp (DOP853) + brentq", lambda i: physics.radial_shooting(
                  Z, 0, i["brackets"]).energies),
              accuracy, "largest |E − (−Z²/2n²)| over the k states, hartree"),
]
