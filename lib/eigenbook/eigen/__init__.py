"""Symmetric eigensolvers: power, subspace, Lanczos, LOBPCG, Chebyshev filtering.

Every solver takes the same operator forms: a dense array (n, n), a
``scipy.sparse`` matrix, a :class:`jax.experimental.sparse.BCOO`, or a
JAX-traceable callable ``matmat(X) -> A @ X`` with ``n=``. Randomness is
explicit (``key=jax.random.key(seed)``), and all block solvers return an
:class:`EighResult` ``(eigenvalues, eigenvectors, residual_norms, n_steps,
converged)``. Streaming PCA (Oja, random-order block power) lives here too.

Example
-------
>>> from eigenbook import eigen
>>> res = eigen.lanczos(A, 5, key=jax.random.key(0))  # doctest: +SKIP
"""

from ._chebyshev import (
    chebyshev_filtered_subspace_iteration as chebyshev_filtered_subspace_iteration,
)
from ._common import EighResult as EighResult
from ._lanczos import LanczosDecomposition as LanczosDecomposition
from ._lanczos import kaniel_paige_bound as kaniel_paige_bound
from ._lanczos import lanczos as lanczos
from ._lanczos import lanczos_decomposition as lanczos_decomposition
from ._lanczos import ritz_value_history as ritz_value_history
from ._lobpcg import lobpcg as lobpcg
from ._power import PowerResult as PowerResult
from ._power import power_iteration as power_iteration
from ._power import rayleigh_quotient as rayleigh_quotient
from ._power import residual_norms as residual_norms
from ._power import subspace_iteration as subspace_iteration
from ._streaming import StreamResult as StreamResult
from ._streaming import block_gram_error as block_gram_error
from ._streaming import correlation as correlation
from ._streaming import heavy_row_mask as heavy_row_mask
from ._streaming import oja as oja
from ._streaming import random_order_block_power as random_order_block_power
