"""The site built from hostile texts (tests/hostile/site.py) has no tag, attribute or script a
rule or amendment file put there, on any page; the hostile texts are on the pages, escaped."""

from __future__ import annotations

import pytest

from tests.conftest import HOSTILE_SITE
from tests.hostile.site import scan

# hostile_site: the session's (tests/conftest.py), shared with tests/browser/test_hostile_site.py
pytestmark = pytest.mark.xdist_group(HOSTILE_SITE)


def test_no_page_has_a_tag_or_script_from_the_files(hostile_site):
    assert scan(hostile_site) == {}


def test_the_hostile_texts_are_shown_escaped(hostile_site):
    pages = {p.name: p.read_text(encoding="utf-8") for p in hostile_site.rglob("*.html")}
    text = "\n".join(pages.values())
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in text          # shown as text, not run
    assert "onerror=alert(1)&gt;" in text
    assert "<script>alert(2)" not in text and "<img src=x" not in text
    assert "&#123;: onclick=alert(5) &#125;" in text       # an attribute list shown as text (the scan: no attribute)
    assert "<em>fet</em>" not in text and "&#42;fet&#42;" in "\n".join(
        p.read_text(encoding="utf-8") for p in hostile_site.rglob("*.html"))     # no emphasis from a file


def test_a_hostile_heading_is_inert_in_the_navigation_and_the_title(hostile_site):
    """A heading of the agreement goes into every page's navigation and <title>, which the theme
    places unescaped (the <title> even unescapes it again): it is shown as text everywhere."""
    import re

    for page in hostile_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title, page
    s07 = (hostile_site / "paragrafer" / "s07.html").read_text(encoding="utf-8")
    assert "‹script›alert(2)‹/script›" in s07.split("</title>")[0]
    assert "§7 Rapportering &quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in s07


def test_the_scan_finds_a_stored_script(tmp_path):
    """The scan can fail: a page with a tag from a file is found."""
    (tmp_path / "a.html").write_text('<p>ok</p><img src=x onerror=alert(1)><script>alert(2)</script>'
                                     '<a href="javascript:alert(3)">x</a>', encoding="utf-8")
    assert len(scan(tmp_path)["a.html"]) == 4


def test_no_page_writer_pastes_a_value_into_a_link_or_an_id_unescaped():
    """Links and ids are built with render.tag/link (or attr() inside the quotes), never by
    pasting a value into ``href="{…}"``/``id="{…}"``/``src="{…}"``: that is how ids once reached a page raw."""
    import re

    from ..conftest import ROOT

    raw = re.compile(r"""(href|id|src)=["'][^"'{]*\{(?!attr\()""")     # the code before the fix had 7
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "src" / "avtalsregler" / "apps").rglob("*.py"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if raw.search(line) and "{base}" not in line]          # base: the site's own address, not from a file
    assert found == []
