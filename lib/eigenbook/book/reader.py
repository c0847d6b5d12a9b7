"""What a reader takes home from the site: downloads, the "Run this chapter" box, PDFs.

* :func:`decorate` adds, below each chapter's introduction, a box with the chapter's
  downloads (its jupytext ``.md`` source, the executed ``.ipynb``, its PDF, a zip of all
  chapters) and the commands that run it. It is applied to the staged copy of the executed
  notebook, so every chapter, old or new, gets the same box without editing its source.
* :func:`write_downloads` puts the files the box links into the built site
  (``html/downloads/``).
* :func:`print_pdfs` prints each chapter page and the whole book from the built site with
  headless Chromium (MathJax rendered, the print stylesheet hiding navigation) into
  ``_build/<run>/pdf/`` and copies them into the site (``html/pdf/``), where the box links them.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import sys
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from .project import Chapter, Project

DOWNLOADS = "downloads"  # folder of the site holding the take-home files
PDF = "pdf"              # folder of the site (and of the run) holding the PDFs
ZIP_NAME = "eigenbook-chapters.zip"
BOOK_PDF = "eigenbook.pdf"
CHROMIUM = os.environ.get("EIGENBOOK_CHROMIUM", "/usr/bin/chromium")
_BOX_ID = "eigenbook-take-home"


def chapter_title(chapter: Chapter) -> str:
    """The chapter's title: the first ``# `` heading of its source."""
    for line in chapter.source.read_text().splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return chapter.slug


def take_home_markdown(chapter: Chapter, scale: str) -> str:
    """The MyST text of a chapter's take-home box (links are relative to the chapter page)."""
    up = "../" * chapter.docname.count("/")
    name = chapter.source.name
    nb = f"{chapter.slug}.ipynb"
    link = '<a class="reference download" href="{href}" download>{text}</a>'
    items = [
        link.format(href=f"{up}{DOWNLOADS}/{name}", text=f"<code>{name}</code>")
        + " (the jupytext source)",
        link.format(href=f"{up}{DOWNLOADS}/{nb}", text=f"<code>{nb}</code>")
        + f" (executed for this page, scale={scale})",
        f'<a class="reference pdf" href="{up}{PDF}/{chapter.slug}.pdf">PDF of this chapter</a>',
        f'<a class="reference pdf" href="{up}{PDF}/{BOOK_PDF}">PDF of the book</a>',
        link.format(href=f"{up}{DOWNLOADS}/{ZIP_NAME}", text="all chapters (zip)"),
    ]
    source = chapter.source.relative_to(chapter.folder.parent.parent)
    lines = [
        ":::{admonition} Take this chapter home",
        ":class: tip take-home",
        "",
        "**Download** " + " · ".join(items) + ".",
        "",
        f"**Run this chapter** from a clone of the repository, after `make venv`: `make lab` "
        f"and open `{source}` (a notebook, by jupytext), or",
        "",
        "```bash",
        f".venv/bin/python -m eigenbook.book execute --scale ci --only {chapter.slug}",
        "```",
        "",
        "(`--scale full` runs it at the size shown on the site).",
        ":::",
    ]
    return "\n".join(lines) + "\n"


def decorate(data: bytes, chapter: Chapter, scale: str) -> bytes:
    """The executed notebook ``data`` with the take-home box after the title's cell."""
    nb = json.loads(data)
    cells = nb["cells"]
    if any(c.get("id") == _BOX_ID for c in cells):
        return data
    at = next((i + 1 for i, c in enumerate(cells) if c["cell_type"] == "markdown"
               and any(line.startswith("# ") for line in _lines(c["source"]))), 0)
    box = {"cell_type": "markdown", "id": _BOX_ID, "metadata": {},
           "source": take_home_markdown(chapter, scale).splitlines(keepends=True)}
    cells.insert(at, box)
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode()


