"""Helpers for the site tests: find the built site, list its pages, serve it, audit a page."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from eigenbook.book.reader import serve  # noqa: F401  (the one local server)

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("EIGENBOOK_SITE", ROOT / "_build" / "ci" / "html"))
CHROMIUM = os.environ.get("EIGENBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
# Attributes through which a page makes the browser fetch something.
RESOURCE_ATTR = re.compile(
    r"<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?"
    r"\b(src|href|data|srcset)\s*=\s*[\"']\s*(https?:)?//", re.I)


def toc_pages(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """Every page of the table of contents, as html paths relative to the site."""
    data = yaml.safe_load(toc.read_text())
    pages = [data["root"]]

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                pages.append(e["file"])
            walk(e.get("sections"))

    for part in data.get("parts", [{"chapters": data.get("chapters")}]):
        walk(part.get("chapters"))
    return [p + ".html" for p in pages]


@dataclass
class PageAudit:
    """What one page did in a real browser."""

    url: str
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    math_rendered: int = 0
    math_errors: int = 0
    has_math_source: bool = False
    broken_images: list[str] = field(default_factory=list)
    n_images: int = 0

    def problems(self) -> list[str]:
        out = [f"external request: {u}" for u in self.external_requests]
        out += [f"console error: {m}" for m in self.console_errors]
        out += [f"failed request: {u}" for u in self.failed_requests]
        out += [f"image not loaded: {s}" for s in self.broken_images]
        if self.math_errors:
            out.append(f"{self.math_errors} MathJax errors (mjx-merror)")
        if self.has_math_source and not self.math_rendered:
            out.append("page has math but MathJax rendered none")
        return out


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def audit(browser, url: str, screenshot: Path | None = None) -> PageAudit:
    """Load ``url``; block and record anything not on 127.0.0.1; check math and images."""
    result = PageAudit(url)
    context = browser.new_context()

    def route(r):
        u = r.request.url
        if u.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            r.continue_()
        else:
            result.external_requests.append(u)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and result.console_errors.append(m.text))
    page.on("pageerror", lambda e: result.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: r.url.startswith("http://127.0.0.1")
            and result.failed_requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise)
            await MathJax.startup.promise; }""")
    result.has_math_source = page.evaluate(
        "() => document.querySelectorAll('.math, div.math, span.math').length > 0")
    result.math_rendered = page.evaluate("() => document.querySelectorAll('mjx-container').length")
    result.math_errors = page.evaluate("() => document.querySelectorAll('mjx-merror').length")
    images = page.evaluate("""() => Array.from(document.images).map(
        i => [i.currentSrc || i.src, i.complete && i.naturalWidth > 0])""")
    result.n_images = len(images)
    result.broken_images = [src for src, ok in images if not ok]
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
    context.close()
    return result
