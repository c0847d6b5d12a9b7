"""Applications of the SVD: Eigen-CAM maps and EigenTrajectory descriptors.

* :func:`eigencam` is the rank-1 projection of a centred convolutional
  feature map (Muhammad and Yeasin); :func:`grad_cam` is the gradient-weighted
  map it is compared with.
* :func:`fit_trajectory_basis`, :func:`project_trajectories` and
  :func:`reconstruct_trajectories` are the EigenTrajectory descriptor (Bae,
  Oh and Jeon): the top left singular vectors of the matrix of flattened
  training trajectories. :func:`bezier_fit` and :func:`bspline_fit` are the
  parametric curves it is compared with at equal parameter count.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from scipy.interpolate import BSpline

from .. import _checks

__all__ = [
    "TrajectoryBasis",
    "eigencam",
    "grad_cam",
    "fit_trajectory_basis",
    "project_trajectories",
    "reconstruct_trajectories",
    "bezier_fit",
    "bspline_fit",
    "displacement_error",
    "min_displacement_error",
    "pointing_game",
]


# --------------------------------------------------------------------- Eigen-CAM
@jax.jit
def _eigencam_one(F: jax.Array) -> jax.Array:
    H, W, C = F.shape
    A = F.reshape(H * W, C)
    Ac = A - jnp.mean(A, axis=0)
    _, _, Vt = jnp.linalg.svd(Ac, full_matrices=False)
    v = Vt[0] * jnp.where(jnp.sum(Vt[0]) < 0, -1.0, 1.0)
    return (Ac @ v).reshape(H, W)


def _as_maps(x: Any, name: str, where: str) -> jax.Array:
    return _checks.as_array(x, name, where, ndim=(3, 4),
                            rule="a non-empty array of shape (H, W, C) or (N, H, W, C)")


def eigencam(features: Any) -> jax.Array:
    """Eigen-CAM: projection of the centred feature map on its first principal axis.

    The map of shape (H, W, C) is read as HW samples of C channels
    :math:`A \\in \\mathbb{R}^{HW \\times C}`, centred over positions,
    :math:`A_c = A - \\mathbf{1}\\bar a^T = U \\Sigma V^T`, and
    :math:`\\mathrm{cam} = A_c v_1 = \\sigma_1 u_1` reshaped to (H, W). The
    sign of :math:`v_1` is chosen so that :math:`\\sum_c v_{1c} \\ge 0`, i.e.
    the map correlates non-negatively with the channel-summed activation.
    No class score, head or gradient enters.

    Parameters
    ----------
    features : array of shape (H, W, C) or (N, H, W, C)
        Activations of a convolutional layer (channels last).

    Returns
    -------
    array of shape (H, W) or (N, H, W)

    Raises
    ------
    TypeError, ValueError
        Not a finite real array of rank 3 or 4.

    References
    ----------
    :cite:p:`muhammad2020eigencam`

    See Also
    --------
    pytorch_grad_cam.EigenCAM : the PyTorch implementation (no sign convention).
    grad_cam : the gradient-weighted alternative.

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    F = _as_maps(features, "features", "lowrank.eigencam")
    return jax.vmap(_eigencam_one)(F) if F.ndim == 4 else _eigencam_one(F)


