"""Koopman operators from data: DMD, EDMD, ResDMD residuals, pseudospectra, local POD.

The Koopman operator of a map :math:`F` acts on observables, :math:`\\mathcal K g = g
\\circ F`: it is linear however nonlinear :math:`F` is, and its spectrum describes the
dynamics. This module estimates it from snapshot pairs (chapter :ref:`koopman-dmd`):

* :func:`dmd` (exact and projected DMD), :func:`dmd_reconstruct`, :func:`hankel` (delay
  embeddings);
* :func:`edmd` with a dictionary (:func:`gaussian_rbf`), the ResDMD residuals
  :func:`resdmd_residuals` that verify or reject each eigenpair, and the residual-based
  :func:`pseudospectrum`;
* reduced-order bases: :func:`pod`, :func:`width_profile` (a Kolmogorov-width proxy),
  :func:`dissimilarity`, :func:`cluster_snapshots` (k-medoids, angle-based or
  Euclidean), :func:`local_pod` and :func:`projection_errors`.

Everything runs in float64/complex128 with NumPy/LAPACK on the host: the
non-symmetric eigenproblems at the heart of DMD have no JAX GPU kernel.
Snapshots are columns (``X`` of shape (n, m)); dictionaries are evaluated as
``Psi_X`` of shape (M, N) (M data points, N functions).
"""

from ._dmd import DMDResult as DMDResult
from ._dmd import dmd as dmd
from ._dmd import dmd_reconstruct as dmd_reconstruct
from ._dmd import hankel as hankel
from ._edmd import EDMDResult as EDMDResult
from ._edmd import PseudospectrumResult as PseudospectrumResult
from ._edmd import edmd as edmd
from ._edmd import gaussian_rbf as gaussian_rbf
from ._edmd import pseudospectrum as pseudospectrum
from ._edmd import resdmd_residuals as resdmd_residuals
from ._rom import ClusterResult as ClusterResult
from ._rom import LocalBases as LocalBases
from ._rom import PODResult as PODResult
from ._rom import cluster_snapshots as cluster_snapshots
from ._rom import dissimilarity as dissimilarity
from ._rom import local_pod as local_pod
from ._rom import pod as pod
from ._rom import projection_errors as projection_errors
from ._rom import width_profile as width_profile

__all__ = ["ClusterResult", "DMDResult", "EDMDResult", "LocalBases", "PODResult",
           "PseudospectrumResult", "cluster_snapshots", "dissimilarity", "dmd",
           "dmd_reconstruct", "edmd", "gaussian_rbf", "hankel", "local_pod", "pod",
           "projection_errors", "pseudospectrum", "resdmd_residuals", "width_profile"]
