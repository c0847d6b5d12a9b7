"""Streams of sparse codes in an orthogonal dictionary (chapter 06)."""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from .. import _checks


class SparseDictionaryData(NamedTuple):
    """What :func:`orthogonal_dictionary_stream` returns.

    Attributes
    ----------
    Y : array of shape (n, T)
        The samples ``D0 @ X``, one per column.
    D0 : array of shape (n, n)
        The Haar-random orthogonal dictionary.
    X : array of shape (n, T)
        The Bernoulli–Gaussian codes.
    """

    Y: jax.Array
    D0: jax.Array
    X: jax.Array


def orthogonal_dictionary_stream(n: int, T: int, *, p: float = 0.3, gaussian: bool = False,
                                 key: jax.Array) -> SparseDictionaryData:
    """Samples :math:`y = D_0x`, :math:`D_0` Haar-orthogonal, :math:`x` Bernoulli(p)–Gaussian.

    Parameters
    ----------
    n : int
        Dimension, ``>= 2``.
    T : int
        Number of samples, ``>= 1``.
    p : float
        Probability that a code entry is nonzero, in (0, 1].
    gaussian : bool
        Dense Gaussian codes instead (``p`` ignored): a rotation-invariant stream from
        which no dictionary is identifiable (a negative control).
    key : PRNG key

    Returns
    -------
    SparseDictionaryData

    Raises
    ------
    TypeError, ValueError
        Bad sizes, ``p`` outside (0, 1], bad ``key``.
    """
    where = "data.orthogonal_dictionary_stream"
    n = _checks.check_int(n, "n", where, min_val=2)
    T = _checks.check_int(T, "T", where, min_val=1)
    p = _checks.check_scalar(p, "p", where, min_val=0.0, max_val=1.0, strict_min=True)
    key = _checks.check_key(key, "key", where)
    kd, kb, kg = jax.random.split(key, 3)
    D0, R = jnp.linalg.qr(jax.random.normal(kd, (n, n)))
    D0 = D0 * jnp.sign(jnp.diagonal(R))
    X = jax.random.normal(kg, (n, T))
    if not gaussian:
        X = X * jax.random.bernoulli(kb, p, (n, T))
    return SparseDictionaryData(D0 @ X, D0, X)
