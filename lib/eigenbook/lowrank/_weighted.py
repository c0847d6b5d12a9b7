"""Weighted low-rank approximation, Fisher importance, and alternating minimisation.

The SVD is the best rank-k approximation in the Frobenius norm, and only there. With a
separable weighting :math:`\\lVert D_r^{1/2} (A - B) D_c^{1/2} \\rVert_F` (row and column
weights) the best rank-k ``B`` is still a single SVD, of the weighted matrix
:math:`D_r^{1/2} A D_c^{1/2}`, un-weighted afterwards (:func:`weighted_svd`: FWSVD with
Fisher row importances). A general entrywise weighting has no closed form; alternating
weighted least squares (:func:`weighted_low_rank`) decreases the weighted error
monotonically. Matrix completion is the special case of 0/1 weights
(:func:`complete_matrix`, in ``_completion``).

The shared engine :func:`_als_impl` alternates the two half-steps

    U <- argmin_U || sqrt(W) * (A - U V^T) ||_F,    V <- argmin_V (same, U fixed),

each a batch of independent k x k least-squares problems, one per row (or column), solved
exactly (k x k Gram per row, :math:`O(mnk^2 + mk^3)` with a dense weight matrix) or by
conjugate gradients warm-started from the previous factor, stopped at a relative
reduction ``cg_tol`` of the residual (:math:`O(mnk)` per CG step: the products
:math:`((U V^T) \\circ W) V`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _checks
from .. import nn as _nn
from ..display import implemented_by

__all__ = [
    "LowRankFactors",
    "WeightedALSResult",
    "weighted_svd",
    "weighted_error",
    "weighted_low_rank",
    "layer_fisher",
]


class LowRankFactors(NamedTuple):
    """A rank-k approximation ``A ~= left @ right``.

    Attributes
    ----------
    left : array of shape (m, k)
    right : array of shape (k, n)
    s : array of shape (k,)
        Singular values of the *weighted* matrix that the factors come from, descending
        (the plain singular values when all weights are 1).
    """

    left: jax.Array
    right: jax.Array
    s: jax.Array


class WeightedALSResult(NamedTuple):
    """What :func:`weighted_low_rank` and :func:`complete_matrix` return.

    Attributes
    ----------
    U : array of shape (m, k)
    V : array of shape (n, k)
        The approximation is ``U @ V.T``.
    residuals : array of shape (n_steps,)
        Relative weighted residual :math:`\\lVert \\sqrt{W} \\circ (A - U V^T) \\rVert_F /
        \\lVert \\sqrt{W} \\circ A \\rVert_F` after each iteration (one U and one V update).
    errors : array of shape (n_steps,) or (0,)
        :math:`\\lVert U V^T - R \\rVert_F / \\lVert R \\rVert_F` after each iteration when a
        ``reference`` R was given; empty otherwise.
    n_steps : int
        Iterations run.
    cg_steps : int
        Conjugate-gradient steps run in all (0 for ``method="exact"``); one CG step costs
        two products of size :math:`m \\times n \\times k`.
    converged : bool
        The stopping rule was met before ``max_steps``.
    """

    U: jax.Array
    V: jax.Array
    residuals: np.ndarray
    errors: np.ndarray
    n_steps: int
    cg_steps: int
    converged: bool


# ------------------------------------------------------------------------- validation
def _weights_vector(w: Any, name: str, where: str, size: int, side: str) -> jax.Array | None:
    if w is None:
        return None
    w = _checks.as_vector(w, name, where, allow_empty=False)
    if w.shape[0] != size:
        raise _checks.fail(where, name, f"shape ({size},) (one weight per {side} of A)",
                           f"shape {tuple(w.shape)}")
    if float(jnp.min(w)) < 0:
        raise _checks.fail(where, name, "non-negative weights",
                           f"min weight {float(jnp.min(w)):.3g}")
    if float(jnp.max(w)) <= 0:
        raise _checks.fail(where, name, "at least one positive weight", "all weights 0")
    return w


def _entry_weights(W: Any, shape: tuple[int, int], where: str, name: str = "weights"):
    W = _checks.as_matrix(W, name, where)
    if W.shape != shape:
        raise _checks.fail(where, name, f"shape {shape} (one weight per entry of A)",
                           f"shape {tuple(W.shape)}")
    if float(jnp.min(W)) < 0:
        raise _checks.fail(where, name, "non-negative weights",
                           f"min weight {float(jnp.min(W)):.3g}")
    if float(jnp.max(W)) <= 0:
        raise _checks.fail(where, name, "at least one positive weight", "all weights 0")
    return W


# ------------------------------------------------------------------------- weighted SVD
@jax.jit
def _weighted_svd_impl(A, r, c):
    # the full SVD of the weighted matrix, once per shape (k is applied outside: no
    # compilation per rank)
    return jnp.linalg.svd(jnp.sqrt(r)[:, None] * A * jnp.sqrt(c)[None, :], full_matrices=False)


def _unweight(A, r, c, svd, k, side):
    U, s, Vt = svd[0][:, :k], svd[1][:k], svd[2][:k]
    sr, sc = jnp.sqrt(r), jnp.sqrt(c)
    if side == "right":   # all column weights > 0: B = A D_c^1/2 V_k V_k^T D_c^-1/2
        return A @ (sc[:, None] * Vt.T), Vt / sc[None, :], s
    return U / sr[:, None], U.T @ (sr[:, None] * A), s   # all row weights > 0


@implemented_by(_weighted_svd_impl, _unweight)
def weighted_svd(A: Any, k: int, *, row_weights: Any = None,
                 col_weights: Any = None) -> LowRankFactors:
    """Best rank-k approximation under a row- and column-weighted Frobenius norm.

    Minimises :math:`\\lVert D_r^{1/2} (A - B) D_c^{1/2} \\rVert_F` over rank-k ``B``,
    :math:`D_r = \\operatorname{diag}(r)`, :math:`D_c = \\operatorname{diag}(c)`. The map
    :math:`B \\mapsto D_r^{1/2} B D_c^{1/2}` preserves rank, so by Eckart–Young the answer
    is the truncated SVD :math:`U_k \\Sigma_k V_k^\\top` of :math:`D_r^{1/2} A D_c^{1/2}`,
    un-weighted: :math:`B = D_r^{-1/2} U_k \\Sigma_k V_k^\\top D_c^{-1/2}
    = A D_c^{1/2} V_k V_k^\\top D_c^{-1/2}` (``left`` :math:`= A D_c^{1/2} V_k`, ``right``
    :math:`= V_k^\\top D_c^{-1/2}`). The second form needs no row weight to be positive: a
    row of weight 0 (a dead unit) is projected on the same row space. Zero weights are
    allowed on one side; the other side's weights must then be positive. With Fisher
    importances as row weights this is FWSVD :cite:p:`hsu2022language`; with all weights 1
    the plain truncated SVD. Cost: one dense SVD, :math:`O(mn \\min(m, n))`.

    Parameters
    ----------
    A : array of shape (m, n)
    k : int
        ``1 <= k <= min(m, n)``.
    row_weights : array of shape (m,), optional
        Non-negative weights :math:`r` of the rows (default 1).
    col_weights : array of shape (n,), optional
        Non-negative weights :math:`c` of the columns (default 1); zeros on at most one
        side.

    Returns
    -------
    LowRankFactors
        ``left`` (m, k), ``right`` (k, n), ``s`` (k,): the singular values of the weighted
        matrix.

    Raises
    ------
    TypeError, ValueError
        ``A`` not a finite real matrix; ``k`` out of range; weights of the wrong length,
        non-finite, negative, or with zeros on both sides.

    References
    ----------
    :cite:p:`hsu2022language,eckart1936approximation`

    See Also
    --------
    scipy.linalg.svd : the SVD used here.
    weighted_low_rank : entrywise weights (no closed form).
    best_rank_k : the unweighted case.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.weighted_svd"
    A = _checks.as_matrix(A, "A", where)
    m, n = A.shape
    k = _checks.check_rank(k, "k", where, upper=min(m, n), upper_name="min(m, n)")
    r = _weights_vector(row_weights, "row_weights", where, m, "row")
    c = _weights_vector(col_weights, "col_weights", where, n, "column")
    r = jnp.ones(m, A.dtype) if r is None else r.astype(A.dtype)
    c = jnp.ones(n, A.dtype) if c is None else c.astype(A.dtype)
    if float(jnp.min(c)) > 0:
        side = "right"
    elif float(jnp.min(r)) > 0:
        side = "left"
    else:
        raise _checks.fail(where, "col_weights", "positive weights on at least one side",
                           "zero row weights and zero column weights",
                           "Drop the zero rows or columns, or use weighted_low_rank.")
    return LowRankFactors(*_unweight(A, r, c, _weighted_svd_impl(A, r, c), k, side))


