"""Closed-form Fourier transforms of simplices and polygons (the NUFT of Jiang et al.)."""

from __future__ import annotations

import math
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import as_array, as_vector, check_choice, check_int, check_scalar, fail
from ._transforms import QuadratureRule


def _content(v):
    """Content (length, area, volume) of simplices v (S, j+1, d): sqrt(det E^T E) / j!."""
    E = v[:, 1:, :] - v[:, :1, :]                       # (S, j, d)
    gram = jnp.einsum("sjd,skd->sjk", E, E)
    j = v.shape[1] - 1
    return jnp.sqrt(jnp.abs(jnp.linalg.det(gram))) / math.factorial(j)


def _divdiff_formula(a):
    """Divided difference of exp at nodes a (..., n): sum_t e^{a_t} / prod_{l!=t} (a_t - a_l)."""
    n = a.shape[-1]
    diff = a[..., :, None] - a[..., None, :] + jnp.eye(n)   # 1 on the diagonal
    return (jnp.exp(a) / jnp.prod(diff, axis=-1)).sum(axis=-1)


def _divdiff_expm(a, n_square=12, degree=18):
    """The same divided difference as the (0, n-1) entry of exp of a bidiagonal matrix (Opitz).

    exp(J) by a degree-18 Taylor polynomial of J / 2^12 and 12 squarings: a small static graph
    (no data-dependent scaling), accurate for |a| up to about 10^3 (here a = -i omega.x, so
    exp(J) is well conditioned).
    """
    n = a.shape[-1]
    J = (a[..., :, None] * jnp.eye(n) + jnp.eye(n, k=1)) / 2.0**n_square
    eye = jnp.broadcast_to(jnp.eye(n, dtype=J.dtype), J.shape)
    E = eye
    for k in range(degree, 0, -1):                 # Horner: I + J/1 (I + J/2 (I + ...))
        E = eye + (J @ E) / k
    for _ in range(n_square):
        E = E @ E
    return E[..., 0, -1]


@partial(jax.jit, static_argnames=("method",))
def _simplex_ft_impl(v, omega, weights, method, gap_tol):
    j = v.shape[1] - 1
    a = -1j * jnp.einsum("kd,std->kst", omega, v)            # (K, S, j+1)
    scale = math.factorial(j) * _content(v) * weights       # (S,)
    if method == "formula":
        dd = _divdiff_formula(a)
    elif method == "expm":
        dd = _divdiff_expm(a)
    else:
        n = j + 1
        gap = jnp.abs(a[..., :, None] - a[..., None, :]) + jnp.eye(n) * 1e300
        near = gap.min(axis=(-1, -2)) < gap_tol
        safe = jnp.where(near[..., None], jnp.arange(n) * 1.0 + 0j, a)   # distinct dummies
        dd = jnp.where(near, _divdiff_expm(a), _divdiff_formula(safe))
    return (dd * scale).sum(axis=-1)


