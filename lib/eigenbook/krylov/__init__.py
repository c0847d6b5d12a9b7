"""Krylov solvers: CG and PCG, MINRES, GMRES, recycling (GCRO-DR), multigrid, DCDM, Schur.

Every solver takes the operator forms of ``eigenbook._operators`` (a dense array, a
``scipy.sparse`` matrix, a BCOO, or a JAX-traceable ``matmat`` with ``n=``) and returns a
NamedTuple with ``x``, ``converged``, ``n_iter``, ``n_matvec`` and the relative residual
history ``residual_norms``; a solver that stops short warns once with
:class:`eigenbook.ConvergenceWarning`. The loops run on the host in float64 (their cost is
the sparse product; see ``_common``). The chapter :ref:`krylov` explains all of it.

Example
-------
>>> from eigenbook import data, krylov
>>> A = data.diffusion_2d(31)                      # 2-D Poisson, 961 unknowns
>>> res = krylov.cg(A, np.ones(961), tol=1e-8)     # doctest: +SKIP
"""

from ._cg import CGResult as CGResult
from ._cg import Tridiagonal as Tridiagonal
from ._cg import cg as cg
from ._cg import cg_tridiagonal as cg_tridiagonal
from ._common import SolveResult as SolveResult
from ._dcdm import dcdm as dcdm
from ._gmres import GCRODRResult as GCRODRResult
from ._gmres import gcro_dr as gcro_dr
from ._gmres import gmres as gmres
from ._minres import minres as minres
from ._multigrid import Multigrid as Multigrid
from ._multigrid import multigrid as multigrid
from ._multigrid import vcycle as vcycle
from ._recycling import SequenceResult as SequenceResult
from ._recycling import greedy_order as greedy_order
from ._recycling import solve_sequence as solve_sequence
from ._schur import BlockSolveResult as BlockSolveResult
from ._schur import DCRegPreconditioner as DCRegPreconditioner
from ._schur import SchurComplements as SchurComplements
from ._schur import block_solve as block_solve
from ._schur import dcreg_preconditioner as dcreg_preconditioner
from ._schur import schur_complements as schur_complements

__all__ = [
    "BlockSolveResult", "CGResult", "DCRegPreconditioner", "GCRODRResult", "Multigrid",
    "SchurComplements", "SequenceResult", "SolveResult", "Tridiagonal", "block_solve", "cg",
    "cg_tridiagonal", "dcdm", "dcreg_preconditioner", "gcro_dr", "gmres", "greedy_order",
    "minres", "multigrid", "schur_complements", "solve_sequence", "vcycle",
]
