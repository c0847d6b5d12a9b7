"""Orthogonal circular convolutions (1-D, stride 1)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook._checks import (
    check_finite,
    check_int,
    fail,
)


def _kernel(K: Any, where: str) -> jax.Array:
    arr = np.asarray(K)
    if arr.ndim != 3 or arr.dtype.kind not in "iuf" or arr.size == 0:
        exc = TypeError if arr.dtype.kind not in "iuf" else ValueError
        raise fail(where, "K", "a real kernel of shape (M, C, k)",
                   f"shape {arr.shape}, dtype {arr.dtype}", exc=exc)
    check_finite(arr, "K", where)
    return jnp.asarray(arr, dtype=jnp.result_type(float))


def circular_conv_matrix(K: Any, N: int) -> jax.Array:
    """The matrix of a 1-D multi-channel circular convolution (stride 1).

    :math:`y_m[t] = \\sum_c \\sum_{s=0}^{k-1} K[m, c, s]\\, x_c[(t + s) \\bmod N]`,
    with channels stacked: row ``m * N + t``, column ``c * N + u``.

    Parameters
    ----------
    K : array_like of shape (M, C, k)
        Output channels, input channels, kernel width.
    N : int
        Signal length, ``>= k``.

    Returns
    -------
    array of shape (M * N, C * N)

    Raises
    ------
    TypeError
        ``K`` not a real array or ``N`` not an int.
    ValueError
        Bad kernel shape or ``N < k``.

    References
    ----------
    :cite:p:`achour2022existence`

    See Also
    --------
    scipy.linalg.circulant : the single-channel case.

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.circular_conv_matrix"
    K = np.asarray(_kernel(K, where))
    M, C, k = K.shape
    N = check_int(N, "N", where, min_val=k)
    t = np.arange(N)
    shifts = (t[None, :] - t[:, None]) % N  # column u = t + s  ->  s = u - t
    blocks = np.where(shifts < k, K[:, :, np.minimum(shifts, k - 1)], 0.0)
    return jnp.asarray(blocks.transpose(0, 2, 1, 3).reshape(M * N, C * N))


def conv_singular_values(K: Any, N: int) -> jax.Array:
    """Singular values of a circular convolution from its per-frequency channel matrices.

    The DFT block-diagonalises the layer: for each frequency :math:`\\omega`,
    :math:`\\hat K(\\omega) = \\sum_s K[:, :, s]\\, e^{2\\pi i \\omega s / N}` is an
    (M, C) matrix and the singular values of the layer are the union of theirs.
    Cost :math:`O(N\\,MC\\min(M, C))` instead of :math:`O(N^3 MC\\min(M,C))`.

    Parameters
    ----------
    K : array_like of shape (M, C, k)
    N : int
        Signal length, ``>= k``.

    Returns
    -------
    array of shape (N, min(M, C))
        Row :math:`\\omega` holds the singular values of :math:`\\hat K(\\omega)`.

    Raises
    ------
    TypeError
        ``K`` not a real array or ``N`` not an int.
    ValueError
        Bad kernel shape or ``N < k``.

    References
    ----------
    :cite:p:`sedghi2019singular,achour2022existence`

    See Also
    --------
    circular_conv_matrix, numpy.fft.fft

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.conv_singular_values"
    K = _kernel(K, where)
    N = check_int(N, "N", where, min_val=K.shape[2])
    Khat = np.conj(np.fft.fft(np.asarray(K), n=N, axis=2)).transpose(2, 0, 1)  # e^{+2 pi i w s/N}
    return jnp.asarray(np.linalg.svd(Khat, compute_uv=False))  # N small SVDs (LAPACK, batched)


def conv_orth_penalty(K: jax.Array) -> jax.Array:
    """:math:`L_{\\mathrm{orth}}(K)` as a traceable, differentiable JAX function (for training).

    Computed from the per-frequency blocks at :math:`N = 2k - 1`,
    :math:`L_{\\mathrm{orth}} = \\lVert \\mathcal{K}\\mathcal{K}^\\top - I\\rVert_F^2 / N`
    (the identity the chapter checks), so it equals :func:`conv_orth_loss` to
    round-off. Meant as a loss inside ``jit``/``grad``: a traced ``K`` is used as is; a
    concrete one is validated like :func:`conv_orth_loss`'s.

    Parameters
    ----------
    K : array of shape (M, C, k)

    Returns
    -------
    scalar array

    See Also
    --------
    conv_orth_loss : the validated host-side value.
    """
    if not isinstance(K, jax.core.Tracer):
        K = _kernel(K, "orth.conv_orth_penalty")
    N = 2 * K.shape[2] - 1
    Kh = jnp.fft.fft(K, n=N, axis=2)
    gram = jnp.einsum("mcw,ncw->wmn", Kh, jnp.conj(Kh))
    return jnp.sum(jnp.abs(gram - jnp.eye(K.shape[0])) ** 2) / N


def conv_orth_loss(K: Any) -> float:
    """The orthogonality regulariser :math:`L_{\\mathrm{orth}}(K)` for row orthogonality.

    :math:`L_{\\mathrm{orth}} = \\sum_{d=-(k-1)}^{k-1} \\lVert C_d - \\delta_{d0} I_M\\rVert_F^2`,
    :math:`C_d[m, m'] = \\sum_c \\sum_s K[m, c, s]\\, K[m', c, s - d]`: the
    squared distance of the full self-convolution of the kernel to the identity
    kernel :cite:p:`wang2020orthogonal`. It does not depend on ``N``.

    Parameters
    ----------
    K : array_like of shape (M, C, k)

    Returns
    -------
    float

    Raises
    ------
    TypeError
        ``K`` not a real array.
    ValueError
        Bad kernel shape.

    References
    ----------
    :cite:p:`achour2022existence,wang2020orthogonal`

    See Also
    --------
    conv_singular_values

    Chapter :ref:`orthogonalization`.
    """
    K = np.asarray(_kernel(K, "orth.conv_orth_loss"))
    M, C, k = K.shape
    total = 0.0
    for d in range(-(k - 1), k):
        Cd = np.zeros((M, M))
        for s in range(k):
            if 0 <= s - d < k:
                Cd += K[:, :, s] @ K[:, :, s - d].T
        if d == 0:
            Cd -= np.eye(M)
        total += float(np.sum(Cd**2))
    return total
