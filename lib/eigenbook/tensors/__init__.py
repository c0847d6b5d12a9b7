"""Tensor decompositions: CP (canonical polyadic) by alternating least squares.

A rank-R CP decomposition writes a 3-tensor ``M`` of shape (d1, d2, d3) as
``Σ_r A[:, r] ⊗ B[:, r] ⊗ C[:, r]`` (:class:`CPDecomposition`); :func:`cp_decompose`
fits it by alternating least squares against Khatri–Rao products (:func:`khatri_rao`),
and :func:`cp_product` applies the bilinear map it defines. Chapter
:ref:`equivariant-tensor-products` uses it to compress the Clebsch–Gordan coupling
tensor (:func:`eigenbook.equivariant.coupling_tensor`).

Example
-------
>>> from eigenbook import tensors
>>> cp = tensors.cp_decompose(M, 6, key=jax.random.key(0))  # doctest: +SKIP
"""

from ._cp import CPDecomposition as CPDecomposition
from ._cp import cp_decompose as cp_decompose
from ._cp import cp_exact as cp_exact
from ._cp import cp_product as cp_product
from ._cp import khatri_rao as khatri_rao

__all__ = [
    "CPDecomposition",
    "cp_decompose",
    "cp_product",
    "cp_exact",
    "khatri_rao",
]
