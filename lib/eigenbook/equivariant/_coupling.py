"""Clebsch–Gordan and Gaunt coefficients in the real basis, and tensor-product paths."""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache

import numpy as np

from .._checks import check_choice, check_int, fail
from ._harmonics import _complex_to_real, s2_quadrature, sph_harm_angles

__all__ = [
    "complex_clebsch_gordan",
    "real_clebsch_gordan",
    "real_gaunt",
    "tp_paths",
    "gaunt_to_cg_ratio",
]


def _triangle(where: str, l1: int, l2: int, l3: int) -> tuple[int, int, int]:
    l1 = check_int(l1, "l1", where, min_val=0)
    l2 = check_int(l2, "l2", where, min_val=0)
    l3 = check_int(l3, "l3", where, min_val=0)
    if not abs(l1 - l2) <= l3 <= l1 + l2:
        raise fail(where, "l3", f"|l1 - l2| <= l3 <= l1 + l2 (the triangle rule), "
                   f"here {abs(l1 - l2)} <= l3 <= {l1 + l2}", f"l3={l3}")
    return l1, l2, l3


def _cg_exact(j1: int, m1: int, j2: int, m2: int, J: int) -> float:
    """⟨j1 m1 j2 m2 | J m1+m2⟩ by Racah's formula, the sum done in exact rationals."""
    M = m1 + m2
    if abs(M) > J or abs(m1) > j1 or abs(m2) > j2:
        return 0.0
    f = math.factorial
    pre = Fraction((2 * J + 1) * f(J + j1 - j2) * f(J - j1 + j2) * f(j1 + j2 - J),
                   f(j1 + j2 + J + 1))
    pre *= f(J + M) * f(J - M) * f(j1 - m1) * f(j1 + m1) * f(j2 - m2) * f(j2 + m2)
    total = Fraction(0)
    for k in range(0, j1 + j2 - J + 1):
        args = (k, j1 + j2 - J - k, j1 - m1 - k, j2 + m2 - k, J - j2 + m1 + k, J - j1 - m2 + k)
        if min(args) < 0:
            continue
        den = 1
        for a in args:
            den *= f(a)
        total += Fraction((-1) ** k, den)
    if total == 0:
        return 0.0
    # sqrt(pre) * total, with the square root taken once in floating point
    return math.copysign(math.sqrt(float(pre * total * total)), float(total))


@cache
def _complex_cg(l1: int, l2: int, l3: int) -> np.ndarray:
    C = np.zeros((2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1))
    for m1 in range(-l1, l1 + 1):
        for m2 in range(-l2, l2 + 1):
            if abs(m1 + m2) <= l3:
                C[m1 + l1, m2 + l2, m1 + m2 + l3] = _cg_exact(l1, m1, l2, m2, l3)
    C.setflags(write=False)
    return C


def complex_clebsch_gordan(l1: int, l2: int, l3: int) -> np.ndarray:
    """Standard (Condon–Shortley) Clebsch–Gordan coefficients ``⟨l1 m1 l2 m2 | l3 m3⟩``.

    Racah's formula, with the alternating sum in exact rational arithmetic and a
    single floating-point square root, so entries are correct to round-off.

    Parameters
    ----------
    l1, l2, l3 : int
        Degrees obeying the triangle rule ``|l1 - l2| <= l3 <= l1 + l2``.

    Returns
    -------
    C : ndarray of shape (2l1 + 1, 2l2 + 1, 2l3 + 1), read-only
        ``C[m1 + l1, m2 + l2, m3 + l3]``.

    Raises
    ------
    ValueError
        A degree is negative or the triangle rule fails.

    See Also
    --------
    sympy.physics.wigner.clebsch_gordan : the exact reference used in the tests.
    """
    return _complex_cg(*_triangle("equivariant.complex_clebsch_gordan", l1, l2, l3))


