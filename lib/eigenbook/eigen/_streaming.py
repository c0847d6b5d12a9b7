"""Top eigenvector of AᵀA from one pass over the rows of A.

Two one-pass methods, both of which hold only a few length-d vectors:

* :func:`oja` — Oja's rule with a fixed learning rate, the algorithm analysed
  by Price and Xun (FOCS 2024) for arbitrary-order streams;
* :func:`random_order_block_power` — a block power method for streams in
  uniformly random order, after Kacham and Woodruff: each block of the
  stream supplies one power step with an unbiased estimate of AᵀA, and the
  few *heavy* rows (:func:`heavy_row_mask`) are kept exactly and added to
  every step.

:func:`block_gram_error` measures why the heavy rows must be stored: one
block's unbiased Gram estimate has a huge variance when a heavy row falls into
(or misses) the block.

References
----------
* ``kacham2024topeigenvector``: P. Kacham and D. P. Woodruff,
  "Approximating the Top Eigenvector in Random Order Streams", NeurIPS 2024
  (arXiv 2412.11963).

Explained in chapter 01_eigensolvers.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from eigenbook import _checks

__all__ = [
    "StreamResult",
    "oja",
    "random_order_block_power",
    "heavy_row_mask",
    "correlation",
    "block_gram_error",
]


class StreamResult(NamedTuple):
    """Result of a one-pass streaming eigenvector method.

    Attributes
    ----------
    vector : array of shape (d,)
        Unit estimate of the top eigenvector of AᵀA, sign fixed so that its
        largest-magnitude entry is positive.
    n_rows_seen : int
        Number of stream rows read (n; each row is read once).
    memory_rows : int
        Number of length-d vectors held at once: the space cost in units of
        one row. Oja: 1 (the iterate). Block power: h + 2 (the h heavy rows,
        the iterate v and the running block sum Σ a_i⟨a_i, v⟩).
    """

    vector: jax.Array
    n_rows_seen: int
    memory_rows: int


# --------------------------------------------------------------------------- helpers

def _normalize_or_keep(w: jax.Array, v: jax.Array) -> jax.Array:
    """w / ‖w‖, or v itself when w = 0 (never divides by zero)."""
    nrm = jnp.linalg.norm(w)
    ok = nrm > 0
    return jnp.where(ok, w / jnp.where(ok, nrm, 1), v)


def _sign_fix(v: jax.Array) -> jax.Array:
    s = jnp.sign(v[jnp.argmax(jnp.abs(v))])
    return v * jnp.where(s == 0, 1, s)


def _start_vector(key: jax.Array, d: int, dtype: Any) -> jax.Array:
    g = jax.random.normal(key, (d,), dtype=dtype)
    return g / jnp.linalg.norm(g)


def _block_index(n: int, n_blocks: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Contiguous blocks of sizes differing by at most one (``np.array_split``).

    Returns ``idx`` (n_blocks, b_max) of row indices (padding points at row 0),
    ``valid`` (n_blocks, b_max) bool, and ``sizes`` (n_blocks,).
    """
    bounds = (np.arange(n_blocks + 1) * n) // n_blocks
    sizes = np.diff(bounds)
    b_max = int(sizes.max())
    offs = np.arange(b_max)[None, :]
    valid = offs < sizes[:, None]
    idx = np.where(valid, bounds[:-1, None] + offs, 0)
    return idx, valid, sizes


def _validate_heavy(heavy_mask: Any, n: int, where: str) -> np.ndarray:
    if heavy_mask is None:
        return np.zeros((n,), dtype=bool)
    try:
        m = np.asarray(heavy_mask)
    except (TypeError, ValueError) as err:
        raise _checks.fail(where, "heavy_mask", "a bool array of shape (n,)",
                           f"an object of type {type(heavy_mask).__name__}",
                           exc=TypeError) from err
    if m.dtype != np.bool_:
        raise _checks.fail(where, "heavy_mask", "a bool array of shape (n,)",
                           f"dtype {m.dtype}", "Build it with eigen.heavy_row_mask.",
                           exc=TypeError)
    if m.shape != (n,):
        raise _checks.fail(where, "heavy_mask", f"shape ({n},)", f"shape {m.shape}")
    return m


