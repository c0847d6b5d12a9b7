"""State-space model kernels (chapter 15): ``ssm.ssm_kernel_vandermonde`` against
``scipy.signal.dimpulse`` (the impulse response of the equivalent real system,
``ssm.diag_to_real``).

Problem: an S4D-Lin system (``ssm.s4d_lin_init``) of N states (N/2 conjugate pairs),
random complex C, zero-order hold with Δ = 10⁻², kernel length L. Accuracy, for both
sides: the relative 2-norm error against the kernel 2 Re Σ_n C_n B̄_n λ̄_n^k evaluated by
numpy in complex128 from the powers λ̄^k = exp(k log λ̄).
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from eigenbook import ssm
from eigenbook.book.bench import BenchCase, Side
from scipy import signal

SIZES = {"full": {"N": 64, "L": 4096}, "quick": {"N": 16, "L": 256, "repeats": 1}}


def setup(size, seed):
    N, L, dt = size["N"], size["L"], 1e-2
    g = np.random.default_rng([seed, 8])
    C = (g.standard_normal(N // 2) + 1j * g.standard_normal(N // 2)) * np.sqrt(0.5)
    lam_bar, B_bar = ssm.discretize_diag(ssm.s4d_lin_init(N), jnp.ones(N // 2), dt)
    lb, bb = np.asarray(lam_bar), np.asarray(B_bar)
    truth = 2 * (np.exp(np.log(lb)[None, :] * np.arange(L)[:, None]) @ (C * bb)).real
    A_r, B_r, C_r = ssm.diag_to_real(lam_bar, B_bar, jnp.asarray(C))
    return {"lam_bar": lam_bar, "B_bar": B_bar, "C": jnp.asarray(C), "L": L, "truth": truth,
            "dlti": signal.dlti(np.asarray(A_r), np.asarray(B_r), np.asarray(C_r),
                                np.zeros((1, 1)), dt=dt)}


def accuracy(inp, out, side):
    K = np.asarray(out)
    return {"relative error": np.linalg.norm(K - inp["truth"]) / np.linalg.norm(inp["truth"])}


CASES = [
    BenchCase("ssm.kernel_vandermonde-vs-dimpulse", "15_state_space_models",
              "S4D-Lin, N={N}, L={L}, ZOH", SIZES, setup,
              Side("ssm.ssm_kernel_vandermonde", lambda i: ssm.ssm_kernel_vandermonde(
                  i["lam_bar"], i["B_bar"], i["C"], i["L"], conj_pairs=True)),
              Side("scipy.signal.dimpulse (real 2×2 blocks)",
                   lambda i: signal.dimpulse(i["dlti"], n=i["L"] + 1)[1][0][1:, 0]),
              accuracy, "‖K − K*‖₂/‖K*‖₂ against numpy's complex128 evaluation of the "
              "kernel from its modes"),
]
