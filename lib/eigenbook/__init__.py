"""Eigenbook's compute package: a floor of shared modules and one package per method family.

The floor: ``_checks`` (validation), ``_operators`` (operators), ``_results`` (shared result
types), ``data`` (generators and the shipped data), ``nn`` (networks and the training loop),
``timing`` (the Against-the-reference harness), ``display``, ``testing``, ``claims``. The
families (``eigen``, ``lowrank``, ``sketch``, ``orth``, ``graphs``, ``equivariant``,
``tensors``, ``ssm``) stand on it. Chapters import a family, then call it:
``from eigenbook import eigen``; ``eigen.lanczos(A, k, key=key)``. The book machinery lives
in :mod:`eigenbook.book` and is never imported by the families.
"""

__version__ = "0.1.0"

__all__ = ["ConvergenceWarning", "__version__"]


def __getattr__(name: str):
    # Lazy, so that ``python -m eigenbook.book`` does not import JAX.
    if name == "ConvergenceWarning":
        from eigenbook._checks import ConvergenceWarning
        return ConvergenceWarning
    raise AttributeError(f"module 'eigenbook' has no attribute {name!r}")
