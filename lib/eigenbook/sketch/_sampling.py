"""Leverage scores, sensitivities, sampling, CUR and projection DPPs."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from scipy.optimize import brentq

from .. import _checks
from ..display import implemented_by
from ._common import CURResult, SampleResult, WeightedLstsqResult


def leverage_scores(A: Any) -> np.ndarray:
    """Leverage scores :math:`\\ell_i = \\lVert Q_{i,:} \\rVert^2`, where :math:`A = QR`.

    They are the :math:`\\ell_2` sensitivities
    :math:`\\sup_x (a_i^\\top x)^2 / \\lVert A x \\rVert^2` and sum to
    :math:`\\mathrm{rank}(A) = d`.

    Parameters
    ----------
    A : array_like of shape (n, d), full column rank

    Returns
    -------
    ndarray of shape (n,)

    Raises
    ------
    TypeError, ValueError
        ``A`` not a finite numeric 2-D array.

    References
    ----------
    :cite:p:`drineas2012fast`

    See Also
    --------
    l1_sensitivities

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    A = _checks.as_matrix(A, "A", "sketch.leverage_scores")
    Q = np.linalg.qr(np.asarray(A))[0]  # one O(n d^2) factorisation: host LAPACK
    return np.sum(Q * Q, axis=1)


def l1_sensitivities(A: Any) -> np.ndarray:
    """Exact :math:`\\ell_1` sensitivities of the rows of ``A``.

    :math:`s_i = \\sup_x \\lvert a_i^\\top x \\rvert / \\lVert A x \\rVert_1`.

    Equivalently :math:`1 / s_i = \\min\\{\\lVert A x \\rVert_1 : a_i^\\top x = 1\\}`, one
    linear program per row (HiGHS through ``scipy.optimize.linprog``):
    variables :math:`(x, t)`, minimise :math:`\\sum t` subject to
    :math:`-t \\le A x \\le t`.

    Parameters
    ----------
    A : array_like of shape (n, d)
        Rows with :math:`a_i \\neq 0`.

    Returns
    -------
    s : ndarray of shape (n,)
        Each in :math:`(0, 1]`; their sum (the total sensitivity) is at most ``d``.
        Cost: ``n`` LPs with ``n + d`` variables.

    Raises
    ------
    TypeError, ValueError
        ``A`` not a finite numeric 2-D array, or an LP failed.

    References
    ----------
    :cite:p:`woodruff2023sharper`

    See Also
    --------
    scipy.optimize.linprog, leverage_scores

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    from scipy.optimize import linprog
    from scipy.sparse import csr_array, eye_array, hstack, vstack

    where = "sketch.l1_sensitivities"
    A = np.asarray(_checks.as_matrix(A, "A", where))
    n, d = A.shape
    c = np.concatenate([np.zeros(d), np.ones(n)])
    As, I = csr_array(A), eye_array(n, format="csr")
    A_ub = vstack([hstack([As, -I]), hstack([-As, -I])]).tocsr()
    b_ub = np.zeros(2 * n)
    bounds = [(None, None)] * d + [(0, None)] * n
    s = np.empty(n)
    for i in range(n):
        A_eq = np.concatenate([A[i], np.zeros(n)])[None, :]
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=bounds,
                      method="highs")
        if res.status != 0:
            raise ValueError(f"{where}: the LP for row {i} failed ({res.message}).")
        s[i] = 1.0 / res.fun
    return s


def sensitivity_sampling(scores: Any, m: int, *, key: jax.Array, p: float = 2.0) -> SampleResult:
    """Sample ``m`` rows i.i.d. with probabilities proportional to ``scores``.

    Row ``i`` drawn with probability :math:`\\pi_i` is rescaled by
    :math:`(m \\pi_i)^{-1/p}`, so that :math:`\\mathbb{E}\\lVert S A x \\rVert_p^p =
    \\lVert A x \\rVert_p^p`. Uniform sampling is ``scores = ones(n)``.

    Parameters
    ----------
    scores : array_like of shape (n,)
        Non-negative, not all zero (sensitivities, leverage scores, ...).
    m : int
        Number of samples, ``m >= 1``.
    key : PRNG key
    p : float
        The norm, ``p >= 1``.

    Returns
    -------
    SampleResult

    Raises
    ------
    TypeError, ValueError
        Bad ``scores`` (negative, all zero), ``m`` or ``p``.

    References
    ----------
    :cite:p:`woodruff2023sharper`

    See Also
    --------
    numpy.random.Generator.choice

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.sensitivity_sampling"
    sc = _checks.as_vector(scores, "scores", where, allow_empty=False)
    if bool(jnp.any(sc < 0)) or float(jnp.sum(sc)) <= 0:
        raise _checks.fail(where, "scores", "non-negative scores with a positive sum",
                           f"min {float(jnp.min(sc)):.3g}, sum {float(jnp.sum(sc)):.3g}")
    m = _checks.check_int(m, "m", where, min_val=1)
    p = _checks.check_scalar(p, "p", where, min_val=1.0)
    key = _checks.check_key(key, "key", where)
    prob = sc / jnp.sum(sc)
    idx = jax.random.choice(key, sc.shape[0], (m,), replace=True, p=prob)
    w = (m * prob[idx]) ** (-1.0 / p)
    return SampleResult(idx, w, prob)


