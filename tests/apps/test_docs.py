"""The documentation site generator: pages, notation, the owned folder, the MkDocs build."""

from __future__ import annotations

import datetime
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from avtalsregler.apps.docs import site as docs
from avtalsregler.project.agreement import normalise
from avtalsregler.cli.main import main
from avtalsregler.apps.docs.facts import render_facts
from avtalsregler.apps.docs.pages import page_name
from avtalsregler.apps.docs.formula import Notation, agreement_html
from avtalsregler.apps.docs.render import Safe
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.language.expr import Scope
from avtalsregler.language.parser import parse_expr
from avtalsregler.language.functions import BUILTINS
from avtalsregler.project.load import load_project
from avtalsregler.language.types import MONEY, Type

from tests.conftest import AMENDMENT_SITE

ROOT = Path(__file__).resolve().parents[2]
SITE_FILES = ("rules", "specs", "readings", "agreement", "data", "docs", "mkdocs.yml")
TODAY = datetime.date(2024, 5, 17)


def copy_site_project(dest: Path) -> Path:
    for name in SITE_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


def text_of_html(s: str, sep: str = " ") -> str:
    return normalise(html.unescape(re.sub(r"<[^>]+>", sep, s.replace("<wbr>", ""))))


@pytest.fixture(scope="module")
def generated(project, check_results):
    results = check_results
    version = docs.Version("9.9.9", "abc123", TODAY)
    return docs.generate(project, results, ROOT, version)


# -- pages ----------------------------------------------------------------------------------------

def test_one_page_per_clause_with_its_verbatim_text(project, generated):
    assert len(project.agreement.clauses) == 14
    for cid in project.agreement.clauses:
        page = generated[f"paragrafer/{page_name(cid)}"]
        assert page.startswith(f"# {cid} {project.agreement.heading(cid)}")
        body = normalise(project.agreement.body(cid)).replace(" •", "").replace("• ", "")
        shown = text_of_html(page).replace(" •", "")
        # The whole clause, word for word (bullets become list items), is on its page.
        assert normalise(body.replace("•", "")) in normalise(shown.replace("•", "")), cid


def test_uncoded_clause_says_so(project, generated):
    for cid in project.agreement.clauses:
        page = generated[f"paragrafer/{page_name(cid)}"]
        if cid in project.clauses:
            assert "ännu inte kodad" not in page
        else:
            assert "ännu inte kodad" in page and "## Regeln" not in page


def test_sections_in_order_on_a_coded_clause(generated):
    page = generated["paragrafer/s12.md"]
    heads = ["## Avtalstexten", "## Vad det betyder", "## Regeln", "## Vad som garanteras",
             "## Räknade exempel", "## Läsningar och öppna frågor", "## Relaterade paragrafer"]
    positions = [page.index(h) for h in heads]
    assert positions == sorted(positions)
    assert "[§4 Överenskommelsens omfattning](s04.md)" in page
    assert "[§7 Ersättning](s07.md)" in page


def test_s12_rule_is_shown_readably(project, generated):
    page = generated["paragrafer/s12.md"]
    text = text_of_html(page)
    formulas = text_of_html(page, "")
    # The parameter next to the words it comes from (s12.3: "högst vara 50%").
    assert re.search(r"^\| \*\*50\s%\*\* \| ”högst vara 50%” \|", page, re.M)
    # The definition of the cap, as mathematics: 50 % of the area's compensation, rounded down.
    assert ("tak_innehallen_ersattning = om oenighet_om_utforande så "
            "⌊50 % × ersattning_omtvistat_omrade⌋, annars 0 kr") in formulas
    # never raw YAML or the rule file's notation, except in the folded technical form
    shown = re.sub(r'<details class="teknisk">.*?</details>', "", page)
    assert "expr:" not in shown and "floor(" not in shown
    assert ("<summary>Teknisk form</summary><pre><code>floor(hogsta_andel_innehallen * "
            "ersattning_omtvistat_omrade) if oenighet_om_utforande else 0</code></pre>") in page
    # Each invariant with its reason and its proof status; all nine are proved.
    spec = project.specs["§12"]
    for inv in spec.invariants:
        assert f'id="inv-{inv.name}"' in page
        assert inv.reason in text
    assert page.count('status-proved">bevisad</span>') >= len(spec.invariants)
    # Worked examples: given → expected, with the derivation and the outcome.
    assert "100 000,00 kr" in text and "900 000,00 kr" in text
    assert "stämmer inte" not in page
    # Readings with alternatives and effect; the open question is marked.
    assert "R12-bilaga1" in page and "öppen fråga" in page
    assert "Lika delar, en femtedel per område." in text


