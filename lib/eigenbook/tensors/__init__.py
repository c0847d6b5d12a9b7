"""Tensor decompositions: CP, Tucker, tensor trains, Kronecker structure, functional factors.

Unfoldings and mode products (:func:`unfold`, :func:`fold`, :func:`mode_product`) are the
vocabulary; on it stand the Tucker format (:func:`hosvd`, :func:`hooi`,
:class:`TuckerDecomposition`), tensor trains (:func:`tt_svd`, :class:`TTDecomposition`), CP
by alternating least squares (:func:`cp_decompose` against Khatri–Rao products,
:func:`khatri_rao`, and :func:`cp_product`, the bilinear map it defines), Kronecker products
and solves that never form the product (:func:`kron_matvec`, :func:`kron_solve`,
:func:`kron_sum_solve`), the mesh-free Chebyshev–Tucker format for functions
(:func:`chebyshev_tensor`, :func:`chebtucker`, :func:`chebtucker_evaluate`) and
Gaussian-process factors for continuous indices (:func:`gp_state_space`, :func:`gp_dense`,
:func:`functional_tucker`). Chapter :ref:`tensor-decompositions` explains them; chapter
:ref:`equivariant-tensor-products` uses CP to compress the Clebsch–Gordan coupling tensor
(:func:`eigenbook.equivariant.coupling_tensor`).

Example
-------
>>> from eigenbook import tensors
>>> cp = tensors.cp_decompose(M, 6, key=jax.random.key(0))  # doctest: +SKIP
>>> tk = tensors.hooi(T, (10, 10, 10))  # doctest: +SKIP
"""

from ._chebtucker import ChebTucker as ChebTucker
from ._chebtucker import ChebyshevTensor as ChebyshevTensor
from ._chebtucker import chebtucker as chebtucker
from ._chebtucker import chebtucker_evaluate as chebtucker_evaluate
from ._chebtucker import chebyshev_tensor as chebyshev_tensor
from ._chebtucker import chebyshev_vandermonde as chebyshev_vandermonde
from ._cp import CPDecomposition as CPDecomposition
from ._cp import cp_decompose as cp_decompose
from ._cp import cp_exact as cp_exact
from ._cp import cp_product as cp_product
from ._cp import khatri_rao as khatri_rao
from ._funtucker import FunctionalTucker as FunctionalTucker
from ._funtucker import GPPosterior as GPPosterior
from ._funtucker import functional_tucker as functional_tucker
from ._funtucker import gp_dense as gp_dense
from ._funtucker import gp_state_space as gp_state_space
from ._funtucker import matern32_kernel as matern32_kernel
from ._kron import kron_matvec as kron_matvec
from ._kron import kron_solve as kron_solve
from ._kron import kron_sum_solve as kron_sum_solve
from ._tt import TTDecomposition as TTDecomposition
from ._tt import tt_svd as tt_svd
from ._tt import tt_to_tensor as tt_to_tensor
from ._tucker import TuckerDecomposition as TuckerDecomposition
from ._tucker import fold as fold
from ._tucker import hooi as hooi
from ._tucker import hosvd as hosvd
from ._tucker import mode_product as mode_product
from ._tucker import multilinear_singular_values as multilinear_singular_values
from ._tucker import tucker_eps_ranks as tucker_eps_ranks
from ._tucker import tucker_to_tensor as tucker_to_tensor
from ._tucker import unfold as unfold

__all__ = [
    "CPDecomposition",
    "cp_decompose",
    "cp_product",
    "cp_exact",
    "khatri_rao",
    "TuckerDecomposition",
    "unfold",
    "fold",
    "mode_product",
    "tucker_to_tensor",
    "multilinear_singular_values",
    "tucker_eps_ranks",
    "hosvd",
    "hooi",
    "TTDecomposition",
    "tt_svd",
    "tt_to_tensor",
    "kron_matvec",
    "kron_solve",
    "kron_sum_solve",
    "ChebyshevTensor",
    "ChebTucker",
    "chebyshev_tensor",
    "chebyshev_vandermonde",
    "chebtucker",
    "chebtucker_evaluate",
    "GPPosterior",
    "FunctionalTucker",
    "matern32_kernel",
    "gp_state_space",
    "gp_dense",
    "functional_tucker",
]
