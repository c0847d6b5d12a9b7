"""Claims and metrics recorded by a chapter.

A chapter creates one :class:`Recorder` and calls it for every number that
matters:

* :meth:`Recorder.claim` checks a paper's claim against a measured value,
  raises an ``AssertionError`` naming the claim when it does not hold, and
  records it;
* :meth:`Recorder.not_reproduced` records a claim that does not reproduce at
  the book's scale, with the reason (shown as such, never asserted);
* :meth:`Recorder.metric` records any other number (an error, a count, a
  timing); timings are reported, never regression-checked;
* :meth:`Recorder.table` renders the chapter's Claims table.

When the book executor runs the chapter it sets the environment variable
``EIGENBOOK_METRICS`` to a path; every record is then written there at once
(atomically), so a chapter that fails half-way still leaves what it measured.
Run interactively (no variable set), the records stay in memory.

The file is the ``metrics.json`` documented in ``design.md`` section 4; the
executor adds ``scale``, ``seed``, ``runtime_s`` and ``versions``.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Check",
    "Control",
    "control",
    "at_most",
    "at_least",
    "between",
    "close_to",
    "Recorder",
    "format_value",
    "METRICS_ENV",
]

METRICS_ENV = "EIGENBOOK_METRICS"
MetricKind = Literal["accuracy", "timing", "count"]
ClaimKind = Literal["paper", "implementation"]
CLAIM_KINDS = ("paper", "implementation")


@dataclass(frozen=True)
class Check:
    """A predicate on a measured number, with the text shown to the reader."""

    text: str
    lo: float = -math.inf
    hi: float = math.inf

    def holds(self, measured: float) -> bool:
        """True when ``lo <= measured <= hi`` (NaN never holds)."""
        return bool(self.lo <= measured <= self.hi)


def _real(x: Any, name: str, where: str, *, allow_inf: bool = False) -> float:
    """A real number (not bool), finite unless ``allow_inf``; the house message otherwise."""
    import numbers

    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{where}({name}=...): expected a real number; "
                        f"got {type(x).__name__} {x!r}.")
    x = float(x)
    if math.isnan(x) or (math.isinf(x) and not allow_inf):
        raise ValueError(f"{where}({name}=...): expected a finite number; got {name}={x}.")
    return x


def at_most(bound: float) -> Check:
    """Check ``measured <= bound``."""
    bound = _real(bound, "bound", "claims.at_most")
    return Check(f"<= {format_value(bound)}", hi=bound)


def at_least(bound: float) -> Check:
    """Check ``measured >= bound``."""
    bound = _real(bound, "bound", "claims.at_least")
    return Check(f">= {format_value(bound)}", lo=bound)


def between(lo: float, hi: float) -> Check:
    """Check ``lo <= measured <= hi``."""
    lo, hi = _real(lo, "lo", "claims.between"), _real(hi, "hi", "claims.between")
    if not lo <= hi:
        raise ValueError(f"claims.between(lo, hi): expected lo <= hi; got lo={lo}, hi={hi}.")
    return Check(f"in [{format_value(lo)}, {format_value(hi)}]", lo=float(lo), hi=float(hi))


def close_to(target: float, *, rtol: float = 0.0, atol: float = 0.0) -> Check:
    """Check ``|measured - target| <= atol + rtol * |target|``."""
    where = "claims.close_to"
    target = _real(target, "target", where)
    rtol, atol = _real(rtol, "rtol", where), _real(atol, "atol", where)
    if rtol < 0 or atol < 0 or rtol == atol == 0:
        raise ValueError("claims.close_to(rtol=..., atol=...): expected tolerances >= 0, "
                         f"not both 0; got rtol={rtol}, atol={atol}.")
    width = atol + rtol * abs(target)
    return Check(f"{format_value(target)} ± {format_value(width)}",
                 lo=target - width, hi=target + width)


@dataclass(frozen=True)
class Control:
    """A negative control: the same measurement on a deliberately wrong method or input,
    for which the paper's statement must *not* hold."""

    value: float
    what: str


