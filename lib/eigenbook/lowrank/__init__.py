"""Low-rank methods: truncated SVD, PCA, best rank-k approximation, rank choice.

The SVD part (chapter :ref:`svd-pca`): Golub–Kahan–Lanczos truncated SVD
on dense, sparse or matrix-free operators (``(matmat, rmatmat)`` with
``shape=``), PCA, Eckart–Young errors, principal angles, the
Gavish–Donoho optimal hard threshold, Eigen-CAM and EigenTrajectory
descriptors. The randomized SVD lives in :mod:`eigenbook.sketch`
(chapter :ref:`randomized`). Randomness is explicit (``key=jax.random.key(seed)``).

Example
-------
>>> from eigenbook import lowrank
>>> res = lowrank.truncated_svd(A, 20, key=jax.random.key(0))  # doctest: +SKIP
>>> res.U.shape, res.s.shape, res.Vt.shape                      # doctest: +SKIP
"""

from .._operators import RectOperator as RectOperator
from .._operators import as_rect_operator as as_rect_operator

# Test-data generators live on the floor (eigenbook.data); re-exported here, where
# chapter 02 calls them, under their old names.
from ..data import ClutteredDigits as ClutteredDigits
from ..data import SpectrumMatrix as SpectrumMatrix
from ..data import cluttered_digits as cluttered_digits
from ..data import matrix_with_singular_values as matrix_with_singular_values
from ..data import synthetic_trajectories as synthetic_trajectories
from ._applications import TrajectoryBasis as TrajectoryBasis
from ._applications import bezier_fit as bezier_fit
from ._applications import bspline_fit as bspline_fit
from ._applications import displacement_error as displacement_error
from ._applications import eigencam as eigencam
from ._applications import fit_trajectory_basis as fit_trajectory_basis
from ._applications import grad_cam as grad_cam
from ._applications import min_displacement_error as min_displacement_error
from ._applications import pointing_game as pointing_game
from ._applications import project_trajectories as project_trajectories
from ._applications import reconstruct_trajectories as reconstruct_trajectories
from ._rank import ThresholdResult as ThresholdResult
from ._rank import energy_rank as energy_rank
from ._rank import gavish_donoho_lambda as gavish_donoho_lambda
from ._rank import gavish_donoho_omega as gavish_donoho_omega
from ._rank import hard_threshold as hard_threshold
from ._rank import marchenko_pastur_median as marchenko_pastur_median
from ._rank import optimal_hard_threshold as optimal_hard_threshold
from ._svd import Bidiagonalization as Bidiagonalization
from ._svd import EckartYoungErrors as EckartYoungErrors
from ._svd import PCAResult as PCAResult
from ._svd import SVDResult as SVDResult
from ._svd import best_rank_k as best_rank_k
from ._svd import eckart_young_errors as eckart_young_errors
from ._svd import golub_kahan as golub_kahan
from ._svd import pca as pca
from ._svd import principal_angles as principal_angles
from ._svd import truncated_svd as truncated_svd
