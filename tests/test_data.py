"""Tests of eigenbook.data: the Haar samplers, the key bridge and the checksum-verified loader."""

import shutil

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from eigenbook import data
from hypothesis import given, settings
from hypothesis import strategies as st

# --- Haar O(n) -----------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(shape=st.sampled_from([(1, 0), (2, 4), (7, 1), (12, 3)]),  # one compilation per shape
       seed=st.integers(0, 2**31 - 1))
def test_haar_orthogonal_is_orthogonal_in_float64(shape, seed):
    n, extra = shape
    m = n + extra
    Q = np.asarray(data.haar_orthogonal(m, n, key=jax.random.key(seed)))
    assert Q.shape == (m, n) and Q.dtype == np.float64
    assert np.max(np.abs(Q.T @ Q - np.eye(n))) <= 1e-12


def test_haar_orthogonal_batched_shapes_and_determinant_signs(getkey):
    Qs = np.asarray(data.haar_orthogonal(5, key=getkey(), shape=(400,)))
    assert Qs.shape == (400, 5, 5)
    assert np.max(np.abs(np.einsum("bji,bjk->bik", Qs, Qs) - np.eye(5))) <= 1e-12
    det = np.linalg.det(Qs)
    np.testing.assert_allclose(np.abs(det), 1.0, atol=1e-12)
    frac = np.mean(det > 0)
    assert 0.4 < frac < 0.6  # Haar on O(n): each sign with probability 1/2
    assert data.haar_orthogonal(3, 2, key=getkey(), shape=(2, 4)).shape == (2, 4, 3, 2)
    assert data.haar_orthogonal(3, key=getkey(), dtype=jnp.float32).dtype == jnp.float32


def test_haar_orthogonal_is_haar_not_just_orthogonal(getkey):
    # For Haar Q, E[Q_11] = 0 and E[Q_11^2] = 1/n; unsigned QR of a Gaussian has Q_11 biased
    Qs = np.asarray(data.haar_orthogonal(4, key=getkey(), shape=(4000,)))
    assert abs(Qs[:, 0, 0].mean()) < 0.03
    assert abs(np.mean(Qs[:, 0, 0] ** 2) - 0.25) < 0.02


def test_haar_orthogonal_deterministic_in_key(getkey):
    k = getkey()
    np.testing.assert_array_equal(data.haar_orthogonal(6, key=k), data.haar_orthogonal(6, key=k))
    assert not np.allclose(data.haar_orthogonal(6, key=k), data.haar_orthogonal(6, key=getkey()))


def test_haar_orthogonal_works_under_jit(getkey):
    f = jax.jit(lambda k: data.haar_orthogonal(4, 3, key=k))
    k = getkey()
    np.testing.assert_array_equal(f(k), data.haar_orthogonal(4, 3, key=k))


def test_haar_orthogonal_bad_inputs(getkey):
    with pytest.raises(ValueError, match=r"data.haar_orthogonal\(n=...\)"):
        data.haar_orthogonal(0, key=getkey())
    with pytest.raises(ValueError, match=r"data.haar_orthogonal\(p=...\)"):
        data.haar_orthogonal(3, 4, key=getkey())
    with pytest.raises(TypeError, match="n"):
        data.haar_orthogonal(3.0, key=getkey())
    with pytest.raises(TypeError, match="PRNG key"):
        data.haar_orthogonal(3, key=0)
    with pytest.raises(TypeError, match="dtype"):
        data.haar_orthogonal(3, key=getkey(), dtype=jnp.int32)
    with pytest.raises(TypeError, match="shape"):
        data.haar_orthogonal(3, key=getkey(), shape="2")
    with pytest.raises(ValueError, match="shape"):
        data.haar_orthogonal(3, key=getkey(), shape=(-1,))


