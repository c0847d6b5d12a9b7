"""Cluttered digits: small digits pasted onto noisy canvases (Eigen-CAM, chapter 02)."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import numpy as np

from eigenbook import _checks

__all__ = ["ClutteredDigits", "cluttered_digits"]


class ClutteredDigits(NamedTuple):
    """Small digits pasted onto noisy canvases.

    Attributes
    ----------
    canvases : array of shape (N, S, S)
        Images in [0, 1].
    labels : int array of shape (N,)
        Class of the pasted digit.
    boxes : int array of shape (N, 2)
        Row and column of the top-left corner of the pasted digit.
    """

    canvases: np.ndarray
    labels: np.ndarray
    boxes: np.ndarray


def cluttered_digits(images: Any, labels: Any, n: int, *, key: jax.Array, size: int = 32,
                     noise: float = 0.15, n_clutter: int = 6) -> ClutteredDigits:
    """Paste random digits at random positions onto noisy, cluttered canvases.

    Each canvas is uniform noise in [0, ``noise``] plus ``n_clutter`` short
    vertical strokes of random brightness (below 0.6) at random places; one
    digit, drawn at random from ``images``, is pasted (pixel-wise maximum) at a
    uniformly random position.

    Parameters
    ----------
    images : array of shape (M, h, w)
        Digit images scaled to [0, 1] (e.g. ``load_digits().images / 16``).
    labels : int array of shape (M,)
        Digit classes ``0..9``.
    n : int
        Number of canvases, ``>= 1``.
    key : PRNG key
    size : int
        Canvas side S, ``> max(h, w)``.
    noise : float
        Background noise amplitude, ``>= 0``.
    n_clutter : int
        Strokes per canvas, ``>= 0``.

    Returns
    -------
    ClutteredDigits

    Raises
    ------
    TypeError, ValueError
        Bad shapes, sizes or key.

    Notes
    -----
    Used in chapter :ref:`svd-pca`.
    """
    where = "data.cluttered_digits"
    key = _checks.check_key(key, "key", where)
    imgs = np.asarray(_checks.as_array(images, "images", where, ndim=3,
                                       rule="an array of shape (M, h, w)"), dtype=float)
    if imgs.min() < 0 or imgs.max() > 1:
        raise _checks.fail(where, "images", "pixel values in [0, 1]",
                           f"values in [{imgs.min():.3g}, {imgs.max():.3g}]",
                           "Scale them, e.g. load_digits().images / 16.")
    labs = _checks.as_indices(labels, "labels", where, upper=10, ndim=1,
                              rule="digit labels 0..9 of shape (M,)")
    if labs.shape != (imgs.shape[0],):
        raise _checks.fail(where, "labels", f"shape ({imgs.shape[0]},) (one per image)",
                           f"shape {labs.shape}")
    n = _checks.check_int(n, "n", where, min_val=1)
    h, w = imgs.shape[1:]
    size = _checks.check_int(size, "size", where, min_val=max(h, w) + 1)
    noise = _checks.check_scalar(noise, "noise", where, min_val=0.0)
    n_clutter = _checks.check_int(n_clutter, "n_clutter", where, min_val=0)
    ks = jax.random.split(key, 6)
    idx = np.asarray(jax.random.randint(ks[0], (n,), 0, imgs.shape[0]))
    rows = np.asarray(jax.random.randint(ks[1], (n,), 0, size - h + 1))
    cols = np.asarray(jax.random.randint(ks[2], (n,), 0, size - w + 1))
    canv = noise * np.asarray(jax.random.uniform(ks[3], (n, size, size)))
    cl = np.asarray(jax.random.randint(ks[4], (n, n_clutter, 2), 0, size - 1))
    bright = 0.6 * np.asarray(jax.random.uniform(ks[5], (n, n_clutter)))
    for i in range(n):
        for (a, b), v in zip(cl[i], bright[i], strict=True):
            canv[i, a:a + 2, b] = np.maximum(canv[i, a:a + 2, b], v)
        r, c = rows[i], cols[i]
        canv[i, r:r + h, c:c + w] = np.maximum(canv[i, r:r + h, c:c + w], imgs[idx[i]])
    return ClutteredDigits(canv, labs[idx], np.stack([rows, cols], axis=1))