def weighted_error(A: Any, B: Any, *, row_weights: Any = None, col_weights: Any = None,
                   weights: Any = None) -> float:
    """Weighted Frobenius distance :math:`\\lVert \\sqrt{W} \\circ (A - B) \\rVert_F`.

    With ``row_weights`` r and ``col_weights`` c the weight is :math:`W_{ij} = r_i c_j`
    (the norm :func:`weighted_svd` minimises); with ``weights`` an entrywise W (the norm of
    :func:`weighted_low_rank`). Both may be combined (the weights multiply).

    Parameters
    ----------
    A, B : arrays of shape (m, n)
    row_weights : array of shape (m,), optional
        Non-negative.
    col_weights : array of shape (n,), optional
        Non-negative.
    weights : array of shape (m, n), optional
        Non-negative.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Non-finite or non-real inputs; shapes that do not match.

    See Also
    --------
    numpy.linalg.norm : the unweighted case.

    Notes
    -----
    Used in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.weighted_error"
    A = _checks.as_matrix(A, "A", where)
    B = _checks.as_matrix(B, "B", where)
    if B.shape != A.shape:
        raise _checks.fail(where, "B", f"shape {tuple(A.shape)} (that of A)",
                           f"shape {tuple(B.shape)}")
    m, n = A.shape
    W = jnp.ones((m, n), A.dtype)
    r = _weights_vector(row_weights, "row_weights", where, m, "row")
    c = _weights_vector(col_weights, "col_weights", where, n, "column")
    if r is not None:
        W = W * r[:, None]
    if c is not None:
        W = W * c[None, :]
    if weights is not None:
        W = W * _entry_weights(weights, (m, n), where)
    return float(jnp.sqrt(jnp.sum(W * (A - B) ** 2)))


# ------------------------------------------------------------------------- the ALS engine
def _gram_solve(A, W, V, ridge):
    """Exact half-step: for every row i, solve (V^T diag(W_i) V + ridge I) u_i = V^T (W_i A_i)."""
    n, k = V.shape
    kr = (V[:, :, None] * V[:, None, :]).reshape(n, k * k)   # rows v_j v_j^T, flattened
    G = (W @ kr).reshape(-1, k, k) + ridge * jnp.eye(k, dtype=V.dtype)
    rhs = (W * A) @ V
    return jax.scipy.linalg.cho_solve(jax.scipy.linalg.cho_factor(G), rhs[..., None])[..., 0]


def _cg_solve(A, W, V, U0, ridge, cg_tol, max_cg):
    """Inexact half-step: batched CG on the same systems, warm-started at U0; each row
    stops once its residual has dropped by the factor cg_tol. Returns (U, CG steps)."""
    def apply(P):
        return ((P @ V.T) * W) @ V + ridge * P

    B = (W * A) @ V
    R = B - apply(U0)
    rs = jnp.sum(R * R, axis=1)
    tiny = jnp.finfo(A.dtype).tiny
    stop_at = cg_tol * jnp.sqrt(rs) + 1e3 * jnp.finfo(A.dtype).eps * jnp.linalg.norm(B, axis=1)

    def active(rs):
        return jnp.sqrt(rs) > stop_at

    def cond(state):
        _, _, _, rs, it = state
        return (it < max_cg) & jnp.any(active(rs))

    def body(state):
        U, R, P, rs, it = state
        on = active(rs)
        AP = apply(P)
        pAp = jnp.sum(P * AP, axis=1)
        alpha = jnp.where(on & (pAp > tiny), rs / jnp.maximum(pAp, tiny), 0.0)
        U = U + alpha[:, None] * P
        R = R - alpha[:, None] * AP
        rs_new = jnp.sum(R * R, axis=1)
        beta = jnp.where(on & (rs > tiny), rs_new / jnp.maximum(rs, tiny), 0.0)
        P = jnp.where(on[:, None], R + beta[:, None] * P, P)
        return U, R, P, jnp.where(on, rs_new, rs), it + 1

    U, _, _, _, it = lax.while_loop(cond, body, (U0, R, R, rs, jnp.asarray(0)))
    return U, it


def _half_step(A, W, V, U_prev, ridge, cg_tol, method, max_cg):
    if method == "exact":
        return _gram_solve(A, W, V, ridge), jnp.asarray(0)
    return _cg_solve(A, W, V, U_prev, ridge, cg_tol, max_cg)


@functools.partial(jax.jit, static_argnames=("method", "max_steps", "stop", "with_ref"))
def _als_impl(A, W, U0, V0, ref, tol, ridge, cg_tol, max_cg, *, method, max_steps, stop,
              with_ref):
    den = jnp.sqrt(jnp.sum(W * A * A))
    ref_norm = jnp.linalg.norm(ref) if with_ref else 1.0
    hist = jnp.zeros((max_steps,), A.dtype)   # entries past n_steps are sliced off
    errs = jnp.zeros((max_steps,), A.dtype)

    def cond(state):
        _, _, t, _, _, _, done = state
        return (t < max_steps) & ~done

    def body(state):
        U, V, t, hist, errs, cg, _ = state
        V, c1 = _half_step(A.T, W.T, U, V, ridge, cg_tol, method, max_cg)
        U, c2 = _half_step(A, W, V, U, ridge, cg_tol, method, max_cg)
        res = jnp.sqrt(jnp.sum(W * (A - U @ V.T) ** 2)) / den
        prev = jnp.where(t > 0, hist[jnp.maximum(t - 1, 0)], jnp.inf)
        hist = hist.at[t].set(res)
        if with_ref:
            errs = errs.at[t].set(jnp.linalg.norm(U @ V.T - ref) / ref_norm)
        if stop == "residual":
            done = res <= tol
        else:
            done = (res <= tol) | ((t > 0) & (jnp.abs(prev - res) <= tol * prev))
        return U, V, t + 1, hist, errs, cg + c1 + c2, done

    U, V, t, hist, errs, cg, done = lax.while_loop(
        cond, body, (U0, V0, jnp.asarray(0), hist, errs, jnp.asarray(0), jnp.asarray(False)))
    return U, V, t, hist, errs, cg, done


def _run_als(where, A, W, U0, k, *, method, cg_tol, max_cg_steps, max_steps, tol, ridge,
             reference, stop, hint) -> WeightedALSResult:
    """Validated options -> the jitted loop -> a WeightedALSResult (warns when short)."""
    m, n = A.shape
    method = _checks.check_choice(method, "method", where, ("exact", "cg"))
    cg_tol = _checks.check_scalar(cg_tol, "cg_tol", where, min_val=0.0, max_val=1.0,
                                  strict_min=True)
    max_cg = k if max_cg_steps is None else _checks.check_int(max_cg_steps, "max_cg_steps",
                                                              where, min_val=1)
    max_steps = _checks.check_int(max_steps, "max_steps", where, min_val=1)
    tol = _checks.check_tol(tol, A.dtype, where)
    ridge = _checks.check_scalar(ridge, "ridge", where, min_val=0.0)
    if ridge == 0:
        support = np.asarray(W > 0)
        thin = min(int(support.sum(axis=1).min()), int(support.sum(axis=0).min()))
        if thin < k:
            raise _checks.fail(where, "weights" if stop == "change" else "mask",
                               f"at least k = {k} positive weights in every row and column "
                               "(each k x k least-squares problem must be solvable)",
                               f"a row or column with {thin}", "Pass ridge > 0, or lower k.")
    with_ref = reference is not None
    if with_ref:
        ref = _checks.as_matrix(reference, "reference", where).astype(A.dtype)
        if ref.shape != (m, n):
            raise _checks.fail(where, "reference", f"shape {(m, n)} (that of the data)",
                               f"shape {tuple(ref.shape)}")
    else:
        ref = jnp.zeros((1, 1), A.dtype)
    V0 = jnp.zeros((n, k), A.dtype)
    U, V, t, hist, errs, cg, done = _als_impl(
        A, W, U0, V0, ref, tol, ridge, cg_tol, max_cg, method=method, max_steps=max_steps,
        stop=stop, with_ref=with_ref)
    t = int(t)
    hist = np.asarray(hist)[:t]
    errs = np.asarray(errs)[:t] if with_ref else np.zeros(0)
    if not np.all(np.isfinite(hist)):
        raise _checks.fail(where, "weights" if stop == "change" else "mask",
                           "enough weight in every row and column for the k x k solves",
                           "a singular least-squares problem (NaN residual)",
                           "Pass ridge > 0, or lower k.")
    converged = bool(done)
    if not converged:
        _checks.warn_unconverged(where, tol=tol, reached=float(hist[-1]),
                                 what="relative residual" if stop == "residual"
                                 else "residual", n_iter=t, hint=hint)
    return WeightedALSResult(U, V, hist, errs, t, int(cg), converged)


@implemented_by(_als_impl, _gram_solve, _cg_solve)
def weighted_low_rank(A: Any, weights: Any, k: int, *, method: str = "exact",
                      cg_tol: float = 1e-2, max_cg_steps: int | None = None,
                      max_steps: int = 100, tol: float | None = None,
                      ridge: float = 0.0) -> WeightedALSResult:
    """Rank-k approximation under an entrywise weighted norm, by alternating least squares.

    Minimises :math:`\\lVert \\sqrt{W} \\circ (A - U V^\\top) \\rVert_F` over
    :math:`U \\in \\mathbb{R}^{m \\times k}, V \\in \\mathbb{R}^{n \\times k}` by alternating
    exact (or CG) least-squares updates of U and V, started from the top-k left singular
    vectors of :math:`\\sqrt{W} \\circ A`. Each exact update is optimal for the other factor
    fixed, so the weighted error never increases :cite:p:`srebro2003weighted`; it converges
    to a stationary point (not always the global minimum: the problem is non-convex for
    general W). Cost per iteration (dense W): :math:`O(mnk^2 + (m + n)k^3)` exact,
    :math:`O(mnk)` per CG step.

    Parameters
    ----------
    A : array of shape (m, n)
    weights : array of shape (m, n)
        Non-negative weights W (zeros are allowed: missing entries).
    k : int
        ``1 <= k <= min(m, n)``.
    method : {"exact", "cg"}
        Solve the per-row systems exactly or by warm-started conjugate gradients.
    cg_tol : float
        CG stops, per row, once the residual has dropped by the factor ``cg_tol`` in
        (0, 1] from its warm start.
    max_cg_steps : int, optional
        Cap on CG steps per half-step (default k, where CG is exact in exact arithmetic).
    max_steps : int
        Cap on the iterations, ``>= 1``.
    tol : float, optional
        Stop when the relative residual changes by at most ``tol`` (relative) between
        iterations; default :math:`\\sqrt{\\varepsilon}`.
    ridge : float
        Added to each k x k Gram matrix (``>= 0``; 0 is exact least squares).

    Returns
    -------
    WeightedALSResult

    Raises
    ------
    TypeError, ValueError
        Bad ``A`` or ``weights`` (shape, sign, NaN/inf), ``k`` out of range, bad options,
        or a singular row system (a row or column with too little weight; use ``ridge``).

    Warns
    -----
    ConvergenceWarning
        ``max_steps`` reached before the tolerance.

    References
    ----------
    :cite:p:`srebro2003weighted`

    See Also
    --------
    weighted_svd : separable (row/column) weights: closed form.
    complete_matrix : 0/1 weights with a spectral start.
    scipy.linalg.lstsq : the per-row solve.

    Notes
    -----
    Explained in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.weighted_low_rank"
    A = _checks.as_matrix(A, "A", where)
    W = _entry_weights(weights, A.shape, where).astype(A.dtype)
    k = _checks.check_rank(k, "k", where, upper=min(A.shape), upper_name="min(m, n)")
    U0 = jnp.linalg.svd(jnp.sqrt(W) * A, full_matrices=False)[0][:, :k]
    return _run_als(where, A, W, U0, k, method=method, cg_tol=cg_tol,
                    max_cg_steps=max_cg_steps, max_steps=max_steps, tol=tol, ridge=ridge,
                    reference=None, stop="change", hint="Raise max_steps or tol.")


