"""Sketching operators: Gaussian, SRHT, CountSketch, and the embedding distortion."""

from __future__ import annotations

from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from ..transforms._hadamard import fwht_along
from ._common import _KINDS, _sketch_size, _tall


@partial(jax.jit, static_argnums=(2,))
def _gaussian_impl(A, key, m):
    G = jax.random.normal(key, (m, A.shape[0]), dtype=A.dtype)
    return (G @ A) / jnp.sqrt(jnp.asarray(m, A.dtype))


def gaussian_sketch(A: Any, m: int, *, key: jax.Array) -> jax.Array:
    """Apply a Gaussian sketch :math:`S = G / \\sqrt{m}`, :math:`G_{ij} \\sim N(0, 1)`.

    Parameters
    ----------
    A : array_like of shape (n, d)
        The matrix to sketch (rows are compressed).
    m : int
        Sketch size (rows of ``S``), ``m >= 1``.
    key : PRNG key
        Draws ``G``.

    Returns
    -------
    SA : array of shape (m, d)
        Costs :math:`O(m n d)` flops (one dense product).

    Raises
    ------
    TypeError
        ``A`` not numeric, ``m`` not an int, ``key`` not a PRNG key.
    ValueError
        ``A`` not 2-D or not finite, ``m < 1``.

    References
    ----------
    :cite:p:`woodruff2014sketching`

    See Also
    --------
    srht_sketch, countsketch : faster structured sketches.

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    return _validated_sketch(A, m, key, "gaussian", "sketch.gaussian_sketch")


@jax.jit
def _srht_transform(A, key):
    """H D A (zero-padded) and a random order of its rows; independent of m (one compile)."""
    n, d = A.shape
    n2 = 1 << max(0, (n - 1).bit_length())
    k_sign, k_rows = jax.random.split(key)
    signs = jax.random.rademacher(k_sign, (n,), dtype=A.dtype)
    X = jnp.zeros((n2, d), A.dtype).at[:n].set(signs[:, None] * A)
    H = fwht_along(X, 0) / jnp.sqrt(jnp.asarray(n2, X.dtype))  # orthonormal
    return H, jax.random.permutation(k_rows, n2)


def _srht_impl(A, key, m):
    H, order = _srht_transform(A, key)
    return H[order[:m]] * jnp.sqrt(jnp.asarray(H.shape[0] / m, A.dtype))


def srht_sketch(A: Any, m: int, *, key: jax.Array) -> jax.Array:
    """Apply a subsampled randomized Hadamard transform (SRHT).

    :math:`S = \\sqrt{n'/m}\\, P H D`: random signs ``D``, the orthonormal
    Walsh–Hadamard transform ``H`` of size :math:`n' = 2^{\\lceil \\log_2 n \\rceil}`
    (``A`` is zero-padded), and ``m`` rows ``P`` drawn without replacement.

    Parameters
    ----------
    A : array_like of shape (n, d)
        The matrix to sketch.
    m : int
        Sketch size, ``1 <= m <= n'``.
    key : PRNG key
        Draws the signs and the rows.

    Returns
    -------
    SA : array of shape (m, d)
        Costs :math:`O(n' d \\log n')` flops.

    Raises
    ------
    TypeError
        ``A`` not numeric, ``m`` not an int, ``key`` not a PRNG key.
    ValueError
        ``A`` not 2-D or not finite, ``m`` out of range.

    References
    ----------
    :cite:p:`tropp2011improved,avron2010blendenpik`

    See Also
    --------
    gaussian_sketch, countsketch

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    return _validated_sketch(A, m, key, "srht", "sketch.srht_sketch")


def _srht_checked(A, m, key, where):
    n2 = 1 << max(0, (A.shape[0] - 1).bit_length())
    m = _checks.check_int(m, "m", where, min_val=1, max_val=n2)
    return _srht_impl(A, key, m)


def _countsketch_impl(A, key, m):
    """Hash and signs from ``key``; the product is a sparse matrix times ``A`` on the host.

    Building ``S`` as a CSR matrix keeps the cost at :math:`O(\\mathrm{nnz}(A))` and needs
    no compilation per sketch size.
    """
    import scipy.sparse as sp

    n = A.shape[0]
    k_h, k_s = jax.random.split(key)
    h = np.asarray(jax.random.randint(k_h, (n,), 0, m))
    sgn = np.asarray(jax.random.rademacher(k_s, (n,), dtype=A.dtype))
    S = sp.csr_array((sgn, (h, np.arange(n))), shape=(m, n))
    return jnp.asarray(S @ np.asarray(A))


