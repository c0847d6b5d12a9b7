"""Linear state-space models: HiPPO, diagonal (S4D) and perturbed kernels.

A continuous linear time-invariant state-space model (SSM) maps an input
:math:`u(t)` to an output :math:`y(t)` through a state :math:`x(t) \\in \\mathbb{C}^N`,

.. math::

    x'(t) = A x(t) + B u(t), \\qquad y(t) = C x(t).

Sampled with a step :math:`\\Delta` it becomes the recurrence
:math:`x_k = \\bar A x_{k-1} + \\bar B u_k`, :math:`y_k = C x_k`, whose output is the
causal convolution of :math:`u` with the kernel :math:`K_k = C \\bar A^k \\bar B`. This
module builds the HiPPO-LegS matrix and its normal-plus-low-rank form, the diagonal
initialisations of S4D, the two discretisations, the kernel three ways (recurrence,
Vandermonde product, FFT convolution), transfer functions, eigenvector condition
numbers, perturb-then-diagonalise, and a tiny trainable S4D layer. The chapter
:ref:`state-space-models` explains all of it.

Conventions: ``A`` is a dense ``(N, N)`` matrix or, for a diagonal SSM, the vector
``Lambda`` of shape ``(N,)`` of its diagonal; ``B`` has shape ``(N,)``, ``C`` shape
``(N,)`` (single input, single output). Diagonal S4D models store one member of each
complex-conjugate pair, and their real kernel is twice the real part of the complex one.
"""


from ._common import DiagDiscretized as DiagDiscretized
from ._common import DiagonalInit as DiagonalInit
from ._common import Discretized as Discretized
from ._common import RealSystem as RealSystem
from ._common import StateSpace as StateSpace
from ._conditioning import PTDResult as PTDResult
from ._conditioning import eigenvector_condition as eigenvector_condition
from ._conditioning import perturb_then_diagonalize as perturb_then_diagonalize
from ._conditioning import transfer_function as transfer_function
from ._discretize import discretize as discretize
from ._discretize import discretize_diag as discretize_diag
from ._hippo import NPLR as NPLR
from ._hippo import hippo_legs as hippo_legs
from ._hippo import hippo_legs_nplr as hippo_legs_nplr
from ._inits import s4d_inv_init as s4d_inv_init
from ._inits import s4d_legs_init as s4d_legs_init
from ._inits import s4d_lin_init as s4d_lin_init
from ._kernels import fft_convolve as fft_convolve
from ._kernels import ssm_kernel_recurrence as ssm_kernel_recurrence
from ._kernels import ssm_kernel_vandermonde as ssm_kernel_vandermonde
from ._memory import continuous_impulse_response as continuous_impulse_response
from ._memory import diag_to_real as diag_to_real
from ._memory import exponential_input_state as exponential_input_state
from ._memory import legendre as legendre
from ._memory import memory_length as memory_length
from ._memory import state_impulse_response as state_impulse_response
from ._memory import warped_legendre as warped_legendre
from ._s4d import S4DParams as S4DParams
from ._s4d import s4d_apply as s4d_apply
from ._s4d import s4d_init as s4d_init

__all__ = [
    "NPLR",
    "PTDResult",
    "S4DParams",
    "StateSpace",
    "Discretized",
    "DiagDiscretized",
    "DiagonalInit",
    "RealSystem",
    "hippo_legs",
    "hippo_legs_nplr",
    "discretize",
    "discretize_diag",
    "ssm_kernel_recurrence",
    "ssm_kernel_vandermonde",
    "fft_convolve",
    "s4d_lin_init",
    "s4d_inv_init",
    "s4d_legs_init",
    "eigenvector_condition",
    "perturb_then_diagonalize",
    "transfer_function",
    "warped_legendre",
    "legendre",
    "memory_length",
    "state_impulse_response",
    "exponential_input_state",
    "continuous_impulse_response",
    "diag_to_real",
    "s4d_init",
    "s4d_apply",
]
