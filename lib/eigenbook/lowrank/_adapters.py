"""Low-rank adapters: LoRA, PiSSA, SORSA (linear weights) and Tucker adapters (N-D weights).

* LoRA adds a trainable product :math:`AB` to a frozen weight, with ``B = 0`` at the start.
* PiSSA starts the product at the principal part of the weight itself: :math:`A = U_r
  \\Sigma_r^{1/2}`, :math:`B = \\Sigma_r^{1/2} V_r^\\top`, and freezes the residual.
* SORSA keeps the three SVD factors :math:`W_p = U_p \\operatorname{diag}(s_p) V_p^\\top`
  trainable over the frozen residual :math:`W_r`, with the orthonormal regulariser
  :math:`\\gamma(\\lVert U_p^\\top U_p - I\\rVert_F + \\lVert V_p^\\top V_p - I\\rVert_F)`.
* FLoRA writes the update of an N-D weight (a convolution kernel) as a Tucker tensor
  :math:`G \\times_1 A_1 \\cdots \\times_N A_N` instead of reshaping it to a matrix.

All adapters merge into a plain weight: no cost at inference.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from .. import _checks
from .. import nn as _nn
from .. import tensors as _tensors
from ..display import implemented_by

__all__ = [
    "SVDAdapter",
    "AdapterFit",
    "TuckerAdapter",
    "MatrixAdapter",
    "svd_adapter",
    "merge_adapter",
    "orthonormality_defect",
    "fit_adapter",
    "tucker_adapter",
    "matricized_adapter",
    "tucker_adapter_size",
    "lora_adapter_size",
]


class SVDAdapter(NamedTuple):
    """A weight split as :math:`W = U \\operatorname{diag}(s) V_t + W_r` (SORSA, PiSSA).

    Attributes
    ----------
    U : array of shape (m, r)
        Trainable left factor (orthonormal at initialisation).
    s : array of shape (r,)
        Trainable singular values.
    Vt : array of shape (r, n)
        Trainable right factor (orthonormal rows at initialisation).
    residual : array of shape (m, n)
        The frozen rest :math:`W_r = W - U \\operatorname{diag}(s) V_t`.
    """

    U: jax.Array
    s: jax.Array
    Vt: jax.Array
    residual: jax.Array


class AdapterFit(NamedTuple):
    """What :func:`fit_adapter` returns.

    Attributes
    ----------
    weight : array of shape (d_in, d_out)
        The merged weight after training.
    losses : array of shape (n_steps,)
        The objective (relative task loss plus the regulariser) before each step.
    task_loss : float
        The relative task loss :math:`\\lVert XW - Y\\rVert_F^2 / \\lVert Y\\rVert_F^2` at the end.
    params : dict
        The trained adapter parameters (``"A", "B"`` or ``"U", "s", "Vt"``).
    defect : float
        :func:`orthonormality_defect` of the trained factors (of ``A``, ``B`` normalised
        column/row-wise for LoRA and PiSSA).
    factor_condition : float
        The larger condition number of the two trained factors (1 for orthonormal ones).
    """

    weight: jax.Array
    losses: jax.Array
    task_loss: float
    params: dict
    defect: float
    factor_condition: float


class TuckerAdapter(NamedTuple):
    """A Tucker-structured update :math:`\\Delta \\approx G \\times_1 A_1 \\cdots \\times_N A_N`.

    Attributes
    ----------
    core : array of shape (r_1, ..., r_N)
    factors : tuple of N arrays, the k-th of shape (n_k, r_k)
    n_params : int
        :math:`\\prod_k r_k + \\sum_k n_k r_k`.
    relative_error : float
        :math:`\\lVert \\Delta - \\hat\\Delta \\rVert_F / \\lVert \\Delta \\rVert_F`.
    """

    core: jax.Array
    factors: tuple
    n_params: int
    relative_error: float


class MatrixAdapter(NamedTuple):
    """A LoRA-style update of an N-D weight reshaped to :math:`n_1 \\times (n_2 \\cdots n_N)`.

    Attributes
    ----------
    A : array of shape (n_1, r)
    B : array of shape (r, n_2 * ... * n_N)
    n_params : int
        :math:`r (n_1 + n_2 \\cdots n_N)`.
    relative_error : float
        Of the best rank-r approximation of the reshaped update.
    """

    A: jax.Array
    B: jax.Array
    n_params: int
    relative_error: float


# --------------------------------------------------------------------- SVD split / merge
@functools.partial(jax.jit, static_argnums=(1,))
def _svd_adapter_impl(W, r):
    U, s, Vt = jnp.linalg.svd(W, full_matrices=False)
    U, s, Vt = U[:, :r], s[:r], Vt[:r]
    return U, s, Vt, W - (U * s[None, :]) @ Vt


@implemented_by(_svd_adapter_impl)
def svd_adapter(W: Any, r: int) -> SVDAdapter:
    """Split a weight into its principal rank-r part and a frozen residual (SORSA, PiSSA).

    :math:`W = U_r \\operatorname{diag}(s_r) V_r^\\top + W_r` with the top-r singular
    triplets :cite:p:`cao2024sorsa,meng2024pissa`; ``merge_adapter`` of the result gives W
    back to rounding.

    Parameters
    ----------
    W : array of shape (m, n)
    r : int
        ``1 <= r <= min(m, n)``.

    Returns
    -------
    SVDAdapter

    Raises
    ------
    TypeError, ValueError
        ``W`` not a finite real matrix; ``r`` out of range.

    References
    ----------
    :cite:p:`cao2024sorsa,meng2024pissa`

    See Also
    --------
    numpy.linalg.svd : the decomposition used.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.svd_adapter"
    W = _checks.as_matrix(W, "W", where)
    r = _checks.check_rank(r, "r", where, upper=min(W.shape), upper_name="min(m, n)")
    return SVDAdapter(*_svd_adapter_impl(W, r))


