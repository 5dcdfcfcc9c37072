"""The built documentation site in headless Chromium: every clause page shows its verbatim
text and proof statuses, search finds §11, links between clauses work, both served over HTTP
and opened from disk (file://, where the search runs without a server); screenshots are saved
under test-output/screenshots/ for a human to look at."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from avtalsregler.apps.docs import site as docs
from avtalsregler.project.agreement import normalise
from avtalsregler.apps.docs.pages import page_name
from avtalsregler.project.load import load_project

ROOT = Path(__file__).resolve().parents[2]
SITE_FILES = ("rules", "specs", "readings", "agreement", "data", "docs", "mkdocs.yml")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The project copied to a temporary folder and its site built there (the repository's
    own build/ folder is left alone)."""
    base = tmp_path_factory.mktemp("site")
    root = base / "project"
    root.mkdir()
    for name in SITE_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        elif src.exists():
            shutil.copy2(src, root / name)
    report = docs.build(root, base / "site")
    return load_project(root), report


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
