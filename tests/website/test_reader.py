"""What a reader sees and takes home: search, numbered figures, no raw TeX, downloads, PDFs.

Screenshots of one chapter (its top, a numbered figure, the Claims table) at 1280 px are
kept under ``_build/ci/screenshots/``.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlparse

import pytest
import yaml

from .sitetools import ROOT, SITE, launch, serve

pytestmark = pytest.mark.site

SHOTS = ROOT / "_build" / "ci" / "screenshots"
SHOT_CHAPTER = "chapters/01_eigensolvers/eigensolvers.html"
# A TeX command between dollars, as left when math was not typeset.
RAW_TEX = re.compile(r"\$[^$\n]{0,300}?\\[A-Za-z]+[^$\n]{0,300}?\$")


def chapters() -> list[tuple[str, str]]:
    """(html page, title) of every chapter in the table of contents."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    out = []
    for part in toc.get("parts", []):
        for entry in part.get("chapters") or []:
            doc = entry.get("file", "")
            if doc.startswith("chapters/"):
                src = ROOT / (doc + ".md")
                title = next(line[2:].strip() for line in src.read_text().splitlines()
                             if line.startswith("# "))
                out.append((doc + ".html", title))
    return out


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no site at {SITE}: run `python -m eigenbook.book build --scale ci` first")
    return SITE


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


@pytest.fixture(scope="module")
def base(site):
    with serve(site) as url:
        yield url


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (class, href)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append((a.get("class") or "", a["href"]))


def _take_home_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [href for cls, href in parser.links
            if "download" in cls.split() or "pdf" in cls.split()]


def test_every_chapter_links_its_downloads_and_pdfs_and_they_resolve(site):
    problems = []
    for page, _ in chapters():
        links = _take_home_links((site / page).read_text())
        kinds = {Path(urlparse(h).path).suffix for h in links}
        if not {".md", ".ipynb", ".pdf", ".zip"} <= kinds:
            problems.append(f"{page}: take-home links {sorted(kinds)}, "
                            "expected .md .ipynb .pdf .zip")
        for href in links:
            target = (site / page).parent / urlparse(href).path
            if not target.is_file() or target.stat().st_size == 0:
                problems.append(f"{page}: {href} does not resolve ({target})")
    assert not problems, "\n".join(problems)


def test_downloads_resolve_over_http(site, base):
    import urllib.request

    page, _ = chapters()[0]
    for href in _take_home_links((site / page).read_text()):
        with urllib.request.urlopen(urljoin(base + page, href)) as r:
            assert r.status == 200 and len(r.read(64)) > 0, href


def test_search_finds_each_chapter_by_a_word_of_its_title(browser, base):
    missing = []
    for page, title in chapters():
        word = max(re.findall(r"[A-Za-z]{5,}", title), key=len)
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(base + "search.html?q=" + quote(word), wait_until="networkidle")
        tab.wait_for_function(
            "() => document.querySelector('#search-results') && "
            "(document.querySelectorAll('#search-results li').length > 0 || "
            "/found|did not match/i.test(document.querySelector('#search-results').innerText))",
            timeout=20_000)
        hrefs = tab.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
        if not any(page in h for h in hrefs):
            missing.append(f"{word!r} (from {title!r}) does not find {page}: {hrefs[:5]}")
        context.close()
    assert not missing, "\n".join(missing)