def merge_adapter(adapter: SVDAdapter) -> jax.Array:
    """The merged weight :math:`U \\operatorname{diag}(s) V_t + W_r` of an :class:`SVDAdapter`.

    Parameters
    ----------
    adapter : SVDAdapter
        ``U`` (m, r), ``s`` (r,), ``Vt`` (r, n), ``residual`` (m, n).

    Returns
    -------
    array of shape (m, n)

    Raises
    ------
    TypeError, ValueError
        Not an SVDAdapter, shapes that do not fit, NaN/inf.

    References
    ----------
    :cite:p:`cao2024sorsa`

    See Also
    --------
    svd_adapter : the split.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.merge_adapter"
    if not isinstance(adapter, SVDAdapter):
        raise _checks.fail(where, "adapter", "an SVDAdapter (from lowrank.svd_adapter)",
                           type(adapter).__name__, exc=TypeError)
    U = _checks.as_matrix(adapter.U, "adapter", where)
    s = _checks.as_vector(adapter.s, "adapter", where, allow_empty=False)
    Vt = _checks.as_matrix(adapter.Vt, "adapter", where)
    Wr = _checks.as_matrix(adapter.residual, "adapter", where)
    r = s.shape[0]
    if U.shape[1] != r or Vt.shape[0] != r or Wr.shape != (U.shape[0], Vt.shape[1]):
        raise _checks.fail(where, "adapter", "U (m, r), s (r,), Vt (r, n), residual (m, n)",
                           f"shapes {U.shape}, {s.shape}, {Vt.shape}, {Wr.shape}")
    return (U * s[None, :]) @ Vt + Wr


def _defect(U, Vt):
    r = U.shape[1]
    eye = jnp.eye(r, dtype=U.dtype)
    return jnp.linalg.norm(U.T @ U - eye) + jnp.linalg.norm(Vt @ Vt.T - eye)


def orthonormality_defect(U: Any, Vt: Any) -> jax.Array:
    """SORSA's orthonormal regulariser of a factor pair.

    :math:`\\lVert U^\\top U - I\\rVert_F + \\lVert V_t V_t^\\top - I\\rVert_F`.

    Zero exactly when U has orthonormal columns and ``Vt`` orthonormal rows; then the
    singular values of :math:`U \\operatorname{diag}(s) V_t` are :math:`|s|` and all the
    scale sits in ``s`` :cite:p:`cao2024sorsa`. Differentiable; inside ``jit``/``grad``
    (tracers) only the shapes are checked.

    Parameters
    ----------
    U : array of shape (m, r)
    Vt : array of shape (r, n)

    Returns
    -------
    scalar array

    Raises
    ------
    TypeError, ValueError
        Non-finite or non-real input; ``U.shape[1] != Vt.shape[0]``.

    References
    ----------
    :cite:p:`cao2024sorsa`

    See Also
    --------
    numpy.linalg.norm : the Frobenius norm.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.orthonormality_defect"
    if not isinstance(U, jax.core.Tracer):
        U = _checks.as_matrix(U, "U", where)
    if not isinstance(Vt, jax.core.Tracer):
        Vt = _checks.as_matrix(Vt, "Vt", where)
    if U.ndim != 2 or Vt.ndim != 2 or U.shape[1] != Vt.shape[0]:
        raise _checks.fail(where, "Vt", f"shape ({U.shape[-1]}, n) (rows = columns of U)",
                           f"shape {tuple(Vt.shape)}")
    return _defect(U, Vt)


