"""The built site: offline HTML, and every page of the toc in headless Chromium."""

from pathlib import Path

import pytest

from .sitetools import RESOURCE_ATTR, ROOT, SITE, audit, launch, serve, toc_pages

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no site at {SITE}: run `python -m eigenbook.book build --scale ci` first")
    return SITE


def test_every_toc_page_was_built(site):
    missing = [p for p in toc_pages() if not (site / p).is_file()]
    assert not missing, f"pages in _toc.yml missing from the site: {missing}"


def test_html_loads_nothing_from_outside(site):
    """Static check: no tag of any page fetches a resource from another host."""
    offenders = []
    for page in site.rglob("*.html"):
        if "_static/mathjax" in page.as_posix():
            continue
        for m in RESOURCE_ATTR.finditer(page.read_text(errors="replace")):
            offenders.append(f"{page.relative_to(site)}: {m.group(0)[:120]}")
    assert not offenders, "external resources:\n" + "\n".join(offenders[:20])


def test_every_page_in_a_real_browser(site):
    from playwright.sync_api import sync_playwright

    shots = ROOT / "_build" / "ci" / "screenshots"
    report = []
    with serve(site) as base, sync_playwright() as pw:
        browser = launch(pw)
        for page in toc_pages():
            shot = shots / (Path(page).stem + ".png") if page.startswith("chapters/") else None
            result = audit(browser, base + page, screenshot=shot)
            report += [f"{page}: {p}" for p in result.problems()]
            if page.startswith("chapters/"):
                assert result.n_images > 0, f"{page}: a chapter without figures"
                assert result.math_rendered > 0, f"{page}: no rendered math"
        browser.close()
    assert not report, "\n".join(report)
