"""Randomized linear algebra: sketches, randomized SVD, sampling, CUR, sharding.

The engine of the chapter :ref:`randomized`. Every random routine takes an
explicit ``key`` (``jax.random.key(seed)``); computations are float64 when x64 is
enabled (accuracy is the point of the comparisons in the chapter).

Families
--------

* Sketching operators applied to a tall matrix: :func:`gaussian_sketch`,
  :func:`srht_sketch`, :func:`countsketch`, :func:`sketch` (dispatch), and the
  subspace-embedding distortion :func:`embedding_distortion`.
* Low rank: :func:`randomized_range_finder`, :func:`randomized_svd`,
  :func:`hmt_error_bound`, :func:`cur`.
* Least squares: :func:`sketch_and_solve`, :func:`sketch_precondition_lstsq`.
* Sampling: :func:`leverage_scores`, :func:`l1_sensitivities`,
  :func:`sensitivity_sampling`, :func:`lp_distortion`,
  :func:`projection_dpp_sample`, :func:`weighted_least_squares`.
* Scale-out: :func:`sharded_tsqr`, :func:`sharded_randomized_svd` over a 1-D
  :class:`jax.sharding.Mesh` with ``jax.shard_map``; :func:`qr_positive` is
  the single-device reference.
"""


from .._results import QRResult as QRResult
from .._results import SVDResult as SVDResult
from ._common import CURResult as CURResult
from ._common import LstsqResult as LstsqResult
from ._common import SampleResult as SampleResult
from ._common import WeightedLstsqResult as WeightedLstsqResult
from ._lstsq import sketch_and_solve as sketch_and_solve
from ._lstsq import sketch_precondition_lstsq as sketch_precondition_lstsq
from ._rsvd import hmt_error_bound as hmt_error_bound
from ._rsvd import qr_positive as qr_positive
from ._rsvd import randomized_range_finder as randomized_range_finder
from ._rsvd import randomized_svd as randomized_svd
from ._sampling import cur as cur
from ._sampling import l1_sensitivities as l1_sensitivities
from ._sampling import leverage_sampling_bound as leverage_sampling_bound
from ._sampling import leverage_scores as leverage_scores
from ._sampling import lp_distortion as lp_distortion
from ._sampling import projection_dpp_sample as projection_dpp_sample
from ._sampling import sensitivity_sampling as sensitivity_sampling
from ._sampling import weighted_least_squares as weighted_least_squares
from ._sharded import sharded_randomized_svd as sharded_randomized_svd
from ._sharded import sharded_tsqr as sharded_tsqr
from ._sketches import countsketch as countsketch
from ._sketches import embedding_distortion as embedding_distortion
from ._sketches import gaussian_sketch as gaussian_sketch
from ._sketches import sketch as sketch
from ._sketches import srht_sketch as srht_sketch

__all__ = [
    "leverage_sampling_bound",
    "SVDResult",
    "QRResult",
    "SampleResult",
    "CURResult",
    "LstsqResult",
    "WeightedLstsqResult",
    "gaussian_sketch",
    "srht_sketch",
    "countsketch",
    "sketch",
    "embedding_distortion",
    "qr_positive",
    "randomized_range_finder",
    "randomized_svd",
    "hmt_error_bound",
    "sketch_and_solve",
    "sketch_precondition_lstsq",
    "leverage_scores",
    "l1_sensitivities",
    "sensitivity_sampling",
    "lp_distortion",
    "cur",
    "projection_dpp_sample",
    "weighted_least_squares",
    "sharded_tsqr",
    "sharded_randomized_svd",
]
