"""Wall-clock timing and the "Against the reference" harness used by chapters.

JAX functions compile on their first call and return before their result is
ready. :func:`best_time` runs warm-up calls (compilation), then takes the best
of ``repeats`` timed calls, each waiting for its result with
``jax.block_until_ready``.

:func:`against_reference` is the one harness of every chapter's section
"Against the reference": each :class:`Case` names a problem, the book's
routine and the reference library's routine, as zero-argument callables on the
same inputs. Both sides are timed the same way in the same run (the first call,
which includes compilation, and the steady state, best of ``repeats`` after the
warm-up), the case's accuracy function turns the two outputs into accuracy
columns, the time ratio book / reference and the accuracy columns the case
marks are recorded in the chapter's :class:`~eigenbook.claims.Recorder`, and
the returned :class:`ReferenceTable` renders as a Markdown table when it is
the last expression of a notebook cell::

    cases = [Case("dense n=500", "book lanczos", lambda: eigen.lanczos(A, 10, key=key),
                  "ARPACK eigsh", lambda: spla.eigsh(A_np, 10),
                  accuracy=lambda out, ref: {"max eig. diff": ...},
                  ratio_name="lanczos_vs_eigsh",
                  record={"max eig. diff": record_as("reference.eig_diff", atol=1e-10)})]
    table = against_reference(cases, recorder=rec, repeats=3)
    table

Timings are reported, never regression-checked (``kind="timing"``); the
recorded accuracy columns are metrics with a drift tolerance, like any other.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import jax

__all__ = ["BestTime", "best_time", "Case", "Record", "record_as", "ReferenceRow", "ReferenceTable",
           "against_reference", "xla_flops"]


class BestTime(NamedTuple):
    """What :func:`best_time` measured.

    Attributes
    ----------
    seconds : float
        The best wall time of one call.
    result : Any
        What the last call returned.
    """

    seconds: float
    result: Any


def best_time(fn: Callable[[], Any], *, repeats: int = 3, warmup: int = 1) -> BestTime:
    """Best wall time of ``fn()`` over ``repeats`` runs after ``warmup`` runs.

    Parameters
    ----------
    fn : callable with no arguments
        The work to time (wrap arguments in a lambda).
    repeats : int
        Timed runs, ``>= 1``; the minimum is returned (the least disturbed run).
    warmup : int
        Untimed runs first (JIT compilation, caches), ``>= 0``.

    Returns
    -------
    BestTime
        ``(seconds, result)``: the best time, a float, and what the last call returned.

    Raises
    ------
    ValueError
        If ``repeats < 1`` or ``warmup < 0``.
    """
    from eigenbook import _checks

    where = "timing.best_time"
    if not callable(fn):
        raise _checks.fail(where, "fn", "a callable with no arguments", type(fn).__name__,
                           exc=TypeError)
    repeats = _checks.check_int(repeats, "repeats", where, min_val=1)
    warmup = _checks.check_int(warmup, "warmup", where, min_val=0)
    out = None
    for _ in range(warmup):
        out = jax.block_until_ready(fn())
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        out = jax.block_until_ready(fn())
        best = min(best, time.perf_counter() - start)
    return BestTime(best, out)


class Record(NamedTuple):
    """How an accuracy column is recorded: metric ``name`` with its drift ``tolerance``.

    Build it with :func:`record_as`.
    """

    name: str
    tolerance: Mapping[str, float]


def record_as(name: str, **tolerance: float) -> Record:
    """Record an accuracy column as metric ``name`` with a drift tolerance.

    Parameters
    ----------
    name : str
        The metric's name in ``metrics.json`` (and its baseline).
    **tolerance : float
        Passed to :meth:`Recorder.metric <eigenbook.claims.Recorder.metric>`
        (``rtol=...`` and/or ``atol=...``, or ``decades=...`` for
        rounding-dominated accuracy columns).

    Returns
    -------
    Record

    Raises
    ------
    ValueError
        If ``name`` is empty or no tolerance is given.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"timing.record_as(name): expected a non-empty str; got {name!r}.")
    if not tolerance:
        raise ValueError(f"timing.record_as({name!r}): expected a drift tolerance "
                         "(rtol=..., atol=... or decades=...); got none.")
    return Record(name, dict(tolerance))


