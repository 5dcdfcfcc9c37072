"""A site built from hostile texts: the second agreement with an amendment whose title,
rationale and proposer carry HTML and script, and rule texts (a summary, a description, a
sentence's declarative note) that do too. Ids cannot: they are refused at load (see the
corpus). Shared by the page scan (tests/hostile/test_site_escaping.py) and the browser test."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from tests.hostile.harness import PROJECTS

IMG = '"><img src=x onerror=alert(1)>'
SCRIPT = "<script>alert(2)</script>"
LINK = "[klicka](javascript:alert(3))"
ATTR = "{: onclick=alert(5) }"           # the attr_list extension: an attribute at the end of a heading or cell
AMEND = "amendments/tak_40_procent.yaml"
EDITS = [
    (AMEND, "title: Taket för innehållen avgift höjs till 40 %", f"title: '{IMG} Taket höjs {SCRIPT} {LINK}'"),
    (AMEND, "  Påhittat exempel:", f"  {SCRIPT} {IMG} Påhittat exempel:"),
    ("rules/s03_avgift.yaml", "description: Antalet medlemskommuner",
     f"description: '{IMG} {SCRIPT} {ATTR}' # Antalet medlemskommuner"),
    ("rules/s01_syfte.yaml", "declarative: Säger att texten", f"declarative: '{SCRIPT} {LINK}' # Säger att texten"),
    ("rules/s01_syfte.yaml", "  FIKTIV överenskommelse,", f"  {SCRIPT} {IMG} FIKTIV överenskommelse,"),
    # a heading of the agreement reaches every page's navigation and <title>, which the theme does not escape
    ("agreement/overenskommelse.txt", "§7 Rapportering", f"§7 Rapportering {IMG} {SCRIPT} {ATTR}"),
    ("rules/s07_rapportering.yaml", "title: Rapportering", f"title: 'Rapportering {IMG} {SCRIPT} {ATTR}'"),
    ("readings/a02_a04.yaml", "    question: Är det en", f"    question: {SCRIPT} {LINK} | cell | Är det en"),
    ("specs/s02_parter.yaml", "    derivation: Alfa, Beta", f"    derivation: '{IMG}' # Alfa, Beta"),
    ("specs/s02_parter.yaml", "    reason: Alla har tecknat", f"    reason: '{SCRIPT} *fet*' # Alla har tecknat"),
]


def hostile_project(base: Path) -> Path:
    root = base / "p"
    shutil.copytree(PROJECTS["andra"], root)
    for rel, old, new in EDITS:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


SITE_HANDLERS = {"window.print()"}      # the site's own handlers (the print page's button), not from a file


class Scan(HTMLParser):
    """Every tag of a page that could run or load something a rule file put there."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") and value not in SITE_HANDLERS:
                self.bad.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src") and value and value.strip().lower().startswith("javascript:"):
                self.bad.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.bad.append("<img src=x>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and "alert(" in data:
            self.bad.append(f"<script>{data[:40]}")


def scan(site: Path) -> dict[str, list[str]]:
    out = {}
    for page in sorted(site.rglob("*.html")):
        s = Scan()
        s.feed(page.read_text(encoding="utf-8"))
        if s.bad:
            out[str(page.relative_to(site))] = s.bad
    return out
