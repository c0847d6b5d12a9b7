"""Random graphs: the stochastic block model (chapter 07_graph_spectra)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import jax
import numpy as np
import scipy.sparse as sp

from eigenbook import _checks

from ._random import numpy_rng

__all__ = ["SBMGraph", "stochastic_block_model"]


class SBMGraph(NamedTuple):
    """A sampled stochastic block model.

    Attributes
    ----------
    W : scipy.sparse.csr_array of shape (n, n)
        Symmetric 0/1 adjacency, no self-loops.
    labels : ndarray of int, shape (n,)
        Block of each vertex (0, 1, ...), blocks contiguous.
    """

    W: sp.csr_array
    labels: np.ndarray


def stochastic_block_model(sizes: Sequence[int], p_in: float, p_out: float, *,
                           key: jax.Array) -> SBMGraph:
    """Sample a stochastic block model with 0/1 weights.

    Vertices in the same block are joined with probability ``p_in``, in
    different blocks with ``p_out``, independently. Sampling is sparse: for each
    block pair the number of edges is drawn from its binomial law and the
    endpoints uniformly (repeated pairs are merged, a negligible loss when
    p is small).

    Parameters
    ----------
    sizes : sequence of int
        Block sizes, each ``>= 2``.
    p_in, p_out : float
        Edge probabilities in [0, 1].
    key : PRNG key
        Seeds the host sampler, ``numpy_rng(jax.random.fold_in(key, 0))``.

    Returns
    -------
    SBMGraph
        ``W`` (n, n) symmetric 0/1 ``csr_array``, n = sum(sizes); ``labels`` (n,)
        the block of each vertex. A NamedTuple: ``W, labels = ...`` unpacks it.

    Raises
    ------
    TypeError, ValueError
        Bad ``sizes``, probabilities outside [0, 1], bad ``key``.

    References
    ----------
    :cite:p:`abbe2018community`

    See Also
    --------
    networkx.stochastic_block_model : dense-loop reference generator.
    Explained in chapter 07_graph_spectra.
    """
    where = "data.stochastic_block_model"
    key = _checks.check_key(key, "key", where)
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
        raise _checks.fail(where, "sizes", "a non-empty sequence of ints",
                           f"{type(sizes).__name__}", exc=TypeError)
    sizes = [_checks.check_int(s, "sizes", where, min_val=2) for s in sizes]
    p_in = _checks.check_scalar(p_in, "p_in", where, min_val=0.0, max_val=1.0)
    p_out = _checks.check_scalar(p_out, "p_out", where, min_val=0.0, max_val=1.0)
    rng = numpy_rng(jax.random.fold_in(key, 0))
    starts = np.concatenate([[0], np.cumsum(sizes)])
    n = int(starts[-1])
    rows, cols = [], []
    for a, na in enumerate(sizes):
        for b in range(a, len(sizes)):
            nb = sizes[b]
            if a == b:
                m = rng.binomial(na * (na - 1) // 2, p_in)
                i = rng.integers(0, na, m)
                j = rng.integers(0, na - 1, m)
                j = j + (j >= i)  # uniform over j != i
            else:
                m = rng.binomial(na * nb, p_out)
                i = rng.integers(0, na, m)
                j = rng.integers(0, nb, m)
            rows.append(starts[a] + i)
            cols.append(starts[b] + j)
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    A = sp.csr_array((np.ones(r.size), (r, c)), shape=(n, n))
    A = (A + A.T).tocsr()
    A.data[:] = 1.0  # merge repeats and both orientations
    labels = np.repeat(np.arange(len(sizes)), sizes)
    return SBMGraph(A, labels)
