"""Test problems of low-rank compression and adaptation (chapter 03).

* :func:`completion_problem`: an incoherent rank-k matrix with Bernoulli(p) observations;
* :func:`tucker_tensor`: a tensor of known multilinear rank (a convolution-kernel update);
* :func:`adapter_task`: a linear "fine-tuning" task, a pre-trained weight with a decaying
  spectrum and a target that differs from it by a rank-r change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook import _checks

from ._random import _haar_orthogonal_impl


def _haar(key, n, p, dtype):
    return _haar_orthogonal_impl(key, n=n, p=p, shape=(), dtype=dtype)

__all__ = ["CompletionProblem", "TuckerTensor", "AdapterTask", "completion_problem",
           "tucker_tensor", "adapter_task"]


class CompletionProblem(NamedTuple):
    """A low-rank matrix and a random set of observed entries.

    Attributes
    ----------
    M : array of shape (m, n)
        :math:`U V^\\top / \\sqrt{k}`, rank k.
    mask : bool array of shape (m, n)
        Observed entries, each independently with probability p.
    U : array of shape (m, k)
    V : array of shape (n, k)
        Standard Gaussian factors (incoherent with high probability).
    """

    M: jax.Array
    mask: jax.Array
    U: jax.Array
    V: jax.Array


def completion_problem(m: int, n: int, k: int, p: float, *, key: jax.Array,
                       dtype=None) -> CompletionProblem:
    """An incoherent rank-k matrix :math:`M = UV^\\top/\\sqrt{k}` with entries observed w.p. p.

    Parameters
    ----------
    m, n : int
        Shape, ``>= 1``.
    k : int
        Rank, ``1 <= k <= min(m, n)``.
    p : float
        Observation probability in (0, 1].
    key : PRNG key
        Split in three: U, V and the mask.
    dtype : dtype, optional
        Default: JAX's default float.

    Returns
    -------
    CompletionProblem

    Raises
    ------
    TypeError, ValueError
        Bad sizes, rank, probability or key.

    Notes
    -----
    Used in chapter :ref:`lowrank-compression`.
    """
    where = "data.completion_problem"
    key = _checks.check_key(key, "key", where)
    m = _checks.check_int(m, "m", where, min_val=1)
    n = _checks.check_int(n, "n", where, min_val=1)
    k = _checks.check_rank(k, "k", where, upper=min(m, n), upper_name="min(m, n)")
    p = _checks.check_scalar(p, "p", where, min_val=0.0, max_val=1.0, strict_min=True)
    dt = jnp.result_type(float) if dtype is None else jnp.dtype(dtype)
    ku, kv, km = jax.random.split(key, 3)
    U = jax.random.normal(ku, (m, k), dt)
    V = jax.random.normal(kv, (n, k), dt)
    mask = jax.random.uniform(km, (m, n)) < p
    return CompletionProblem(U @ V.T / np.sqrt(k), mask, U, V)


class TuckerTensor(NamedTuple):
    """A tensor of known multilinear rank, optionally with noise.

    Attributes
    ----------
    T : array of shape (n_1, ..., n_d)
        ``clean + noise``.
    clean : array of shape (n_1, ..., n_d)
        :math:`G \\times_1 Q_1 \\cdots \\times_d Q_d`, multilinear rank ``ranks``.
    core : array of shape (r_1, ..., r_d)
        Gaussian core.
    factors : tuple of d arrays, the k-th of shape (n_k, r_k)
        Haar-orthonormal columns.
    noise_level : float
        :math:`\\lVert T - \\text{clean}\\rVert_F / \\lVert \\text{clean}\\rVert_F`.
    """

    T: jax.Array
    clean: jax.Array
    core: jax.Array
    factors: tuple
    noise_level: float


def tucker_tensor(shape: Sequence[int], ranks: Sequence[int], *, key: jax.Array,
                  noise: float = 0.0) -> TuckerTensor:
    """A random tensor of multilinear rank ``ranks`` (Gaussian core, orthonormal factors).

    Parameters
    ----------
    shape : sequence of int
        ``(n_1, ..., n_d)``, ``d >= 2``.
    ranks : sequence of d int
        ``1 <= r_k <= n_k``.
    key : PRNG key
    noise : float
        Gaussian noise scaled to ``noise`` times the clean tensor's norm, ``>= 0``.

    Returns
    -------
    TuckerTensor

    Raises
    ------
    TypeError, ValueError
        Bad shape, ranks, noise or key.

    Notes
    -----
    Used in chapter :ref:`lowrank-compression`.
    """
    where = "data.tucker_tensor"
    key = _checks.check_key(key, "key", where)
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence) or len(shape) < 2:
        raise _checks.fail(where, "shape", "a sequence of at least 2 positive ints",
                           repr(shape), exc=TypeError if not isinstance(shape, Sequence)
                           or isinstance(shape, (str, bytes)) else ValueError)
    shape = tuple(_checks.check_int(s, "shape", where, min_val=1) for s in shape)
    if isinstance(ranks, (str, bytes)) or not isinstance(ranks, Sequence):
        raise _checks.fail(where, "ranks", "a sequence of ints, one per axis",
                           type(ranks).__name__, exc=TypeError)
    if len(ranks) != len(shape):
        raise _checks.fail(where, "ranks", f"{len(shape)} ranks", f"{len(ranks)}")
    ranks = tuple(_checks.check_int(r, "ranks", where, min_val=1, max_val=n)
                  for r, n in zip(ranks, shape, strict=True))
    noise = _checks.check_scalar(noise, "noise", where, min_val=0.0)
    dt = jnp.result_type(float)
    keys = jax.random.split(key, len(shape) + 2)
    core = jax.random.normal(keys[0], ranks, dt)
    factors = tuple(_haar(kk, n, r, dt)
                    for kk, n, r in zip(keys[1:-1], shape, ranks, strict=True))
    clean = core
    for ax, Q in enumerate(factors):
        clean = jnp.moveaxis(jnp.tensordot(Q, clean, axes=(1, ax)), 0, ax)
    E = jax.random.normal(keys[-1], shape, dt)
    E = E * (noise * jnp.linalg.norm(clean) / jnp.linalg.norm(E))
    return TuckerTensor(clean + E, clean, core, factors, float(noise))


class AdapterTask(NamedTuple):
    """A linear fine-tuning task :math:`Y = X W_\\star`, :math:`W_\\star = W_0 + \\Delta`.

    Attributes
    ----------
    X : array of shape (N, d)
        Standard Gaussian inputs.
    Y : array of shape (N, d)
        Targets :math:`X W_\\star`.
    W0 : array of shape (d, d)
        The "pre-trained" weight, singular values :math:`i^{-\\text{decay}}`.
    W_target : array of shape (d, d)
    delta : array of shape (d, d)
        The rank-r change, :math:`\\lVert\\Delta\\rVert_F = \\text{shift}\\,\\lVert W_0\\rVert_F`.
    """

    X: jax.Array
    Y: jax.Array
    W0: jax.Array
    W_target: jax.Array
    delta: jax.Array


def adapter_task(d: int, n_samples: int, r: int, *, key: jax.Array, decay: float = 1.0,
                 shift: float = 0.3, subspace: str = "random") -> AdapterTask:
    """A pre-trained weight with a decaying spectrum and a rank-r change to learn.

    :math:`W_0 = Q_1 \\operatorname{diag}(i^{-\\text{decay}}) Q_2^\\top` with Haar factors;
    :math:`\\Delta = P_1 C P_2^\\top` with a Gaussian r x r C, scaled to
    :math:`\\text{shift}\\,\\lVert W_0\\rVert_F`; :math:`P_1, P_2` (d, r) are Haar
    (``subspace="random"``) or the top-r singular vectors of :math:`W_0`
    (``subspace="principal"``: the change re-mixes the principal part, the premise of
    PiSSA and SORSA, which can then represent :math:`W_0 + \\Delta` exactly).

    Parameters
    ----------
    d : int
        Width, ``>= 2``.
    n_samples : int
        Rows of X, ``>= 1``.
    r : int
        Rank of the change, ``1 <= r <= d``.
    key : PRNG key
    decay : float
        Spectral decay exponent, ``>= 0``.
    shift : float
        Relative size of the change, ``> 0``.
    subspace : {"random", "principal"}
        Where the change lives.

    Returns
    -------
    AdapterTask

    Raises
    ------
    TypeError, ValueError
        Bad sizes, options or key.

    Notes
    -----
    Used in chapter :ref:`lowrank-compression`.
    """
    where = "data.adapter_task"
    key = _checks.check_key(key, "key", where)
    d = _checks.check_int(d, "d", where, min_val=2)
    n_samples = _checks.check_int(n_samples, "n_samples", where, min_val=1)
    r = _checks.check_rank(r, "r", where, upper=d, upper_name="d")
    decay = _checks.check_scalar(decay, "decay", where, min_val=0.0)
    shift = _checks.check_scalar(shift, "shift", where, min_val=0.0, strict_min=True)
    subspace = _checks.check_choice(subspace, "subspace", where, ("random", "principal"))
    dt = jnp.result_type(float)
    k = jax.random.split(key, 6)
    s = jnp.arange(1, d + 1, dtype=dt) ** (-decay)
    Q1, Q2 = _haar(k[0], d, d, dt), _haar(k[1], d, d, dt)
    W0 = (Q1 * s[None, :]) @ Q2.T
    if subspace == "random":
        P1, P2 = _haar(k[2], d, r, dt), _haar(k[3], d, r, dt)
    else:
        P1, P2 = Q1[:, :r], Q2[:, :r]
    delta = P1 @ jax.random.normal(k[4], (r, r), dt) @ P2.T
    delta = delta * (shift * jnp.linalg.norm(W0) / jnp.linalg.norm(delta))
    X = jax.random.normal(k[5], (n_samples, d), dt)
    W = W0 + delta
    return AdapterTask(X, X @ W, W0, W, delta)