class Case(NamedTuple):
    """One comparison of the book's routine with a reference on the same inputs.

    Attributes
    ----------
    problem : str
        The problem, as shown in the table (e.g. ``"sparse n=3000"``).
    method : str
        The book's routine, as shown (e.g. ``"book lanczos"``).
    run : callable with no arguments
        Runs the book's routine on the problem's inputs.
    reference : str
        The reference routine, as shown (e.g. ``"ARPACK eigsh"``).
    run_reference : callable with no arguments
        Runs the reference on the same inputs. The same callable object may
        serve several cases (one reference for several book routines); it is
        then timed once. The same holds for ``run``.
    accuracy : callable ``(output, reference_output) -> Mapping[str, float | str]``, optional
        The accuracy columns of this row (column name to value) from the two
        outputs. Cases may return different columns; a missing one shows as
        "—".
    ratio_name : str, optional
        When given, the steady-state ratio book / reference is recorded as
        ``time_ratio.<ratio_name>`` (a timing: reported, never checked).
    record : Mapping[str, Record], optional
        Accuracy columns to record as metrics: column name to
        :func:`record_as` (metric name and drift tolerance).
    """

    problem: str
    method: str
    run: Callable[[], Any]
    reference: str
    run_reference: Callable[[], Any]
    accuracy: Callable[[Any, Any], Mapping[str, Any]] | None = None
    ratio_name: str | None = None
    record: Mapping[str, Record] = {}


class ReferenceRow(NamedTuple):
    """One row of a :class:`ReferenceTable` (times in seconds).

    ``first_seconds`` is the first call made by the harness (it includes JIT
    compilation unless the function was compiled earlier in the process);
    ``seconds`` is the steady state, best of ``repeats`` after the warm-up;
    ``ratio = seconds / reference_seconds``. ``output`` and
    ``reference_output`` are what the last calls returned. A reference row
    (``reference_rows=True``) has ``reference == ""`` and ratio 1.
    """

    problem: str
    method: str
    reference: str
    first_seconds: float
    seconds: float
    reference_first_seconds: float
    reference_seconds: float
    ratio: float
    accuracy: Mapping[str, Any]
    output: Any = None
    reference_output: Any = None


