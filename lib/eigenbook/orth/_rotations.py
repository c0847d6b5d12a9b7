"""Rotation representations: 6-D, quaternions, Euler angles, geodesic distance."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook import data
from eigenbook._checks import (
    check_finite,
    check_rotation,
    fail,
)


def _batch(x: Any, tail: tuple[int, ...], name: str, where: str) -> jax.Array:
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf" or arr.shape[arr.ndim - len(tail):] != tail:
        exc = TypeError if arr.dtype.kind not in "iuf" else ValueError
        raise fail(where, name, f"a real array of shape (..., {', '.join(map(str, tail))})",
                   f"shape {arr.shape}, dtype {arr.dtype}", exc=exc)
    check_finite(arr, name, where)
    return jnp.asarray(arr, dtype=jnp.result_type(float))


def rotation_from_6d(x: Any) -> jax.Array:
    """Rotation matrix from the 6D representation by Gram–Schmidt.

    The two 3-vectors :math:`a_1, a_2` are orthonormalised to :math:`b_1, b_2` and
    completed by :math:`b_3 = b_1 \\times b_2`; the rotation has columns
    :math:`(b_1, b_2, b_3)`. Continuous wherever :math:`a_1, a_2` are independent.

    Parameters
    ----------
    x : array_like of shape (..., 6)
        :math:`(a_1, a_2)` concatenated.

    Returns
    -------
    array of shape (..., 3, 3)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Last axis not of size 6, or non-finite.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    rotation_to_6d, scipy.spatial.transform.Rotation

    Chapter :ref:`orthogonalization`.
    """
    x = _batch(x, (6,), "x", "orth.rotation_from_6d")
    return _rotation_from_6d_impl(x)


@jax.jit
def _rotation_from_6d_impl(x):
    a1, a2 = x[..., :3], x[..., 3:]
    b1 = a1 / jnp.linalg.norm(a1, axis=-1, keepdims=True)
    v = a2 - jnp.sum(b1 * a2, axis=-1, keepdims=True) * b1
    b2 = v / jnp.linalg.norm(v, axis=-1, keepdims=True)
    return jnp.stack([b1, b2, jnp.cross(b1, b2)], axis=-1)


def rotation_to_6d(R: Any) -> jax.Array:
    """The 6D representation of a rotation: its first two columns.

    Parameters
    ----------
    R : array_like of shape (..., 3, 3)

    Returns
    -------
    array of shape (..., 6)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Bad shape, non-finite, or not a rotation (orthogonal, det +1).

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    rotation_from_6d

    Chapter :ref:`orthogonalization`.
    """
    R = check_rotation(R, "R", "orth.rotation_to_6d")
    return _rotation_to_6d_impl(R)


@jax.jit
def _rotation_to_6d_impl(R):
    return jnp.concatenate([R[..., :, 0], R[..., :, 1]], axis=-1)


def quaternion_from_rotation(R: Any) -> jax.Array:
    """Unit quaternion :math:`(w, x, y, z)` with :math:`w \\ge 0` of a rotation matrix.

    Uses the numerically safe branch on the largest of
    :math:`(w^2, x^2, y^2, z^2)`, then fixes the sign so that :math:`w \\ge 0`
    (the usual half-sphere convention). That convention is discontinuous at
    rotations by :math:`\\pi`, where :math:`w = 0`.

    Parameters
    ----------
    R : array_like of shape (..., 3, 3)

    Returns
    -------
    array of shape (..., 4)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Bad shape, non-finite, or not a rotation (orthogonal, det +1).

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    scipy.spatial.transform.Rotation.as_quat : scalar-last order (x, y, z, w).

    Chapter :ref:`orthogonalization`.
    """
    R = check_rotation(R, "R", "orth.quaternion_from_rotation")
    return _quaternion_from_rotation_impl(R)


@jax.jit
def _quaternion_from_rotation_impl(R):
    r = lambda i, j: R[..., i, j]  # noqa: E731
    tr = r(0, 0) + r(1, 1) + r(2, 2)
    cands = jnp.stack([
        jnp.stack([1 + tr, r(2, 1) - r(1, 2), r(0, 2) - r(2, 0), r(1, 0) - r(0, 1)], -1),
        jnp.stack([r(2, 1) - r(1, 2), 1 + r(0, 0) - r(1, 1) - r(2, 2), r(0, 1) + r(1, 0),
                   r(0, 2) + r(2, 0)], -1),
        jnp.stack([r(0, 2) - r(2, 0), r(0, 1) + r(1, 0), 1 - r(0, 0) + r(1, 1) - r(2, 2),
                   r(1, 2) + r(2, 1)], -1),
        jnp.stack([r(1, 0) - r(0, 1), r(0, 2) + r(2, 0), r(1, 2) + r(2, 1),
                   1 - r(0, 0) - r(1, 1) + r(2, 2)], -1),
    ], -2)  # row i = 4 q_i q
    diag = jnp.stack([1 + tr, 1 + r(0, 0) - r(1, 1) - r(2, 2), 1 - r(0, 0) + r(1, 1) - r(2, 2),
                      1 - r(0, 0) - r(1, 1) + r(2, 2)], -1)
    best = jnp.argmax(diag, axis=-1)
    q = jnp.take_along_axis(cands, best[..., None, None], axis=-2)[..., 0, :]
    q = q / jnp.linalg.norm(q, axis=-1, keepdims=True)
    return jnp.where(q[..., :1] < 0, -q, q)


def rotation_from_quaternion(q: Any) -> jax.Array:
    """Rotation matrix of a quaternion :math:`(w, x, y, z)` (normalised first).

    Parameters
    ----------
    q : array_like of shape (..., 4)

    Returns
    -------
    array of shape (..., 3, 3)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Bad shape or non-finite.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    scipy.spatial.transform.Rotation.from_quat
    eigenbook.data.rotation_from_quaternion : the same map, without value checks.

    Chapter :ref:`orthogonalization`.
    """
    q = _batch(q, (4,), "q", "orth.rotation_from_quaternion")
    return data.rotation_from_quaternion(q)  # the package's one quaternion -> matrix code


def euler_from_rotation(R: Any) -> jax.Array:
    """Intrinsic z-y-x Euler angles (yaw, pitch, roll) of a rotation: :math:`R = R_z R_y R_x`.

    Pitch is in :math:`[-\\pi/2, \\pi/2]`, yaw and roll in :math:`(-\\pi, \\pi]`;
    the map jumps where an angle wraps around and is singular at pitch
    :math:`\\pm\\pi/2` (gimbal lock).

    Parameters
    ----------
    R : array_like of shape (..., 3, 3)

    Returns
    -------
    array of shape (..., 3)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Bad shape, non-finite, or not a rotation (orthogonal, det +1).

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    scipy.spatial.transform.Rotation.as_euler : ``as_euler("ZYX")``.

    Chapter :ref:`orthogonalization`.
    """
    R = check_rotation(R, "R", "orth.euler_from_rotation")
    return _euler_from_rotation_impl(R)


@jax.jit
def _euler_from_rotation_impl(R):
    yaw = jnp.arctan2(R[..., 1, 0], R[..., 0, 0])
    pitch = jnp.arcsin(jnp.clip(-R[..., 2, 0], -1.0, 1.0))
    roll = jnp.arctan2(R[..., 2, 1], R[..., 2, 2])
    return jnp.stack([yaw, pitch, roll], -1)


def rotation_from_euler(angles: Any) -> jax.Array:
    """Rotation :math:`R_z(\\text{yaw}) R_y(\\text{pitch}) R_x(\\text{roll})`.

    Parameters
    ----------
    angles : array_like of shape (..., 3)
        (yaw, pitch, roll) in radians.

    Returns
    -------
    array of shape (..., 3, 3)

    Raises
    ------
    TypeError
        Not a real array.
    ValueError
        Bad shape or non-finite.

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    scipy.spatial.transform.Rotation.from_euler : ``from_euler("ZYX", angles)``.

    Chapter :ref:`orthogonalization`.
    """
    a = _batch(angles, (3,), "angles", "orth.rotation_from_euler")
    return _rotation_from_euler_impl(a)


@jax.jit
def _rotation_from_euler_impl(a):
    cz, sz = jnp.cos(a[..., 0]), jnp.sin(a[..., 0])
    cy, sy = jnp.cos(a[..., 1]), jnp.sin(a[..., 1])
    cx, sx = jnp.cos(a[..., 2]), jnp.sin(a[..., 2])
    rows = [
        [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx],
        [sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx],
        [-sy, cy * sx, cy * cx],
    ]
    return jnp.stack([jnp.stack(row, -1) for row in rows], -2)


def geodesic_angle(R1: Any, R2: Any) -> jax.Array:
    """Geodesic distance on SO(3): the angle of :math:`R_1^\\top R_2`, in radians.

    :math:`\\theta = \\operatorname{atan2}(\\sin\\theta, \\cos\\theta)` with
    :math:`\\cos\\theta = (\\operatorname{tr}(R) - 1)/2` and :math:`\\sin\\theta` from the
    skew part of :math:`R = R_1^\\top R_2`; in :math:`[0, \\pi]`.

    Parameters
    ----------
    R1, R2 : array_like of shape (..., 3, 3)
        Broadcastable batches.

    Returns
    -------
    array of shape (...)

    Raises
    ------
    TypeError
        Not real arrays.
    ValueError
        Bad shapes, non-finite, or not rotations (orthogonal, det +1).

    References
    ----------
    :cite:p:`zhou2019continuity`

    See Also
    --------
    scipy.spatial.transform.Rotation.magnitude : of ``R1.inv() * R2``.

    Chapter :ref:`orthogonalization`.
    """
    where = "orth.geodesic_angle"
    R1 = check_rotation(R1, "R1", where)
    R2 = check_rotation(R2, "R2", where)
    return _geodesic_impl(R1, R2)


@jax.jit
def _geodesic_impl(R1, R2):
    R = jnp.swapaxes(R1, -1, -2) @ R2
    cos = (jnp.trace(R, axis1=-2, axis2=-1) - 1.0) / 2.0
    w = jnp.stack([R[..., 2, 1] - R[..., 1, 2], R[..., 0, 2] - R[..., 2, 0],
                   R[..., 1, 0] - R[..., 0, 1]], -1)
    sin = jnp.linalg.norm(w, axis=-1) / 2.0  # atan2 stays accurate near 0 and near pi
    return jnp.arctan2(sin, cos)