def lp_distortion(A: Any, sample: SampleResult, directions: Any, *, p: float = 2.0) -> float:
    """Largest relative error of :math:`\\lVert S A x \\rVert_p` over given directions ``x``.

    The value is
    :math:`\\max_x \\lvert \\lVert S A x \\rVert_p / \\lVert A x \\rVert_p - 1 \\rvert`.

    A lower estimate of the true distortion (a supremum over all ``x``); for
    ``p = 2`` use :func:`embedding_distortion` for the exact value.

    Parameters
    ----------
    A : array_like of shape (n, d)
    sample : SampleResult
        From :func:`sensitivity_sampling`.
    directions : array_like of shape (d, r)
        The vectors ``x`` (columns).
    p : float
        ``p >= 1``.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        Bad arrays or shapes.

    See Also
    --------
    embedding_distortion
    """
    where = "sketch.lp_distortion"
    A = _checks.as_matrix(A, "A", where)
    X = _checks.as_matrix(directions, "directions", where)
    if X.shape[0] != A.shape[1]:
        raise _checks.fail(where, "directions", f"shape ({A.shape[1]}, r)",
                           f"shape {tuple(X.shape)}")
    p = _checks.check_scalar(p, "p", where, min_val=1.0)
    AX = np.asarray(A) @ np.asarray(X)
    SAX = np.asarray(sample.weights)[:, None] * AX[np.asarray(sample.indices)]
    full = np.sum(np.abs(AX) ** p, axis=0) ** (1 / p)
    sk = np.sum(np.abs(SAX) ** p, axis=0) ** (1 / p)
    return float(np.max(np.abs(sk / full - 1.0)))


