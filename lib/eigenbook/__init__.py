"""Eigenbook's compute package: one module per method family.

Chapters import the family, then call it: ``from eigenbook import eigen``;
``eigen.lanczos(A, k, key=key)``. The book machinery lives in
:mod:`eigenbook.book` and is never imported by the families.
"""

__version__ = "0.1.0"
