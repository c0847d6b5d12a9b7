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
Trajectories (``_trajectories``)
    :func:`synthetic_trajectories`.
Dynamics and snapshot families (``_dynamics``, chapter 14)
    :func:`linear_system_snapshots`, :func:`cat_map_samples`, :func:`travelling_waves`,
    :func:`bump_snapshots`.
Shipped real data (``_load``)
    :func:`load` reads ``data/*.csv`` after checking each file against
    ``data/MANIFEST`` (sha256 and size): ``"sunspots"`` (monthly),
    ``"sunspots_yearly"``, ``"co2"`` (weekly Mauna Loa), ``"karate_club"``.
"""

from ._dynamics import LinearSnapshots as LinearSnapshots
from ._dynamics import MapSamples as MapSamples
from ._dynamics import bump_snapshots as bump_snapshots
from ._dynamics import cat_map_samples as cat_map_samples
from ._dynamics import linear_system_snapshots as linear_system_snapshots
from ._dynamics import travelling_waves as travelling_waves
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
from ._matrices import SpectrumMatrix as SpectrumMatrix
from ._matrices import SpikedRows as SpikedRows
from ._matrices import SymmetricWithSpectrum as SymmetricWithSpectrum
from ._matrices import matrix_with_singular_values as matrix_with_singular_values
from ._matrices import sparse_decaying as sparse_decaying
from ._matrices import spiked_rows as spiked_rows
from ._matrices import symmetric_with_spectrum as symmetric_with_spectrum
from ._random import haar_orthogonal as haar_orthogonal
from ._random import haar_rotation as haar_rotation
from ._random import numpy_rng as numpy_rng
from ._random import rotation_from_quaternion as rotation_from_quaternion
from ._random import shuffle_rows as shuffle_rows
from ._trajectories import synthetic_trajectories as synthetic_trajectories

__all__ = [
    "ClutteredDigits", "DATASETS", "DataIntegrityError", "SBMGraph", "SpectrumMatrix",
    "SpikedRows", "SymmetricWithSpectrum", "TimeSeries", "WeightedGraph", "cluttered_digits",
    "data_dir", "haar_orthogonal", "haar_rotation", "load", "matrix_with_singular_values",
    "numpy_rng", "rotation_from_quaternion", "shuffle_rows", "sparse_decaying", "spiked_rows",
    "stochastic_block_model", "symmetric_with_spectrum", "synthetic_trajectories", "verify",
    "LinearSnapshots", "MapSamples", "bump_snapshots", "cat_map_samples",
    "linear_system_snapshots", "travelling_waves",
]
