"""Tests of the browser test: it must catch what it claims to catch."""

import pytest

from .sitetools import RESOURCE_ATTR, audit, launch, serve

pytestmark = pytest.mark.site

PAGE = """<!doctype html><html><head><title>t</title></head><body>
<p>ok</p>{extra}</body></html>"""


def _audit(tmp_path, extra):
    from playwright.sync_api import sync_playwright

    (tmp_path / "index.html").write_text(PAGE.format(extra=extra))
    with serve(tmp_path) as base, sync_playwright() as pw:
        browser = launch(pw)
        try:
            return audit(browser, base + "index.html")
        finally:
            browser.close()


def test_clean_page_passes(tmp_path):
    assert _audit(tmp_path, "").problems() == []


def test_external_request_is_caught_and_blocked(tmp_path):
    result = _audit(tmp_path, '<script src="https://cdn.example.org/x.js"></script>')
    assert result.external_requests == ["https://cdn.example.org/x.js"]
    assert any("external request" in p for p in result.problems())


def test_console_error_and_broken_image_are_caught(tmp_path):
    result = _audit(tmp_path, '<img src="missing.png"><script>console.error("boom")</script>')
    problems = "\n".join(result.problems())
    assert "console error: boom" in problems and "missing.png" in problems


def test_static_scan_sees_cdn_tags_but_not_links():
    assert RESOURCE_ATTR.search('<script src="https://unpkg.com/thebe"></script>')
    assert RESOURCE_ATTR.search("<link rel='stylesheet' href='//fonts.example/x.css'>")
    assert not RESOURCE_ATTR.search('<a href="https://arxiv.org/abs/2412.11963">paper</a>')