@cache
def _real_cg(l1: int, l2: int, l3: int) -> np.ndarray:
    U1, U2, U3 = _complex_to_real(l1), _complex_to_real(l2), _complex_to_real(l3)
    C = np.einsum("am,bn,cp,mnp->abc", U1, U2, U3.conj(), _complex_cg(l1, l2, l3))
    # the change of basis leaves a global phase i^k, k = l1 + l2 - l3; remove it with
    # the sign (-1)^ceil(k/2), which is e3nn's convention (checked in the tests)
    k = l1 + l2 - l3
    C = (C.real if k % 2 == 0 else C.imag) * (-1) ** ((k + 1) // 2)
    C = np.ascontiguousarray(C)
    C.setflags(write=False)
    return C


def real_clebsch_gordan(l1: int, l2: int, l3: int) -> np.ndarray:
    """Real Clebsch–Gordan tensor: the equivariant bilinear map ``l1 × l2 → l3``.

    The complex coefficients changed to the package's real basis,
    ``C = U1 ⊗ U2 ⊗ conj(U3) · C_complex`` (:func:`complex_to_real`), with the
    remaining global phase removed. Normalisation: for fixed ``(l1, l2)`` the
    tensors of all ``l3`` together form an orthogonal matrix of size
    ``(2l1+1)(2l2+1)``, so ``Σ_{m1 m2} C[m1, m2, m3] C[m1, m2, m3'] = δ``. The sign
    of each path is e3nn's: in e3nn's frame (:func:`to_e3nn`) this tensor is
    ``√(2l3+1)`` times ``e3nn_jax.clebsch_gordan(l1, l2, l3)``.

    Parameters
    ----------
    l1, l2, l3 : int
        Degrees obeying the triangle rule.

    Returns
    -------
    C : ndarray of shape (2l1 + 1, 2l2 + 1, 2l3 + 1), read-only
        ``D_l3(R) C(x, y) = C(D_l1(R) x, D_l2(R) y)`` for every rotation ``R``.

    Raises
    ------
    ValueError
        A degree is negative or the triangle rule fails.

    See Also
    --------
    e3nn_jax.clebsch_gordan : the reference, in e3nn's frame and with unit Frobenius norm.

    References
    ----------
    :cite:p:`luo2024gaunt`
    """
    return _real_cg(*_triangle("equivariant.real_clebsch_gordan", l1, l2, l3))


@cache
def _real_gaunt(l1: int, l2: int, l3: int) -> np.ndarray:
    c, s, phi, w = s2_quadrature(l1 + l2 + l3)
    L = max(l1, l2, l3)
    C, P = np.meshgrid(c, phi, indexing="ij")
    S = np.sqrt(1 - C * C)
    Y = sph_harm_angles(L, C, S, P)  # (n_t, n_p, d)

    def block(l):
        return Y[..., l * l:(l + 1) ** 2]

    G = np.einsum("tp,tpa,tpb,tpc->abc", w, block(l1), block(l2), block(l3))
    G[np.abs(G) < 1e-15] = 0.0
    G.setflags(write=False)
    return G


def real_gaunt(l1: int, l2: int, l3: int) -> np.ndarray:
    """Real Gaunt coefficients ``∫ Y_l1m1 Y_l2m2 Y_l3m3 dΩ`` of the package's harmonics.

    Computed by a product quadrature exact to degree ``l1 + l2 + l3``
    (:func:`s2_quadrature`), so correct to round-off (entries below ``1e-15``
    are set to zero). Zero unless ``l1 + l2 + l3`` is even and the triangle rule holds.

    Parameters
    ----------
    l1, l2, l3 : int
        Degrees, ``>= 0`` (any triple; the triangle rule is not required).

    Returns
    -------
    G : ndarray of shape (2l1 + 1, 2l2 + 1, 2l3 + 1), read-only

    Raises
    ------
    ValueError
        A degree is negative.

    See Also
    --------
    sympy.physics.wigner.gaunt : the exact (complex-basis) reference used in the tests.

    References
    ----------
    :cite:p:`luo2024gaunt`
    """
    where = "equivariant.real_gaunt"
    return _real_gaunt(check_int(l1, "l1", where, min_val=0),
                       check_int(l2, "l2", where, min_val=0),
                       check_int(l3, "l3", where, min_val=0))


def gaunt_to_cg_ratio(l1: int, l2: int, l3: int) -> float:
    """The per-path scalar ``c`` with ``real_gaunt = c · real_clebsch_gordan`` (0 for odd paths).

    By the Wigner–Eckart theorem ``c = √((2l1+1)(2l2+1)/(4π(2l3+1))) ⟨l1 0 l2 0 | l3 0⟩``
    up to this package's sign convention; here it is read off the two tensors.

    Parameters
    ----------
    l1, l2, l3 : int
        Degrees obeying the triangle rule.

    Returns
    -------
    c : float

    Raises
    ------
    ValueError
        A degree is negative or the triangle rule fails.

    References
    ----------
    :cite:p:`luo2024gaunt`
    """
    l1, l2, l3 = _triangle("equivariant.gaunt_to_cg_ratio", l1, l2, l3)
    C = _real_cg(l1, l2, l3)
    G = _real_gaunt(l1, l2, l3)
    return float(np.sum(G * C) / np.sum(C * C))


def tp_paths(L1: int, L2: int, L_out: int | None = None, *,
             parity: str = "all") -> tuple[tuple[int, int, int], ...]:
    """All paths ``(l1, l2, l3)`` of the tensor product of degrees ``0..L1`` by ``0..L2``.

    Parameters
    ----------
    L1, L2 : int
        Largest input degrees.
    L_out : int, optional
        Largest output degree kept (default ``L1 + L2``: the full product).
    parity : {"all", "even", "odd"}
        Keep every path, or only those with ``l1 + l2 + l3`` even (the paths a
        Gaunt product can reach) or odd.

    Returns
    -------
    paths : tuple of (l1, l2, l3)
        Sorted by ``l1``, then ``l2``, then ``l3``.

    Raises
    ------
    ValueError
        A negative degree or an unknown ``parity``.
    """
    where = "equivariant.tp_paths"
    L1 = check_int(L1, "L1", where, min_val=0)
    L2 = check_int(L2, "L2", where, min_val=0)
    L_out = L1 + L2 if L_out is None else check_int(L_out, "L_out", where, min_val=0)
    check_choice(parity, "parity", where, ("all", "even", "odd"))
    keep = {"all": (0, 1), "even": (0,), "odd": (1,)}[parity]
    return tuple((l1, l2, l3) for l1 in range(L1 + 1) for l2 in range(L2 + 1)
                 for l3 in range(abs(l1 - l2), min(l1 + l2, L_out) + 1)
                 if (l1 + l2 + l3) % 2 in keep)
