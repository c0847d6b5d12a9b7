"""Linear forecasting heads in an orthogonally transformed domain (OrthoTrans, OLinear)."""

from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._checks import as_host, check_int, check_scalar, fail
from ..orth import dct_matrix
from ._bases import KLTBasis, klt_basis

_BASES = ("orthotrans", "dct", "time")


class Windows(NamedTuple):
    """Input windows and the values that follow them.

    Attributes
    ----------
    inputs : ndarray of shape (n_windows, lookback)
        ``series[i : i + lookback]`` for every start ``i`` (variate-major when the series
        has several variates).
    targets : ndarray of shape (n_windows, horizon)
        ``series[i + lookback : i + lookback + horizon]``.
    """

    inputs: np.ndarray
    targets: np.ndarray


class LinearForecaster(NamedTuple):
    """A linear forecasting head between two orthonormal bases.

    The forecast of a window ``x`` (lookback T) is
    ``m + ((x - m) @ input_basis @ weights + bias) @ output_basis.T`` with ``m`` the window's
    mean when ``normalize`` (else 0).

    Attributes
    ----------
    input_basis : jax.Array of shape (T, r)
        Orthonormal columns: the ``r`` input features.
    output_basis : jax.Array of shape (H, H)
        Orthogonal: the head predicts the horizon's coefficients in this basis.
    weights : jax.Array of shape (r, H)
    bias : jax.Array of shape (H,)
    normalize : bool
        Whether windows are centred on their mean (instance normalisation).
    """

    input_basis: jax.Array
    output_basis: jax.Array
    weights: jax.Array
    bias: jax.Array
    normalize: bool


def _series(series, where):
    s = as_host(series, "series", where, ndim=(1, 2), rule="an array of shape (L,) or (L, V)")
    return s[:, None] if s.ndim == 1 else s


def _windows(s, T, H):
    L = s.shape[0]
    n = L - T - H + 1
    idx = np.arange(n)[:, None]
    X = np.concatenate([s[idx + np.arange(T), v] for v in range(s.shape[1])])
    Y = np.concatenate([s[idx + T + np.arange(H), v] for v in range(s.shape[1])]) if H else None
    return X, Y


def _check_sizes(s, lookback, horizon, where):
    T = check_int(lookback, "lookback", where, min_val=2)
    H = check_int(horizon, "horizon", where, min_val=1)
    if s.shape[0] < T + H + 1:
        raise fail(where, "lookback", f"lookback + horizon + 1 <= L = {s.shape[0]} (the "
                   "series' length)", f"lookback={T}, horizon={H}",
                   "Shorten lookback or horizon, or pass a longer series.")
    return T, H


def sliding_windows(series: Any, lookback: int, horizon: int) -> Windows:
    """All windows of ``lookback`` steps of a series and the ``horizon`` steps after each.

    Parameters
    ----------
    series : array_like of shape (L,) or (L, V)
        Time first; several variates are windowed independently and stacked.
    lookback : int
        ``T >= 2``.
    horizon : int
        ``H >= 1``; ``L >= T + H + 1``.

    Returns
    -------
    Windows
        ``inputs`` (V (L - T - H + 1), T), ``targets`` (V (L - T - H + 1), H).

    Raises
    ------
    TypeError
        ``series`` not numeric, sizes not ints.
    ValueError
        ``series`` not 1-D/2-D or not finite, sizes out of range.

    See Also
    --------
    numpy.lib.stride_tricks.sliding_window_view

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.sliding_windows"
    s = _series(series, where)
    T, H = _check_sizes(s, lookback, horizon, where)
    return Windows(*_windows(s, T, H))


def _pearson(X):
    Xc = X - X.mean(axis=0)
    sd = np.sqrt(np.sum(Xc**2, axis=0))
    sd = np.where(sd == 0, 1.0, sd)
    return (Xc.T @ Xc) / np.outer(sd, sd)


def temporal_correlation(series: Any, lookback: int) -> jax.Array:
    """The lag correlation matrix of a series: the Pearson correlation of its T lagged copies.

    Column ``t`` of the window matrix (every window of ``lookback`` steps) is the series
    shifted by ``t``; the ``(s, t)`` entry is the Pearson correlation of columns ``s`` and
    ``t`` over the windows, averaged over the variates (the CorrMat of OrthoTrans
    :cite:p:`yue2025olinear`). For a stationary series it is close to Toeplitz, with the
    autocorrelation at lag ``|s - t|``.

    Parameters
    ----------
    series : array_like of shape (L,) or (L, V)
    lookback : int
        ``T``, ``2 <= T <= L - 2``.

    Returns
    -------
    C : jax.Array of shape (T, T)
        Symmetric, unit diagonal (for non-constant columns).

    Raises
    ------
    TypeError
        ``series`` not numeric, ``lookback`` not an int.
    ValueError
        ``series`` not 1-D/2-D or not finite, ``lookback`` out of range.

    References
    ----------
    :cite:p:`yue2025olinear`

    See Also
    --------
    numpy.corrcoef

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.temporal_correlation"
    s = _series(series, where)
    T, _ = _check_sizes(s, lookback, 1, where)
    C = np.zeros((T, T))
    for v in range(s.shape[1]):
        X, _ = _windows(s[:, v:v + 1], T, 0)
        C += _pearson(X)
    return jnp.asarray(C / s.shape[1])