def cur(A: Any, rows: Any, cols: Any) -> CURResult:
    """CUR decomposition from chosen rows and columns: :math:`A \\approx C\\, W^{+} R`.

    ``C = A[:, cols]``, ``R = A[rows, :]``, ``W = A[rows][:, cols]``. When
    :math:`\\mathrm{rank}(W) = \\mathrm{rank}(A)` the approximation is exact.

    Parameters
    ----------
    A : array_like of shape (m, n)
    rows : array_like of ints, shape (r,)
    cols : array_like of ints, shape (c,)

    Returns
    -------
    CURResult
        ``C @ U @ R`` is the approximation.

    Raises
    ------
    TypeError, ValueError
        Bad ``A``; indices out of range or empty.

    References
    ----------
    :cite:p:`mahoney2009cur,yadav2022efficient`

    See Also
    --------
    numpy.linalg.pinv

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.cur"
    A = _checks.as_matrix(A, "A", where)
    out = []
    for name, ix, size in (("rows", rows, A.shape[0]), ("cols", cols, A.shape[1])):
        ix = np.asarray(ix)
        if ix.ndim != 1 or ix.size == 0 or ix.dtype.kind not in "iu":
            raise _checks.fail(where, name, "a non-empty 1-D array of ints",
                               f"{ix.dtype} array of shape {ix.shape}", exc=TypeError)
        if ix.min() < 0 or ix.max() >= size:
            raise _checks.fail(where, name, f"indices in [0, {size})",
                               f"range [{ix.min()}, {ix.max()}]")
        out.append(jnp.asarray(ix))
    r, c = out
    C, R = A[:, c], A[r, :]
    return CURResult(C, jnp.linalg.pinv(A[r][:, c]), R, r, c)


@implemented_by("_dpp_impl")
def projection_dpp_sample(Q: Any, *, key: jax.Array, n_draws: int | None = None) -> jax.Array:
    """One draw of the projection DPP with kernel :math:`K = Q Q^\\top` (sequential algorithm).

    Draws ``m`` distinct indices: at step ``j`` an index ``i`` is chosen with
    probability proportional to the squared norm of row ``i`` of the current
    basis, then the basis is restricted to the orthogonal complement of that
    row's direction (the chain rule of the HKPV sampler). Cost :math:`O(N m^2)`.

    Parameters
    ----------
    Q : array_like of shape (N, m)
        Orthonormal columns (``Q.T @ Q = I``).
    key : PRNG key
    n_draws : int, optional
        Number of independent draws (vectorised); default one.

    Returns
    -------
    indices : array of shape (m,), or (n_draws, m)
        Distinct within a draw, in the order drawn. Marginals:
        :math:`P(i \\in X) = K_{ii}`.

    Raises
    ------
    TypeError, ValueError
        Bad ``Q`` (not 2-D, more columns than rows, columns not orthonormal).

    References
    ----------
    :cite:p:`hough2006determinantal,nouy2023weighted`

    See Also
    --------
    sensitivity_sampling : i.i.d. sampling from the same marginals.

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.projection_dpp_sample"
    Q = _checks.as_matrix(Q, "Q", where)
    N, m = Q.shape
    if m > N:
        raise _checks.fail(where, "Q", "N >= m (a tall matrix)", f"shape {(N, m)}")
    dev = float(jnp.max(jnp.abs(Q.T @ Q - jnp.eye(m, dtype=Q.dtype))))
    if dev > 1e-8:
        raise _checks.fail(where, "Q", "orthonormal columns", f"max |QᵀQ - I| = {dev:.2e}",
                           "Orthonormalise with a QR first.")
    key = _checks.check_key(key, "key", where)
    if n_draws is None:
        return _dpp_impl(Q, key)
    r = _checks.check_int(n_draws, "n_draws", where, min_val=1)
    return _dpp_batch(Q, jax.random.split(key, r))


@jax.jit
def _dpp_impl(Q, key):
    N, m = Q.shape
    keys = jax.random.split(key, m)

    def step(V, j):
        norms = jnp.sum(V * V, axis=1)
        i = jax.random.choice(keys[j], N, p=jnp.maximum(norms, 0) / jnp.sum(norms))
        v = V[i]
        # Householder-free projection: remove the direction of row i from the basis
        u = v / jnp.linalg.norm(v)
        V = V - (V @ u)[:, None] * u[None, :]
        return V, i

    _, idx = jax.lax.scan(step, Q, jnp.arange(m))
    return idx


_dpp_batch = jax.jit(jax.vmap(_dpp_impl, in_axes=(None, 0)))


