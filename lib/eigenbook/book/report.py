"""The Execution report, Claims index and Robustness pages, generated from metrics.json files."""

from __future__ import annotations

from pathlib import Path

from ..claims import claims_markdown, format_value
from . import bench, robustness
from . import metrics as mx
from .project import Project

REPORT_PAGE = "appendix/execution-report.md"
CLAIMS_PAGE = "appendix/claims-index.md"


def collect(project: Project, scale: str, seed: int = 0) -> list[dict]:
    """Every chapter's metrics at this scale (chapters not executed are skipped).

    Each file is validated (:func:`metrics.load`); ``docname`` is added.
    """
    out = []
    for ch in project.chapters():
        path = project.metrics_file(ch.slug, scale, seed)
        if path.is_file():
            data = mx.load(path)
            data["docname"] = ch.docname
            out.append(data)
    return out


def execution_report(chapters: list[dict]) -> str:
    lines = [
        "(execution-report)=",
        "# Execution report",
        "",
        "Every chapter of this site was executed by `python -m eigenbook.book execute` "
        "before the site was built; this page is generated from their `metrics.json` "
        "files. *Time ratio* is the book's routine's wall time divided by the reference "
        "library's on the same inputs, measured in the same run (below 1: the book is "
        "faster).",
        "",
        "| Chapter | Scale | Seed | Runtime (s) | Claims held | Not reproduced | "
        "Time ratio vs reference |",
        "|---|---|---|---|---|---|---|",
    ]
    for data in chapters:
        s = mx.summarize(data["claims"])
        ratios = [f"{name.removeprefix('time_ratio.')}: {format_value(m['value'])}×"
                  for name, m in data["metrics"].items() if name.startswith("time_ratio.")]
        lines.append(
            f"| {{doc}}`{data['chapter']} </{data['docname']}>` | {data['scale']} | "
            f"{data['seed']} | {data['runtime_s']:.1f} | {s.held}/{s.asserted} | "
            f"{s.not_reproduced} | {'; '.join(ratios) or '-'} |")
    if chapters:
        v = chapters[0].get("versions", {})
        lines += ["", "Versions: " + ", ".join(f"{k} {v[k]}" for k in sorted(v)) + "."]
    return "\n".join(lines) + "\n"


def papers_table(rows: list[dict]) -> tuple[str, list[str]]:
    """Per paper: its paper claims, how many are falsifiable (reproduced, held, with a
    control), and its implementation checks; and the papers with no falsifiable claim."""
    papers: dict[str, list[int]] = {}
    for c in rows:
        counts = papers.setdefault(c["paper"], [0, 0, 0])
        if c.get("kind", "paper") == "paper":
            counts[0] += 1
            counts[1] += mx.is_falsifiable(c)
        else:
            counts[2] += 1
    lines = ["| Paper | Paper claims | Falsifiable (with a failing control) | "
             "Implementation checks |", "|---|---|---|---|"]
    lines += [f"| {{cite:t}}`{key}` | {n} | {f} | {i} |"
              for key, (n, f, i) in sorted(papers.items())]
    return "\n".join(lines), sorted(k for k, (_, f, _) in papers.items() if f == 0)


def claims_index(chapters: list[dict]) -> str:
    rows = [dict(c, chapter=d["chapter"]) for d in chapters for c in d.get("claims", [])]
    s = mx.summarize(rows)
    paper_rows = [c for c in rows if c.get("kind", "paper") == "paper"]
    impl_rows = [c for c in rows if c.get("kind", "paper") == "implementation"]
    table, without = papers_table(rows) if rows else ("", [])
    none_line = ("Papers with no falsifiable claim yet: "
                 + ", ".join(f"{{cite:t}}`{k}`" for k in without) + "."
                 if without else "Every paper cited by a claim has a falsifiable claim.")
    return "\n".join([
        "(claims-index)=",
        "# Claims index",
        "",
        f"Every claim of every chapter: {s.asserted} asserted claims, of which {s.held} held "
        f"in the run that built this site, and {s.not_reproduced} shown as not reproduced at "
        "the book's scale (with the reason). Each row is asserted in its chapter: a claim "
        "that stops holding fails the chapter's execution.",
        "",
        f"A claim is *falsifiable* when it tests the paper's own statement and carries a "
        f"negative control — the same measurement on a deliberately wrong method or input — "
        f"that fails the check (the chapter's execution asserts that it does): "
        f"{s.falsifiable} of the {len(paper_rows)} paper claims are. {s.implementation} "
        "implementation checks (the book's code against a reference library, or an identity) "
        "are listed apart and count for no paper.",
        "",
        "## Per paper",
        "",
        table if rows else "*No chapter executed.*",
        "",
        none_line if rows else "",
        "",
        "## Paper claims",
        "",
        claims_markdown(paper_rows, with_chapter=True) if paper_rows else "*None.*",
        "",
        "## Implementation checks",
        "",
        claims_markdown(impl_rows, with_chapter=True) if impl_rows else "*None.*",
        "",
    ])


def write_pages(project: Project, book_dir: Path, scale: str, seed: int = 0) -> list[Path]:
    """Write the pages into the staged book source ``book_dir`` (each only if changed).

    The Execution report and Claims index of this run, and the Robustness page
    (:mod:`eigenbook.book.robustness`: from the seed runs present, "no seed runs
    yet" when there are none) with its figures, and the Performance page
    (:mod:`eigenbook.book.bench`: from ``_build/bench/results*.json``, "no
    results yet" when there are none).
    """
    chapters = collect(project, scale, seed)
    written = []
    for rel, text in ((REPORT_PAGE, execution_report(chapters)),
                      (CLAIMS_PAGE, claims_index(chapters))):
        path = book_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
        written.append(path)
    return (written + robustness.write_page(project, book_dir, scale)
            + bench.write_page(project, book_dir))
