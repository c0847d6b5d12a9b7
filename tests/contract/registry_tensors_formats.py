"""Contract entries for the formats of eigenbook.tensors (chapter 10) and their generators.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

ENTRIES: dict[str, dict] = {}
