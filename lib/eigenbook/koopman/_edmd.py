"""EDMD with a dictionary, ResDMD residuals and residual-based pseudospectra."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from eigenbook import _checks

__all__ = ["EDMDResult", "PseudospectrumResult", "edmd", "gaussian_rbf", "pseudospectrum",
           "resdmd_residuals"]


class EDMDResult(NamedTuple):
    """EDMD eigenpairs of a dictionary, with their ResDMD residuals.

    Attributes
    ----------
    eigenvalues : complex array of shape (N,)
        Eigenvalues of the EDMD matrix ``K``.
    eigenvectors : complex array of shape (N, N)
        Coefficient vectors ``g_j`` (columns): the eigenfunction is
        :math:`\\psi(x)^T g_j`; unit 2-norm.
    K : array of shape (N, N)
        The EDMD matrix :math:`G^+ A`, :math:`G = \\Psi_X^* W \\Psi_X`,
        :math:`A = \\Psi_X^* W \\Psi_Y`.
    residuals : array of shape (N,)
        ResDMD residuals :math:`\\lVert (\\Psi_Y - \\lambda_j \\Psi_X) g_j \\rVert_W /
        \\lVert \\Psi_X g_j \\rVert_W` (see :func:`resdmd_residuals`).
    """

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    K: np.ndarray
    residuals: np.ndarray


class PseudospectrumResult(NamedTuple):
    """Residual-based approximate pseudospectrum on a set of points.

    Attributes
    ----------
    z : complex array of shape (p,)
        The points.
    residuals : array of shape (p,)
        :math:`\\tau_N(z) = \\min_g \\lVert (\\Psi_Y - z\\Psi_X) g \\rVert_W /
        \\lVert \\Psi_X g \\rVert_W`; ``z`` lies in the computed
        :math:`\\varepsilon`-pseudospectrum when ``residuals < eps``.
    """

    z: np.ndarray
    residuals: np.ndarray


def _dictionary_pair(Psi_X: Any, Psi_Y: Any, weights: Any, where: str):
    PX = np.asarray(_checks.as_matrix(Psi_X, "Psi_X", where, allow_complex=True))
    PY = np.asarray(_checks.as_matrix(Psi_Y, "Psi_Y", where, allow_complex=True))
    if PY.shape != PX.shape:
        raise _checks.fail(where, "Psi_Y", f"the shape of Psi_X, {PX.shape}", f"shape {PY.shape}")
    M, N = PX.shape
    if M < N:
        raise _checks.fail(where, "Psi_X", "at least as many data points M as dictionary "
                           "functions N (shape (M, N), M >= N)", f"shape {PX.shape}",
                           "Add data or shrink the dictionary.")
    if weights is None:
        w = np.full(M, 1.0 / M)
    else:
        w = np.asarray(_checks.as_vector(weights, "weights", where, size=M))
        if np.any(w < 0) or not np.any(w > 0):
            raise _checks.fail(where, "weights", "non-negative quadrature weights, not all 0",
                               f"min {w.min():.3g}")
    sw = np.sqrt(w)[:, None]
    return sw * PX, sw * PY


def resdmd_residuals(Psi_X: Any, Psi_Y: Any, eigenvalues: Any, eigenvectors: Any, *,
                     weights: Any = None) -> np.ndarray:
    """ResDMD residuals of candidate eigenpairs of the Koopman operator.

    For a candidate :math:`(\\lambda, g)` with eigenfunction :math:`\\psi^T g`,

    .. math::

        \\mathrm{res}(\\lambda, g)^2 = \\frac{g^*(L - \\lambda A^* - \\bar\\lambda A +
        |\\lambda|^2 G) g}{g^* G g} \\approx
        \\frac{\\lVert (\\mathcal K - \\lambda) \\psi^T g \\rVert^2}{\\lVert \\psi^T g \\rVert^2},

    with :math:`G, A, L` the quadrature Gram matrices of :math:`(\\Psi_X, \\Psi_X)`,
    :math:`(\\Psi_X, \\Psi_Y)` and :math:`(\\Psi_Y, \\Psi_Y)`. It is computed as the ratio of
    weighted norms (no Gram matrix is formed, which keeps round-off at
    :math:`\\varepsilon\\,\\kappa(\\Psi_X)`). For a normal operator,
    :math:`\\mathrm{dist}(\\lambda, \\mathrm{Sp}\\,\\mathcal K) \\le \\mathrm{res}`.
    Cost :math:`O(MNk)` for k candidates.

    Parameters
    ----------
    Psi_X, Psi_Y : arrays of shape (M, N)
        The dictionary at the data points :math:`x_m` and at their images
        :math:`F(x_m)`.
    eigenvalues : array of shape (k,)
    eigenvectors : array of shape (N, k)
        Candidate coefficient vectors as columns.
    weights : array of shape (M,), optional
        Quadrature weights (default ``1/M``).

    Returns
    -------
    array of shape (k,)

    Raises
    ------
    TypeError, ValueError
        Bad shapes, NaN/inf, negative weights, ``M < N``.

    Notes
    -----
    Explained in chapter :ref:`koopman-dmd`. References:
    :cite:p:`colbrook2024rigorous,colbrook2024limits`.
    """
    where = "koopman.resdmd_residuals"
    PX, PY = _dictionary_pair(Psi_X, Psi_Y, weights, where)
    lam = np.asarray(_checks.as_vector(eigenvalues, "eigenvalues", where, allow_complex=True,
                                       allow_empty=False))
    V = np.asarray(_checks.as_matrix(eigenvectors, "eigenvectors", where, allow_complex=True))
    if V.shape != (PX.shape[1], lam.shape[0]):
        raise _checks.fail(where, "eigenvectors", f"shape (N, k) = ({PX.shape[1]}, "
                           f"{lam.shape[0]})", f"shape {V.shape}")
    if np.any(np.linalg.norm(PX @ V, axis=0) == 0):
        raise _checks.fail(where, "eigenvectors", "vectors g with Psi_X g != 0",
                           "a column with Psi_X g = 0")
    return _residuals(PX, PY, lam, V)


def _residuals(PX: np.ndarray, PY: np.ndarray, lam: np.ndarray, V: np.ndarray) -> np.ndarray:
    """ResDMD residuals on weighted dictionaries (``PX = W^{1/2} Psi_X``), no validation."""
    XV = PX @ V
    return np.linalg.norm(PY @ V - XV * lam, axis=0) / np.linalg.norm(XV, axis=0)


def edmd(Psi_X: Any, Psi_Y: Any, *, weights: Any = None) -> EDMDResult:
    """Extended DMD of a dictionary, with the ResDMD residual of every eigenpair.

    The Galerkin matrix of the Koopman operator on the span of the dictionary
    :math:`\\psi_1, \\dots, \\psi_N` is :math:`K = G^+ A` (a weighted least-squares fit of
    :math:`\\Psi_Y \\approx \\Psi_X K`); its eigenpairs approximate Koopman eigenpairs,
    but some are spurious (spectral pollution). The residuals of
    :func:`resdmd_residuals` tell them apart. Computed by a least-squares solve on
    :math:`W^{1/2}\\Psi_X` (no normal equations), :math:`O(MN^2)`.

    Parameters
    ----------
    Psi_X, Psi_Y : arrays of shape (M, N)
        The dictionary at the data points and at their images, ``M >= N``.
    weights : array of shape (M,), optional
        Quadrature weights (default ``1/M``).

    Returns
    -------
    EDMDResult
        ``eigenvalues`` (N,), ``eigenvectors`` (N, N), ``K`` (N, N), ``residuals`` (N,).

    Raises
    ------
    TypeError, ValueError
        Bad shapes, NaN/inf, negative weights, ``M < N``.

    See Also
    --------
    pykoopman.Koopman : EDMD with observables (no residuals).

    Notes
    -----
    Explained in chapter :ref:`koopman-dmd`. References:
    :cite:p:`williams2015data,colbrook2024rigorous`.
    """
    where = "koopman.edmd"
    PX, PY = _dictionary_pair(Psi_X, Psi_Y, weights, where)
    K = np.linalg.lstsq(PX, PY, rcond=None)[0]
    lam, V = np.linalg.eig(K)
    return EDMDResult(lam, V, K, _residuals(PX, PY, lam, V))


def pseudospectrum(Psi_X: Any, Psi_Y: Any, z: Any, *, weights: Any = None,
                   chunk: int = 256) -> PseudospectrumResult:
    """Residual-based approximate pseudospectrum :math:`\\tau_N(z)` at the points ``z``.

    With the thin QR :math:`W^{1/2}\\Psi_X = QR` and :math:`B = W^{1/2}\\Psi_Y R^{-1}`,

    .. math::

        \\tau_N(z) = \\min_g \\frac{\\lVert (\\Psi_Y - z\\Psi_X) g\\rVert_W}
        {\\lVert \\Psi_X g\\rVert_W} = \\sigma_{\\min}(B - zQ),

    the square root of the smallest eigenvalue of the Hermitian matrix
    :math:`B^*B - zB^*Q - \\bar z Q^*B + |z|^2 I`. :math:`\\tau_N(z)` decreases as the
    dictionary grows and (for exact quadrature) never falls below the true
    :math:`\\lVert(\\mathcal K - z)^{-1}\\rVert^{-1}`: the set
    :math:`\\{\\tau_N < \\varepsilon\\}` lies inside the true
    :math:`\\varepsilon`-pseudospectrum (no false positives). Cost :math:`O(MN^2)` once,
    then :math:`O(N^3)` per point.

    Parameters
    ----------
    Psi_X, Psi_Y : arrays of shape (M, N)
        The dictionary at the data points and at their images, ``M >= N``.
    z : complex array of shape (p,)
        The points.
    weights : array of shape (M,), optional
        Quadrature weights (default ``1/M``).
    chunk : int
        Points per batched eigenvalue call (memory ``chunk * N^2``).

    Returns
    -------
    PseudospectrumResult
        ``z`` (p,), ``residuals`` (p,).

    Raises
    ------
    TypeError, ValueError
        Bad shapes, NaN/inf, negative weights, ``M < N``, ``Psi_X`` rank deficient.

    Notes
    -----
    Explained in chapter :ref:`koopman-dmd`. Reference: :cite:p:`colbrook2024rigorous`.
    """
    where = "koopman.pseudospectrum"
    PX, PY = _dictionary_pair(Psi_X, Psi_Y, weights, where)
    zz = np.asarray(_checks.as_array(z, "z", where, ndim=(0, 1), allow_complex=True)).reshape(-1)
    chunk = _checks.check_int(chunk, "chunk", where, min_val=1)
    Q, R = np.linalg.qr(PX)
    d = np.abs(np.diag(R))
    if d.min() <= np.finfo(float).eps * d.max() * PX.shape[0]:
        raise _checks.fail(where, "Psi_X", "a dictionary of full column rank on the data",
                           f"diag(R) ratio {d.min() / d.max():.1e}",
                           "Drop dependent dictionary functions.")
    B = np.linalg.solve(R.T, PY.T).T          # B R = W^{1/2} Psi_Y, without forming R^-1
    BB, QB = B.conj().T @ B, Q.conj().T @ B
    out = np.empty(zz.shape[0])
    eye = np.eye(BB.shape[0])
    for i in range(0, zz.shape[0], chunk):
        zc = zz[i:i + chunk, None, None]
        H = BB[None] - zc * QB.conj().T[None] - np.conj(zc) * QB[None] + np.abs(zc) ** 2 * eye
        out[i:i + chunk] = np.linalg.eigvalsh(H)[:, 0]
    return PseudospectrumResult(zz, np.sqrt(np.maximum(out, 0.0)))


def gaussian_rbf(x: Any, centers: Any, *, width: float, period: float | None = None) -> np.ndarray:
    """A dictionary of Gaussian radial basis functions evaluated at points.

    :math:`\\psi_j(x) = \\exp(-\\lVert x - c_j\\rVert^2 / w^2)`; with ``period``, the
    distance is taken on the torus :math:`(\\mathbb R / p\\mathbb Z)^d` (minimum image).

    Parameters
    ----------
    x : array of shape (M, d)
        Points.
    centers : array of shape (N, d)
        Centres :math:`c_j`.
    width : float
        Width :math:`w > 0`.
    period : float, optional
        Period of every coordinate (a torus), ``> 0``.

    Returns
    -------
    array of shape (M, N)

    Raises
    ------
    TypeError, ValueError
        Bad shapes (``d`` must agree), NaN/inf, ``width <= 0`` or ``period <= 0``.
    """
    where = "koopman.gaussian_rbf"
    X = np.asarray(_checks.as_matrix(x, "x", where))
    C = np.asarray(_checks.as_matrix(centers, "centers", where))
    if C.shape[1] != X.shape[1]:
        raise _checks.fail(where, "centers", f"shape (N, d) with d = {X.shape[1]}",
                           f"shape {C.shape}")
    w = _checks.check_scalar(width, "width", where, min_val=0.0, strict_min=True)
    D = X[:, None, :] - C[None, :, :]
    if period is not None:
        p = _checks.check_scalar(period, "period", where, min_val=0.0, strict_min=True)
        D = D - p * np.round(D / p)
    return np.exp(-np.sum(D * D, axis=-1) / w**2)