def _split_heavy(rows: jax.Array, mask: np.ndarray) -> tuple[jax.Array, jax.Array]:
    """Light stream (heavy positions zeroed, order kept) and the heavy rows H (h, d)."""
    light = jnp.where(jnp.asarray(mask)[:, None], jnp.zeros((), rows.dtype), rows)
    heavy = rows[np.flatnonzero(mask)]
    return light, heavy


# --------------------------------------------------------------------------- Oja

@jax.jit
def _oja_impl(rows: jax.Array, key: jax.Array, eta: jax.Array) -> jax.Array:
    v0 = _start_vector(key, rows.shape[1], rows.dtype)

    def step(v, a):
        w = v + eta * a * jnp.dot(a, v)
        return _normalize_or_keep(w, v), None

    v, _ = lax.scan(step, v0, rows)
    return _sign_fix(v)


def oja(rows: Any, *, key: jax.Array, eta: float) -> StreamResult:
    r"""Oja's rule with a fixed learning rate, one pass in the given order.

    Starting from a Gaussian unit vector v_0, each row a_t updates

    .. math:: v_t = \frac{v_{t-1} + \eta\, a_t (a_t^\top v_{t-1})}
                         {\lVert v_{t-1} + \eta\, a_t (a_t^\top v_{t-1}) \rVert},

    so that v_n ∝ (I + η a_n a_nᵀ) ⋯ (I + η a_1 a_1ᵀ) v_0. This is the
    fixed-learning-rate algorithm of Price and Xun; the per-step
    normalisation only rescales, it does not change the direction. Kacham and
    Woodruff show that it needs a gap R = Ω(log d) in random order (and
    give an instance with R = Θ(log d / log log d) on which no fixed η works).

    Parameters
    ----------
    rows : array of shape (n, d)
        The stream, read in the given order (shuffle first for a random order).
    key : PRNG key
        Draws the starting vector.
    eta : float
        Learning rate η > 0 (in units of 1 / ‖a‖²; try η ≈ c / σ1(A)² scaled by
        log n, or a small grid).

    Returns
    -------
    StreamResult
        ``vector`` (d,) in the dtype of ``rows``, ``n_rows_seen = n``,
        ``memory_rows = 1``.

    Raises
    ------
    TypeError
        ``key`` is not a PRNG key, ``rows`` is not numeric, or ``eta`` is not a number.
    ValueError
        ``rows`` is not a finite 2-D array, or ``eta <= 0``.

    See Also
    --------
    random_order_block_power, sklearn.decomposition.IncrementalPCA

    References
    ----------
    * ``kacham2024topeigenvector`` (arXiv 2412.11963).

    Explained in chapter 01_eigensolvers.
    """
    where = "eigen.oja"
    key = _checks.check_key(key, "key", where)
    rows = _checks.as_matrix(rows, "rows", where)
    eta = _checks.check_scalar(eta, "eta", where, min_val=0.0, strict_min=True)
    v = _oja_impl(rows, key, jnp.asarray(eta, rows.dtype))
    return StreamResult(v, int(rows.shape[0]), 1)


# --------------------------------------------------------------------------- block power

