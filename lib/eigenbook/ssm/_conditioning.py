"""Conditioning, perturb-then-diagonalise, transfer functions."""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from ._common import _state_matrix


def eigenvector_condition(A: Any) -> float:
    """Condition number :math:`\\kappa(V) = \\lVert V\\rVert_2 \\lVert V^{-1}\\rVert_2` of the
    eigenvector matrix of ``A`` (columns normalised to unit length).

    Parameters
    ----------
    A : array of shape (N, N)

    Returns
    -------
    kappa : float
        Saturates near :math:`1/\\varepsilon_{\\mathrm{mach}}` once ``V`` is numerically
        singular.

    Raises
    ------
    TypeError
        ``A`` is not numeric.
    ValueError
        ``A`` is not square or not finite.

    References
    ----------
    :cite:p:`yu2024robustifying`

    See Also
    --------
    numpy.linalg.cond, scipy.linalg.eig
    """
    A = _state_matrix(A, "ssm.eigenvector_condition")
    _, V = np.linalg.eig(np.asarray(A))      # LAPACK geev, unit-norm columns
    return float(np.linalg.cond(V))


class PTDResult(NamedTuple):
    """Result of :func:`perturb_then_diagonalize`.

    Attributes
    ----------
    Lambda : complex array of shape (N,)
        Eigenvalues of :math:`A + E`.
    V : complex array of shape (N, N)
        Its eigenvectors (unit columns).
    kappa : float
        :math:`\\kappa(V)`.
    E : array of shape (N, N)
        The perturbation used, :math:`\\lVert E\\rVert_2 = \\epsilon \\lVert A\\rVert_2`.
    """

    Lambda: jax.Array
    V: jax.Array
    kappa: float
    E: jax.Array


def perturb_then_diagonalize(A: Any, eps: float, *, key: jax.Array) -> PTDResult:
    """Perturb-then-diagonalise (PTD): diagonalise :math:`A + E` instead of :math:`A`.

    :math:`E` is a Gaussian matrix scaled to :math:`\\lVert E\\rVert_2 = \\epsilon
    \\lVert A\\rVert_2`. For a highly non-normal :math:`A` (HiPPO-LegS) the eigenvectors of
    :math:`A` are numerically dependent, while those of :math:`A + E` are much better
    conditioned; the transfer functions then differ by roughly
    :math:`\\lVert E\\rVert\\,\\kappa(\\tilde V)` (backward stability). The paper chooses
    :math:`E` by optimisation; a random :math:`E` is the simple version used here.

    Parameters
    ----------
    A : array of shape (N, N)
    eps : float
        Relative size of the perturbation, ``eps >= 0`` (0: plain diagonalisation).
    key : jax.Array
        PRNG key for :math:`E`.

    Returns
    -------
    PTDResult

    Raises
    ------
    TypeError
        Non-numeric ``A`` or a bad ``key``.
    ValueError
        ``A`` not square or ``eps < 0``.

    References
    ----------
    :cite:p:`yu2024robustifying`

    See Also
    --------
    scipy.linalg.eig : the eigendecomposition applied to :math:`A + E`.
    """
    where = "ssm.perturb_then_diagonalize"
    A = _state_matrix(A, where)
    eps = _checks.check_scalar(eps, "eps", where, min_val=0.0)
    key = _checks.check_key(key, "key", where)
    G = jax.random.normal(key, A.shape, dtype=A.real.dtype)
    E = eps * jnp.linalg.norm(A, 2) * G / jnp.linalg.norm(G, 2)
    Lam, V = np.linalg.eig(np.asarray(A + E))
    return PTDResult(Lambda=jnp.asarray(Lam), V=jnp.asarray(V), kappa=float(np.linalg.cond(V)),
                     E=E)


@functools.partial(jax.jit, static_argnames=("lower",))
def _tf_dense(A, B, C, s, lower):
    eye = jnp.eye(A.shape[0], dtype=A.dtype)
    if lower:   # triangular (HiPPO-LegS): O(N^2) per point
        def one(z):
            return jax.scipy.linalg.solve_triangular(z * eye - A, B, lower=True)
    else:
        def one(z):
            return jnp.linalg.solve(z * eye - A, B)
    return jax.vmap(one)(s) @ C


def transfer_function(A: Any, B: Any, C: Any, s: Any) -> jax.Array:
    """Transfer function :math:`G(s) = C (sI - A)^{-1} B` at points ``s``.

    For a diagonal ``A`` (pass its diagonal as a vector) this is
    :math:`\\sum_n C_n B_n / (s - \\lambda_n)`, :math:`O(N)` per point; dense ``A`` costs
    one :math:`O(N^3)` solve per point, or :math:`O(N^2)` when ``A`` is lower triangular
    (HiPPO-LegS), which is detected and solved by substitution.

    Parameters
    ----------
    A : array of shape (N, N), or of shape (N,) for a diagonal state matrix
    B, C : arrays of shape (N,)
    s : array of shape (m,)
        Complex frequencies, e.g. :math:`s = i\\omega`.

    Returns
    -------
    G : complex array of shape (m,)

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree.

    References
    ----------
    :cite:p:`yu2024robustifying`

    See Also
    --------
    scipy.signal.freqresp : the frequency response of an LTI system.
    """
    where = "ssm.transfer_function"
    arr = _checks.as_array(A, "A", where, ndim=(1, 2), allow_complex=True,
                           rule="an array of shape (N, N) or (N,)")
    s = _checks.as_vector(s, "s", where, allow_complex=True, allow_empty=False).astype(complex)
    if arr.ndim == 1:
        lam = _checks.as_vector(arr, "A", where,
                                allow_complex=True, allow_empty=False).astype(complex)
        N = lam.shape[0]
        B = _checks.as_vector(B, "B", where, size=N,
                              allow_complex=True, allow_empty=False).astype(complex)
        C = _checks.as_vector(C, "C", where, size=N,
                              allow_complex=True, allow_empty=False).astype(complex)
        return (1.0 / (s[:, None] - lam[None, :])) @ (C * B)
    A = _state_matrix(A, where).astype(complex)
    N = A.shape[0]
    B = _checks.as_vector(B, "B", where, size=N,
                          allow_complex=True, allow_empty=False).astype(complex)
    C = _checks.as_vector(C, "C", where, size=N,
                          allow_complex=True, allow_empty=False).astype(complex)
    lower = bool(jnp.all(jnp.triu(A, 1) == 0))
    return _tf_dense(A, B, C, s, lower)