def test_start_page_overview(project, generated):
    index = generated["index.md"]
    assert "avtalsregler 9.9.9 · commit abc123 · byggd 2024-05-17" in index
    for cid in project.agreement.clauses:
        assert f"({docs.CLAUSE_DIR}/{page_name(cid)})" in index
    # §12: 6 examples, 9 invariants (counted in specs/s12_tvist.yaml).
    row = next(line for line in index.splitlines() if line.startswith("| [§12 Tvist]"))
    assert "| 7/7 | 13/13 |" in row and "kodad, allt håller" in row
    for cid in project.agreement.clauses:
        row = next(line for line in index.splitlines() if line.startswith(f"| [{cid} "))
        assert ("ännu inte kodad" in row) == (cid not in project.clauses), row


def test_register_and_glossary(project, generated):
    register = generated["lasningar.md"]
    for rid in project.readings:
        assert f"### {rid} {{#{rid.lower()}}}" in register
    glossary = generated["ordlista.md"]
    for term in ("ersättning", "uppsägning", "innehållen ersättning", "giltighetstid", "förlängning",
                 "verksamhetsår", "befolkningsmängd", "kvartalsvis i förskott", "samverkansråd"):
        assert f"| **{term}** |" in glossary, term


def test_bad_glossary_points_at_the_line(tmp_path):
    root = copy_site_project(tmp_path)
    (root / "docs" / "glossary.yaml").write_text("terms:\n  - sv: ord\n    en: word\n", encoding="utf-8")
    with pytest.raises(AvtalsreglerError) as err:
        docs.render_glossary(root, load_project(root))
    assert "glossary.yaml:2:5" in err.value.format() and "'note'" in err.value.format()


# -- notation --------------------------------------------------------------------------------------

def _scope(project):
    names = {"a": MONEY, "b": MONEY, "c": MONEY, "ok": Type("bool"),
             "m": Type("map", enum="omrade", elem=MONEY)}
    return Scope(names, project.enums, BUILTINS)


@pytest.mark.parametrize("source, shown", [
    ("(a + b) * 2", "(a + b) × 2"),
    ("a - (b - c)", "a − (b − c)"),
    ("a - b - c", "a − b − c"),
    ("a + 1", "a + 1 öre"),
    ("a >= 100", "a ≥ 1 kr"),
    ("sum(o in omrade, m[o]) == a", "∑o ∈ omrade m[o] = a"),
    ("forall(o in omrade, m[o] >= 0)", "för varje o ∈ omrade: m[o] ≥ 0 kr"),
    ("count(o in omrade, m[o] > a)", "antalet o ∈ omrade där m[o] > a"),
    ("a if ok else (b if not ok else c)", "om ok så a, annars om inte ok så b, annars c"),
    ("implies(ok and a > b, m['kurs_och_konferens'] == 0)",
     "om ok och a > b så m[”Kurs och konferens”] = 0 kr"),
    ("floor(a / 3) + ceil(b / 2) + abs(c)", "⌊a / 3⌋ + ⌈b / 2⌉ + |c|"),
    ("a // 4 + min(a, b)", "⌊a / 4⌋ + min(a, b)"),
    ("ok == (a <= b)", "ok = (a ≤ b)"),
])
def test_notation(project, source, shown):
    from avtalsregler.errors import Span

    e = parse_expr(source, Span("t", 1, 1), None, _scope(project))
    assert text_of_html(Notation(None, project.enums, lambda n: n).render(e), "") == shown


def test_agreement_text_keeps_lists_and_forms(project):
    s4 = agreement_html(project.agreement.body("§4"))
    assert s4.count("<li>") == 5 and "<li>Kurs och konferens</li>" in s4
    s3 = agreement_html(project.agreement.body("§3"))
    # The extraction broke a bullet over a blank line; it is one item again.
    assert ("<li>ansöka om och administrera gemensamma projekt utifrån behov identifierade i "
            "samverkansarenorna</li>") in s3
    assert "Namn<br>" in agreement_html(project.agreement.body("§13"))


# -- facts hook ------------------------------------------------------------------------------------

def test_start_page_facts_are_declared_by_the_rules_and_computed_by_them(project):
    """2024-05-17 (worked out by hand from §10–§11): the first period ran 2019-01-01 – 2021-12-31,
    the first renewal 2022-01-01 – 2024-12-31; its notice deadline, 12 months before its end,
    was 2023-12-31, which has passed. The next period, the second renewal, runs 2025-01-01 –
    2027-12-31; its deadline is 12 months before its end, 2026-12-31."""
    facts = {t: (m, c) for t, m, c in render_facts(project, [], TODAY)}
    text, computed = facts["Avtalsperiod och sista dag för uppsägning"]
    assert computed
    assert "Den 2024-05-17 gäller överenskommelsen i förlängning 1, **2022-01-01 – 2024-12-31**." in text
    assert "Fristen för att avsluta den här perioden (2023-12-31) har passerat" in text
    assert "Nästa sista dag för uppsägning är **2026-12-31**" in text and "**2027-12-31**" in text
    assert "[§11](paragrafer/s11.md)" in text and "[R11-senast](lasningar.md#r11-senast)" in text
    first = dict((t, m) for t, m, _ in render_facts(project, [], datetime.date(2019, 3, 1)))
    t1 = first["Avtalsperiod och sista dag för uppsägning"]
    assert "i den första perioden, **2019-01-01 – 2021-12-31**" in t1 and "har passerat" not in t1
    assert "Sista dag för uppsägning är **2020-12-31**" in t1