@partial(jax.jit, static_argnames=("n_blocks",))
def _block_power_impl(light: jax.Array, heavy: jax.Array, key: jax.Array,
                      n_blocks: int) -> jax.Array:
    n, d = light.shape
    idx, valid, sizes = _block_index(n, n_blocks)
    blocks = jnp.where(jnp.asarray(valid)[..., None], light[jnp.asarray(idx)],
                       jnp.zeros((), light.dtype))          # (n_blocks, b_max, d)
    weights = jnp.asarray(n / sizes, light.dtype)            # n / |b|
    v0 = _start_vector(key, d, light.dtype)

    def step(v, blk):
        Ab, wb = blk
        # Σ_{i in b} a_i ⟨a_i, v⟩: the running sum a one-pass reader keeps.
        w = wb * (Ab.T @ (Ab @ v)) + heavy.T @ (heavy @ v)
        return _normalize_or_keep(w, v), None

    v, _ = lax.scan(step, v0, (blocks, weights))
    return _sign_fix(v)


def random_order_block_power(rows: Any, *, key: jax.Array, n_blocks: int,
                             heavy_mask: Any = None) -> StreamResult:
    r"""One-pass block power method for a random-order stream (Kacham & Woodruff).

    The stream of n rows is cut into ``n_blocks`` = B contiguous blocks b of
    sizes ⌊n/B⌋ or ⌈n/B⌉. Heavy rows (``heavy_mask``; H of shape (h, d)) are
    taken out of the stream and kept exactly. Each block performs one power step
    with an unbiased estimate of AᵀA,

    .. math:: v \leftarrow \operatorname{normalize}\Big(\tfrac{n}{|b|}
              \sum_{i \in b,\ i\ \text{light}} a_i (a_i^\top v) + H^\top H v\Big),

    which a reader computes row by row with one extra vector (the running
    sum), so the space is h + 2 rows, independent of n. In a uniformly random
    order every block is a uniform sample of the light rows, so the expectation of
    (n/#b) A_bᵀA_b is LᵀL and the update is a noisy power step on AᵀA; with gap R each
    step shrinks the tangent of the angle to v_1 by about 1/R, and the noise of
    the last block sets the final error. The paper proves correlation
    1 - O(1/√R) with O(h·d·polylog d) bits of space when R = Ω(1)
    (:cite:p:`kacham2024topeigenvector`, abstract of arXiv v1).

    Deviations from the paper: (i) the heavy rows are given as an
    oracle mask and used from the first block on; the paper detects them in
    the stream. (ii) Blocks are equal-sized and every light row is used; the
    paper's analysis subsamples rows inside blocks and uses a polylog(d)
    number of power steps. (iii) One Gaussian start vector, no sketching of
    stored rows. The structure — a power step per random block plus exact
    heavy rows — is the paper's.

    Parameters
    ----------
    rows : array of shape (n, d)
        The stream, read once in the given order. The method assumes a
        uniformly random order: shuffle with :func:`eigenbook.data.shuffle_rows`.
    key : PRNG key
        Draws the starting vector.
    n_blocks : int
        Number B of blocks (= power steps), 1 <= B <= n.
    heavy_mask : bool array of shape (n,), optional
        Rows to keep exactly (see :func:`heavy_row_mask`). Default: none.

    Returns
    -------
    StreamResult
        ``vector`` (d,) in the dtype of ``rows``, ``n_rows_seen = n``,
        ``memory_rows = h + 2``.

    Raises
    ------
    TypeError
        ``key`` is not a PRNG key, ``rows`` is not numeric, ``n_blocks`` is not
        an int, or ``heavy_mask`` is not a bool array.
    ValueError
        ``rows`` is not a finite 2-D array, ``n_blocks`` is out of range, or
        ``heavy_mask`` has the wrong shape.

    See Also
    --------
    oja, heavy_row_mask, block_gram_error

    References
    ----------
    * ``kacham2024topeigenvector``: P. Kacham and D. P. Woodruff,
      "Approximating the Top Eigenvector in Random Order Streams", NeurIPS
      2024 (arXiv 2412.11963).

    Explained in chapter 01_eigensolvers.
    """
    where = "eigen.random_order_block_power"
    key = _checks.check_key(key, "key", where)
    rows = _checks.as_matrix(rows, "rows", where)
    n = int(rows.shape[0])
    n_blocks = _checks.check_int(n_blocks, "n_blocks", where, min_val=1, max_val=n,
                                 hint="Use at most one block per row.")
    mask = _validate_heavy(heavy_mask, n, where)
    light, heavy = _split_heavy(rows, mask)
    v = _block_power_impl(light, heavy, key, n_blocks)
    return StreamResult(v, n, int(mask.sum()) + 2)


