"""SPD matrices under affine-invariant, log-Euclidean and Bures–Wasserstein geometry.

Matrix functions by eigendecomposition (:func:`sqrtm`, :func:`invsqrtm`, :func:`logm`,
:func:`expm`, :func:`powm`); distances, geodesics, exponential and logarithm maps and
metric tensors under the three metrics; Fréchet means by fixed-point iteration that meet
their tolerance or warn (:func:`karcher_mean`, :func:`bw_mean`, and the closed-form
:func:`log_euclidean_mean`); parallel transport and batch re-centring; covariance features
of multichannel signals (spatial and augmented, i.e. delay-embedded, with the Yule–Walker
fit read from the ACM); and the minimum-distance-to-mean classifier.

Inputs are float64 symmetric (positive definite where the geometry needs it) arrays of
shape ``(n, n)`` or, where documented, batches ``(N, n, n)``.

Example
-------
>>> from eigenbook import spd
>>> C = spd.augmented_covariance(trials, order=4)        # doctest: +SKIP
>>> model = spd.mdm_fit(C, y)                             # doctest: +SKIP
>>> spd.mdm_predict(model, C_test).labels                 # doctest: +SKIP
"""

from ._features import VARFit as VARFit
from ._features import augmented_covariance as augmented_covariance
from ._features import covariances as covariances
from ._features import toeplitz_gap as toeplitz_gap
from ._features import yule_walker as yule_walker
from ._funcs import expm as expm
from ._funcs import invsqrtm as invsqrtm
from ._funcs import logm as logm
from ._funcs import powm as powm
from ._funcs import sqrtm as sqrtm
from ._mdm import MDMModel as MDMModel
from ._mdm import MDMPrediction as MDMPrediction
from ._mdm import mdm_fit as mdm_fit
from ._mdm import mdm_predict as mdm_predict
from ._means import MeanResult as MeanResult
from ._means import bw_mean as bw_mean
from ._means import karcher_mean as karcher_mean
from ._means import log_euclidean_mean as log_euclidean_mean
from ._metrics import METRICS as METRICS
from ._metrics import RecentreResult as RecentreResult
from ._metrics import distance as distance
from ._metrics import exp_map as exp_map
from ._metrics import geodesic as geodesic
from ._metrics import log_map as log_map
from ._metrics import metric_tensor as metric_tensor
from ._metrics import parallel_transport as parallel_transport
from ._metrics import recentre as recentre

__all__ = [
    "METRICS", "MDMModel", "MDMPrediction", "MeanResult", "RecentreResult", "VARFit",
    "augmented_covariance", "bw_mean", "covariances", "distance", "exp_map", "expm",
    "geodesic", "invsqrtm", "karcher_mean", "log_euclidean_mean", "log_map", "logm",
    "mdm_fit", "mdm_predict", "metric_tensor", "parallel_transport", "powm", "recentre",
    "sqrtm", "toeplitz_gap", "yule_walker",
]