def control(value: float, what: str) -> Control:
    """The negative control of a claim: its ``value`` and a short text naming ``what`` it is
    (e.g. ``control(err_uniform, "uniform sampling instead of sensitivity sampling")``).

    :meth:`Recorder.claim` asserts that the check **fails** for ``value``."""
    if not isinstance(what, str) or not what.strip():
        raise ValueError(f"claims.control(what=...): expected a short description; got {what!r}.")
    # a diverging control may legitimately measure inf; NaN would "fail" every check vacuously
    return Control(_real(value, "value", "claims.control", allow_inf=True), what.strip())


def format_value(x: Any) -> str:
    """Format a number for tables: 4 significant digits, scientific when tiny/huge."""
    if isinstance(x, str):
        return x
    if isinstance(x, bool):
        return "yes" if x else "no"
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == 0 or 1e-3 <= abs(x) < 1e5:
        return f"{x:.4g}"
    return f"{x:.3e}"


def _tolerance(where: str, rtol: float | None, atol: float | None,
               decades: float | None = None) -> dict[str, float]:
    """The drift tolerance of a metric as stored in metrics.json and baselines.

    ``rtol``/``atol`` bound ``|value - baseline|``; ``decades`` bounds
    ``|log10(value / baseline)|`` and is the kind for rounding-dominated numbers
    (orthogonality losses, condition numbers, errors near machine precision),
    which move by orders of magnitude between CPUs and BLAS builds. ``decades``
    excludes ``rtol``; with it, ``atol`` is a floor for values that may be 0.
    """
    if rtol is None and atol is None and decades is None:
        raise ValueError(f"{where}: expected a drift tolerance rtol=..., atol=... or "
                         "decades=... (how far a re-run may move this number before "
                         "`check` flags it); got none.")
    if decades is not None and rtol is not None:
        raise ValueError(f"{where}: expected either rtol=... or decades=..., not both; "
                         f"got rtol={rtol}, decades={decades}.")
    tol = {}
    if rtol is not None:
        tol["rtol"] = float(rtol)
    if atol is not None:
        tol["atol"] = float(atol)
    if decades is not None:
        tol["decades"] = float(decades)
    if any(not v >= 0 for v in tol.values()):
        raise ValueError(f"{where}: expected tolerances >= 0; got {tol}.")
    return tol


@dataclass
class ClaimRecord:
    """One claim as stored in ``metrics.json``."""

    id: str
    statement: str
    paper: str
    source: str
    paper_value: str
    measured: float
    check: str
    holds: bool
    reproduced: bool
    reason: str = ""
    kind: str = "paper"
    control: dict[str, Any] | None = None
    lo: float | None = None  # the check's bounds (None: unbounded), read by the robustness page
    hi: float | None = None