def simplex_fourier_transform(vertices, omega, *, weights=None, method: str = "auto",
                              gap_tol: float = 0.05) -> jax.Array:
    """Fourier transform of uniform densities on j-simplices, in closed form.

    For a j-simplex :math:`S` with vertices :math:`x_0, \\dots, x_j \\in \\mathbb{R}^d` and
    content :math:`|S|` (length, area, volume),

    .. math::

        \\int_S e^{-i\\omega\\cdot x}\\,dx \\;=\\; i^j\\, j!\\, |S| \\sum_{t=0}^{j}
        \\frac{e^{-i\\omega\\cdot x_t}}{\\prod_{l\\ne t}\\omega\\cdot(x_t - x_l)}

    :cite:p:`jiang2019convolutional`: :math:`j!|S|` times the divided difference of
    :math:`\\exp` at the nodes :math:`a_t = -i\\omega\\cdot x_t`. The formula loses digits
    when two nodes nearly coincide (:math:`|\\omega\\cdot(x_t - x_l)|` small, e.g.
    :math:`\\omega = 0`); ``method="auto"`` then takes the divided difference from the
    matrix exponential of the bidiagonal matrix with the nodes on its diagonal (Opitz's
    formula, exact for coincident nodes; computed by scaling and squaring, accurate for
    :math:`|\\omega\\cdot x| \\lesssim 10^3`). Returns :math:`\\sum_s w_s \\int_{S_s}
    e^{-i\\omega\\cdot x}dx`; the simplices of a mesh (signed or textured by ``weights``)
    add up to the transform of the whole shape.

    Parameters
    ----------
    vertices : array_like of shape (S, j + 1, d), 0 <= j <= d
        S simplices of dimension j in :math:`\\mathbb{R}^d` (points for j = 0: their
        transform is :math:`e^{-i\\omega\\cdot x}`, a type-1 NUFFT).
    omega : array_like of shape (K, d)
        Angular frequencies.
    weights : array_like of shape (S,), optional
        Density of each simplex (default 1).
    method : {"auto", "formula", "expm"}
        ``"formula"``: the closed form alone; ``"expm"``: the matrix exponential
        everywhere; ``"auto"``: the formula, and ``"expm"`` where two nodes are closer than
        ``gap_tol``.
    gap_tol : float
        Node separation below which ``"auto"`` switches, ``> 0``.

    Returns
    -------
    F : jax.Array, complex, of shape (K,)

    Raises
    ------
    TypeError
        Non-numeric input.
    ValueError
        Wrong shapes (``j > d``, mismatched ``d``), NaN/inf, unknown ``method``.

    See Also
    --------
    nufft_type1 : the 0-simplex case on many points at integer frequencies.
    """
    where = "spectral.simplex_fourier_transform"
    v = as_array(vertices, "vertices", where, ndim=3,
                 rule="an array of shape (S, j + 1, d) with j <= d")
    if v.shape[1] - 1 > v.shape[2]:
        raise fail(where, "vertices", "j + 1 <= d + 1 vertices per simplex (j <= d)",
                   f"shape {tuple(v.shape)}")
    w = as_array(omega, "omega", where, ndim=2, rule=f"an array of shape (K, {v.shape[2]})")
    if w.shape[1] != v.shape[2]:
        raise fail(where, "omega", f"an array of shape (K, {v.shape[2]})",
                   f"shape {tuple(w.shape)}")
    wt = (jnp.ones(v.shape[0]) if weights is None
          else as_vector(weights, "weights", where, size=v.shape[0]))
    method = check_choice(method, "method", where, ("auto", "formula", "expm"))
    gap_tol = check_scalar(gap_tol, "gap_tol", where, min_val=0.0, strict_min=True)
    return _simplex_ft_impl(v, w, wt, method, gap_tol)


def polygon_triangles(vertices) -> jax.Array:
    """Fan triangulation of a convex polygon: triangles ``(v_0, v_i, v_{i+1})``.

    Parameters
    ----------
    vertices : array_like of shape (n, 2), n >= 3
        The polygon's vertices in order (either orientation).

    Returns
    -------
    triangles : jax.Array of shape (n - 2, 3, 2)

    Raises
    ------
    TypeError
        Non-numeric input.
    ValueError
        Not of shape (n, 2) with n >= 3, NaN/inf.
    """
    where = "spectral.polygon_triangles"
    p = as_array(vertices, "vertices", where, ndim=2, rule="an array of shape (n, 2), n >= 3")
    if p.shape[1] != 2 or p.shape[0] < 3:
        raise fail(where, "vertices", "an array of shape (n, 2) with n >= 3",
                   f"shape {tuple(p.shape)}")
    i = np.arange(1, p.shape[0] - 1)
    return jnp.stack([jnp.broadcast_to(p[0], (i.size, 2)), p[i], p[i + 1]], axis=1)


def _grid(n):
    return -1.0 + 2.0 * jnp.arange(n) / n


