"""The HiPPO-LegS matrix and its normal-plus-low-rank form."""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from ._common import StateSpace


class NPLR(NamedTuple):
    """Normal-plus-low-rank form :math:`A = V \\operatorname{diag}(\\Lambda) V^* - P P^\\top`.

    Attributes
    ----------
    Lambda : complex array of shape (N,)
        Eigenvalues of the normal part :math:`S = A + P P^\\top` (real part :math:`-1/2`).
    V : complex array of shape (N, N)
        Unitary eigenvectors of :math:`S`.
    P : array of shape (N,)
        The low-rank factor, :math:`P_n = \\sqrt{n + 1/2}`.
    B : array of shape (N,)
        The LegS input vector, :math:`B_n = \\sqrt{2n+1}`.
    S : array of shape (N, N)
        The normal part itself (real; :math:`S + I/2` is skew-symmetric).
    """

    Lambda: jax.Array
    V: jax.Array
    P: jax.Array
    B: jax.Array
    S: jax.Array


def hippo_legs(N: int) -> StateSpace:
    """The HiPPO-LegS state matrix and input vector (the S4 convention).

    .. math::

        A_{nk} = -\\begin{cases} \\sqrt{2n+1}\\sqrt{2k+1} & n > k \\\\ n + 1 & n = k \\\\
        0 & n < k \\end{cases}, \\qquad B_n = \\sqrt{2n+1}.

    Parameters
    ----------
    N : int
        State size, ``N >= 1``.

    Returns
    -------
    StateSpace
        ``(A, B)``: ``A`` of shape (N, N), lower triangular with eigenvalues
        :math:`-1, \\dots, -N`, and ``B`` of shape (N,).

    Raises
    ------
    TypeError
        ``N`` is not an int.
    ValueError
        ``N < 1``.

    References
    ----------
    :cite:p:`gu2020hippo,gu2022efficiently`

    See Also
    --------
    hippo_legs_nplr : its normal-plus-low-rank decomposition.
    """
    N = _checks.check_int(N, "N", "ssm.hippo_legs", min_val=1)
    n = np.arange(N, dtype=float)
    r = np.sqrt(2 * n + 1)
    A = -np.tril(np.outer(r, r), -1) - np.diag(n + 1)
    return StateSpace(jnp.asarray(A), jnp.asarray(r))


def hippo_legs_nplr(N: int) -> NPLR:
    """Normal-plus-low-rank decomposition of HiPPO-LegS.

    With :math:`P_n = \\sqrt{n+1/2}`, the matrix :math:`S = A + P P^\\top` equals
    :math:`-\\tfrac12 I` plus a skew-symmetric matrix, so it is normal and is diagonalised
    by a unitary :math:`V` (computed here from the Hermitian matrix
    :math:`-i(S + I/2)` with ``eigh``, which is backward stable).

    Parameters
    ----------
    N : int
        State size, ``N >= 1``.

    Returns
    -------
    NPLR
        ``Lambda, V, P, B, S`` with :math:`A = V \\operatorname{diag}(\\Lambda) V^* - P P^\\top`.

    Raises
    ------
    TypeError
        ``N`` is not an int.
    ValueError
        ``N < 1``.

    References
    ----------
    :cite:p:`gu2022efficiently,gu2022parameterization`

    See Also
    --------
    scipy.linalg.eigh : the Hermitian eigensolver used on the skew part.
    """
    N = _checks.check_int(N, "N", "ssm.hippo_legs_nplr", min_val=1)
    A, B = (np.asarray(x) for x in hippo_legs(N))
    P = np.sqrt(np.arange(N) + 0.5)
    S = A + np.outer(P, P)
    mu, V = np.linalg.eigh(-1j * (S + 0.5 * np.eye(N)))   # Hermitian: backward stable
    return NPLR(Lambda=jnp.asarray(-0.5 + 1j * mu), V=jnp.asarray(V), P=jnp.asarray(P),
                B=jnp.asarray(B), S=jnp.asarray(S))