# --- Haar SO(3) and quaternions -------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), b=st.sampled_from([1, 8, 30]))  # one compilation per b
def test_haar_rotation_is_a_rotation(seed, b):
    R = np.asarray(data.haar_rotation(b, key=jax.random.key(seed)))
    assert R.shape == (b, 3, 3)
    assert np.max(np.abs(np.einsum("bji,bjk->bik", R, R) - np.eye(3))) <= 1e-12
    np.testing.assert_allclose(np.linalg.det(R), 1.0, atol=1e-12)


def test_haar_rotation_shapes_and_law(getkey):
    assert data.haar_rotation(key=getkey()).shape == (3, 3)
    assert data.haar_rotation((2, 5), key=getkey()).shape == (2, 5, 3, 3)
    # Haar on SO(3): the rotation angle has density (1 - cos t) / pi, mean pi/2 + 2/pi
    R = np.asarray(data.haar_rotation(20000, key=getkey()))
    t = np.arccos(np.clip((np.trace(R, axis1=1, axis2=2) - 1) / 2, -1, 1))
    assert abs(t.mean() - (np.pi / 2 + 2 / np.pi)) < 0.02
    with pytest.raises(TypeError, match="PRNG key"):
        data.haar_rotation(3, key=None)


def test_rotation_from_quaternion_known_values_and_errors():
    c, s = np.cos(np.pi / 4), np.sin(np.pi / 4)  # 90 degrees about z
    R = np.asarray(data.rotation_from_quaternion(np.array([2 * c, 0.0, 0.0, 2 * s])))
    np.testing.assert_allclose(R, [[0, -1, 0], [1, 0, 0], [0, 0, 1]], atol=1e-15)
    np.testing.assert_allclose(data.rotation_from_quaternion(jnp.array([1, 0, 0, 0])), np.eye(3))
    with pytest.raises(ValueError, match=r"\(\.\.\., 4\)"):
        data.rotation_from_quaternion(np.ones(3))
    with pytest.raises(TypeError, match="real"):
        data.rotation_from_quaternion(np.ones(4, complex))


# --- key bridge -------------------------------------------------------------------


def test_numpy_rng_is_a_deterministic_generator(getkey):
    k = getkey()
    g = data.numpy_rng(k)
    assert isinstance(g, np.random.Generator)
    np.testing.assert_array_equal(g.standard_normal(5), data.numpy_rng(k).standard_normal(5))
    assert data.numpy_rng(getkey()).integers(2**62) != data.numpy_rng(k).integers(2**62)
    raw = jax.random.PRNGKey(7)
    np.testing.assert_array_equal(data.numpy_rng(raw).random(3),
                                  data.numpy_rng(jax.random.wrap_key_data(raw)).random(3))
    with pytest.raises(TypeError, match="PRNG key"):
        data.numpy_rng(7)


def test_matrix_generators_use_the_samplers(getkey):
    M = data.matrix_with_singular_values(40, 10, np.arange(10.0), key=getkey())
    np.testing.assert_allclose(np.linalg.svd(np.asarray(M.A), compute_uv=False),
                               np.arange(10.0)[::-1], atol=1e-12)
    S = data.symmetric_with_spectrum(np.linspace(-1, 1, 7), key=getkey())
    np.testing.assert_allclose(np.linalg.eigvalsh(np.asarray(S.A)), np.linspace(-1, 1, 7),
                               atol=1e-12)
    W, labels = data.stochastic_block_model([5, 6], 0.9, 0.1, key=getkey())
    assert W.shape == (11, 11) and labels.tolist() == [0] * 5 + [1] * 6


# --- the shipped data/ folder --------------------------------------------------------


def test_manifest_lists_every_file_and_all_verify():
    d = data.data_dir()
    listed = data.verify()
    shipped = sorted(p.name for p in d.glob("*.csv"))
    assert sorted(listed) == shipped
    assert {f for files, _ in data.DATASETS.values() for f in files} == set(listed)
    assert all((d / f).stat().st_size <= 1_000_000 for f in listed)