def _format(value: Any, fmt: str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if fmt is not None:
        return format(value, fmt)
    if isinstance(value, (bool, int)) and not isinstance(value, float):
        return str(value)
    value = float(value)
    return str(value) if math.isnan(value) or math.isinf(value) else f"{value:.1e}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class ReferenceTable(NamedTuple):
    """The rows measured by :func:`against_reference`, displayed as a Markdown table.

    As the last expression of a notebook cell it renders as a table (the
    ``text/markdown`` output a Jupyter Book page shows); :meth:`markdown`
    returns the text. Columns: problem, method, reference, first call,
    steady-state times of both sides, ratio, then the accuracy columns in the
    order they first appear.
    """

    rows: tuple[ReferenceRow, ...]
    formats: Mapping[str, str] = {}

    @property
    def accuracy_columns(self) -> list[str]:
        """The accuracy column names, in the order they first appear."""
        cols: dict[str, None] = {}
        for r in self.rows:
            cols.update(dict.fromkeys(r.accuracy))
        return list(cols)

    def row(self, problem: str, method: str, reference: str | None = None) -> ReferenceRow:
        """The row of ``(problem, method[, reference])``.

        Raises
        ------
        KeyError
            If no row or more than one row matches.
        """
        hits = [r for r in self.rows if r.problem == problem and r.method == method
                and (reference is None or r.reference == reference)]
        if len(hits) != 1:
            raise KeyError(f"ReferenceTable.row({problem!r}, {method!r}, {reference!r}): expected "
                           f"one matching row; found {len(hits)}.")
        return hits[0]

    def markdown(self) -> str:
        """The table as Markdown text."""
        has_ref = any(r.reference for r in self.rows)
        cols = self.accuracy_columns
        head = ["problem", "method"] + (["reference"] if has_ref else []) + [
            "first call (s)", "time (s)", "reference first call (s)", "reference time (s)",
            "ratio"] + cols
        lines = ["| " + " | ".join(_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
        for r in self.rows:
            cells = [r.problem, r.method] + ([r.reference or "(reference)"] if has_ref else []) + [
                f"{r.first_seconds:.3g}", f"{r.seconds:.3g}", f"{r.reference_first_seconds:.3g}",
                f"{r.reference_seconds:.3g}", f"{r.ratio:.2f}×"]
            cells += [_format(r.accuracy.get(c), self.formats.get(c)) for c in cols]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __repr__(self) -> str:
        return self.markdown()


def _check_str(name: str, value: Any, i: int) -> None:
    if not isinstance(value, str):
        raise TypeError(f"timing.against_reference(cases[{i}].{name}): expected a str; "
                        f"got {type(value).__name__}.")


def _check_case(case: Any, i: int) -> None:
    if not isinstance(case, Case):
        raise TypeError(f"timing.against_reference(cases[{i}]): expected a timing.Case; "
                        f"got {type(case).__name__}.")
    for name in ("problem", "method", "reference"):
        _check_str(name, getattr(case, name), i)
    for name in ("run", "run_reference"):
        if not callable(getattr(case, name)):
            raise TypeError(f"timing.against_reference(cases[{i}].{name}): expected a callable "
                            f"with no arguments (wrap the call in a lambda); got "
                            f"{type(getattr(case, name)).__name__}.")
    if case.accuracy is not None and not callable(case.accuracy):
        raise TypeError(f"timing.against_reference(cases[{i}].accuracy): expected a callable "
                        f"(output, reference_output) -> dict or None; got "
                        f"{type(case.accuracy).__name__}.")
    if case.ratio_name is not None:
        _check_str("ratio_name", case.ratio_name, i)
    if not isinstance(case.record, Mapping):
        raise TypeError(f"timing.against_reference(cases[{i}].record): expected a mapping "
                        f"column -> record_as(...); got {type(case.record).__name__}.")
    for col, how in case.record.items():
        if not isinstance(how, Record):
            raise TypeError(f"timing.against_reference(cases[{i}].record[{col!r}]): expected "
                            f"timing.record_as(name, atol=...); got {type(how).__name__}.")


def _accuracy(case: Case, i: int, out: Any, ref_out: Any) -> dict[str, Any]:
    if case.accuracy is None:
        acc: Any = {}
    else:
        acc = case.accuracy(out, ref_out)
    if not isinstance(acc, Mapping) or not all(isinstance(k, str) for k in acc):
        raise TypeError(f"timing.against_reference(cases[{i}].accuracy): expected it to return "
                        f"a mapping column name (str) -> value; got {type(acc).__name__}.")
    acc = {k: (v if isinstance(v, str) else float(v)) for k, v in acc.items()}
    for col in case.record:
        if col not in acc:
            raise ValueError(f"timing.against_reference(cases[{i}].record): column {col!r} is "
                             f"not among the accuracy columns {list(acc)} of case "
                             f"{(case.problem, case.method, case.reference)}.")
        if isinstance(acc[col], str):
            raise TypeError(f"timing.against_reference(cases[{i}].record[{col!r}]): expected a "
                            f"number to record; the accuracy column is the str {acc[col]!r}.")
    return acc


def against_reference(cases: Sequence[Case], *, recorder: Any = None, repeats: int = 3,
                      warmup: int = 1, reference_rows: bool = False,
                      formats: Mapping[str, str] | None = None) -> ReferenceTable:
    """Time the book's routines against references, compute accuracy, record, tabulate.

    Every distinct callable (``Case.run`` or ``Case.run_reference``, by
    identity) is called ``warmup + repeats`` times, all in one pass over the
    cases in their order: the first call is timed on its own (it includes JIT
    compilation), the other warm-up calls are not timed, and the steady-state
    time is the best of the ``repeats`` calls that follow. Each call waits for
    its result with ``jax.block_until_ready``.

    Parameters
    ----------
    cases : sequence of Case
        The comparisons, one table row each, in order; ``(problem, method,
        reference)`` must be unique.
    recorder : eigenbook.claims.Recorder, optional
        Receives ``time_ratio(case.ratio_name, seconds, reference_seconds)`` for
        every case with a ``ratio_name`` and ``metric(name, value, **tolerance)``
        for every column in ``case.record``. Required when any case asks to
        record something.
    repeats : int
        Steady-state timed calls, ``>= 1`` (the best is kept).
    warmup : int
        Calls before the steady state, ``>= 1``; the first of them is the timed
        first call.
    reference_rows : bool
        Also show one row per distinct ``(problem, reference)``, before the
        first case that uses it, with the reference's accuracy computed as
        ``accuracy(reference_output, reference_output)`` by that case's function
        (so a column against exact values shows the reference's own error);
        skipped for a reference that is also the ``method`` of a case of the
        same problem (it has a row already).
    formats : mapping column -> format spec, optional
        How to show accuracy columns, e.g. ``{"ARI": ".3f"}``; default ``".1e"``
        for floats, strings verbatim.

    Returns
    -------
    ReferenceTable
        The rows (with times, ratios, accuracy columns and outputs); displays
        as a Markdown table.

    Raises
    ------
    TypeError
        If a case is not a :class:`Case`, a callable is missing, or an accuracy
        function does not return a mapping of names to values.
    ValueError
        If ``cases`` is empty, ``repeats < 1`` or ``warmup < 1``, two cases share
        ``(problem, method, reference)`` or a ``ratio_name``, a recorded column
        is not computed, or something is to be recorded without a recorder.
    """
    where = "timing.against_reference"
    if isinstance(cases, Case) or not isinstance(cases, Sequence):
        raise TypeError(f"{where}(cases): expected a sequence of timing.Case; got "
                        f"{type(cases).__name__}.")
    if len(cases) == 0:
        raise ValueError(f"{where}(cases): expected at least one Case; got none.")
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"{where}(repeats=...): expected an int >= 1; got {repeats!r}.")
    if isinstance(warmup, bool) or not isinstance(warmup, int) or warmup < 1:
        raise ValueError(f"{where}(warmup=...): expected an int >= 1 (the first call is the "
                         f"timed first call); got {warmup!r}.")
    seen: set[tuple[str, str, str]] = set()
    names: set[str] = set()
    for i, case in enumerate(cases):
        _check_case(case, i)
        ident = (case.problem, case.method, case.reference)
        if ident in seen:
            raise ValueError(f"{where}(cases[{i}]): (problem, method, reference) = {ident} "
                             "appears twice.")
        seen.add(ident)
        wanted = ([f"time_ratio.{case.ratio_name}"] if case.ratio_name else []) + [
            r.name for r in case.record.values()]
        if wanted and recorder is None:
            raise ValueError(f"{where}(recorder=None): cases[{i}] asks to record {wanted}; "
                             "pass recorder=rec.")
        for n in wanted:
            if n in names:
                raise ValueError(f"{where}(cases[{i}]): metric {n!r} is recorded twice.")
            names.add(n)

    measured: dict[int, tuple[float, float, Any]] = {}

    def measure(fn: Callable[[], Any]) -> tuple[float, float, Any]:
        if id(fn) not in measured:
            start = time.perf_counter()
            out = jax.block_until_ready(fn())
            first = time.perf_counter() - start
            steady, out = best_time(fn, repeats=repeats, warmup=warmup - 1)
            measured[id(fn)] = (first, steady, out)
        return measured[id(fn)]

    rows: list[ReferenceRow] = []
    shown = {(c.problem, c.method) for c in cases}  # references with a row of their own
    keep = list(cases)  # keeps the callables alive, so their ids stay unique
    for i, case in enumerate(keep):
        ref_first, ref_s, ref_out = measure(case.run_reference)
        first, seconds, out = measure(case.run)
        if reference_rows and (case.problem, case.reference) not in shown:
            shown.add((case.problem, case.reference))
            rows.append(ReferenceRow(case.problem, case.reference, "", ref_first, ref_s,
                                     ref_first, ref_s, 1.0,
                                     _accuracy(case._replace(record={}), i, ref_out, ref_out),
                                     ref_out, ref_out))
        acc = _accuracy(case, i, out, ref_out)
        ratio = seconds / ref_s
        rows.append(ReferenceRow(case.problem, case.method, case.reference, first, seconds,
                                 ref_first, ref_s, ratio, acc, out, ref_out))
        if case.ratio_name:
            recorder.time_ratio(case.ratio_name, seconds, ref_s)
        for col, how in case.record.items():
            recorder.metric(how.name, acc[col], **how.tolerance)
    return ReferenceTable(tuple(rows), dict(formats or {}))


def xla_flops(fn: Callable[..., Any], *args: Any) -> float:
    """Floating-point operations of ``jax.jit(fn)(*args)`` as XLA counts them (nothing runs).

    A machine-independent cost: the compiled program's ``cost_analysis()["flops"]``.
    It depends on the XLA version, not on the CPU or its load.

    Parameters
    ----------
    fn : callable
        A JAX-traceable function.
    *args : arrays
        Example inputs (only their shapes and dtypes matter).

    Returns
    -------
    float
    """
    if not callable(fn):
        raise TypeError(f"timing.xla_flops(fn=...): expected a callable; got {type(fn).__name__}.")
    cost = jax.jit(fn).lower(*args).compile().cost_analysis()
    return float((cost[0] if isinstance(cost, list) else cost)["flops"])