def weighted_least_squares(Phi: Any, y: Any, weights: Any) -> WeightedLstsqResult:
    """Weighted least squares :math:`\\min_c \\sum_i w_i (y_i - \\varphi(x_i)^\\top c)^2`.

    Parameters
    ----------
    Phi : array_like of shape (n, m)
        Features :math:`\\varphi(x_i)` at the samples, in an orthonormal basis.
    y : array_like of shape (n,)
        Values :math:`f(x_i)`.
    weights : array_like of shape (n,)
        :math:`w_i > 0`.

    Returns
    -------
    WeightedLstsqResult
        ``(c, lambda_min)``: the coefficients, an ndarray of shape (m,), and the
        smallest eigenvalue of the weighted Gram matrix
        :math:`G = \\sum_i w_i \\varphi(x_i)\\varphi(x_i)^\\top` (stability needs
        it away from 0; the theory asks :math:`\\lambda_{\\min} \\ge 1/2`).

    Raises
    ------
    TypeError, ValueError
        Bad arrays, mismatched sizes, non-positive weights.

    References
    ----------
    :cite:p:`cohen2017optimal,nouy2023weighted`

    See Also
    --------
    numpy.linalg.lstsq

    Notes
    -----
    Explained in the chapter :ref:`randomized`.
    """
    where = "sketch.weighted_least_squares"
    # host LAPACK and host validation: called thousands of times with changing n
    Phi = _checks.as_host(Phi, "Phi", where, ndim=2, rule="a 2-D array of shape (n, m)")
    y = _checks.as_host(y, "y", where, ndim=1, rule="a 1-D array of shape (n,)")
    w = _checks.as_host(weights, "weights", where, ndim=1, rule="a 1-D array of shape (n,)")
    for name, v in (("y", y), ("weights", w)):
        if v.shape != (Phi.shape[0],):
            raise _checks.fail(where, name, f"shape ({Phi.shape[0]},)", f"shape {v.shape}")
    if np.any(w <= 0):
        raise _checks.fail(where, "weights", "positive weights", f"min {w.min():.3g}")
    sw = np.sqrt(w)
    M = sw[:, None] * Phi
    c = np.linalg.lstsq(M, sw * y, rcond=None)[0]
    lam = float(np.linalg.eigvalsh(M.T @ M)[0])
    return WeightedLstsqResult(c, lam)


def leverage_sampling_bound(m: int, d: int, *, delta: float) -> float:
    """Distortion that leverage-score sampling of ``m`` rows exceeds with probability <= ``delta``.

    The matrix Chernoff bound :cite:p:`tropp2012user` for a sum of ``m`` i.i.d. PSD
    terms of norm at most :math:`L = d/m` with mean :math:`I_d`:
    :math:`P(\\lambda_{\\min} \\le 1 - e) \\le d\\,[e^{-e}/(1-e)^{1-e}]^{1/L}` and
    :math:`P(\\lambda_{\\max} \\ge 1 + e) \\le d\\,[e^{e}/(1+e)^{1+e}]^{1/L}`. Each tail is
    set to ``delta / 2`` and the eigenvalue bounds become bounds on the singular
    values of the rescaled sample, i.e. on the subspace-embedding distortion.

    Parameters
    ----------
    m : int
        Sampled rows, ``>= 1``.
    d : int
        Dimension (rank of the matrix), ``>= 1``.
    delta : float
        Failure probability, in (0, 1).

    Returns
    -------
    float
        The distortion bound; 1 or more means the bound says nothing at this ``m``.

    Raises
    ------
    TypeError, ValueError
        Non-integer or non-positive ``m``/``d``; ``delta`` outside (0, 1).

    See Also
    --------
    lp_distortion : the measured distortion this bounds.

    Chapter :ref:`randomized`.
    """
    where = "sketch.leverage_sampling_bound"
    m = _checks.check_int(m, "m", where, min_val=1)
    d = _checks.check_int(d, "d", where, min_val=1)
    delta = _checks.check_scalar(delta, "delta", where, min_val=0.0, max_val=1.0,
                                 strict_min=True)
    if delta >= 1:
        raise _checks.fail(where, "delta", "0 < delta < 1", f"delta={delta}")
    L, target = d / m, np.log(delta / 2)

    def lower(e):
        return np.log(d) + (-e - (1 - e) * np.log1p(-e)) / L - target

    def upper(e):
        return np.log(d) + (e - (1 + e) * np.log1p(e)) / L - target

    lo = brentq(lower, 1e-12, 1 - 1e-12) if lower(1 - 1e-12) < 0 else 1.0
    up = brentq(upper, 1e-12, 1e6)
    return float(max(1 - np.sqrt(1 - lo), np.sqrt(1 + up) - 1))
