"""FARMS: the ESD of fixed-aspect-ratio submatrices, pooled (Hu et al. 2025).

The ESD of a weight matrix depends on its aspect ratio q (Marchenko–Pastur), so a tail
exponent fitted to it does too, even for pure noise. FARMS (fixed-aspect-ratio matrix
subsampling) slides a window of a fixed shape (b_rows, b_cols) over W with a stride,
computes the ESD of every block, pools the eigenvalues of all blocks into one "average"
ESD and fits the tail of that. Every block has the same aspect ratio, whatever W's shape.

The block shape and the stride are parameters: the defaults (square 128 x 128 blocks,
stride 64) are this book's choice, not a value confirmed from the paper.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .. import _checks
from ..display import implemented_by
from ._powerlaw import PowerLawFit, hill_alpha

__all__ = ["FarmsESD", "farms_esd", "farms_alpha"]


class FarmsESD(NamedTuple):
    """The pooled ESD of the sliding-window blocks of a matrix.

    Attributes
    ----------
    eigenvalues : jax.Array of shape (n_blocks * min(b_rows, b_cols),)
        Eigenvalues :math:`s^2 / \\max(b_{rows}, b_{cols})` of every block, pooled,
        descending.
    n_blocks : int
        Number of blocks.
    block : tuple of int
        ``(b_rows, b_cols)``.
    """

    eigenvalues: jax.Array
    n_blocks: int
    block: tuple[int, int]


def _farms_impl(W: np.ndarray, br: int, bc: int, stride: int) -> np.ndarray:
    """Pooled, descending eigenvalues of the Gram matrices of all sliding-window blocks.

    On the host: the blocks are strided views (no copies until the Gram products), and
    one batched LAPACK call solves all the small symmetric eigenproblems. Nothing here
    would gain from JIT, and compiling per matrix shape would cost more than the work.
    """
    win = np.lib.stride_tricks.sliding_window_view(W, (br, bc))[::stride, ::stride]
    B = win.reshape(-1, br, bc)
    G = (np.matmul(B.transpose(0, 2, 1), B) if bc <= br
         else np.matmul(B, B.transpose(0, 2, 1)))
    lam = np.linalg.eigvalsh(G).ravel() / max(br, bc)
    return -np.sort(-np.maximum(lam, 0.0))


def _block(block: Any, where: str) -> tuple[int, int]:
    if isinstance(block, (int, np.integer)) and not isinstance(block, bool):
        block = (block, block)
    if not isinstance(block, (tuple, list)) or len(block) != 2:
        raise _checks.fail(where, "block", "an int or a pair (b_rows, b_cols)",
                           f"{type(block).__name__} {block!r}", exc=TypeError)
    return (_checks.check_int(block[0], "block", where, min_val=2),
            _checks.check_int(block[1], "block", where, min_val=2))


@implemented_by(_farms_impl)
def farms_esd(W: Any, *, block: int | tuple[int, int] = 128, stride: int = 64) -> FarmsESD:
    """Pooled ESD of all (b_rows, b_cols) blocks of W on a sliding window.

    Parameters
    ----------
    W : array_like of shape (m, n)
        A weight matrix.
    block : int or (int, int)
        Block shape (an int: square blocks), each side ``>= 2`` and at most W's side.
    stride : int
        Window step along both axes, ``>= 1`` (``stride < block``: overlapping blocks).

    Returns
    -------
    FarmsESD

    Raises
    ------
    TypeError, ValueError
        ``W`` not a finite real matrix; a block larger than W; bad ``stride``.

    Notes
    -----
    :cite:p:`hu2025eigenspectrum`. Cost: one small Gram eigenproblem per block,
    :math:`O(n_{blocks}\\, b^3)`, in one batched LAPACK call.
    Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.farms_esd"
    W = _checks.as_matrix(W, "W", where)
    br, bc = _block(block, where)
    m, n = W.shape
    if br > m or bc > n:
        raise _checks.fail(where, "block", f"a block inside W of shape {(m, n)}",
                           f"block {(br, bc)}", "Use a smaller block.")
    stride = _checks.check_int(stride, "stride", where, min_val=1)
    n_blocks = ((m - br) // stride + 1) * ((n - bc) // stride + 1)
    lam = _farms_impl(np.asarray(W, dtype=np.float64), br, bc, stride)
    return FarmsESD(jnp.asarray(lam), int(n_blocks), (br, bc))


def farms_alpha(W: Any, *, block: int | tuple[int, int] = 128, stride: int = 64,
                fraction: float = 0.5) -> PowerLawFit:
    """FARMS tail exponent: Hill's alpha of the pooled block ESD.

    Parameters
    ----------
    W : array_like of shape (m, n)
        A weight matrix.
    block, stride
        As in :func:`farms_esd`.
    fraction : float
        Tail share of the pooled ESD for :func:`hill_alpha`, in (0, 1].

    Returns
    -------
    PowerLawFit

    Raises
    ------
    TypeError, ValueError
        As :func:`farms_esd` and :func:`hill_alpha`.

    Notes
    -----
    :cite:p:`hu2025eigenspectrum`. Chapter :ref:`spectral-diagnostics`.
    """
    where = "diagnostics.farms_alpha"
    fraction = _checks.check_scalar(fraction, "fraction", where, min_val=0.0, max_val=1.0,
                                    strict_min=True)
    try:
        pooled = farms_esd(W, block=block, stride=stride)
    except (TypeError, ValueError) as err:
        raise type(err)(str(err).replace("diagnostics.farms_esd", where)) from None
    lam = np.asarray(pooled.eigenvalues)
    lam = lam[lam > 0]
    return hill_alpha(lam, fraction=fraction)
