"""Orthogonalization: QR, the polar factor, Newton–Schulz and orthogonal updates.

The family behind chapter :ref:`orthogonalization`:

* QR factorizations with different round-off behaviour: classical and modified
  Gram–Schmidt (:func:`gram_schmidt`), Householder (:func:`householder_qr`) and
  CholeskyQR2 (:func:`cholesky_qr2`), measured by :func:`orthogonality_loss`;
* the polar factor :math:`UV^\\top` of :math:`A = U\\Sigma V^\\top` by the SVD
  (:func:`polar_svd`), scaled Newton (:func:`polar_newton`), the QR-based
  dynamically weighted Halley iteration (:func:`polar_qdwh`) and Newton–Schulz
  polynomials (:func:`newton_schulz`, :func:`ns_scalar_map`), with coefficients
  fitted to a matrix shape (:func:`fit_ns_coeffs`);
* orthogonalized momentum steps: Muon (:func:`muon_direction`), ROOT's outlier
  clipping (:func:`soft_threshold`, :func:`clip_outliers`) and AuON
  (:func:`auon_direction`);
* orthogonal circular convolutions (:func:`circular_conv_matrix`,
  :func:`conv_singular_values`, :func:`conv_orth_loss`);
* DCT column selection for SVD-free low-rank projection (:func:`dct_matrix`,
  :func:`dct_select`);
* rotation representations (:func:`rotation_from_6d`, :func:`quaternion_from_rotation`,
  :func:`euler_from_rotation` and their inverses, :func:`geodesic_angle`).

All arrays are JAX arrays; enable float64 (``jax.config.update("jax_enable_x64", True)``)
for the accuracy experiments.
"""


from ._autoencoder import AutoencoderErrors as AutoencoderErrors
from ._autoencoder import random_rotations as random_rotations
from ._autoencoder import rotation_autoencoder as rotation_autoencoder
from ._common import CUBIC_COEFFS as CUBIC_COEFFS
from ._common import MUON_COEFFS as MUON_COEFFS
from ._common import QRResult as QRResult
from ._conv import circular_conv_matrix as circular_conv_matrix
from ._conv import conv_orth_loss as conv_orth_loss
from ._conv import conv_orth_penalty as conv_orth_penalty
from ._conv import conv_singular_values as conv_singular_values
from ._dct import dct_matrix as dct_matrix
from ._dct import dct_select as dct_select
from ._muon import MuonStep as MuonStep
from ._muon import auon_direction as auon_direction
from ._muon import clip_outliers as clip_outliers
from ._muon import muon_direction as muon_direction
from ._muon import muon_step as muon_step
from ._muon import soft_threshold as soft_threshold
from ._polar import NSCoeffsFit as NSCoeffsFit
from ._polar import PolarResult as PolarResult
from ._polar import fit_ns_coeffs as fit_ns_coeffs
from ._polar import newton_schulz as newton_schulz
from ._polar import ns_scalar_map as ns_scalar_map
from ._polar import polar_newton as polar_newton
from ._polar import polar_qdwh as polar_qdwh
from ._polar import polar_svd as polar_svd
from ._qr import cholesky_qr as cholesky_qr
from ._qr import cholesky_qr2 as cholesky_qr2
from ._qr import gram_schmidt as gram_schmidt
from ._qr import householder_qr as householder_qr
from ._qr import orthogonality_loss as orthogonality_loss
from ._rotations import euler_from_rotation as euler_from_rotation
from ._rotations import geodesic_angle as geodesic_angle
from ._rotations import quaternion_from_rotation as quaternion_from_rotation
from ._rotations import rotation_from_6d as rotation_from_6d
from ._rotations import rotation_from_euler as rotation_from_euler
from ._rotations import rotation_from_quaternion as rotation_from_quaternion
from ._rotations import rotation_to_6d as rotation_to_6d

__all__ = [
    "QRResult",
    "PolarResult",
    "NSCoeffsFit",
    "MUON_COEFFS",
    "CUBIC_COEFFS",
    "gram_schmidt",
    "householder_qr",
    "cholesky_qr",
    "cholesky_qr2",
    "orthogonality_loss",
    "polar_svd",
    "polar_newton",
    "polar_qdwh",
    "newton_schulz",
    "ns_scalar_map",
    "fit_ns_coeffs",
    "soft_threshold",
    "clip_outliers",
    "muon_direction",
    "MuonStep",
    "muon_step",
    "auon_direction",
    "circular_conv_matrix",
    "conv_singular_values",
    "conv_orth_loss",
    "conv_orth_penalty",
    "dct_matrix",
    "dct_select",
    "rotation_from_6d",
    "rotation_to_6d",
    "quaternion_from_rotation",
    "rotation_from_quaternion",
    "euler_from_rotation",
    "rotation_from_euler",
    "geodesic_angle",
    "random_rotations",
    "AutoencoderErrors",
    "rotation_autoencoder",
]
