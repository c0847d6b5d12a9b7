"""Rebuild the shipped data sets of Eigenbook's ``data/`` folder and re-hash ``MANIFEST``.

The book never runs this: it reads the committed CSV files through
``eigenbook.data.load``, which checks them against ``MANIFEST``. Run it only to
regenerate the files, in a throwaway environment that has the source packages::

    python3.11 -m venv /tmp/dataenv
    /tmp/dataenv/bin/pip install statsmodels networkx
    /tmp/dataenv/bin/python data/build.py          # writes data/*.csv and data/MANIFEST

Every file is extracted from a copy bundled with an installed package (no
network). The output is deterministic: the same package versions give the same
bytes, hence the same sha256 in MANIFEST. ``--check`` rebuilds into memory and
reports any file whose bytes differ from the committed one, writing nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent

MANIFEST_HEADER = """\
# Eigenbook data manifest: one line per shipped file, tab-separated, UTF-8.
# Columns: file (relative to data/), sha256 (hex), bytes (size), source, licence.
# Lines starting with '#' are comments. Written by data/build.py; read by eigenbook.data.load,
# which refuses a file whose size or sha256 differs from its line here.
"""


def _csv(header: list[str], rows) -> bytes:
    out = io.StringIO(newline="")
    out.write(",".join(header) + "\n")
    for row in rows:
        out.write(",".join(row) + "\n")
    return out.getvalue().encode("utf-8")


def sunspots_monthly():
    """Monthly mean sunspot numbers, Jan 1749 - Jun 2009, from statsmodels' bundled source file."""
    import statsmodels

    path = resources.files("statsmodels.datasets.sunspots") / "src" / "sunspots_monthly.dat"
    rows = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if not parts or not re.fullmatch(r"\d{4}", parts[0]):
            continue
        year, values = int(parts[0]), parts[1:]
        if len(values) > 12:
            raise ValueError(f"unexpected line in {path}: {line!r}")
        for month, v in enumerate(values, start=1):
            rows.append((str(year), str(month), f"{float(v):.1f}"))
    # a gap-free monthly series
    for (y0, m0, _), (y1, m1, _) in zip(rows, rows[1:], strict=False):
        if (int(y1) * 12 + int(m1)) - (int(y0) * 12 + int(m0)) != 1:
            raise ValueError(f"gap in the monthly sunspot series after {y0}-{m0}")
    source = (f"statsmodels {statsmodels.__version__} bundled file "
              "statsmodels/datasets/sunspots/src/sunspots_monthly.dat ('MONTHLY MEAN SUNSPOT "
              "NUMBERS', Jan 1749 - Jun 2009; values after Dec 2008 preliminary; Feb 1824 "
              "interpolated), from NOAA NGDC http://www.ngdc.noaa.gov/stp/solar/solarda3.html")
    return "sunspots_monthly.csv", _csv(["year", "month", "sunspots"], rows), source


def sunspots_yearly():
    """Yearly sunspot numbers 1700 - 2008 (statsmodels.datasets.sunspots)."""
    import statsmodels
    from statsmodels.datasets import sunspots

    df = sunspots.load_pandas().data
    rows = []
    for year, value in zip(df["YEAR"], df["SUNACTIVITY"], strict=True):
        if year != int(year):
            raise ValueError(f"non-integer year {year}")
        rows.append((str(int(year)), f"{float(value):.1f}"))
    source = (f"statsmodels {statsmodels.__version__} statsmodels.datasets.sunspots "
              "('Yearly sunspots data 1700-2008'), from NOAA NGDC "
              "http://www.ngdc.noaa.gov/stp/solar/solarda3.html")
    return "sunspots_yearly.csv", _csv(["year", "sunspots"], rows), source


