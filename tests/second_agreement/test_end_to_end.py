"""A second, FICTITIOUS agreement (tests/fixtures/andra_avtalet) end to end through the CLI.

The fixture differs in structure from the project's own agreement: a hub (Förbundet) and three
members (Alfa, Beta, Gamma, made-up codes 9901–9903), a yearly fee split by a weight computed
from two inputs (half by population on 31 December the year before, half equally), two invoices
a year in advance (1 January, 1 July), a first period 2024-01-01 – 2025-12-31 renewed by 2 years
at a time, notice 6 months before the end, a 30 % withholding cap, other clause numbers. Every
expected number and date below is derived by hand in the fixture's specs (``derivation:``), not
taken from the engine's output.
"""

from __future__ import annotations

import json
import shutil

import pytest

from avtalsregler.cli.main import main
from avtalsregler.project.load import load_project

from ..conftest import ROOT, SECOND_SITE

FIXTURE = ROOT / "tests" / "fixtures" / "andra_avtalet"

# Names of the project's own agreement that must never appear in the fixture's outputs.
OUR_NAMES = ("Region Jämtland Härjedalen", "Jämtland", "Ragunda", "Bräcke", "Krokom", "Strömsund",
             "Åre", "Berg", "Härjedalen", "Östersund", "2303", "2380", "9 356 000", "kvartal",
             "Kvartal", "samverkansråd", "LPIK", "Region", "kommun i Jämtlands län")


