"""The Execution report, Claims index and Robustness pages, generated from metrics.json files."""

from __future__ import annotations

from pathlib import Path

from ..claims import claims_markdown, format_value
from . import bench, robustness
from . import metrics as mx
from .execute import chapter_title, read_times
from .project import Project

REPORT_PAGE = "appendix/execution-report.md"
REPORT_FIGURE = "execution-report.png"  # beside the page
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
            data["title"] = chapter_title(ch)
            out.append(data)
    return out


def execution_report(chapters: list[dict], times: dict | None = None,
                     figure: str | None = None) -> str:
    """The Execution report page.

    ``chapters``: the metrics of each chapter (from :func:`collect`, with ``title``);
    ``times``: the run's times file (:func:`eigenbook.book.execute.read_times`: budget,
    slowest cells, compile time, peak memory, environment); ``figure``: the file name
    of the runtime-and-claims figure written beside the page, if any.
    """
    times = times or {"chapters": {}}
    recorded = times.get("chapters", {})
    scales = sorted({d["scale"] for d in chapters})
    seeds = sorted({d["seed"] for d in chapters})
    budget = times.get("budget_s")
    lines = [
        "(execution-report)=",
        "# Execution report",
        "",
        "Every chapter of this site was executed by `python -m eigenbook.book execute` "
        "before the site was built; this page is generated from their `metrics.json` "
        "files and the run's `times.json`"
        + (f", at scale `{', '.join(scales)}` with seed {', '.join(map(str, seeds))}"
           if chapters else "") + ". "
        + (f"The budget is {budget:g} s of wall time per chapter (on 2 cores, two chapters at "
           "a time); a chapter over it is marked ⚠. " if budget else "")
        + "*JAX compile* is the time the kernel spent tracing, lowering and compiling JAX "
        "functions (from `jax.monitoring`); *CPU* is the kernel's processor time (on an idle "
        "machine with one chapter per core, about its wall time); *peak memory* is the "
        "kernel's largest resident set; the *slowest cells* are numbered as code cells of "
        "the chapter, with their wall time.",
        "",
        "| Chapter | Runtime (s) | CPU (s) | JAX compile (s) | Peak memory (MB) | Claims held | "
        "Not reproduced | Slowest cells (s) |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    ratio_rows = []
    for data in chapters:
        s = mx.summarize(data["claims"])
        rec = recorded.get(data["chapter"], {})
        kernel = rec.get("kernel") or {}
        over = bool(budget) and data["runtime_s"] > budget
        slow = ", ".join(f"{c['cell']}: {c['seconds']:.0f}" for c in rec.get("slowest_cells", []))
        title = data.get("title") or data["chapter"]
        lines.append(
            f"| {{doc}}`{title} </{data['docname']}>` | {data['runtime_s']:.1f}"
            f"{' ⚠' if over else ''} | {_opt(kernel.get('cpu_s'))} | "
            f"{_opt(kernel.get('compile_s'))} | "
            f"{_opt(kernel.get('peak_rss_mb'), 0)} | {s.held}/{s.asserted} | "
            f"{s.not_reproduced} | {slow or '-'} |")
        ratios = [f"{name.removeprefix('time_ratio.')}: {format_value(m['value'])}×"
                  for name, m in data["metrics"].items() if name.startswith("time_ratio.")]
        if ratios:
            ratio_rows.append(f"| {title} | {'; '.join(ratios)} |")
    over = [d for d in chapters if budget and d["runtime_s"] > budget]
    if over:
        lines += ["", "⚠ Over the budget: " + "; ".join(
            f"{d.get('title') or d['chapter']} ({d['runtime_s']:.0f} s"
            + (f"; allowed {recorded[d['chapter']]['budget_s']:g} s because "
               f"{recorded[d['chapter']]['allowance']}"
               if recorded.get(d["chapter"], {}).get("allowance") else "") + ")"
            for d in over) + "."]
    if figure:
        lines += ["", "```{figure} " + figure, ":name: fig-execution-report", ":width: 100%", "",
                  "Wall time of each chapter (left; the darker part is JAX compilation, the "
                  "dashed line the budget) and its claims (right: held, and shown as not "
                  "reproduced). A chapter whose bar crosses the line is over budget.", "```"]
    if ratio_rows:
        lines += ["", "*Time ratio* is the book's routine's wall time divided by the reference "
                  "library's on the same inputs, measured in the same run (below 1: the book "
                  "is faster).", "", "| Chapter | Time ratio vs reference |", "|---|---|",
                  *ratio_rows]
    env = environment_rows(chapters, times)
    if env:
        lines += ["", "## Environment", "", "| | |", "|---|---|", *env]
    return "\n".join(lines) + "\n"


def environment_rows(chapters: list[dict], times: dict) -> list[str]:
    """``| what | value |`` rows: the machine and the versions the chapters ran with."""
    env = dict(times.get("environment") or {})
    versions = chapters[0].get("versions", {}) if chapters else {}
    for name in ("python", "numpy", "scipy", "jax", "jaxlib"):
        if name in versions:
            env.setdefault(name, versions[name])
    order = ("python", "numpy", "scipy", "jax", "jaxlib", "blas", "blas_kernel", "blas_threads",
             "cpu", "cores")
    labels = {"python": "Python", "numpy": "NumPy", "scipy": "SciPy", "jax": "JAX",
              "jaxlib": "jaxlib", "blas": "BLAS library", "blas_kernel": "BLAS kernel",
              "blas_threads": "BLAS threads", "cpu": "CPU model", "cores": "CPU cores"}
    rows = [f"| {labels[k]} | {env[k]} |" for k in order if env.get(k) not in (None, "")]
    others = {k: v for k, v in versions.items() if k not in order}
    if others:
        rows.append("| Other packages | " + ", ".join(f"{k} {others[k]}" for k in sorted(others))
                    + " |")
    return rows


def _opt(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def report_figure(chapters: list[dict], times: dict, path: Path) -> bool:
    """Draw the runtime-and-claims figure to ``path`` (PNG, rewritten only if changed)."""
    if not chapters:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    recorded = times.get("chapters", {})
    names = [f"{d['chapter'][:2]} {d.get('title') or d['chapter']}" for d in chapters][::-1]
    runtime = [d["runtime_s"] for d in chapters][::-1]
    compile_s = [(recorded.get(d["chapter"], {}).get("kernel") or {}).get("compile_s") or 0.0
                 for d in chapters][::-1]
    sums = [mx.summarize(d["claims"]) for d in chapters][::-1]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(9.0, 0.42 * len(chapters) + 1.4), dpi=110,
                                 sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    y = range(len(chapters))
    ax.barh(y, runtime, color="tab:blue", alpha=0.45, label="wall time")
    ax.barh(y, compile_s, color="tab:blue", label="JAX compile")
    if times.get("budget_s"):
        ax.axvline(times["budget_s"], color="tab:red", ls="--", lw=1,
                   label=f"budget {times['budget_s']:g} s")
    ax.set_yticks(list(y), [n if len(n) <= 40 else n[:39] + "…" for n in names], fontsize=7)
    ax.set_xlabel("seconds", fontsize=8)
    ax.legend(fontsize=6, loc="lower right", frameon=False)
    bx.barh(y, [s.held for s in sums], color="tab:green", label="held")
    bx.barh(y, [s.not_reproduced for s in sums], left=[s.held for s in sums],
            color="tab:gray", label="not reproduced")
    bx.set_xlabel("claims", fontsize=8)
    bx.legend(fontsize=6, loc="lower right", frameon=False)
    for a in (ax, bx):
        a.tick_params(labelsize=7)
        a.grid(axis="x", lw=0.3, alpha=0.5)
    robustness.save_png(fig, path)
    return True


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
    times = read_times(project, scale, seed)
    written = []
    figure_path = book_dir / Path(REPORT_PAGE).parent / REPORT_FIGURE
    figure = REPORT_FIGURE if report_figure(chapters, times, figure_path) else None
    for rel, text in ((REPORT_PAGE, execution_report(chapters, times, figure)),
                      (CLAIMS_PAGE, claims_index(chapters))):
        path = book_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
        written.append(path)
    if figure:
        written.append(figure_path)
    return (written + robustness.write_page(project, book_dir, scale)
            + bench.write_page(project, book_dir))