class Recorder:
    """Collects a chapter's claims and metrics.

    Parameters
    ----------
    chapter : str
        The chapter's slug, e.g. ``"01_eigensolvers"``.
    path : str or Path, optional
        Where to write the metrics JSON. Default: ``$EIGENBOOK_METRICS`` when
        set (the book executor sets it), else nothing is written.
    """

    def __init__(self, chapter: str, path: str | os.PathLike | None = None):
        self.chapter = chapter
        env = os.environ.get(METRICS_ENV)
        self.path = Path(path) if path is not None else (Path(env) if env else None)
        self.claims: dict[str, ClaimRecord] = {}
        self.metrics: dict[str, dict[str, Any]] = {}
        self._save()

    # -- recording ---------------------------------------------------------
    def claim(self, id: str, *, statement: str, paper: str, source: str,
              paper_value: Any, measured: float, check: Check,
              kind: ClaimKind = "paper", control: Control | None = None,
              rtol: float | None = None, atol: float | None = None,
              decades: float | None = None) -> float:
        """Record a claim, assert that it holds and, with a control, that it could fail.

        Parameters
        ----------
        id : str
            Short unique id, e.g. ``"power-rate"``.
        statement : str
            The claim in one sentence, paraphrased.
        paper : str
            Bib key in ``references.bib``.
        source : str
            Where in the paper (``"Thm 1.1"``, ``"Fig. 3"``, ``"abstract"``).
        paper_value : str or float
            What the paper states.
        measured : float
            What this run measured.
        check : Check
            The predicate that decides "holds" (:func:`at_most`, ...).
        kind : {"paper", "implementation"}
            ``"paper"``: the paper's own statement (needs a ``control`` to count
            as falsifiable). ``"implementation"``: agreement of the book's code
            with a reference or an identity; shown apart, never counted as
            reproducing the paper.
        control : Control, optional
            :func:`control` ``(value, what)``: the same measurement on a
            deliberately wrong method or input. The check must fail for it.
        rtol, atol, decades : float
            Drift tolerance of ``measured`` for regression checks (at least one):
            ``|measured - baseline| <= atol + rtol * |baseline|``, or, with
            ``decades``, ``|log10(measured / baseline)| <= decades`` (for
            rounding-dominated numbers; ``atol`` then is a floor near 0).

        Returns
        -------
        measured : float

        Raises
        ------
        AssertionError
            When the check fails, or when the control satisfies it too ("cannot
            fail"); the message names the chapter and claim.
        """
        rec = self._claim_record(id, statement, paper, source, paper_value,
                                 measured, check, reproduced=True, kind=kind, control=control)
        self._store_claim(rec, rtol, atol, decades)
        if control is not None and check.holds(control.value):
            raise AssertionError(
                f"claim {id!r} of chapter {self.chapter} cannot fail: its control "
                f"({control.what}) also satisfies {check.text} (control "
                f"{format_value(control.value)}, measured {format_value(rec.measured)}).")
        if not rec.holds:
            raise AssertionError(
                f"claim {id!r} of chapter {self.chapter} does not hold: measured "
                f"{format_value(rec.measured)}, required {check.text} "
                f"({paper}, {source}: {rec.paper_value}). {statement}")
        return rec.measured

    def not_reproduced(self, id: str, *, statement: str, paper: str, source: str,
                       paper_value: Any, measured: float, check: Check, reason: str,
                       kind: ClaimKind = "paper", control: Control | None = None,
                       rtol: float | None = None, atol: float | None = None,
                       decades: float | None = None) -> float:
        """Record a claim that does not reproduce at this scale (not asserted).

        Use it only with a ``reason`` the chapter explains, and assert what does
        hold with :meth:`claim`. The measured value still has a baseline, so a
        change in it is caught by ``check``.
        """
        if not reason.strip():
            raise ValueError(f"Recorder.not_reproduced({id!r}): expected a reason; got ''.")
        rec = self._claim_record(id, statement, paper, source, paper_value,
                                 measured, check, reproduced=False, reason=reason,
                                 kind=kind, control=control)
        self._store_claim(rec, rtol, atol, decades)
        return rec.measured

    def metric(self, name: str, value: float, *, unit: str = "",
               kind: MetricKind = "accuracy", rtol: float | None = None,
               atol: float | None = None, decades: float | None = None) -> float:
        """Record a metric. Non-timing metrics need a drift tolerance.

        ``rtol``/``atol`` or ``decades`` as in :meth:`claim`.
        """
        if kind not in ("accuracy", "timing", "count"):
            raise ValueError(f"Recorder.metric(kind=...): expected one of "
                             f"['accuracy', 'timing', 'count']; got {kind!r}.")
        value = float(value)
        entry: dict[str, Any] = {"value": value, "unit": unit, "kind": kind}
        if kind != "timing":
            entry.update(_tolerance(f"Recorder.metric({name!r})", rtol, atol, decades))
        self.metrics[name] = entry
        self._save()
        return value

    def time_ratio(self, name: str, lib_seconds: float, reference_seconds: float) -> float:
        """Record ``lib / reference`` wall time as ``time_ratio.<name>`` (a timing)."""
        ratio = float(lib_seconds) / float(reference_seconds)
        self.metric(f"time_ratio.{name}", ratio, unit="x", kind="timing")
        return ratio

    # -- views -------------------------------------------------------------
    def as_dict(self) -> dict[str, Any]:
        """The JSON document (without the executor's fields)."""
        claims = [{k: v for k, v in asdict(c).items() if v is not None}
                  for c in self.claims.values()]
        return {"chapter": self.chapter, "claims": claims, "metrics": self.metrics}

    def table(self):
        """The Claims table as a Markdown display object (for the notebook): the paper
        claims, then the implementation checks in a table of their own."""
        from IPython.display import Markdown

        claims = self.as_dict()["claims"]
        paper = [c for c in claims if c.get("kind", "paper") == "paper"]
        impl = [c for c in claims if c.get("kind", "paper") == "implementation"]
        text = claims_markdown(paper) if paper else ""
        if impl:
            text += ("\n\n**Implementation checks** (the book's code against a reference or an "
                     "identity; they reproduce no paper):\n\n" + claims_markdown(impl))
        return Markdown(text)

    # -- internals ---------------------------------------------------------
    def _claim_record(self, id, statement, paper, source, paper_value, measured,
                      check, *, reproduced, reason="", kind="paper", control=None):
        if not isinstance(check, Check):
            raise TypeError(f"Recorder.claim({id!r}, check=...): expected a Check "
                            f"(claims.at_most, ...); got {type(check).__name__}.")
        if kind not in CLAIM_KINDS:
            raise ValueError(f"Recorder.claim({id!r}, kind=...): expected one of "
                             f"{list(CLAIM_KINDS)}; got {kind!r}.")
        if control is not None and not isinstance(control, Control):
            raise TypeError(f"Recorder.claim({id!r}, control=...): expected "
                            f"claims.control(value, what); got {type(control).__name__}.")
        measured = float(measured)
        return ClaimRecord(id=id, statement=statement, paper=paper, source=source,
                           paper_value=format_value(paper_value), measured=measured,
                           check=check.text, holds=check.holds(measured),
                           reproduced=reproduced, reason=reason, kind=kind,
                           control=None if control is None else
                           {"value": control.value, "what": control.what},
                           lo=check.lo if math.isfinite(check.lo) else None,
                           hi=check.hi if math.isfinite(check.hi) else None)

    def _store_claim(self, rec: ClaimRecord, rtol, atol, decades=None) -> None:
        tol = _tolerance(f"Recorder.claim({rec.id!r})", rtol, atol, decades)
        self.claims[rec.id] = rec
        self.metrics[f"claim.{rec.id}"] = {"value": rec.measured, "unit": "",
                                          "kind": "accuracy", **tol}
        self._save()

    def _save(self) -> None:
        if self.path is not None:
            write_json_atomic(self.path, self.as_dict())


