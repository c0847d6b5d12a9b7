"""Linear state-space models: HiPPO, diagonal (S4D) and perturbed kernels.

A continuous linear time-invariant state-space model (SSM) maps an input
:math:`u(t)` to an output :math:`y(t)` through a state :math:`x(t) \\in \\mathbb{C}^N`,

.. math::

    x'(t) = A x(t) + B u(t), \\qquad y(t) = C x(t).

Sampled with a step :math:`\\Delta` it becomes the recurrence
:math:`x_k = \\bar A x_{k-1} + \\bar B u_k`, :math:`y_k = C x_k`, whose output is the
causal convolution of :math:`u` with the kernel :math:`K_k = C \\bar A^k \\bar B`. This
module builds the HiPPO-LegS matrix and its normal-plus-low-rank form, the diagonal
initialisations of S4D, the two discretisations, the kernel three ways (recurrence,
Vandermonde product, FFT convolution), transfer functions, eigenvector condition
numbers, perturb-then-diagonalise, and a tiny trainable S4D layer. The chapter
:ref:`state-space-models` explains all of it.

Conventions: ``A`` is a dense ``(N, N)`` matrix or, for a diagonal SSM, the vector
``Lambda`` of shape ``(N,)`` of its diagonal; ``B`` has shape ``(N,)``, ``C`` shape
``(N,)`` (single input, single output). Diagonal S4D models store one member of each
complex-conjugate pair, and their real kernel is twice the real part of the complex one.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from . import _checks

__all__ = [
    "NPLR",
    "PTDResult",
    "S4DParams",
    "hippo_legs",
    "hippo_legs_nplr",
    "discretize",
    "discretize_diag",
    "ssm_kernel_recurrence",
    "ssm_kernel_vandermonde",
    "fft_convolve",
    "s4d_lin_init",
    "s4d_inv_init",
    "s4d_legs_init",
    "eigenvector_condition",
    "perturb_then_diagonalize",
    "transfer_function",
    "warped_legendre",
    "legendre",
    "memory_length",
    "state_impulse_response",
    "exponential_input_state",
    "continuous_impulse_response",
    "diag_to_real",
    "s4d_init",
    "s4d_apply",
]


# -- validation helpers (complex-aware; the shared ones are real-only) ------------------------

def _as_cvector(x: Any, name: str, where: str, *, size: int | None = None) -> jax.Array:
    """Return ``x`` as a finite 1-D (real or complex) JAX array."""
    arr = _checks._as_numeric(x, name, where, "a 1-D array", None)
    if arr.dtype.kind not in "iufc":
        raise _checks.fail(where, name, "a numeric array", f"dtype {arr.dtype}", exc=TypeError)
    if arr.dtype.kind in "iu":
        arr = arr.astype(jnp.result_type(float))
    if arr.ndim != 1:
        raise _checks.fail(where, name, "a 1-D array of shape (N,)",
                           f"an array of shape {tuple(arr.shape)}")
    if arr.shape[0] == 0:
        raise _checks.fail(where, name, "a non-empty array", "shape (0,)")
    if size is not None and arr.shape[0] != size:
        raise _checks.fail(where, name, f"shape ({size},)", f"shape {tuple(arr.shape)}")
    _checks.check_finite(arr, name, where)
    return jnp.asarray(arr)


def _state_matrix(A: Any, where: str) -> jax.Array:
    return _checks.as_matrix(A, "A", where, square=True, allow_complex=True)


# -- matrix exponential (small dense matrices, no compilation per shape) ----------------------

_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)


def _expm(M: np.ndarray) -> np.ndarray:
    """Matrix exponential by scaling and squaring with the degree-13 Pade approximant.

    Higham's (2005) algorithm without the lower-degree shortcuts: scale so that the 1-norm is
    at most 5.37, evaluate the [13/13] Pade approximant, square back. For the small dense
    matrices of this module NumPy/LAPACK is faster than compiling JAX's ``expm`` per shape.
    """
    M = np.asarray(M)
    b = _PADE13
    norm1 = np.abs(M).sum(axis=0).max()
    s = max(0, int(np.ceil(np.log2(norm1 / 5.371920351148152)))) if norm1 > 0 else 0
    X = M / 2.0**s
    eye = np.eye(X.shape[0], dtype=X.dtype)
    X2 = X @ X
    X4 = X2 @ X2
    X6 = X4 @ X2
    U = X @ (X6 @ (b[13] * X6 + b[11] * X4 + b[9] * X2) + b[7] * X6 + b[5] * X4
             + b[3] * X2 + b[1] * eye)
    V = X6 @ (b[12] * X6 + b[10] * X4 + b[8] * X2) + b[6] * X6 + b[4] * X4 + b[2] * X2 \
        + b[0] * eye
    R = np.linalg.solve(V - U, V + U)
    for _ in range(s):
        R = R @ R
    return R


# -- HiPPO-LegS ---------------------------------------------------------------------------------

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


def hippo_legs(N: int) -> tuple[jax.Array, jax.Array]:
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
    A : array of shape (N, N)
        Lower triangular, eigenvalues :math:`-1, \\dots, -N`.
    B : array of shape (N,)

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
    return jnp.asarray(A), jnp.asarray(r)


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


# -- discretisation -----------------------------------------------------------------------------

def discretize(A: Any, B: Any, dt: float, method: str = "zoh") -> tuple[jax.Array, jax.Array]:
    """Discretise a dense SSM with step ``dt``.

    Zero-order hold (the input is constant on each step):
    :math:`\\bar A = e^{\\Delta A}`, :math:`\\bar B = \\int_0^\\Delta e^{sA} B\\,ds`, computed
    together as one exponential of the block matrix :math:`[[A, B], [0, 0]]` (no
    inverse of :math:`A` needed). Bilinear (Tustin):
    :math:`\\bar A = (I - \\tfrac{\\Delta}{2}A)^{-1}(I + \\tfrac{\\Delta}{2}A)`,
    :math:`\\bar B = (I - \\tfrac{\\Delta}{2}A)^{-1}\\Delta B`.

    Parameters
    ----------
    A : array of shape (N, N)
    B : array of shape (N,)
    dt : float
        Step :math:`\\Delta > 0`.
    method : {"zoh", "bilinear"}

    Returns
    -------
    Abar : array of shape (N, N)
    Bbar : array of shape (N,)

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree, ``dt <= 0``, or an unknown ``method``.

    References
    ----------
    :cite:p:`gu2022efficiently`

    See Also
    --------
    scipy.signal.cont2discrete : the same maps (``"zoh"``, ``"bilinear"``).
    discretize_diag : the elementwise version for diagonal ``A``.
    """
    where = "ssm.discretize"
    A = _state_matrix(A, where)
    N = A.shape[0]
    B = _as_cvector(B, "B", where, size=N)
    dt = _checks.check_scalar(dt, "dt", where, min_val=0.0, strict_min=True)
    method = _checks.check_choice(method, "method", where, ("zoh", "bilinear"))
    dtype = jnp.result_type(A, B)
    A, B = A.astype(dtype), B.astype(dtype)
    if method == "zoh":
        M = np.zeros((N + 1, N + 1), dtype)
        M[:N, :N], M[:N, N] = dt * np.asarray(A), dt * np.asarray(B)
        E = _expm(M)
        return jnp.asarray(E[:N, :N]), jnp.asarray(E[:N, N])
    eye = jnp.eye(N, dtype=dtype)
    left = eye - dt / 2 * A
    Abar = jnp.linalg.solve(left, eye + dt / 2 * A)
    Bbar = jnp.linalg.solve(left, dt * B)
    return Abar, Bbar


def discretize_diag(Lambda: Any, B: Any, dt: Any, method: str = "zoh"
                    ) -> tuple[jax.Array, jax.Array]:
    """Discretise a diagonal SSM elementwise (the S4D form).

    Zero-order hold: :math:`\\bar\\lambda = e^{\\Delta\\lambda}`,
    :math:`\\bar B = (e^{\\Delta\\lambda} - 1)/\\lambda \\cdot B`; bilinear:
    :math:`\\bar\\lambda = (1 + \\Delta\\lambda/2)/(1 - \\Delta\\lambda/2)`,
    :math:`\\bar B = \\Delta B/(1 - \\Delta\\lambda/2)`.

    Parameters
    ----------
    Lambda : complex array of shape (N,)
        Diagonal of :math:`A`, nonzero for ``"zoh"``.
    B : array of shape (N,)
    dt : float
        Step :math:`\\Delta > 0`.
    method : {"zoh", "bilinear"}

    Returns
    -------
    Lambda_bar : complex array of shape (N,)
    Bbar : complex array of shape (N,)

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree, ``dt <= 0``, a zero eigenvalue with ``"zoh"``, or an unknown
        ``method``.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    scipy.signal.cont2discrete : the dense reference.
    discretize : the dense version.
    """
    where = "ssm.discretize_diag"
    Lambda = _as_cvector(Lambda, "Lambda", where)
    B = _as_cvector(B, "B", where, size=Lambda.shape[0])
    dt = _checks.check_scalar(dt, "dt", where, min_val=0.0, strict_min=True)
    method = _checks.check_choice(method, "method", where, ("zoh", "bilinear"))
    if method == "zoh" and bool(jnp.any(Lambda == 0)):
        raise _checks.fail(where, "Lambda", "nonzero eigenvalues for method='zoh'",
                           "a zero entry", "Use method='bilinear' or shift the spectrum.")
    return _discretize_diag(Lambda.astype(complex), B.astype(complex), dt, method)


def _discretize_diag(Lambda, B, dt, method):
    if method == "zoh":
        Lbar = jnp.exp(dt * Lambda)
        return Lbar, (Lbar - 1) / Lambda * B
    denom = 1 - dt / 2 * Lambda
    return (1 + dt / 2 * Lambda) / denom, dt * B / denom


# -- the kernel three ways ----------------------------------------------------------------------

@functools.partial(jax.jit, static_argnames=("L",))
def _recurrence_impl(Abar, Bbar, C, L):
    def step(x, _):
        return Abar @ x, C @ x

    _, K = lax.scan(step, Bbar, None, length=L)
    return K


def ssm_kernel_recurrence(Abar: Any, Bbar: Any, C: Any, L: int) -> jax.Array:
    """The kernel :math:`K_k = C \\bar A^k \\bar B`, :math:`k < L`, by running the recurrence.

    :math:`L` matrix-vector products: :math:`O(N^2 L)` for dense :math:`\\bar A`.

    Parameters
    ----------
    Abar : array of shape (N, N)
        Discrete state matrix.
    Bbar, C : arrays of shape (N,)
    L : int
        Kernel length, ``L >= 1``.

    Returns
    -------
    K : array of shape (L,)
        Complex when any input is complex.

    Raises
    ------
    TypeError
        Non-numeric inputs or non-int ``L``.
    ValueError
        Shapes disagree or ``L < 1``.

    References
    ----------
    :cite:p:`gu2022efficiently`

    See Also
    --------
    scipy.signal.dimpulse : the impulse response of the same discrete system.
    ssm_kernel_vandermonde : the :math:`O(NL)` diagonal version.
    """
    where = "ssm.ssm_kernel_recurrence"
    Abar = _state_matrix(Abar, where)
    N = Abar.shape[0]
    Bbar = _as_cvector(Bbar, "Bbar", where, size=N)
    C = _as_cvector(C, "C", where, size=N)
    L = _checks.check_int(L, "L", where, min_val=1)
    dtype = jnp.result_type(Abar, Bbar, C)
    return _recurrence_impl(Abar.astype(dtype), Bbar.astype(dtype), C.astype(dtype), L)


@functools.partial(jax.jit, static_argnames=("L",))
def _vandermonde_impl(log_Lbar, CB, L):
    k = jnp.arange(L, dtype=log_Lbar.real.dtype)
    return CB @ jnp.exp(log_Lbar[:, None] * k[None, :])


def ssm_kernel_vandermonde(Lambda_bar: Any, Bbar: Any, C: Any, L: int, *,
                           conj_pairs: bool = False) -> jax.Array:
    """The diagonal SSM kernel as a Vandermonde product, :math:`O(NL)`.

    :math:`K_k = \\sum_n C_n \\bar B_n \\bar\\lambda_n^k`, evaluated as
    :math:`(C \\circ \\bar B)^\\top \\mathcal V` with the Vandermonde matrix
    :math:`\\mathcal V_{nk} = \\exp(k \\log \\bar\\lambda_n)` (one exponential per entry, no
    repeated products, so the round-off does not grow with :math:`k` beyond that of
    :math:`k \\log\\bar\\lambda_n`).

    Parameters
    ----------
    Lambda_bar : complex array of shape (N,)
        Discrete eigenvalues (nonzero).
    Bbar, C : arrays of shape (N,)
    L : int
        Kernel length, ``L >= 1``.
    conj_pairs : bool
        The modes stand for conjugate pairs (S4D): return :math:`2\\,\\mathrm{Re}\\,K`.

    Returns
    -------
    K : array of shape (L,)
        Complex, or real when ``conj_pairs``.

    Raises
    ------
    TypeError
        Non-numeric inputs or non-int ``L``.
    ValueError
        Shapes disagree, a zero eigenvalue, or ``L < 1``.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    scipy.signal.dimpulse : the reference impulse response (of the equivalent real system,
        :func:`diag_to_real`).
    ssm_kernel_recurrence : the same kernel by the recurrence.
    """
    where = "ssm.ssm_kernel_vandermonde"
    Lambda_bar = _as_cvector(Lambda_bar, "Lambda_bar", where)
    N = Lambda_bar.shape[0]
    Bbar = _as_cvector(Bbar, "Bbar", where, size=N)
    C = _as_cvector(C, "C", where, size=N)
    L = _checks.check_int(L, "L", where, min_val=1)
    if bool(jnp.any(Lambda_bar == 0)):
        raise _checks.fail(where, "Lambda_bar", "nonzero eigenvalues", "a zero entry")
    K = _vandermonde_impl(jnp.log(Lambda_bar.astype(complex)),
                          (C * Bbar).astype(complex), L)
    return 2 * K.real if conj_pairs else K


@jax.jit
def _fft_convolve_impl(u, K):
    L = u.shape[-1]
    n = 2 * L
    if jnp.iscomplexobj(u) or jnp.iscomplexobj(K):
        y = jnp.fft.ifft(jnp.fft.fft(u, n) * jnp.fft.fft(K, n), n)
    else:
        y = jnp.fft.irfft(jnp.fft.rfft(u, n) * jnp.fft.rfft(K, n), n)
    return y[..., :L]


def fft_convolve(u: Any, K: Any) -> jax.Array:
    """Causal convolution :math:`y_k = \\sum_{j \\le k} K_j u_{k-j}` via the FFT.

    Both signals are zero-padded to length :math:`2L` so that the circular convolution of
    the FFT equals the linear one on the first :math:`L` entries: :math:`O(L \\log L)`.

    Parameters
    ----------
    u : array of shape (..., L)
        Input(s); leading axes are batch axes.
    K : array of shape (L,)
        Kernel.

    Returns
    -------
    y : array of shape (..., L)

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        ``K`` is not 1-D or its length differs from the last axis of ``u``.

    References
    ----------
    :cite:p:`gu2022efficiently`

    See Also
    --------
    scipy.signal.fftconvolve : the SciPy equivalent (full convolution, then truncate).
    """
    where = "ssm.fft_convolve"
    K = _as_cvector(K, "K", where)
    arr = _checks._as_numeric(u, "u", where, "an array of shape (..., L)", None)
    if arr.dtype.kind not in "iufc":
        raise _checks.fail(where, "u", "a numeric array", f"dtype {arr.dtype}", exc=TypeError)
    if arr.ndim < 1 or arr.shape[-1] != K.shape[0]:
        raise _checks.fail(where, "u", f"shape (..., {K.shape[0]}) matching K",
                           f"shape {tuple(arr.shape)}")
    _checks.check_finite(arr, "u", where)
    return _fft_convolve_impl(jnp.asarray(arr, dtype=jnp.result_type(arr.dtype, float)), K)


# -- diagonal initialisations -------------------------------------------------------------------

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


def s4d_legs_init(N: int) -> tuple[jax.Array, jax.Array, jax.Array]:
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
    Lambda : complex array of shape (N // 2,)
        Eigenvalues with positive imaginary part, ascending.
    B : complex array of shape (N // 2,)
        :math:`(V^* B/2)` for those modes.
    V : complex array of shape (N, N // 2)
        The matching eigenvectors, so that the state of the LegS basis is
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
    return d.Lambda[keep], V.conj().T @ (d.B / 2), V


# -- conditioning, perturbation, transfer functions ---------------------------------------------

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
    key = _checks.check_key(key, where)
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
    arr = _checks._as_numeric(A, "A", where, "an array of shape (N, N) or (N,)", None)
    s = _as_cvector(s, "s", where).astype(complex)
    if arr.ndim == 1:
        lam = _as_cvector(arr, "A", where).astype(complex)
        N = lam.shape[0]
        B = _as_cvector(B, "B", where, size=N).astype(complex)
        C = _as_cvector(C, "C", where, size=N).astype(complex)
        return (1.0 / (s[:, None] - lam[None, :])) @ (C * B)
    A = _state_matrix(A, where).astype(complex)
    N = A.shape[0]
    B = _as_cvector(B, "B", where, size=N).astype(complex)
    C = _as_cvector(C, "C", where, size=N).astype(complex)
    lower = bool(jnp.all(jnp.triu(A, 1) == 0))
    return _tf_dense(A, B, C, s, lower)


# -- Legendre basis and memory ------------------------------------------------------------------

def legendre(n_max: int, x: Any) -> jax.Array:
    """Legendre polynomials :math:`P_0, \\dots, P_{n_{\\max}-1}` at ``x`` (three-term recurrence).

    Parameters
    ----------
    n_max : int
        Number of polynomials, ``>= 1``.
    x : array of shape (m,)

    Returns
    -------
    P : array of shape (n_max, m)

    Raises
    ------
    TypeError
        Non-int ``n_max`` or non-numeric ``x``.
    ValueError
        ``n_max < 1`` or ``x`` not 1-D.

    See Also
    --------
    scipy.special.eval_legendre : the reference.
    """
    where = "ssm.legendre"
    n_max = _checks.check_int(n_max, "n_max", where, min_val=1)
    x = _checks.as_vector(x, "x", where)
    rows = [jnp.ones_like(x), x]
    for n in range(1, n_max - 1):
        rows.append(((2 * n + 1) * x * rows[n] - n * rows[n - 1]) / (n + 1))
    return jnp.stack(rows[:n_max])


def warped_legendre(N: int, t: Any) -> jax.Array:
    """The LegS basis in closed form: :math:`\\sqrt{2n+1}\\,P_n(2e^{-t} - 1)\\,e^{-t}`.

    How to Train Your HiPPO shows that :math:`e^{tA}B` for HiPPO-LegS equals these
    exponentially warped Legendre polynomials, so the LTI LegS state is a projection onto
    them.

    Parameters
    ----------
    N : int
        Number of basis functions.
    t : array of shape (m,)
        Times :math:`t \\ge 0`.

    Returns
    -------
    K : array of shape (N, m)
        Entry ``(n, j)`` is basis function ``n`` at ``t[j]``.

    Raises
    ------
    TypeError
        Non-int ``N`` or non-numeric ``t``.
    ValueError
        ``N < 1`` or negative times.

    References
    ----------
    :cite:p:`gu2023train`

    See Also
    --------
    scipy.special.eval_legendre
    """
    where = "ssm.warped_legendre"
    N = _checks.check_int(N, "N", where, min_val=1)
    t = _checks.as_vector(t, "t", where)
    if bool(jnp.any(t < 0)):
        raise _checks.fail(where, "t", "times t >= 0", f"min t = {float(t.min()):.3g}")
    w = jnp.exp(-t)
    n = jnp.arange(N, dtype=t.dtype)
    return jnp.sqrt(2 * n + 1)[:, None] * legendre(N, 2 * w - 1) * w[None, :]


def memory_length(K: Any, frac: float = 0.99) -> int:
    """Number of leading steps that hold a fraction ``frac`` of the kernel's energy.

    Parameters
    ----------
    K : array of shape (L,) or (L, N)
        A kernel; for a state impulse response (one row per step) the energy of step ``k``
        is :math:`\\lVert K_k\\rVert^2`.
    frac : float
        In ``(0, 1]``.

    Returns
    -------
    ell : int
        The smallest :math:`\\ell` with :math:`\\sum_{k<\\ell}\\lVert K_k\\rVert^2 \\ge`
        ``frac`` :math:`\\sum_k \\lVert K_k\\rVert^2`.

    Raises
    ------
    TypeError
        Non-numeric ``K``.
    ValueError
        ``frac`` outside :math:`(0, 1]`, ``K`` of the wrong rank, or all zero.

    References
    ----------
    :cite:p:`gu2023train`

    See Also
    --------
    numpy.cumsum
    """
    where = "ssm.memory_length"
    arr = _checks._as_numeric(K, "K", where, "an array of shape (L,) or (L, N)", None)
    if arr.ndim not in (1, 2) or arr.shape[0] == 0:
        raise _checks.fail(where, "K", "an array of shape (L,) or (L, N)",
                           f"shape {tuple(arr.shape)}")
    _checks.check_finite(arr, "K", where)
    frac = _checks.check_scalar(frac, "frac", where, min_val=0.0, max_val=1.0, strict_min=True)
    e = np.abs(arr) ** 2
    if e.ndim == 2:
        e = e.sum(axis=1)
    c = np.cumsum(e)
    if c[-1] == 0:
        raise _checks.fail(where, "K", "a nonzero kernel", "all zeros")
    return int(np.searchsorted(c, frac * c[-1] * (1 - 1e-14)) + 1)


@functools.partial(jax.jit, static_argnames=("L",))
def _state_impulse_impl(Abar, Bbar, L):
    def step(x, _):
        return Abar @ x, x

    return lax.scan(step, Bbar, None, length=L)[1]


def state_impulse_response(Abar: Any, Bbar: Any, L: int) -> jax.Array:
    r"""The discrete state impulse response :math:`\bar A^k \bar B`, :math:`k < L`.

    Parameters
    ----------
    Abar : array of shape (N, N)
    Bbar : array of shape (N,)
    L : int
        Number of steps, ``>= 1``.

    Returns
    -------
    X : array of shape (L, N)
        Row ``k`` is :math:`\bar A^k \bar B`.

    Raises
    ------
    TypeError
        Non-numeric inputs or non-int ``L``.
    ValueError
        Shapes disagree or ``L < 1``.

    See Also
    --------
    scipy.signal.dimpulse : with :math:`C = I`.
    ssm_kernel_recurrence : the output :math:`C \bar A^k \bar B` instead of the state.
    """
    where = "ssm.state_impulse_response"
    Abar = _state_matrix(Abar, where)
    Bbar = _as_cvector(Bbar, "Bbar", where, size=Abar.shape[0])
    L = _checks.check_int(L, "L", where, min_val=1)
    dtype = jnp.result_type(Abar, Bbar)
    return _state_impulse_impl(Abar.astype(dtype), Bbar.astype(dtype), L)


def exponential_input_state(A: Any, B: Any, t: float, rate: float = 1.0) -> jax.Array:
    r"""Exact state :math:`x(t) = \int_0^t e^{(t-s)A} B\, e^{-\mathrm{rate}\cdot s}\,ds`.

    The response from rest to the input :math:`u(s) = e^{-\mathrm{rate}\cdot s}`,
    computed as one exponential of the augmented matrix
    :math:`[[A, B], [0, -\mathrm{rate}]]` (no time stepping, so no discretisation error).

    Parameters
    ----------
    A : array of shape (N, N)
    B : array of shape (N,)
    t : float
        Time, ``t >= 0``.
    rate : float
        Decay rate of the input.

    Returns
    -------
    x : array of shape (N,)

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree or ``t < 0``.

    See Also
    --------
    scipy.signal.lsim : the time-stepping reference.
    """
    where = "ssm.exponential_input_state"
    A = _state_matrix(A, where)
    N = A.shape[0]
    B = _as_cvector(B, "B", where, size=N)
    t = _checks.check_scalar(t, "t", where, min_val=0.0)
    rate = _checks.check_scalar(rate, "rate", where)
    M = np.zeros((N + 1, N + 1), jnp.result_type(A, B))
    M[:N, :N], M[:N, N], M[N, N] = np.asarray(A), np.asarray(B), -rate
    return jnp.asarray(_expm(t * M)[:N, N])


def continuous_impulse_response(A: Any, B: Any, t: Any) -> jax.Array:
    r"""The continuous state impulse response :math:`e^{tA}B` at the times ``t``.

    Parameters
    ----------
    A : array of shape (N, N)
    B : array of shape (N,)
    t : array of shape (m,)
        Times (any sign).

    Returns
    -------
    X : array of shape (N, m)
        Column ``j`` is :math:`e^{t_j A}B`.

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree.

    See Also
    --------
    scipy.linalg.expm : the same exponential (here: scaling and squaring, Pade 13).
    warped_legendre : the closed form for HiPPO-LegS.
    """
    where = "ssm.continuous_impulse_response"
    A = _state_matrix(A, where)
    B = _as_cvector(B, "B", where, size=A.shape[0])
    t = _checks.as_vector(t, "t", where)
    A_np, B_np = np.asarray(A), np.asarray(B)
    return jnp.asarray(np.stack([_expm(float(tj) * A_np) @ B_np for tj in np.asarray(t)], 1))


def diag_to_real(Lambda_bar: Any, Bbar: Any, C: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The real system whose output is :math:`2\\,\\mathrm{Re}` of a conjugate-pair diagonal one.

    Each complex mode :math:`(\\bar\\lambda, \\bar b, c)` becomes the real 2×2 block
    :math:`[[\\mathrm{Re}\\,\\bar\\lambda, -\\mathrm{Im}\\,\\bar\\lambda],
    [\\mathrm{Im}\\,\\bar\\lambda, \\mathrm{Re}\\,\\bar\\lambda]]` acting on
    :math:`(\\mathrm{Re}\\,x, \\mathrm{Im}\\,x)`, with input
    :math:`(\\mathrm{Re}\\,\\bar b, \\mathrm{Im}\\,\\bar b)` and output
    :math:`(2\\,\\mathrm{Re}\\,c, -2\\,\\mathrm{Im}\\,c)`, so that a real-only library
    (``scipy.signal.dlti``) can simulate it.

    Parameters
    ----------
    Lambda_bar, Bbar, C : complex arrays of shape (M,)

    Returns
    -------
    A : ndarray of shape (2M, 2M)
    B : ndarray of shape (2M, 1)
    C : ndarray of shape (1, 2M)

    Raises
    ------
    TypeError
        Non-numeric inputs.
    ValueError
        Shapes disagree.

    See Also
    --------
    scipy.signal.dlti, scipy.signal.dimpulse
    """
    where = "ssm.diag_to_real"
    lam = np.asarray(_as_cvector(Lambda_bar, "Lambda_bar", where)).astype(complex)
    M = lam.shape[0]
    b = np.asarray(_as_cvector(Bbar, "Bbar", where, size=M)).astype(complex)
    c = np.asarray(_as_cvector(C, "C", where, size=M)).astype(complex)
    A = np.zeros((2 * M, 2 * M))
    idx = 2 * np.arange(M)
    A[idx, idx] = lam.real
    A[idx + 1, idx + 1] = lam.real
    A[idx, idx + 1] = -lam.imag
    A[idx + 1, idx] = lam.imag
    Bv = np.zeros((2 * M, 1))
    Bv[idx, 0], Bv[idx + 1, 0] = b.real, b.imag
    Cv = np.zeros((1, 2 * M))
    Cv[0, idx], Cv[0, idx + 1] = 2 * c.real, -2 * c.imag
    return A, Bv, Cv