# --------------------------------------------------------------------- training
def _weight(p, W_frozen, method):
    if method == "sorsa":
        return (p["U"] * p["s"][None, :]) @ p["Vt"] + W_frozen
    return W_frozen + p["A"] @ p["B"]


@functools.partial(jax.jit, static_argnums=(0,))
def _task_loss(method, p, W_frozen, X, Y):
    return jnp.sum((X @ _weight(p, W_frozen, method) - Y) ** 2) / jnp.sum(Y * Y)


@functools.lru_cache(maxsize=8)
def _objective(method):
    # one loss object per method, so nn.fit reuses its compiled loop across calls
    def loss(p, data):
        W_frozen, X, Y, gamma = data
        value = jnp.sum((X @ _weight(p, W_frozen, method) - Y) ** 2) / jnp.sum(Y * Y)
        if method == "sorsa":
            value = value + gamma * _defect(p["U"], p["Vt"])
        return value
    return loss


@functools.lru_cache(maxsize=1)
def _adam():
    # the learning rate lives in the optimizer state (traced), so that a learning-rate grid
    # reuses nn.fit's compiled loop
    return optax.inject_hyperparams(optax.adam)(learning_rate=1e-2)


def _cond(M):
    s = jnp.linalg.svd(M, compute_uv=False)
    return float(s[0] / s[-1]) if float(s[-1]) > 0 else float("inf")