def claims_markdown(claims: list[dict[str, Any]], *, with_chapter: bool = False) -> str:
    """Render claim records as a Markdown table (used by chapters and the report)."""
    head = ["Claim", "Source", "Paper's value", "Measured", "Control", "Check", "Holds?"]
    if with_chapter:
        head.insert(0, "Chapter")
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for c in claims:
        if c["reproduced"]:
            status = "yes" if c["holds"] else "**no**"
        else:
            status = f"not reproduced ({c['reason']})"
        ctrl = c.get("control")
        ctrl_text = (f"{format_value(ctrl['value'])} ({ctrl['what']})" if ctrl
                     else "—" if c.get("kind", "paper") == "implementation" else "none")
        cells = [f"**{c['id']}**: {c['statement']}", f"{{cite:t}}`{c['paper']}`, {c['source']}",
                 c["paper_value"], format_value(c["measured"]), ctrl_text, c["check"], status]
        if with_chapter:
            cells.insert(0, c.get("chapter", ""))
        rows.append("| " + " | ".join(str(x).replace("|", "\\|") for x in cells) + " |")
    return "\n".join(rows)


def write_json_atomic(path: str | os.PathLike, data: Any) -> None:
    """Write JSON to ``path`` via a temporary file and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=2, sort_keys=False)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
