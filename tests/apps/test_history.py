"""The agreement over time: amend apply keeps a history that rebuilds every version byte for
byte, amend revert undoes the last amendment byte for byte, and compute, calendar and audit use
the version in force on the day they are about.

Every test works on a copy of the project. The population rows for 2025-11-01 and 2026-11-01
that compute needs for 2026 and 2027 are FICTITIOUS: the real 2021-11-01 figures under a later
date, so that the expected amounts can be derived by hand from the 2021 figures (README: Ragunda
5 214 of 131 870 gives 369 926,32 kr of 9 356 000 kr)."""

from __future__ import annotations

import csv
import json
import shutil
from fractions import Fraction
from pathlib import Path

from avtalsregler.apps.amend.history import records
from avtalsregler.apps.amend.versions import rebuild, replay_mismatches, versions
from avtalsregler.cli.main import main

from ..conftest import ROOT

DIRS = ("agreement", "rules", "specs", "readings", "data", "amendments", "examples")
RAGUNDA_ORE = 36_992_632            # 369 926,32 kr: 935 600 000 öre × 5 214 / 131 870, largest remainder


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    for d in DIRS:
        shutil.copytree(ROOT / d, root / d)
    return root


def _files(root: Path, dirs=DIRS) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for d in dirs for p in sorted((root / d).rglob("*"))
            if p.is_file()}


def _apply(root: Path, name: str, capsys) -> None:
    assert main(["--root", str(root), "amend", "apply", "--force", str(root / "amendments" / name)]) == 0
    capsys.readouterr()


def _later_copy(root: Path, name: str, new_name: str, effective: str) -> None:
    text = (root / "amendments" / name).read_text(encoding="utf-8")
    assert "effective: 2027-01-01" in text
    (root / "amendments" / new_name).write_text(text.replace("effective: 2027-01-01", f"effective: {effective}"),
                                                encoding="utf-8")


def _zero_index(root: Path) -> Path:
    """A FICTITIOUS index of 0 % every year 2019–2027 (marked so), so that a year's amount is the
    base amount itself."""
    index = root / "idx.yaml"
    index.write_text("fiktiv: true\nnote: FIKTIVT index, 0 % varje år, bara för tester\nvalues:\n" + "".join(
        f'  - year: {y}\n    change: "0%"\n    publication: {{title: "FIKTIV {y}", date: {y - 1}-10-01, '
        f'reference: "fiktiv:{y}"}}\n' for y in range(2019, 2028)), encoding="utf-8")
    return index


def _fictitious_population(root: Path, *dates: str) -> None:
    path = root / "data" / "population.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    base = [r for r in rows if r[2] == "2021-11-01"]
    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for d in dates:
            for r in base:
                w.writerow([r[0], r[1], d, r[3], f"FIKTIV testrad: siffran för 2021-11-01 under datumet {d}"])


def _json(capsys, root: Path, *argv) -> tuple[int, dict]:
    code = main(["--root", str(root), *argv, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out.replace(str(root), "ROOT"))     # two copies differ only in their folder


# -- the history --------------------------------------------------------------------------------

def test_every_version_is_rebuilt_byte_for_byte_and_replays_to_its_hashes(tmp_path, capsys):
    root = _copy(tmp_path)
    _later_copy(root, "ersattning_ny_niva.yaml", "ny_niva_2028.yaml", "2028-01-01")
    written = [_files(root, DIRS[:5])]
    _apply(root, "halvarsfakturering.yaml", capsys)
    written.append(_files(root, DIRS[:5]))
    _apply(root, "ny_niva_2028.yaml", capsys)
    written.append(_files(root, DIRS[:5]))
    assert written[0] != written[1] != written[2]
    recs = records(root)
    assert [(r.number, r.id, r.effective.isoformat()) for r in recs] == [
        (1, "halvarsfakturering", "2027-01-01"), (2, "ersattning-ny-niva", "2028-01-01")]
    assert "Krokoms kommun" in recs[0].agreed_by and "administrationen" in recs[0].rationale
    assert not (root / "amendments/halvarsfakturering.yaml").exists()      # moved into the history
    for k in range(3):
        dest = rebuild(root, k, tmp_path / f"v{k}")
        assert _files(dest, DIRS[:5]) == written[k], f"version {k} differs from what amend apply wrote"
    assert replay_mismatches(root, 1) == [] and replay_mismatches(root, 2) == []
    vs = versions(root)
    assert [(v.start, v.end) for v in vs][0][1].isoformat() == "2026-12-31"
    assert vs[1].end.isoformat() == "2027-12-31" and vs[2].latest


def test_an_edit_after_apply_is_caught_not_rebuilt_wrongly(tmp_path, capsys):
    root = _copy(tmp_path)
    _apply(root, "halvarsfakturering.yaml", capsys)
    rule = root / "rules/s07_ersattning.yaml"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# en ändring utan ändringsbeslut\n", encoding="utf-8")
    assert main(["--root", str(root), "check", "--as-of", "2026-01-01"]) == 2
    assert "has changed since amendment 001-halvarsfakturering was applied" in capsys.readouterr().err


def test_revert_restores_every_file_byte_for_byte(tmp_path, capsys):
    root = _copy(tmp_path)
    _later_copy(root, "ersattning_ny_niva.yaml", "ny_niva_2028.yaml", "2028-01-01")
    before = [_files(root)]
    _apply(root, "halvarsfakturering.yaml", capsys)
    before.append(_files(root))
    _apply(root, "ny_niva_2028.yaml", capsys)
    assert main(["--root", str(root), "amend", "revert", "--force"]) == 0
    assert "reverted 002-ersattning-ny-niva" in capsys.readouterr().out
    assert _files(root) == before[1]
    assert main(["--root", str(root), "amend", "revert", "--force"]) == 0
    assert _files(root) == before[0]
    capsys.readouterr()
    assert main(["--root", str(root), "amend", "revert", "--force"]) == 2
    assert "no amendment has been applied" in capsys.readouterr().err


def test_apply_refuses_an_amendment_before_one_already_applied(tmp_path, capsys):
    root = _copy(tmp_path)
    _later_copy(root, "ersattning_ny_niva.yaml", "ny_niva_2028.yaml", "2028-01-01")
    _apply(root, "ny_niva_2028.yaml", capsys)
    assert main(["--root", str(root), "amend", "apply", "--force", str(root / "amendments/halvarsfakturering.yaml")]) == 2
    assert "before 001-ersattning-ny-niva" in capsys.readouterr().err


def test_amend_check_flags_a_date_in_the_past_or_before_an_applied_one(tmp_path, capsys):
    import datetime

    from avtalsregler.apps.amend.amendment import load_amendment
    from avtalsregler.apps.amend.apply import agreement_clauses
    from avtalsregler.apps.amend.report import timing

    root = _copy(tmp_path)
    a = load_amendment(root / "amendments/halvarsfakturering.yaml", agreement_clauses(root))
    assert timing(root, a, datetime.date(2026, 12, 1)) == []
    late = timing(root, a, datetime.date(2027, 3, 1))
    assert [s for s, _, _ in late] == ["warning"] and "retroactive: true" in late[0][2] and "i dag är 2027-03-01" in late[0][1]
    retro = root / "amendments/retro.yaml"
    retro.write_text((root / "amendments/halvarsfakturering.yaml").read_text(encoding="utf-8")
                     + "retroactive: true\n", encoding="utf-8")
    assert [s for s, _, _ in timing(root, load_amendment(retro, agreement_clauses(root)),
                                    datetime.date(2027, 3, 1))] == ["notice"]
    _later_copy(root, "ersattning_ny_niva.yaml", "ny_niva_2028.yaml", "2028-01-01")
    _apply(root, "ny_niva_2028.yaml", capsys)
    errors = [m for s, m, _ in timing(root, a, datetime.date(2026, 12, 1)) if s == "error"]
    assert errors and "före 001-ersattning-ny-niva" in errors[0]



def test_the_bundled_examples_take_effect_after_the_day_they_were_last_dated():
    """Every loadable example in amendments/ gets no timing finding on 2026-12-01 (a fixed
    day, not today: the examples' dates were moved to 2027-01-01 or later on that day, so this
    test does not start failing when the clock passes them). Only the dates are checked here;
    trasig.yaml does not load at all (its point is the error), its date is checked as text."""
    import datetime

    from avtalsregler.apps.amend.amendment import load_amendment
    from avtalsregler.apps.amend.apply import agreement_clauses
    from avtalsregler.apps.amend.report import timing
    from avtalsregler.errors import AvtalsreglerError

    day = datetime.date(2026, 12, 1)
    clauses = agreement_clauses(ROOT)
    checked = {}
    for path in sorted((ROOT / "amendments").glob("*.yaml")):
        try:
            a = load_amendment(path, clauses)
        except AvtalsreglerError:
            line = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("effective:")]
            assert line and datetime.date.fromisoformat(line[0].split(":", 1)[1].strip()) > day, path.name
            continue
        checked[path.name] = a.effective.isoformat()
        assert timing(ROOT, a, day) == [], path.name
    assert checked == {"ersattning_ny_niva.yaml": "2027-01-01", "halvarsfakturering.yaml": "2027-01-01",
                       "omrade_endast_regionen.yaml": "2027-07-01", "tak_60_procent.yaml": "2028-01-01",
                       "tak_60_procent_med_spec.yaml": "2028-01-01", "uppsagningstid_sex_manader.yaml": "2027-07-01"}