def _open(browser, base, page):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(base + page, wait_until="networkidle")
    tab.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise)
            await MathJax.startup.promise; }""")
    return context, tab


def test_figures_are_numbered_and_no_raw_tex_on_any_chapter_page(browser, base):
    problems = []
    for page, _ in chapters():
        context, tab = _open(browser, base, page)
        info = tab.evaluate("""() => {
            const outputs = Array.from(document.querySelectorAll('.cell_output img'));
            const unnumbered = outputs.filter(img => {
                const fig = img.closest('figure');
                return !fig || !fig.querySelector('figcaption .caption-number'); });
            const numbers = Array.from(document.querySelectorAll(
                'figure figcaption .caption-number')).map(e => e.innerText.trim());
            const art = document.querySelector('article') || document.body;
            const clone = art.cloneNode(true);
            clone.querySelectorAll('pre, code, script, style, details:not([open]) > :not(summary)')
                 .forEach(e => e.remove());
            return {n: outputs.length, unnumbered: unnumbered.length, numbers,
                    text: clone.innerText,
                    merror: document.querySelectorAll('mjx-merror').length}; }""")
        context.close()
        if info["n"] == 0 or info["unnumbered"]:
            problems.append(f"{page}: {info['unnumbered']} of {info['n']} output images are "
                            "not in a numbered figure")
        if not all(re.fullmatch(r"Fig\. \d+(\.\d+)*", n) for n in info["numbers"]):
            problems.append(f"{page}: figure numbers {info['numbers']}")
        raw = RAW_TEX.findall(info["text"])
        if raw or info["merror"]:
            problems.append(f"{page}: raw TeX {raw[:3]}, {info['merror']} MathJax errors")
    assert not problems, "\n".join(problems)


def test_claims_table_fits_1280px_and_screenshots(browser, base):
    context, tab = _open(browser, base, SHOT_CHAPTER)
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / "reader-chapter-top.png"))
    tab.locator("figure").first.scroll_into_view_if_needed()
    tab.evaluate("() => document.querySelector('figure').scrollIntoView({block: 'center'})")
    tab.screenshot(path=str(SHOTS / "reader-chapter-figure.png"))
    fits = tab.evaluate("""() => Array.from(document.querySelectorAll('section#claims table'))
        .map(t => { const box = t.closest('.pst-scrollable-table-container') || t.parentElement;
                    return [t.scrollWidth, box.clientWidth]; })""")
    tab.evaluate("() => document.querySelector('section#claims table').scrollIntoView()")
    tab.screenshot(path=str(SHOTS / "reader-chapter-claims.png"))
    # the claim-recording code is not on the page, its table is
    code = tab.evaluate("""() => Array.from(document.querySelectorAll('section#claims pre'))
        .some(p => p.innerText.includes('rec.claim('))""")
    context.close()
    assert fits, "no Claims table"
    assert all(w <= box + 1 for w, box in fits), f"Claims table wider than its column: {fits}"
    assert not code, "the claim-recording code is shown on the page"
    for name in ("top", "figure", "claims"):
        assert (SHOTS / f"reader-chapter-{name}.png").stat().st_size > 10_000


def test_pdfs_have_pages_titles_and_no_raw_tex(site):
    from pypdf import PdfReader

    problems = []
    squash = lambda s: re.sub(r"\W+", "", s).lower()  # noqa: E731  (PDF text splits words)
    books = [(site / "pdf" / "eigenbook.pdf", [t for _, t in chapters()])]
    for page, title in chapters():
        books.append((site / "pdf" / f"{Path(page).parent.name}.pdf", [title]))
    for path, titles in books:
        if not path.is_file():
            problems.append(f"missing {path}")
            continue
        reader = PdfReader(path)
        text = "\n".join(p.extract_text() or "" for p in reader.pages)
        if not reader.pages:
            problems.append(f"{path.name}: no pages")
        for title in titles:
            if squash(title) not in squash(text):
                problems.append(f"{path.name}: title {title!r} not in its text")
        raw = RAW_TEX.findall(text)
        if raw:
            problems.append(f"{path.name}: raw TeX {raw[:3]}")
    assert not problems, "\n".join(problems)


def test_raw_tex_pattern_catches_tex_and_spares_prices():
    assert RAW_TEX.search(r"the rate $\lambda_2/\lambda_1$ is")
    assert RAW_TEX.search(r"$x \le y$")
    assert not RAW_TEX.search("costs $5 and $6")
    assert not RAW_TEX.search("λ₂/λ₁ = 0.9")