def countsketch(A: Any, m: int, *, key: jax.Array) -> jax.Array:
    """Apply a CountSketch: each row of ``A`` is added, with a random sign, to one random bucket.

    ``S`` has one non-zero :math:`\\pm 1` per column, so ``SA`` costs
    :math:`O(\\mathrm{nnz}(A))` :cite:p:`clarkson2017low`.

    Parameters
    ----------
    A : array_like of shape (n, d)
        The matrix to sketch.
    m : int
        Number of buckets, ``m >= 1``.
    key : PRNG key
        Draws the hash and the signs.

    Returns
    -------
    SA : array of shape (m, d)

    Raises
    ------
    TypeError
        ``A`` not numeric, ``m`` not an int, ``key`` not a PRNG key.
    ValueError
        ``A`` not 2-D or not finite, ``m < 1``.

    References
    ----------
    :cite:p:`clarkson2017low`

    See Also
    --------
    scipy.linalg.clarkson_woodruff_transform : SciPy's CountSketch.

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    return _validated_sketch(A, m, key, "countsketch", "sketch.countsketch")


def _validated_sketch(A: Any, m: int, key: Any, kind: str, where: str) -> jax.Array:
    """Validate (messages name ``where``, the public caller) and apply one sketch."""
    return _sketch_of_checked(_tall(A, where), m, key, kind, where)


def _sketch_of_checked(A: jax.Array, m: int, key: Any, kind: str, where: str) -> jax.Array:
    """:func:`_validated_sketch` for an ``A`` its caller has validated (one pass over it less)."""
    _checks.check_choice(kind, "kind", where, _KINDS)
    key = _checks.check_key(key, "key", where)
    if kind == "srht":
        return _srht_checked(A, m, key, where)
    impl = _gaussian_impl if kind == "gaussian" else _countsketch_impl
    return impl(A, key, _sketch_size(m, where, A.shape[0]))


def sketch(A: Any, m: int, *, key: jax.Array, kind: str = "gaussian") -> jax.Array:
    """Apply a sketch of the given ``kind`` to ``A``.

    Parameters
    ----------
    A : array_like of shape (n, d)
        The matrix to sketch.
    m : int
        Sketch size.
    key : PRNG key
        Randomness of the sketch.
    kind : {"gaussian", "srht", "countsketch"}
        Which operator (:func:`gaussian_sketch`, :func:`srht_sketch`, :func:`countsketch`).

    Returns
    -------
    SA : array of shape (m, d)

    Raises
    ------
    TypeError, ValueError
        As the chosen operator; ``ValueError`` for an unknown ``kind``.

    See Also
    --------
    scipy.linalg.clarkson_woodruff_transform
    """
    return _validated_sketch(A, m, key, kind, "sketch.sketch")


def embedding_distortion(A: Any, SA: Any) -> float:
    """Subspace-embedding distortion of a sketch on the column space of ``A``.

    The distortion is
    :math:`\\varepsilon = \\max_x \\lvert \\lVert S A x \\rVert / \\lVert A x \\rVert - 1 \\rvert`,
    computed exactly as the largest deviation from 1 of the singular values of
    :math:`S A R^{-1}`, where :math:`A = QR`.

    Parameters
    ----------
    A : array_like of shape (n, d)
        Full column rank.
    SA : array_like of shape (m, d)
        Its sketch.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Bad arrays or mismatched column counts.

    See Also
    --------
    numpy.linalg.svd
    """
    where = "sketch.embedding_distortion"
    A = _tall(A, where)
    SA = _checks.as_matrix(SA, "SA", where)
    if SA.shape[1] != A.shape[1]:
        raise _checks.fail(where, "SA", f"{A.shape[1]} columns like A",
                           f"shape {tuple(SA.shape)}")
    import scipy.linalg as sla

    # small dense work on the host: no compilation per sketch size
    R = np.linalg.qr(np.asarray(A), mode="r")
    M = sla.solve_triangular(R, np.asarray(SA).T, trans="T").T
    sv = np.linalg.svd(M, compute_uv=False)
    return float(np.max(np.abs(sv - 1.0)))
