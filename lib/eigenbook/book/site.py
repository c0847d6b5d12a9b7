"""Stage the executed notebooks into a book source folder and build the site.

The staged source ``_build/<run>/book/`` holds the book's configuration, its
front matter and appendices, each chapter's assets, the *executed* notebooks
(in place of the jupytext sources, so that Sphinx never sees two files for one
page) and the generated report pages. Files are copied only when their content
changed, so Sphinx's incremental build stays incremental. Jupyter Book then
renders it with execution off and warnings as errors.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from . import reader, report
from .project import Project

# Book source outside chapters/: configuration, front matter, appendices, assets.
BOOK_FILES = ("_config.yml", "_toc.yml", "references.bib")
BOOK_GLOBS = ("*.md", "appendix/**/*", "_static/**/*")
NOT_BOOK = {"README.md", "CONTRIBUTING.md"}


def _wanted(project: Project, scale: str, seed: int) -> dict[Path, Path]:
    """Map staged relative path -> source file."""
    root, run = project.root, project.run_dir(scale, seed)
    files: dict[Path, Path] = {Path(name): root / name for name in BOOK_FILES}
    for pattern in BOOK_GLOBS:
        for src in root.glob(pattern):
            if src.is_file() and src.name not in NOT_BOOK:
                files[src.relative_to(root)] = src
    missing = []
    for ch in project.chapters():
        for src in ch.folder.rglob("*"):
            if src.is_file() and src.suffix not in (".md", ".ipynb") \
                    and "__pycache__" not in src.parts:
                files[src.relative_to(root)] = src
        executed = run / "executed" / f"{ch.slug}.ipynb"
        if not executed.is_file():
            missing.append(ch.slug)
        files[Path(ch.docname + ".ipynb")] = executed
    if missing:
        raise SystemExit(f"not executed at scale={scale}: {', '.join(missing)}. Run "
                         f"`python -m eigenbook.book execute --scale {scale}` first.")
    return files


def stage(project: Project, scale: str, seed: int = 0) -> Path:
    """Create/refresh the staged book source, report pages included; return its folder."""
    book = project.book_dir(scale, seed)
    wanted = _wanted(project, scale, seed)
    pages = {Path(ch.docname + ".ipynb"): ch for ch in project.chapters()}
    for rel, src in wanted.items():
        dst = book / rel
        data = src.read_bytes()
        if rel in pages:  # the executed notebook, with its take-home box
            data = reader.decorate(data, pages[rel], scale)
        if not dst.is_file() or dst.read_bytes() != data:
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(data)
    generated = {p.relative_to(book) for p in report.write_pages(project, book, scale, seed)}
    for path in sorted(book.rglob("*"), reverse=True):
        rel = path.relative_to(book)
        if path.is_file() and rel not in wanted and rel not in generated:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return book


def build(project: Project, scale: str, seed: int = 0, *, log=print) -> Path:
    """Build the site of a run with warnings as errors; return the html folder."""
    run = project.run_dir(scale, seed)
    book = stage(project, scale, seed)
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb if jb.exists() else "jupyter-book"), "build", str(book),
           "--path-output", str(run), "--builder", "html", "-W", "-n", "--keep-going"]
    log(f"building the {scale} site: {' '.join(cmd[1:3])} ...")
    # Sphinx 7.4 does not overwrite a static file it copied before: drop the book's own
    # (_static/ of the project), so that an edited stylesheet reaches an incremental build.
    for own in (p for p in (project.root / "_static").glob("**/*") if p.is_file()):
        (run / "_build" / "html" / own.relative_to(project.root)).unlink(missing_ok=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        problems = [line for line in (proc.stdout + proc.stderr).splitlines()
                    if "WARNING" in line or "ERROR" in line or "Error" in line]
        log("\n".join(problems[-40:]) or (proc.stdout + proc.stderr)[-4000:])
        raise SystemExit(f"jupyter-book build failed ({len(problems)} warning/error lines)")
    html = run / "html"
    reader.write_downloads(project, run / "_build" / "html", scale, seed)
    _replace_tree(run / "_build" / "html", html)
    if scale == "full" and seed == 0:
        _replace_tree(html, project.root / "_build" / "html")
        html = project.root / "_build" / "html"
    log(f"site written to {html.relative_to(project.root)}/index.html")
    return html


def _replace_tree(src: Path, dst: Path) -> None:
    tmp = dst.with_name(dst.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp)
    shutil.rmtree(dst, ignore_errors=True)
    tmp.rename(dst)
