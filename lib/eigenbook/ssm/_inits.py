"""Diagonal initialisations: S4D-Lin, S4D-Inv, S4D-LegS."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from .. import _checks
from ._common import DiagonalInit
from ._hippo import hippo_legs_nplr


def _half(N: int, where: str) -> int:
    N = _checks.check_int(N, "N", where, min_val=2)
    if N % 2:
        raise _checks.fail(where, "N", "an even state size (conjugate pairs)", f"N={N}")
    return N // 2


def s4d_lin_init(N: int) -> jax.Array:
    """S4D-Lin eigenvalues :math:`\\lambda_n = -\\tfrac12 + i\\pi n`, :math:`n < N/2`.

    Parameters
    ----------
    N : int
        Real state size (even); ``N/2`` modes are returned, one per conjugate pair.

    Returns
    -------
    Lambda : complex array of shape (N // 2,)

    Raises
    ------
    TypeError
        ``N`` is not an int.
    ValueError
        ``N`` is odd or ``< 2``.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    s4d_inv_init, s4d_legs_init
    """
    h = _half(N, "ssm.s4d_lin_init")
    return -0.5 + 1j * jnp.pi * jnp.arange(h, dtype=float)


def s4d_inv_init(N: int) -> jax.Array:
    """S4D-Inv eigenvalues, an inverse law.

    :math:`\\lambda_n = -\\tfrac12 + i\\tfrac{N}{\\pi}\\big(\\tfrac{N}{2n+1} - 1\\big)`,
    which approximates the imaginary parts of the S4D-LegS spectrum.

    Parameters
    ----------
    N : int
        Real state size (even); ``N/2`` modes are returned.

    Returns
    -------
    Lambda : complex array of shape (N // 2,)

    Raises
    ------
    TypeError
        ``N`` is not an int.
    ValueError
        ``N`` is odd or ``< 2``.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    s4d_legs_init : the spectrum it approximates.
    """
    h = _half(N, "ssm.s4d_inv_init")
    n = jnp.arange(h, dtype=float)
    return -0.5 + 1j * (N / jnp.pi) * (N / (2 * n + 1) - 1)


def s4d_legs_init(N: int) -> DiagonalInit:
    """S4D-LegS: the diagonal restriction of HiPPO-LegS, with :math:`B/2`.

    The normal part :math:`S = V \\Lambda V^*` of :func:`hippo_legs_nplr` is kept and the
    low-rank term dropped; the input vector becomes :math:`V^* B / 2` (the factor 1/2 is
    what makes the kernel converge to the LegS kernel as :math:`N \\to \\infty`). One
    member (positive imaginary part) of each conjugate pair is returned.

    Parameters
    ----------
    N : int
        Real state size (even).

    Returns
    -------
    DiagonalInit
        ``(Lambda, B, V)``: ``Lambda``, complex of shape (N // 2,), the eigenvalues
        with positive imaginary part, ascending; ``B``, complex of shape (N // 2,),
        :math:`(V^* B/2)` for those modes; ``V``, complex of shape (N, N // 2), the
        matching eigenvectors, so that the state of the LegS basis is
        :math:`2\\,\\mathrm{Re}(V \\tilde x)`.

    Raises
    ------
    TypeError
        ``N`` is not an int.
    ValueError
        ``N`` is odd or ``< 2``.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    hippo_legs_nplr : the decomposition it restricts.
    """
    _half(N, "ssm.s4d_legs_init")
    d = hippo_legs_nplr(N)
    keep = jnp.argsort(jnp.where(d.Lambda.imag > 0, d.Lambda.imag, jnp.inf))[: N // 2]
    V = d.V[:, keep]
    return DiagonalInit(d.Lambda[keep], V.conj().T @ (d.B / 2), V)
