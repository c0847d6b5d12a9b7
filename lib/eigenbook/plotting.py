"""The house figure style (chapters only; method families never import matplotlib)."""

from __future__ import annotations

import matplotlib as mpl

__all__ = ["use_house_style"]

HOUSE_STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "font.size": 10,
}


def use_house_style() -> None:
    """Apply the book's matplotlib defaults (call once, in a chapter's imports cell)."""
    mpl.rcParams.update(HOUSE_STYLE)
