"""Spectral diagnostics of weights and representations (chapter :ref:`spectral-diagnostics`).

* Weight spectra: :func:`esd` (eigenvalues of :math:`W^T W / N`), the Marchenko–Pastur law
  (:func:`marchenko_pastur_density`, :func:`marchenko_pastur_edges`,
  :func:`marchenko_pastur_scale`, which reuses
  :func:`eigenbook.lowrank.marchenko_pastur_median`).
* Heavy tails: :func:`powerlaw_mle` (fixed xmin), :func:`hill_alpha` (PL_Alpha_Hill),
  :func:`fit_powerlaw` (xmin by the Kolmogorov–Smirnov distance, Clauset et al.), and FARMS
  (:func:`farms_esd`, :func:`farms_alpha`: the pooled ESD of fixed-aspect-ratio blocks).
* Representation geometry: :func:`effective_rank` (Roy & Vetterli), :func:`rankme`,
  :func:`alpha_req`.

Example
-------
>>> from eigenbook import data, diagnostics
>>> W = data.random_weights(256, 1024, key=jax.random.key(0))   # doctest: +SKIP
>>> diagnostics.hill_alpha(diagnostics.esd(W).eigenvalues).alpha  # doctest: +SKIP
>>> diagnostics.farms_alpha(W).alpha                              # doctest: +SKIP
"""

from ._esd import ESD as ESD
from ._esd import MPEdges as MPEdges
from ._esd import esd as esd
from ._esd import marchenko_pastur_density as marchenko_pastur_density
from ._esd import marchenko_pastur_edges as marchenko_pastur_edges
from ._esd import marchenko_pastur_scale as marchenko_pastur_scale
from ._farms import FarmsESD as FarmsESD
from ._farms import farms_alpha as farms_alpha
from ._farms import farms_esd as farms_esd
from ._geometry import AlphaReQ as AlphaReQ
from ._geometry import alpha_req as alpha_req
from ._geometry import effective_rank as effective_rank
from ._geometry import rankme as rankme
from ._powerlaw import PowerLawFit as PowerLawFit
from ._powerlaw import fit_powerlaw as fit_powerlaw
from ._powerlaw import hill_alpha as hill_alpha
from ._powerlaw import powerlaw_mle as powerlaw_mle

__all__ = [
    "ESD", "MPEdges", "esd", "marchenko_pastur_density", "marchenko_pastur_edges",
    "marchenko_pastur_scale", "FarmsESD", "farms_alpha", "farms_esd", "AlphaReQ", "alpha_req",
    "effective_rank", "rankme", "PowerLawFit", "fit_powerlaw", "hill_alpha", "powerlaw_mle",
]
