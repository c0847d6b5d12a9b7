"""The Robustness page: every claim measured over several seeds.

``python -m eigenbook.book seeds --scale ci --seeds 0-4`` executes the chapters
once per seed, each seed in its own run folder (:meth:`Project.run_dir`; runs
are incremental as always), then writes ``appendix/robustness.md`` into the
staged book: per chapter, each claim's measured value on every seed, its check,
its *worst margin* and whether it held on every seed, and a figure of the
margins. The site build writes the page too (from the seed runs present and
up to date; "no seed runs yet" when there are fewer than two seeds).

The *margin* of a value is how far it is from the check's threshold, relative
to the threshold (:func:`margin`); the worst margin of a claim is the smallest
over the seeds. A claim whose worst margin is below :data:`FLAG_BELOW` holds by
a hair on some seed and is flagged.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..claims import format_value
from . import metrics as mx
from .project import Project

PAGE = "appendix/robustness.md"
FLAG_BELOW = 0.10
"""Worst margins below this (10 %) are flagged on the page."""

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?inf"
_CHECKS = (
    (re.compile(rf"^<=\s*({_NUM})$"), lambda m: (-math.inf, float(m[1]))),
    (re.compile(rf"^>=\s*({_NUM})$"), lambda m: (float(m[1]), math.inf)),
    (re.compile(rf"^in \[\s*({_NUM})\s*,\s*({_NUM})\s*\]$"),
     lambda m: (float(m[1]), float(m[2]))),
    (re.compile(rf"^({_NUM})\s*±\s*({_NUM})$"),
     lambda m: (float(m[1]) - float(m[2]), float(m[1]) + float(m[2]))),
)


def parse_seeds(text: str) -> list[int]:
    """``"0-4"`` -> ``[0, 1, 2, 3, 4]``; ``"0,2,5-6"`` -> ``[0, 2, 5, 6]`` (sorted, unique)."""
    seeds: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m or (m[2] is not None and int(m[2]) < int(m[1])):
            raise SystemExit(f"--seeds: expected seeds like 0-4 or 0,2,5-6; got {text!r}")
        seeds.update(range(int(m[1]), int(m[2] or m[1]) + 1))
    return sorted(seeds)


def bounds(claim: dict) -> tuple[float, float]:
    """The check of a claim as ``(lo, hi)``: it holds when ``lo <= measured <= hi``.

    Read from the claim's ``lo``/``hi`` fields (exact, written by the recorder);
    for files without them, parsed from its ``check`` text (``<= b``, ``>= b``,
    ``in [lo, hi]``, ``t ± w``; rounded to the 4 digits shown).

    Raises
    ------
    ValueError
        When neither is there and the check text is not one of these forms.
    """
    if "lo" in claim or "hi" in claim:
        return float(claim.get("lo", -math.inf)), float(claim.get("hi", math.inf))
    text = claim["check"].strip()
    for pattern, make in _CHECKS:
        m = pattern.match(text)
        if m:
            return make(m)
    raise ValueError(f"claim {claim.get('id')!r}: cannot read the bounds of check {text!r}")


def _scale(bound: float, lo: float, hi: float) -> float:
    """What a distance to ``bound`` is relative to: ``|bound|``, or when that is 0 the
    interval's width, else 1 (an absolute margin)."""
    if bound != 0:
        return abs(bound)
    width = hi - lo
    return width if math.isfinite(width) and width > 0 else 1.0


