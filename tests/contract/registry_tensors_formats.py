"""Contract entries for the formats of eigenbook.tensors (chapter 10) and their generators.

Same format as ``registry.REGISTRY``: public name -> argument -> ``Arg`` (mutated) or a bare
value (passed as is); merged into ``REGISTRY`` by ``registry.py``.
"""

from __future__ import annotations

import numpy as np
from kinds import Arg, key0

_rng = np.random.default_rng(10)
K = Arg("key", key0())
T3 = _rng.standard_normal((3, 3, 3))                       # a small order-3 tensor
M39 = np.moveaxis(T3, 1, 0).reshape(3, 9)                  # its mode-1 unfolding
M23 = _rng.standard_normal((2, 3))
CORE = _rng.standard_normal((2, 2, 2))
U32 = [np.linalg.qr(_rng.standard_normal((3, 2)))[0] for _ in range(3)]
DEC = np.array([3.0, 1.0, 0.1])
A23, B32 = _rng.standard_normal((2, 3)), _rng.standard_normal((3, 2))
_S2, _S3 = _rng.standard_normal((2, 2)), _rng.standard_normal((3, 3))
SPD2, SPD3 = _S2 @ _S2.T + 2 * np.eye(2), _S3 @ _S3.T + 3 * np.eye(3)
V6 = _rng.standard_normal(6)
TT = [_rng.standard_normal((1, 3, 2)), _rng.standard_normal((2, 3, 2)),
      _rng.standard_normal((2, 3, 1))]
X3 = np.array([-0.5, 0.0, 0.7])
T5 = np.array([0.1, 0.4, 0.2, 0.9, 0.6])
Y5 = _rng.standard_normal(5)
IDX = _rng.uniform(size=(6, 2))
DOM = (-1.0, 1.0)


def _nan(mats):
    out = [np.array(m, dtype=float) for m in mats]
    out[0].flat[0] = np.nan
    return out


def _poly(*xs):
    return 1.0 + sum(x * (k + 1) for k, x in enumerate(xs)) + xs[0] ** 2


def _chebtucker():
    from eigenbook import tensors
    return tensors.chebtucker(_poly, 4, eps=1e-6, d=2)


class _lazy:  # the registry's lazy marker, imported late (registry imports this module)
    def __new__(cls, fn):
        from registry import lazy
        return lazy(fn)


ANY_ORDER = {"ndim-1": "any order d >= 1: the same operation on a tensor of one axis fewer",
             "ndim+1": "any order: a leading axis of length 1 is one more mode"}
ANY_ORDER2 = {"ndim-1": "any order d >= 2: the same operation on a tensor of one axis fewer",
              "ndim+1": "any order: a leading axis of length 1 is one more mode"}
ORDER_M1 = {"ndim-1": "any order d >= 2: ranks=int applies to every mode"}
ANY_SHAPE = {"ndim-1": "lags of any shape", "ndim+1": "lags of any shape"}
DOMAIN = Arg("opaque", DOM, bad=[("reversed", (1.0, -1.0)), ("nan", (np.nan, 1.0)),
                                 ("length", (0.0,)), ("string", "ab")])
FACTORS_BAD = [("empty", []), ("not_sequence", 3), ("nan", _nan([A23, B32])),
               ("ndim1", [A23[0], B32])]

