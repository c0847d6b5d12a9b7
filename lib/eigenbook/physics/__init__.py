"""Eigenproblems of physics: 1-D Schrödinger operators, atoms and ground states.

Every solver targets ``-1/2 u'' + V u = E u`` (hartree atomic units) with Dirichlet ends:

* :func:`fd_hamiltonian` / :func:`fd_eigh`: second-order finite differences, a
  tridiagonal matrix (``scipy.linalg.eigh_tridiagonal``);
* :func:`chebyshev_points` / :func:`chebyshev_hamiltonian` / :func:`chebyshev_eigh`:
  Chebyshev spectral collocation;
* :func:`fem_eigh` / :func:`radial_fem_eigh`: high-order (p-) finite elements on
  Gauss-Lobatto-Legendre nodes, a generalized problem ``K c = E M c``; with
  :func:`exponential_mesh` and :func:`gll_nodes`;
* :func:`radial_shooting`: a ``solve_ivp`` + ``brentq`` shooting reference for the
  hydrogen-like radial problem;
* :func:`pinn_eigenstate`: a physics-informed network with a trainable energy and a
  normalisation term (networks and training from :mod:`eigenbook.nn`);
* :func:`sign_polynomial`, :func:`chebyshev_filter_degree`, :func:`chebyshev_series_apply`,
  :func:`sign_cooling_dynamics`: polynomial filters and the sign-transformed dynamics of
  dynamical cooling.

Example
-------
>>> from eigenbook import physics
>>> mesh = physics.exponential_mesh(0.0, 50.0, 7, 100.0)
>>> physics.radial_fem_eigh(92.0, 0, mesh, p=31, k=1).energies  # doctest: +SKIP
array([-4232.])
"""

from ._fd import ChebyshevGrid as ChebyshevGrid
from ._fd import ChebyshevMatrix as ChebyshevMatrix
from ._fd import Discretization as Discretization
from ._fd import FDMatrix as FDMatrix
from ._fd import chebyshev_eigh as chebyshev_eigh
from ._fd import chebyshev_hamiltonian as chebyshev_hamiltonian
from ._fd import chebyshev_points as chebyshev_points
from ._fd import fd_eigh as fd_eigh
from ._fd import fd_hamiltonian as fd_hamiltonian
from ._fem import FEMResult as FEMResult
from ._fem import GLLRule as GLLRule
from ._fem import exponential_mesh as exponential_mesh
from ._fem import fem_eigh as fem_eigh
from ._fem import gll_nodes as gll_nodes
from ._fem import radial_fem_eigh as radial_fem_eigh
from ._filters import CoolingRun as CoolingRun
from ._filters import SignPolynomial as SignPolynomial
from ._filters import chebyshev_filter_degree as chebyshev_filter_degree
from ._filters import chebyshev_series_apply as chebyshev_series_apply
from ._filters import sign_cooling_dynamics as sign_cooling_dynamics
from ._filters import sign_polynomial as sign_polynomial
from ._pinn import PINNResult as PINNResult
from ._pinn import pinn_eigenstate as pinn_eigenstate
from ._shooting import ShootingResult as ShootingResult
from ._shooting import radial_shooting as radial_shooting

__all__ = [
    "ChebyshevGrid", "ChebyshevMatrix", "CoolingRun", "Discretization", "FDMatrix",
    "FEMResult", "GLLRule", "PINNResult", "ShootingResult",
    "SignPolynomial", "chebyshev_eigh", "chebyshev_filter_degree", "chebyshev_hamiltonian",
    "chebyshev_points", "chebyshev_series_apply", "exponential_mesh", "fd_eigh",
    "fd_hamiltonian", "fem_eigh", "gll_nodes", "pinn_eigenstate", "radial_fem_eigh",
    "radial_shooting", "sign_cooling_dynamics", "sign_polynomial",
]