def run(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--root", str(FIXTURE), *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args) -> tuple[int, dict]:
    code, out, err = run(capsys, *args, "--format", "json")
    assert "Traceback" not in out + err
    return code, json.loads(out)


def assert_not_ours(text: str) -> None:
    found = [n for n in OUR_NAMES if n in text]
    assert not found, f"the fixture's output names our agreement: {found}"


# -- check and trace ------------------------------------------------------------------------------

def test_check_exits_0_with_every_example_and_proof(capsys):
    code, data = run_json(capsys, "check")
    assert code == 0 and data["ok"] is True
    clauses = {c["clause"] if "clause" in c else c["id"]: c for c in data["clauses"]}
    assert set(clauses) == {f"§{i}" for i in range(1, 9)}
    proofs = [p for c in data["clauses"] for p in c["proofs"]]
    assert proofs and all(p["status"] == "proved" for p in proofs)
    names = {p["name"] for p in proofs}
    # the invariants the fixture exists for are among them (not only generated obligations)
    assert {"summa_exakt", "inom_ett_ore", "vikterna_summerar_till_ett", "halvar_summerar",
            "faktura_i_forskott", "frist_inom_perioden", "hogst_30_procent", "exakt_ett_utfall",
            "forbundet_kan_stoppa"} <= names
    text = json.dumps(data, ensure_ascii=False)
    assert '"examples"' in text
    assert_not_ours(text)


def test_check_fails_when_the_cap_breaks_its_guarantee(capsys, tmp_path):
    """Not vacuous: a 35 % cap in the rule breaks the spec's 30 % guarantee."""
    copy = tmp_path / "avtal"
    shutil.copytree(FIXTURE, copy)
    rule = copy / "rules" / "s08_innehallande.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("value: 30%", "value: 35%"), encoding="utf-8")
    capsys.readouterr()
    code = main(["--root", str(copy), "check", "--clause", "§8"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "hogst_30_procent" in out + err and "Traceback" not in out + err


def test_trace_accounts_for_every_sentence(capsys):
    code, data = run_json(capsys, "trace")
    assert code == 0 and data["ok"] is True
    sentences = data["sentences"]
    assert len(sentences) == 13
    assert all(s["status"] != "unaccounted" and (s["elements"] or s["status"] == "declarative")
               for s in sentences), [s for s in sentences if not s["elements"] and s["status"] != "declarative"]
    cov = data["coverage"]
    assert {c: (v["sentences"], v["accounted"]) for c, v in cov.items()} == {
        "§1": (2, 2), "§2": (1, 1), "§3": (4, 4), "§4": (1, 1), "§5": (1, 1), "§6": (1, 1),
        "§7": (2, 2), "§8": (1, 1)}
    by_id = {s["id"]: s for s in sentences}
    assert by_id["§1.1"]["status"] == "declarative"
    assert any("arsandel" in e for e in by_id["§3.2"]["elements"])
    assert_not_ours(json.dumps(data, ensure_ascii=False))


# -- compute --------------------------------------------------------------------------------------

def _members(data: dict) -> dict[str, dict]:
    return {m["member"]: m for m in data["members"]}


def test_compute_avgift_2024_hand_derived(capsys):
    # specs/s03_avgift.yaml fordelning_2024 and halvar_2024: populations 4 300 / 2 700 / 1 900
    # (fictitious, 2023-12-31); 1 öre left over goes to Gamma (remainder 68/89).
    code, data = run_json(capsys, "compute", "avgift", "--year", "2024")
    assert code == 0
    assert data["population_date"] == "2023-12-31"
    assert data["invoice_dates"] == ["2024-01-01", "2024-07-01"]
    m = _members(data)
    assert list(m) == ["Alfa", "Beta", "Gamma"]
    assert {k: v["population"] for k, v in m.items()} == {"Alfa": 4300, "Beta": 2700, "Gamma": 1900}
    assert {k: v["weight"] for k, v in m.items()} == {"Alfa": "109/267", "Beta": "85/267", "Gamma": "73/267"}
    assert {k: v["annual_ore"] for k, v in m.items()} == {"Alfa": 48988764, "Beta": 38202247, "Gamma": 32808989}
    assert {k: v["halves_ore"] for k, v in m.items()} == {
        "Alfa": [24494382, 24494382], "Beta": [19101124, 19101123], "Gamma": [16404495, 16404494]}
    assert sum(v["annual_ore"] for v in m.values()) == 120_000_000
    assert {v["code"] for v in m.values()} == {"9901", "9902", "9903"}
    assert all("fiktiv testdata" in v["population_source"] for v in m.values())
    assert_not_ours(json.dumps(data, ensure_ascii=False))


def test_compute_avgift_2025_hand_derived(capsys):
    # fordelning_2025: 4 100 / 2 700 / 2 100 on 2024-12-31; the öre goes to Alfa (39/89).
    code, data = run_json(capsys, "compute", "avgift", "--year", "2025")
    assert code == 0 and data["population_date"] == "2024-12-31"
    m = _members(data)
    assert {k: v["annual_ore"] for k, v in m.items()} == {"Alfa": 47640450, "Beta": 38202247, "Gamma": 34157303}
    assert {k: v["halves_ore"] for k, v in m.items()} == {
        "Alfa": [23820225, 23820225], "Beta": [19101124, 19101123], "Gamma": [17078652, 17078651]}


def test_compute_avgift_table_and_csv(capsys):
    code, out, err = run(capsys, "compute", "avgift", "--year", "2024")
    assert code == 0, err
    assert "Medlemskommun" in out and "1 200 000,00 kr" in out and "Halvår 1" in out
    assert "489 887,64 kr" in out and "328 089,89 kr" in out
    assert_not_ours(out)
    code, out, err = run(capsys, "compute", "avgift", "--year", "2024", "--format", "csv")
    assert code == 0, err
    assert "h1_ore" in out and "48988764" in out and "16404495" in out


def test_compute_avgift_year_without_data_is_an_error(capsys):
    code, out, err = run(capsys, "compute", "avgift", "--year", "2026")
    assert code == 2 and "Traceback" not in out + err
    assert "2025-12-31" in out + err          # the rule's own reference day for 2026


def test_compute_uppsagning_hand_derived(capsys):
    # specs/s06_uppsagning.yaml dagen_efter_fristen: received 2025-07-01, one day after the first
    # period's deadline 2025-06-30; the agreement runs to the end of 2026–2027.
    code, data = run_json(capsys, "compute", "uppsagning", "--date", "2025-07-01", "--notice", "2025-07-01")
    assert code == 0
    assert data["period_number"] == 0
    assert (data["period_start"], data["period_end"]) == ("2024-01-01", "2025-12-31")
    assert data["period_notice_deadline"] == "2025-06-30"
    assert data["next_notice_deadline"] == "2027-06-30"
    assert data["ends_if_noticed_by_next_deadline"] == "2027-12-31"
    assert data["ends_on"] == "2027-12-31"
    code, data = run_json(capsys, "compute", "uppsagning", "--date", "2025-06-30", "--notice", "2025-06-30")
    assert code == 0 and data["ends_on"] == "2025-12-31"
    code, data = run_json(capsys, "compute", "uppsagning", "--date", "2028-02-29")
    assert code == 0 and data["period_number"] == 2
    assert (data["period_start"], data["period_end"]) == ("2028-01-01", "2029-12-31")
    assert data["next_notice_deadline"] == "2029-06-30"


def test_compute_lists_only_the_fixtures_computations(capsys):
    code, out, err = run(capsys, "compute")
    assert code == 0, err
    assert "avgift" in out and "uppsagning" in out
    assert "ersattning" not in out and "giltighet" not in out


# -- calendar -------------------------------------------------------------------------------------

def test_calendar_hand_derived_dates(capsys):
    code, data = run_json(capsys, "calendar", "--from", "2024-01-01", "--to", "2027-12-31")
    assert code == 0
    events = data["events"]
    assert data["assumes"] == "ingen part säger upp överenskommelsen"
    by_kind: dict[str, list[str]] = {}
    for e in events:
        by_kind.setdefault(e["kind"], []).append(e["date"])
    # §3: two invoices a year, 1 January and 1 July, 2024–2027.
    assert sorted(by_kind["invoice"]) == [f"{y}-{m}-01" for y in range(2024, 2028) for m in ("01", "07")]
    # §5: periods 2024–2025 and 2026–2027.
    assert sorted(by_kind["period_start"]) == ["2024-01-01", "2026-01-01"]
    assert sorted(by_kind["period_end"]) == ["2025-12-31", "2027-12-31"]
    # §6: the last day for notice, 6 months before each end.
    assert sorted(by_kind["notice_deadline"]) == ["2025-06-30", "2027-06-30"]
    # §7: the yearly report for 2024, 2025, 2026 by 31 March the year after.
    assert sorted(by_kind["duty_deadline"]) == ["2025-03-31", "2026-03-31", "2027-03-31"]
    assert len(events) == 8 + 2 + 2 + 2 + 3
    # UIDs come from the rules' templates and the fixture's own domain, and are unique.
    uids = [e["uid"] for e in events]
    assert len(set(uids)) == len(uids)
    assert all(u.endswith("@andra-avtalet.avtalsregler.invalid") for u in uids)
    assert "faktura-2026-andra_halvaret@andra-avtalet.avtalsregler.invalid" in uids
    invoice = next(e for e in events if e["date"] == "2024-07-01")
    assert invoice["clause"] == "§3" and invoice["sentence_id"] == "a3.3, a3.4"
    assert "andra halvåret" in invoice["title"]
    notice = next(e for e in events if e["kind"] == "notice_deadline")
    assert notice["clause"] == "§6" and notice["reading"] == "A6-utgang" and notice["alarm_days_before"] == [60, 14]
    assert_not_ours(json.dumps(data, ensure_ascii=False))


def test_calendar_ics(capsys):
    code, out, err = run(capsys, "calendar", "--from", "2024-01-01", "--to", "2025-12-31", "--format", "ics")
    assert code == 0, err
    assert out.startswith("BEGIN:VCALENDAR")
    assert "DTSTART;VALUE=DATE:20240701" in out and "DTSTART;VALUE=DATE:20250630" in out
    assert_not_ours(out)


# -- compliance -----------------------------------------------------------------------------------

def test_compliance_hand_derived_verdicts(capsys):
    # events/brister_2024.yaml: F1 answered in time (due 2024-03-31), F2 one day late (due
    # 2024-10-10), F3 never answered (due 2024-12-01), F4 not yet due (due 2025-01-14).
    code, data = run_json(capsys, "compliance", str(FIXTURE / "events" / "brister_2024.yaml"))
    assert code == 1 and data["ok"] is False
    got = {v["instance"]: (v["verdict"], v["due"]) for v in data["verdicts"]}
    assert got == {"F1 (Alfa)": ("i_tid", "2024-03-31"), "F2 (Beta)": ("forsenad", "2024-10-10"),
                   "F3 (Gamma)": ("uteblev", "2024-12-01"), "F4 (Alfa)": ("inte_bedombar_an", "2025-01-14")}
    assert data["counts"] == {"i_tid": 1, "forsenad": 1, "uteblev": 1, "inte_bedombar_an": 1}
    assert all(v["clause"] == "§7" and v["sentence_id"] == "a7.2" for v in data["verdicts"])
    assert_not_ours(json.dumps(data, ensure_ascii=False))


def test_compliance_complete_log_exits_0(capsys):
    # G1 2024-05-02 + 30 days = 2024-06-01; answered 2024-05-31.
    code, data = run_json(capsys, "compliance", str(FIXTURE / "events" / "komplett_2024.yaml"))
    assert code == 0 and data["ok"] is True
    assert [(v["instance"], v["verdict"], v["due"]) for v in data["verdicts"]] == [("G1 (Gamma)", "i_tid", "2024-06-01")]
    code, out, err = run(capsys, "compliance", str(FIXTURE / "events" / "komplett_2024.yaml"))
    assert code == 0 and "i tid" in out


def test_compliance_unknown_member_is_an_error(capsys, tmp_path):
    log = tmp_path / "log.yaml"
    log.write_text("as_of: 2024-12-31\nevents:\n  - {date: 2024-03-01, kind: begaran_om_uppgifter, id: X, "
                   "medlem: Ragunda}\n", encoding="utf-8")
    code, out, err = run(capsys, "compliance", str(log))
    assert code == 2 and "Traceback" not in out + err
    assert "log.yaml:3:" in err


# -- docs -----------------------------------------------------------------------------------------

@pytest.mark.xdist_group(SECOND_SITE)
def test_docs_build(second_site):
    """The fixture copied (without build/ and site/) and ``docs --output <site> --date 2025-03-01``
    run on the copy: the session's (tests/conftest.py; the docs-text test reads the site too)."""
    copy, site = second_site.root, second_site.site
    assert second_site.code == 0, second_site.out + second_site.err
    assert (site / "index.html").exists()
    pages = copy / "build" / "docs"
    index = (pages / "index.md").read_text(encoding="utf-8")
    # the start-page fact of §6, derived by hand: 2025-03-01 lies in 2024-01-01 – 2025-12-31,
    # whose notice deadline is 2025-06-30.
    assert "**2024-01-01 – 2025-12-31**" in index and "**2025-06-30**" in index
    assert "påhittad" in index
    for n in range(1, 9):
        assert (pages / "paragrafer" / f"s0{n}.md").exists()
    s03 = (pages / "paragrafer" / "s03.md").read_text(encoding="utf-8")
    assert "Avgift" in s03 and "vikt" in s03
    generated = "\n".join(p.read_text(encoding="utf-8") for p in pages.rglob("*.md"))
    assert_not_ours(generated)


# -- amend check ----------------------------------------------------------------------------------

def test_amend_cap_40_agreed_by_all(capsys):
    code, data = run_json(capsys, "amend", "check", str(FIXTURE / "amendments" / "tak_40_procent.yaml"))
    text = json.dumps(data, ensure_ascii=False)
    assert code == 0, text[:2000]
    assert "Traceback" not in text
    assert "7640449" in text or "76 404,49" in text           # the new cap, derived by hand
    assert data.get("ok", code == 0) is True
    assert_not_ours(text)


def test_amend_agreed_only_by_the_hub_fails_the_procedure(capsys):
    code, out, err = run(capsys, "amend", "check", str(FIXTURE / "amendments" / "tak_40_bara_forbundet.yaml"))
    assert code == 1 and "Traceback" not in out + err
    both = out + err
    assert "FÖLJS INTE" in both and "Förfarandet" in both
    assert "Alfa" in both and "Beta" in both and "Gamma" in both
    assert_not_ours(both)


# -- independence from our agreement ----------------------------------------------------------------

def test_fixture_loads_on_its_own(tmp_path, monkeypatch, capsys):
    """The fixture needs nothing of the project's own folder: copied elsewhere and run from an
    unrelated working directory, it loads and computes the same, and names nothing of ours."""
    copy = tmp_path / "elsewhere"
    shutil.copytree(FIXTURE, copy, ignore=shutil.ignore_patterns("build", "site"))
    monkeypatch.chdir(tmp_path)
    project = load_project(copy)
    assert sorted(project.clauses) == sorted(f"§{i}" for i in range(1, 9))
    parties = project.declared_once("parties")[1]
    assert parties.hub_name == "Förbundet"
    assert parties.member_names(project.enums) == ["Alfa", "Beta", "Gamma"]
    assert set(project.enums) == {"medlem", "halvar"}
    assert "FIKTIV" in project.agreement.title
    capsys.readouterr()
    code = main(["--root", str(copy), "compute", "avgift", "--year", "2024", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert {m["member"]: m["annual_ore"] for m in json.loads(out)["members"]} == {
        "Alfa": 48988764, "Beta": 38202247, "Gamma": 32808989}
    assert_not_ours(out)


def test_fixture_is_marked_fictitious():
    assert "FIKTIV" in (FIXTURE / "agreement" / "overenskommelse.txt").read_text(encoding="utf-8").splitlines()[0]
    for readme in (FIXTURE / "README.md", FIXTURE / "agreement" / "README.md", FIXTURE / "data" / "README.md"):
        assert "FICTITIOUS" in readme.read_text(encoding="utf-8") or "invented" in readme.read_text(encoding="utf-8")
    rows = (FIXTURE / "data" / "population.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert rows and all("fiktiv testdata" in r for r in rows)
    for log in (FIXTURE / "events").glob("*.yaml"):
        assert "FIKTIV" in log.read_text(encoding="utf-8")
    for amendment in (FIXTURE / "amendments").glob("*.yaml"):
        assert "FIKTIV" in amendment.read_text(encoding="utf-8")
