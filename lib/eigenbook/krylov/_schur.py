"""Schur complements, block elimination, and the DCReg clamping preconditioner."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from eigenbook import _checks


class SchurComplements(NamedTuple):
    """Both Schur complements of a 2 x 2 block matrix ``[[H11, H12], [H21, H22]]``.

    Attributes
    ----------
    first : array of shape (k, k)
        :math:`S_1 = H_{11} - H_{12} H_{22}^{-1} H_{21}` (the first block with the second
        eliminated).
    second : array of shape (n - k, n - k)
        :math:`S_2 = H_{22} - H_{21} H_{11}^{-1} H_{12}`.
    """

    first: np.ndarray
    second: np.ndarray


class BlockSolveResult(NamedTuple):
    """Result of :func:`block_solve`.

    Attributes
    ----------
    x : array of shape (n,)
        The solution of ``H x = b``.
    schur : array of shape (n - k, n - k)
        The Schur complement :math:`S_2` that was factorised.
    """

    x: np.ndarray
    schur: np.ndarray


class DCRegPreconditioner(NamedTuple):
    """The DCReg preconditioner and the eigen-analysis it is built from.

    Attributes
    ----------
    P : array of shape (n, n)
        The preconditioner :math:`H + \\mathrm{diag}(V_1 (\\tilde\\Lambda_1 - \\Lambda_1)
        V_1^\\top, V_2 (\\tilde\\Lambda_2 - \\Lambda_2) V_2^\\top)` (apply its inverse:
        ``M = P_inv``).
    P_inv : array of shape (n, n)
        Its inverse.
    eigenvalues_first, eigenvalues_second : arrays of shape (k,), (n - k,)
        Ascending eigenvalues of the two Schur complements (before clamping).
    eigenvectors_first, eigenvectors_second : arrays of shape (k, k), (n - k, n - k)
        Their eigenvectors (columns): the physical directions of each subspace.
    clamped_first, clamped_second : arrays of bool of shape (k,), (n - k,)
        Which eigenvalues were raised to the clamp value (the degenerate directions).
    """

    P: np.ndarray
    P_inv: np.ndarray
    eigenvalues_first: np.ndarray
    eigenvalues_second: np.ndarray
    eigenvectors_first: np.ndarray
    eigenvectors_second: np.ndarray
    clamped_first: np.ndarray
    clamped_second: np.ndarray


def _split(H: Any, k: Any, where: str) -> tuple[np.ndarray, int]:
    _checks.as_matrix(H, "H", where, square=True)
    M = np.array(H, dtype=np.float64)
    n = M.shape[0]
    k = _checks.check_int(k, "k", where, min_val=1, max_val=n - 1,
                          hint="Both blocks must be non-empty.")
    return M, k


def schur_complements(H: Any, k: int) -> SchurComplements:
    """Both Schur complements of ``H`` split after its first ``k`` rows and columns.

    For SPD ``H``, :math:`S_1^{-1}` is the leading block of :math:`H^{-1}`: it is what the
    first block's unknowns "see" once the others are free to adjust, so a direction that
    is weak only after coupling shows up in :math:`S_1` (or :math:`S_2`) even when the
    diagonal blocks look healthy. Cost: two ``k``- and ``(n-k)``-sized solves.

    Parameters
    ----------
    H : array of shape (n, n)
        Matrix with invertible diagonal blocks.
    k : int
        Size of the first block, ``1 <= k < n``.

    Returns
    -------
    SchurComplements

    Raises
    ------
    TypeError, ValueError
        ``H`` not a finite square matrix, ``k`` out of range.

    References
    ----------
    :cite:p:`zhang2005schur,hu2025dcreg`; chapter :ref:`krylov`.
    """
    M, k = _split(H, k, "krylov.schur_complements")
    H11, H12, H21, H22 = M[:k, :k], M[:k, k:], M[k:, :k], M[k:, k:]
    S1 = H11 - H12 @ np.linalg.solve(H22, H21)
    S2 = H22 - H21 @ np.linalg.solve(H11, H12)
    return SchurComplements(S1, S2)


def block_solve(H: Any, b: Any, k: int) -> BlockSolveResult:
    """Solve ``H x = b`` by block elimination through the Schur complement :math:`S_2`.

    Eliminate the first block: :math:`S_2 x_2 = b_2 - H_{21} H_{11}^{-1} b_1`, then
    back-substitute :math:`x_1 = H_{11}^{-1}(b_1 - H_{12} x_2)`. This is block Gaussian
    elimination (the bundle-adjustment and saddle-point trick when :math:`H_{11}` is cheap
    to invert).

    Parameters
    ----------
    H : array of shape (n, n)
        Matrix with invertible ``H11`` and ``S2``.
    b : array of shape (n,)
        Right-hand side.
    k : int
        Size of the first block, ``1 <= k < n``.

    Returns
    -------
    BlockSolveResult

    Raises
    ------
    TypeError, ValueError
        Bad shapes, NaN/inf, ``k`` out of range.

    See Also
    --------
    numpy.linalg.solve : the unstructured reference.
    """
    where = "krylov.block_solve"
    M, k = _split(H, k, where)
    _checks.as_vector(b, "b", where, size=M.shape[0])
    bb = np.array(b, dtype=np.float64)
    H11, H12, H21, H22 = M[:k, :k], M[:k, k:], M[k:, :k], M[k:, k:]
    S2 = H22 - H21 @ np.linalg.solve(H11, H12)
    x2 = np.linalg.solve(S2, bb[k:] - H21 @ np.linalg.solve(H11, bb[:k]))
    x1 = np.linalg.solve(H11, bb[:k] - H12 @ x2)
    return BlockSolveResult(np.concatenate([x1, x2]), S2)


def dcreg_preconditioner(H: Any, k: int, *, kappa_max: float = 1e3) -> DCRegPreconditioner:
    """DCReg: clamp the weak eigenvalues of both Schur complements, inside a preconditioner.

    Eigendecompose :math:`S_1 = V_1 \\Lambda_1 V_1^\\top` and :math:`S_2 = V_2 \\Lambda_2
    V_2^\\top` (:func:`schur_complements`); an eigenvalue below
    :math:`\\lambda_{\\max}(S_i) / \\kappa_{\\max}` marks a degenerate direction of that
    physical subspace and is raised to that value. The preconditioner adds only these lifts
    to the Hessian, :math:`P = H + \\mathrm{diag}(V_1 (\\tilde\\Lambda_1 - \\Lambda_1) V_1^\\top,
    V_2 (\\tilde\\Lambda_2 - \\Lambda_2) V_2^\\top)`, so every well-constrained direction is
    kept exactly: :math:`P^{-1} H` is the identity plus a term of rank ``r`` (the number of
    clamped directions), and PCG with ``M = P^{-1}`` converges in at most ``r + 1`` steps,
    to the minimiser of the unmodified problem (unlike Tikhonov damping
    :math:`H + \\lambda I`, which moves it). ``kappa_max`` is the single parameter. This is
    the book's reading of the paper's description (clamping inside the preconditioner
    only); see the chapter.

    Parameters
    ----------
    H : array of shape (n, n)
        SPD (Gauss-Newton) Hessian, first ``k`` unknowns one physical block (rotation),
        the rest the other (translation).
    k : int
        Size of the first block, ``1 <= k < n``.
    kappa_max : float
        Largest condition number allowed inside each Schur complement, ``>= 1``.

    Returns
    -------
    DCRegPreconditioner

    Raises
    ------
    TypeError, ValueError
        ``H`` not a finite symmetric matrix, ``k`` or ``kappa_max`` out of range.

    References
    ----------
    :cite:p:`hu2025dcreg`; chapter :ref:`krylov`.
    """
    where = "krylov.dcreg_preconditioner"
    M, k = _split(H, k, where)
    _checks.check_symmetric(_checks.as_matrix(H, "H", where, square=True), "H", where,
                            rtol=1e-10)
    M = (M + M.T) / 2
    kappa_max = _checks.check_scalar(kappa_max, "kappa_max", where, min_val=1.0)
    S = schur_complements(M, k)
    out = []
    for Si in (S.first, S.second):
        lam, V = np.linalg.eigh((Si + Si.T) / 2)
        floor = lam[-1] / kappa_max
        clamp = lam < floor
        lift = V @ np.diag(np.where(clamp, floor - lam, 0.0)) @ V.T
        out.append((lam, V, clamp, lift))
    P = M.copy()
    P[:k, :k] += out[0][3]
    P[k:, k:] += out[1][3]
    P = (P + P.T) / 2
    return DCRegPreconditioner(P, np.linalg.inv(P), out[0][0], out[1][0], out[0][1],
                               out[1][1], out[0][2], out[1][2])