def test_load_sunspots_monthly():
    s = data.load("sunspots")
    assert isinstance(s, data.TimeSeries) and s.frequency == "monthly"
    assert s.value.shape == s.time.shape == s.dates.shape == (3126,)
    np.testing.assert_array_equal(s.value[:3], [58.0, 62.6, 70.0])
    np.testing.assert_allclose(s.time[:2], [1749.0, 1749 + 1 / 12])
    assert str(s.dates[-1]) == "2009-06-01"
    np.testing.assert_allclose(np.diff(s.time), 1 / 12, atol=1e-9)
    y = data.load("sunspots_yearly")
    assert y.value.shape == (309,) and y.time[0] == 1700.0 and y.value[:2].tolist() == [5.0, 11.0]


def test_load_co2_weekly_with_missing_weeks():
    c = data.load("co2")
    assert c.frequency == "weekly" and c.unit == "ppmv" and c.value.shape == (2284,)
    assert str(c.dates[0]) == "1958-03-29" and str(c.dates[-1]) == "2001-12-29"
    np.testing.assert_array_equal(c.value[:3], [316.1, 317.3, 317.6])
    assert int(np.isnan(c.value).sum()) == 59
    assert np.all(np.diff(c.dates).astype(int) == 7)


def test_load_karate_club():
    g = data.load("karate_club")
    assert isinstance(g, data.WeightedGraph)
    assert g.n_nodes == 34 and g.edges.shape == (78, 2) and g.weights.shape == (78,)
    assert g.edges[0].tolist() == [0, 1] and g.weights[0] == 4.0
    assert np.all(g.edges[:, 0] < g.edges[:, 1])
    assert g.label_names == ("Mr. Hi", "Officer") and np.bincount(g.labels).tolist() == [17, 17]
    A = g.adjacency()
    assert (A != A.T).nnz == 0 and A.sum() == 2 * g.weights.sum()
    assert np.array_equal(np.asarray(g.adjacency(weighted=False).sum(axis=1)).astype(int)[:3],
                          [16, 9, 10])


@pytest.fixture
def data_copy(tmp_path):
    d = tmp_path / "data"
    shutil.copytree(data.data_dir(), d)
    return d


def test_corrupted_file_is_refused_naming_it(data_copy, monkeypatch):
    f = data_copy / "co2_weekly.csv"
    blob = bytearray(f.read_bytes())
    blob[100] ^= 0x01  # same size, one bit flipped
    f.write_bytes(bytes(blob))
    with pytest.raises(data.DataIntegrityError, match=r"co2_weekly\.csv.*sha256"):
        data.load("co2", data_dir=data_copy)
    monkeypatch.setenv("EIGENBOOK_DATA", str(data_copy))
    with pytest.raises(ValueError, match=r"co2_weekly\.csv"):
        data.load("co2")
    data.load("sunspots")  # the other files still load
    with pytest.raises(data.DataIntegrityError, match="co2_weekly.csv"):
        data.verify()
    f.write_bytes(bytes(blob) + b"\n")
    with pytest.raises(data.DataIntegrityError, match=r"co2_weekly\.csv has \d+ bytes"):
        data.load("co2")


def test_missing_file_is_refused_naming_it(data_copy):
    (data_copy / "karate_club_nodes.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"karate_club_nodes\.csv"):
        data.load("karate_club", data_dir=data_copy)


def test_missing_folder_or_manifest(tmp_path, data_copy):
    with pytest.raises(FileNotFoundError, match="EIGENBOOK_DATA"):
        data.load("co2", data_dir=tmp_path / "nowhere")
    (data_copy / "MANIFEST").write_text("file\tsha\n")
    with pytest.raises(data.DataIntegrityError, match="MANIFEST"):
        data.load("co2", data_dir=data_copy)


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"'co2', 'karate_club', 'sunspots', 'sunspots_yearly'"):
        data.load("sunspot")
    with pytest.raises(TypeError, match="str"):
        data.load(3)
