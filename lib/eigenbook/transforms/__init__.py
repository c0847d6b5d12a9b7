"""Fast and sparse orthogonal transforms: Walsh–Hadamard, DCT as a KLT, forecasting heads.

The fast Walsh–Hadamard transform (:func:`fwht`, natural order, radix-16 Kronecker
factors, one jitted program per shape) and the structured random rotation :math:`HD`
(:func:`random_hadamard_rotation`, the rotation inside the SRHT of
:func:`eigenbook.sketch.srht_sketch`); Karhunen–Loève bases (:func:`klt_basis`) and the
AR(1) correlation whose KLT tends to the DCT-II
(:func:`ar1_covariance`, :func:`basis_alignment`, :func:`offdiagonal_energy`); the sparse
Walsh–Hadamard transform by aliasing and peeling (:func:`sparse_wht`, its sample set
:func:`sparse_wht_samples`, and :func:`walsh_synthesis` to read a sparse signal at given
indices); and linear forecasting heads in an orthogonally transformed domain
(:func:`temporal_correlation`, :func:`orthotrans_basis`, :func:`sliding_windows`,
:func:`fit_linear_forecaster`, :func:`forecast`, with the :func:`seasonal_naive` baseline).
The DCT itself is :func:`eigenbook.spectral.dct` (SciPy's convention) and its orthonormal
matrix :func:`eigenbook.orth.dct_matrix`. Chapter :ref:`fast-transforms` explains them.

Example
-------
>>> from eigenbook import transforms
>>> y = transforms.fwht(x)  # doctest: +SKIP
>>> res = transforms.sparse_wht(x, n_bins=64, key=jax.random.key(0))  # doctest: +SKIP
"""

from ._bases import KLTBasis as KLTBasis
from ._bases import ar1_covariance as ar1_covariance
from ._bases import basis_alignment as basis_alignment
from ._bases import klt_basis as klt_basis
from ._bases import offdiagonal_energy as offdiagonal_energy
from ._forecast import LinearForecaster as LinearForecaster
from ._forecast import Windows as Windows
from ._forecast import fit_linear_forecaster as fit_linear_forecaster
from ._forecast import forecast as forecast
from ._forecast import orthotrans_basis as orthotrans_basis
from ._forecast import seasonal_naive as seasonal_naive
from ._forecast import sliding_windows as sliding_windows
from ._forecast import temporal_correlation as temporal_correlation
from ._hadamard import fwht as fwht
from ._hadamard import random_hadamard_rotation as random_hadamard_rotation
from ._sparse import SparseWHTResult as SparseWHTResult
from ._sparse import sparse_wht as sparse_wht
from ._sparse import sparse_wht_samples as sparse_wht_samples
from ._sparse import walsh_synthesis as walsh_synthesis

__all__ = [
    "fwht",
    "random_hadamard_rotation",
    "KLTBasis",
    "ar1_covariance",
    "klt_basis",
    "basis_alignment",
    "offdiagonal_energy",
    "SparseWHTResult",
    "sparse_wht",
    "sparse_wht_samples",
    "walsh_synthesis",
    "Windows",
    "LinearForecaster",
    "sliding_windows",
    "temporal_correlation",
    "orthotrans_basis",
    "fit_linear_forecaster",
    "forecast",
    "seasonal_naive",
]