def test_a_fact_outside_the_rules_range_says_why(project):
    out = {t: (m, c) for t, m, c in render_facts(project, [], datetime.date(2201, 1, 1))}
    text, computed = out["Avtalsperiod och sista dag för uppsägning"]
    assert not computed and text.startswith("Kunde inte beräknas") and "2200-12-31" in text


def test_a_fact_with_an_unknown_slot_is_a_load_error(project_copy):
    rule = project_copy / "rules" / "s11_uppsagning.yaml"
    text = rule.read_text(encoding="utf-8")
    rule.write_text(text.replace("i förlängning {fornyelse_nummer}", "i förlängning {fornyelsenummer}"),
                    encoding="utf-8")
    with pytest.raises(AvtalsreglerError) as e:
        load_project(project_copy)
    assert "{fornyelsenummer}" in e.value.message and "fornyelse_nummer" in (e.value.hint or "")
    assert e.value.span.path.endswith("s11_uppsagning.yaml")


# -- the owned folder ------------------------------------------------------------------------------

def test_owned_folder_refuses_foreign_and_edited_files(tmp_path):
    gen = tmp_path / "gen"
    docs.write_generated(gen, {"a.md": Safe("A\n"), "sub/b.md": Safe("B\n")})
    docs.write_generated(gen, {"a.md": Safe("A2\n")})                  # our own files: replaced freely
    assert (gen / "a.md").read_text() == "A2\n" and not (gen / "sub").exists()
    (gen / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(docs.DocsError, match="notes.md"):
        docs.write_generated(gen, {"a.md": Safe("A3\n")})
    assert (gen / "notes.md").read_text() == "mine"
    (gen / "notes.md").unlink()
    (gen / "a.md").write_text("edited by hand", encoding="utf-8")
    with pytest.raises(docs.DocsError, match="edited by hand"):
        docs.write_generated(gen, {"a.md": Safe("A3\n")})
    moved = docs.write_generated(gen, {"a.md": Safe("A3\n")}, force=True)
    assert len(moved) == 1
    backup = next(tmp_path.glob("gen.bak-*"))
    assert (backup / "a.md").read_text() == "edited by hand"      # the way back
    assert (gen / "a.md").read_text() == "A3\n"


def test_folder_without_marker_is_not_ours(tmp_path):
    folder = tmp_path / "docs-src"
    folder.mkdir()
    (folder / "index.md").write_text("hand-written", encoding="utf-8")
    with pytest.raises(docs.DocsError, match="did not write"):
        docs.write_generated(folder, {"index.md": Safe("generated")})
    assert (folder / "index.md").read_text() == "hand-written"


def test_output_folder_guard(tmp_path):
    root = copy_site_project(tmp_path / "p")
    other = tmp_path / "mine"
    other.mkdir()
    (other / "thesis.tex").write_text("x", encoding="utf-8")
    code = main(["--root", str(root), "docs", "--output", str(other), "--date", "2024-05-17"])
    assert code == 2 and (other / "thesis.tex").exists()
    assert main(["--root", str(root), "docs", "--output", str(root)]) == 2


# -- building --------------------------------------------------------------------------------------

@pytest.mark.slow   # a whole MkDocs build (10–40 s)
def test_build_is_strict_and_shows_version(tmp_path, capsys):
    root = copy_site_project(tmp_path / "p")
    site = tmp_path / "site"
    assert main(["--root", str(root), "docs", "--output", str(site), "--date", "2024-05-17"]) == 0
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'lang="sv"' in index
    assert "avtalsregler" in index and "byggd 2024-05-17" in index
    for cid in ("§1", "§4", "§11", "§12", "§14"):
        assert (site / "paragrafer" / (page_name(cid)[:-3] + ".html")).is_file()
    assert (site / "search" / "search_index.json").is_file()
    # Building again is allowed (the folders are ours), and the pages are rebuilt.
    assert main(["--root", str(root), "docs", "--output", str(site), "--date", "2024-05-18"]) == 0
    assert "byggd 2024-05-18" in (site / "index.html").read_text(encoding="utf-8")
    out = capsys.readouterr().out
    assert "generated" in out and "mkdocs" in out


@pytest.mark.slow   # a whole MkDocs build (10–40 s)
def test_breaking_an_invariant_shows_the_counterexample(tmp_path):
    """Raising the cap of §12 from 50 % to 60 % breaks 'hogst_halften_av_omradet': the page
    shows motexempel with the values in kronor (and the proof of it by hand: with the area's
    compensation x > 0 and a dispute in progress, the cap is ⌊0.6·x⌋ and 2·⌊0.6·x⌋ > x for
    x ≥ 2, e.g. x = 1,00 kr: 2 × 0,60 kr = 1,20 kr > 1,00 kr)."""
    root = copy_site_project(tmp_path / "p")
    rule = root / "rules" / "s12_tvist.yaml"
    text = rule.read_text(encoding="utf-8")
    assert "value: 50%" in text
    rule.write_text(text.replace("value: 50%", "value: 60%"), encoding="utf-8")
    site = tmp_path / "site"
    assert main(["--root", str(root), "docs", "--output", str(site), "--date", "2024-05-17"]) == 0
    page = (site / "paragrafer" / "s12.html").read_text(encoding="utf-8")
    block = page[page.index('id="inv-hogst_halften_av_omradet"'):]
    block = block[:block.index('<div class="invariant"', 10)]
    assert "motexempel" in block and "bevisad" not in block
    shown = text_of_html(block)
    assert "Motexempel" in shown
    assert re.search(r"ersattning_omtvistat_omrade \(uträknat\) .*? \d[\d ]*,\d\d kr", shown)
    assert re.search(r"hogsta_innehallna_belopp \(uträknat\) .*? \d[\d ]*,\d\d kr", shown)
    assert "Kurs och konferens" in shown or "EU och" in shown or "Social" in shown \
        or "Samhällsbyggnad" in shown or "Arbetsmarknad" in shown
    # The other invariants that do not depend on the 50 % still hold.
    other = page[page.index('id="inv-inget_utan_tvist"'):]
    assert "bevisad" in other[:other.index("</div>")]


def test_generated_pages_cannot_go_stale():
    """The generated folder is git-ignored and never committed; mkdocs.yml builds from it, and
    'avtalsregler docs' always regenerates it from the rules and fresh proofs before building
    (so a changed rule shows at once: see the test above)."""
    cfg = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^docs_dir: build/docs\b", cfg, re.M)
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "build/docs/index.md"])
    assert ignored.returncode == 0, "build/docs must be git-ignored"
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "build", "site"],
                             capture_output=True, text=True).stdout
    assert tracked == ""
    # No hand-written page pretends to be a clause page.
    assert not list((ROOT / "docs").rglob("s[0-9][0-9].md"))