# -- a tiny S4D layer ---------------------------------------------------------------------------

class S4DParams(NamedTuple):
    """Trainable parameters of :func:`s4d_apply` for ``H`` channels and ``N/2`` modes.

    Attributes
    ----------
    log_dt : array of shape (H,)
    log_neg_re : array of shape (H, N // 2)
        :math:`\\log(-\\mathrm{Re}\\,\\lambda)` (keeps the real part negative).
    im : array of shape (H, N // 2)
    C_re, C_im : arrays of shape (H, N // 2)
    D : array of shape (H,)
        Skip connection.
    W : array of shape (H,)
        Read-out weights mixing the channels into one output.
    """

    log_dt: jax.Array
    log_neg_re: jax.Array
    im: jax.Array
    C_re: jax.Array
    C_im: jax.Array
    D: jax.Array
    W: jax.Array


def s4d_init(N: int, H: int, *, key: jax.Array, dt_min: float = 1e-3,
             dt_max: float = 1e-1, init: str = "inv") -> S4DParams:
    """Initialise an S4D layer: ``H`` channels of a diagonal SSM with ``N/2`` modes each.

    Eigenvalues from :func:`s4d_inv_init` or :func:`s4d_lin_init`, :math:`B = 1`,
    :math:`\\Delta` log-uniform in ``[dt_min, dt_max]`` (stratified: one draw in each of ``H``
    equal slices of the log-range, so the channels cover every timescale), :math:`C` standard
    complex normal.

    Parameters
    ----------
    N : int
        Real state size per channel (even).
    H : int
        Number of channels, ``>= 1``.
    key : jax.Array
    dt_min, dt_max : float
        Range of the timescale :math:`\\Delta`, ``0 < dt_min <= dt_max``.
    init : {"inv", "lin"}

    Returns
    -------
    S4DParams

    Raises
    ------
    TypeError
        Bad ``N``, ``H`` or ``key``.
    ValueError
        Bad ranges or ``init``.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    s4d_apply
    """
    where = "ssm.s4d_init"
    H = _checks.check_int(H, "H", where, min_val=1)
    key = _checks.check_key(key, where)
    dt_min = _checks.check_scalar(dt_min, "dt_min", where, min_val=0.0, strict_min=True)
    dt_max = _checks.check_scalar(dt_max, "dt_max", where, min_val=dt_min)
    init = _checks.check_choice(init, "init", where, ("inv", "lin"))
    lam = s4d_inv_init(N) if init == "inv" else s4d_lin_init(N)
    h = lam.shape[0]
    k1, k2, k3, k4 = jax.random.split(key, 4)
    # stratified log-uniform: channel h draws from the h-th of H equal slices of
    # [log dt_min, log dt_max], so that every horizon is covered whatever the key
    frac = (jnp.arange(H) + jax.random.uniform(k1, (H,))) / H
    log_dt = np.log(dt_min) + frac * (np.log(dt_max) - np.log(dt_min))
    C = jax.random.normal(k2, (H, h, 2)) * np.sqrt(0.5)
    return S4DParams(log_dt=log_dt,
                     log_neg_re=jnp.log(-lam.real)[None, :].repeat(H, 0),
                     im=lam.imag[None, :].repeat(H, 0),
                     C_re=C[..., 0], C_im=C[..., 1],
                     D=jax.random.normal(k3, (H,)) * 0.1,
                     W=jax.random.normal(k4, (H,)) / np.sqrt(H))