def orthotrans_basis(series: Any, lookback: int) -> KLTBasis:
    """The OrthoTrans basis: eigenvectors of the lag correlation matrix, largest first.

    ``Q`` diagonalises :func:`temporal_correlation` of the training series, so the
    coefficients :math:`Q^\\top x` of the training windows are decorrelated; it is the
    data-adaptive counterpart of a fixed basis such as the DCT :cite:p:`yue2025olinear`.

    Parameters
    ----------
    series : array_like of shape (L,) or (L, V)
        Training series.
    lookback : int
        ``T``.

    Returns
    -------
    KLTBasis
        ``basis`` (T, T), ``eigenvalues`` (T,).

    Raises
    ------
    TypeError, ValueError
        As :func:`temporal_correlation`.

    References
    ----------
    :cite:p:`yue2025olinear`

    See Also
    --------
    klt_basis, temporal_correlation

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.orthotrans_basis"
    s = _series(series, where)
    _check_sizes(s, lookback, 1, where)
    return klt_basis(temporal_correlation(s, lookback))


def _basis_pair(s, basis, T, H, r, where):
    if isinstance(basis, str):
        if basis not in _BASES:
            raise fail(where, "basis", f"one of {list(_BASES)} or an array of shape (T, r)",
                       f"{basis!r}")
        if basis == "time":
            return np.eye(T)[:, T - r:], np.eye(H)
        if basis == "dct":
            return np.asarray(dct_matrix(T))[:, :r], np.asarray(dct_matrix(H))
        Qin = np.asarray(klt_basis(temporal_correlation(s, T)).basis)[:, :r]
        Qout = np.asarray(klt_basis(temporal_correlation(s, H)).basis) if H > 1 else np.eye(1)
        return Qin, Qout
    B = as_host(basis, "basis", where, ndim=2, rule="an array of shape (T, r)")
    if B.shape[0] != T or B.shape[1] > T:
        raise fail(where, "basis", f"shape (T, r) with T = {T}, r <= T", f"shape {B.shape}")
    return B, np.eye(H)


def fit_linear_forecaster(series: Any, lookback: int, horizon: int, *,
                          basis: Any = "orthotrans", n_components: int | None = None,
                          ridge: float = 0.0, normalize: bool = True) -> LinearForecaster:
    """Fit a linear forecasting head in a transformed domain by (ridge) least squares.

    Each training window ``x`` (T steps) is centred on its mean (``normalize``), mapped to
    ``r`` coefficients ``z = B_in^T x`` and the following H steps ``y`` to
    ``c = B_out^T y``; the head ``c ≈ z W + b`` is the least-squares solution with penalty
    ``ridge * ||W||_F^2`` (the bias is not penalised). ``basis="orthotrans"`` uses the
    eigenvectors of the lag correlation (:func:`orthotrans_basis`) at lag T for the input
    (the top ``r``) and at lag H for the output, as OLinear :cite:p:`yue2025olinear`;
    ``"dct"`` the DCT-II basis (the lowest ``r`` frequencies); ``"time"`` the identity
    (the ``r`` most recent lags); an array (T, r) is used as the input basis as given.

    Two exact facts frame the comparison: with ``r = T`` the input basis is an orthogonal
    change of variables, and because ``B_out`` is orthogonal the output transform never
    changes the fit, so all bases give the same forecasts (unregularised or ridge); a basis
    matters only once coefficients are dropped (``r < T``).

    Parameters
    ----------
    series : array_like of shape (L,) or (L, V)
        Training series (several variates share one head).
    lookback : int
        ``T >= 2``.
    horizon : int
        ``H >= 1``.
    basis : {"orthotrans", "dct", "time"} or array_like of shape (T, r)
    n_components : int, optional
        ``r``, ``1 <= r <= T``; default ``T`` (or the columns of an array basis).
    ridge : float
        Penalty ``>= 0``.
    normalize : bool
        Centre each window on its mean (and add it back to the forecast).

    Returns
    -------
    LinearForecaster
        ``input_basis`` (T, r), ``output_basis`` (H, H), ``weights`` (r, H), ``bias`` (H,),
        ``normalize``.

    Raises
    ------
    TypeError
        ``series`` or ``basis`` not numeric (or a str), sizes not ints.
    ValueError
        Sizes out of range, unknown basis, wrong basis shape, ``ridge < 0``, non-finite input.

    References
    ----------
    :cite:p:`yue2025olinear`

    See Also
    --------
    forecast, seasonal_naive, numpy.linalg.lstsq

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.fit_linear_forecaster"
    s = _series(series, where)
    T, H = _check_sizes(s, lookback, horizon, where)
    if not isinstance(basis, str):
        ncols = as_host(basis, "basis", where, ndim=2, rule="an array of shape (T, r)").shape[1]
        r_default = ncols
    else:
        r_default = T
    r = r_default if n_components is None else check_int(n_components, "n_components", where,
                                                         min_val=1, max_val=T)
    ridge = check_scalar(ridge, "ridge", where, min_val=0.0)
    if not isinstance(normalize, (bool, np.bool_)):
        raise fail(where, "normalize", "a bool", type(normalize).__name__, exc=TypeError)
    Bin, Bout = _basis_pair(s, basis, T, H, r, where)
    if not isinstance(basis, str) and n_components is not None:
        Bin = Bin[:, :r]
    X, Y = _windows(s, T, H)
    if normalize:
        m = X.mean(axis=1, keepdims=True)
        X, Y = X - m, Y - m
    Z, C = X @ Bin, Y @ Bout
    zm, cm = Z.mean(axis=0), C.mean(axis=0)
    Zc, Cc = Z - zm, C - cm
    if ridge == 0:
        W = np.linalg.lstsq(Zc, Cc, rcond=None)[0]
    else:
        W = np.linalg.solve(Zc.T @ Zc + ridge * np.eye(Zc.shape[1]), Zc.T @ Cc)
    b = cm - zm @ W
    f = jnp.result_type(float)
    return LinearForecaster(jnp.asarray(Bin, f), jnp.asarray(Bout, f), jnp.asarray(W, f),
                            jnp.asarray(b, f), bool(normalize))