FIXTURE_RULE = """\
# A made-up rule for this test only (not a reading of the agreement): it exercises dates,
# whole numbers with units, requirements and an invariant; it replaces §14's rule in a copy.
clause: "§14"
title: Tecknande
summary: Testregel för sidgeneratorn.
sentences:
  - id: s14.1
    text: Överenskommelsen tecknas i två (2) original där parterna tagit var sitt.
inputs:
  original:
    type: int
    unit: original
    min: 0
    max: 10
    description: Antal tecknade original.
  tecknad_den:
    type: date
    min: 2018-01-01
    max: 2030-12-31
    description: Dagen då överenskommelsen tecknades.
parameters:
  antal_original:
    type: int
    unit: original
    value: 2
    words: två (2) original
    description: Antalet original.
definitions:
  alla_original:
    kind: requirement
    type: bool
    expr: original >= antal_original
    description: Alla original är tecknade.
    sentence: s14.1
  en_vecka_senare:
    type: date
    expr: tecknad_den + 7
    description: En vecka efter tecknandet (påhittad, bara för testet).
"""

FIXTURE_SPEC = """\
clause: "§14"
examples:
  - name: tva_original
    derivation: Två original av två (påhittat testfall); 2018-12-01 + 7 dagar = 2018-12-08.
    given: {original: 2, tecknad_den: 2018-12-01}
    expect: {alla_original: true, en_vecka_senare: 2018-12-08}
invariants:
  - name: efter_tecknandet
    reason: En vecka senare är efter tecknandet.
    holds: en_vecka_senare > tecknad_den
"""