@implemented_by("_objective", "_weight")
def fit_adapter(X: Any, Y: Any, W0: Any, r: int, *, method: str = "sorsa",
                learning_rate: float = 1e-2, n_steps: int = 500, gamma: float = 0.0,
                key: jax.Array) -> AdapterFit:
    """Fine-tune a frozen linear map :math:`Y \\approx XW` with a rank-r adapter.

    Minimises the relative squared error :math:`\\lVert X W - Y\\rVert_F^2 /
    \\lVert Y\\rVert_F^2` over the adapter's parameters only, with Adam
    (``optax.adam`` through :func:`eigenbook.nn.fit`; the step size is a traced
    hyperparameter, so a learning-rate grid compiles once per method):

    * ``"lora"``: :math:`W = W_0 + AB`, A Gaussian with variance 1/d_in, B = 0
      :cite:p:`hu2022lora`;
    * ``"pissa"``: :math:`W = W_r + AB` with A, B from the top-r SVD of :math:`W_0`
      (:math:`U_r\\Sigma_r^{1/2}`, :math:`\\Sigma_r^{1/2}V_r^\\top`) :cite:p:`meng2024pissa`;
    * ``"sorsa"``: :math:`W = U \\operatorname{diag}(s) V_t + W_r` from :func:`svd_adapter`,
      plus ``gamma`` times :func:`orthonormality_defect` :cite:p:`cao2024sorsa`
      (``gamma = 0`` is PiSSA's parametrisation with the singular values kept apart).

    Parameters
    ----------
    X : array of shape (N, d_in)
    Y : array of shape (N, d_out)
    W0 : array of shape (d_in, d_out)
        The frozen pre-trained weight.
    r : int
        Adapter rank, ``1 <= r <= min(d_in, d_out)``.
    method : {"lora", "pissa", "sorsa"}
    learning_rate : float
        Adam's step size, ``> 0``.
    n_steps : int
        Optimizer steps, ``>= 1``.
    gamma : float
        Weight of the orthonormal regulariser (``"sorsa"`` only), ``>= 0``.
    key : PRNG key
        Draws LoRA's A (unused otherwise).

    Returns
    -------
    AdapterFit

    Raises
    ------
    TypeError, ValueError
        Bad arrays (shapes that do not chain, NaN/inf), ``r`` out of range, bad options.

    References
    ----------
    :cite:p:`hu2022lora,meng2024pissa,cao2024sorsa`

    See Also
    --------
    optax.adam : the optimizer.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.fit_adapter"
    X = _checks.as_matrix(X, "X", where)
    Y = _checks.as_matrix(Y, "Y", where)
    W0 = _checks.as_matrix(W0, "W0", where)
    if Y.shape[0] != X.shape[0]:
        raise _checks.fail(where, "Y", f"{X.shape[0]} rows (one per row of X)",
                           f"shape {tuple(Y.shape)}")
    if W0.shape != (X.shape[1], Y.shape[1]):
        raise _checks.fail(where, "W0", f"shape {(X.shape[1], Y.shape[1])} (X @ W0 ~ Y)",
                           f"shape {tuple(W0.shape)}")
    r = _checks.check_rank(r, "r", where, upper=min(W0.shape), upper_name="min(d_in, d_out)")
    method = _checks.check_choice(method, "method", where, ("lora", "pissa", "sorsa"))
    learning_rate = _checks.check_scalar(learning_rate, "learning_rate", where, min_val=0.0,
                                         strict_min=True)
    n_steps = _checks.check_int(n_steps, "n_steps", where, min_val=1)
    gamma = _checks.check_scalar(gamma, "gamma", where, min_val=0.0)
    key = _checks.check_key(key, "key", where)
    if float(jnp.sum(Y * Y)) == 0:
        raise _checks.fail(where, "Y", "a non-zero target", "Y = 0")
    dt = X.dtype
    W0 = W0.astype(dt)
    if method == "lora":
        A = jax.random.normal(key, (W0.shape[0], r), dt) / math.sqrt(W0.shape[0])
        params = {"A": A, "B": jnp.zeros((r, W0.shape[1]), dt)}
        frozen = W0
    else:
        U, s, Vt, frozen = _svd_adapter_impl(W0, r)
        if method == "pissa":
            params = {"A": U * jnp.sqrt(s)[None, :], "B": jnp.sqrt(s)[:, None] * Vt}
        else:
            params = {"U": U, "s": s, "Vt": Vt}
    data = (frozen, X, Y, jnp.asarray(gamma, dt))
    opt = _adam()
    state = opt.init(params)
    state.hyperparams["learning_rate"] = jnp.asarray(learning_rate, dt)
    res = _nn.fit(_objective(method), params, opt, n_steps=n_steps, data=data,
                  opt_state=state)
    p = res.params
    weight = _weight(p, frozen, method)
    if method == "sorsa":
        L, R = p["U"], p["Vt"]
    else:
        L = p["A"] / jnp.maximum(jnp.linalg.norm(p["A"], axis=0), 1e-300)[None, :]
        R = p["B"] / jnp.maximum(jnp.linalg.norm(p["B"], axis=1), 1e-300)[:, None]
    return AdapterFit(weight, res.losses, float(_task_loss(method, p, frozen, X, Y)), p,
                      float(_defect(L, R)), max(_cond(L), _cond(R)))


# --------------------------------------------------------------------- N-D (FLoRA)
def _shape(shape: Any, where: str, name: str = "shape") -> tuple[int, ...]:
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence) or not shape:
        raise _checks.fail(where, name, "a non-empty sequence of positive ints",
                           type(shape).__name__ if not isinstance(shape, Sequence)
                           else repr(shape), exc=TypeError)
    return tuple(_checks.check_int(n, f"{name}", where, min_val=1) for n in shape)


def tucker_adapter_size(shape: Sequence[int], ranks: Sequence[int]) -> int:
    """Parameters of a Tucker adapter: :math:`\\prod_k r_k + \\sum_k n_k r_k` (FLoRA).

    Parameters
    ----------
    shape : sequence of N int
        The weight's shape :math:`(n_1, \\dots, n_N)`, e.g. (c_out, c_in, s, s).
    ranks : sequence of N int
        Core sizes ``1 <= r_k <= n_k``.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        Not sequences of positive ints; lengths differ; a rank above its size.

    References
    ----------
    :cite:p:`si2024flora`

    See Also
    --------
    lora_adapter_size : the reshaped-matrix count.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.tucker_adapter_size"
    shape = _shape(shape, where)
    ranks = _ranks(ranks, shape, where)
    return int(np.prod(ranks) + sum(n * r for n, r in zip(shape, ranks, strict=True)))


