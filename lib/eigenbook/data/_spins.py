"""Small spin chains as dense matrices (chapter 19): a transverse-field Ising model and
a random local Pauli perturbation."""

from __future__ import annotations

import functools

import jax
import numpy as np

from eigenbook import _checks

from ._random import numpy_rng

__all__ = ["transverse_field_ising", "random_local_pauli"]

_PAULI = {
    "I": np.eye(2),
    "X": np.array([[0.0, 1.0], [1.0, 0.0]]),
    "Y": np.array([[0.0, -1j], [1j, 0.0]]),
    "Z": np.array([[1.0, 0.0], [0.0, -1.0]]),
}


def _site_op(ops: dict[int, str], n: int) -> np.ndarray:
    out = np.ones((1, 1))
    for i in range(n):
        out = np.kron(out, _PAULI[ops.get(i, "I")])
    return out


@functools.lru_cache(maxsize=16)
def _tfim(n: int, J: float, h: float, periodic: bool) -> np.ndarray:
    H = np.zeros((2**n, 2**n))
    bonds = range(n) if periodic else range(n - 1)
    for i in bonds:
        H -= J * _site_op({i: "Z", (i + 1) % n: "Z"}, n).real
    for i in range(n):
        H -= h * _site_op({i: "X"}, n).real
    return H


def transverse_field_ising(n: int, *, J: float = 1.0, h: float = 1.0,
                           periodic: bool = False) -> np.ndarray:
    """The transverse-field Ising chain ``H = -J sum Z_i Z_{i+1} - h sum X_i``, dense.

    Parameters
    ----------
    n : int
        Number of spins, ``2 <= n <= 12`` (dimension ``2**n``).
    J, h : float
        Coupling and transverse field.
    periodic : bool
        Close the chain into a ring.

    Returns
    -------
    ndarray of shape (2**n, 2**n)
        Real symmetric.
    """
    where = "data.transverse_field_ising"
    n = _checks.check_int(n, "n", where, min_val=2, max_val=12)
    J = _checks.check_scalar(J, "J", where)
    h = _checks.check_scalar(h, "h", where)
    return _tfim(n, J, h, bool(periodic)).copy()


def random_local_pauli(n: int, *, key: jax.Array, n_terms: int | None = None) -> np.ndarray:
    """A random sum of one- and two-site Pauli strings, scaled to spectral norm 1.

    Each term is ``c P_i Q_{i+1}`` or ``c P_i`` with a uniformly chosen site, Paulis in
    {X, Y, Z} and a standard normal ``c``.

    Parameters
    ----------
    n : int
        Number of spins, ``2 <= n <= 12``.
    key : PRNG key
        The draw.
    n_terms : int, optional
        Number of terms (default ``2 n``).

    Returns
    -------
    ndarray of shape (2**n, 2**n)
        Complex Hermitian with ``norm(V, 2) == 1``.
    """
    where = "data.random_local_pauli"
    n = _checks.check_int(n, "n", where, min_val=2, max_val=12)
    key = _checks.check_key(key, "key", where)
    n_terms = 2 * n if n_terms is None else _checks.check_int(n_terms, "n_terms", where,
                                                             min_val=1)
    rng = numpy_rng(key)
    V = np.zeros((2**n, 2**n), dtype=complex)
    for _ in range(n_terms):
        i = int(rng.integers(n))
        ops = {i: "XYZ"[rng.integers(3)]}
        if rng.random() < 0.5 and i + 1 < n:
            ops[i + 1] = "XYZ"[rng.integers(3)]
        V += rng.standard_normal() * _site_op(ops, n)
    V = (V + V.conj().T) / 2
    return V / np.abs(np.linalg.eigvalsh(V)).max()      # Hermitian: the spectral norm
