"""The built documentation site in headless Chromium: every clause page shows its verbatim
text and proof statuses, search finds §11, links between clauses work, both served over HTTP
and opened from disk (file://, where the search runs without a server); screenshots are saved
under test-output/screenshots/ for a human to look at."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest

from avtalsregler.project.agreement import normalise
from avtalsregler.apps.docs.pages import page_name
from avtalsregler.project.load import load_project

from tests.conftest import SITE

# The site is the session's (tests/conftest.py, built_site): these tests only read it.
pytestmark = pytest.mark.xdist_group(SITE)


@pytest.fixture(scope="module")
def built(built_site):
    """The project copied to a temporary folder and its site built there (the repository's
    own build/ folder is left alone), once for the session."""
    return load_project(built_site.root), built_site.report


def url(base: str, cid: str) -> str:
    return f"{base}paragrafer/{page_name(cid)[:-3]}.html"


@pytest.fixture(params=["http", "file"])
def base(request, built, site_server):
    """The site's address: served over HTTP, or opened from disk as a reader does who got the
    folder (every link must lead to a page, the search must work without a server)."""
    _, report = built
    if request.param == "file":
        return report.site.resolve().as_uri() + "/"
    return site_server(report.site)


def first_words(text: str, n: int = 8) -> str:
    words = [w for w in normalise(text).replace("•", " ").split() if w]
    return " ".join(words[:n])


def test_every_clause_page_shows_text_and_proof_status(built, base, page):
    from playwright.sync_api import expect

    project, report = built
    by_id = {r.clause.id: r for r in report.results}
    for cid in project.agreement.clauses:
        page.goto(url(base, cid))
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"{cid} {project.agreement.heading(cid)}")
        quote = page.locator("blockquote.avtalstext")
        expect(quote).to_be_visible()
        shown = normalise(quote.inner_text())
        assert first_words(project.agreement.body(cid)) in shown, cid
        if cid not in project.clauses:
            expect(page.get_by_text("ännu inte kodad").first).to_be_visible()
            continue
        result = by_id[cid]
        for proof in result.proofs:
            if proof.kind != "invariant":
                continue
            box = page.locator(f"#inv-{proof.name}")
            expect(box).to_be_visible()
            status = {"proved": "bevisad", "counterexample": "motexempel", "unknown": "okänd"}[proof.status]
            expect(box.locator(".status").first).to_have_text(status)


def test_search_finds_uppsagning_and_reaches_s11(built, base, page):
    from playwright.sync_api import expect

    page.goto(base + "index.html")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("uppsägning", delay=30)   # as typed: the theme searches on key events
    result = page.locator(".md-search-result__link", has_text="§11")
    expect(result.first).to_be_visible(timeout=15_000)
    result.first.click()
    expect(page).to_have_url(re.compile(r"/paragrafer/s11\.html"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("§11 Uppsägning")
    expect(page.locator("blockquote.avtalstext")).to_contain_text("senast 12 månader")


def test_link_from_s12_to_s4(built, base, page):
    from playwright.sync_api import expect

    page.goto(url(base, "§12"))
    related = page.locator("h2#relaterade-paragrafer + ul")
    related.get_by_role("link", name=re.compile("§4")).click()
    expect(page).to_have_url(re.compile(r"/paragrafer/s04\.html$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("§4 Överenskommelsens omfattning"))
    expect(page.locator("blockquote.avtalstext li")).to_have_count(5)


def test_screenshots(built, site_server, page, screenshot_dir):
    from playwright.sync_api import expect

    _, report = built
    base = site_server(report.site)
    for name, where, heading in (("start", base, "Överenskommelsen om regional samverkan"),
                                 ("s12", url(base, "§12"), "§12 Tvist")):
        page.goto(where)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        shot = screenshot_dir / f"site-{name}.png"
        shot.unlink(missing_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# Every place where a line wraps inside a word of the page's text: the characters before and
# after the break. A break is allowed at a space, after a hyphen or an underscore, and at a soft
# hyphen; anything else is a word cut mid-word.
BREAKS_INSIDE_WORDS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector('.md-content'), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('pre, details:not([open])') || !el.offsetParent) continue;
    const text = node.textContent;
    let top = null;
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const r = range.getClientRects()[0];
      if (!r) continue;
      if (top !== null && r.top > top + 2 && i > 0 && /\\S/.test(text[i - 1]) && /\\S/.test(text[i])
          && !/[-_\\u00ad\\u2013]/.test(text[i - 1])) {
        out.push(text.slice(Math.max(0, i - 15), i) + '|' + text.slice(i, i + 15));
      }
      top = r.top;
    }
  }
  return out;
}"""


