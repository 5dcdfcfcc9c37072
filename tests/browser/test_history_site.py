"""The site of a project with an applied amendment, in headless Chromium: the page
Ändringshistorik lists the amendment with its date, parties and rationale, §7 shows the text in
force and below it each wording with its dates, and the start page names the version."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from avtalsregler.apps.docs import site as docs
from avtalsregler.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SITE_FILES = ("rules", "specs", "readings", "agreement", "data", "docs", "amendments", "mkdocs.yml")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("history-site")
    root = base / "project"
    root.mkdir()
    for name in SITE_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        else:
            shutil.copy2(src, root / name)
    assert main(["--root", str(root), "amend", "apply", "--force", str(root / "amendments/halvarsfakturering.yaml")]) == 0
    docs.build(root, base / "site", today=datetime.date(2026, 12, 1))
    return base / "site"


def test_history_page_clause_history_and_start_page(built, site_server, page, screenshot_dir):
    base = site_server(built)
    page.goto(f"{base}andringshistorik.html")
    body = page.inner_text("article")
    assert "Ändring 1: Ersättningen faktureras halvårsvis i stället för kvartalsvis" in body
    assert "Träder i kraft: 2027-01-01" in body and "Godkänd av: Region Jämtland Härjedalen" in body
    assert "Skäl: Färre fakturor minskar administrationen" in body
    page.screenshot(path=str(screenshot_dir / "andringshistorik.png"), full_page=True)
    page.goto(f"{base}paragrafer/s07.html")
    text = page.inner_text("article")
    in_force = text.index("Avtalstexten")
    history = text.index("Lydelsens historik")
    assert in_force < text.index("ersätts kvartalsvis") < history          # the text in force on the build day
    assert history < text.index("Från 2027-01-01 och tills vidare") < text.index("ersätts halvårsvis", history)
    assert "Från början till och med 2026-12-31 — visas ovan" in text
    page.click("text=ändring 1: Ersättningen faktureras halvårsvis i stället för kvartalsvis")
    assert page.url.endswith("/andringshistorik.html#andring-1")
    page.goto(base)
    assert "Webbplatsen beskriver överenskommelsen i ursprunglig lydelse" in page.inner_text("article")
