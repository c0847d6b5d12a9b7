"""SO(3)/O(3)-equivariant tensor products: real spherical harmonics, Wigner D,
Clebsch–Gordan and Gaunt coefficients, dense CG, Gaunt (grid and 2D Fourier) and
CP tensor products (factors from :mod:`eigenbook.tensors`), an equivariance
property check, and adapters to e3nn-jax's conventions.

Layout: a feature with degrees ``0..L`` has length ``(L + 1)**2``, degree ``l``
at ``l**2 : (l + 1)**2``, orders ``m = -l..l``; the harmonics are real,
orthonormal on the sphere and without the Condon–Shortley phase, so
``Y_1 ∝ (y, z, x)``. Chapter :ref:`equivariant-tensor-products` explains the family.

Example
-------
>>> from eigenbook import equivariant as eq
>>> z = eq.full_tensor_product(x, y, 2, 2)  # doctest: +SKIP
"""

# Kept importable here for existing callers; they live in eigenbook.tensors / eigenbook.testing.
from ..tensors import CPDecomposition as CPDecomposition
from ..tensors import cp_decompose as cp_decompose
from ..tensors import cp_exact as cp_exact
from ..tensors import cp_product as cp_product
from ..testing import assert_equivariant as assert_equivariant
from ._coupling import complex_clebsch_gordan as complex_clebsch_gordan
from ._coupling import gaunt_to_cg_ratio as gaunt_to_cg_ratio
from ._coupling import real_clebsch_gordan as real_clebsch_gordan
from ._coupling import real_gaunt as real_gaunt
from ._coupling import tp_paths as tp_paths
from ._e3nn import E3NN_FRAME as E3NN_FRAME
from ._e3nn import e3nn_path_order as e3nn_path_order
from ._e3nn import from_e3nn as from_e3nn
from ._e3nn import paths_to_e3nn as paths_to_e3nn
from ._e3nn import to_e3nn as to_e3nn
from ._equivariance import as_irreps as as_irreps
from ._equivariance import equivariance_error as equivariance_error
from ._equivariance import irreps_D as irreps_D
from ._equivariance import path_irreps as path_irreps
from ._harmonics import S2Quadrature as S2Quadrature
from ._harmonics import complex_to_real as complex_to_real
from ._harmonics import degree_slice as degree_slice
from ._harmonics import irreps_dim as irreps_dim
from ._harmonics import legendre_table as legendre_table
from ._harmonics import random_rotation as random_rotation
from ._harmonics import s2_quadrature as s2_quadrature
from ._harmonics import sph_harm as sph_harm
from ._harmonics import wigner_D as wigner_D
from ._products import cg_op_count as cg_op_count
from ._products import coupling_tensor as coupling_tensor
from ._products import cp_op_count as cp_op_count
from ._products import full_tensor_product as full_tensor_product
from ._products import gaunt_op_count as gaunt_op_count
from ._products import gaunt_product_fourier as gaunt_product_fourier
from ._products import gaunt_product_grid as gaunt_product_grid
from ._products import span_dimension as span_dimension
from ._products import weighted_tensor_product as weighted_tensor_product

__all__ = [
    "complex_clebsch_gordan",
    "gaunt_to_cg_ratio",
    "real_clebsch_gordan",
    "real_gaunt",
    "tp_paths",
    "complex_to_real",
    "degree_slice",
    "irreps_dim",
    "legendre_table",
    "random_rotation",
    "S2Quadrature",
    "s2_quadrature",
    "sph_harm",
    "wigner_D",
    "cg_op_count",
    "coupling_tensor",
    "cp_op_count",
    "full_tensor_product",
    "gaunt_op_count",
    "gaunt_product_fourier",
    "gaunt_product_grid",
    "span_dimension",
    "weighted_tensor_product",
    "E3NN_FRAME",
    "as_irreps",
    "e3nn_path_order",
    "equivariance_error",
    "from_e3nn",
    "irreps_D",
    "path_irreps",
    "paths_to_e3nn",
    "to_e3nn",
]