def grad_cam(features: Any, gradients: Any) -> jax.Array:
    """Grad-CAM: ReLU of the channel map weighted by spatially averaged gradients.

    :math:`\\mathrm{cam} = \\max(0, \\sum_c w_c A_{:, :, c})` with
    :math:`w_c` the mean over positions of :math:`\\partial y / \\partial A_{:, :, c}`
    for a class score y.

    Parameters
    ----------
    features : array of shape (H, W, C) or (N, H, W, C)
        Activations of a convolutional layer.
    gradients : array of the same shape
        Gradient of the class score with respect to ``features``.

    Returns
    -------
    array of shape (H, W) or (N, H, W)

    Raises
    ------
    TypeError, ValueError
        Not finite real arrays, or shapes differ.

    References
    ----------
    :cite:p:`selvaraju2017gradcam`

    See Also
    --------
    pytorch_grad_cam.GradCAM : the PyTorch implementation.
    eigencam : the gradient-free alternative.

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.grad_cam"
    F = _as_maps(features, "features", where)
    G = _as_maps(gradients, "gradients", where)
    if F.shape != G.shape:
        raise _checks.fail(where, "gradients", f"shape {tuple(F.shape)} (as features)",
                           f"shape {tuple(G.shape)}")
    w = jnp.mean(G, axis=(-3, -2), keepdims=True)
    return jax.nn.relu(jnp.sum(w * F, axis=-1))


# ------------------------------------------------------------ EigenTrajectory
class TrajectoryBasis(NamedTuple):
    """EigenTrajectory descriptor basis.

    Attributes
    ----------
    basis : array of shape (2 T, k)
        Top-k left singular vectors of the (2 T, N) matrix of flattened
        training trajectories (x and y interleaved per frame).
    singular_values : array of shape (min(2 T, N),)
        All singular values of that matrix, descending.
    """

    basis: jax.Array
    singular_values: jax.Array


def _as_trajs(x: Any, name: str, where: str, T: int | None = None) -> jax.Array:
    rule = "a non-empty array of shape (N, T, 2)"
    arr = _checks.as_array(x, name, where, ndim=3, rule=rule)
    if arr.shape[2] != 2:
        raise _checks.fail(where, name, rule, f"shape {tuple(arr.shape)}")
    if T is not None and arr.shape[1] != T:
        raise _checks.fail(where, name, f"T = {T} frames (as the basis)",
                           f"shape {tuple(arr.shape)}")
    return arr.astype(jnp.result_type(float))


def fit_trajectory_basis(trajectories: Any, k: int) -> TrajectoryBasis:
    """EigenTrajectory basis: top-k left singular vectors of the trajectory matrix.

    The N training trajectories (T frames, 2 coordinates) are flattened to the
    columns of :math:`A \\in \\mathbb{R}^{2T \\times N}` (no centring, as in
    EigenTrajectory); the basis is :math:`U_k` of :math:`A = U \\Sigma V^T`.
    By Eckart–Young, no other k-dimensional linear subspace has a smaller sum
    of squared reconstruction errors on the training set.

    Parameters
    ----------
    trajectories : array of shape (N, T, 2)
    k : int
        Descriptor size, ``1 <= k <= min(2 T, N)``.

    Returns
    -------
    TrajectoryBasis

    Raises
    ------
    TypeError, ValueError
        Not a finite real (N, T, 2) array; ``k`` out of range.

    References
    ----------
    :cite:p:`bae2023eigentrajectory`

    See Also
    --------
    sklearn.decomposition.TruncatedSVD : the same factorisation (on A^T).

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.fit_trajectory_basis"
    X = _as_trajs(trajectories, "trajectories", where)
    N, T, _ = X.shape
    k = _checks.check_rank(k, "k", where, upper=min(2 * T, N), upper_name="min(2 T, N)")
    U, s, _ = jnp.linalg.svd(X.reshape(N, 2 * T).T, full_matrices=False)
    return TrajectoryBasis(U[:, :k], s)


def _check_basis(basis: Any, where: str) -> TrajectoryBasis:
    if not isinstance(basis, TrajectoryBasis):
        raise _checks.fail(where, "basis", "a TrajectoryBasis (from fit_trajectory_basis)",
                           type(basis).__name__, exc=TypeError)
    return basis


