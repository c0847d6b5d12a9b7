"""Power-law tail fits (chapter 17): ``diagnostics.fit_powerlaw`` against ``powerlaw.Fit``.

Problem: the ESD (eigenvalues of WᵀW/N) of an m×n matrix with i.i.d. Student-t (ν = 2.5)
entries, a heavy-tailed spectrum. Both sides choose xmin among all values by the
Kolmogorov–Smirnov distance (Clauset et al.); ``powerlaw`` is given the α range [1, 100]
(its default (0, 3) clips larger exponents). Accuracy, for both sides: |α − α_ref| and
|xmin − xmin_ref| against ``powerlaw``'s answer (0 for the reference itself).
"""

from __future__ import annotations

import jax
import numpy as np
import powerlaw
from eigenbook import data, diagnostics
from eigenbook.book.bench import BenchCase, Side

SIZES = {"full": {"m": 512, "n": 1024}, "quick": {"m": 64, "n": 128, "repeats": 1}}


def setup(size, seed):
    W = data.random_weights(size["m"], size["n"], key=jax.random.key(seed), dist="student_t",
                            df=2.5)
    lam = np.asarray(diagnostics.esd(W).eigenvalues)
    ref = powerlaw.Fit(lam, verbose=0, parameter_ranges={"alpha": [1, 100]})
    return {"lam": lam, "alpha": float(ref.power_law.alpha), "xmin": float(ref.xmin)}


def _fit(out):
    if isinstance(out, diagnostics.PowerLawFit):
        return out.alpha, out.xmin
    return float(out.power_law.alpha), float(out.xmin)


def accuracy(inp, out, side):
    a, x = _fit(out)
    return {"|Δα|": abs(a - inp["alpha"]), "|Δxmin|": abs(x - inp["xmin"])}


CASES = [
    BenchCase("diagnostics.fit_powerlaw-vs-powerlaw", "17_spectral_diagnostics",
              "ESD of a Student-t(2.5) {m}×{n} matrix, xmin by KS", SIZES, setup,
              Side("diagnostics.fit_powerlaw", lambda i: diagnostics.fit_powerlaw(i["lam"])),
              Side("powerlaw.Fit (α range [1, 100])",
                   lambda i: powerlaw.Fit(i["lam"], verbose=0,
                                          parameter_ranges={"alpha": [1, 100]})),
              accuracy, "|α − α_ref| and |xmin − xmin_ref| against powerlaw.Fit's answer"),
]