def rasterize_polygon(vertices, n: int) -> jax.Array:
    """Binary voxelisation of a convex polygon on the n × n grid of [-1, 1)².

    Pixel ``(a, b)`` is 1 when the grid point :math:`x_{ab} = (-1 + a h, -1 + b h)`,
    ``h = 2/n``, lies in the polygon (boundary included) and 0 otherwise: the spatial
    sampling that :func:`simplex_fourier_transform` avoids.

    Parameters
    ----------
    vertices : array_like of shape (m, 2), m >= 3
        A convex polygon, vertices in order (either orientation).
    n : int
        Pixels per side, ``>= 1``.

    Returns
    -------
    image : jax.Array of shape (n, n)
        Axis 0 is the first coordinate.

    Raises
    ------
    TypeError, ValueError
        Bad ``vertices`` or ``n``.
    """
    where = "spectral.rasterize_polygon"
    p = as_array(vertices, "vertices", where, ndim=2, rule="an array of shape (m, 2), m >= 3")
    if p.shape[1] != 2 or p.shape[0] < 3:
        raise fail(where, "vertices", "an array of shape (m, 2) with m >= 3",
                   f"shape {tuple(p.shape)}")
    n = check_int(n, "n", where, min_val=1)
    t = _grid(n)
    X, Y = jnp.meshgrid(t, t, indexing="ij")
    e = jnp.roll(p, -1, axis=0) - p
    cross = e[:, 0, None, None] * (Y - p[:, 1, None, None]) - e[:, 1, None, None] * (
        X - p[:, 0, None, None])
    orient = jnp.sign(jnp.sum(p[:, 0] * jnp.roll(p[:, 1], -1) - jnp.roll(p[:, 0], -1) * p[:, 1]))
    return jnp.all(orient * cross >= 0, axis=0).astype(float)