def project_trajectories(basis: TrajectoryBasis, trajectories: Any) -> jax.Array:
    """Descriptor coefficients :math:`C = U_k^T A` of trajectories.

    Parameters
    ----------
    basis : TrajectoryBasis
    trajectories : array of shape (N, T, 2)

    Returns
    -------
    array of shape (N, k)

    Raises
    ------
    TypeError, ValueError
        Not a TrajectoryBasis; trajectories of the wrong shape.

    References
    ----------
    :cite:p:`bae2023eigentrajectory`

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.project_trajectories"
    basis = _check_basis(basis, where)
    X = _as_trajs(trajectories, "trajectories", where, T=basis.basis.shape[0] // 2)
    return X.reshape(X.shape[0], -1) @ basis.basis


def reconstruct_trajectories(basis: TrajectoryBasis, coefficients: Any) -> jax.Array:
    """Trajectories :math:`U_k C` from descriptor coefficients.

    Parameters
    ----------
    basis : TrajectoryBasis
    coefficients : array of shape (N, k)

    Returns
    -------
    array of shape (N, T, 2)

    Raises
    ------
    TypeError, ValueError
        Not a TrajectoryBasis; coefficients of the wrong shape.

    References
    ----------
    :cite:p:`bae2023eigentrajectory`

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.reconstruct_trajectories"
    basis = _check_basis(basis, where)
    C = _checks.as_matrix(coefficients, "coefficients", where)
    D, k = basis.basis.shape
    if C.shape[1] != k:
        raise _checks.fail(where, "coefficients", f"shape (N, {k})", f"shape {tuple(C.shape)}")
    return (C @ basis.basis.T).reshape(C.shape[0], D // 2, 2)


def _least_squares_curve(X: jax.Array, design: np.ndarray) -> jax.Array:
    """Per-coordinate least-squares fit of every trajectory on a (T, q) design."""
    P = jnp.asarray(np.linalg.pinv(design) , dtype=X.dtype)  # (q, T)
    ctrl = jnp.einsum("qt,ntc->nqc", P, X)
    return jnp.einsum("tq,nqc->ntc", jnp.asarray(design, dtype=X.dtype), ctrl)


def _check_n_params(n_params: Any, where: str, T: int, min_ctrl: int) -> int:
    q = _checks.check_int(n_params, "n_params", where, min_val=2 * min_ctrl, max_val=2 * T)
    if q % 2:
        raise _checks.fail(where, "n_params", "an even number (2 per control point)",
                           f"n_params={q}")
    return q // 2


def bezier_fit(trajectories: Any, n_params: int) -> jax.Array:
    """Least-squares Bézier fit with ``n_params / 2`` control points per trajectory.

    The curve of degree :math:`d = n_{\\mathrm{params}}/2 - 1` is sampled at T
    equally spaced parameters :math:`t \\in [0, 1]`; its control points solve
    a least-squares problem on the Bernstein design matrix.

    Parameters
    ----------
    trajectories : array of shape (N, T, 2)
    n_params : int
        Even, ``4 <= n_params <= 2 T``.

    Returns
    -------
    array of shape (N, T, 2)
        The fitted curves.

    Raises
    ------
    TypeError, ValueError
        Bad trajectories; odd or out-of-range ``n_params``.

    References
    ----------
    :cite:p:`bae2023eigentrajectory`

    See Also
    --------
    scipy.interpolate.BPoly : Bernstein polynomials in SciPy.

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.bezier_fit"
    X = _as_trajs(trajectories, "trajectories", where)
    T = X.shape[1]
    q = _check_n_params(n_params, where, T, 2)
    d = q - 1
    t = np.linspace(0.0, 1.0, T)[:, None]
    i = np.arange(q)[None, :]
    binom = np.array([math.comb(d, j) for j in range(q)])[None, :]
    return _least_squares_curve(X, binom * t**i * (1 - t) ** (d - i))


def bspline_fit(trajectories: Any, n_params: int, *, degree: int = 3) -> jax.Array:
    """Least-squares clamped B-spline fit with ``n_params / 2`` control points.

    Uniform clamped knots on [0, 1]; the degree is lowered to
    ``n_params / 2 - 1`` when there are too few control points (with exactly
    ``degree + 1`` control points the B-spline is the Bézier curve).

    Parameters
    ----------
    trajectories : array of shape (N, T, 2)
    n_params : int
        Even, ``4 <= n_params <= 2 T``.
    degree : int
        Spline degree, ``>= 1``.

    Returns
    -------
    array of shape (N, T, 2)

    Raises
    ------
    TypeError, ValueError
        Bad trajectories; odd or out-of-range ``n_params``; ``degree < 1``.

    References
    ----------
    :cite:p:`bae2023eigentrajectory`

    See Also
    --------
    scipy.interpolate.make_lsq_spline : SciPy's least-squares spline.

    Notes
    -----
    Explained in chapter :ref:`svd-pca`.
    """
    where = "lowrank.bspline_fit"
    X = _as_trajs(trajectories, "trajectories", where)
    T = X.shape[1]
    q = _check_n_params(n_params, where, T, 2)
    p = min(_checks.check_int(degree, "degree", where, min_val=1), q - 1)
    inner = np.linspace(0.0, 1.0, q - p + 1)
    knots = np.concatenate([np.zeros(p), inner, np.ones(p)])
    t = np.linspace(0.0, 1.0, T)
    design = BSpline.design_matrix(t, knots, p).toarray()
    return _least_squares_curve(X, design)


def displacement_error(predicted: Any, true: Any) -> jax.Array:
    """Average displacement error (ADE) of each trajectory.

    Parameters
    ----------
    predicted, true : arrays of shape (N, T, 2)

    Returns
    -------
    array of shape (N,)
        Mean over frames of the Euclidean distance.

    Raises
    ------
    TypeError, ValueError
        Bad shapes.

    Notes
    -----
    Used in chapter :ref:`svd-pca`.
    """
    where = "lowrank.displacement_error"
    P = _as_trajs(predicted, "predicted", where)
    Y = _as_trajs(true, "true", where, T=P.shape[1])
    if P.shape != Y.shape:
        raise _checks.fail(where, "true", f"shape {tuple(P.shape)}", f"shape {tuple(Y.shape)}")
    return jnp.mean(jnp.linalg.norm(P - Y, axis=-1), axis=-1)


def min_displacement_error(candidates: Any, true: Any) -> jax.Array:
    """Best-of-K ADE: for each true trajectory, the smallest ADE over K candidates.

    Parameters
    ----------
    candidates : array of shape (K, T, 2)
        The same K candidate futures for every trajectory.
    true : array of shape (N, T, 2)

    Returns
    -------
    array of shape (N,)

    Raises
    ------
    TypeError, ValueError
        Bad shapes.

    References
    ----------
    :cite:p:`bae2023eigentrajectory`

    Notes
    -----
    Used in chapter :ref:`svd-pca`.
    """
    where = "lowrank.min_displacement_error"
    C = _as_trajs(candidates, "candidates", where)
    Y = _as_trajs(true, "true", where, T=C.shape[1])
    d = jnp.linalg.norm(Y[:, None] - C[None], axis=-1).mean(-1)  # (N, K)
    return jnp.min(d, axis=1)


# ------------------------------------ pointing game (on data.cluttered_digits)
def pointing_game(maps: Any, boxes: Any, box_size: tuple[int, int]) -> jax.Array:
    """Whether the argmax of each map falls inside its object's box.

    Parameters
    ----------
    maps : array of shape (N, S, S)
        Saliency maps at the canvas resolution.
    boxes : int array of shape (N, 2)
        Top-left corners (row, column).
    box_size : tuple of int
        ``(h, w)`` of every box.

    Returns
    -------
    bool array of shape (N,)

    Raises
    ------
    TypeError
        Non-numeric maps, non-integer boxes, a ``box_size`` that is not two ints.
    ValueError
        Shapes disagree, NaN/inf maps, or a box not inside the map.

    Notes
    -----
    Used in chapter :ref:`svd-pca`.
    """
    where = "lowrank.pointing_game"
    M = np.asarray(_checks.as_array(maps, "maps", where, ndim=3,
                                    rule="an array of shape (N, S, S)"))
    if isinstance(box_size, (str, bytes)) or not hasattr(box_size, "__len__") \
            or len(box_size) != 2:
        raise _checks.fail(where, "box_size", "a pair (h, w) of ints", f"{box_size!r}",
                           exc=TypeError)
    box_size = tuple(_checks.check_int(v, "box_size", where, min_val=1, max_val=dim)
                     for v, dim in zip(box_size, M.shape[1:], strict=True))
    B = _checks.as_indices(boxes, "boxes", where, ndim=2, rule="an int array of shape (N, 2)")
    if B.shape != (M.shape[0], 2):
        raise _checks.fail(where, "boxes", f"shape ({M.shape[0]}, 2) (one corner per map)",
                           f"shape {B.shape}")
    far = B + np.asarray(box_size)
    if (far > np.asarray(M.shape[1:])).any():
        raise _checks.fail(where, "boxes", f"boxes inside the {M.shape[1]}x{M.shape[2]} maps "
                           f"(corner + box_size <= map size)", f"a box reaching {far.max(0)}")
    am = M.reshape(M.shape[0], -1).argmax(1)
    r, c = am // M.shape[2], am % M.shape[2]
    return jnp.asarray((r >= B[:, 0]) & (r < B[:, 0] + box_size[0])
                       & (c >= B[:, 1]) & (c < B[:, 1] + box_size[1]))
