"""Curvature of a loss: Hessian, Gauss–Newton and Fisher products, spectra and inverses.

* :func:`hessian_operator`: Hessian-vector products, forward-over-reverse
  (``jax.jvp`` of ``jax.grad``), as a matrix-free :class:`CurvatureOperator` that the
  book's eigensolvers take as a callable (``eigen.lanczos(op.matmat, k, n=op.n, ...)``);
* :func:`gauss_newton_operator`, :func:`sample_gradients`,
  :func:`empirical_fisher_operator`: the positive semidefinite curvature matrices;
* :func:`slq`, :func:`spectral_density`: stochastic Lanczos quadrature of the
  spectral density; :func:`hutchinson_trace`: the trace;
* :func:`mfac_precompute`, :func:`mfac_ihvp`, :func:`mfac_inverse_diagonal`: M-FAC's
  matrix-free inverse of the damped empirical Fisher by the rank-one recursion;
* :func:`flatten_params`: the flat parameter vector the operators act on.

Example
-------
>>> op = curvature.hessian_operator(loss, params, data=(x, y))  # doctest: +SKIP
>>> top = eigen.lanczos(op.matmat, 10, n=op.n, key=jax.random.key(0))  # doctest: +SKIP
"""

from ._hvp import CurvatureOperator as CurvatureOperator
from ._hvp import FlatParams as FlatParams
from ._hvp import empirical_fisher_operator as empirical_fisher_operator
from ._hvp import flatten_params as flatten_params
from ._hvp import gauss_newton_operator as gauss_newton_operator
from ._hvp import hessian_operator as hessian_operator
from ._hvp import sample_gradients as sample_gradients
from ._mfac import MFAC as MFAC
from ._mfac import mfac_ihvp as mfac_ihvp
from ._mfac import mfac_inverse_diagonal as mfac_inverse_diagonal
from ._mfac import mfac_precompute as mfac_precompute
from ._spectra import SpectralDensity as SpectralDensity
from ._spectra import TraceEstimate as TraceEstimate
from ._spectra import hutchinson_trace as hutchinson_trace
from ._spectra import slq as slq
from ._spectra import spectral_density as spectral_density

__all__ = ["CurvatureOperator", "FlatParams", "MFAC", "SpectralDensity", "TraceEstimate",
           "empirical_fisher_operator", "flatten_params", "gauss_newton_operator",
           "hessian_operator", "hutchinson_trace", "mfac_ihvp", "mfac_inverse_diagonal",
           "mfac_precompute", "sample_gradients", "slq", "spectral_density"]