# -- compute, calendar and audit by the version in force ------------------------------------------

def test_compute_before_the_change_gives_todays_numbers_and_after_it_the_new(tmp_path, capsys):
    plain = _copy(tmp_path / "a")
    root = _copy(tmp_path / "b")
    for r in (plain, root):
        _fictitious_population(r, "2025-11-01", "2026-11-01")
    _apply(root, "halvarsfakturering.yaml", capsys)
    args = ("compute", "ersattning", "--annual-amount", "9356000")
    _, today = _json(capsys, plain, *args, "--year", "2026")
    _, before = _json(capsys, root, *args, "--year", "2026")
    assert before.pop("in_force")["version"]["number"] == 0
    assert today.pop("in_force")["version"]["label"] == "ursprunglig lydelse"     # no history: the original
    assert before == today                                     # exactly today's numbers
    ragunda = before["municipalities"][0]
    assert ragunda["annual_ore"] == RAGUNDA_ORE and ragunda["quarters_ore"] == [RAGUNDA_ORE // 4] * 4
    _, after = _json(capsys, root, *args, "--year", "2027")
    assert after["in_force"]["version"]["amendment"] == "halvarsfakturering"
    ragunda = after["municipalities"][0]
    assert ragunda["annual_ore"] == RAGUNDA_ORE and ragunda["halves_ore"] == [RAGUNDA_ORE // 2] * 2
    assert "quarters_ore" not in ragunda
    main(["--root", str(root), *args, "--year", "2026"])
    assert "Avtalets lydelse: ursprunglig lydelse" in capsys.readouterr().out


def test_the_calendar_over_the_change_switches_on_its_date(tmp_path, capsys):
    root = _copy(tmp_path)
    _apply(root, "halvarsfakturering.yaml", capsys)
    _, cal = _json(capsys, root, "calendar", "--from", "2026-01-01", "--to", "2028-12-31")
    assert [(p["from"], p["to"], p["number"]) for p in cal["versions"]] == [
        ("2026-01-01", "2026-12-31", 0), ("2027-01-01", "2028-12-31", 1)]
    invoices = [(e["date"], e["title"].split()[0], e["version"]) for e in cal["events"] if e["kind"] == "invoice"]
    assert [d for d, t, _ in invoices if t == "Kvartalsfaktura"] == ["2026-01-01", "2026-04-01", "2026-07-01",
                                                                     "2026-10-01"]
    assert [d for d, t, _ in invoices if t == "Halvårsfaktura"] == ["2027-01-01", "2027-07-01", "2028-01-01",
                                                                    "2028-07-01"]
    assert all(v.startswith("ursprunglig") == (d < "2027") for d, _, v in invoices)


def test_audit_of_invoices_before_the_change_passes_against_the_old_version(tmp_path, capsys):
    root = _copy(tmp_path)
    _apply(root, "halvarsfakturering.yaml", capsys)
    invoices = str(root / "examples/invoices/fakturor_2022_rattade.csv")
    assert main(["--root", str(root), "audit", invoices, "--annual-amount", "9356000"]) == 0
    assert "Granskat mot avtalets ursprunglig lydelse" in capsys.readouterr().out
    # the same invoices judged by the new version (two half-year invoices) are wrong
    assert main(["--root", str(root), "audit", invoices, "--annual-amount", "9356000", "--as-of", "2027-01-01"]) == 1


def test_a_change_inside_the_year_is_decided_by_the_transition_reading(tmp_path, capsys):
    """The base amount rises from 9 356 000 to 9 800 000 kr on 1 July 2027. With a FICTITIOUS
    index of 0 % every year the year's amount is the base amount itself: 9 356 000 kr under the
    old version, 9 800 000 kr under the new, and by days (181 of 365 old, 184 new)
    (9 356 000 × 181 + 9 800 000 × 184) / 365 = 9 579 824,6575 kr (the reading R7-overgang)."""
    from fractions import Fraction

    root = _copy(tmp_path)
    _later_copy(root, "ersattning_ny_niva.yaml", "juli.yaml", "2027-07-01")
    _apply(root, "juli.yaml", capsys)
    _fictitious_population(root, "2026-11-01")
    index = _zero_index(root)
    args = ("compute", "ersattning", "--year", "2027", "--index", str(index))
    _, first = _json(capsys, root, *args)
    tr = first["in_force"]
    assert tr["reading"] == "R7-overgang" and tr["transition"] == "first-day" and tr["version"]["number"] == 0
    assert [p["from"] for p in tr["parts"]] == ["2027-01-01", "2027-07-01"]
    assert first["annual_ore"] == 935_600_000
    alts = {a["alternative"]: a["members"] for a in tr["alternatives"]}
    total = {k: sum(m["annual_ore"] for m in v.values()) for k, v in alts.items()}
    assert total["first-day"] == 935_600_000 and total["last-day"] == 980_000_000
    assert abs(total["pro-rata"] - Fraction(95_798_246_575, 100)) <= 8          # one half öre per member at most
    for name, m in alts["pro-rata"].items():
        exact = Fraction(alts["first-day"][name]["annual_ore"] * 181 + alts["last-day"][name]["annual_ore"] * 184, 365)
        assert m["annual_ore"] == int((2 * exact + 1) // 2)
    _, last = _json(capsys, root, *args, "--transition", "last-day")
    assert last["annual_ore"] == 980_000_000 and last["in_force"]["version"]["number"] == 1
    assert main(["--root", str(root), *args]) == 0
    table = capsys.readouterr().out
    assert table.startswith("FIKTIVA")                                      # the made-up marks stay first
    assert ("Övergång enligt läsningen R7-overgang: hela året enligt lydelsen som gäller årets första dag"
            in table) and "sammanlagt 9 800 000,00 kr" in table


# -- the site -------------------------------------------------------------------------------------

def test_the_site_shows_the_history_page_and_each_clauses_history(tmp_path, capsys):
    import datetime

    from avtalsregler.apps.docs import site
    from avtalsregler.apps.docs.history import PAGE, add_history, described
    from avtalsregler.project.load import load_project

    root = _copy(tmp_path)
    _apply(root, "halvarsfakturering.yaml", capsys)
    shown = described(root, datetime.date(2026, 12, 1))
    assert shown.number == 0                                  # the change takes effect 2027-01-01
    page = "# §7 Ersättning\n\n## Avtalstexten\n\n(texten)\n\n## Vad det betyder\n\n(regeln)\n"
    files = {"index.md": 'Intro\n\n<p class="version">Regelversion: x</p>\n', "paragrafer/s07.md": page,
             "paragrafer/s01.md": page.replace("§7 Ersättning", "§1 Parter")}
    add_history(files, root, shown, ["§1", "§7"])
    history = files[PAGE]
    assert "| 1 | från 2027-01-01 och tills vidare | [Ersättningen faktureras halvårsvis" in history
    assert "**Godkänd av:** Region Jämtland Härjedalen, Ragunda kommun" in history
    assert "**Skäl:** Färre fakturor minskar administrationen" in history
    s07 = files["paragrafer/s07.md"]
    assert s07.index("## Avtalstexten") < s07.index("## Lydelsens historik") < s07.index("## Vad det betyder")
    new, old = s07.index("ersätts halvårsvis"), s07.index("ersätts kvartalsvis")
    assert s07.index("### Från 2027-01-01 och tills vidare") < new < s07.index("### Från början till och med "
                                                                                  "2026-12-31 — visas ovan") < old
    assert "Texten ovan är ursprunglig lydelse (till och med 2026-12-31), återskapad ur" in s07
    assert "§1 har inte ändrats" in files["paragrafer/s01.md"]
    assert "återskapad" not in files["paragrafer/s01.md"]
    assert "Webbplatsen beskriver överenskommelsen i **ursprunglig lydelse" in files["index.md"]
    assert {"Ändringshistorik": PAGE} in site.nav(load_project(root), None, True)
    assert described(root, datetime.date(2027, 1, 1)).number == 1


def test_check_all_versions_proves_each_version_and_replays_each_amendment(tmp_path, capsys):
    root = _copy(tmp_path)
    _apply(root, "halvarsfakturering.yaml", capsys)
    code, doc = _json(capsys, root, "check", "--all-versions", "--clause", "§7", "--no-cache")
    assert code == 0 and doc["ok"]
    assert [(v["version"]["number"], v["replay_mismatches"], v["ok"]) for v in doc["versions"]] == [
        (0, [], True), (1, [], True)]
    # version 0 is proved on its rebuilt files, version 1 on the current ones; both are named by
    # their path in the project (the version beside them), never the rebuilt folder
    rules = [v["clauses"][0]["rule"] for v in doc["versions"]]
    assert rules == ["ROOT/rules/s07_ersattning.yaml"] * 2
    assert "build/versions" not in json.dumps(doc)


def test_the_api_loads_the_version_in_force(tmp_path, capsys):
    import avtalsregler.api as av

    root = _copy(tmp_path)
    _apply(root, "halvarsfakturering.yaml", capsys)
    assert "kvartalsvis" in av.load(str(root), as_of="2026-12-31").agreement.body("§7")
    assert "halvårsvis" in av.load(str(root), as_of="2027-01-01").agreement.body("§7")
    assert "halvårsvis" in av.load(str(root)).agreement.body("§7")          # the current files


def test_a_rebuilt_version_follows_an_edit_of_a_file_no_amendment_touched(tmp_path, capsys):
    import datetime

    from avtalsregler.apps.amend.versions import in_force, project_of

    root = _copy(tmp_path)
    _apply(root, "halvarsfakturering.yaml", capsys)
    v0 = in_force(versions(root), datetime.date(2026, 1, 1))
    assert not project_of(root, v0).clauses["§3"].summary.startswith("ÄNDRAD")
    rule = root / "rules/s03_syfte.yaml"
    text = rule.read_text(encoding="utf-8")
    assert text.count("summary: >\n") == 1
    rule.write_text(text.replace("summary: >\n", "summary: >\n  ÄNDRAD\n"), encoding="utf-8")
    assert project_of(root, v0).clauses["§3"].summary.startswith("ÄNDRAD ")


def test_audit_of_a_year_with_a_change_inside_follows_the_transition_reading(tmp_path, capsys):
    """Half-yearly invoicing from 1 July 2022, a boundary of both rhythms (old quarter 3 and new
    half-year 2 begin that day): as the calendar lists it, quarters 1–2 of 2022 are the old
    version's and half-year 2 (1 Jul–31 Dec, whole) the new one's, whichever alternative of
    R7-overgang-faktura. So the quarterly file (examples/invoices/fakturor_2022_rattade.csv)
    passes quarters 1–2 and fails quarters 3–4 (8 + 8 rows the new version does not call for,
    8 half-year-2 invoices missing: 24); judged wholly by the version of 1 January (--as-of) it
    passes."""
    root = _copy(tmp_path)
    _later_copy(root, "halvarsfakturering.yaml", "halvar_2022.yaml", "2022-07-01")
    _apply(root, "halvar_2022.yaml", capsys)
    invoices = str(root / "examples/invoices/fakturor_2022_rattade.csv")
    args = ["--root", str(root), "audit", invoices, "--annual-amount", "9356000"]
    for extra in ((), ("--transition", "last-day")):
        assert main([*args, *extra]) == 1
        out = capsys.readouterr().out
        assert "år 2022 (2022-01-01–2022-06-30): ursprunglig lydelse (till och med 2022-06-30): allt stämmer" in out
        assert "år 2022 (2022-07-01–2022-12-31): lydelse enligt ändring 1 (halvarsfakturering), från " \
               "2022-07-01: 24 avvikelser" in out
    assert main([*args, "--as-of", "2022-01-01"]) == 0      # the whole year by the version of 1 January
    assert "Granskat mot avtalets ursprunglig lydelse (till och med 2022-06-30)" in capsys.readouterr().out


def test_a_bad_about_declaration_is_a_schema_error_with_its_place(tmp_path):
    import pytest

    from avtalsregler.errors import AvtalsreglerError
    from avtalsregler.project.load import load_project

    root = _copy(tmp_path)
    rule = root / "rules/s07_ersattning.yaml"
    text = rule.read_text(encoding="utf-8")
    for bad, message in (("unit: year", "about: unit 'month' is unknown"),
                         ("transition: R7-overgang", "no reading 'R7-overgng'"),
                         ("input: verksamhetsar", "about names 'befolkning', which is not an option input")):
        wrong = {"unit: year": "unit: month", "transition: R7-overgang": "transition: R7-overgng",
                 "input: verksamhetsar": "input: befolkning"}[bad]
        rule.write_text(text.replace("about: {input: verksamhetsar, unit: year, transition: R7-overgang}",
                                     "about: {input: verksamhetsar, unit: year, transition: R7-overgang}"
                                     .replace(bad, wrong)), encoding="utf-8")
        with pytest.raises(AvtalsreglerError) as exc:
            load_project(root)
        assert message in str(exc.value) and "s07_ersattning.yaml:" in str(exc.value)


# -- an audit file over the change: each year by its own version ----------------------------------

# The annual shares of 9 356 000 kr by the 2021-11-01 population (the FICTITIOUS rows for 2025-11-01
# and 2026-11-01 repeat it), by hand in amendments/halvarsfakturering.yaml (example kvartal_2022)
# and README (Ragunda 5 214 of 131 870 gives 36 992 632 öre).
ANNUAL_ORE = {"Ragunda": 36_992_632, "Bräcke": 43_966_886, "Krokom": 108_757_203, "Strömsund": 81_406_494,
              "Åre": 85_883_355, "Berg": 50_607_680, "Härjedalen": 71_402_733, "Östersund": 456_583_017}


def _split(annual: int, n: int) -> list[int]:
    """The hand rule of R7-kvartalsore (both versions): each period the share / n rounded down,
    the öre left over one each to the first periods (Krokom 108 757 203 / 4: three of 27 189 301
    and one of 27 189 300, as in examples/invoices/fakturor_2022_rattade.csv)."""
    q, r = divmod(annual, n)
    return [q + (i < r) for i in range(n)]


def _kr(ore: int) -> str:
    return f"{ore // 100},{ore % 100:02d}"


def _invoice_file(path: Path, quarterly_2027: bool = False) -> str:
    """FICTITIOUS invoices written by hand: 2026 quarterly (invoice days 1 Jan, 1 Apr, 1 Jul,
    1 Oct; version 0), 2027 half-yearly (1 Jan, 1 Jul; version 1) — or, wrongly, quarterly."""
    lines = ["# FIKTIVA fakturor för ett test, inte verkliga fakturor", "Kommun;Fakturadatum;Period;Belopp"]
    plans = [(2026, "kvartal", ["01-01", "04-01", "07-01", "10-01"]),
             (2027, "kvartal", ["01-01", "04-01", "07-01", "10-01"]) if quarterly_2027 else
             (2027, "halvår", ["01-01", "07-01"])]
    for year, word, days in plans:
        for name, annual in ANNUAL_ORE.items():
            for i, (day, ore) in enumerate(zip(days, _split(annual, len(days)), strict=True), start=1):
                lines.append(f"{name};{year}-{day};{year} {word} {i};{_kr(ore)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_an_audit_over_the_change_judges_each_year_by_its_version(tmp_path, capsys):
    assert _split(ANNUAL_ORE["Krokom"], 4) == [27_189_301, 27_189_301, 27_189_301, 27_189_300]
    assert _split(ANNUAL_ORE["Krokom"], 2) == [54_378_602, 54_378_601]      # the amendment's example
    root = _copy(tmp_path)
    _fictitious_population(root, "2025-11-01", "2026-11-01")
    _apply(root, "halvarsfakturering.yaml", capsys)
    good = _invoice_file(tmp_path / "f.csv")
    args = ["--root", str(root), "audit", good, "--annual-amount", "9356000"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Granskat mot avtalets ursprunglig lydelse (till och med 2026-12-31): år 2026" in out
    assert "Granskat mot avtalets lydelse enligt ändring 1 (halvarsfakturering), från 2027-01-01: år 2027" in out
    assert "32 rätt" in out and "16 rätt" in out and "Allt stämmer." in out
    code, doc = _json(capsys, root, *args[2:])
    assert code == 0 and doc["ok"] and doc["years"] == [2026, 2027]
    assert [(p["in_force"]["number"], p["years"], p["counts"]["rätt"]) for p in doc["parts"]] == [
        (0, [2026], 32), (1, [2027], 16)]
    main([*args, "--format", "csv"])
    rows = [r for r in capsys.readouterr().out.splitlines() if not r.startswith("#")]
    assert rows[0].startswith("version,verdict,year") and len(rows) == 1 + 32 + 16
    by_version = {}
    for r in csv.DictReader(rows):
        by_version.setdefault(r["version"], set()).add(r["year"])
    assert by_version == {versions(root)[0].label: {"2026"}, versions(root)[1].label: {"2027"}}
    import openpyxl

    assert main([*args, "--format", "xlsx", "--output", str(tmp_path / "g.xlsx")]) == 0
    capsys.readouterr()
    book = openpyxl.load_workbook(tmp_path / "g.xlsx")
    first = [n for n in book.sheetnames if n.startswith("Granskning")]
    assert len(first) == 2 and all(any(c.value and str(c.value).startswith("Granskat mot avtalets ")
                                       for row in book[n].iter_rows(max_row=8) for c in row) for n in first)
    # 2027 invoiced quarterly: wrong under the half-yearly version, and the exit code is the worst part's
    bad = _invoice_file(tmp_path / "g.csv", quarterly_2027=True)
    assert main(["--root", str(root), "audit", bad, "--annual-amount", "9356000"]) == 1
    out = capsys.readouterr().out
    assert "år 2026: ursprunglig lydelse (till och med 2026-12-31): allt stämmer" in out
    assert "år 2027: lydelse enligt ändring 1 (halvarsfakturering), från 2027-01-01: " in out
    assert "Avvikelser finns." in out


def test_the_site_of_an_earlier_version_names_the_rule_file_by_its_project_path(tmp_path, capsys):
    from avtalsregler.apps.amend.versions import project_of
    from avtalsregler.apps.docs.clause_page import ClausePage

    root = _copy(tmp_path)
    _apply(root, "halvarsfakturering.yaml", capsys)
    v0, v1 = versions(root)
    old = ClausePage(project_of(root, v0), "§7", None).rule_section()[2]
    assert "build/versions" not in old and "<code>rules/s07_ersattning.yaml</code>" in old
    assert "i ursprunglig lydelse (till och med 2026-12-31) (återskapad ur <code>amendments/applied/</code>)" in old
    new = ClausePage(project_of(root, v1), "§7", None).rule_section()[2]
    assert new == '<p class="kalla">Regelfil: <code>rules/s07_ersattning.yaml</code></p>'


def test_an_audit_by_invoice_day_judges_each_invoice_of_the_change_year_by_its_version(tmp_path, capsys):
    """Half-yearly invoicing from 1 July 2022 (a FICTITIOUS date). With --transition invoice-day,
    the invoices of 2022 due 1 January and 1 April are judged quarterly (version 0: the share / 4,
    as in fakturor_2022_rattade.csv), the one due 1 July half-yearly (version 1: the share / 2
    rounded down, the öre over goes to the first half; Krokom 108 757 203 / 2 → 54 378 601)."""
    root = _copy(tmp_path)
    _later_copy(root, "halvarsfakturering.yaml", "halvar_2022.yaml", "2022-07-01")
    _apply(root, "halvar_2022.yaml", capsys)
    lines = ["# FIKTIVA fakturor för ett test", "Kommun;Fakturadatum;Period;Belopp"]
    for name, annual in ANNUAL_ORE.items():
        q = _split(annual, 4)
        lines += [f"{name};2022-01-01;2022 kvartal 1;{_kr(q[0])}", f"{name};2022-04-01;2022 kvartal 2;{_kr(q[1])}",
                  f"{name};2022-07-01;2022 halvår 2;{_kr(_split(annual, 2)[1])}"]
    good = tmp_path / "f.csv"
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["--root", str(root), "audit", str(good), "--annual-amount", "9356000", "--transition"]
    code, doc = _json(capsys, root, *args[2:], "invoice-day")
    assert code == 0, doc
    assert [(p["in_force"]["number"], p["days"], p["counts"]["rätt"]) for p in doc["parts"]] == [
        (0, ["2022-01-01", "2022-06-30"], 16), (1, ["2022-07-01", "2022-12-31"], 8)]
    krokom = [f["invoiced_ore"] for p in doc["parts"] for f in p["findings"] if f["member"] == "krokom"]
    assert krokom == [27_189_301, 27_189_301, 54_378_601]
    # the covering event's reading (first-day, as the calendar lists the year) gives the same parts
    code, doc = _json(capsys, root, *args[2:], "first-day")
    assert code == 0 and [(p["in_force"]["number"], p["days"], p["counts"]["rätt"]) for p in doc["parts"]] == [
        (0, ["2022-01-01", "2022-06-30"], 16), (1, ["2022-07-01", "2022-12-31"], 8)]
    # the whole year by the version of 1 January is quarterly: the half-year invoice is not one of its periods
    assert main([*args[:-1], "--as-of", "2022-01-01"]) == 2
    capsys.readouterr()
    # the same year invoiced quarterly throughout fails by invoice day: the second half is half-yearly
    rattade = str(root / "examples/invoices/fakturor_2022_rattade.csv")
    assert main(["--root", str(root), "audit", rattade, "--annual-amount", "9356000", "--transition",
                 "invoice-day"]) == 1
    assert "år 2022 (2022-01-01–2022-06-30): ursprunglig lydelse (till och med 2022-06-30): allt stämmer" \
        in capsys.readouterr().out


# -- a change inside an invoice period: the calendar covers every day once --------------------------

def _invoices(doc: dict) -> list[tuple]:
    """(invoice day, first day, last day it pays for, version number) of every invoice; a whole
    period's days are those of its title's quarter or half-year, read from the title by hand."""
    whole = {"kvartal 1": ("01-01", "03-31"), "kvartal 2": ("04-01", "06-30"), "kvartal 3": ("07-01", "09-30"),
             "kvartal 4": ("10-01", "12-31"), "halvår 1": ("01-01", "06-30"), "halvår 2": ("07-01", "12-31")}
    out = []
    for e in doc["events"]:
        if e["kind"] != "invoice":
            continue
        year = e["title"].split()[1].rstrip(":")
        period = next(v for k, v in whole.items() if k in e["title"])
        days = (e["covers"]["from"], e["covers"]["to"]) if "covers" in e else tuple(f"{year}-{d}" for d in period)
        out.append((e["date"], *days, 0 if e["version"].startswith("ursprunglig") else 1))
    return out


def _each_day_once(invoices: list[tuple], start: str, end: str) -> None:
    import datetime

    seen: dict[datetime.date, int] = {}
    for _, a, b, _ in invoices:
        d = datetime.date.fromisoformat(a)
        while d <= datetime.date.fromisoformat(b):
            seen[d] = seen.get(d, 0) + 1
            d += datetime.timedelta(days=1)
    d, stop = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    while d <= stop:
        assert seen.get(d) == 1, f"{d} is invoiced {seen.get(d, 0)} times"
        d += datetime.timedelta(days=1)


def test_a_change_of_rhythm_inside_a_quarter_covers_every_day_once_by_the_declared_reading(tmp_path, capsys):
    """Half-yearly invoicing from 15 August 2027 (a FICTITIOUS date for halvarsfakturering).
    Cut at the date alone, the old quarter 3 (1 Jul–30 Sep) would be invoiced on 1 July and the
    new half-year 2 (1 Jul–31 Dec) would fall away (its invoice day 1 July is before the change):
    1 Oct–31 Dec 2027, 92 days, never invoiced. By hand from the reading R7-overgang-faktura
    (chosen: the running period whole by the version of its first day):
    - first-day: quarters 1–3 of 2027 old (1 Jan, 1 Apr, 1 Jul); then the new version from the
      day after quarter 3 ends, 1 Oct: the rest of half-year 2, 1 Oct–31 Dec = 31+30+31 = 92 of
      its 184 days (31+31+30+31+30+31), invoiced 1 Oct (its invoice day 1 Jul moved the same
      92 days as its first day); half-year 1 2028 on 1 Jan 2028.
    - last-day: the new half-year 2 whole from 1 Jul (invoiced 1 Jul); old quarter 3 falls away.
    - pro-rata: old quarter 3 for 1 Jul–14 Aug (31+14 = 45 of 92 days, invoiced 1 Jul), new
      half-year 2 for 15 Aug–31 Dec (17+30+31+30+31 = 139 of 184 days, invoiced 15 Aug)."""
    root = _copy(tmp_path)
    _later_copy(root, "halvarsfakturering.yaml", "halvar_aug.yaml", "2027-08-15")
    _apply(root, "halvar_aug.yaml", capsys)
    args = ("calendar", "--from", "2027-01-01", "--to", "2028-06-30")
    head = [("2027-01-01", "2027-01-01", "2027-03-31", 0), ("2027-04-01", "2027-04-01", "2027-06-30", 0)]
    tail = [("2028-01-01", "2028-01-01", "2028-06-30", 1)]
    want = {"first-day": [("2027-07-01", "2027-07-01", "2027-09-30", 0), ("2027-10-01", "2027-10-01", "2027-12-31", 1)],
            "last-day": [("2027-07-01", "2027-07-01", "2027-12-31", 1)],
            "pro-rata": [("2027-07-01", "2027-07-01", "2027-08-14", 0), ("2027-08-15", "2027-08-15", "2027-12-31", 1)]}
    _, doc = _json(capsys, root, *args)
    assert _invoices(doc) == head + want["first-day"] + tail             # the declared reading's choice
    cut = next(e for e in doc["events"] if "covers" in e)
    assert cut["covers"]["share"].startswith("92 av periodens 184 dagar (2027-07-01–2027-12-31), läsningen "
                                             "R7-overgang-faktura (first-day)")
    assert "(del av perioden: 2027-10-01–2027-12-31)" in cut["title"]
    (t,) = doc["transitions"]
    assert (t["effective"], t["reading"], t["chosen"], t["days"]) == (
        "2027-08-15", "R7-overgang-faktura", "first-day", ["2027-07-01", "2027-12-31"])
    effect = {a["alternative"]: (a["switch_day"], [(p["from"], p["to"], p["days"], p["period_days"]) for p in a["parts"]])
              for a in t["alternatives"]}
    assert effect == {"first-day": ("2027-10-01", [("2027-07-01", "2027-09-30", 92, 92), ("2027-10-01", "2027-12-31", 92, 184)]),
                      "last-day": ("2027-07-01", [("2027-07-01", "2027-12-31", 184, 184)]),
                      "pro-rata": ("2027-08-15", [("2027-07-01", "2027-08-14", 45, 92), ("2027-08-15", "2027-12-31", 139, 184)])}
    for alt, middle in want.items():
        _, doc = _json(capsys, root, *args, "--transition", alt)
        assert _invoices(doc) == head + middle + tail, alt
        _each_day_once(_invoices(doc), "2027-01-01", "2028-06-30")
    assert main(["--root", str(root), *args, "--format", "ics"]) == 0
    ics = capsys.readouterr().out.replace("\r\n ", "")
    assert "Övergång: gäller 2027-10-01–2027-12-31\\, 92 av periodens 184 dagar" in ics
    assert main(["--root", str(root), *args, "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert [(r["date"], r["covers_from"], r["covers_to"]) for r in rows if r["covers_share"]] == [
        ("2027-10-01", "2027-10-01", "2027-12-31")]
    import openpyxl

    assert main(["--root", str(root), *args, "--output", str(tmp_path / "k.xlsx")]) == 0
    capsys.readouterr()
    sheet = [[c.value for c in r] for r in openpyxl.load_workbook(tmp_path / "k.xlsx")["Kalender"].iter_rows()]
    col = next(r for r in sheet if "Del av perioden" in r).index("Del av perioden")
    assert [r[col] for r in sheet if r[col] and r[col] != "Del av perioden"] == [
        "2027-10-01–2027-12-31: 92 av periodens 184 dagar (2027-07-01–2027-12-31), läsningen R7-overgang-faktura "
        "(first-day)"]


def test_an_amount_change_inside_a_quarter_keeps_the_quarters_and_names_the_version(tmp_path, capsys):
    """A new amount from 15 August 2027 (ersattning_ny_niva at a FICTITIOUS date): the periods
    keep their shape, so by the chosen reading quarter 3 (1 Jul–30 Sep) is the old version's and
    quarter 4 (from 1 Oct) the new one's; the dates are today's. By days (pro rata): 45 of 92
    days old, 47 (17 + 30) new."""
    root = _copy(tmp_path)
    _later_copy(root, "ersattning_ny_niva.yaml", "ny_niva_aug.yaml", "2027-08-15")
    _apply(root, "ny_niva_aug.yaml", capsys)
    _, doc = _json(capsys, root, "calendar", "--from", "2027-01-01", "--to", "2027-12-31")
    assert [(d, v) for d, _, _, v in _invoices(doc)] == [("2027-01-01", 0), ("2027-04-01", 0), ("2027-07-01", 0),
                                                         ("2027-10-01", 1)]
    _each_day_once(_invoices(doc), "2027-01-01", "2027-12-31")
    pro = next(a for a in doc["transitions"][0]["alternatives"] if a["alternative"] == "pro-rata")
    assert [(p["from"], p["to"], p["days"], p["period_days"]) for p in pro["parts"]] == [
        ("2027-07-01", "2027-08-14", 45, 92), ("2027-08-15", "2027-09-30", 47, 92)]


def test_the_api_audit_chooses_versions_like_the_cli(tmp_path, capsys):
    """The same FICTITIOUS file as above (2026 quarterly, 2027 half-yearly, amounts by hand from
    ANNUAL_ORE): the API splits it like `audit` (32 + 16 right), and fails it when 2027 is
    invoiced quarterly; as_of 2027 judges every year by the half-yearly version, a project loaded as
    of 2026 (an earlier version) every year by the quarterly one."""
    import avtalsregler.api as av

    root = _copy(tmp_path)
    _fictitious_population(root, "2025-11-01", "2026-11-01")
    _apply(root, "halvarsfakturering.yaml", capsys)
    good = _invoice_file(tmp_path / "f.csv")
    doc = av.audit(av.load(str(root)), good, annual_amount=9356000)
    assert doc["ok"] and doc["years"] == [2026, 2027]
    assert [(p["in_force"]["number"], p["counts"]["rätt"]) for p in doc["parts"]] == [(0, 32), (1, 16)]
    assert not av.audit(av.load(str(root)), _invoice_file(tmp_path / "g.csv", True), annual_amount=9356000)["ok"]
    assert not av.audit(av.load(str(root)), good, annual_amount=9356000, as_of="2027-01-01")["ok"]
    import pytest

    from avtalsregler.errors import AvtalsreglerError

    with pytest.raises(AvtalsreglerError, match="the period '2027 halvår 1' is not one of kvartal"):
        av.audit(av.load(str(root), as_of="2026-06-01"), good, annual_amount=9356000)    # version 0 for all


# -- a change of the notice period while a notice runs ----------------------------------------------

def test_a_shorter_notice_period_inside_a_running_notice_is_decided_by_the_declared_reading(tmp_path, capsys):
    """amendments/uppsagningstid_sex_manader.yaml (an EXAMPLE, not an agreed change): 12 → 6
    months from 2027-07-01. A written notice arrives 2027-03-15. By hand (periods 2022–2024,
    2025–2027, 2028–2030; a deadline is the day before the period's end + 1 day minus the notice
    months): with 12 months the deadline for 2025–2027 is 2026-12-31, passed, so the notice ends
    the agreement with 2028–2030 (deadline 2029-12-31): 2030-12-31; with 6 months the deadline
    for 2025–2027 is 2027-06-30, held: 2027-12-31. The notice period runs over 2027-07-01 either
    way. R11-overgang chose the version of the day the notice arrived (12 months): 2030-12-31;
    last-day: 2027-12-31 (and 2027-12-31 is under the new version, so that is consistent). The
    day asked about (2027-09-01) still uses the new version for the deadlines ahead: the next
    deadline is 2030-06-30 (for 2028–2030 ending 2030-12-31, minus 6 months, the day before)."""
    root = _copy(tmp_path)
    _apply(root, "uppsagningstid_sex_manader.yaml", capsys)
    args = ("compute", "giltighet", "--date", "2027-09-01", "--notice", "2027-03-15")
    _, doc = _json(capsys, root, *args)
    assert doc["ends_on"] == "2030-12-31" and doc["next_notice_deadline"] == "2030-06-30"
    p = doc["in_force"]["period"]
    assert (p["reading"], p["chosen"], p["version"]["number"], p["changes_inside"]) == (
        "R11-overgang", "first-day", 0, ["2027-07-01"])
    assert [(a["alternative"], a["number"], a["from"], a["to"]) for a in p["alternatives"]] == [
        ("first-day", 0, "2027-03-15", "2030-12-31"), ("last-day", 1, "2027-03-15", "2027-12-31")]
    _, doc = _json(capsys, root, *args, "--transition", "last-day")
    assert doc["ends_on"] == "2027-12-31" and doc["in_force"]["period"]["version"]["number"] == 1
    # a notice after the change: nothing to decide, 6 months (2030-06-30 held: ends 2030-12-31)
    _, doc = _json(capsys, root, "compute", "giltighet", "--date", "2027-09-01", "--notice", "2027-08-01")
    assert doc["ends_on"] == "2030-12-31" and "period" not in doc["in_force"]
    assert main(["--root", str(root), *args]) == 0
    assert "övergång enligt läsningen R11-overgang, first-day: ursprunglig lydelse" in capsys.readouterr().out


def test_the_calendar_shows_the_notice_deadlines_by_the_declared_reading(tmp_path, capsys):
    """The same example amendment. A deadline is about the notice period from it to the end it
    gives. By hand: first-day (chosen) keeps a deadline when its own version is in force on it:
    12 months 2023-12-31 (for 2024-12-31) and 2026-12-31 (for 2027-12-31), both before the change;
    then 6 months: 2027-06-30 is before 2027-07-01 (dropped), 2030-06-30 (for 2030-12-31). The
    12-month 2029-12-31 falls after the change (dropped). last-day keeps it when its version is in
    force on the end it gives: 2023-12-31 (end 2024-12-31, old), 2027-06-30 (end 2027-12-31,
    new), 2030-06-30 (new); the old 2026-12-31 goes (its end 2027-12-31 is under the new)."""
    root = _copy(tmp_path)
    _apply(root, "uppsagningstid_sex_manader.yaml", capsys)
    want = {"first-day": [("2023-12-31", 0), ("2026-12-31", 0), ("2030-06-30", 1)],
            "last-day": [("2023-12-31", 0), ("2027-06-30", 1), ("2030-06-30", 1)]}
    for alt, deadlines in want.items():
        extra = () if alt == "first-day" else ("--transition", alt)
        _, doc = _json(capsys, root, "calendar", "--from", "2023-01-01", "--to", "2031-12-31", *extra)
        got = [(e["date"], 0 if e["version"].startswith("ursprunglig") else 1) for e in doc["events"]
               if e["kind"] == "notice_deadline"]
        assert got == deadlines, alt


def test_compute_gives_each_alternatives_invoices_for_a_change_inside_a_quarter(tmp_path, capsys):
    """The base amount rises from 9 356 000 to 9 800 000 kr on 15 August 2027 (ersattning_ny_niva
    at a FICTITIOUS date, a FICTITIOUS index of 0 %, so the year's amount is the base amount).
    By hand for the whole region (reading R7-overgang-faktura): a quarter is 2 339 000 kr old,
    2 450 000 kr new; quarter 3 has 92 days, 45 before the change.
    - first-day (chosen): 3 × 2 339 000 + 2 450 000 = 9 467 000 kr;
    - last-day: 2 × 2 339 000 + 2 × 2 450 000 = 9 578 000 kr;
    - pro-rata: 2 × 2 339 000 + 2 339 000 × 45/92 + 2 450 000 × 47/92 + 2 450 000
      = 4 678 000 + 1 144 076,0870 + 1 251 630,4348 + 2 450 000 = 9 523 706,52 kr.
    Each municipality's quarters are its own share's (one öre apart at most), so the region's
    sums may differ from these by a few öre; per municipality the parts are checked exactly
    against its quarters under each version (compute --as-of)."""
    root = _copy(tmp_path)
    _later_copy(root, "ersattning_ny_niva.yaml", "aug.yaml", "2027-08-15")
    _apply(root, "aug.yaml", capsys)
    _fictitious_population(root, "2026-11-01")
    index = _zero_index(root)
    args = ("compute", "ersattning", "--year", "2027", "--index", str(index))
    _, doc = _json(capsys, root, *args)
    alts = {a["alternative"]: a for a in doc["in_force"]["invoice_periods"]}
    assert [a["chosen"] for a in alts.values()] == [True, False, False]
    for alt, hand in (("first-day", 946_700_000), ("last-day", 957_800_000), ("pro-rata", 952_370_652)):
        assert abs(alts[alt]["total"] - hand) <= 8, alt
    assert [(p["from"], p["to"], p["days"]) for p in alts["pro-rata"]["parts"]] == [
        ("2027-01-01", "2027-03-31", 90), ("2027-04-01", "2027-06-30", 91), ("2027-07-01", "2027-08-14", 45),
        ("2027-08-15", "2027-09-30", 47), ("2027-10-01", "2027-12-31", 92)]
    quarters = {}
    for n, day in ((0, "2027-01-01"), (1, "2027-12-31")):
        _, v = _json(capsys, root, *args, "--as-of", day)
        quarters[n] = {m["municipality"]: m["quarters_ore"] for m in v["municipalities"]}
    for name, old in quarters[0].items():
        new = quarters[1][name]
        assert alts["first-day"]["totals"][name] == old[0] + old[1] + old[2] + new[3]
        assert alts["last-day"]["totals"][name] == old[0] + old[1] + new[2] + new[3]
        half_up = [int((2 * x + 1) // 2) for x in (Fraction(old[2] * 45, 92), Fraction(new[2] * 47, 92))]
        assert alts["pro-rata"]["totals"][name] == old[0] + old[1] + sum(half_up) + new[3]
    assert main(["--root", str(root), *args]) == 0
    assert "Fakturorna för perioderna enligt läsningen R7-overgang-faktura" in capsys.readouterr().out


def test_the_transition_readings_are_in_the_register_with_their_effects_on_the_site():
    """The two readings this history adds are in the register in Swedish, open, with the
    effects computed by hand above, and on the site's page of readings."""
    from avtalsregler.apps.docs.home import render_register
    from avtalsregler.project.load import load_project

    project = load_project(ROOT)
    page = render_register(project)
    for rid, effect in (("R7-overgang-faktura", "9 523 706,52 kr"), ("R11-overgang", "2027-12-31, tre år tidigare")):
        r = project.readings[rid]
        assert r.status == "open" and r.alternatives
        assert effect in " ".join(" ".join(a.effect.split()) for a in r.alternatives)
        assert rid in page
    assert "1 oktober–31 december 2027 (92 dagar) skulle inte" in " ".join(project.readings["R7-overgang-faktura"]
                                                                           .question.split())


def test_the_api_calendar_switches_on_the_effective_date_like_the_cli(tmp_path, capsys):
    """halvarsfakturering from 2027-01-01: by hand, 2026 has four quarterly invoices (1 Jan,
    1 Apr, 1 Jul, 1 Oct) under the original wording and 2027 two half-yearly ones (1 Jan, 1 Jul)."""
    import avtalsregler.api as av

    root = _copy(tmp_path)
    _apply(root, "halvarsfakturering.yaml", capsys)
    rows = av.calendar(av.load(str(root)), "2026-01-01", "2027-12-31")
    got = [(e["date"], e["title"].split()[0], e["version"].startswith("ursprunglig")) for e in rows
           if e["kind"] == "invoice"]
    assert got == [(f"2026-{m}-01", "Kvartalsfaktura", True) for m in ("01", "04", "07", "10")] + [
        (f"2027-{m}-01", "Halvårsfaktura", False) for m in ("01", "07")]
    old = av.calendar(av.load(str(root)), "2027-01-01", "2027-12-31", as_of="2026-06-01")
    assert [e["title"].split()[0] for e in old if e["kind"] == "invoice"] == ["Kvartalsfaktura"] * 4


def test_a_change_of_rhythm_inside_a_quarter_invoices_the_years_amount_once(tmp_path, capsys):
    """Half-yearly invoicing from 15 August 2027 (FICTITIOUS date), the amount unchanged
    (9 356 000 kr given): whichever alternative, the year's invoices add up to the year's amount,
    up to the rounding of the cut parts (half up, at most ½ öre per municipality and cut part, two
    cut parts at most: 8 öre). By hand, first-day: Krokom's quarters 27 189 301 × 3 (version 0)
    and half of its half-year 2 (54 378 601 × 92/184 = 27 189 300,5 → 27 189 301) = 108 757 204
    öre, one öre over its share 108 757 203 (the rounding of the cut part)."""
    root = _copy(tmp_path)
    _later_copy(root, "halvarsfakturering.yaml", "halvar_aug.yaml", "2027-08-15")
    _apply(root, "halvar_aug.yaml", capsys)
    _fictitious_population(root, "2026-11-01")
    _, doc = _json(capsys, root, "compute", "ersattning", "--year", "2027", "--annual-amount", "9356000")
    alts = {a["alternative"]: a for a in doc["in_force"]["invoice_periods"]}
    for alt, a in alts.items():
        assert 0 <= a["total"] - 935_600_000 <= 8, alt
    assert alts["first-day"]["totals"]["Krokom"] == 3 * 27_189_301 + 27_189_301 == 108_757_204
    assert [(p["from"], p["to"], p["key"]) for p in alts["first-day"]["parts"]][-1] == (
        "2027-10-01", "2027-12-31", "halvar_2")


def _cut_invoice_file(path: Path, cut_ore: dict[str, int]) -> str:
    """FICTITIOUS invoices of 2027 written by hand as the calendar lists them under the chosen
    first-day: quarters 1–3 (1 Jan, 1 Apr, 1 Jul; a fourth of the share each, the hand rule
    _split) and the cut half-year 2 on 1 Oct for ``cut_ore``."""
    lines = ["# FIKTIVA fakturor för ett test, inte verkliga fakturor", "Kommun;Fakturadatum;Period;Belopp"]
    for name, annual in ANNUAL_ORE.items():
        for i, (day, ore) in enumerate(zip(("01-01", "04-01", "07-01"), _split(annual, 4), strict=False), start=1):
            lines.append(f"{name};2027-{day};2027 kvartal {i};{_kr(ore)}")
        lines.append(f"{name};2027-10-01;2027 halvår 2;{_kr(cut_ore[name])}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_an_audit_of_a_cut_period_follows_the_calendar_and_compute(tmp_path, capsys):
    """Half-yearly invoicing from 15 August 2027 (FICTITIOUS date for halvarsfakturering), the
    annual amount 9 356 000 kr given, the 2021 population under 2026-11-01 (FICTITIOUS rows).
    By hand from §7 and the reading R7-overgang-faktura (chosen first-day: the running quarter 3
    whole by the old version, the new version from 1 Oct):
    - quarters 1–3 (1 Jan, 1 Apr, 1 Jul), each a fourth of the year's share (R7-kvartalsore:
      rounded down, the öre left over to the first quarters): Krokom 108 757 203 / 4 =
      27 189 300 rest 3, so 27 189 301 × 3; Ragunda 36 992 632 / 4 = 9 248 158;
    - half-year 2 (1 Jul–31 Dec, 184 days) is half the share (Krokom 108 757 203 / 2 =
      54 378 601 rest 1: half-year 1 54 378 602, half-year 2 54 378 601; Ragunda 18 496 316);
      its part 1 Oct–31 Dec is 92 of its 184 days, so 54 378 601 × 92/184 = 27 189 300,5 →
      27 189 301 öre (half up, as compute states: 'avrundat ... halvt öre uppåt'), Ragunda
      18 496 316 / 2 = 9 248 158; invoiced 1 Oct (the invoice day 1 Jul moved 92 days, as its
      first day).
    The hand-made file passes (exit 0), in two parts (each version its own); the same file with
    Krokom's cut invoice at the whole half-year's 54 378 601 öre fails (exit 1), naming that
    invoice (fel belopp, expected 271 893,01 kr). With --transition last-day (the new half-year
    2 whole from 1 Jul, as the calendar lists it then) the file is wrong."""
    assert _split(ANNUAL_ORE["Krokom"], 2)[1] == 54_378_601
    cut = {n: int((2 * Fraction(_split(a, 2)[1] * 92, 184) + 1) // 2) for n, a in ANNUAL_ORE.items()}
    assert cut["Krokom"] == 27_189_301 and cut["Ragunda"] == 9_248_158
    root = _copy(tmp_path)
    _later_copy(root, "halvarsfakturering.yaml", "halvar_aug.yaml", "2027-08-15")
    _apply(root, "halvar_aug.yaml", capsys)
    _fictitious_population(root, "2026-11-01")
    # the hand figures are the ones compute lists (the calendar's parts, test above)
    _, doc = _json(capsys, root, "compute", "ersattning", "--year", "2027", "--annual-amount", "9356000")
    chosen = next(a for a in doc["in_force"]["invoice_periods"] if a["chosen"])
    assert [(p["date"], p["key"], p["members"]["Krokom"]) for p in chosen["parts"]] == [
        ("2027-01-01", "kvartal_1", 27_189_301), ("2027-04-01", "kvartal_2", 27_189_301),
        ("2027-07-01", "kvartal_3", 27_189_301), ("2027-10-01", "halvar_2", cut["Krokom"])]
    assert chosen["parts"][-1]["members"] == cut
    good = _cut_invoice_file(tmp_path / "f.csv", cut)
    args = ["--root", str(root), "audit", good, "--annual-amount", "9356000"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "år 2027 (2027-01-01–2027-09-30): ursprunglig lydelse (till och med 2027-08-14): allt stämmer" in out
    assert "år 2027 (2027-10-01–2027-12-31): lydelse enligt ändring 1 (halvarsfakturering), från 2027-08-15: " \
           "allt stämmer" in out
    assert ("Del av perioden (Krokom, Halvår 2 (juli–december) 2027): 92 av periodens 184 dagar "
            "(2027-07-01–2027-12-31), läsningen R7-overgang-faktura (first-day); lydelse enligt ändring 1 "
            "(halvarsfakturering), från 2027-08-15: periodens 543 786,01 kr × 92/184") in out
    code, doc = _json(capsys, root, *args[2:])
    assert code == 0 and [(p["in_force"]["number"], p["counts"]["rätt"]) for p in doc["parts"]] == [(0, 24), (1, 8)]
    krokom = next(f for f in doc["parts"][1]["findings"] if f["member"] == "krokom")
    assert (krokom["period"], krokom["due_date"], krokom["expected_ore"]) == ("halvar_2", "2027-10-01", 27_189_301)
    assert krokom["share"].startswith("92 av periodens 184 dagar")
    assert all(not f["share"] for f in doc["parts"][0]["findings"])
    main([*args, "--format", "csv"])
    rows = list(csv.DictReader(r for r in capsys.readouterr().out.splitlines() if not r.startswith("#")))
    assert [(r["version"][:7], r["period"][:8], r["share"][:26]) for r in rows if r["member"] == "Krokom"] == [
        ("ursprun", "Kvartal ", ""), ("ursprun", "Kvartal ", ""), ("ursprun", "Kvartal ", ""),
        ("lydelse", "Halvår 2", "92 av periodens 184 dagar ")]
    import openpyxl

    assert main([*args, "--format", "xlsx", "--output", str(tmp_path / "g.xlsx")]) == 0
    capsys.readouterr()
    book = openpyxl.load_workbook(tmp_path / "g.xlsx")
    cells = [str(c.value) for n in book.sheetnames if n.startswith("Granskning") for r in book[n].iter_rows()
             for c in r if c.value]
    assert sum("del av perioden: 92 av periodens 184 dagar" in c for c in cells) == 8
    # the cut invoice at the whole half-year's amount
    bad = _cut_invoice_file(tmp_path / "b.csv", {**cut, "Krokom": 54_378_601})
    assert main(["--root", str(root), "audit", bad, "--annual-amount", "9356000"]) == 1
    out = capsys.readouterr().out
    assert f"FEL BELOPP: Krokom, Halvår 2 (juli–december) 2027 ({tmp_path / 'b.csv'}:14:1)" in out   # its row
    assert "fakturerat 543 786,01 kr, regeln ger 271 893,01 kr (skillnad +271 893,00 kr)" in out
    assert "31 rätt" not in out and "7 rätt, 1 fel belopp" in out
    assert main([*args, "--transition", "last-day"]) == 1
    capsys.readouterr()


def test_an_audit_by_days_follows_the_calendars_pro_rata(tmp_path, capsys):
    """The same change (half-yearly from 15 August 2027, FICTITIOUS), --transition pro-rata as
    the calendar's: quarters 1–2 whole (old); quarter 3 for 1 Jul–14 Aug, 31 + 14 = 45 of its 92
    days, invoiced 1 Jul; half-year 2 for 15 Aug–31 Dec, 17 + 30 + 31 + 30 + 31 = 139 of its 184
    days, invoiced 15 Aug (1 Jul moved 45 days). By hand, Krokom: 27 189 301 × 45/92 =
    13 299 114,62 → 13 299 115 öre; 54 378 601 × 139/184 = 41 079 486,625 → 41 079 487 öre (half
    up). The file passes by pro-rata and fails by the declared first-day (quarter 3 whole,
    27 189 301; half-year 2's part from 1 Oct, 27 189 301, is missing; the row of 15 Aug is
    for a period the old version does not have)."""
    def half_up(x: Fraction) -> int:
        return int((2 * x + 1) // 2)

    root = _copy(tmp_path)
    _later_copy(root, "halvarsfakturering.yaml", "halvar_aug.yaml", "2027-08-15")
    _apply(root, "halvar_aug.yaml", capsys)
    _fictitious_population(root, "2026-11-01")
    lines = ["# FIKTIVA fakturor för ett test, inte verkliga fakturor", "Kommun;Fakturadatum;Period;Belopp"]
    for name, annual in ANNUAL_ORE.items():
        q, h = _split(annual, 4), _split(annual, 2)
        lines += [f"{name};2027-01-01;2027 kvartal 1;{_kr(q[0])}", f"{name};2027-04-01;2027 kvartal 2;{_kr(q[1])}",
                  f"{name};2027-07-01;2027 kvartal 3;{_kr(half_up(Fraction(q[2] * 45, 92)))}",
                  f"{name};2027-08-15;2027 halvår 2;{_kr(half_up(Fraction(h[1] * 139, 184)))}"]
    assert lines[2 + 4 * 2 + 2:2 + 4 * 2 + 4] == ["Krokom;2027-07-01;2027 kvartal 3;132991,15",
                                                  "Krokom;2027-08-15;2027 halvår 2;410794,87"]
    path = tmp_path / "p.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["audit", str(path), "--annual-amount", "9356000"]
    code, doc = _json(capsys, root, *args, "--transition", "pro-rata")
    assert code == 0 and [(p["in_force"]["number"], p["days"], p["counts"]["rätt"]) for p in doc["parts"]] == [
        (0, ["2027-01-01", "2027-08-14"], 24), (1, ["2027-08-15", "2027-12-31"], 8)]
    krokom = [(f["period"], f["due_date"], f["expected_ore"], f["share"][:26]) for p in doc["parts"]
              for f in p["findings"] if f["member"] == "krokom"]
    assert krokom == [("kvartal_1", "2027-01-01", 27_189_301, ""), ("kvartal_2", "2027-04-01", 27_189_301, ""),
                      ("kvartal_3", "2027-07-01", 13_299_115, "45 av periodens 92 dagar ("),
                      ("halvar_2", "2027-08-15", 41_079_487, "139 av periodens 184 dagar")]
    import avtalsregler.api as av

    assert av.audit(av.load(str(root)), str(path), annual_amount=9356000, transition="pro-rata")["ok"]
    # the declared first-day: the old version judges the rows dated to 30 Sep, so the half-year row of
    # 15 Aug is a period it does not have (a finding, not a bad file); the 1 Oct part is missing
    assert main(["--root", str(root), *args]) == 1
    out = capsys.readouterr().out
    assert f"OKÄND FAKTURA: Krokom, 2027 halvår 2 2027 ({path}:14:1)" in out
    assert "SAKNAS: Krokom, Halvår 2 (juli–december) 2027 (ingen rad)" in out
    assert "ingen faktura i filen; regeln ger 271 893,01 kr att fakturera 2027-10-01" in out
