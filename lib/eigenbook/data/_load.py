"""The checksum-verified loader of the project's top-level ``data/`` folder.

``data/`` holds small real data sets as plain CSV, each listed in
``data/MANIFEST`` with its sha256 and size. :func:`load` finds the folder,
checks every file a data set needs against its MANIFEST line and only then
parses it; a missing or altered file is an error that names the file. Nothing
is ever downloaded or regenerated here: ``data/build.py`` rebuilds the files
(from statsmodels' and networkx's bundled copies) and re-hashes the MANIFEST.

Where the folder is: ``$EIGENBOOK_DATA`` if set, else ``<repo>/data`` found
from this file's location (``<repo>/lib/eigenbook/data/_load.py``), which is
right for a git checkout used directly or through an editable install
(``pip install -e .``). A ``data_dir=`` argument overrides both.
"""

from __future__ import annotations

import csv
import hashlib
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

__all__ = ["TimeSeries", "WeightedGraph", "DataIntegrityError", "DATASETS", "data_dir",
           "load", "verify"]

ENV_VAR = "EIGENBOOK_DATA"
_COLUMNS = ("file", "sha256", "bytes", "source", "licence")


class DataIntegrityError(ValueError):
    """A shipped data file (or the MANIFEST) does not match what MANIFEST records."""


class TimeSeries(NamedTuple):
    """A regularly sampled real series.

    Attributes
    ----------
    time : ndarray of float64, shape (n,)
        Decimal years (``1749.0`` = 1 Jan 1749; a month m of year y is
        ``y + (m - 1) / 12``; a day is its fraction of its year).
    value : ndarray of float64, shape (n,)
        The observations; ``nan`` where the source has none.
    dates : ndarray of datetime64[D], shape (n,)
        Calendar dates (first day of the month for monthly series, 1 January
        for yearly ones).
    unit : str
        Unit of ``value``.
    frequency : str
        ``"monthly"``, ``"weekly"`` or ``"yearly"``.
    """

    time: np.ndarray
    value: np.ndarray
    dates: np.ndarray
    unit: str
    frequency: str


class WeightedGraph(NamedTuple):
    """An undirected weighted graph with vertex labels.

    Attributes
    ----------
    n_nodes : int
        Number of vertices n, numbered ``0 .. n-1``.
    edges : ndarray of int64, shape (m, 2)
        Each undirected edge once, ``edges[:, 0] < edges[:, 1]``, sorted.
    weights : ndarray of float64, shape (m,)
        Edge weights (positive).
    labels : ndarray of int64, shape (n,)
        Class of each vertex, an index into ``label_names``.
    label_names : tuple of str
        Name of each class.
    """

    n_nodes: int
    edges: np.ndarray
    weights: np.ndarray
    labels: np.ndarray
    label_names: tuple[str, ...]

    def adjacency(self, *, weighted: bool = True):
        """Symmetric adjacency matrix as a ``scipy.sparse.csr_array`` of shape (n, n).

        ``weighted=False`` gives the 0/1 adjacency.
        """
        import scipy.sparse as sp

        w = self.weights if weighted else np.ones_like(self.weights)
        i, j = self.edges[:, 0], self.edges[:, 1]
        A = sp.coo_array((np.r_[w, w], (np.r_[i, j], np.r_[j, i])),
                         shape=(self.n_nodes, self.n_nodes))
        return sp.csr_array(A)


