"""Losses of the small networks (mean over the batch)."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from .. import _checks

__all__ = ["cross_entropy"]


def cross_entropy(logits: Any, labels: Any) -> jax.Array:
    """Mean softmax cross-entropy ``mean_i [logsumexp(z_i) - z_i[y_i]]``.

    Parameters
    ----------
    logits : array of shape (N, C)
    labels : int array of shape (N,)
        Classes in ``0 .. C-1``.

    Returns
    -------
    scalar array

    Raises
    ------
    TypeError, ValueError
        Outside ``jit``: logits not a finite real (N, C) array; labels not integer
        indices below C, one per row. Traced inputs are shape-checked only.
    """
    where = "nn.cross_entropy"
    if not isinstance(logits, jax.core.Tracer):
        logits = _checks.as_array(logits, "logits", where, ndim=2,
                                  rule="an array of shape (N, C)")
    if not isinstance(labels, jax.core.Tracer):
        labels = jnp.asarray(_checks.as_indices(labels, "labels", where, ndim=1,
                                                upper=logits.shape[-1],
                                                rule="integer labels of shape (N,)"))
    if logits.ndim != 2 or labels.shape != logits.shape[:1]:
        raise _checks.fail(where, "labels", f"shape ({logits.shape[0]},) for logits of shape "
                           f"{tuple(logits.shape)}", f"shape {tuple(labels.shape)}")
    picked = jnp.take_along_axis(logits, labels[:, None].astype(jnp.int32), axis=1)[:, 0]
    return jnp.mean(jax.nn.logsumexp(logits, axis=1) - picked)
