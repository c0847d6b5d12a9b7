"""Minimum distance to mean (MDM) classification of SPD matrices."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from eigenbook import _checks

from ._funcs import _as_sym
from ._means import _mean
from ._metrics import METRICS, _distance

__all__ = ["MDMModel", "MDMPrediction", "mdm_fit", "mdm_predict"]


class MDMModel(NamedTuple):
    """A fitted MDM classifier.

    Attributes
    ----------
    classes : ndarray of shape (K,)
        The sorted class labels.
    means : jax.Array of shape (K, n, n)
        The Fréchet mean of each class under ``metric``.
    metric : str
        ``"airm"``, ``"log_euclidean"`` or ``"bw"``.
    n_iter : ndarray of int, shape (K,)
        Iterations of each class mean.
    converged : ndarray of bool, shape (K,)
    """

    classes: np.ndarray
    means: jax.Array
    metric: str
    n_iter: np.ndarray
    converged: np.ndarray


class MDMPrediction(NamedTuple):
    """Labels and distances from :func:`mdm_predict`.

    Attributes
    ----------
    labels : ndarray of shape (N,)
        The class of the nearest mean.
    distances : jax.Array of shape (N, K)
        Distance of each matrix to each class mean.
    """

    labels: np.ndarray
    distances: jax.Array


def mdm_fit(X: Any, y: Any, *, metric: Literal["airm", "log_euclidean", "bw"] = "airm",
            tol: float = 1e-10, max_iter: int = 100) -> MDMModel:
    """Fit a minimum-distance-to-mean classifier: one Fréchet mean per class.

    Barachant et al.'s MDM: each class is summarised by the mean of its SPD matrices
    (Karcher mean for ``"airm"``, :func:`bw_mean` for ``"bw"``, the closed form for
    ``"log_euclidean"``); :func:`mdm_predict` assigns the nearest mean.

    Parameters
    ----------
    X : array_like of shape (N, n, n)
        SPD training matrices (e.g. trial covariances).
    y : array_like of int, shape (N,)
        Labels (>= 2 classes).
    metric : {"airm", "log_euclidean", "bw"}
    tol, max_iter
        Passed to the mean's fixed-point iteration (warns if not met).

    Returns
    -------
    MDMModel
    """
    where = "spd.mdm_fit"
    metric = _checks.check_choice(metric, "metric", where, METRICS)
    X = _as_sym(X, "X", where, ndim=(3,))
    lab = _checks.as_indices(y, "y", where, ndim=1, rule="an int array of shape (N,)")
    if lab.shape[0] != X.shape[0]:
        raise _checks.fail(where, "y", f"shape ({X.shape[0]},) (one label per matrix)",
                           f"shape {lab.shape}")
    classes = np.unique(lab)
    if classes.size < 2:
        raise _checks.fail(where, "y", "at least 2 classes", f"{classes.size} class")
    tol = _checks.check_scalar(tol, "tol", where, min_val=0.0, strict_min=True)
    max_iter = _checks.check_int(max_iter, "max_iter", where, min_val=1)
    res = [_mean(X[lab == k], metric, tol, max_iter, where) for k in classes]
    return MDMModel(classes, jnp.stack([r.mean for r in res]), metric,
                    np.array([r.n_iter for r in res]), np.array([r.converged for r in res]))


@jax.jit
def _argmin(D):
    return jnp.argmin(D, axis=1)


def mdm_predict(model: MDMModel, X: Any) -> MDMPrediction:
    """Assign each SPD matrix to the class whose mean is nearest (in the model's metric).

    Parameters
    ----------
    model : MDMModel
        From :func:`mdm_fit`.
    X : array_like of shape (N, n, n)
        SPD matrices of the size the model was fitted on.

    Returns
    -------
    MDMPrediction
        ``labels`` (N,), ``distances`` (N, K).
    """
    where = "spd.mdm_predict"
    if not isinstance(model, MDMModel):
        raise _checks.fail(where, "model", "an MDMModel (from spd.mdm_fit)",
                           f"{type(model).__name__}", exc=TypeError)
    X = _as_sym(X, "X", where, ndim=(3,))
    n = model.means.shape[-1]
    if X.shape[-1] != n:
        raise _checks.fail(where, "X", f"matrices of size n = {n} (as the model)",
                           f"shape {tuple(X.shape)}")
    D = _distance(model.means[None], X[:, None], model.metric)
    return MDMPrediction(model.classes[np.asarray(_argmin(D))], D)