def margin(values: Iterable[float], lo: float, hi: float) -> float:
    """The worst relative margin of ``values`` against the check ``lo <= x <= hi``.

    For ``<= hi``: ``(hi - max(values)) / |hi|``; for ``>= lo``:
    ``(min(values) - lo) / |lo|``; for both, the smaller of the two. Positive:
    every value holds, by that fraction of the threshold; negative: some value
    fails. A threshold of 0 is measured against the interval's width, or in
    absolute terms when there is none. NaN among the values gives ``-inf``.

    Examples
    --------
    >>> margin([0.5, 0.9], -math.inf, 1.0)
    0.09999999999999998
    >>> margin([3.0, 2.5], 2.0, math.inf)
    0.25
    """
    values = [float(v) for v in values]
    if not values:
        raise ValueError("margin: no values")
    if any(math.isnan(v) for v in values):
        return -math.inf
    out = math.inf
    if math.isfinite(hi):
        out = min(out, (hi - max(values)) / _scale(hi, lo, hi))
    if math.isfinite(lo):
        out = min(out, (min(values) - lo) / _scale(lo, lo, hi))
    return out


# -- collecting the runs ------------------------------------------------------
def seeds_present(project: Project, scale: str) -> list[int]:
    """Seeds with a metrics folder at ``scale`` (``_build/<scale>[-seed<N>]/metrics``)."""
    found = []
    for d in (project.root / "_build").glob(f"{scale}*"):
        m = re.fullmatch(rf"{re.escape(scale)}(?:-seed(\d+))?", d.name)
        if m and (d / "metrics").is_dir():
            found.append(int(m[1] or 0))
    return sorted(found)


def collect(project: Project, scale: str, seeds: Sequence[int]) -> tuple[dict, list[str]]:
    """Per chapter, the metrics of each seed whose run is up to date.

    Returns ``({slug: {seed: metrics}}, notes)``: chapters with at least one
    current run, and one note per chapter whose run of some seed is missing or
    out of date (its inputs changed since, or its last run failed: it is left out).
    """
    from .execute import plan

    runs: dict[str, dict[int, dict]] = {}
    stale: dict[str, list[int]] = {}
    missing: dict[str, list[int]] = {}
    chapters = project.chapters()
    for seed in seeds:
        for item in plan(project, chapters, scale=scale, seed=seed):
            slug = item.chapter.slug
            path = project.metrics_file(slug, scale, seed)
            if not path.is_file():
                missing.setdefault(slug, []).append(seed)
            elif item.runs:
                stale.setdefault(slug, []).append(seed)
            else:
                data = mx.load(path)
                data["docname"] = item.chapter.docname
                runs.setdefault(slug, {})[seed] = data
    notes = []
    for slug in sorted(set(stale) | set(missing)):
        if slug not in runs and slug not in stale:
            continue  # never run with any seed: not part of the page
        parts = []
        if slug in stale:
            parts.append("out of date or failed for seed(s) " + ", ".join(map(str, stale[slug])))
        if slug in missing:
            parts.append("not run with seed(s) " + ", ".join(map(str, missing[slug])))
        notes.append(f"`{slug}`: " + "; ".join(parts) + " (left out).")
    return dict(sorted(runs.items())), notes


def rows(per_seed: dict[int, dict]) -> list[dict]:
    """One row per claim of a chapter: values and margins per seed, worst margin, verdict.

    Each seed's value is measured against that seed's own check (they are the
    same unless a chapter derives its threshold from the seed's data).
    """
    seeds = sorted(per_seed)
    order: dict[str, dict] = {}
    for seed in seeds:
        for c in per_seed[seed]["claims"]:
            order.setdefault(c["id"], c)
    out = []
    for cid, first in order.items():
        present = {s: c for s in seeds for c in per_seed[s]["claims"] if c["id"] == cid}
        values = {s: c["measured"] for s, c in present.items()}
        seed_margins = {s: _seed_margin(c) for s, c in present.items()}
        known = [m for m in seed_margins.values() if not math.isnan(m)]
        worst = min(known) if known else math.nan
        reproduced = all(c["reproduced"] for c in present.values())
        held = len(present) == len(seeds) and all(c["reproduced"] and c["holds"]
                                                   for c in present.values())
        checks = list(dict.fromkeys(c["check"] for c in present.values()))
        out.append({"id": cid, "check": " / ".join(checks), "kind": first.get("kind", "paper"),
                    "values": values, "margins": seed_margins, "worst_margin": worst,
                    "reproduced": reproduced, "held": held,
                    "flagged": reproduced and bool(worst < FLAG_BELOW),
                    "missing": [s for s in seeds if s not in present]})
    return out


