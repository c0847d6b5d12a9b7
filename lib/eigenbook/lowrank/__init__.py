"""Low-rank methods: truncated SVD, PCA, best rank-k approximation, rank choice.

The SVD part (chapter :ref:`svd-pca`): Golub–Kahan–Lanczos truncated SVD
on dense, sparse or matrix-free operators (``(matmat, rmatmat)`` with
``shape=``), PCA, Eckart–Young errors, principal angles, the
Gavish–Donoho optimal hard threshold, Eigen-CAM and EigenTrajectory
descriptors.

The compression part (chapter :ref:`lowrank-compression`): row/column-weighted SVD
(FWSVD) and entrywise-weighted alternating least squares, the empirical Fisher of an MLP
layer, low-rank adapters (LoRA, PiSSA, SORSA's split, merge and orthonormal regulariser),
Tucker adapters of N-D weights (FLoRA) against reshaped LoRA, and matrix completion by
alternating minimisation from a spectral start with exact or conjugate-gradient updates.
The randomized SVD lives in :mod:`eigenbook.sketch`
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
from ._adapters import AdapterFit as AdapterFit
from ._adapters import MatrixAdapter as MatrixAdapter
from ._adapters import SVDAdapter as SVDAdapter
from ._adapters import TuckerAdapter as TuckerAdapter
from ._adapters import fit_adapter as fit_adapter
from ._adapters import lora_adapter_size as lora_adapter_size
from ._adapters import matricized_adapter as matricized_adapter
from ._adapters import merge_adapter as merge_adapter
from ._adapters import orthonormality_defect as orthonormality_defect
from ._adapters import svd_adapter as svd_adapter
from ._adapters import tucker_adapter as tucker_adapter
from ._adapters import tucker_adapter_size as tucker_adapter_size
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
from ._completion import complete_matrix as complete_matrix
from ._completion import spectral_init as spectral_init
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
from ._weighted import LowRankFactors as LowRankFactors
from ._weighted import WeightedALSResult as WeightedALSResult
from ._weighted import layer_fisher as layer_fisher
from ._weighted import weighted_error as weighted_error
from ._weighted import weighted_low_rank as weighted_low_rank
from ._weighted import weighted_svd as weighted_svd
