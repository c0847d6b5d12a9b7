"""Small networks that chapters train, and the one training loop.

Networks are parameter pytrees with pure ``apply`` functions (no framework
objects); optimizers come from `optax <https://optax.readthedocs.io>`_, the
library JAX users already use — the book writes no Adam of its own.

* :func:`init_mlp` / :func:`mlp`: a multilayer perceptron as a list of
  ``(W, b)`` pairs, He-initialised;
* :func:`init_conv` / :func:`conv`: a small 2-D convolutional stack;
* :func:`fit`: ``n_steps`` optimizer steps in one jitted ``lax.scan``, returning a
  :class:`TrainResult` (final parameters, loss history, optimizer state);
* :func:`cross_entropy`: the mean softmax cross-entropy of logits and integer labels;
* :func:`adam`: ``optax.adam`` (optionally with a geometric decay), one object per
  setting so that library functions calling :func:`fit` compile once.
"""

from ._layers import conv as conv
from ._layers import init_conv as init_conv
from ._layers import init_mlp as init_mlp
from ._layers import mlp as mlp
from ._losses import cross_entropy as cross_entropy
from ._train import TrainResult as TrainResult
from ._train import adam as adam
from ._train import fit as fit

__all__ = ["TrainResult", "adam", "conv", "cross_entropy", "fit", "init_conv", "init_mlp", "mlp"]