# name -> (files, what it is)
DATASETS: dict[str, tuple[tuple[str, ...], str]] = {
    "co2": (("co2_weekly.csv",),
            "weekly Mauna Loa CO2 (ppmv), 1958-03-29 .. 2001-12-29, 2284 weeks, 59 missing (nan)"),
    "karate_club": (("karate_club_edges.csv", "karate_club_nodes.csv"),
                    "Zachary's karate club: 34 members, 78 weighted edges, club after the split"),
    "sunspots": (("sunspots_monthly.csv",),
                 "monthly mean sunspot numbers, Jan 1749 .. Jun 2009 (3126 months)"),
    "sunspots_yearly": (("sunspots_yearly.csv",),
                        "yearly sunspot numbers, 1700 .. 2008 (309 years)"),
}


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The project's ``data/`` folder: ``path``, else ``$EIGENBOOK_DATA``, else ``<repo>/data``.

    Raises
    ------
    FileNotFoundError
        The folder, or its ``MANIFEST``, does not exist (the message names the
        path and says how to point the loader elsewhere).
    """
    return _resolve(path)


def _resolve(path: str | os.PathLike | None) -> Path:
    if path is not None:
        d, how = Path(path), "data_dir="
    elif os.environ.get(ENV_VAR):
        d, how = Path(os.environ[ENV_VAR]), f"${ENV_VAR}"
    else:
        d, how = Path(__file__).resolve().parents[3] / "data", "the repository layout"
    if not (d / "MANIFEST").is_file():
        raise FileNotFoundError(
            f"eigenbook.data: no data folder with a MANIFEST at {d} (from {how}). The data "
            f"sets ship in the repository's data/ folder, next to lib/; with an installed "
            f"(non-editable) package, set {ENV_VAR}=/path/to/the/checkout/data.")
    return d


def _manifest(d: Path) -> dict[str, tuple[str, int]]:
    path = d / "MANIFEST"
    rows = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    if not rows or tuple(rows[0].split("\t")) != _COLUMNS:
        raise DataIntegrityError(f"eigenbook.data: {path} does not start with the header "
                                 f"{'<TAB>'.join(_COLUMNS)!r} (after '#' comments)")
    out = {}
    for k, line in enumerate(rows[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(_COLUMNS) or not cells[2].isdigit() or len(cells[1]) != 64:
            raise DataIntegrityError(f"eigenbook.data: malformed line {k} of {path}: {line!r}")
        out[cells[0]] = (cells[1], int(cells[2]))
    return out


def _verified(d: Path, manifest: dict[str, tuple[str, int]], name: str) -> Path:
    path = d / name
    if name not in manifest:
        raise DataIntegrityError(f"eigenbook.data: {d / 'MANIFEST'} has no line for {name}")
    sha, size = manifest[name]
    if not path.is_file():
        raise FileNotFoundError(
            f"eigenbook.data: missing data file {path} (listed in MANIFEST). Restore it "
            f"from git (git checkout -- data/{name}) or rebuild with data/build.py.")
    blob = path.read_bytes()
    if len(blob) != size:
        raise DataIntegrityError(
            f"eigenbook.data: {path} has {len(blob)} bytes, MANIFEST says {size}: the file "
            f"was altered. Restore it from git or rebuild with data/build.py.")
    got = hashlib.sha256(blob).hexdigest()
    if got != sha:
        raise DataIntegrityError(
            f"eigenbook.data: {path} has sha256 {got}, MANIFEST says {sha}: the file was "
            f"altered. Restore it from git or rebuild with data/build.py.")
    return path


def verify(*, data_dir: str | os.PathLike | None = None) -> list[str]:
    """Check every file listed in ``MANIFEST`` (size and sha256); return their names.

    Raises
    ------
    FileNotFoundError, DataIntegrityError
        As :func:`load`, for the first bad file.
    """
    d = _resolve(data_dir)
    manifest = _manifest(d)
    for name in manifest:
        _verified(d, manifest, name)
    return list(manifest)


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _decimal_year(dates: np.ndarray) -> np.ndarray:
    years = dates.astype("datetime64[Y]")
    start = years.astype("datetime64[D]")
    length = (years + 1).astype("datetime64[D]") - start
    return (years.astype(np.int64) + 1970) + (dates - start) / length


def _series(path: Path, unit: str, frequency: str) -> TimeSeries:
    header, rows = _rows(path)
    if frequency == "monthly":
        dates = np.array([f"{int(y):04d}-{int(m):02d}-01" for y, m, _ in rows], "datetime64[D]")
    elif frequency == "yearly":
        dates = np.array([f"{int(y):04d}-01-01" for y, _ in rows], "datetime64[D]")
    else:
        dates = np.array([r[0] for r in rows], "datetime64[D]")
    value = np.array([float(r[-1]) if r[-1] else np.nan for r in rows], np.float64)
    if frequency == "monthly":  # exactly regular: y + (m - 1) / 12
        time = np.array([int(y) + (int(m) - 1) / 12 for y, m, _ in rows], np.float64)
    else:
        time = _decimal_year(dates)
    return TimeSeries(time, value, dates, unit, frequency)


def _karate(edges_path: Path, nodes_path: Path) -> WeightedGraph:
    _, erows = _rows(edges_path)
    _, nrows = _rows(nodes_path)
    edges = np.array([[int(u), int(v)] for u, v, _ in erows], np.int64)
    weights = np.array([float(w) for _, _, w in erows], np.float64)
    names = tuple(dict.fromkeys(club for _, club in nrows))
    labels = np.array([names.index(club) for _, club in nrows], np.int64)
    return WeightedGraph(len(nrows), edges, weights, labels, names)


def load(name: str, *, data_dir: str | os.PathLike | None = None) -> TimeSeries | WeightedGraph:
    """Load a shipped real data set after checking its files against ``data/MANIFEST``.

    =====================  ==============  ===================================================
    name                   returns         content
    =====================  ==============  ===================================================
    ``"sunspots"``         TimeSeries      monthly mean sunspot numbers, Jan 1749 - Jun 2009
                                           (3126 months; NOAA NGDC via statsmodels)
    ``"sunspots_yearly"``  TimeSeries      yearly sunspot numbers 1700 - 2008 (309 years)
    ``"co2"``              TimeSeries      weekly Mauna Loa CO2 in ppmv, 1958-03-29 -
                                           2001-12-29 (2284 weeks, 59 of them ``nan``)
    ``"karate_club"``      WeightedGraph   Zachary's karate club (1977): 34 members, 78
                                           edges weighted by the number of contexts of
                                           interaction, labels = club after the split
                                           (``label_names = ("Mr. Hi", "Officer")``)
    =====================  ==============  ===================================================

    Parameters
    ----------
    name : str
        One of the names above (``eigenbook.data.DATASETS`` lists them).
    data_dir : path, optional
        The folder holding ``MANIFEST`` and the files; default ``$EIGENBOOK_DATA``,
        else the repository's ``data/`` (see :func:`data_dir`).

    Returns
    -------
    TimeSeries or WeightedGraph
        NamedTuples of numpy arrays (float64 values, int64 indices).

    Raises
    ------
    TypeError
        ``name`` is not a string.
    ValueError
        Unknown ``name`` (the message lists the known ones).
    FileNotFoundError
        The data folder, its MANIFEST or a file of the data set is missing (named).
    DataIntegrityError
        A subclass of ValueError: a file's size or sha256 differs from its MANIFEST
        line (the file is named; it is never regenerated silently).

    Examples
    --------
    >>> s = load("sunspots")                                   # doctest: +SKIP
    >>> s.time[:2], s.value[:2]                                # doctest: +SKIP
    (array([1749.    , 1749.0833]), array([58. , 62.6]))
    >>> W = load("karate_club").adjacency()                    # doctest: +SKIP
    """
    if not isinstance(name, str):
        raise TypeError(f"data.load(name=...): expected a str; got {type(name).__name__}.")
    if name not in DATASETS:
        raise ValueError(f"data.load(name=...): expected one of {sorted(DATASETS)}; "
                         f"got {name!r}.")
    d = _resolve(data_dir)
    manifest = _manifest(d)
    paths = [_verified(d, manifest, f) for f in DATASETS[name][0]]
    if name == "karate_club":
        return _karate(*paths)
    if name == "co2":
        return _series(paths[0], "ppmv", "weekly")
    return _series(paths[0], "sunspot number",
                   "yearly" if name == "sunspots_yearly" else "monthly")