def _seed_margin(claim: dict) -> float:
    """The margin of one seed's claim; NaN when its check's bounds cannot be read."""
    try:
        return margin([claim["measured"]], *bounds(claim))
    except ValueError:
        return math.nan


# -- the page -----------------------------------------------------------------
def _pct(x: float) -> str:
    if math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    return f"{100 * x:.3g} %"


def figure(slug: str, claim_rows: list[dict], seeds: Sequence[int], path: Path) -> bool:
    """Plot each claim's margin per seed (0: the threshold) into the PNG ``path``.

    Written only when its bytes change; returns False when no claim has a finite
    margin to show (no file is written).
    """
    shown = [r for r in claim_rows if any(math.isfinite(m) for m in r["margins"].values())]
    if not shown:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(max(4.5, 0.55 * len(shown) + 2.5), 3.0), dpi=110)
    markers = "os^Dvp*hX<>"
    every = []
    for k, seed in enumerate(seeds):
        xs, ys = [], []
        for i, r in enumerate(shown):
            m = r["margins"].get(seed, math.nan)
            if math.isfinite(m):
                xs.append(i + (k - (len(seeds) - 1) / 2) * 0.08)
                ys.append(m)
        every += ys
        ax.scatter(xs, ys, s=18, marker=markers[k % len(markers)], label=f"seed {seed}",
                   zorder=3)
    ax.axhline(0.0, color="black", lw=1.0, label="threshold")
    ax.axhline(FLAG_BELOW, color="tab:red", lw=0.8, ls="--", label="10 % margin")
    ax.set_yscale("symlog", linthresh=FLAG_BELOW)
    top, bottom = max(1.0, max(every)) * 1.5, min(-0.05, min(every) * 1.5)
    ax.set_ylim(bottom, top)
    ticks = [t for t in (-100, -10, -1, -0.1, 0, 0.1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6)
             if bottom <= t <= top]
    ax.set_yticks(ticks, [f"{100 * t:g} %" for t in ticks], fontsize=7)
    ax.set_xticks(range(len(shown)), [r["id"] for r in shown], rotation=45, ha="right",
                  fontsize=7)
    ax.set_xlim(-0.6, len(shown) - 0.4)
    ax.set_ylabel("margin (relative to threshold)", fontsize=8)
    ax.grid(axis="y", lw=0.3, alpha=0.5)
    ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(slug, fontsize=9)
    save_png(fig, path)
    return True


def save_png(fig, path: Path) -> None:
    """Save and close a matplotlib figure as the PNG ``path``, writing only when its bytes
    change (so the site's incremental build stays incremental)."""
    import io

    import matplotlib.pyplot as plt

    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    data = buf.getvalue()
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def figure_name(slug: str) -> str:
    return f"robustness-{slug}.png"


