"""Neural operators: Fourier layers, FNO/TFNO, DeepONet, Transform Once, latent spectral blocks.

Spectral convolution on truncated Fourier modes (:func:`spectral_conv1d`, with its dense
matrix :func:`spectral_conv_matrix` as the reference), the Fourier neural operator
(:func:`init_fno`, :func:`fno`) and its Tucker-factorised variant (:func:`init_tfno`,
:func:`tfno`), the unstacked DeepONet (:func:`init_deeponet`, :func:`deeponet`), Transform-Once
frequency-domain models with their variance-preserving initialisation (:func:`init_t1`,
:func:`t1`) and reduced-order truncation (:func:`dct_truncate`), and a latent spectral block
in the style of LSM (:func:`init_lsm_block`, :func:`lsm_block`, the quadratic
:func:`self_attention` it replaces, and its sine/cosine basis :func:`latent_basis`,
:func:`latent_basis_fit`). Parameters are pytrees; ``init_*`` take a keyword-only ``key``;
forward functions are pure and jitted, and train through :func:`eigenbook.nn.fit`. The
training data come from :func:`eigenbook.data.burgers_1d` and
:func:`eigenbook.data.antiderivative_data`. Chapter :ref:`neural-operators` explains them.

Example
-------
>>> from eigenbook import operators
>>> p = operators.init_fno(2, 1, width=32, n_modes=16, n_layers=4, key=key)  # doctest: +SKIP
>>> y = operators.fno(p, x)  # x of shape (batch, n, 2)  # doctest: +SKIP
"""

from ._common import count_parameters as count_parameters
from ._deeponet import deeponet as deeponet
from ._deeponet import init_deeponet as init_deeponet
from ._fourier import fno as fno
from ._fourier import init_fno as init_fno
from ._fourier import init_tfno as init_tfno
from ._fourier import spectral_conv1d as spectral_conv1d
from ._fourier import spectral_conv_matrix as spectral_conv_matrix
from ._fourier import tfno as tfno
from ._lsm import BasisFit as BasisFit
from ._lsm import init_lsm_block as init_lsm_block
from ._lsm import latent_basis as latent_basis
from ._lsm import latent_basis_fit as latent_basis_fit
from ._lsm import lsm_block as lsm_block
from ._lsm import self_attention as self_attention
from ._t1 import dct_truncate as dct_truncate
from ._t1 import init_t1 as init_t1
from ._t1 import t1 as t1
from ._t1 import t1_layer_moments as t1_layer_moments

__all__ = [
    "spectral_conv1d",
    "spectral_conv_matrix",
    "init_fno",
    "fno",
    "init_tfno",
    "tfno",
    "count_parameters",
    "init_deeponet",
    "deeponet",
    "init_t1",
    "t1",
    "t1_layer_moments",
    "dct_truncate",
    "latent_basis",
    "BasisFit",
    "latent_basis_fit",
    "init_lsm_block",
    "lsm_block",
    "self_attention",
]
