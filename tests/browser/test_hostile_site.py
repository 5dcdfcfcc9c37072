"""The site built from hostile texts (tests/hostile/site.py) opened in headless Chromium:
no page runs a script a rule or amendment file carried (no dialog opens on any page, over HTTP
and from disk). A page with such a script does open one, so the check can fail."""

from __future__ import annotations

import pytest

from tests.conftest import HOSTILE_SITE

# hostile_site: the session's (tests/conftest.py), shared with tests/hostile/test_site_escaping.py
pytestmark = pytest.mark.xdist_group(HOSTILE_SITE)


def _dialogs(page, urls: list[str]) -> list[str]:
    seen: list[str] = []

    def on_dialog(dialog):
        seen.append(f"{page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)           # an onerror handler runs once the broken image fails
    return seen


@pytest.mark.parametrize("how", ["http", "file"])
def test_no_page_of_the_hostile_site_opens_a_dialog(hostile_site, site_server, page, how):
    base = site_server(hostile_site) if how == "http" else hostile_site.resolve().as_uri() + "/"
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    assert "index.html" in pages and "andring.html" in pages and len(pages) > 8
    assert _dialogs(page, [base + p for p in pages]) == []


def test_a_page_with_a_stored_script_does_open_a_dialog(tmp_path, site_server, page):
    (tmp_path / "a.html").write_text("<p>x</p><img src=x onerror=alert(1)><script>alert(2)</script>", encoding="utf-8")
    assert len(_dialogs(page, [site_server(tmp_path) + "a.html"])) == 2


@pytest.mark.parametrize("how", ["http", "file"])
def test_searching_the_hostile_texts_opens_no_dialog(hostile_site, site_server, page, how):
    """The search shows titles and texts from its index as HTML: the hostile heading, reading and
    amendment texts come out of it as text (the results are there, and no dialog opens)."""
    base = site_server(hostile_site) if how == "http" else hostile_site.resolve().as_uri() + "/"
    seen: list[str] = []
    page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    page.goto(base + "index.html")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("rapportering", delay=30)   # §7, whose heading carries the hostile texts
    results = page.locator(".md-search-result__link", has_text="§7")
    results.first.wait_for(timeout=15_000)
    assert "<script>alert(2)</script>" in results.first.inner_text()   # the heading, shown as text
    page.wait_for_timeout(300)                         # a broken image's onerror would have run by now
    assert seen == []
    assert page.locator(".md-search-result img, .md-search-result script").count() == 0
