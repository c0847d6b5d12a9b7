"""Every data generator of the book, and the loader of its shipped real data.

Chapters and tests build their inputs here, so that a figure and the test that
guards it see the same instance, and no family keeps its own copy. Generators
take an explicit ``key`` (keyword-only) and return arrays or NamedTuples that
carry the exact answer where there is one (a spectrum, a top singular vector).

Random primitives (``_random``)
    :func:`haar_orthogonal` (Haar O(n) and orthonormal frames, batched),
    :func:`haar_rotation` (Haar SO(3)), :func:`rotation_from_quaternion` (the one
    quaternion → matrix code), :func:`numpy_rng` (the one JAX key → NumPy
    ``Generator`` bridge), :func:`shuffle_rows`.
Matrices with a known answer (``_matrices``)
    :func:`symmetric_with_spectrum`, :func:`matrix_with_singular_values`,
    :func:`spiked_rows`, :func:`sparse_decaying`.
Graphs (``_graphs``)
    :func:`stochastic_block_model`.
Images (``_images``)
    :func:`cluttered_digits`.
Tensors (``_tensors``)
    :func:`cp_tensor`, :func:`continuous_rank1_data`, :func:`long_range_potential`.
Spectral diagnostics (``_spectral``, chapter 17)
    :func:`random_weights` (Gaussian or Student-t entries), :func:`representations`
    (a covariance spectrum :math:`i^{-\\alpha}`), :func:`zipf_bigrams` (a toy next-token task).
Trajectories (``_trajectories``)
    :func:`synthetic_trajectories`.
Discretised PDEs (``_pde``)
    :func:`diffusion_2d` (variable-coefficient 2-D diffusion, Poisson when ``a = 1``),
    :func:`darcy_systems` (Darcy sequences with smooth random coefficients),
    :func:`corridor_registration`, :func:`tunnel_registration` (degenerate point-to-plane
    registration Jacobians).
Dynamics and snapshot families (``_dynamics``, chapter 14)
    :func:`linear_system_snapshots`, :func:`cat_map_samples`, :func:`travelling_waves`,
    :func:`bump_snapshots`.
Spin chains (``_spins``, chapter 19)
    :func:`transverse_field_ising`, :func:`random_local_pauli`.
Synthetic EEG (``_eeg``, chapter 16)
    :func:`ar_eeg_trials` (two-class AR(2) trials with equal spatial covariance),
    :func:`hemisphere_eeg` (electrodes on a hemisphere, with their geodesic distances).
Dictionary streams (``_dictionary``, chapter 06)
    :func:`orthogonal_dictionary_stream`.
Labelled mixtures (``_mixtures``, chapter 13)
    :func:`gaussian_mixture` (one isotropic Gaussian cluster per class).
Shapes for non-uniform Fourier transforms (``_polygons``, chapter 08)
    :func:`random_convex_polygon`.
Series and sparse spectra (``_series``, chapter 18)
    :func:`ar_process` (stationary AR(p) variates), :func:`seasonal_series` (seasonal
    sinusoids plus AR(1) noise), :func:`sparse_walsh_spectrum` (a K-sparse Walsh spectrum).
Low-rank compression and adaptation (``_lowrank``, chapter 03)
    :func:`completion_problem` (incoherent rank-k matrix, Bernoulli observations),
    :func:`tucker_tensor` (known multilinear rank), :func:`adapter_task` (a linear
    fine-tuning task with a rank-r change).
Neural-operator data (``_burgers``, chapter 09)
    :func:`periodic_grf` (periodic Gaussian random fields), :func:`grf_samples`
    (squared-exponential processes at given points), :func:`burgers_1d` (periodic viscous
    Burgers by ETDRK4, batched and jitted) with its right-hand side :func:`burgers_rhs`,
    :func:`antiderivative_data` (the DeepONet antiderivative operator).
Shipped real data (``_load``)
    :func:`load` reads ``data/*.csv`` after checking each file against
    ``data/MANIFEST`` (sha256 and size): ``"sunspots"`` (monthly),
    ``"sunspots_yearly"``, ``"co2"`` (weekly Mauna Loa), ``"karate_club"``.
"""