def page(runs: dict, notes: list[str], scale: str, figures: set[str]) -> str:
    """The Markdown of the page (``figures``: slugs whose figure was written)."""
    head = ["(robustness)=", "# Robustness over seeds", ""]
    cmd = "`python -m eigenbook.book seeds` (`make robustness`: seeds 0-4 at scale `ci`)"
    if not runs:
        return "\n".join(head + [
            f"No seed runs yet: this page lists every claim measured with several seeds, "
            f"written by {cmd}.", *(["", *notes] if notes else []), ""])
    seeds = sorted({s for per in runs.values() for s in per})
    all_rows = {slug: rows(per) for slug, per in runs.items()}
    flat = [r for rs in all_rows.values() for r in rs]
    asserted = [r for r in flat if r["reproduced"]]
    held = sum(r["held"] for r in asserted)
    flagged = [(slug, r["id"]) for slug, rs in all_rows.items() for r in rs if r["flagged"]]
    lines = head + [
        f"Every chapter below was executed at scale `{scale}` with seeds "
        f"{', '.join(map(str, seeds))}, by {cmd}. For each claim: its measured value on "
        "each seed, its check, and its *worst margin*: how far the worst seed is from the "
        "check's threshold, relative to the threshold (for `<= b`: (b − max)/|b|; for "
        "`>= b`: (min − b)/|b|; for an interval, the smaller of the two). A negative margin "
        f"means a seed failed. Margins below {_pct(FLAG_BELOW)} are flagged ⚠: the claim "
        "holds, but by a hair.",
        "",
        f"{held} of the {len(asserted)} asserted claims held on every seed; "
        f"{len(flagged)} {'has' if len(flagged) == 1 else 'have'} a worst margin below "
        f"{_pct(FLAG_BELOW)}"
        + (": " + ", ".join(f"`{s}` {i}" for s, i in flagged) if flagged else "") + "."
        + (f" The {len(flat) - len(asserted)} claims shown as not reproduced are listed with "
           "their values, never asserted." if len(flat) > len(asserted) else ""),
    ]
    if notes:
        lines += ["", "Runs not shown: re-run `make robustness` to include them.", ""]
        lines += [f"- {n}" for n in notes]
    for slug, rs in all_rows.items():
        per = runs[slug]
        chapter_seeds = sorted(per)
        docname = next(iter(per.values()))["docname"]
        cols = ["Claim", "Check", *[f"seed {s}" for s in chapter_seeds], "Worst margin",
                "Every seed?"]
        lines += ["", f"## {{doc}}`{slug} </{docname}>`", "",
                  "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for r in rs:
            vals = [format_value(r["values"][s]) if s in r["values"] else "—"
                    for s in chapter_seeds]
            worst = _pct(r["worst_margin"]) + (" ⚠" if r["flagged"] else "")
            if not r["reproduced"]:
                verdict = "not reproduced"
            elif r["held"]:
                verdict = "held"
            elif r["missing"]:
                verdict = "missing on seed(s) " + ", ".join(map(str, r["missing"]))
            else:
                verdict = "**failed**"
            ident = f"**{r['id']}**" + (" (implementation)" if r["kind"] == "implementation"
                                       else "")
            cells = [ident, r["check"], *vals, f"**{worst}**" if r["flagged"] else worst,
                     verdict]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        if slug in figures:
            lines += ["", f"```{{figure}} {figure_name(slug)}", ":width: 90%", "",
                      f"Margin of each claim of `{slug}` on each seed, relative to its "
                      "threshold (symmetric-log axis): the solid line is the threshold (below "
                      "it a seed fails), the dashed line the 10 % margin below which a claim "
                      "is flagged.", "```"]
    return "\n".join(lines) + "\n"


def write_page(project: Project, book_dir: Path, scale: str,
               seeds: Sequence[int] | None = None) -> list[Path]:
    """Write the page and its figures into the staged book ``book_dir``; return their paths.

    ``seeds``: those to show (default: every seed with runs at ``scale``; when
    fewer than two, those at ``ci``, where ``make robustness`` runs). With fewer
    than two seeds the page says there are no seed runs yet.
    """
    if seeds is None:
        seeds = seeds_present(project, scale)
        if len(seeds) < 2 and scale != "ci":
            scale, seeds = "ci", seeds_present(project, "ci")
    runs, notes = collect(project, scale, seeds) if len(seeds) >= 2 else ({}, [])
    if len({s for per in runs.values() for s in per}) < 2:
        runs = {}
    written, figures = [], set()
    for slug, per in runs.items():
        path = book_dir / Path(PAGE).parent / figure_name(slug)
        if figure(slug, rows(per), sorted(per), path):
            figures.add(slug)
            written.append(path)
    text = page(runs, notes, scale, figures)
    path = book_dir / PAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return [path, *written]
