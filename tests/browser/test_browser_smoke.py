"""Smoke test: Debian Chromium, driven by Playwright, renders a local page."""

from pathlib import Path

INDEX_HTML = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Översikt – avtalsregler</title>
<style>body { font-family: sans-serif; margin: 2rem; font-size: 20px; }</style></head>
<body>
<h1>Kollektivavtal för tjänstemän</h1>
<p id="intro">Årlig lönerevision, övertid och särskild ersättning vid förläggning.</p>
<p><a href="villkor.html">Läs om allmänna villkor</a></p>
</body></html>
"""

SECOND_HTML = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Allmänna villkor</title>
<style>body { font-family: sans-serif; margin: 2rem; font-size: 20px; }</style></head>
<body>
<h1>Allmänna villkor</h1>
<p id="body">Semesterlön räknas på ordinarie lön. Övertidsersättning för ÅÄÖ åäö.</p>
</body></html>
"""


def test_open_navigate_and_screenshot(
    tmp_path: Path, site_server, page, screenshot_dir
):
    from playwright.sync_api import expect

    (tmp_path / "index.html").write_text(INDEX_HTML, encoding="utf-8")
    (tmp_path / "villkor.html").write_text(SECOND_HTML, encoding="utf-8")
    base_url = site_server(tmp_path)
    assert base_url.startswith("http://127.0.0.1:")

    page.goto(base_url)
    expect(page).to_have_title("Översikt – avtalsregler")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kollektivavtal för tjänstemän"
    )
    expect(page.locator("#intro")).to_be_visible()
    expect(page.locator("#intro")).to_contain_text("Årlig lönerevision, övertid")

    page.get_by_role("link", name="Läs om allmänna villkor").click()
    expect(page).to_have_url(base_url + "villkor.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Allmänna villkor")
    expect(page.locator("#body")).to_contain_text("ÅÄÖ åäö")

    shot = screenshot_dir / "smoke.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