ENTRIES: dict[str, dict] = {
    "tensors.unfold": dict(T=Arg("array", T3, valid=ANY_ORDER),
                           mode=Arg("nonneg_int", 1, upper=2)),
    "tensors.fold": dict(M=Arg("matrix", M39), mode=Arg("nonneg_int", 1, upper=2),
                         shape=Arg("shape", (3, 3, 3))),
    "tensors.mode_product": dict(T=Arg("array", T3, valid=ANY_ORDER), M=Arg("matrix", M23),
                                 mode=Arg("nonneg_int", 1, upper=2)),
    "tensors.tucker_to_tensor": dict(
        core=Arg("array", CORE),
        factors=Arg("opaque", U32, bad=[("length", U32[:2]), ("nan", _nan(U32)),
                                        ("not_sequence", 3),
                                        ("shape", [U[:, :1] for U in U32])])),
    "tensors.multilinear_singular_values": dict(T=Arg("array", T3, valid=ANY_ORDER2)),
    "tensors.tucker_eps_ranks": dict(
        spectra=Arg("opaque", [DEC] * 3, bad=[("empty", []), ("nan", _nan([DEC] * 3)),
                                             ("ndim2", [DEC[None]] * 3), ("not_sequence", 3)]),
        eps=Arg("fraction", 0.1)),
    "tensors.hosvd": dict(T=Arg("array", T3, valid=ORDER_M1),
                          ranks=Arg("count", 2, upper=3,
                                    valid={"none": "no ranks and no eps: the full "
                                                   "(exact) HOSVD, as TensorLy's rank=None"})),
    "tensors.hooi": dict(T=Arg("array", T3, valid=ORDER_M1), ranks=Arg("count", 2, upper=3),
                         max_steps=Arg("count", 3), tol=Arg("positive", 1e-8)),
    "tensors.tt_svd": dict(T=Arg("array", T3, valid=ANY_ORDER2),
                           max_rank=Arg("count", 2,
                                        valid={"none": "no max_rank and no eps: the exact "
                                                       "train (the ranks of the unfoldings)"})),
    "tensors.tt_to_tensor": dict(
        cores=Arg("opaque", TT, bad=[("empty", []), ("nan", _nan(TT)), ("not_sequence", 3),
                                     ("ranks", [TT[0], TT[0], TT[2]]),
                                     ("ndim2", [G[0] for G in TT])])),
    "tensors.kron_matvec": dict(factors=Arg("opaque", [A23, B32], bad=FACTORS_BAD),
                                x=Arg("vector", V6)),
    "tensors.kron_solve": dict(
        factors=Arg("opaque", [SPD2, SPD3], bad=FACTORS_BAD + [("nonsquare", [A23, SPD3])]),
        b=Arg("vector", V6)),
    "tensors.kron_sum_solve": dict(
        factors=Arg("opaque", [SPD2, SPD3], bad=FACTORS_BAD + [
            ("nonsquare", [A23, SPD3]), ("nonsymmetric", [SPD2 + np.triu(SPD2, 1), SPD3])]),
        b=Arg("vector", V6), shift=Arg("scalar", 1.0)),
    "tensors.chebyshev_tensor": dict(f=Arg("callable", _poly), n=Arg("count", 3),
                                     d=Arg("count", 2), domain=DOMAIN),
    "tensors.chebyshev_vandermonde": dict(x=Arg("vector", X3, valid={
                                              "empty": "no points: an empty (0, n) matrix"}),
                                          n=Arg("count", 3),
                                          domain=DOMAIN),
    "tensors.chebtucker": dict(f=Arg("callable", _poly), n=4, eps=Arg("fraction", 1e-6),
                               d=Arg("count", 2), domain=DOMAIN, max_steps=Arg("count", 3)),
    "tensors.chebtucker_evaluate": dict(
        ct=Arg("opaque", _lazy(_chebtucker), bad=[("not_chebtucker", 3)]),
        grids=Arg("opaque", [X3, X3], bad=[("length", [X3]), ("outside", [X3 + 5, X3]),
                                           ("nan", _nan([X3, X3])), ("not_sequence", 3)])),
    "tensors.matern32_kernel": dict(tau=Arg("array", M23, valid=ANY_SHAPE),
                                    lengthscale=Arg("positive", 0.5),
                                    variance=Arg("positive", 1.0)),
    "tensors.gp_state_space": dict(t=Arg("vector", T5), y=Arg("vector", Y5),
                                   lengthscale=Arg("positive", 0.3),
                                   variance=Arg("positive", 1.0), noise=Arg("positive", 0.01),
                                   scale=Arg("scalar", 1.0)),
    "tensors.gp_dense": dict(t=Arg("vector", T5), y=Arg("vector", Y5),
                             lengthscale=Arg("positive", 0.3), variance=Arg("positive", 1.0),
                             noise=Arg("positive", 0.01), scale=Arg("scalar", 1.0)),
    "tensors.functional_tucker": dict(indices=Arg("matrix", IDX), y=Arg("vector", V6),
                                      test_indices=Arg("matrix", IDX[:3]),
                                      lengthscale=Arg("positive", 0.3),
                                      noise=Arg("positive", 0.01),
                                      variance=Arg("positive", 1.0), n_iter=Arg("count", 2)),
    "data.continuous_rank1_data": dict(n_train=Arg("count", 5), n_test=Arg("count", 3), key=K,
                                       noise=Arg("nonneg", 0.05)),
    "data.cp_tensor": dict(shape=Arg("shape", (3, 3, 3)), rank=Arg("count", 2, upper=3), key=K,
                           noise=Arg("nonneg", 0.1)),
    "data.long_range_potential": dict(centers=Arg("matrix", T3[0, :2]),
                                      charges=Arg("vector", np.array([1.0, -0.5])),
                                      sigma=Arg("positive", 0.5)),
}
