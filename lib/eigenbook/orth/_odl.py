"""Online orthogonal dictionary learning by Frank–Wolfe over the spectral-norm ball."""

from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import scipy.optimize

from eigenbook._checks import as_matrix, check_int, check_key, check_scalar, fail

from ._polar import _polar_svd_impl


class ODLResult(NamedTuple):
    """What :func:`online_odl` returns.

    Attributes
    ----------
    D : array of shape (n, n)
        The dictionary after the last batch (atoms in the columns), in the spectral-norm ball.
    gaps : array of shape (n_batches,)
        The Frank–Wolfe gap :math:`\\langle S_t - D_t, G_t\\rangle \\ge 0` of each step.
    objective : array of shape (n_batches,)
        The batch objective :math:`\\frac1b\\sum\\lVert D_t^\\top y\\rVert_3^3` before each step.
    history : array of shape (n_keep, n, n)
        The dictionary after every ``keep_every``-th batch (empty when ``keep_every=0``).
    """

    D: jax.Array
    gaps: jax.Array
    objective: jax.Array
    history: jax.Array


@partial(jax.jit, static_argnames=("batch", "keep_every"))
def _odl_impl(Y, D0, batch, rho_exp, gamma_exp, keep_every):
    n, T = Y.shape
    nb = T // batch
    Yb = Y[:, : nb * batch].reshape(n, nb, batch).transpose(1, 0, 2)

    def step(carry, inp):
        D, G = carry
        Yt, t = inp
        X = D.T @ Yt                                   # (n, b) codes
        grad = 3.0 * Yt @ (jnp.abs(X) * X).T / batch   # ∇ of (1/b) Σ ‖Dᵀy‖₃³
        rho = (t + 1.0) ** (-rho_exp)
        G = (1.0 - rho) * G + rho * grad               # running gradient estimate
        S = _polar_svd_impl(G)                         # LMO of the spectral-norm ball
        gap = jnp.sum((S - D) * G)
        gamma = (t + 1.0) ** (-gamma_exp)
        D = (1.0 - gamma) * D + gamma * S
        return (D, G), (gap, jnp.sum(jnp.abs(X) ** 3) / batch, D)

    ts = jnp.arange(nb, dtype=Y.dtype)
    (D, _), (gaps, obj, Ds) = jax.lax.scan(step, (D0, jnp.zeros_like(D0)), (Yb, ts))
    hist = Ds[keep_every - 1::keep_every] if keep_every else Ds[:0]
    return D, gaps, obj, hist


def online_odl(Y: Any, *, key: jax.Array, batch: int = 32, rho_exp: float = 0.5,
               gamma_exp: float = 0.5, keep_every: int = 0) -> ODLResult:
    """Online orthogonal dictionary learning by stochastic Frank–Wolfe.

    Maximises :math:`\\mathbb E\\,\\lVert D^\\top y\\rVert_3^3` over the spectral-norm
    ball :math:`\\{\\lVert D\\rVert_2 \\le 1\\}`, the convex hull of the orthogonal
    group (the relaxation of :cite:t:`xue2021online`): a convex function is
    maximised at extreme points, so the relaxed problem has orthogonal maximisers,
    the sparsifying rotations. Each mini-batch of the stream updates a running
    gradient :math:`G_t = (1-\\rho_t)G_{t-1} + \\rho_t\\nabla f_t(D_t)`, calls the
    linear oracle :math:`S_t = \\operatorname{polar}(G_t)` (:func:`spectral_lmo`) and
    moves :math:`D_{t+1} = (1-\\gamma_t)D_t + \\gamma_t S_t`, with
    :math:`\\rho_t = t^{-\\rho}` and :math:`\\gamma_t = t^{-\\gamma}`. Nothing of the
    history is stored. Cost per batch: :math:`O(n^2 b + n^3)`.

    Parameters
    ----------
    Y : array_like of shape (n, T)
        The stream, one sample per column, read in order.
    key : PRNG key
        Draws the (Haar) initial dictionary.
    batch : int
        Samples per step, ``1 <= batch <= T``.
    rho_exp, gamma_exp : float
        Exponents of the averaging and step-size schedules, in (0, 1].
    keep_every : int
        Keep the dictionary after every ``keep_every``-th batch in ``history``
        (``0``: keep none).

    Returns
    -------
    ODLResult

    Raises
    ------
    TypeError
        ``Y`` not a numeric array, bad ``key`` or argument types.
    ValueError
        ``Y`` not a finite matrix, ``batch`` outside ``[1, T]``, an exponent outside (0, 1].

    References
    ----------
    :cite:p:`xue2021online,jaggi2013revisiting`

    See Also
    --------
    sklearn.decomposition.MiniBatchDictionaryLearning : online ℓ1 dictionary learning.
    dictionary_error

    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.online_odl"
    Y = as_matrix(Y, "Y", where)
    key = check_key(key, "key", where)
    batch = check_int(batch, "batch", where, min_val=1, max_val=Y.shape[1])
    rho_exp = check_scalar(rho_exp, "rho_exp", where, min_val=0.0, max_val=1.0, strict_min=True)
    gamma_exp = check_scalar(gamma_exp, "gamma_exp", where, min_val=0.0, max_val=1.0,
                             strict_min=True)
    keep_every = check_int(keep_every, "keep_every", where, min_val=0)
    n = Y.shape[0]
    D0, _ = jnp.linalg.qr(jax.random.normal(key, (n, n), Y.dtype))
    return ODLResult(*_odl_impl(Y, D0, batch, rho_exp, gamma_exp, keep_every))


def dictionary_error(D: Any, D0: Any) -> float:
    """Distance to a reference dictionary up to signed permutation of atoms.

    :math:`\\min_P \\lVert \\hat D - D_0P\\rVert_F/\\sqrt{n}` over signed permutations
    :math:`P`, where :math:`\\hat D` has the columns of ``D`` normalised to unit length
    (the scale of an atom is not identifiable). Solved exactly as an assignment problem
    (``scipy.optimize.linear_sum_assignment``).

    Parameters
    ----------
    D : array_like of shape (n, k)
        Learned atoms (columns), nonzero.
    D0 : array_like of shape (n, k)
        Reference atoms (columns), unit length.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        An argument is not a numeric array.
    ValueError
        Not finite matrices of the same shape, or a zero column in ``D``.

    Notes
    -----
    Chapter :ref:`orthogonal-representations`.
    """
    where = "orth.dictionary_error"
    D = np.asarray(as_matrix(D, "D", where))
    D0 = np.asarray(as_matrix(D0, "D0", where))
    if D.shape != D0.shape:
        raise fail(where, "D0", f"shape {D.shape} (that of D)", f"shape {D0.shape}")
    norms = np.linalg.norm(D, axis=0)
    if np.any(norms == 0):
        raise fail(where, "D", "nonzero columns", "a zero column")
    Dn = D / norms
    C = np.abs(Dn.T @ D0)
    rows, cols = scipy.optimize.linear_sum_assignment(-C)
    signs = np.sign((Dn[:, rows] * D0[:, cols]).sum(0))
    signs[signs == 0] = 1.0
    diff = Dn[:, rows] * signs - D0[:, cols]
    return float(np.linalg.norm(diff) / np.sqrt(D.shape[0]))
