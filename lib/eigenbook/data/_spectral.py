"""Weights and representations with a planted spectrum, for spectral diagnostics (chapter 17).

random_weights
    An (m, n) weight matrix with i.i.d. Gaussian or Student-t entries: the null model of
    Marchenko–Pastur (Gaussian) and a planted heavy tail (t with few degrees of freedom).
representations
    n samples in R^d whose population covariance has eigenvalues ``i^{-alpha}`` in a Haar
    basis: a representation with a known eigenspectrum decay.
zipf_bigrams
    Token pairs (x, y) with Zipf (or uniform) token frequencies and a planted successor rule:
    the data of the toy language model of chapter 17.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook import _checks

from ._random import _haar_orthogonal_impl, numpy_rng

__all__ = ["random_weights", "RepresentationSample", "representations", "Bigrams",
           "zipf_bigrams"]


def random_weights(m: int, n: int, *, key: jax.Array, dist: str = "gaussian",
                   df: float = 3.0) -> jax.Array:
    """An (m, n) matrix with i.i.d. entries, Gaussian or Student-t.

    Parameters
    ----------
    m, n : int
        Shape, ``>= 1``.
    key : PRNG key
        Draws the entries (on the host, through :func:`numpy_rng`).
    dist : {"gaussian", "student_t"}
        Entry law. Gaussian entries have variance 1. Student-t entries with ``df > 2`` are
        scaled to variance 1; with ``df <= 2`` (infinite variance) they are left unscaled.
    df : float
        Degrees of freedom of the t law (``> 0``; ignored for Gaussian entries). Its tail
        index: :math:`P(|w| > t) \\sim t^{-\\mathrm{df}}`.

    Returns
    -------
    jax.Array of shape (m, n)

    Raises
    ------
    TypeError, ValueError
        Bad sizes, unknown ``dist``, ``df <= 0``, bad ``key``.

    Notes
    -----
    Used in chapter :ref:`spectral-diagnostics`: Gaussian weights follow the
    Marchenko–Pastur law; t entries with small ``df`` plant a heavy-tailed ESD.
    """
    where = "data.random_weights"
    key = _checks.check_key(key, "key", where)
    m = _checks.check_int(m, "m", where, min_val=1)
    n = _checks.check_int(n, "n", where, min_val=1)
    dist = _checks.check_choice(dist, "dist", where, ("gaussian", "student_t"))
    df = _checks.check_scalar(df, "df", where, min_val=0.0, strict_min=True)
    rng = numpy_rng(key)     # sampled on the host: no compile per matrix shape
    if dist == "gaussian":
        return jnp.asarray(rng.standard_normal((m, n)))
    W = rng.standard_t(df, (m, n))
    return jnp.asarray(W * np.sqrt((df - 2.0) / df) if df > 2 else W)


class RepresentationSample(NamedTuple):
    """Samples with a known covariance spectrum.

    Attributes
    ----------
    Z : jax.Array of shape (n, d)
        The samples (rows), mean zero.
    eigenvalues : jax.Array of shape (d,)
        Population covariance eigenvalues, descending: :math:`\\lambda_i = i^{-\\alpha}`.
    basis : jax.Array of shape (d, d)
        Orthonormal eigenvectors of the population covariance (columns).
    """

    Z: jax.Array
    eigenvalues: jax.Array
    basis: jax.Array


def representations(n: int, d: int, *, key: jax.Array, alpha: float) -> RepresentationSample:
    """n Gaussian samples in R^d with covariance eigenvalues :math:`i^{-\\alpha}`, Haar basis.

    Parameters
    ----------
    n, d : int
        Number of samples and dimension, ``>= 1``.
    key : PRNG key
        Draws the basis and the samples.
    alpha : float
        Decay exponent, ``>= 0`` (0: isotropic).

    Returns
    -------
    RepresentationSample
        ``Z = G diag(sqrt(lambda)) Q^T`` with Gaussian ``G`` (n, d) and Haar ``Q`` (d, d).

    Raises
    ------
    TypeError, ValueError
        Bad sizes, ``alpha < 0`` or non-finite, bad ``key``.

    Notes
    -----
    The sample covariance of ``Z`` estimates the spectrum; its decay is what
    :func:`eigenbook.diagnostics.alpha_req` measures (chapter :ref:`spectral-diagnostics`).
    """
    where = "data.representations"
    key = _checks.check_key(key, "key", where)
    n = _checks.check_int(n, "n", where, min_val=1)
    d = _checks.check_int(d, "d", where, min_val=1)
    alpha = _checks.check_scalar(alpha, "alpha", where, min_val=0.0)
    dt = jnp.result_type(float)
    kq, kg = jax.random.split(key)
    lam = jnp.arange(1, d + 1, dtype=dt) ** (-alpha)
    Q = _haar_orthogonal_impl(kq, n=d, p=d, shape=(), dtype=jnp.dtype(dt))
    G = jax.random.normal(kg, (n, d), dtype=dt)
    return RepresentationSample((G * jnp.sqrt(lam)[None, :]) @ Q.T, lam, Q)


class Bigrams(NamedTuple):
    """Token pairs of a toy next-token task.

    Attributes
    ----------
    x, y : jax.Array of shape (n,), int
        Current and next token, in ``range(vocab)``.
    frequencies : jax.Array of shape (vocab,)
        The marginal law of ``x`` (Zipf or uniform).
    successor : jax.Array of shape (vocab,), int
        The planted rule: ``y = successor[x]`` with probability ``1 - noise``.
    """

    x: jax.Array
    y: jax.Array
    frequencies: jax.Array
    successor: jax.Array


def zipf_bigrams(n: int, vocab: int, *, key: jax.Array, exponent: float = 1.1,
                 noise: float = 0.5) -> Bigrams:
    """n token pairs: x with Zipf frequencies, y its planted successor or a Zipf draw.

    Parameters
    ----------
    n : int
        Number of pairs, ``>= 1``.
    vocab : int
        Vocabulary size, ``>= 2``.
    key : PRNG key
        Draws the successor permutation and the pairs.
    exponent : float
        Zipf exponent ``s >= 0``: token ``r`` (0-based rank) has frequency
        :math:`\\propto (r + 1)^{-s}`; ``0`` gives uniform frequencies (the control).
    noise : float
        Probability in [0, 1] that ``y`` is a fresh draw from the marginal instead of
        ``successor[x]``.

    Returns
    -------
    Bigrams

    Raises
    ------
    TypeError, ValueError
        Bad sizes, negative ``exponent``, ``noise`` outside [0, 1], bad ``key``.

    Notes
    -----
    The toy of chapter :ref:`spectral-diagnostics` (skewed frequencies and a bottleneck
    ``d << vocab``).
    """
    where = "data.zipf_bigrams"
    key = _checks.check_key(key, "key", where)
    n = _checks.check_int(n, "n", where, min_val=1)
    vocab = _checks.check_int(vocab, "vocab", where, min_val=2)
    exponent = _checks.check_scalar(exponent, "exponent", where, min_val=0.0)
    noise = _checks.check_scalar(noise, "noise", where, min_val=0.0, max_val=1.0)
    dt = jnp.result_type(float)
    kp, kx, ky, kc = jax.random.split(key, 4)
    p = jnp.arange(1, vocab + 1, dtype=dt) ** (-exponent)
    p = p / p.sum()
    logits = jnp.log(p)
    succ = jax.random.permutation(kp, vocab)
    x = jax.random.categorical(kx, logits, shape=(n,))
    fresh = jax.random.categorical(ky, logits, shape=(n,))
    y = jnp.where(jax.random.uniform(kc, (n,), dtype=dt) < noise, fresh, succ[x])
    return Bigrams(x, y, p, succ)