def forecast(model: LinearForecaster, inputs: Any) -> jax.Array:
    """Forecasts of a :class:`LinearForecaster` for a batch of input windows.

    Parameters
    ----------
    model : LinearForecaster
        From :func:`fit_linear_forecaster`.
    inputs : array_like of shape (n, T)
        Windows of the model's lookback ``T``.

    Returns
    -------
    predictions : jax.Array of shape (n, H)

    Raises
    ------
    TypeError
        ``model`` not a LinearForecaster, ``inputs`` not numeric.
    ValueError
        ``inputs`` not 2-D with ``T`` columns, or not finite.

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.forecast"
    if not isinstance(model, LinearForecaster):
        raise fail(where, "model", "a LinearForecaster (from fit_linear_forecaster)",
                   type(model).__name__, exc=TypeError)
    X = as_host(inputs, "inputs", where, ndim=2, rule="an array of shape (n, T)")
    T = model.input_basis.shape[0]
    if X.shape[1] != T:
        raise fail(where, "inputs", f"shape (n, {T}) (the model's lookback)",
                   f"shape {X.shape}")
    m = X.mean(axis=1, keepdims=True) if model.normalize else np.zeros((X.shape[0], 1))
    c = (X - m) @ np.asarray(model.input_basis) @ np.asarray(model.weights) + np.asarray(
        model.bias)
    return jnp.asarray(m + c @ np.asarray(model.output_basis).T)


def seasonal_naive(inputs: Any, horizon: int, *, period: int) -> jax.Array:
    """The seasonal-naive forecast: repeat the last observed season.

    :math:`\\hat y_{t+h} = y_{t+h-mk}` with :math:`k = \\lfloor (h-1)/m\\rfloor + 1` and
    period :math:`m`: the baseline any forecaster of a seasonal series must beat.

    Parameters
    ----------
    inputs : array_like of shape (n, T)
        Input windows, ``T >= period``.
    horizon : int
        ``H >= 1``.
    period : int
        Season length ``m``, ``1 <= m <= T``.

    Returns
    -------
    predictions : jax.Array of shape (n, H)

    Raises
    ------
    TypeError
        ``inputs`` not numeric, sizes not ints.
    ValueError
        ``inputs`` not 2-D or not finite, sizes out of range.

    Notes
    -----
    Chapter :ref:`fast-transforms`.
    """
    where = "transforms.seasonal_naive"
    X = as_host(inputs, "inputs", where, ndim=2, rule="an array of shape (n, T)")
    H = check_int(horizon, "horizon", where, min_val=1)
    m = check_int(period, "period", where, min_val=1, max_val=X.shape[1])
    h = np.arange(1, H + 1)
    idx = X.shape[1] - 1 + h - m * ((h - 1) // m + 1)
    return jnp.asarray(X[:, idx])