# --------------------------------------------------------------------------- heavy rows

@jax.jit
def _heavy_mask_impl(rows: jax.Array, threshold: jax.Array) -> jax.Array:
    d = rows.shape[1]
    fro = jnp.sqrt(jnp.sum(rows * rows))
    return jnp.linalg.norm(rows, axis=1) >= threshold * fro / math.sqrt(d)


def heavy_row_mask(rows: Any, *, threshold: float) -> jax.Array:
    r"""Mark the heavy rows: ‖a_i‖ >= threshold · ‖A‖_F / √d.

    Kacham and Woodruff call a row heavy when its norm is at least
    ‖A‖_F / √(d · polylog d) and parameterise the space by their number h.
    The polylog factor is unspecified, so we expose it as
    ``threshold`` = 1/√polylog(d): ``threshold = 1`` drops it (only rows
    above the average energy per dimension), smaller values mark more rows.
    Since Σ‖a_i‖² = ‖A‖_F², at most d / threshold² rows can be heavy.

    Parameters
    ----------
    rows : array of shape (n, d)
    threshold : float
        Factor τ > 0 in ‖a_i‖ >= τ ‖A‖_F / √d.

    Returns
    -------
    bool array of shape (n,)

    Raises
    ------
    TypeError
        ``rows`` is not numeric or ``threshold`` is not a number.
    ValueError
        ``rows`` is not a finite 2-D array, or ``threshold <= 0``.

    References
    ----------
    * ``kacham2024topeigenvector`` (arXiv 2412.11963), abstract.

    Explained in chapter 01_eigensolvers.
    """
    where = "eigen.heavy_row_mask"
    rows = _checks.as_matrix(rows, "rows", where)
    threshold = _checks.check_scalar(threshold, "threshold", where, min_val=0.0,
                                     strict_min=True)
    return _heavy_mask_impl(rows, jnp.asarray(threshold, rows.dtype))


# --------------------------------------------------------------------------- diagnostics

@jax.jit
def _correlation_impl(v: jax.Array, v1: jax.Array) -> jax.Array:
    return jnp.abs(jnp.dot(v, v1)) / (jnp.linalg.norm(v) * jnp.linalg.norm(v1))


def correlation(v: Any, v1: Any) -> jax.Array:
    """Correlation abs(⟨v, v1⟩) of two directions (inputs are normalised first).

    Parameters
    ----------
    v, v1 : arrays of shape (d,)
        Non-zero vectors, typically unit vectors.

    Returns
    -------
    array of shape ()
        abs(⟨v, v1⟩) / (‖v‖ ‖v1‖) in [0, 1]; 1 - correlation is the error the
        chapter plots.

    Raises
    ------
    TypeError
        An input is not numeric.
    ValueError
        An input is not a finite 1-D array, the sizes differ, or a vector is zero.

    Explained in chapter 01_eigensolvers.
    """
    where = "eigen.correlation"
    v = _checks.as_vector(v, "v", where)
    v1 = _checks.as_vector(v1, "v1", where, size=v.shape[0])
    for name, x in (("v", v), ("v1", v1)):
        if not bool(jnp.any(x != 0)):
            raise _checks.fail(where, name, "a non-zero vector", "all zeros")
    dtype = jnp.result_type(v.dtype, v1.dtype)
    return _correlation_impl(v.astype(dtype), v1.astype(dtype))


