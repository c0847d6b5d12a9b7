"""Curvature products of a loss: Hessian (forward-over-reverse), Gauss–Newton, empirical Fisher.

Every product is matrix-free and returned as a :class:`CurvatureOperator` whose
``matmat`` maps a block ``X`` of shape (d, b) to ``C @ X`` (C the Hessian, the
Gauss–Newton matrix or the damped empirical Fisher) on the flattened parameters,
so that the book's eigensolvers take it as they take any callable
(``eigen.lanczos(op.matmat, k, n=op.n, key=...)``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks

__all__ = ["CurvatureOperator", "FlatParams", "flatten_params", "gauss_newton_operator",
           "hessian_operator", "sample_gradients", "empirical_fisher_operator"]

LOSSES = ("cross_entropy", "mse")


class CurvatureOperator(NamedTuple):
    """A symmetric curvature matrix of size d, as a matrix-free product.

    Attributes
    ----------
    matmat : callable
        ``matmat(X)`` for X of shape (d, b) returns ``C @ X`` of shape (d, b)
        (a vector of shape (d,) gives shape (d,)); JAX-traceable and jitted (the
        same object reuses its compiled code).
    n : int
        The number d of parameters.
    w : array of shape (d,)
        The flattened parameters at which the curvature is taken.
    kind : str
        ``"hessian"``, ``"gauss_newton"`` or ``"empirical_fisher"``.
    """

    matmat: Callable[[jax.Array], jax.Array]
    n: int
    w: jax.Array
    kind: str


# -- flat parameters ---------------------------------------------------------------------------
class _Spec(NamedTuple):
    """Hashable description of a parameter pytree (a static jit argument)."""

    treedef: Any
    shapes: tuple[tuple[int, ...], ...]
    dtypes: tuple[Any, ...]


def _spec_and_flat(params: Any, where: str) -> tuple[_Spec, jax.Array]:
    _checks.check_pytree_finite(params, "params", where)
    leaves, treedef = jax.tree.flatten(params)
    if not leaves:
        raise _checks.fail(where, "params", "a pytree with at least one array", "no leaves")
    leaves = [jnp.asarray(leaf) for leaf in leaves]
    dtype = jnp.result_type(*leaves, float)
    spec = _Spec(treedef, tuple(tuple(leaf.shape) for leaf in leaves),
                 tuple(leaf.dtype for leaf in leaves))
    flat = jnp.concatenate([leaf.ravel().astype(dtype) for leaf in leaves])
    return spec, flat


def _unflatten(w: jax.Array, spec: _Spec) -> Any:
    sizes = [int(np.prod(s)) for s in spec.shapes]
    offsets = np.cumsum([0] + sizes)
    leaves = [w[a:b].reshape(s).astype(dt)
              for a, b, s, dt in zip(offsets[:-1], offsets[1:], spec.shapes, spec.dtypes,
                                     strict=True)]
    return jax.tree.unflatten(spec.treedef, leaves)


class FlatParams(NamedTuple):
    """What :func:`flatten_params` returns.

    Attributes
    ----------
    w : array of shape (d,)
        The leaves, raveled and concatenated in ``jax.tree.flatten`` order.
    unflatten : callable
        ``unflatten(w)`` rebuilds a pytree of the original structure.
    """

    w: jax.Array
    unflatten: Callable[[jax.Array], Any]


def flatten_params(params: Any) -> FlatParams:
    """Flatten a parameter pytree into one vector, and the map back.

    Parameters
    ----------
    params : pytree of arrays
        E.g. the list of ``(W, b)`` of :func:`eigenbook.nn.init_mlp`.

    Returns
    -------
    FlatParams
        ``w`` of shape (d,) and ``unflatten``.

    Raises
    ------
    TypeError, ValueError
        Non-numeric, complex, NaN/inf leaves, or no leaves.
    """
    spec, flat = _spec_and_flat(params, "curvature.flatten_params")
    return FlatParams(flat, functools.partial(_unflatten, spec=spec))


def _check_callable(fn: Any, name: str, where: str, rule: str) -> None:
    if not callable(fn):
        raise _checks.fail(where, name, rule, type(fn).__name__, exc=TypeError)


def _check_inputs(apply: Any, params: Any, x: Any, y: Any, loss: str,
                  where: str) -> tuple[_Spec, jax.Array, jax.Array, jax.Array]:
    """Validate apply/params/x/y/loss; ``y`` against the output size C of ``apply``."""
    _check_callable(apply, "apply", where, "a callable apply(params, x) -> outputs")
    _checks.check_choice(loss, "loss", where, LOSSES)
    spec, w = _spec_and_flat(params, where)
    x = _checks.as_array(x, "x", where, rule="an array of shape (N, ...)")
    if x.ndim < 1:
        raise _checks.fail(where, "x", "an array of shape (N, ...)", "a scalar")
    try:
        out = jax.eval_shape(apply, params, x)
    except (ValueError, TypeError):
        raise
    except Exception as err:
        raise _checks.fail(where, "apply", "a JAX-traceable apply(params, x)",
                           f"a callable that raised {type(err).__name__}: {err}",
                           exc=TypeError) from err
    shape = getattr(out, "shape", None)
    if shape is None or len(shape) != 2 or shape[0] != x.shape[0]:
        raise _checks.fail(where, "apply", f"outputs of shape ({x.shape[0]}, C)",
                           f"shape {shape}", exc=TypeError)
    n_out = int(shape[1])
    if loss == "cross_entropy":
        y = jnp.asarray(_checks.as_indices(y, "y", where, ndim=1, upper=n_out,
                                           rule="integer labels of shape (N,)"))
    else:
        y = _checks.as_array(y, "y", where, rule=f"targets of shape (N, {n_out})", ndim=2)
        if y.shape[1] != n_out:
            raise _checks.fail(where, "y", f"targets of shape (N, {n_out})",
                               f"shape {tuple(y.shape)}")
    if y.shape[0] != x.shape[0]:
        raise _checks.fail(where, "y", f"{x.shape[0]} rows (one per row of x)",
                           f"shape {tuple(y.shape)}")
    return spec, w, x, y


# -- Hessian ------------------------------------------------------------------------------------
@functools.partial(jax.jit, static_argnames=("loss", "spec", "with_data"))
def _hvp_impl(w, data, X, *, loss, spec, with_data):
    def f(w_):
        args = (data,) if with_data else ()
        return loss(_unflatten(w_, spec), *args)

    grad = jax.grad(f)

    def column(v):
        return jax.jvp(grad, (w,), (v.astype(w.dtype),))[1]

    if X.ndim == 1:                                    # a single vector (eigen's host loop)
        return column(X)
    return jax.vmap(column, in_axes=1, out_axes=1)(X)


def hessian_operator(loss: Callable[..., jax.Array], params: Any, *,
                     data: Any = None) -> CurvatureOperator:
    """The Hessian of ``loss`` at ``params`` as a matrix-free operator (forward-over-reverse).

    ``H v`` is the directional derivative of the gradient: ``jax.jvp`` of ``jax.grad``
    (forward mode over reverse mode), about the cost of two gradients per column and
    no d x d storage. A block of columns is ``jax.vmap``-ed.

    Parameters
    ----------
    loss : callable
        ``loss(params)`` or, with ``data``, ``loss(params, data)``: a scalar; the same
        signature :func:`eigenbook.nn.fit` takes. Pass a module-level function (not a
        fresh lambda) to reuse the compiled product.
    params : pytree of arrays
        The point; flattened as :func:`flatten_params` does.
    data : pytree, optional
        The arrays the loss needs (traced, not baked into the compiled code).

    Returns
    -------
    CurvatureOperator
        ``matmat(X)`` = ``H @ X`` for X of shape (d, b); ``kind="hessian"``.

    Raises
    ------
    TypeError
        ``loss`` not callable, or not returning a real scalar.
    ValueError
        Empty or non-finite ``params``.

    See Also
    --------
    gauss_newton_operator : the positive semidefinite part of H.
    eigenbook.eigen.lanczos : extreme eigenpairs of the operator.

    References
    ----------
    * Pearlmutter, B. A. (1994). Fast exact multiplication by the Hessian.
    """
    where = "curvature.hessian_operator"
    _check_callable(loss, "loss", where, "a callable loss(params[, data]) -> scalar")
    spec, w = _spec_and_flat(params, where)
    with_data = data is not None
    try:
        out = jax.eval_shape(lambda p: loss(p, *((data,) if with_data else ())), params)
    except Exception as err:
        raise _checks.fail(where, "loss", "a JAX-traceable loss(params[, data])",
                           f"a callable that raised {type(err).__name__}: {err}",
                           exc=TypeError) from err
    if getattr(out, "shape", None) != () or np.dtype(out.dtype).kind != "f":
        raise _checks.fail(where, "loss", "a real scalar loss",
                           f"shape {getattr(out, 'shape', None)}, "
                           f"dtype {getattr(out, 'dtype', None)}", exc=TypeError)
    matmat = functools.partial(_hvp_impl, w, data, loss=loss, spec=spec, with_data=with_data)
    return CurvatureOperator(matmat, int(w.shape[0]), w, "hessian")


# -- Gauss–Newton ---------------------------------------------------------------------------------
def _output_hessian_times(z: jax.Array, u: jax.Array, loss: str) -> jax.Array:
    """``H_out u`` per sample: softmax cross-entropy ``diag(p) - p p^T``; mse identity."""
    if loss == "mse":
        return u
    p = jax.nn.softmax(z, axis=-1)
    return p * u - p * jnp.sum(p * u, axis=-1, keepdims=True)


@functools.partial(jax.jit, static_argnames=("apply", "spec", "loss"))
def _gn_impl(w, x, X, *, apply, spec, loss):
    def f(w_):
        return apply(_unflatten(w_, spec), x)

    z, jvp_fn = jax.linearize(f, w)
    vjp_fn = jax.linear_transpose(jvp_fn, w)
    n_samples = z.shape[0]

    def column(v):
        u = jvp_fn(v.astype(w.dtype))
        return vjp_fn(_output_hessian_times(z, u, loss) / n_samples)[0]

    if X.ndim == 1:
        return column(X)
    return jax.vmap(column, in_axes=1, out_axes=1)(X)


def gauss_newton_operator(apply: Callable[[Any, jax.Array], jax.Array], params: Any,
                          x: Any, y: Any, *,
                          loss: str = "cross_entropy") -> CurvatureOperator:
    """The generalised Gauss–Newton matrix ``G = (1/N) sum_i J_i^T H_i J_i`` as an operator.

    With ``z_i = apply(params, x_i)`` the network outputs (logits), ``J_i`` their
    Jacobian in the parameters and ``H_i`` the Hessian of the per-sample loss in
    ``z_i``: ``diag(p_i) - p_i p_i^T`` for softmax cross-entropy (p = softmax z),
    the identity for ``mse`` (``0.5 ||z - y||^2``). ``G`` is the Hessian of the mean
    loss minus the term weighted by the loss gradient in the outputs; it is positive
    semidefinite of rank at most ``N (C - 1)`` (cross-entropy) or ``N C`` (mse).
    ``G v`` costs one JVP and one VJP (``jax.linearize``), no Hessian of the network.

    Parameters
    ----------
    apply : callable
        ``apply(params, x) -> z`` of shape (N, C), e.g. :func:`eigenbook.nn.mlp`.
    params : pytree of arrays
    x : array of shape (N, ...)
        Inputs.
    y : array of shape (N,) or (N, C)
        Integer labels (cross-entropy) or targets (mse). Only the shape is used:
        ``H_i`` does not depend on the labels.
    loss : {"cross_entropy", "mse"}

    Returns
    -------
    CurvatureOperator
        ``kind="gauss_newton"``.

    Raises
    ------
    TypeError, ValueError
        ``apply`` not callable; bad ``params``, ``x``, ``y`` or ``loss``.

    References
    ----------
    * Schraudolph, N. N. (2002). Fast curvature matrix-vector products for
      second-order gradient descent.
    """
    where = "curvature.gauss_newton_operator"
    spec, w, x, _ = _check_inputs(apply, params, x, y, loss, where)
    matmat = functools.partial(_gn_impl, w, x, apply=apply, spec=spec, loss=loss)
    return CurvatureOperator(matmat, int(w.shape[0]), w, "gauss_newton")


# -- per-sample gradients and the empirical Fisher -------------------------------------------------
def _per_sample_loss(z: jax.Array, y: jax.Array, loss: str) -> jax.Array:
    if loss == "mse":
        return 0.5 * jnp.sum((z - y) ** 2)
    return jax.nn.logsumexp(z) - z[y]


@functools.partial(jax.jit, static_argnames=("apply", "spec", "loss"))
def _grads_impl(w, x, y, *, apply, spec, loss):
    def one(xi, yi):
        return jax.grad(lambda w_: _per_sample_loss(apply(_unflatten(w_, spec), xi[None])[0],
                                                    yi, loss))(w)

    return jax.vmap(one)(x, y)


def sample_gradients(apply: Callable[[Any, jax.Array], jax.Array], params: Any, x: Any,
                     y: Any, *, loss: str = "cross_entropy") -> jax.Array:
    """Per-sample loss gradients, one row per sample (``jax.vmap`` of ``jax.grad``).

    Parameters
    ----------
    apply : callable
        ``apply(params, x) -> z`` of shape (N, C).
    params : pytree of arrays
    x : array of shape (N, ...)
    y : array of shape (N,) (integer labels) or (N, C) (mse targets)
    loss : {"cross_entropy", "mse"}

    Returns
    -------
    G : array of shape (N, d)
        Row i is the gradient of the loss of sample i in the flattened parameters;
        ``G.T @ G / N`` is the empirical Fisher.

    Raises
    ------
    TypeError, ValueError
        As :func:`gauss_newton_operator`.
    """
    where = "curvature.sample_gradients"
    spec, w, x, y = _check_inputs(apply, params, x, y, loss, where)
    return _grads_impl(w, x, y, apply=apply, spec=spec, loss=loss)


@jax.jit
def _fisher_impl(G, damping, X):
    return damping * X + G.T @ (G @ X) / G.shape[0]


def empirical_fisher_operator(G: Any, *, damping: float) -> CurvatureOperator:
    """The damped empirical Fisher ``F = damping I + (1/m) G^T G`` as a matrix-free operator.

    Parameters
    ----------
    G : array of shape (m, d)
        Gradients, one per row (:func:`sample_gradients`, or a window of
        optimizer gradients).
    damping : float
        ``lambda >= 0``.

    Returns
    -------
    CurvatureOperator
        ``matmat(X) = damping X + G^T (G X) / m``: O(d m b) per block, no d x d
        storage; ``w`` is a zero vector, ``kind="empirical_fisher"``.

    Raises
    ------
    TypeError, ValueError
        ``G`` not a finite real 2-D array; negative ``damping``.
    """
    where = "curvature.empirical_fisher_operator"
    G = _checks.as_matrix(G, "G", where)
    damping = _checks.check_scalar(damping, "damping", where, min_val=0.0)
    matmat = functools.partial(_fisher_impl, G, jnp.asarray(damping, G.dtype))
    return CurvatureOperator(matmat, int(G.shape[1]), jnp.zeros(G.shape[1], G.dtype),
                             "empirical_fisher")
