"""Spectral positional encodings: SPE and sign alignment."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp

from .. import _checks


def spe_encoding(eigenvalues: Any, eigenvectors: Any,
                 phis: Sequence[Callable[[jax.Array], jax.Array]]) -> jax.Array:
    """Eigenvalue-weighted projections :math:`V\\,\\mathrm{diag}(\\phi_m(\\lambda))\\,V^\\top`.

    The linear core of stable and expressive positional encodings (SPE): each
    :math:`\\phi_m` acts on the eigenvalues, so vectors of equal eigenvalue are
    weighted equally and the output does not depend on the basis chosen inside
    an eigenspace (nor on signs). SPE then feeds these (n, n) channels to a
    permutation-equivariant network.

    Parameters
    ----------
    eigenvalues : array of shape (d,)
    eigenvectors : array of shape (n, d)
        Orthonormal columns.
    phis : sequence of callables
        Smooth maps :math:`\\phi_m`, applied elementwise to ``eigenvalues``.

    Returns
    -------
    jax.Array of shape (len(phis), n, n)

    Raises
    ------
    TypeError, ValueError
        Shapes that do not match; ``phis`` empty or not callables.

    References
    ----------
    :cite:p:`huang2024stability`

    See Also
    --------
    align_signs : the raw-eigenvector alternative (sign fixing only).
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.spe_encoding"
    V = _checks.as_matrix(eigenvectors, "eigenvectors", where)
    lam = _checks.as_vector(eigenvalues, "eigenvalues", where, size=V.shape[1])
    if not phis or not all(callable(f) for f in phis):
        raise _checks.fail(where, "phis", "a non-empty sequence of callables",
                           f"{phis!r}", exc=TypeError)
    return jnp.stack([(V * f(lam)[None, :]) @ V.T for f in phis])


def align_signs(V: Any, V_ref: Any) -> jax.Array:
    """Flip each column of ``V`` to best match the same column of ``V_ref``.

    The usual way to compare raw Laplacian eigenvectors: fixes the sign
    ambiguity, not the basis ambiguity of repeated eigenvalues.

    Parameters
    ----------
    V, V_ref : arrays of shape (n, d)

    Returns
    -------
    jax.Array of shape (n, d)

    Raises
    ------
    TypeError, ValueError
        Shapes that differ.

    See Also
    --------
    spe_encoding : a sign- and basis-invariant encoding.
    Explained in chapter 07_graph_spectra.
    """
    where = "graphs.align_signs"
    V = _checks.as_matrix(V, "V", where)
    R = _checks.as_matrix(V_ref, "V_ref", where)
    if V.shape != R.shape:
        raise _checks.fail(where, "V_ref", f"shape {tuple(V.shape)}", f"shape {tuple(R.shape)}")
    s = jnp.where(jnp.sum(V * R, axis=0) < 0, -1.0, 1.0)
    return V * s[None, :]