def _s4d_kernels(params: S4DParams, L: int) -> jax.Array:
    lam = -jnp.exp(params.log_neg_re) + 1j * params.im          # (H, h)
    dt = jnp.exp(params.log_dt)[:, None]
    Lbar, Bbar = _discretize_diag(lam, jnp.ones_like(lam), dt, "zoh")
    CB = (params.C_re + 1j * params.C_im) * Bbar
    k = jnp.arange(L)
    V = jnp.exp((dt * lam)[..., None] * k)                      # (H, h, L)
    return 2 * jnp.einsum("hn,hnl->hl", CB, V).real


@functools.partial(jax.jit, static_argnames=())
def _s4d_apply_impl(params, u):
    L = u.shape[-1]
    K = _s4d_kernels(params, L)                                 # (H, L)
    y = _fft_convolve_impl(u[..., None, :], K) + params.D[:, None] * u[..., None, :]
    return jnp.einsum("h,...hl->...l", params.W, y)


def s4d_apply(params: S4DParams, u: Any) -> jax.Array:
    """Apply the S4D layer: per channel, the FFT convolution with the ZOH Vandermonde kernel
    plus a skip term, then a linear read-out across channels.

    Parameters
    ----------
    params : S4DParams
    u : array of shape (batch, L)

    Returns
    -------
    y : array of shape (batch, L)

    Raises
    ------
    TypeError
        ``params`` is not :class:`S4DParams`.
    ValueError
        ``u`` is not 2-D.

    References
    ----------
    :cite:p:`gu2022parameterization`

    See Also
    --------
    s4d_init, ssm_kernel_vandermonde, fft_convolve
    """
    where = "ssm.s4d_apply"
    if not isinstance(params, S4DParams):
        raise _checks.fail(where, "params", "S4DParams (from ssm.s4d_init)",
                           type(params).__name__, exc=TypeError)
    if getattr(u, "ndim", None) != 2:
        raise _checks.fail(where, "u", "an array of shape (batch, L)",
                           f"shape {getattr(u, 'shape', None)}")
    return _s4d_apply_impl(params, u)
