"""The house figure style, kept for chapters' imports; it lives in :mod:`eigenbook.display`."""

from .display import HOUSE_STYLE as HOUSE_STYLE
from .display import use_house_style as use_house_style

__all__ = ["use_house_style"]
