"""DCT column selection (SVD-free low-rank projection)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook._checks import (
    as_matrix,
    check_int,
)


def dct_matrix(n: int) -> jax.Array:
    """The orthonormal DCT-II basis as columns: ``x @ D`` is ``dct(x, norm="ortho")``.

    :math:`D[t, j] = s_j \\cos(\\pi (2t + 1) j / (2n))`, :math:`s_0 = \\sqrt{1/n}`,
    :math:`s_j = \\sqrt{2/n}`.

    Parameters
    ----------
    n : int
        Size, ``>= 1``.

    Returns
    -------
    D : array of shape (n, n)
        Orthogonal.

    Raises
    ------
    TypeError
        ``n`` not an int.
    ValueError
        ``n < 1``.

    References
    ----------
    :cite:p:`ahmed1974discrete,modoranu2025svdfree`

    See Also
    --------
    scipy.fft.dct

    Chapter :ref:`orthogonalization`.
    """
    n = check_int(n, "n", "orth.dct_matrix", min_val=1)
    t = jnp.arange(n)[:, None]
    j = jnp.arange(n)[None, :]
    scale = jnp.where(j == 0, jnp.sqrt(1.0 / n), jnp.sqrt(2.0 / n))
    return scale * jnp.cos(jnp.pi * (2 * t + 1) * j / (2 * n))


@jax.jit
def _dct_scores(G):
    Y = jax.scipy.fft.dct(G, type=2, axis=1, norm="ortho")  # = G @ D, O(mn log n)
    return jnp.sum(Y**2, axis=0)


def dct_select(G: Any, r: int) -> jax.Array:
    """Indices of the ``r`` DCT basis columns best aligned with the rows of ``G``.

    Computes :math:`Y = GD` with a fast DCT along the rows (:math:`O(mn\\log n)`,
    no dependence on ``r``), scores column ``j`` by :math:`\\lVert Y_{:, j}\\rVert^2`
    (the energy of ``G`` along :math:`d_j`) and keeps the ``r`` largest. The
    projection :math:`G D_S D_S^\\top` then keeps the energy
    :math:`\\sum_{j\\in S}\\lVert Y_{:,j}\\rVert^2`, the best any ``r`` columns of
    this fixed basis can keep; only the ``r`` integers need storing.

    Parameters
    ----------
    G : array_like of shape (m, n)
        A gradient.
    r : int
        ``1 <= r <= n``.

    Returns
    -------
    array of int, shape (r,)

    Raises
    ------
    TypeError
        Wrong types.
    ValueError
        Non-finite ``G`` or ``r`` out of range.

    References
    ----------
    :cite:p:`modoranu2025svdfree`

    See Also
    --------
    dct_matrix, scipy.fft.dct, numpy.linalg.svd : the optimal (SVD) projection.

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.dct_select"
    G = as_matrix(G, "G", where)
    r = check_int(r, "r", where, min_val=1, max_val=G.shape[1])
    scores = np.asarray(_dct_scores(G))
    return jnp.asarray(np.argsort(-scores, kind="stable")[:r])