@pytest.mark.slow   # a whole MkDocs build (10–40 s)
def test_any_clause_renders_generically(tmp_path):
    root = copy_site_project(tmp_path / "p")
    # Replace the project's own §14 rule and spec (if any) with the fixture.
    for folder in ("rules", "specs"):
        for f in (root / folder).glob("s14*.yaml"):
            f.unlink()
    (root / "rules" / "s14_test.yaml").write_text(FIXTURE_RULE, encoding="utf-8")
    (root / "specs" / "s14_test.yaml").write_text(FIXTURE_SPEC, encoding="utf-8")
    site = tmp_path / "site"
    assert main(["--root", str(root), "docs", "--output", str(site), "--date", "2024-05-17"]) == 0
    md = (root / "build" / "docs" / "paragrafer" / "s14.md").read_text(encoding="utf-8")
    text = text_of_html(md, "")
    assert "en_vecka_senare = tecknad_den + 7 dagar" in text
    assert "alla_original = (original ≥ 2 original)" in text
    assert "2018-12-08" in text and "stämmer" in md and 'status-proved">bevisad' in md
    index = (root / "build" / "docs" / "index.md").read_text(encoding="utf-8")
    row = next(line for line in index.splitlines() if line.startswith("| [§14 Tecknande]"))
    assert "| 1/1 | 1/1 |" in row


@pytest.mark.slow   # a whole MkDocs build (10–40 s)
@pytest.mark.xdist_group(AMENDMENT_SITE)
def test_site_of_an_amendment(amendment_site):
    """`docs --amendment` builds the site of the amended agreement from a checked copy: the
    report is a page, the changed clause is marked and reads the new wording (60 %), and the
    project's own files are untouched. (The site is the session's, tests/conftest.py: the
    command `--root <project> docs --amendment amendments/tak_60_procent_med_spec.yaml --output
    <site> --date 2024-05-17`; the docs-text test reads it too.)"""
    before, site = amendment_site.before, amendment_site.site
    assert amendment_site.code == 0, amendment_site.out + amendment_site.err
    page = (site / "andring.html").read_text(encoding="utf-8")
    assert "Ändringsförslag: Taket för innehållen ersättning höjs till 60 %" in page
    assert "ändras avsiktligt i förslaget" in page and "Allt håller" in page
    s12 = (site / "paragrafer" / "s12.html").read_text(encoding="utf-8")
    assert "Ändrad av ändringsförslaget" in s12 and "högst vara 60% av den ersättning" in s12
    # the rule file as the reader finds it in the project, not in the temporary amended copy
    assert "Regelfil: <code>rules/s12_tvist.yaml</code>" in s12 and "avtalsregler-site-" not in s12
    assert "(<code>amendments/tak_60_procent_med_spec.yaml</code>)" in page
    s4 = (site / "paragrafer" / "s04.html").read_text(encoding="utf-8")
    assert "Ändrad av ändringsförslaget" not in s4
    assert (ROOT / "rules" / "s12_tvist.yaml").read_text(encoding="utf-8") == before
    # R12-hela-ersattningen still says "högst 50 %": the page warns above the readings
    assert "Läsningar som nämner den tidigare lydelsens tal (§12)" in s12
    assert 'href="#r12-hela-ersattningen">R12-hela-ersattningen</a> nämner 50' in s12
    # the command line names the site as given and never the temporary, amended copy
    out = amendment_site.out
    assert f"site in {site}" in out and "avtalsregler-site-" not in out and "/tmp" not in out.replace(str(site), "")


def test_start_page_shows_the_current_period_and_the_split(generated):
    """Built on 2024-05-17 (TODAY), by hand from §10–§11: the day lies in the first renewal
    2022-01-01 – 2024-12-31, whose deadline 2023-12-31 has passed; the next deadline is
    2026-12-31 and a notice by then ends the agreement 2027-12-31. The §7 split for 2022 (the one
    year with a complete sourced population, 2021-11-01): Ragunda 935 600 000 × 5 214 / 131 870
    = 36 992 632,04 öre → 369 926,32 kr; the eight shares sum to 9 356 000,00 kr."""
    index = generated["index.md"]
    assert "förlängning 1, **2022-01-01 – 2024-12-31**" in index
    assert "(2023-12-31) har passerat" in index
    assert "Nästa sista dag för uppsägning är **2026-12-31**" in index and "**2027-12-31**" in index
    assert "**Verksamhetsåret 2022**" in index
    assert "| Ragunda | 5 214 | 369 926,32 kr | 92 481,58 kr |" in index
    assert "**9 356 000,00 kr**" in index and "R7-befolkningsdata" in index