def _lines(source) -> list[str]:
    return source.splitlines() if isinstance(source, str) else list(source)


def write_downloads(project: Project, html: Path, scale: str, seed: int = 0) -> list[Path]:
    """Copy each chapter's source and executed notebook, and a zip of all, into the site."""
    out = html / DOWNLOADS
    out.mkdir(parents=True, exist_ok=True)
    executed = project.run_dir(scale, seed) / "executed"
    written = []
    zip_path = out / ZIP_NAME
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for ch in project.chapters():
            nb = executed / f"{ch.slug}.ipynb"
            for src, dst in ((ch.source, out / ch.source.name), (nb, out / nb.name)):
                if src.is_file():
                    shutil.copyfile(src, dst)
                    written.append(dst)
                    zf.write(src, f"eigenbook-chapters/{ch.slug}/{src.name}")
    return [*written, zip_path]


# -- PDF -------------------------------------------------------------------------------
def book_pages(project: Project) -> list[str]:
    """The pages the whole-book PDF prints, in order: the front page and the chapters."""
    toc = yaml.safe_load((project.root / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        for entry in part.get("chapters") or []:
            if entry.get("file", "").startswith("chapters/"):
                pages.append(entry["file"])
    return pages


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port); yield the base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # a browser that closes a connection mid-transfer (it has what it needs) is not an
        # error of the site; anything else is still printed
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def _print_page(browser, url: str, path: Path) -> None:
    context = browser.new_context()
    # offline: anything not served from 127.0.0.1 is refused
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
        ("http://127.0.0.1", "data:", "blob:", "about:")) else r.abort())
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise)
            await MathJax.startup.promise; }""")
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4", print_background=True, outline=True,
             margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
             display_header_footer=True, header_template="<span></span>",
             footer_template='<div style="font-size:8px;width:100%;text-align:center">'
                             '<span class="pageNumber"></span> / <span class="totalPages">'
                             '</span></div>')
    context.close()


def print_pdfs(project: Project, scale: str, seed: int = 0, *, log=print) -> list[Path]:
    """Print every chapter and the whole book to PDF from the built site of a run."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    run = project.run_dir(scale, seed)
    html = run / "html"
    if not (html / "index.html").is_file():
        raise SystemExit(f"no site at {html}: run `python -m eigenbook.book build "
                         f"--scale {scale}` first")
    out = run / PDF
    out.mkdir(parents=True, exist_ok=True)
    pages = book_pages(project)
    by_doc = {ch.docname: ch for ch in project.chapters()}
    written, parts = [], []
    with serve(html) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
        for doc in pages:
            ch = by_doc.get(doc)
            name = f"{ch.slug}.pdf" if ch else f"{Path(doc).name}.pdf"
            path = out / name
            log(f"printing {doc}.html -> {path.relative_to(project.root)}")
            _print_page(browser, base + doc + ".html", path)
            parts.append(path)
            if ch:
                written.append(path)
        browser.close()
    book = PdfWriter()
    for part in parts:
        book.append(str(part), outline_item=_pdf_title(part, by_doc))
    with open(out / BOOK_PDF, "wb") as f:
        book.write(f)
    written.append(out / BOOK_PDF)
    site_pdf = html / PDF
    site_pdf.mkdir(exist_ok=True)
    for path in written:
        shutil.copyfile(path, site_pdf / path.name)
    if scale == "full" and seed == 0 and (project.root / "_build" / "html").is_dir():
        shutil.copytree(site_pdf, project.root / "_build" / "html" / PDF, dirs_exist_ok=True)
    log(f"{len(written)} PDF(s) written to {out.relative_to(project.root)}/ and linked "
        f"from the site ({site_pdf.relative_to(project.root)}/)")
    return written


def _pdf_title(path: Path, by_doc: dict[str, Chapter]) -> str:
    for ch in by_doc.values():
        if path.stem == ch.slug:
            return chapter_title(ch)
    return path.stem