def lora_adapter_size(shape: Sequence[int], r: int) -> int:
    """Parameters of LoRA on the weight reshaped to a matrix: :math:`r(n_1 + n_2\\cdots n_N)`.

    The reshaped matrix is :math:`n_1 \\times (n_2\\cdots n_N)`.

    Parameters
    ----------
    shape : sequence of int
        The weight's shape.
    r : int
        ``1 <= r <= min(n_1, n_2 * ... * n_N)``.

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        ``shape`` not a sequence of positive ints; ``r`` out of range.

    References
    ----------
    :cite:p:`hu2022lora,si2024flora`

    See Also
    --------
    tucker_adapter_size : the Tucker count.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.lora_adapter_size"
    shape = _shape(shape, where)
    rest = int(np.prod(shape[1:])) if len(shape) > 1 else 1
    r = _checks.check_rank(r, "r", where, upper=min(shape[0], rest),
                           upper_name="min(n_1, n_2 ... n_N)")
    return r * (shape[0] + rest)


def _ranks(ranks: Any, shape: tuple[int, ...], where: str) -> tuple[int, ...]:
    if isinstance(ranks, (str, bytes)) or not isinstance(ranks, Sequence):
        raise _checks.fail(where, "ranks", "a sequence of ints, one per axis",
                           type(ranks).__name__, exc=TypeError)
    if len(ranks) != len(shape):
        raise _checks.fail(where, "ranks", f"{len(shape)} ranks (one per axis)",
                           f"{len(ranks)}")
    return tuple(_checks.check_int(r, "ranks", where, min_val=1, max_val=n)
                 for r, n in zip(ranks, shape, strict=True))


def tucker_adapter(delta: Any, ranks: Sequence[int], *, max_steps: int = 50,
                   tol: float | None = None) -> TuckerAdapter:
    """Fit a Tucker adapter (FLoRA's low-rank core space) to an N-D weight update.

    :math:`\\Delta \\approx G \\times_1 A_1 \\cdots \\times_N A_N` by HOOI
    (:func:`eigenbook.tensors.hooi`): every axis of the weight (output and input channels,
    kernel rows and columns) keeps its own factor, so the spatial structure of a
    convolution kernel is not folded into a channel axis :cite:p:`si2024flora`. A
    :math:`\\Delta` of multilinear rank at most ``ranks`` is recovered to rounding.

    Parameters
    ----------
    delta : array of shape (n_1, ..., n_N)
        ``N >= 2``.
    ranks : sequence of N int
        ``1 <= r_k <= n_k``.
    max_steps : int
        HOOI sweeps, ``>= 1``.
    tol : float, optional
        HOOI's tolerance (default :math:`\\sqrt{\\varepsilon}`).

    Returns
    -------
    TuckerAdapter

    Raises
    ------
    TypeError, ValueError
        ``delta`` not a finite real array with at least 2 axes; bad ranks or options.

    Warns
    -----
    ConvergenceWarning
        HOOI stopped at ``max_steps``.

    References
    ----------
    :cite:p:`si2024flora,delathauwer2000best`

    See Also
    --------
    tensorly.decomposition.tucker : the reference.
    matricized_adapter : LoRA on the reshaped update.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.tucker_adapter"
    T = _checks.as_array(delta, "delta", where, rule="an array with at least 2 axes")
    if T.ndim < 2:
        raise _checks.fail(where, "delta", "an array with at least 2 axes",
                           f"shape {tuple(T.shape)}")
    ranks = _ranks(ranks, tuple(T.shape), where)
    max_steps = _checks.check_int(max_steps, "max_steps", where, min_val=1)
    tol = _checks.check_tol(tol, T.dtype, where)
    if float(jnp.linalg.norm(T)) == 0:
        raise _checks.fail(where, "delta", "a non-zero update", "delta = 0")
    dec = _tensors.hooi(T, ranks, max_steps=max_steps, tol=tol)
    return TuckerAdapter(dec.core, tuple(dec.factors),
                         tucker_adapter_size(T.shape, ranks), float(dec.relative_error))


@jax.jit
def _matricized_impl(M):
    return jnp.linalg.svd(M, full_matrices=False)   # once per shape; r is applied outside


def matricized_adapter(delta: Any, r: int) -> MatrixAdapter:
    """The best LoRA-style rank-r update of an N-D weight reshaped to a matrix.

    The matrix is :math:`n_1 \\times (n_2\\cdots n_N)`.

    The reshaping that FLoRA argues against :cite:p:`si2024flora`: the kernel's spatial
    axes are merged into the input-channel axis and the update is a rank-r matrix there
    (its best approximation by Eckart–Young).

    Parameters
    ----------
    delta : array of shape (n_1, ..., n_N)
        ``N >= 2``.
    r : int
        ``1 <= r <= min(n_1, n_2 * ... * n_N)``.

    Returns
    -------
    MatrixAdapter

    Raises
    ------
    TypeError, ValueError
        ``delta`` not a finite real array with at least 2 axes or zero; ``r`` out of range.

    References
    ----------
    :cite:p:`hu2022lora,si2024flora`

    See Also
    --------
    numpy.linalg.svd : the decomposition used.
    tucker_adapter : the Tucker alternative.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.matricized_adapter"
    T = _checks.as_array(delta, "delta", where, rule="an array with at least 2 axes")
    if T.ndim < 2:
        raise _checks.fail(where, "delta", "an array with at least 2 axes",
                           f"shape {tuple(T.shape)}")
    M = T.reshape(T.shape[0], -1)
    r = _checks.check_rank(r, "r", where, upper=min(M.shape),
                           upper_name="min(n_1, n_2 ... n_N)")
    if float(jnp.linalg.norm(M)) == 0:
        raise _checks.fail(where, "delta", "a non-zero update", "delta = 0")
    U, s, Vt = _matricized_impl(M)
    A, B = U[:, :r] * s[None, :r], Vt[:r]
    err = float(jnp.sqrt(jnp.sum(s[r:] ** 2) / jnp.sum(s**2)))
    return MatrixAdapter(A, B, lora_adapter_size(T.shape, r), err)