@pytest.mark.parametrize("cid", ["§1", "§7", "§11"])
def test_long_names_do_not_break_mid_word_on_a_phone(built, site_server, browser, cid, screenshot_dir):
    """On a 390 px wide screen the §1, §7 and §11 pages (long names such as
    overenskommelserna_uppfyller_1 and befolkning_tecknade) wrap only between words, after a
    hyphen or after an underscore (tables scroll sideways instead of squeezing their columns)."""
    _, report = built
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    try:
        page = context.new_page()
        page.goto(url(site_server(report.site), cid))
        cut = page.evaluate(BREAKS_INSIDE_WORDS)
        if cid == "§7":
            shot = screenshot_dir / "site-s07-telefon.png"
            page.screenshot(path=str(shot), full_page=False)
        assert cut == [], cut[:10]
    finally:
        context.close()


def test_the_print_edition_holds_every_clause_without_the_navigation(built, site_server, page, screenshot_dir):
    from playwright.sync_api import expect

    project, report = built
    page.goto(site_server(report.site) + "utskrift.html")
    headings = page.locator("h2.paragraf")
    expect(headings).to_have_count(len(project.agreement.clauses))
    for i, cid in enumerate(project.agreement.clauses):
        expect(headings.nth(i)).to_have_text(re.compile(rf"^{cid} {re.escape(project.agreement.heading(cid))}"))
    expect(page.locator("blockquote.avtalstext")).to_have_count(len(project.agreement.clauses))
    # a link between clauses stays within the page
    page.locator("h2#s12 ~ ul a", has_text="§4").first.click()
    expect(page).to_have_url(re.compile(r"utskrift\.html#s04$"))
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    assert page.evaluate("getComputedStyle(document.querySelector('h2.paragraf')).breakBefore") == "page"
    shot = screenshot_dir / "site-utskrift.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=str(shot), full_page=False)
    pdf = page.pdf(format="A4")
    # each clause starts a sheet: at least one page per clause
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) >= len(project.agreement.clauses)


class _SiteWith404(http.server.SimpleHTTPRequestHandler):
    """A static host that serves the site under /avtal/ and its 404.html for a missing page,
    as GitHub Pages does for a project site."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "avtal" / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_the_404_page_keeps_its_style_under_a_sub_path(built, tmp_path, page, screenshot_dir):
    """The site lies under /avtal/ on a host: a missing page gets the site's 404 page in
    Swedish, with the theme's style sheets (built without site_url, they load relative to the
    site's folder, not from /; with site_url, MkDocs writes them from its path)."""
    from playwright.sync_api import expect

    _, report = built
    host = tmp_path / "host"
    host.mkdir()
    shutil.copytree(report.site, host / "avtal")
    handler = functools.partial(_SiteWith404, directory=str(host))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/avtal/"
        colour = "getComputedStyle(document.querySelector('.md-header')).backgroundColor"
        page.goto(base + "index.html")
        indigo = page.evaluate(colour)
        assert indigo not in ("rgba(0, 0, 0, 0)", "transparent"), indigo
        response = page.goto(base + "finns-inte.html")
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
        assert page.evaluate(colour) == indigo                # the theme's style sheets loaded
        page.get_by_role("link", name="startsidan").click()
        expect(page).to_have_url(base + "index.html")
        shot = screenshot_dir / "site-404.png"
        shot.unlink(missing_ok=True)
        page.goto(base + "finns-inte.html")
        page.screenshot(path=str(shot))
    finally:
        server.shutdown()
        server.server_close()