def co2_weekly():
    """Weekly Mauna Loa CO2 (ppmv), 1958-03-29 - 2001-12-29; missing weeks left empty."""
    import math

    import statsmodels
    from statsmodels.datasets import co2

    df = co2.load_pandas().data
    rows = []
    for date, value in zip(df.index, df["co2"], strict=True):
        if math.isnan(value):
            rows.append((date.strftime("%Y-%m-%d"), ""))
            continue
        if abs(round(value, 2) - value) > 1e-9:
            raise ValueError(f"co2 value {value!r} has more than 2 decimals")
        rows.append((date.strftime("%Y-%m-%d"), f"{value:.2f}"))
    source = (f"statsmodels {statsmodels.__version__} statsmodels.datasets.co2 ('Mauna Loa "
              "Weekly Atmospheric CO2 Data', SIO continuous air samples; Keeling and Whorf "
              "2004, CDIAC, http://cdiac.ornl.gov/trends/co2/sio-keel-flask/"
              "sio-keel-flaskmlo_c.html)")
    return "co2_weekly.csv", _csv(["date", "co2_ppm"], rows), source


def karate_club():
    """Zachary's karate club: 34 members, 78 weighted friendships, the two clubs after the split."""
    import networkx as nx

    G = nx.karate_club_graph()
    edges = sorted((min(u, v), max(u, v), int(d["weight"])) for u, v, d in G.edges(data=True))
    source = (f"networkx {nx.__version__} karate_club_graph() (edge weight = number of "
              "contexts of interaction; club = 'Club After Split From Data', Table 3), after "
              "W. W. Zachary, 'An Information Flow Model for Conflict and Fission in Small "
              "Groups', J. Anthropological Research 33:452-473 (1977)")
    e = ("karate_club_edges.csv",
         _csv(["source", "target", "weight"], ((str(u), str(v), str(w)) for u, v, w in edges)),
         source)
    n = ("karate_club_nodes.csv",
         _csv(["node", "club"], ((str(i), G.nodes[i]["club"]) for i in sorted(G.nodes))),
         source)
    return e, n


LICENCE = {
    "sunspots_monthly.csv": "public domain (statsmodels: 'This data is public domain.')",
    "sunspots_yearly.csv": "public domain (statsmodels: 'This data is public domain.')",
    "co2_weekly.csv": "public domain (statsmodels: 'This is public domain.')",
    "karate_club_edges.csv": "facts published in Zachary (1977); extracted with networkx "
                             "(BSD-3-Clause)",
    "karate_club_nodes.csv": "facts published in Zachary (1977); extracted with networkx "
                             "(BSD-3-Clause)",
}


def build() -> list[tuple[str, bytes, str]]:
    files = [sunspots_monthly(), sunspots_yearly(), co2_weekly(), *karate_club()]
    for name, blob, _ in files:
        if len(blob) > 1_000_000:
            raise ValueError(f"{name} is {len(blob)} bytes: the data/ folder takes files <= 1 MB")
    return files


def manifest(files) -> str:
    lines = [MANIFEST_HEADER + "file\tsha256\tbytes\tsource\tlicence"]
    for name, blob, source in files:
        cells = [name, hashlib.sha256(blob).hexdigest(), str(len(blob)), source, LICENCE[name]]
        if any("\t" in c or "\n" in c for c in cells):
            raise ValueError(f"a MANIFEST cell of {name} contains a tab or newline")
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="folder to write (default: data/)")
    ap.add_argument("--check", action="store_true",
                    help="compare a fresh build with the files in --out; write nothing")
    args = ap.parse_args(argv)
    files = build()
    text = manifest(files)
    if args.check:
        bad = [name for name, blob, _ in files
               if not (args.out / name).is_file() or (args.out / name).read_bytes() != blob]
        for name in bad:
            print(f"differs from a fresh build: {args.out / name}")
        return 1 if bad else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, blob, _ in files:
        (args.out / name).write_bytes(blob)
        print(f"wrote {args.out / name} ({len(blob)} bytes)")
    (args.out / "MANIFEST").write_text(text, encoding="utf-8")
    print(f"wrote {args.out / 'MANIFEST'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
