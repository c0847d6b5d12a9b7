"""The ``metrics.json`` format: its schema, loading, validation and the claim summary.

A chapter's ``metrics.json`` (``_build/<run>/metrics/<slug>.json``) is read by
``check``, ``report``, the site and outside tools, so its format is fixed by a
JSON Schema shipped with the package, :data:`SCHEMA_PATH`
(``metrics.schema.json``, documented in ``design.md`` section 4). This module
is the only place that knows the format: the executor validates every file it
writes with :func:`validate`, readers use :func:`load`, and "claims held" is
counted by :func:`summarize` only.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["SCHEMA_PATH", "FIELDS", "MetricsError", "ClaimSummary", "schema", "problems",
           "validate", "load", "ordered", "summarize"]

SCHEMA_PATH = Path(__file__).with_name("metrics.schema.json")
FIELDS = ("chapter", "scale", "seed", "runtime_s", "versions", "claims", "metrics")
"""Top-level fields, in the order they are written."""

MAX_PROBLEMS = 10  # problems listed in one error message


class MetricsError(ValueError):
    """A metrics file that cannot be read or does not match the schema."""


class ClaimSummary(NamedTuple):
    """How a chapter's (or several chapters') claims fared.

    Attributes
    ----------
    held : int
        Asserted claims that held.
    asserted : int
        Claims asserted (``reproduced`` true), the denominator of "held".
    not_reproduced : int
        Claims shown as not reproduced at this scale (never asserted).
    falsifiable : int
        Paper claims that were reproduced, held, and carry a negative control
        (which failed the check, or the chapter would not have run).
    implementation : int
        Implementation checks among the claims (never count for a paper).
    """

    held: int
    asserted: int
    not_reproduced: int
    falsifiable: int = 0
    implementation: int = 0

    @property
    def total(self) -> int:
        """Every recorded claim."""
        return self.asserted + self.not_reproduced

    def __str__(self) -> str:
        return f"{self.held}/{self.asserted} held"


def summarize(claims: Iterable[Mapping[str, Any]]) -> ClaimSummary:
    """Count held, asserted and not-reproduced claims.

    Parameters
    ----------
    claims : iterable of dict
        Claim records as stored in ``metrics.json`` (``holds`` and
        ``reproduced`` are read).

    Returns
    -------
    ClaimSummary
    """
    held = asserted = missed = falsifiable = impl = 0
    for c in claims:
        if c["reproduced"]:
            asserted += 1
            held += bool(c["holds"])
        else:
            missed += 1
        impl += c.get("kind", "paper") == "implementation"
        falsifiable += is_falsifiable(c)
    return ClaimSummary(held, asserted, missed, falsifiable, impl)


def is_falsifiable(claim: Mapping[str, Any]) -> bool:
    """A reproduced, holding paper claim with a negative control: it tests the paper."""
    return bool(claim.get("kind", "paper") == "paper" and claim["reproduced"] and claim["holds"]
                and claim.get("control"))


@functools.cache
def schema() -> dict[str, Any]:
    """The JSON Schema of ``metrics.json`` (a dict; do not modify)."""
    return json.loads(SCHEMA_PATH.read_text())


@functools.cache
def _validator():
    import jsonschema

    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    return cls(schema())


def problems(data: Any) -> list[str]:
    """Every way ``data`` departs from the schema, one readable line each ([] if valid)."""
    found = []
    for err in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        where = "".join(f"[{p!r}]" if isinstance(p, str) else f"[{p}]" for p in err.path)
        found.append(f"at {where or 'top level'}: {_message(err)}")
    if isinstance(data, Mapping) and isinstance(data.get("claims"), list):
        ids = [c.get("id") for c in data["claims"] if isinstance(c, Mapping)]
        dup = sorted({i for i in ids if ids.count(i) > 1 and isinstance(i, str)})
        if dup:
            found.append(f"at ['claims']: claim ids are not unique: {', '.join(dup)}")
    return found


def _message(err) -> str:
    """jsonschema's message, but say what is missing when one of several fields is needed."""
    options = err.schema.get("anyOf", []) if err.validator == "anyOf" else []
    if options and all(set(o) == {"required"} and len(o["required"]) == 1 for o in options):
        names = ", ".join(repr(o["required"][0]) for o in options)
        why = err.schema.get("description", "").rstrip(".")
        return f"needs one of {names}" + (f" ({why[0].lower() + why[1:]})" if why else "")
    return err.message


def validate(data: Any, *, where: str = "metrics.json") -> dict[str, Any]:
    """Return ``data`` when it matches the schema, else raise :class:`MetricsError`.

    Parameters
    ----------
    data : dict
        A parsed ``metrics.json``.
    where : str
        What ``data`` is (a path, a chapter), named in the error message.

    Raises
    ------
    MetricsError
        Naming ``where``, the schema file and each problem (field path and what
        is wrong), e.g. ``at ['claims'][0]: 'holds' is a required property``.
    """
    found = problems(data)
    if found:
        shown = found[:MAX_PROBLEMS]
        more = len(found) - len(shown)
        raise MetricsError(
            f"{where} does not match the metrics.json schema ({SCHEMA_PATH.name}, "
            f"design.md section 4): {len(found)} problem(s):\n  " + "\n  ".join(shown)
            + (f"\n  ... and {more} more" if more else ""))
    return data


def load(path: str | os.PathLike) -> dict[str, Any]:
    """Read and validate one ``metrics.json``.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    MetricsError
        When it is not JSON or does not match the schema (the message names
        ``path``).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as err:
        raise MetricsError(f"{path} is not valid JSON: {err}") from None
    return validate(data, where=str(path))


def ordered(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with the top-level fields in the documented order (unknown fields last)."""
    out = {k: data[k] for k in FIELDS if k in data}
    out.update({k: v for k, v in data.items() if k not in out})
    return out
