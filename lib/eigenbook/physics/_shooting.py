"""A shooting reference for the radial Coulomb problem (scipy ``solve_ivp`` + ``brentq``)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.integrate
import scipy.optimize

from .. import _checks

__all__ = ["ShootingResult", "radial_shooting"]


class ShootingResult(NamedTuple):
    """What :func:`radial_shooting` returns.

    Attributes
    ----------
    energies : ndarray of shape (k,)
        Eigenvalues for the requested brackets, ascending.
    n_shots : int
        Number of ODE integrations (the cost measure of shooting).
    """

    energies: np.ndarray
    n_shots: int


def _shoot(E, Z, l, rtol):
    kappa = np.sqrt(-2.0 * E)
    r_turn = Z / (-E)                               # outer classical turning point for l = 0
    r_end = r_turn + 36.0 / kappa                   # Dirichlet here: shifts E by ~exp(-72)
    r0 = 1e-6 * min(1.0, 1.0 / Z)
    # u = r^(l+1) (1 - Z r / (l + 1) + ...): the Coulomb cusp in the start values
    u0 = r0 ** (l + 1) * (1 - Z * r0 / (l + 1))
    du0 = (l + 1) * r0**l - (l + 2) * Z * r0 ** (l + 1) / (l + 1)
    ll = l * (l + 1)

    def rhs(r, y):
        return [y[1], (ll / r**2 - 2.0 * Z / r - 2.0 * E) * y[0]]

    sol = scipy.integrate.solve_ivp(rhs, (r0, r_end), [u0, du0], method="DOP853", rtol=rtol,
                                    atol=1e-300)
    return sol.y[0, -1] / (np.abs(sol.y[0]).max() + 1e-300)


def radial_shooting(Z: float, l: int, brackets: np.ndarray, *, rtol: float = 1e-12,
                    xtol: float = 1e-12) -> ShootingResult:
    """Eigenvalues of -1/2 u'' + (l(l+1)/(2r^2) - Z/r) u = E u by shooting.

    Integrates outwards from ``r0 = 1e-6 min(1, 1/Z)`` with ``u ~ r^(l+1)`` to 36 decay
    lengths beyond the turning point, and finds the energies where ``u`` vanishes
    there by Brent's method inside each bracket.

    Parameters
    ----------
    Z : float
        Nuclear charge, ``> 0``.
    l : int
        Angular momentum, ``>= 0``.
    brackets : array of shape (k, 2)
        Negative energy intervals ``[lo, hi]``, each holding exactly one eigenvalue.
    rtol : float
        ``solve_ivp`` relative tolerance.
    xtol : float
        ``brentq`` relative tolerance on E.

    Returns
    -------
    ShootingResult

    Raises
    ------
    ValueError
        Bad ``Z``, ``l`` or tolerances; brackets not negative, not ordered, or without a
        sign change.
    """
    where = "physics.radial_shooting"
    Z = _checks.check_scalar(Z, "Z", where, min_val=0.0, strict_min=True)
    l = _checks.check_int(l, "l", where, min_val=0)
    rtol = _checks.check_scalar(rtol, "rtol", where, min_val=0.0, strict_min=True)
    xtol = _checks.check_scalar(xtol, "xtol", where, min_val=0.0, strict_min=True)
    br = np.asarray(_checks.as_array(brackets, "brackets", where, ndim=2,
                                     rule="an array of shape (k, 2)"), dtype=np.float64)
    if br.shape[1] != 2 or br.shape[0] == 0:
        raise _checks.fail(where, "brackets", "shape (k, 2) with k >= 1", f"shape {br.shape}")
    if not (np.all(br[:, 0] < br[:, 1]) and np.all(br[:, 1] < 0)):
        raise _checks.fail(where, "brackets", "negative intervals lo < hi < 0", repr(br.tolist()))
    shots = 0
    out = []
    for lo, hi in br:
        def f(E):
            nonlocal shots
            shots += 1
            return _shoot(E, Z, l, rtol)
        flo, fhi = f(lo), f(hi)
        if np.sign(flo) == np.sign(fhi):
            raise _checks.fail(where, "brackets", "a sign change of u(r_end) in each bracket",
                               f"none in [{lo}, {hi}]")
        out.append(scipy.optimize.brentq(f, lo, hi, xtol=1e-300, rtol=max(xtol, 4.5e-16)))
    return ShootingResult(np.sort(np.array(out)), shots)