def test_the_split_fact_is_the_declared_computation_for_each_year_with_data(project):
    """The §7 fact shows the split of the base amount for each year with complete populations;
    for 2022 (populations 2021-11-01) the numbers are those of the §7 spec example
    fordelning_2022, derived by hand there: Östersund 4 565 830,17 kr, Härjedalen 714 027,33 kr,
    quarterly 1 141 457,54 / 1 141 457,55 kr for Östersund, 9 356 000,00 kr in all."""
    facts = {t: (m, c) for t, m, c in render_facts(project, [], datetime.date(2026, 12, 1))}
    text, computed = facts["Ersättningens fördelning mellan kommunerna"]
    assert computed
    assert "**Verksamhetsåret 2022**, befolkningen 2021-11-01" in text
    assert "| Östersund | 64 354 | 4 565 830,17 kr | 1 141 457,54 kr / 1 141 457,55 kr |" in text
    assert "| Härjedalen | 10 064 | 714 027,33 kr |" in text
    assert "| **Summa** | 131 870 | **9 356 000,00 kr** |  |" in text
    assert "i 2018 års prisnivå" in text and "[R7-befolkningsdata](lasningar.md#r7-befolkningsdata)" in text
    # a year without complete data is left out, never guessed
    assert "Verksamhetsåret 2019" not in text


def test_the_calendar_page_lists_the_declared_dates_of_this_and_the_next_period(project):
    """Built 2026-12-01: the period running is the second renewal 2025-01-01 – 2027-12-31 and
    the next one ends 2030-12-31 (3 years, §10). The notice deadline for 2027-12-31 is 12
    months before the period's end: 2026-12-31 (§11); invoices on the first day of each
    quarter (reading R10-fakturadag)."""
    from avtalsregler.apps.docs.calendar_page import render_calendar

    page = render_calendar(project, datetime.date(2026, 12, 1))
    assert "från 2025-01-01 till 2030-12-31" in page
    assert ("| 2026-12-31 | Uppsägningsfrist: sista dag att säga upp överenskommelsen till 2027-12-31 | "
            "[§11](paragrafer/s11.md) |") in page
    assert "| 2027-04-01 | Kvartalsfaktura 2027: kvartal 2 (april–juni), i förskott | [§7](paragrafer/s07.md) |" in page
    assert "| 2025-01-01 (passerat) |" in page and "2031-" not in page
    assert sum(line.startswith("| 20") and "Kvartalsfaktura" in line for line in page.splitlines()) == 6 * 4
    assert {"Kalender": "kalender.md"} in docs.nav(project)


def _fake_report(project, summary_before: str) -> dict:
    return {"ok": True, "amendment": {"id": "prov", "title": "Prov", "file": "amendments/prov.yaml",
                                      "proposed_by": "Östersunds kommun", "agreed_by": [], "effective": "2026-01-01",
                                      "rationale": "Ett prov.", "clauses": ["§12"]},
            "text_changes": [{"clause": "§12", "sentence": "s12.3", "old": "50%", "new": "60%"}],
            "reverified": [], "summaries_before": {"§12": summary_before}}


def test_an_amendment_that_keeps_the_summary_warns_that_it_describes_the_old_wording(project):
    """§12's wording changes (s12.3) while its summary stays as it was: the page says so above
    the summary; when the amendment rewrites the summary too, no warning."""
    version = docs.Version("9.9.9", "abc123", TODAY)
    kept = docs.generate(project, [], ROOT, version, _fake_report(project, project.clauses["§12"].summary))
    page = kept["paragrafer/s12.md"]
    warning = page.index('!!! warning "Sammanfattningen gäller den tidigare lydelsen"')
    assert page.index("## Vad det betyder") < warning < page.index(text_of_html(project.clauses["§12"].summary)[:40])
    assert "Sammanfattningen gäller" not in kept["paragrafer/s04.md"]
    rewritten = docs.generate(project, [], ROOT, version, _fake_report(project, "En annan, äldre sammanfattning."))
    assert "Sammanfattningen gäller" not in rewritten["paragrafer/s12.md"]


def test_an_amendment_that_changes_a_number_warns_at_the_readings_that_still_name_it(project):
    """s12.3 goes from 50 % to 60 %; the §12 readings R12-hela-ersattningen ("högst 50 %") and
    R12-avrundning ("högst vara 50%") still write 50, so §12's page and the register warn above
    the readings; a change that keeps every number (50% → 50 %) warns nowhere, and 150 is not 50."""
    from avtalsregler.apps.docs.amendment import stale_numbers

    version = docs.Version("9.9.9", "abc123", TODAY)
    files = docs.generate(project, [], ROOT, version, _fake_report(project, "En annan sammanfattning."))
    s12 = files["paragrafer/s12.md"]
    warning = s12.index("Läsningar som nämner den tidigare lydelsens tal (§12)")
    assert s12.index("## Läsningar och öppna frågor") < warning < s12.index("### R12-hela-ersattningen")
    assert "(s12.3: 50 blir 60)" in s12
    assert "[R12-hela-ersattningen](#r12-hela-ersattningen) nämner 50" in s12
    assert "[R12-avrundning](#r12-avrundning) nämner 50" in s12
    register = files["lasningar.md"]
    assert register.index("Läsningar som nämner den tidigare lydelsens tal (§12)") < register.index("\n## §1 ")
    assert "Läsningar som nämner" not in files["paragrafer/s04.md"]
    same = _fake_report(project, "x")
    same["text_changes"][0].update(old="högst 50% av", new="högst 50 % av ersättningen")
    assert "Läsningar som nämner" not in docs.generate(project, [], ROOT, version, same)["paragrafer/s12.md"]
    readings = [r for r in project.readings.values() if r.clause == "§12"]
    assert stale_numbers({"text_changes": [{"clause": "§12", "old": "150 %", "new": "160 %"}]}, "§12", readings) == []
    assert [rid for rid, _ in stale_numbers(_fake_report(project, "x"), "§12", readings)] == sorted(
        ["R12-hela-ersattningen", "R12-avrundning"], key=[r.id for r in readings].index)