# ------------------------------------------------------------------------- Fisher importance
@functools.partial(jax.jit, static_argnums=(0, 1))
def _layer_fisher_impl(layer, activation, params, x, labels):
    h = x
    for W, b in params[:layer]:
        h = activation(h @ W + b)
    W, b = params[layer]
    z = h @ W + b
    rest = params[layer + 1:]

    def total_loss(z):
        logits = _nn.mlp(rest, activation(z), activation=activation) if rest else z
        return _nn.cross_entropy(logits, labels) * z.shape[0]

    delta = jax.grad(total_loss)(z)       # row n: d loss_n / d z_n (samples are independent)
    n = x.shape[0]
    return (h * h).T @ (delta * delta) / n


def layer_fisher(params: Any, x: Any, labels: Any, *, layer: int,
                 activation: Callable[[jax.Array], jax.Array] = jax.nn.relu) -> jax.Array:
    """Empirical Fisher information of one weight matrix of an :func:`eigenbook.nn.mlp` classifier.

    :math:`I_{ij} = \\frac1N \\sum_n (\\partial \\ell_n / \\partial W_{ij})^2`, the mean
    squared per-sample gradient of the cross-entropy :math:`\\ell_n` with respect to the
    weight ``W = params[layer][0]`` (shape (d_in, d_out), the layer computes
    :math:`z = hW + b`). For a dense layer the per-sample gradient is the outer product
    :math:`h_n \\delta_n^\\top` of the layer input and the back-propagated
    :math:`\\delta_n = \\partial \\ell_n / \\partial z_n`, so
    :math:`I = (h \\circ h)^\\top (\\delta \\circ \\delta) / N`: one backward pass, no
    per-sample gradient is stored. FWSVD sums I over one index to get row (or column)
    importances :cite:p:`hsu2022language`.

    Parameters
    ----------
    params : list of (W, b)
        From :func:`eigenbook.nn.init_mlp` (or trained by :func:`eigenbook.nn.fit`).
    x : array of shape (N, d_in)
        Inputs.
    labels : int array of shape (N,)
        True classes (the *empirical* Fisher).
    layer : int
        Index of the weight matrix, ``0 <= layer < len(params)``.
    activation : callable
        The network's nonlinearity (as in :func:`eigenbook.nn.mlp`).

    Returns
    -------
    array of shape (d_in, d_out)
        Non-negative.

    Raises
    ------
    TypeError, ValueError
        Bad ``params``, ``x`` (not finite, wrong width), labels (not integer classes,
        wrong length) or ``layer`` out of range.

    References
    ----------
    :cite:p:`hsu2022language`

    See Also
    --------
    jax.grad : the backward pass.
    weighted_svd : uses the importances.

    Notes
    -----
    Used in chapter :ref:`lowrank-compression`.
    """
    where = "lowrank.layer_fisher"
    if not isinstance(params, (list, tuple)) or not params or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 for p in params):
        raise _checks.fail(where, "params", "a non-empty list of (W, b) pairs (nn.init_mlp)",
                           type(params).__name__, exc=TypeError)
    _checks.check_pytree_finite(params, "params", where)
    layer = _checks.check_int(layer, "layer", where, min_val=0, max_val=len(params) - 1)
    if not callable(activation):
        raise _checks.fail(where, "activation", "a callable", type(activation).__name__,
                           exc=TypeError)
    x = _checks.as_matrix(x, "x", where)
    if x.shape[1] != params[0][0].shape[0]:
        raise _checks.fail(where, "x", f"{params[0][0].shape[0]} columns (the first layer's "
                           "input size)", f"shape {tuple(x.shape)}")
    n_out = params[-1][0].shape[1]
    y = _checks.as_indices(labels, "labels", where, ndim=1, upper=n_out,
                           rule="integer labels of shape (N,)")
    if y.shape[0] != x.shape[0]:
        raise _checks.fail(where, "labels", f"shape ({x.shape[0]},) (one per row of x)",
                           f"shape {y.shape}")
    params = [(jnp.asarray(W, x.dtype), jnp.asarray(b, x.dtype)) for W, b in params]
    return _layer_fisher_impl(layer, activation, params, x, jnp.asarray(y))