def image_fourier_coefficients(image, *, n_modes: int | None = None) -> jax.Array:
    """Rectangle-rule Fourier coefficients of an n × n image on [-1, 1)².

    :math:`\\hat I(\\pi k) \\approx h^2 \\sum_{a,b} I_{ab}\\, e^{-i\\pi k\\cdot x_{ab}}` at the
    grid points :math:`x_{ab}` of :func:`rasterize_polygon`, for the modes ``k`` of
    :func:`fft_modes` ``(n_modes)`` on each axis (one FFT): the transform a raster gives,
    to compare with the exact :func:`simplex_fourier_transform` at :math:`\\omega = \\pi k`.

    Parameters
    ----------
    image : array_like of shape (n, n), real
    n_modes : int, optional
        Modes per axis, ``1 <= n_modes <= n`` (default ``n``): the central ones.

    Returns
    -------
    F : jax.Array, complex, of shape (n_modes, n_modes)

    Raises
    ------
    TypeError, ValueError
        Not a finite real square 2-D array, or ``n_modes`` out of range.
    """
    where = "spectral.image_fourier_coefficients"
    im = as_array(image, "image", where, ndim=2, rule="an array of shape (n, n)")
    if im.shape[0] != im.shape[1]:
        raise fail(where, "image", "a square image of shape (n, n)", f"shape {tuple(im.shape)}")
    n = im.shape[0]
    m = n if n_modes is None else check_int(n_modes, "n_modes", where, min_val=1, max_val=n)
    k = np.arange(-(m // 2), (m - 1) // 2 + 1)
    F = jnp.fft.fft2(im)[jnp.ix_(k % n, k % n)]
    phase = jnp.exp(1j * jnp.pi * jnp.asarray(k))         # e^{-i pi k x_0}, x_0 = -1
    return (2.0 / n) ** 2 * F * phase[:, None] * phase[None, :]


def lowpass_image(coefficients, *, sigma: float) -> jax.Array:
    """The Gaussian-filtered image from Fourier coefficients on [-1, 1)².

    :math:`I(x) = \\tfrac14 \\sum_k \\hat f(\\pi k)\\, e^{-\\sigma^2\\pi^2|k|^2/2}\\,
    e^{i\\pi k\\cdot x}` at the n × n lower pixel corners: the band-limited image of a
    shape convolved with a Gaussian of width ``sigma`` (periodised), from its exact
    (:func:`simplex_fourier_transform`) or raster (:func:`image_fourier_coefficients`)
    coefficients. One inverse FFT.

    Parameters
    ----------
    coefficients : array_like of shape (n, n), complex
        Modes of :func:`fft_modes` ``(n)`` on each axis.
    sigma : float
        Width of the Gaussian in space, ``> 0``.

    Returns
    -------
    image : jax.Array, real, of shape (n, n)

    Raises
    ------
    TypeError, ValueError
        Bad ``coefficients`` or ``sigma``.
    """
    where = "spectral.lowpass_image"
    F = as_array(coefficients, "coefficients", where, ndim=2, allow_complex=True,
                 rule="an array of shape (n, n)")
    if F.shape[0] != F.shape[1]:
        raise fail(where, "coefficients", "a square array of shape (n, n)",
                   f"shape {tuple(F.shape)}")
    sigma = check_scalar(sigma, "sigma", where, min_val=0.0, strict_min=True)
    n = F.shape[0]
    k = jnp.asarray(np.arange(-(n // 2), (n - 1) // 2 + 1))
    g = jnp.exp(-0.5 * (sigma * jnp.pi) ** 2 * k**2)
    phase = jnp.exp(-1j * jnp.pi * k)                     # e^{i pi k x_0}, x_0 = -1
    G = F * (g * phase)[:, None] * (g * phase)[None, :]
    return (jnp.fft.ifft2(jnp.fft.ifftshift(G)) * n * n / 4.0).real


def simplex_quadrature(vertices, order: int) -> QuadratureRule:
    """A collapsed-coordinate Gauss–Legendre rule on each j-simplex (the dense reference).

    The unit cube maps onto the standard simplex by :math:`\\lambda_1 = u_1`,
    :math:`\\lambda_i = u_i\\prod_{l<i}(1 - u_l)` (Duffy's map), with Jacobian
    :math:`\\prod_i (1 - u_i)^{j-i}`; a tensor Gauss–Legendre rule with ``order`` points per
    axis then integrates polynomials of degree ``2 order - 2 - j`` exactly and analytic
    integrands geometrically. Used to check :func:`simplex_fourier_transform` by brute force
    (``order**j`` points per simplex).

    Parameters
    ----------
    vertices : array_like of shape (S, j + 1, d), 1 <= j <= d
    order : int
        Gauss points per axis, ``>= 1``.

    Returns
    -------
    QuadratureRule
        ``nodes`` of shape (S, order**j, d) and ``weights`` of shape (S, order**j):
        ``(weights * f(nodes)).sum(-1)`` approximates the integral of ``f`` over each simplex.

    Raises
    ------
    TypeError, ValueError
        Bad ``vertices`` (``j = 0`` or ``j > d``) or ``order``.
    """
    where = "spectral.simplex_quadrature"
    v = as_array(vertices, "vertices", where, ndim=3,
                 rule="an array of shape (S, j + 1, d) with 1 <= j <= d")
    j = v.shape[1] - 1
    if not 1 <= j <= v.shape[2]:
        raise fail(where, "vertices", "j + 1 vertices per simplex with 1 <= j <= d",
                   f"shape {tuple(v.shape)}")
    order = check_int(order, "order", where, min_val=1)
    g, w = np.polynomial.legendre.leggauss(order)
    u = np.stack(np.meshgrid(*([(g + 1) / 2] * j), indexing="ij"), -1).reshape(-1, j)
    wu = np.prod(np.stack(np.meshgrid(*([w / 2] * j), indexing="ij"), -1).reshape(-1, j), -1)
    lam = np.empty_like(u)
    rest = np.ones(u.shape[0])
    jac = np.ones(u.shape[0])
    for i in range(j):
        lam[:, i] = u[:, i] * rest
        jac *= (1 - u[:, i]) ** (j - 1 - i)
        rest = rest * (1 - u[:, i])
    E = v[:, 1:, :] - v[:, :1, :]                                   # (S, j, d)
    pts = v[:, :1, :] + jnp.einsum("pj,sjd->spd", lam, E)
    wts = (math.factorial(j) * _content(v))[:, None] * (wu * jac)[None, :]
    return QuadratureRule(pts, wts)
