"""Command line of the book machinery: ``python -m eigenbook.book COMMAND``.

Commands
--------
execute   run chapters with papermill (incremental, parallel; --dry-run: say what
          would run and why)
build     render the executed notebooks into the site (warnings as errors)
pdf       print each chapter and the whole book to PDF from the built site (headless
          Chromium) into _build/<run>/pdf/, linked from the site
check     compare ci metrics with tests/baselines (non-zero exit on drift)
baseline  ``--update``: rewrite baselines from the current ci metrics
report    write the Execution report and Claims index pages into the staged book
          (from the metrics present; chapters not executed are left out)
seeds     execute the chapters with each of several seeds (``--seeds 0-4``) and
          write the Robustness page (each claim per seed, its worst margin)
bench     run the benchmarks of ``benchmarks/`` (the book's routines against the
          reference libraries), write ``_build/bench/results.json`` and the
          Performance page (``--quick``: small sizes; ``--only CASE``)
test      every test stage in order (what ``make test`` runs)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import baselines, bench, execute, reader, report, robustness, site, stages
from .project import SCALES, Project


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eigenbook.book", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", default=".", help="project root (default: .)")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("execute", help="execute chapters")
    ex.add_argument("--scale", choices=SCALES, required=True)
    ex.add_argument("--only", nargs="+", metavar="SLUG", help="chapters to run (default: all)")
    ex.add_argument("-j", "--jobs", type=int, default=max(1, (os.cpu_count() or 1)),
                    help="chapters executed in parallel (default: CPU count)")
    ex.add_argument("--seed", type=int, default=0)
    ex.add_argument("--force", action="store_true", help="ignore stamps, re-execute")
    ex.add_argument("--dry-run", action="store_true",
                    help="list the chapters that would run and why; run nothing")
    ex.add_argument("--budget", choices=("auto", "fail", "warn"), default="auto",
                    help="a chapter over its scale's budget (ci 60 s, full 300 s): fail the run "
                         "or warn (default auto: fail at ci, warn at full)")

    bu = sub.add_parser("build", help="build the site")
    bu.add_argument("--scale", choices=SCALES, required=True)
    bu.add_argument("--seed", type=int, default=0)

    pd = sub.add_parser("pdf", help="print the built site's chapters and book to PDF")
    pd.add_argument("--scale", choices=SCALES, required=True)
    pd.add_argument("--seed", type=int, default=0)

    ck = sub.add_parser("check", help="compare ci metrics with baselines")
    ck.add_argument("--only", nargs="+", metavar="SLUG")

    bl = sub.add_parser("baseline", help="update baselines (deliberately)")
    bl.add_argument("--update", action="store_true", required=True)
    bl.add_argument("--only", nargs="+", metavar="SLUG")

    rp = sub.add_parser("report", help="write the report pages into the staged book")
    rp.add_argument("--scale", choices=SCALES, required=True)
    rp.add_argument("--seed", type=int, default=0)

    sd = sub.add_parser("seeds", help="execute with several seeds, write the Robustness page")
    sd.add_argument("--scale", choices=SCALES, required=True)
    sd.add_argument("--seeds", default="0-4", metavar="SEEDS",
                    help="seeds to run: 0-4, or 0,2,5-6 (default: 0-4)")
    sd.add_argument("--only", nargs="+", metavar="SLUG", help="chapters to run (default: all)")
    sd.add_argument("-j", "--jobs", type=int, default=max(1, (os.cpu_count() or 1)),
                    help="chapters executed in parallel (default: CPU count)")
    sd.add_argument("--force", action="store_true", help="ignore stamps, re-execute")

    bn = sub.add_parser("bench", help="run the benchmarks, write the Performance page")
    bn.add_argument("--only", nargs="+", metavar="CASE",
                    help="cases to run, by id or family (default: all)")
    bn.add_argument("--quick", action="store_true",
                    help="small sizes and one timed call: checks that the suite runs")
    bn.add_argument("--repeats", type=int, metavar="N",
                    help="steady-state calls per side (default: 3, quick 1)")
    bn.add_argument("--seed", type=int, default=0)
    bn.add_argument("--output", metavar="PATH",
                    help="results file (default: _build/bench/results[-<platform>].json)")
    bn.add_argument("--list", action="store_true", help="list the cases; run nothing")
    bn.add_argument("--publish", action="store_true",
                    help="also copy the results into benchmarks/results/ (committed: the "
                         "site shows them where _build/bench/ holds none); full runs only")

    te = sub.add_parser("test", help="run every test stage")
    te.add_argument("-j", "--jobs", type=int, default=2)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "test":
        return stages.run(args.jobs, root=Path(args.root))
    project = Project(args.root)
    if args.command == "execute" and args.dry_run:
        planned = execute.plan(project, project.select(args.only), scale=args.scale,
                               seed=args.seed, force=args.force)
        for item in planned:
            print(item.line())
        n = sum(item.runs for item in planned)
        print(f"would execute {n} chapter(s), {len(planned) - n} unchanged "
              f"(scale={args.scale} seed={args.seed}); nothing was run")
        return 0
    if args.command == "execute":
        chapters = project.select(args.only)
        outcomes = execute.execute(project, chapters, scale=args.scale,
                                   seed=args.seed, jobs=args.jobs, force=args.force)
        failed = [o.slug for o in outcomes if o.status == "failed"]
        ran = [o for o in outcomes if o.status == "ok"]
        table = execute.summary_table(project, chapters, scale=args.scale, seed=args.seed)
        if table.count("\n"):
            print("\n" + table)
        print(f"{len(ran)} executed, {len(outcomes) - len(ran) - len(failed)} unchanged, "
              f"{len(failed)} failed{': ' + ', '.join(failed) if failed else ''}")
        over = execute.budget_failures(project, chapters, scale=args.scale, seed=args.seed)
        enforce = args.budget == "fail" or (args.budget == "auto" and args.scale == "ci")
        for message in execute.over_target(project, chapters, scale=args.scale, seed=args.seed):
            print("note, over budget: " + message)
        for message in over:
            print(("OVER BUDGET: " if enforce else "warning, over budget: ") + message)
        if over and enforce:
            print(f"{len(over)} chapter(s) over the {execute.BUDGET_S[args.scale]:g} s budget "
                  f"of scale={args.scale}: make them cheaper (see their slowest cells above)")
        return 1 if failed or (over and enforce) else 0
    if args.command == "seeds":
        return _seeds(project, args)
    if args.command == "bench":
        return _bench(project, args)
    if args.command == "build":
        site.build(project, args.scale, args.seed)
        return 0
    if args.command == "pdf":
        reader.print_pdfs(project, args.scale, args.seed)
        return 0
    if args.command == "check":
        return 1 if baselines.check(project, project.select(args.only)) else 0
    if args.command == "baseline":
        return 1 if baselines.update(project, project.select(args.only)) else 0
    if args.command == "report":
        book = project.book_dir(args.scale, args.seed)
        for path in report.write_pages(project, book, args.scale, args.seed):
            print(f"wrote {path.relative_to(project.root)}")
        return 0
    raise AssertionError(args.command)


def _seeds(project: Project, args) -> int:
    """``seeds``: execute the chapters once per seed, then write the Robustness page."""
    seeds = robustness.parse_seeds(args.seeds)
    chapters = project.select(args.only)
    failed = []
    for seed in seeds:
        outcomes = execute.execute(project, chapters, scale=args.scale, seed=seed,
                                   jobs=args.jobs, force=args.force)
        failed += [f"{o.slug} (seed {seed})" for o in outcomes if o.status == "failed"]
    book = project.book_dir(args.scale)
    for path in robustness.write_page(project, book, args.scale, seeds):
        print(f"wrote {path.relative_to(project.root)}")
    print(f"{len(seeds)} seed(s) x {len(chapters)} chapter(s): {len(failed)} failed"
          f"{': ' + ', '.join(failed) if failed else ''}")
    return 1 if failed else 0


def _bench(project: Project, args) -> int:
    """``bench``: run the cases, write the results and the page (``_build/bench/``)."""
    if args.list:
        for family, case in bench.select(bench.discover(project), args.only):
            print(f"{case.id:<40} {family:<12} {case.book.name} vs {case.reference.name} "
                  f"(chapter {case.chapter})")
        return 0
    if args.repeats is not None and args.repeats < 1:
        raise SystemExit(f"--repeats: expected an int >= 1; got {args.repeats}")
    if args.publish and (args.quick or args.only):
        raise SystemExit("--publish: only a full run of every case is published "
                         "(drop --quick and --only)")
    _, path, measured = bench.run(project, only=args.only, quick=args.quick, seed=args.seed,
                              repeats=args.repeats,
                              output=Path(args.output) if args.output else None)
    if args.publish:
        target = bench.published_dir(project) / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text())
        print(f"published {target.relative_to(project.root)}")
    for path in bench.write_page(project, bench.results_dir(project)):
        print(f"wrote {path.relative_to(project.root)}")
    return 1 if any(c["status"] != "ok" for c in measured) else 0


if __name__ == "__main__":
    sys.exit(main())