def test_the_amendment_site_shows_paths_relative_to_the_project(tmp_path):
    from avtalsregler.apps.docs.amendment import for_site

    copy = tmp_path / "tmp-kopia" / "amended"
    report = {"amendment": {"file": str(tmp_path / "p" / "amendments" / "x.yaml")},
              "findings": [{"file": f"{copy}/rules/s12_tvist.yaml", "message": f"fel i {copy}/specs/s12.yaml"}]}
    shown = for_site(report, tmp_path / "p", copy, {})
    assert shown["amendment"]["file"] == "amendments/x.yaml"
    assert shown["findings"][0] == {"file": "rules/s12_tvist.yaml", "message": "fel i specs/s12.yaml"}


def test_the_404_page_in_swedish_with_links_that_work_under_a_sub_path(tmp_path):
    """MkDocs writes the 404 page's links from the server's root (/assets/…). Without site_url
    they become relative to the site's folder; with site_url (docs --site-url) MkDocs' own
    absolute links from its path are kept, and the page links home to that path."""
    from avtalsregler.apps.docs.site_assets import finish_404

    theme = ('<link rel="stylesheet" href="/assets/stylesheets/main.css"><a href="/.">Start</a>'
             '<a href="/paragrafer/s01.html">§1</a><script src="/assets/javascripts/bundle.js"></script>'
             '<script id="__config">{"base": "/", "features": []}</script><h1>404 - Not found</h1>')
    (tmp_path / "404.html").write_text(theme, encoding="utf-8")
    finish_404(tmp_path, None)
    page = (tmp_path / "404.html").read_text(encoding="utf-8")
    assert 'href="assets/stylesheets/main.css"' in page and 'src="assets/javascripts/bundle.js"' in page
    assert 'href="index.html">Start' in page and 'href="paragrafer/s01.html"' in page and '"base": "."' in page
    assert "<h1>Sidan finns inte</h1>" in page and "Not found" not in page and 'href="/' not in page
    mk = theme.replace('"/', '"/avtal/').replace('"base": "/avtal/"', '"base": "/avtal/"')
    (tmp_path / "404.html").write_text(mk, encoding="utf-8")
    finish_404(tmp_path, "https://example.org/avtal/")
    page = (tmp_path / "404.html").read_text(encoding="utf-8")
    assert 'href="/avtal/assets/stylesheets/main.css"' in page and '<a href="/avtal/">startsidan</a>' in page


def _plain_scope(project):
    names = {"a": MONEY, "b": MONEY, "ok": Type("bool"), "klar": Type("bool"), "d": Type("date"),
             "y": Type("int"), "n": Type("int"), "k": Type("int"), "mn": Type("int", "månader"),
             "m": Type("map", enum="omrade", elem=MONEY), "w": Type("map", enum="omrade", elem=Type("int"))}
    return Scope(names, project.enums, BUILTINS)