def _block_gram_estimates(rows: jax.Array, mask: np.ndarray,
                          n_blocks: int) -> tuple[jax.Array, jax.Array]:
    """Per-block unbiased Gram estimates (n_blocks, d, d) and block sizes (n_blocks,).

    Rows are taken in the given order. Estimate of block b:
    (n/abs(b)) Σ_{i in b, light} a_i a_iᵀ + HᵀH.
    """
    light, heavy = _split_heavy(rows, mask)
    return _block_grams_impl(light, heavy, n_blocks)


@partial(jax.jit, static_argnames=("n_blocks",))
def _block_grams_impl(light: jax.Array, heavy: jax.Array,
                      n_blocks: int) -> tuple[jax.Array, jax.Array]:
    n, _ = light.shape
    idx, valid, sizes = _block_index(n, n_blocks)
    blocks = jnp.where(jnp.asarray(valid)[..., None], light[jnp.asarray(idx)],
                       jnp.zeros((), light.dtype))
    weights = jnp.asarray(n / sizes, light.dtype)
    HtH = heavy.T @ heavy
    grams = weights[:, None, None] * jnp.einsum("bij,bik->bjk", blocks, blocks) + HtH
    return grams, jnp.asarray(sizes)


@partial(jax.jit, static_argnames=("n_blocks",))
def _block_gram_error_impl(rows: jax.Array, light: jax.Array, heavy: jax.Array,
                           n_blocks: int) -> jax.Array:
    grams, _ = _block_grams_impl(light, heavy, n_blocks)
    G = rows.T @ rows
    return (jnp.linalg.norm(grams - G[None], axis=(1, 2))
            / jnp.linalg.norm(G))


def block_gram_error(rows: Any, *, key: jax.Array, n_blocks: int,
                     heavy_mask: Any = None) -> jax.Array:
    r"""Relative error of each block's unbiased estimate of AᵀA in a random order.

    The rows are put in a uniformly random order drawn from ``key`` and cut
    into ``n_blocks`` blocks as in :func:`random_order_block_power`. For
    block b the estimate is Ĝ_b = (n/abs(b)) Σ_{i in b, light} a_i a_iᵀ + HᵀH
    (E[Ĝ_b] = AᵀA) and the error is ‖Ĝ_b - AᵀA‖_F / ‖AᵀA‖_F. A heavy row left
    in the stream lands in one block, where it is weighted by n/abs(b), and is
    missing from all others: the error is dominated by it. Keeping the heavy
    rows exactly removes that term; this is the mechanism behind the lower
    bound of Kacham and Woodruff (space must grow with the number h of heavy rows).

    Parameters
    ----------
    rows : array of shape (n, d)
    key : PRNG key
        Draws the random order.
    n_blocks : int
        Number of blocks, 1 <= n_blocks <= n.
    heavy_mask : bool array of shape (n,), optional
        Rows (in the original order) kept exactly. Default: none.

    Returns
    -------
    array of shape (n_blocks,)
        Relative Frobenius error of each block's estimate.

    Raises
    ------
    TypeError
        ``key`` is not a PRNG key, ``rows`` is not numeric, ``n_blocks`` is not
        an int, or ``heavy_mask`` is not a bool array.
    ValueError
        ``rows`` is not a finite 2-D array, ``n_blocks`` is out of range, or
        ``heavy_mask`` has the wrong shape.

    References
    ----------
    * ``kacham2024topeigenvector`` (arXiv 2412.11963), lower bound in the abstract.

    Explained in chapter 01_eigensolvers.
    """
    where = "eigen.block_gram_error"
    key = _checks.check_key(key, "key", where)
    rows = _checks.as_matrix(rows, "rows", where)
    n = int(rows.shape[0])
    n_blocks = _checks.check_int(n_blocks, "n_blocks", where, min_val=1, max_val=n,
                                 hint="Use at most one block per row.")
    mask = _validate_heavy(heavy_mask, n, where)
    perm = np.asarray(jax.random.permutation(key, n))
    shuffled, mask = rows[perm], mask[perm]
    light, heavy = _split_heavy(shuffled, mask)
    return _block_gram_error_impl(shuffled, light, heavy, n_blocks)
