"""Fourier, Chebyshev and non-uniform spectral transforms; spectral kernels on grids.

Conventions first (:func:`fft_modes`: centred integer modes, the order every transform
here takes and returns; :func:`dct`: SciPy's unnormalised DCT-I/II), then Chebyshev
technology on [-1, 1] (:func:`chebyshev_points`, :func:`chebyshev_coefficients` by one
DCT-I, :func:`chebyshev_evaluate` by Clenshaw's recurrence, :func:`clenshaw_curtis`
quadrature), non-uniform FFTs by Gaussian gridding (:func:`nufft_type1`,
:func:`nufft_type2`, with the direct sums :func:`nudft_type1`, :func:`nudft_type2`),
closed-form Fourier transforms of simplex meshes (:func:`simplex_fourier_transform`,
:func:`polygon_triangles`) with the raster pipeline they replace
(:func:`rasterize_polygon`, :func:`image_fourier_coefficients`, :func:`lowpass_image`),
the spectral mixture kernel and its density (Wiener–Khinchin), and exact GP solves with
Kronecker-structured covariances on grids (:func:`kron_gp_solve`, built on
:func:`eigenbook.tensors.kron_matvec`). Chapter :ref:`fourier-chebyshev` explains them.

Example
-------
>>> from eigenbook import spectral
>>> c = spectral.chebyshev_coefficients(f(spectral.chebyshev_points(33)))  # doctest: +SKIP
>>> F = spectral.nufft_type1(points, strengths, (64, 64), eps=1e-9)  # doctest: +SKIP
"""

from ._gp import kron_gp_solve as kron_gp_solve
from ._gp import spectral_mixture_density as spectral_mixture_density
from ._gp import spectral_mixture_kernel as spectral_mixture_kernel
from ._nufft import nudft_type1 as nudft_type1
from ._nufft import nudft_type2 as nudft_type2
from ._nufft import nufft_type1 as nufft_type1
from ._nufft import nufft_type2 as nufft_type2
from ._simplex import image_fourier_coefficients as image_fourier_coefficients
from ._simplex import lowpass_image as lowpass_image
from ._simplex import polygon_triangles as polygon_triangles
from ._simplex import rasterize_polygon as rasterize_polygon
from ._simplex import simplex_fourier_transform as simplex_fourier_transform
from ._simplex import simplex_quadrature as simplex_quadrature
from ._transforms import QuadratureRule as QuadratureRule
from ._transforms import chebyshev_coefficients as chebyshev_coefficients
from ._transforms import chebyshev_evaluate as chebyshev_evaluate
from ._transforms import chebyshev_points as chebyshev_points
from ._transforms import clenshaw_curtis as clenshaw_curtis
from ._transforms import dct as dct
from ._transforms import fft_modes as fft_modes

__all__ = [
    "fft_modes",
    "dct",
    "chebyshev_points",
    "chebyshev_coefficients",
    "chebyshev_evaluate",
    "QuadratureRule",
    "clenshaw_curtis",
    "nufft_type1",
    "nufft_type2",
    "nudft_type1",
    "nudft_type2",
    "simplex_fourier_transform",
    "simplex_quadrature",
    "polygon_triangles",
    "rasterize_polygon",
    "image_fourier_coefficients",
    "lowpass_image",
    "spectral_mixture_kernel",
    "spectral_mixture_density",
    "kron_gp_solve",
]
