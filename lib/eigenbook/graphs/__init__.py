"""Graph spectra: Laplacians, spectral embedding and clustering, filters, encodings.

Graphs are weighted, undirected and given by a symmetric non-negative weight
matrix ``W`` of shape (n, n), either a ``scipy.sparse`` array (the scalable
path, solved by the iterative eigensolvers of :mod:`eigenbook.eigen`) or a
dense array (small graphs, solved by ``eigh``). Randomness is explicit
(``key=jax.random.key(seed)``).

Example
-------
>>> W, labels = graphs.stochastic_block_model([50, 50], 0.3, 0.02, key=key)  # doctest: +SKIP
>>> pred = graphs.spectral_clustering(W, 2, key=key)  # doctest: +SKIP

Explained in chapter 07_graph_spectra.
"""


# the SBM generator lives on the floor (eigenbook.data); re-exported where chapter 07 calls it
from ..data import SBMGraph as SBMGraph
from ..data import stochastic_block_model as stochastic_block_model
from ._build import augment_with_attributes as augment_with_attributes
from ._build import knn_graph as knn_graph
from ._clustering import KMeansResult as KMeansResult
from ._clustering import kmeans as kmeans
from ._clustering import spectral_clustering as spectral_clustering
from ._common import KINDS as KINDS
from ._common import FiedlerPair as FiedlerPair
from ._common import FourierBasis as FourierBasis
from ._common import degrees as degrees
from ._cuts import SweepCut as SweepCut
from ._cuts import cheeger_constant as cheeger_constant
from ._cuts import conductance as conductance
from ._cuts import sweep_cut as sweep_cut
from ._encodings import align_signs as align_signs
from ._encodings import spe_encoding as spe_encoding
from ._laplacians import fiedler_vector as fiedler_vector
from ._laplacians import laplacian as laplacian
from ._laplacians import spectral_embedding as spectral_embedding
from ._learned import LearnedBasis as LearnedBasis
from ._learned import learn_nested_basis as learn_nested_basis
from ._signals import dirichlet_energy as dirichlet_energy
from ._signals import graph_fourier as graph_fourier
from ._signals import spectral_filter as spectral_filter
from ._smooth import smooth_vectors as smooth_vectors

__all__ = [
    "knn_graph",
    "stochastic_block_model",
    "augment_with_attributes",
    "degrees",
    "laplacian",
    "spectral_embedding",
    "fiedler_vector",
    "FiedlerPair",
    "conductance",
    "SweepCut",
    "sweep_cut",
    "cheeger_constant",
    "graph_fourier",
    "FourierBasis",
    "spectral_filter",
    "dirichlet_energy",
    "KMeansResult",
    "kmeans",
    "spectral_clustering",
    "spe_encoding",
    "align_signs",
    "smooth_vectors",
    "LearnedBasis",
    "learn_nested_basis",
]
