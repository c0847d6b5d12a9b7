"""The contract registry: one valid example call per public function (issue 29).

Each entry names the function as the public writes it (``family.name``) and declares, per
argument, its kind (:mod:`kinds`) and valid example value. ``test_contract.py`` mutates one
argument at a time with the bad inputs of its kind and expects a ``ValueError``/``TypeError``
whose message names the public function and the argument. A value given bare (not as an
``Arg``) is passed unchanged and not mutated (flags, pytrees of parameters, result objects:
their own producer is under contract).

What is public API: the families ``eigen lowrank sketch orth graphs equivariant tensors ssm``
and the floor modules chapters import by name, ``data nn timing display claims testing``.
Not public: ``_checks``, ``_operators``, ``_results`` (underscored: library internals),
``plotting`` (a shim re-exporting ``display.use_house_style``) and ``eigenbook.book`` (the
build machinery). Validators re-exported by a family (``lowrank.as_rect_operator``) take the
caller's ``(name, where)`` and are listed in ``NOT_CONTRACT`` with that reason.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from kinds import Arg

jax.config.update("jax_enable_x64", True)

_rng = np.random.default_rng(0)
KEY = jax.random.key(0)
K = Arg("key", KEY)
A64 = _rng.standard_normal((6, 4))                     # a tall matrix
_B = _rng.standard_normal((6, 6))
S6 = _B @ _B.T + 6 * np.eye(6)                           # symmetric positive definite
SQ6 = _rng.standard_normal((6, 6))                       # square, not symmetric
V6 = _rng.standard_normal(6)
V4 = _rng.standard_normal(4)
_W = np.zeros((6, 6))
for _i in range(6):                                      # a ring with two chords
    _W[_i, (_i + 1) % 6] = _W[(_i + 1) % 6, _i] = 1.0 + 0.1 * _i
_W[0, 3] = _W[3, 0] = _W[1, 4] = _W[4, 1] = 0.5
W6 = _W
L6 = np.diag(W6.sum(1)) - W6                             # its Laplacian
DEC = np.array([3.0, 2.0, 1.0, 0.5])                     # decreasing singular values
ROWS = _rng.standard_normal((20, 3))                     # rows of a stream
_Q, _ = np.linalg.qr(_rng.standard_normal((3, 3)))
ROT = _Q * np.sign(np.linalg.det(_Q))                    # a rotation
ROTS = np.stack([ROT, ROT.T])                            # a batch of two
FEAT1 = _rng.standard_normal(4)                          # an L=1 feature, length 4
FEAT2 = _rng.standard_normal((2, 9))                     # a batch of L=2 features
TRAJ = _rng.standard_normal((5, 6, 2)).cumsum(1)         # N=5 trajectories, T=6
MAPS = np.abs(_rng.standard_normal((2, 8, 8)))
BOXES = np.array([[1, 2], [4, 3]])
IMGS = _rng.uniform(size=(3, 4, 4))
LABELS = np.array([0, 1, 2])
FEATMAP = _rng.standard_normal((4, 4, 3))
ANE = -np.diag([1.0, 2.0, 3.0]) + 0.1 * _rng.standard_normal((3, 3))   # a stable A
ABAR = 0.5 * np.eye(3) + 0.1 * ANE                       # a stable discrete A
B3 = _rng.standard_normal(3)
C3 = _rng.standard_normal(3)
LAM = np.array([-0.5 + 1.0j, -0.3 + 2.0j])                # a stable diagonal, complex
LAMBAR = np.exp(0.1 * LAM)
BC = np.array([1.0 + 0.5j, 0.3 - 0.2j])
KCONV = _rng.standard_normal((2, 2, 3))                   # conv kernel (M, C, k)


def _tp(x, y):
    from eigenbook import equivariant as eq
    return eq.full_tensor_product(x, y, 1, 1)


def _tp_irreps():
    from eigenbook import equivariant as eq
    return eq.path_irreps(eq.tp_paths(1, 1))


def _cp():
    from eigenbook import tensors
    return tensors.cp_exact(np.ones((2, 2, 3)))


def _quadratic(p):
    return jnp.sum((p - 1.0) ** 2)


def _sample():
    from eigenbook import sketch
    return sketch.sensitivity_sampling(np.full(6, 1 / 6), 4, key=KEY)


def _s4d():
    from eigenbook import ssm
    return ssm.s4d_init(4, 2, key=KEY)


def _basis():
    from eigenbook import lowrank
    return lowrank.fit_trajectory_basis(TRAJ, 3)


def _mesh():
    return jax.sharding.Mesh(np.array(jax.devices()[:1]), ("rows",))


def _public_fn():
    from eigenbook import sketch
    return sketch.cur


def _cases():
    from eigenbook import timing
    f = lambda: 1.0  # noqa: E731
    return [timing.Case("p", "book", f, "ref", f)]


# declared valid edge cases (mutation label -> why), shared by several entries
CX = {"complex": "complex state-space systems are accepted (diagonalised S4D systems are)"}
EMPTY_BATCH = {"empty": "an empty batch (0, d) maps to an empty batch of rotations"}
NO_POINTS = {"empty": "no evaluation points: an empty result"}
LOUT = {"none": "None means L_out = L1 + L2, as in full_tensor_product"}
NS0 = {"zero": "n_iter=0 is the normalised input, the start of the iteration"}
NAN_LOSS = {"nan": "documented: NaN for a failed factorization (NaN in Q), not an error",
            "inf": "documented: NaN for a failed factorization (inf in Q), not an error"}

# elementwise maps: sigma "of any shape" is the documented contract of orth.ns_scalar_map
ANY_SHAPE = {"ndim2": "elementwise: an array of any shape maps to one of the same shape",
             "empty": "elementwise: no singular values map to an empty array"}
NO_SWEEPS = {"zero": "zero sweeps is the Rayleigh-Ritz of the random start, the baseline the "
                     "sweeps improve on (documented; it reports converged=False and warns)"}

# (function, argument, mutation) -> who fixes it: gaps inside files another session owns.
# The test runs them: still open -> xfail; answered clearly -> fails until removed here.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}

NOT_CONTRACT = {
    "lowrank.as_rect_operator": "a floor validator re-exported: (A, name, where) are the "
                                "caller's, so its messages name the caller, not itself",
    "equivariant.as_irreps": "a validator: (spec, name, where) name the caller's argument",
}

# name -> dict of argument -> Arg (mutated) or bare value (passed as is). Values that are
# zero-argument lambdas named ``lazy`` are built at call time (they need the library).


class lazy:  # noqa: N801 - reads as a marker in the table
    def __init__(self, fn):
        self.fn = fn


REGISTRY: dict[str, dict] = {
    # ------------------------------------------------------------------ eigen
    "eigen.lanczos": dict(A=Arg("symmetric", S6), k=Arg("count", 2, upper=6), key=K),
    "eigen.lanczos_decomposition": dict(A=Arg("symmetric", S6), n_steps=Arg("count", 3, upper=6),
                                        key=K),
    "eigen.lobpcg": dict(A=Arg("symmetric", S6), k=Arg("count", 1), key=K,
                         n_iter=Arg("count", 50), tol=Arg("positive", 1e-8,
                                                          valid={})),
    "eigen.subspace_iteration": dict(A=Arg("symmetric", S6), k=Arg("count", 2, upper=6), key=K,
                                     n_iter=Arg("count", 30)),
    "eigen.chebyshev_filtered_subspace_iteration": dict(
        A=Arg("symmetric", S6), k=Arg("count", 2, upper=6), key=K, degree=Arg("count", 4),
        n_iter=Arg("count", 10)),
    "eigen.power_iteration": dict(A=Arg("symmetric", S6), key=K, n_iter=Arg("count", 30)),
    "eigen.rayleigh_quotient": dict(A=Arg("symmetric", S6), x=Arg("vector", V6)),
    "eigen.residual_norms": dict(A=Arg("symmetric", S6), eigenvalues=Arg("vector", V6[:2]),
                                 eigenvectors=Arg("matrix", A64[:, :2])),
    "eigen.ritz_value_history": dict(alpha=Arg("vector", V4), beta=Arg("vector", V4[:3] + 2)),
    "eigen.kaniel_paige_bound": dict(eigenvalues=Arg("vector", np.array([4.0, 3.0, 2.0, 1.0])),
                                     j=Arg("count", 1), tan_theta0=Arg("nonneg", 1.0)),
    "eigen.oja": dict(rows=Arg("matrix", ROWS), key=K, eta=Arg("positive", 1e-3)),
    "eigen.random_order_block_power": dict(rows=Arg("matrix", ROWS), key=K,
                                           n_blocks=Arg("count", 4, upper=20)),
    "eigen.block_gram_error": dict(rows=Arg("matrix", ROWS), key=K,
                                   n_blocks=Arg("count", 4, upper=20)),
    "eigen.heavy_row_mask": dict(rows=Arg("matrix", ROWS), threshold=Arg("positive", 1.0)),
    "eigen.correlation": dict(v=Arg("vector", V4), v1=Arg("vector", V4[::-1])),
    # ---------------------------------------------------------------- lowrank
    "lowrank.truncated_svd": dict(A=Arg("matrix", A64), k=Arg("count", 2, upper=4), key=K),
    "lowrank.golub_kahan": dict(A=Arg("matrix", A64), n_steps=Arg("count", 3, upper=4), key=K),
    "lowrank.pca": dict(X=Arg("matrix", A64), k=Arg("count", 2, upper=4)),
    "lowrank.best_rank_k": dict(A=Arg("matrix", A64), k=Arg("count", 2, upper=4)),
    "lowrank.eckart_young_errors": dict(s=Arg("vector", DEC), k=Arg("nonneg_int", 2, upper=4,
                                                                     valid={})),
    "lowrank.principal_angles": dict(U=Arg("matrix", np.linalg.qr(A64)[0][:, :2]),
                                     V=Arg("matrix", np.linalg.qr(A64)[0][:, 1:3])),
    "lowrank.energy_rank": dict(s=Arg("vector", DEC), energy=Arg("fraction", 0.9)),
    "lowrank.gavish_donoho_lambda": dict(beta=Arg("fraction", 0.5)),
    "lowrank.gavish_donoho_omega": dict(beta=Arg("fraction", 0.5)),
    "lowrank.marchenko_pastur_median": dict(beta=Arg("fraction", 0.5)),
    "lowrank.hard_threshold": dict(Y=Arg("matrix", A64), threshold=Arg("nonneg", 0.5)),
    "lowrank.optimal_hard_threshold": dict(s=Arg("vector", DEC), shape=Arg("shape", (6, 4))),
    "lowrank.eigencam": dict(features=Arg("array", FEATMAP, valid={
        "ndim+1": "(N, H, W, C): a batch of feature maps"})),
    "lowrank.grad_cam": dict(features=Arg("array", FEATMAP), gradients=Arg("array", FEATMAP[::-1])),
    "lowrank.pointing_game": dict(
        maps=Arg("array", MAPS), box_size=Arg("shape", (3, 3)),
        boxes=Arg("opaque", BOXES, bad=[
            ("outside", np.array([[1, 2], [7, 7]])), ("negative", np.array([[-1, 2], [4, 3]])),
            ("fraction", BOXES + 0.5), ("nan", np.array([[np.nan, 2], [4, 3]])),
            ("ndim1", BOXES[0]), ("count", BOXES[:1]), ("string", np.full((2, 2), "x"))])),
    "lowrank.fit_trajectory_basis": dict(trajectories=Arg("array", TRAJ), k=Arg("count", 3,
                                                                                  upper=5)),
    "lowrank.project_trajectories": dict(basis=lazy(_basis), trajectories=Arg("array", TRAJ)),
    "lowrank.reconstruct_trajectories": dict(basis=lazy(_basis),
                                             coefficients=Arg("matrix", A64[:5, :3])),
    "lowrank.bezier_fit": dict(trajectories=Arg("array", TRAJ), n_params=Arg("count", 4, upper=12)),
    "lowrank.bspline_fit": dict(trajectories=Arg("array", TRAJ), n_params=Arg("count", 4)),
    "lowrank.displacement_error": dict(predicted=Arg("array", TRAJ), true=Arg("array", TRAJ + 1)),
    "lowrank.min_displacement_error": dict(candidates=Arg("array", TRAJ[:3]),
                                           true=Arg("array", TRAJ)),
    # ---------------------------------------------------------------- sketch
    "sketch.gaussian_sketch": dict(A=Arg("matrix", A64), m=Arg("count", 3), key=K),
    "sketch.srht_sketch": dict(A=Arg("matrix", A64), m=Arg("count", 3), key=K),
    "sketch.countsketch": dict(A=Arg("matrix", A64), m=Arg("count", 3), key=K),
    "sketch.sketch": dict(A=Arg("matrix", A64), m=Arg("count", 3), key=K,
                          kind=Arg("choice", "gaussian")),
    "sketch.embedding_distortion": dict(A=Arg("matrix", A64), SA=Arg("matrix", A64[:5])),
    "sketch.qr_positive": dict(A=Arg("matrix", A64)),
    "sketch.randomized_range_finder": dict(A=Arg("matrix", A64), size=Arg("count", 2, upper=4),
                                           key=K),
    "sketch.randomized_svd": dict(A=Arg("matrix", A64), k=Arg("count", 2), key=K,
                                  oversampling=Arg("nonneg_int", 1)),
    "sketch.hmt_error_bound": dict(singular_values=Arg("vector", DEC), k=Arg("count", 2, upper=3),
                                   oversampling=Arg("count", 2)),
    "sketch.leverage_sampling_bound": dict(m=Arg("count", 50), d=Arg("count", 4),
                                           delta=Arg("fraction", 0.1)),
    "sketch.sketch_and_solve": dict(A=Arg("matrix", A64), b=Arg("vector", V6), m=Arg("count", 5),
                                    key=K, kind=Arg("choice", "gaussian")),
    "sketch.sketch_precondition_lstsq": dict(A=Arg("matrix", A64), b=Arg("vector", V6), key=K,
                                             m=Arg("count", 6), kind=Arg("choice", "gaussian")),
    "sketch.leverage_scores": dict(A=Arg("matrix", A64)),
    "sketch.l1_sensitivities": dict(A=Arg("matrix", A64)),
    "sketch.sensitivity_sampling": dict(scores=Arg("vector", np.full(6, 1 / 6)), m=Arg("count", 4),
                                        key=K, p=Arg("positive", 2.0)),
    "sketch.lp_distortion": dict(A=Arg("matrix", A64), sample=lazy(_sample),
                                 directions=Arg("matrix", A64[:4, :2])),
    "sketch.cur": dict(A=Arg("matrix", A64), rows=Arg("indices", np.array([0, 2]), upper=6),
                       cols=Arg("indices", np.array([1, 3]), upper=4)),
    "sketch.projection_dpp_sample": dict(Q=Arg("matrix", np.linalg.qr(A64)[0][:, :2]), key=K),
    "sketch.weighted_least_squares": dict(Phi=Arg("matrix", A64), y=Arg("vector", V6),
                                          weights=Arg("vector", np.abs(V6) + 0.1)),
    "sketch.sharded_tsqr": dict(A=Arg("matrix", A64), mesh=lazy(_mesh)),
    "sketch.sharded_randomized_svd": dict(A=Arg("matrix", A64), k=Arg("count", 2), key=K,
                                          mesh=lazy(_mesh), oversampling=Arg("nonneg_int", 1)),
    # ------------------------------------------------------------------ orth
    "orth.gram_schmidt": dict(A=Arg("matrix", A64), method=Arg("choice", "mgs")),
    "orth.householder_qr": dict(A=Arg("matrix", A64)),
    "orth.cholesky_qr": dict(A=Arg("matrix", A64)),
    "orth.cholesky_qr2": dict(A=Arg("matrix", A64)),
    "orth.orthogonality_loss": dict(Q=Arg("matrix", np.linalg.qr(A64)[0], valid=NAN_LOSS,
                                             nan_out=("nan", "inf")),
                                    ord=Arg("choice", "2")),
    "orth.polar_svd": dict(A=Arg("matrix", A64)),
    "orth.polar_newton": dict(A=Arg("square", SQ6 + 6 * np.eye(6)), n_iter=Arg("count", 10)),
    "orth.polar_qdwh": dict(A=Arg("matrix", A64), l0=Arg("positive", 0.1)),
    "orth.newton_schulz": dict(A=Arg("matrix", A64), n_iter=Arg("count", 5, valid=NS0)),
    "orth.ns_scalar_map": dict(sigma=Arg("vector", DEC / 3, valid=ANY_SHAPE),
                               n_iter=Arg("count", 5, valid=NS0)),
    "orth.fit_ns_coeffs": dict(m=Arg("count", 4), n=Arg("count", 3), key=K,
                               n_matrices=Arg("count", 2), n_steps=Arg("count", 2)),
    "orth.soft_threshold": dict(M=Arg("matrix", A64), threshold=Arg("nonneg", 0.5)),
    "orth.clip_outliers": dict(M=Arg("matrix", A64), threshold=Arg("nonneg", 0.5)),
    "orth.muon_direction": dict(M=Arg("matrix", A64), n_iter=Arg("count", 5)),
    "orth.muon_step": dict(
        params=Arg("opaque", {"w": A64}, bad=[("nan", {"w": np.where(A64 > 1, np.nan, A64)}),
                                              ("string", {"w": "x"}), ("not_dict", A64)]),
        grads=Arg("opaque", {"w": A64 / 10}, bad=[("nan", {"w": A64 * np.nan}),
                                                  ("keys", {"v": A64})]),
        mu=None, count=Arg("nonneg_int", 0), learning_rate=Arg("positive", 0.01),
        beta=Arg("fraction", 0.95)),
    "orth.auon_direction": dict(M=Arg("matrix", A64)),
    "orth.circular_conv_matrix": dict(K=Arg("array", KCONV), N=Arg("count", 4)),
    "orth.conv_singular_values": dict(K=Arg("array", KCONV), N=Arg("count", 4)),
    "orth.conv_orth_loss": dict(K=Arg("array", KCONV)),
    "orth.conv_orth_penalty": dict(K=Arg("array", KCONV)),
    "orth.dct_matrix": dict(n=Arg("count", 4)),
    "orth.dct_select": dict(G=Arg("matrix", A64), r=Arg("count", 2, upper=4)),
    "orth.rotation_from_6d": dict(x=Arg("batch", _rng.standard_normal((2, 6)), valid=EMPTY_BATCH)),
    "orth.rotation_to_6d": dict(R=Arg("rotation", ROTS)),
    "orth.quaternion_from_rotation": dict(R=Arg("rotation", ROTS)),
    "orth.rotation_from_quaternion": dict(q=Arg("batch", _rng.standard_normal((2, 4)),
                                                 valid=EMPTY_BATCH)),
    "orth.euler_from_rotation": dict(R=Arg("rotation", ROTS)),
    "orth.rotation_from_euler": dict(angles=Arg("batch", _rng.standard_normal((2, 3)),
                                                 valid=EMPTY_BATCH)),
    "orth.geodesic_angle": dict(R1=Arg("rotation", ROTS), R2=Arg("rotation", ROTS[::-1])),
    "orth.random_rotations": dict(n=Arg("count", 2), key=K),
    "orth.rotation_autoencoder": dict(reps=("6d",), key=K, n_steps=Arg("count", 2),
                                      width=Arg("count", 4), batch=Arg("count", 4),
                                      learning_rate=Arg("positive", 1e-3), n_test=Arg("count", 4)),
    # ---------------------------------------------------------------- graphs
    "graphs.knn_graph": dict(X=Arg("matrix", A64), k=Arg("count", 2, upper=5)),
    "graphs.stochastic_block_model": dict(sizes=Arg("opaque", [3, 3], bad=[
        ("negative", [3, -1]), ("fraction", [3, 2.5]), ("empty", [])]),
        p_in=Arg("fraction", 0.9), p_out=Arg("fraction", 0.1), key=K),
    "graphs.augment_with_attributes": dict(W=Arg("symmetric", W6),
                                           attributes=Arg("matrix", np.eye(6)[:, :2]),
                                           weight=Arg("positive", 1.0)),
    "graphs.degrees": dict(W=Arg("symmetric", W6)),
    "graphs.laplacian": dict(W=Arg("symmetric", W6), kind=Arg("choice", "normalized")),
    "graphs.spectral_embedding": dict(W=Arg("symmetric", W6), k=Arg("count", 2, upper=6), key=K,
                                      method=Arg("choice", "lanczos")),
    "graphs.fiedler_vector": dict(W=Arg("symmetric", W6), key=K),
    "graphs.conductance": dict(W=Arg("symmetric", W6), mask=Arg("mask", np.arange(6) < 3)),
    "graphs.sweep_cut": dict(W=Arg("symmetric", W6), x=Arg("vector", V6)),
    "graphs.cheeger_constant": dict(W=Arg("symmetric", W6)),
    "graphs.graph_fourier": dict(L=Arg("symmetric", L6)),
    "graphs.spectral_filter": dict(L=Arg("symmetric", L6), X=Arg("vector", V6),
                                   response=Arg("callable", np.exp)),
    "graphs.dirichlet_energy": dict(W=Arg("symmetric", W6), x=Arg("vector", V6)),
    "graphs.kmeans": dict(X=Arg("matrix", A64), k=Arg("count", 2, upper=6), key=K,
                          n_init=Arg("count", 2), n_iter=Arg("count", 20)),
    "graphs.spectral_clustering": dict(W=Arg("symmetric", W6), k=Arg("count", 2, upper=6), key=K),
    "graphs.spe_encoding": dict(eigenvalues=Arg("vector", V4[:2]),
                                eigenvectors=Arg("matrix", A64[:, :2]),
                                phis=Arg("opaque", [jnp.sin], bad=[("empty", []),
                                                                   ("not_callable", [3])])),
    "graphs.align_signs": dict(V=Arg("matrix", A64), V_ref=Arg("matrix", -A64)),
    "graphs.smooth_vectors": dict(W=Arg("symmetric", W6), k=Arg("count", 2, upper=6), key=K,
                                  n_sweeps=Arg("count", 3, valid=NO_SWEEPS)),
    "graphs.learn_nested_basis": dict(S=Arg("square", SQ6), K=Arg("count", 2, upper=6), key=K,
                                      n_steps=Arg("count", 3), learning_rate=Arg("positive", 0.05)),
    # ----------------------------------------------------------- equivariant
    "equivariant.complex_clebsch_gordan": dict(l1=Arg("nonneg_int", 1), l2=Arg("nonneg_int", 1),
                                               l3=Arg("nonneg_int", 1, upper=2)),
    "equivariant.real_clebsch_gordan": dict(l1=Arg("nonneg_int", 1), l2=Arg("nonneg_int", 1),
                                            l3=Arg("nonneg_int", 1, upper=2)),
    "equivariant.real_gaunt": dict(l1=Arg("nonneg_int", 1), l2=Arg("nonneg_int", 1),
                                   l3=Arg("nonneg_int", 2)),
    "equivariant.gaunt_to_cg_ratio": dict(l1=Arg("nonneg_int", 1), l2=Arg("nonneg_int", 1),
                                          l3=Arg("nonneg_int", 2, upper=2)),
    "equivariant.tp_paths": dict(L1=Arg("nonneg_int", 1), L2=Arg("nonneg_int", 1),
                                 parity=Arg("choice", "all")),
    "equivariant.complex_to_real": dict(l=Arg("nonneg_int", 1)),
    "equivariant.degree_slice": dict(l=Arg("nonneg_int", 1)),
    "equivariant.irreps_dim": dict(L=Arg("nonneg_int", 1)),
    "equivariant.legendre_table": dict(L=Arg("nonneg_int", 2),
                                       cos_t=Arg("batch", np.cos([0.3, 1.0]), ndim=1),
                                       sin_t=Arg("batch", np.sin([0.3, 1.0]), ndim=1)),
    "equivariant.random_rotation": dict(shape=Arg("shape", (2,)), key=K),
    "equivariant.s2_quadrature": dict(degree=Arg("nonneg_int", 2)),
    "equivariant.sph_harm": dict(L=Arg("nonneg_int", 2), vectors=Arg("batch", ROWS[:4])),
    "equivariant.wigner_D": dict(L=Arg("nonneg_int", 1), R=Arg("rotation", ROT)),
    "equivariant.cg_op_count": dict(L=Arg("nonneg_int", 2)),
    "equivariant.cp_op_count": dict(L=Arg("nonneg_int", 2), rank=Arg("count", 3)),
    "equivariant.gaunt_op_count": dict(L=Arg("nonneg_int", 2), route=Arg("choice", "grid")),
    "equivariant.coupling_tensor": dict(L1=Arg("nonneg_int", 1), L2=Arg("nonneg_int", 1),
                                        coupling=Arg("choice", "cg")),
    "equivariant.span_dimension": dict(L1=Arg("nonneg_int", 1), L2=Arg("nonneg_int", 1),
                                       coupling=Arg("choice", "cg"), tol=Arg("positive", 1e-10)),
    "equivariant.full_tensor_product": dict(x=Arg("batch", FEAT1),
                                            y=Arg("batch", FEAT1), L1=Arg("nonneg_int", 1),
                                            L2=Arg("nonneg_int", 1)),
    "equivariant.weighted_tensor_product": dict(x=Arg("batch", FEAT1), y=Arg("batch", FEAT1),
                                                L1=Arg("nonneg_int", 1), L2=Arg("nonneg_int", 1),
                                                L_out=Arg("nonneg_int", 2, valid=LOUT),
                                                coupling=Arg("choice", "cg")),
    "equivariant.gaunt_product_grid": dict(x=Arg("batch", FEAT1), y=Arg("batch", FEAT1),
                                           L1=Arg("nonneg_int", 1), L2=Arg("nonneg_int", 1),
                                           L_out=Arg("nonneg_int", 2, valid=LOUT)),
    "equivariant.gaunt_product_fourier": dict(x=Arg("batch", FEAT1), y=Arg("batch", FEAT1),
                                              L1=Arg("nonneg_int", 1), L2=Arg("nonneg_int", 1),
                                              L_out=Arg("nonneg_int", 2, valid=LOUT),
                                              convolution=Arg("choice", "dft")),
    "equivariant.e3nn_path_order": dict(paths=Arg("opaque", ((1, 1, 0), (1, 1, 2)), bad=[
        ("negative", ((1, 1, -1),)), ("triangle", ((1, 1, 5),)), ("string", "ab")])),
    "equivariant.path_irreps": dict(paths=Arg("opaque", ((1, 1, 0), (1, 1, 2)), bad=[
        ("negative", ((1, 1, -1),)), ("triangle", ((1, 1, 5),)), ("string", "ab")])),
    "equivariant.paths_to_e3nn": dict(z=Arg("batch", np.ones((2, 6))),
                                      paths=Arg("opaque", ((1, 1, 0), (1, 1, 2)), bad=[
                                          ("negative", ((1, 1, -1),)), ("string", "ab")])),
    "equivariant.to_e3nn": dict(x=Arg("batch", FEAT2), L=Arg("nonneg_int", 2),
                                normalization=Arg("choice", "integral")),
    "equivariant.from_e3nn": dict(x=Arg("batch", FEAT2), L=Arg("nonneg_int", 2),
                                  normalization=Arg("choice", "integral")),
    "equivariant.irreps_D": dict(irreps=((1, 1), (2, 1)), R=Arg("rotation", ROT)),
    "equivariant.equivariance_error": dict(fn=Arg("callable", _tp), irreps_in=[1, 1],
                                           irreps_out=lazy(_tp_irreps), key=K,
                                           n_rotations=Arg("count", 2), batch=Arg("count", 2)),
    # ---------------------------------------------------------------- tensors
    "tensors.cp_decompose": dict(M=Arg("array", np.ones((2, 2, 3)) + np.eye(2)[:, :, None]),
                                 rank=Arg("count", 2, upper=4), key=K, n_iter=Arg("count", 5)),
    "tensors.cp_product": dict(x=Arg("batch", np.ones(2)), y=Arg("batch", np.array([1.0, 2.0])),
                               cp=lazy(_cp)),
    "tensors.cp_exact": dict(M=Arg("array", np.ones((2, 2, 3)))),
    "tensors.khatri_rao": dict(P=Arg("matrix", A64[:3]), Q=Arg("matrix", A64[3:5])),
    # -------------------------------------------------------------------- ssm
    "ssm.hippo_legs": dict(N=Arg("count", 4)),
    "ssm.hippo_legs_nplr": dict(N=Arg("count", 4)),
    "ssm.discretize": dict(A=Arg("square", ANE, valid=CX), B=Arg("vector", B3, valid=CX),
                           dt=Arg("positive", 0.1),
                           method=Arg("choice", "zoh")),
    "ssm.discretize_diag": dict(Lambda=Arg("complex_vector", LAM), B=Arg("complex_vector", BC),
                                dt=Arg("positive", 0.1), method=Arg("choice", "zoh")),
    "ssm.ssm_kernel_recurrence": dict(Abar=Arg("square", ABAR, valid=CX),
                                      Bbar=Arg("vector", B3, valid=CX),
                                      C=Arg("vector", C3, valid=CX),
                                      L=Arg("count", 5)),
    "ssm.ssm_kernel_vandermonde": dict(Lambda_bar=Arg("complex_vector", LAMBAR),
                                       Bbar=Arg("complex_vector", BC), C=Arg("complex_vector", BC),
                                       L=Arg("count", 5)),
    "ssm.fft_convolve": dict(u=Arg("batch", _rng.standard_normal((2, 5)), valid=CX),
                             K=Arg("vector", _rng.standard_normal(5), valid=CX)),
    "ssm.s4d_lin_init": dict(N=Arg("count", 4)),
    "ssm.s4d_inv_init": dict(N=Arg("count", 4)),
    "ssm.s4d_legs_init": dict(N=Arg("count", 4)),
    "ssm.eigenvector_condition": dict(A=Arg("square", ANE, valid=CX)),
    "ssm.perturb_then_diagonalize": dict(A=Arg("square", ANE, valid=CX), eps=Arg("nonneg", 1e-6),
                                         key=K),
    "ssm.transfer_function": dict(A=Arg("square", ANE, valid={**CX, "ndim1": "a diagonal A "
                                                              "given as its diagonal"}),
                                  B=Arg("vector", B3, valid=CX), C=Arg("vector", C3, valid=CX),
                                  s=Arg("complex_vector", np.array([1j, 2j]))),
    "ssm.warped_legendre": dict(N=Arg("count", 3), t=Arg("vector", np.array([0.1, 0.5, 1.0]),
                                                             valid=NO_POINTS)),
    "ssm.legendre": dict(n_max=Arg("nonneg_int", 3),
                         x=Arg("vector", np.array([-0.5, 0.0, 0.5]), valid=NO_POINTS)),
    "ssm.memory_length": dict(K=Arg("vector", np.exp(-np.arange(8.0)), valid={
        **CX, "ndim2": "(L, N): one kernel per state"}), frac=Arg("fraction", 0.9)),
    "ssm.state_impulse_response": dict(Abar=Arg("square", ABAR, valid=CX),
                                       Bbar=Arg("vector", B3, valid=CX), L=Arg("count", 5)),
    "ssm.exponential_input_state": dict(A=Arg("square", ANE, valid=CX),
                                        B=Arg("vector", B3, valid=CX), t=Arg("nonneg", 1.0),
                                        rate=Arg("scalar", 1.0)),
    "ssm.continuous_impulse_response": dict(A=Arg("square", ANE, valid=CX),
                                            B=Arg("vector", B3, valid=CX),
                                            t=Arg("vector", np.array([0.1, 0.5]))),
    "ssm.diag_to_real": dict(Lambda_bar=Arg("complex_vector", LAMBAR),
                             Bbar=Arg("complex_vector", BC), C=Arg("complex_vector", BC)),
    "ssm.s4d_init": dict(N=Arg("count", 4), H=Arg("count", 2), key=K,
                         init=Arg("choice", "inv")),
    "ssm.s4d_apply": dict(params=lazy(_s4d), u=Arg("array", _rng.standard_normal((2, 5)))),
    # ------------------------------------------------------------------- data
    "data.cluttered_digits": dict(
        images=Arg("array", IMGS), n=Arg("count", 2), key=K, size=Arg("count", 8),
        noise=Arg("nonneg", 0.1), n_clutter=Arg("nonneg_int", 1),
        labels=Arg("opaque", LABELS, bad=[
            ("out_of_range", np.array([0, 1, 1000])), ("negative", np.array([0, -1, 2])),
            ("fraction", np.array([0, 1.5, 2])), ("nan", np.array([0, np.nan, 2])),
            ("length", LABELS[:2]), ("string", np.array(["a", "b", "c"]))])),
    "data.haar_orthogonal": dict(n=Arg("count", 3), p=Arg("count", 2, upper=3), key=K),
    "data.haar_rotation": dict(shape=Arg("shape", (2,)), key=K),
    "data.matrix_with_singular_values": dict(m=Arg("count", 6), n=Arg("count", 4),
                                             s=Arg("vector", DEC), key=K),
    "data.numpy_rng": dict(key=K),
    "data.shuffle_rows": dict(rows=Arg("matrix", ROWS), key=K),
    "data.sparse_decaying": dict(n=Arg("count", 10), key=K, nnz_per_row=Arg("count", 2, upper=10),
                                 noise=Arg("nonneg", 0.05), decay=Arg("positive", 0.5)),
    "data.spiked_rows": dict(n=Arg("count", 10), d=Arg("count", 3), R=Arg("positive", 2.0), key=K),
    "data.stochastic_block_model": dict(sizes=Arg("opaque", [3, 3], bad=[
        ("negative", [3, -1]), ("fraction", [3, 2.5]), ("empty", [])]),
        p_in=Arg("fraction", 0.9), p_out=Arg("fraction", 0.1), key=K),
    "data.symmetric_with_spectrum": dict(eigenvalues=Arg("vector", DEC), key=K),
    "data.synthetic_trajectories": dict(n=Arg("count", 3), key=K, n_obs=Arg("count", 4),
                                        n_pred=Arg("count", 4), dt=Arg("positive", 0.4),
                                        jitter=Arg("nonneg", 0.03)),
    "data.rotation_from_quaternion": dict(q=Arg("batch", _rng.standard_normal((2, 4)),
                                                valid=EMPTY_BATCH)),
    "data.load": dict(name=Arg("choice", "karate_club")),
    "data.data_dir": dict(),
    "data.verify": dict(),
    # --------------------------------------------------------------------- nn
    "nn.adam": dict(learning_rate=Arg("positive", 1e-3)),
    "nn.init_mlp": dict(sizes=Arg("opaque", [3, 4, 1], bad=[("zero", [3, 0, 1]),
                                                            ("short", [3])]), key=K),
    "nn.mlp": dict(params=lazy(lambda: __import__("eigenbook.nn").nn.init_mlp([3, 4, 1], key=KEY)),
                   x=Arg("batch", ROWS[:4])),
    "nn.init_conv": dict(channels=Arg("opaque", [1, 2], bad=[("zero", [1, 0]), ("short", [1])]),
                         key=K, kernel_size=Arg("count", 3)),
    "nn.conv": dict(params=lazy(lambda: __import__("eigenbook.nn").nn.init_conv([1, 2], key=KEY)),
                    x=Arg("array", _rng.standard_normal((1, 5, 5, 1)))),
    "nn.fit": dict(loss=Arg("callable", _quadratic), params=np.zeros(3),
                   optimizer=lazy(lambda: __import__("eigenbook.nn").nn.adam(0.1)),
                   n_steps=Arg("count", 3)),
    # ----------------------------------------------------------------- timing
    "timing.best_time": dict(fn=Arg("callable", lambda: 1.0), repeats=Arg("count", 1),
                             warmup=Arg("nonneg_int", 0)),
    "timing.record_as": dict(name=Arg("opaque", "x.y", bad=[("int", 3), ("empty", "")]),
                             rtol=0.1),
    "timing.against_reference": dict(cases=lazy(_cases), repeats=Arg("count", 1),
                                     warmup=Arg("count", 1)),
    "timing.xla_flops": {"fn": Arg("callable", lambda x: x @ x), "*": (SQ6,)},
    # ---------------------------------------------------------------- display
    "display.implemented_by": {"*": ("_quadratic",)},
    "display.show_source": dict(fn=Arg("callable", lazy(_public_fn))),
    "display.source": dict(fn=Arg("callable", lazy(_public_fn))),
    "display.use_house_style": dict(),
    # ----------------------------------------------------------------- claims
    "claims.control": dict(
        value=Arg("scalar", 1.0, valid={"inf": "a diverging control may measure inf (NaN is "
                                                "refused)"}),
        what=Arg("opaque", "a control", bad=[("int", 3), ("empty", "")])),
    "claims.at_most": dict(bound=Arg("scalar", 1.0)),
    "claims.at_least": dict(bound=Arg("scalar", 1.0)),
    "claims.between": dict(lo=Arg("scalar", 0.0), hi=Arg("scalar", 1.0)),
    "claims.close_to": dict(target=Arg("scalar", 1.0), rtol=Arg("nonneg", 0.1)),
    "claims.format_value": dict(x=1.5),
    # ---------------------------------------------------------------- testing
    "testing.assert_equivariant": dict(fn=Arg("callable", _tp), irreps_in=[1, 1],
                                       irreps_out=lazy(_tp_irreps), key=K,
                                       atol=Arg("positive", 1e-8),
                                       n_rotations=Arg("count", 2), batch=Arg("count", 2)),
}


# Families that landed with their own registry file (registry_<family>.py, each defining
# ENTRIES in the format above): merged here, so that one family's entries live in one place.
# Every registry_*.py beside this file is a family's part: a new family adds its file and
# nothing here.
for _path in sorted(Path(__file__).parent.glob("registry_*.py")):
    _mod = importlib.import_module(_path.stem)
    REGISTRY.update(_mod.ENTRIES)
    KNOWN_GAPS.update(getattr(_mod, "KNOWN_GAPS", {}))
