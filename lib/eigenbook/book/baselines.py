"""Regression check of chapter metrics against ``tests/baselines/<slug>.json``.

A baseline stores, for every non-timing metric of a chapter (claims' measured
values are metrics ``claim.<id>``), its value and its drift tolerance (``rtol``
and/or ``atol``, or ``decades`` for rounding-dominated numbers, declared in the
chapter when the metric is recorded), and for every claim whether it held and
whether it was reproduced. ``check`` flags:

* a metric outside ``|value - baseline| <= atol + rtol * |baseline|`` (or, with
  ``decades``, outside ``|log10(value / baseline)| <= decades``);
* a metric with no baseline, or a baseline metric the run no longer records;
* a claim whose "reproduced" status changed, or, for an asserted claim, its "holds";
* a chapter with metrics but no baseline file.

Baselines are taken at ``scale="ci"``, ``seed=0``, and change only through
``python -m eigenbook.book baseline --update`` (explain why in the commit).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from ..claims import format_value, write_json_atomic
from . import metrics
from .project import Chapter, Project

BASELINE_SCALE = "ci"


@dataclass
class Drift:
    chapter: str
    metric: str
    baseline: str
    measured: str
    allowed: str
    problem: str


def load_metrics(project: Project, ch: Chapter, scale: str = BASELINE_SCALE,
                 seed: int = 0) -> dict | None:
    """The chapter's metrics.json of that run, validated against the schema (None if absent)."""
    path = project.run_dir(scale, seed) / "metrics" / f"{ch.slug}.json"
    return metrics.load(path) if path.is_file() else None


TOLERANCE_KINDS = ("rtol", "atol", "decades")


def within(value: float, base: float, rtol: float = 0.0, atol: float = 0.0,
           decades: float | None = None) -> bool:
    """True when ``value`` is within tolerance of ``base`` (NaN only matches NaN).

    Without ``decades``: ``|value - base| <= atol + rtol * |base|``. With it:
    ``|log10|value| - log10|base|| <= decades`` for values of the same sign, or
    ``|value - base| <= atol`` (a floor for numbers that may round to 0).
    """
    if math.isnan(base) or math.isnan(value):
        return math.isnan(base) and math.isnan(value)
    if decades is None:
        return abs(value - base) <= atol + rtol * abs(base)
    if abs(value - base) <= atol:
        return True
    if value == 0 or base == 0 or (value > 0) != (base > 0):
        return False
    return abs(math.log10(abs(value)) - math.log10(abs(base))) <= decades


def compare(slug: str, metrics: dict, baseline: dict) -> list[Drift]:
    """All drifts of one chapter's ``metrics`` against its ``baseline``."""
    drifts = []
    measured = {k: v for k, v in metrics["metrics"].items() if v["kind"] != "timing"}
    expected = baseline.get("metrics", {})
    for name, base in expected.items():
        tol = {k: base[k] for k in TOLERANCE_KINDS if k in base}
        allowed = " + ".join(f"{k} {v:g}" for k, v in tol.items())
        if name not in measured:
            drifts.append(Drift(slug, name, format_value(base["value"]), "-", allowed,
                                "missing from this run"))
            continue
        value = measured[name]["value"]
        if not within(value, base["value"], **tol):
            drifts.append(Drift(slug, name, format_value(base["value"]),
                                format_value(value), allowed, "outside tolerance"))
    for name in sorted(set(measured) - set(expected)):
        drifts.append(Drift(slug, name, "-", format_value(measured[name]["value"]), "-",
                            "no baseline (run `baseline --update`)"))
    claims = {c["id"]: c for c in metrics.get("claims", [])}
    for cid, base in baseline.get("claims", {}).items():
        c = claims.get(cid)
        if c is None:
            drifts.append(Drift(slug, f"claim {cid}", "recorded", "-", "-",
                                "claim missing from this run"))
            continue
        # "holds" is compared only for an asserted claim: a claim shown as not reproduced
        # is a measurement whose check is not asserted (a timing ratio at a scale where the
        # paper's statement is not expected can land on either side); its value is still
        # compared with its tolerance like any metric.
        asserted = bool(c["reproduced"]) and bool(base["reproduced"])
        for field in ("holds", "reproduced") if asserted else ("reproduced",):
            if bool(c[field]) != bool(base[field]):
                drifts.append(Drift(slug, f"claim {cid}", f"{field}={base[field]}",
                                    f"{field}={c[field]}", "-", f"'{field}' changed"))
    return drifts


def check(project: Project, chapters: list[Chapter], *, log=print) -> list[Drift]:
    """Compare every chapter's ci metrics with its baseline; print a drift table."""
    drifts: list[Drift] = []
    for ch in chapters:
        metrics = load_metrics(project, ch)
        path = project.baselines / f"{ch.slug}.json"
        if metrics is None:
            drifts.append(Drift(ch.slug, "*", "-", "-", "-",
                                "no metrics: run `execute --scale ci` first"))
        elif not path.is_file():
            drifts.append(Drift(ch.slug, "*", "-", "-", "-",
                                f"no baseline file {path.relative_to(project.root)}"))
        else:
            drifts.extend(compare(ch.slug, metrics, json.loads(path.read_text())))
    if drifts:
        log(drift_table(drifts))
        log(f"\n{len(drifts)} drift(s). If a change is intended, update the baseline with "
            "`python -m eigenbook.book baseline --update --only SLUG` and say why in the commit.")
    else:
        log(f"no drift: {len(chapters)} chapter(s) match their baselines")
    return drifts


def drift_table(drifts: list[Drift]) -> str:
    head = ("chapter", "metric", "baseline", "measured", "tolerance", "problem")
    rows = [head] + [(d.chapter, d.metric, d.baseline, d.measured, d.allowed, d.problem)
                     for d in drifts]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def update(project: Project, chapters: list[Chapter], *, log=print) -> int:
    """Write baselines from the current ci metrics (the only way they change)."""
    missing = 0
    for ch in chapters:
        metrics = load_metrics(project, ch)
        if metrics is None:
            log(f"{ch.slug}: no ci metrics; run `execute --scale ci --only {ch.slug}` first")
            missing += 1
            continue
        base = {
            "chapter": ch.slug, "scale": BASELINE_SCALE, "seed": 0,
            "metrics": {name: {"value": m["value"],
                               **{k: m[k] for k in TOLERANCE_KINDS if k in m}}
                        for name, m in sorted(metrics["metrics"].items())
                        if m["kind"] != "timing"},
            "claims": {c["id"]: {"holds": c["holds"], "reproduced": c["reproduced"]}
                       for c in metrics.get("claims", [])},
        }
        write_json_atomic(project.baselines / f"{ch.slug}.json", base)
        log(f"{ch.slug}: baseline written ({len(base['metrics'])} metrics, "
            f"{len(base['claims'])} claims)")
    return missing
