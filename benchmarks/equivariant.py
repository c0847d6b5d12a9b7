"""SO(3) tensor products (chapter 11): ``equivariant.full_tensor_product`` against
``e3nn_jax.tensor_product``, both jitted, on the same features in each library's
conventions (``equivariant.to_e3nn``; e3nn's output paths in its order,
``equivariant.paths_to_e3nn``).

Problem: a batch of pairs of features with degrees 0..L, Gaussian. Accuracy, for both
sides: the largest absolute difference from the product computed in float64 by numpy from
its definition, the dense coupling tensor (``equivariant.coupling_tensor``) contracted with
the two features, put in the side's conventions.
"""

from __future__ import annotations

import e3nn_jax as e3nn
import jax
import jax.numpy as jnp
import numpy as np
from eigenbook import equivariant as eq
from eigenbook.book.bench import BenchCase, Side

_e3nn_tp = jax.jit(lambda a, b: e3nn.tensor_product(a, b, regroup_output=False).array)


def setup(size, seed):
    L, B = size["L"], size["batch"]
    g = np.random.default_rng([seed, 6])
    x, y = g.standard_normal((2, B, (L + 1) ** 2))
    truth = np.einsum("ijk,bi,bj->bk", eq.coupling_tensor(L, L), x, y)
    irr = e3nn.s2_irreps(L)
    return {"L": L, "x": jnp.asarray(x), "y": jnp.asarray(y), "truth": truth,
            "truth_e3nn": np.asarray(eq.paths_to_e3nn(jnp.asarray(truth), eq.tp_paths(L, L))),
            "xe": e3nn.IrrepsArray(irr, eq.to_e3nn(jnp.asarray(x), L)),
            "ye": e3nn.IrrepsArray(irr, eq.to_e3nn(jnp.asarray(y), L))}


def accuracy(inp, out, side):
    truth = inp["truth"] if side == "book" else inp["truth_e3nn"]
    return {"max abs. error": np.abs(np.asarray(out) - truth).max()}


def _case(L, batch, quick_batch):
    return BenchCase(
        f"equivariant.full_tensor_product-vs-e3nn-L{L}", "11_equivariant_tensor_products",
        "degrees 0..{L} ⊗ 0..{L}, batch {batch}",
        {"full": {"L": L, "batch": batch}, "quick": {"L": L, "batch": quick_batch,
                                                     "repeats": 1}},
        setup,
        Side("equivariant.full_tensor_product",
             lambda i: eq.full_tensor_product(i["x"], i["y"], i["L"], i["L"])),
        Side("e3nn_jax.tensor_product (jit)", lambda i: _e3nn_tp(i["xe"], i["ye"])),
        accuracy,
        "largest |z − z*| against the float64 contraction of the dense coupling tensor with "
        "the two features (numpy), in the side's conventions")


CASES = [_case(2, 10_000, 100), _case(4, 2_000, 20)]