from ._burgers import AntiderivativeData as AntiderivativeData
from ._burgers import BurgersSolution as BurgersSolution
from ._burgers import antiderivative_data as antiderivative_data
from ._burgers import burgers_1d as burgers_1d
from ._burgers import burgers_rhs as burgers_rhs
from ._burgers import grf_samples as grf_samples
from ._burgers import periodic_grf as periodic_grf
from ._dictionary import SparseDictionaryData as SparseDictionaryData
from ._dictionary import orthogonal_dictionary_stream as orthogonal_dictionary_stream
from ._dynamics import LinearSnapshots as LinearSnapshots
from ._dynamics import MapSamples as MapSamples
from ._dynamics import bump_snapshots as bump_snapshots
from ._dynamics import cat_map_samples as cat_map_samples
from ._dynamics import linear_system_snapshots as linear_system_snapshots
from ._dynamics import travelling_waves as travelling_waves
from ._eeg import ChannelSignals as ChannelSignals
from ._eeg import EEGTrials as EEGTrials
from ._eeg import ar_eeg_trials as ar_eeg_trials
from ._eeg import hemisphere_eeg as hemisphere_eeg
from ._graphs import SBMGraph as SBMGraph
from ._graphs import stochastic_block_model as stochastic_block_model
from ._images import ClutteredDigits as ClutteredDigits
from ._images import cluttered_digits as cluttered_digits
from ._load import DATASETS as DATASETS
from ._load import DataIntegrityError as DataIntegrityError
from ._load import TimeSeries as TimeSeries
from ._load import WeightedGraph as WeightedGraph
from ._load import data_dir as data_dir
from ._load import load as load
from ._load import verify as verify
from ._lowrank import AdapterTask as AdapterTask
from ._lowrank import CompletionProblem as CompletionProblem
from ._lowrank import TuckerTensor as TuckerTensor
from ._lowrank import adapter_task as adapter_task
from ._lowrank import completion_problem as completion_problem
from ._lowrank import tucker_tensor as tucker_tensor
from ._matrices import SpectrumMatrix as SpectrumMatrix
from ._matrices import SpikedRows as SpikedRows
from ._matrices import SymmetricWithSpectrum as SymmetricWithSpectrum
from ._matrices import matrix_with_singular_values as matrix_with_singular_values
from ._matrices import sparse_decaying as sparse_decaying
from ._matrices import spiked_rows as spiked_rows
from ._matrices import symmetric_with_spectrum as symmetric_with_spectrum
from ._mixtures import GaussianMixture as GaussianMixture
from ._mixtures import gaussian_mixture as gaussian_mixture
from ._pde import DarcySystems as DarcySystems
from ._pde import RegistrationProblem as RegistrationProblem
from ._pde import corridor_registration as corridor_registration
from ._pde import darcy_systems as darcy_systems
from ._pde import diffusion_2d as diffusion_2d
from ._pde import tunnel_registration as tunnel_registration
from ._polygons import random_convex_polygon as random_convex_polygon
from ._random import haar_orthogonal as haar_orthogonal
from ._random import haar_rotation as haar_rotation
from ._random import numpy_rng as numpy_rng
from ._random import rotation_from_quaternion as rotation_from_quaternion
from ._random import shuffle_rows as shuffle_rows
from ._series import ARSeries as ARSeries
from ._series import SparseWalshSpectrum as SparseWalshSpectrum
from ._series import ar_process as ar_process
from ._series import seasonal_series as seasonal_series
from ._series import sparse_walsh_spectrum as sparse_walsh_spectrum
from ._spectral import Bigrams as Bigrams
from ._spectral import RepresentationSample as RepresentationSample
from ._spectral import random_weights as random_weights
from ._spectral import representations as representations
from ._spectral import zipf_bigrams as zipf_bigrams
from ._spins import random_local_pauli as random_local_pauli
from ._spins import transverse_field_ising as transverse_field_ising
from ._tensors import ContinuousTensorData as ContinuousTensorData
from ._tensors import LowRankTensor as LowRankTensor
from ._tensors import continuous_rank1_data as continuous_rank1_data
from ._tensors import cp_tensor as cp_tensor
from ._tensors import long_range_potential as long_range_potential
from ._trajectories import synthetic_trajectories as synthetic_trajectories

__all__ = [
    "ClutteredDigits", "DATASETS", "DataIntegrityError", "SBMGraph", "SpectrumMatrix",
    "SpikedRows", "SymmetricWithSpectrum", "TimeSeries", "WeightedGraph", "cluttered_digits",
    "data_dir", "haar_orthogonal", "haar_rotation", "load", "matrix_with_singular_values",
    "numpy_rng", "rotation_from_quaternion", "shuffle_rows", "sparse_decaying", "spiked_rows",
    "stochastic_block_model", "symmetric_with_spectrum", "synthetic_trajectories", "verify",
    "ContinuousTensorData", "LowRankTensor", "continuous_rank1_data", "cp_tensor",
    "long_range_potential",
    "RegistrationProblem", "DarcySystems", "corridor_registration", "darcy_systems",
    "diffusion_2d", "tunnel_registration",
    "LinearSnapshots", "MapSamples", "bump_snapshots", "cat_map_samples",
    "linear_system_snapshots", "travelling_waves",
    "random_local_pauli", "transverse_field_ising",
    "ChannelSignals", "EEGTrials", "ar_eeg_trials", "hemisphere_eeg",
    "Bigrams", "RepresentationSample", "random_weights", "representations", "zipf_bigrams",
    "SparseDictionaryData", "orthogonal_dictionary_stream",
    "GaussianMixture", "gaussian_mixture",
    "random_convex_polygon",
    "ARSeries", "SparseWalshSpectrum", "ar_process", "seasonal_series", "sparse_walsh_spectrum",
    "AdapterTask", "CompletionProblem", "TuckerTensor", "adapter_task", "completion_problem",
    "tucker_tensor",
    "AntiderivativeData", "BurgersSolution", "antiderivative_data", "burgers_1d", "burgers_rhs",
    "grf_samples", "periodic_grf",
]