@pytest.mark.parametrize("source, shown", [
    # a + −b is a − b, and one day is "1 dag" (not "+ −1 dagar")
    ("d + -1", "d − 1 dag"),
    ("first_day_of_month(mn) + -1", "(första dagen i månad mn) − 1 dag"),
    ("first_day_of_month(mn + 1) + -1", "(första dagen i månad (mn + 1 månad)) − 1 dag"),
    ("month_of(d)", "månaden för d"),
    # a date plus or minus 0 days is the date (display only)
    ("d - 0", "d"),
    ("make_date(y, 1, 1) + 0", "1 januari år y"),
    # the literal constants of a sum taken together: (k + 1) − 1 is k, 12 + 1 is 13 (by hand)
    ("n * ((k + 1) - 1)", "n × k"),
    ("mn - 12 - 1", "mn − 13 månader"),
    ("0 * a", "0 kr"),
    # a year as a lawyer writes it; larger numbers in groups of three
    ("y >= 2018 and n < 100000", "y ≥ 2018 och n < 100 000"),
    ("make_date(y, 12, 31)", "31 december år y"),
    ("make_date(y - 1, 11, 1)", "1 november år (y − 1)"),
    ("make_date(y, n, 1)", "dag 1 i månad n år y"),
    # truth values: "ok", not "ok = sant"; a condition said twice is said once
    ("ok == True and klar == False", "ok och inte klar"),
    ("ok and a > b and ok", "ok och a > b"),
    ("(ok and klar) and ok", "ok och klar"),
    ("forall(o in omrade, forall(p in omrade, m[o] >= m[p]))", "för varje o, p ∈ omrade: m[o] ≥ m[p]"),
    ("count(o in omrade, True)", "antalet o ∈ omrade"),
    ("apportion(a, w)", "a fördelat i hela öre efter w"),
    ("quota(a, w)", "kvoten av a efter w"),
    ("max(0, n - k)", "det största av 0 och n − k"),
    ("round(a * 2)", "(a × 2) avrundat till hela öre"),
])
def test_plain_notation(project, source, shown):
    from avtalsregler.apps.docs.notation import PlainNotation
    from avtalsregler.errors import Span

    e = parse_expr(source, Span("t", 1, 1), None, _plain_scope(project))
    assert text_of_html(PlainNotation(None, project.enums, lambda n: n).render(e), "") == shown


def test_plain_notation_of_a_map_definition_and_a_boolean(project):
    from avtalsregler.apps.docs.notation import PlainNotation
    from avtalsregler.errors import Span

    note = PlainNotation(None, project.enums, lambda n: n)
    e = parse_expr("per(o in omrade, m[o] + 1)", Span("t", 1, 1), None, _plain_scope(project))
    assert text_of_html(note.definition("plus_ett", e), "") == "plus_ett[o] = m[o] + 1 öre, för varje o ∈ omrade"
    e = parse_expr("n == 0", Span("t", 1, 1), None, _plain_scope(project))
    assert text_of_html(note.definition("forsta", e), "") == "forsta = (n = 0)"


def test_formulas_on_the_clause_pages_read_as_plain_swedish(generated):
    """On every clause page: no built-in by its English name, no "+ −", no ISO date and no
    year with a digit space in a formula (§10's first period ends 31 december 2021: s10.2)."""
    formulas = [text_of_html(m, "") for page in generated.values()
                for m in re.findall(r'<div class="formel">(.*?)</div>', page)]
    assert len(formulas) > 100
    joined = "\n".join(formulas)
    for english in ("first_day_of_month", "month_of", "make_date", "apportion", "quota", "years_to_months",
                    "round(", "max(", "min(", "per("):
        assert english not in joined, english
    assert "+ −" not in joined and not re.search(r"\d{4}-\d\d-\d\d", joined) and "2 018" not in joined
    assert "forsta_fornyelsemanad = månaden för (31 december 2021 + 1 dag)" in joined
    assert "fakturor_i_aret = 4 och fakturor_i_aret = 4" not in joined
    s07 = generated["paragrafer/s07.md"]
    assert "| **2018** | ”2018 års prisnivå” |" in s07 and "| **9\u00a0356\u00a0000\u00a0kr** |" in s07


def test_prose_keeps_the_spaces_around_code():
    """Backticks in a register or spec text become code and the words beside them keep their
    spaces (the reviewer saw "fälten<code>skriftlig</code>och"); the text is still one line."""
    from avtalsregler.apps.docs.pages import prose
    assert prose("(fälten `skriftlig` och `uppgifter_om_ny`\n satta till ja).") == (
        "(fälten <code>skriftlig</code> och <code>uppgifter_om_ny</code> satta till ja).")
    assert prose("Beräknat med `avtalsregler compute ersattning` och") == (
        "Beräknat med <code>avtalsregler compute ersattning</code> och")
    assert prose("  `a` `b`, `c`.  ") == "<code>a</code> <code>b</code>, <code>c</code>."
    assert prose("ett ` ensamt") == "ett &#96; ensamt"


def test_a_date_minus_a_parameter_of_0_days_is_the_date(generated):
    """§7's invoice day is the quarter's first day minus a parameter set to 0 days: the formula
    reads "fakturadag[q] = kvartalets_forsta_dag[q], …", never "− 0 dagar"."""
    formulas = [text_of_html(f, "") for f in re.findall(r'<div class="formel">(.*?)</div>', generated["paragrafer/s07.md"])]
    day = [f for f in formulas if f.startswith("fakturadag[q] = ")]
    assert day and all("0 dagar" not in f for f in day), day
    assert day[0].startswith("fakturadag[q] = kvartalets_forsta_dag[q], för varje q"), day
