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

Chapter :ref:`orthogonal-representations` adds orthogonal and equiangular
representations in learning:

* orthogonal parameterisations: Householder products (:func:`householder_orthogonal`,
  trained in :func:`householder_pca`), the Cayley transform (:func:`cayley_orthogonal`),
  the QR retraction (:func:`qr_retraction`), and orthogonal Procrustes (:func:`procrustes`),
  with its λ-orthogonality relaxation (:func:`lambda_orthogonal_map`);
* Frank–Wolfe over the spectral-norm ball, whose linear oracle is the polar factor
  (:func:`spectral_lmo`), for online orthogonal dictionary learning (:func:`online_odl`,
  :func:`dictionary_error`);
* frames: the Welch bound (:func:`welch_bound`, :func:`max_coherence`), equiangular basis
  vectors (:func:`equiangular_vectors`), the simplex ETF (:func:`simplex_etf`) and neural
  collapse in deep linear unconstrained-feature models (:func:`train_deep_linear_ufm`,
  :func:`neural_collapse_metrics`);
* redundancy reduction: Barlow Twins (:func:`cross_correlation`, :func:`barlow_twins_loss`,
  :func:`barlow_twins_train`); its effective rank is
  :func:`eigenbook.diagnostics.rankme` of the centred embeddings.

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
from ._frames import CollapseMetrics as CollapseMetrics
from ._frames import DeepLinearUFM as DeepLinearUFM
from ._frames import EBVResult as EBVResult
from ._frames import equiangular_vectors as equiangular_vectors
from ._frames import max_coherence as max_coherence
from ._frames import neural_collapse_metrics as neural_collapse_metrics
from ._frames import simplex_etf as simplex_etf
from ._frames import train_deep_linear_ufm as train_deep_linear_ufm
from ._frames import welch_bound as welch_bound
from ._manifold import cayley_orthogonal as cayley_orthogonal
from ._manifold import householder_orthogonal as householder_orthogonal
from ._manifold import procrustes as procrustes
from ._manifold import qr_retraction as qr_retraction
from ._manifold import spectral_lmo as spectral_lmo
from ._muon import MuonStep as MuonStep
from ._muon import auon_direction as auon_direction
from ._muon import clip_outliers as clip_outliers
from ._muon import muon_direction as muon_direction
from ._muon import muon_step as muon_step
from ._muon import soft_threshold as soft_threshold
from ._odl import ODLResult as ODLResult
from ._odl import dictionary_error as dictionary_error
from ._odl import online_odl as online_odl
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
from ._ssl import BarlowResult as BarlowResult
from ._ssl import HouseholderFit as HouseholderFit
from ._ssl import barlow_twins_loss as barlow_twins_loss
from ._ssl import barlow_twins_train as barlow_twins_train
from ._ssl import cross_correlation as cross_correlation
from ._ssl import householder_pca as householder_pca
from ._ssl import lambda_orthogonal_map as lambda_orthogonal_map

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
    "householder_orthogonal",
    "cayley_orthogonal",
    "qr_retraction",
    "procrustes",
    "spectral_lmo",
    "ODLResult",
    "online_odl",
    "dictionary_error",
    "welch_bound",
    "max_coherence",
    "EBVResult",
    "equiangular_vectors",
    "simplex_etf",
    "CollapseMetrics",
    "neural_collapse_metrics",
    "DeepLinearUFM",
    "train_deep_linear_ufm",
    "cross_correlation",
    "barlow_twins_loss",
    "BarlowResult",
    "barlow_twins_train",
    "lambda_orthogonal_map",
    "HouseholderFit",
    "householder_pca",
]
