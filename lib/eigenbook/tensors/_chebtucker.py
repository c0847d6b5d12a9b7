"""Chebyshev–Tucker: Tucker decomposition of the tensor of Chebyshev coefficients of a function."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import ConvergenceWarning, as_vector, check_int, check_scalar, fail
from ._tucker import TuckerDecomposition, _multi_mode_product, hooi, hosvd


class ChebyshevTensor(NamedTuple):
    """Chebyshev interpolation data of a function on a box.

    Attributes
    ----------
    coefficients : jax.Array of shape (n, ..., n)
        ``C[k_1, ..., k_d]``: the function is :math:`\\sum C_{k} T_{k_1}(\\hat x_1) \\cdots
        T_{k_d}(\\hat x_d)` with :math:`\\hat x` the point mapped to :math:`[-1, 1]^d`.
    values : jax.Array of shape (n, ..., n)
        The function at the Chebyshev points (first kind).
    nodes : jax.Array of shape (n,)
        The Chebyshev points of the first kind on ``domain``.
    domain : tuple of float
        ``(a, b)``, the same interval in every dimension.
    """

    coefficients: jax.Array
    values: jax.Array
    nodes: jax.Array
    domain: tuple[float, float]


class ChebTucker(NamedTuple):
    """Two-level Chebyshev–Tucker format: :math:`f \\approx \\sum_{a} G_{a}
    \\prod_k \\big(\\sum_j V^{(k)}_{j a_k} T_j(\\hat x_k)\\big)`.

    Attributes
    ----------
    tucker : TuckerDecomposition
        Tucker decomposition of the coefficient tensor: core (r_1, ..., r_d), factors (n, r_k).
    ranks : tuple of int
        ``(r_1, ..., r_d)``.
    n : int
        Chebyshev degree + 1 per dimension.
    domain : tuple of float
    """

    tucker: TuckerDecomposition
    ranks: tuple[int, ...]
    n: int
    domain: tuple[float, float]


def _check_domain(domain, where):
    if len(domain) != 2:
        raise fail(where, "domain", "a pair (a, b) with a < b", f"{domain!r}")
    a = check_scalar(domain[0], "domain", where)
    b = check_scalar(domain[1], "domain", where)
    if not a < b:
        raise fail(where, "domain", "a pair (a, b) with a < b", f"{domain!r}")
    return a, b


def _nodes(n):
    return np.cos(np.pi * (np.arange(n) + 0.5) / n)


def _analysis_matrix(n):
    # C = W F: W[k, j] = (2 - δ_k0)/n cos(π k (j + 1/2) / n) (discrete orthogonality of T_k)
    k = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    W = (2.0 / n) * np.cos(np.pi * k * (j + 0.5) / n)
    W[0] /= 2
    return W


def _chebyshev_tensor(f, n, d, domain, where):
    if not callable(f):
        raise fail(where, "f", "a callable f(x_1, ..., x_d)", f"{type(f).__name__}", exc=TypeError)
    n = check_int(n, "n", where, min_val=2)
    d = check_int(d, "d", where, min_val=1)
    a, b = _check_domain(domain, where)
    nodes = jnp.asarray(a + (b - a) * (_nodes(n) + 1) / 2)
    grids = jnp.meshgrid(*([nodes] * d), indexing="ij")
    F = jnp.asarray(f(*grids))
    if F.shape != (n,) * d:
        raise fail(where, "f", f"values of shape {(n,) * d}", f"shape {tuple(F.shape)}")
    if not bool(jnp.all(jnp.isfinite(F))):
        raise fail(where, "f", "finite values at the Chebyshev points", "NaN or inf")
    W = jnp.asarray(_analysis_matrix(n), dtype=F.dtype)
    C = _multi_mode_product(F, [W] * d)
    return ChebyshevTensor(C, F, nodes, (a, b))


def chebyshev_tensor(f: Callable[..., Any], n: int, *, d: int = 3,
                     domain: tuple[float, float] = (-1.0, 1.0)) -> ChebyshevTensor:
    """Chebyshev interpolant of ``f`` on the tensor grid of ``n`` first-kind points per axis.

    The values at the :math:`n^d` points :math:`x_j = \\cos(\\pi(j + 1/2)/n)` (mapped to
    ``domain``) are turned into coefficients by one mode product per axis with the discrete
    cosine matrix :math:`W_{kj} = (2 - \\delta_{k0})/n \\cdot \\cos(\\pi k (j+1/2)/n)`
    :cite:p:`trefethen2019approximation`. Cost: :math:`n^d` evaluations of ``f`` and
    :math:`O(d\\, n^{d+1})` flops.

    Parameters
    ----------
    f : callable
        ``f(x_1, ..., x_d)`` on broadcast arrays of the coordinates (each of shape
        (n, ..., n), ``indexing="ij"``), returning an array of that shape.
    n : int
        Points per axis, ``>= 2``.
    d : int
        Dimension, ``>= 1``.
    domain : (float, float)
        The interval ``[a, b]`` of every axis.

    Returns
    -------
    ChebyshevTensor
        ``coefficients`` and ``values`` (n, ..., n), ``nodes`` (n,), ``domain``.

    Raises
    ------
    TypeError
        ``f`` is not callable.
    ValueError
        Bad ``n``, ``d`` or ``domain``; ``f`` returns the wrong shape or NaN/inf.

    See Also
    --------
    numpy.polynomial.chebyshev.chebinterpolate : the 1-D reference.
    """
    return _chebyshev_tensor(f, n, d, domain, "tensors.chebyshev_tensor")


def _vandermonde(x, n, a, b, where, name):
    xh = (2 * x - (a + b)) / (b - a)
    if bool(jnp.any(jnp.abs(xh) > 1 + 1e-12)):
        raise fail(where, name, f"points in [{a}, {b}]",
                   f"min {float(x.min())}, max {float(x.max())}")
    theta = jnp.arccos(jnp.clip(xh, -1.0, 1.0))
    return jnp.cos(theta[:, None] * jnp.arange(n)[None, :])


def chebyshev_vandermonde(x, n: int, *, domain: tuple[float, float] = (-1.0, 1.0)) -> jax.Array:
    """The matrix :math:`T_j(\\hat x_i)`, :math:`j < n`, at points of ``domain``.

    Parameters
    ----------
    x : array_like of shape (m,)
        Points in ``domain``.
    n : int
    domain : (float, float)

    Returns
    -------
    V : jax.Array of shape (m, n)

    Raises
    ------
    ValueError
        Bad ``n`` or ``domain``; ``x`` not 1-D or outside ``domain``.

    See Also
    --------
    numpy.polynomial.chebyshev.chebvander : the reference.
    """
    where = "tensors.chebyshev_vandermonde"
    x = as_vector(x, "x", where, allow_empty=True)
    n = check_int(n, "n", where, min_val=1)
    a, b = _check_domain(domain, where)
    return _vandermonde(x, n, a, b, where, "x")


def chebtucker(f: Callable[..., Any] | ChebyshevTensor, n: int | None = None, *, eps: float,
               d: int = 3, domain: tuple[float, float] = (-1.0, 1.0),
               max_steps: int = 20) -> ChebTucker:
    """Mesh-free Chebyshev–Tucker approximation of a function of d variables.

    Two levels :cite:p:`benner2025meshfree`: the product Chebyshev interpolant of ``f``
    (:func:`chebyshev_tensor`, :math:`n^d` evaluations) and a Tucker decomposition of its
    small coefficient tensor, ε-ranks by the HOSVD (:func:`hosvd`) refined by HOOI
    (:func:`hooi`). The result is evaluated anywhere by :func:`chebtucker_evaluate`; no large
    grid is ever formed.

    Parameters
    ----------
    f : callable or ChebyshevTensor
        As in :func:`chebyshev_tensor`, or its output (then ``n``, ``d`` and ``domain`` are
        taken from it).
    n : int, optional
        Chebyshev points per axis (required when ``f`` is a callable).
    eps : float
        Relative Frobenius accuracy of the Tucker step on the coefficient tensor, in (0, 1).
    d : int
    domain : (float, float)
    max_steps : int
        HOOI sweeps at most (HOOI keeps the HOSVD's ranks).

    Returns
    -------
    ChebTucker
        ``tucker`` (of the coefficient tensor), ``ranks``, ``n``, ``domain``.

    Raises
    ------
    TypeError, ValueError
        As in :func:`chebyshev_tensor` and :func:`hosvd`.

    Notes
    -----
    Explained in chapter :ref:`tensor-decompositions`.
    """
    where = "tensors.chebtucker"
    if isinstance(f, ChebyshevTensor):
        ct = f
    else:
        if n is None:
            raise fail(where, "n", "the number of Chebyshev points when f is a callable", "None")
        ct = _chebyshev_tensor(f, n, d, domain, where)
    eps = check_scalar(eps, "eps", where, min_val=0.0, max_val=1.0, strict_min=True)
    max_steps = check_int(max_steps, "max_steps", where, min_val=1)
    ranks = hosvd(ct.coefficients, eps=eps).core.shape
    # a capped refinement of an ε-accurate HOSVD is still ε-accurate: no warning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        tk = hooi(ct.coefficients, ranks, max_steps=max_steps)
    return ChebTucker(tk, tuple(int(r) for r in ranks), int(ct.coefficients.shape[0]), ct.domain)


def chebtucker_evaluate(ct: ChebTucker, grids: Sequence[Any]) -> jax.Array:
    """Evaluate a :class:`ChebTucker` on the tensor grid ``grids[0] × ⋯ × grids[d-1]``.

    Each factor is mapped to the grid, :math:`U_k = T(x^{(k)}) V^{(k)}` of shape (N_k, r_k),
    and the core is multiplied by them: cost :math:`O(\\sum_k N_k n r_k + r N_1 \\cdots N_d)`,
    never the :math:`N^d` function evaluations of the grid itself.

    Parameters
    ----------
    ct : ChebTucker
    grids : sequence of d arrays, the k-th of shape (N_k,)
        Points of ``ct.domain``.

    Returns
    -------
    F : jax.Array of shape (N_1, ..., N_d)

    Raises
    ------
    ValueError
        Wrong number of grids, or points outside the domain.
    """
    where = "tensors.chebtucker_evaluate"
    if not isinstance(ct, ChebTucker):
        raise fail(where, "ct", "a ChebTucker", f"{type(ct).__name__}", exc=TypeError)
    core, factors = ct.tucker.core, ct.tucker.factors
    if not isinstance(grids, (list, tuple)):
        raise fail(where, "grids", f"a list or tuple of {core.ndim} 1-D arrays",
                   f"{type(grids).__name__}", exc=TypeError)
    if len(grids) != core.ndim:
        raise fail(where, "grids", f"{core.ndim} 1-D arrays", f"{len(grids)}")
    a, b = ct.domain
    mats = [_vandermonde(as_vector(x, "grids", where, allow_empty=True), ct.n, a, b, where,
                         "grids") @ V
            for x, V in zip(grids, factors, strict=True)]
    return _multi_mode_product(core, mats)
