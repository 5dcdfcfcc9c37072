"""``avtalsregler calendar`` against dates worked out BY HAND from the agreement's text.

Derivation (range 2019-01-01 – 2030-12-31):

* Periods. §10 s10.1 "gäller från och med 2019-01-01 till 2021-12-31" with R10-till ("till" =
  till och med): P0 = 2019-01-01 – 2021-12-31. s10.2 "Förlängning sker automatiskt med 3 år i
  taget" with R10-perioder: P1 = 2022-01-01 – 2024-12-31, P2 = 2025-01-01 – 2027-12-31,
  P3 = 2028-01-01 – 2030-12-31.
* Termination deadlines. §11 s11.1 "senast 12 månader före överenskommelsens utgång" with
  R11-utgang: the utgång of P0 is 2022-01-01 00:00; twelve months before it is 2021-01-01 00:00,
  so a notice must be received on 2020-12-31 at the latest (R11-senast: that day counts).
  Likewise P1 → 2023-12-31, P2 → 2026-12-31, P3 → 2029-12-31.
* Quarterly invoices. §7 s7.3 "kvartalsvis i förskott", s7.4 "fyra gånger årligen"; the day is
  not in the text: R10-fakturadag (and R7-forfallodag) choose the first day of each calendar
  quarter: 1 January, 1 April, 1 July, 1 October of each year 2019–2030 (48 dates; the first is
  2019-01-01, the day the agreement begins).
* Yearly duties. §8 s8.3 "En verksamhetsberättelse tas årligen fram" and s8.4 "den
  uppföljningsdialog som årligen genomförs i varje kommun"; R8-arligen: once each calendar year,
  due 31 December: 2019-12-31 … 2030-12-31 for each of the two duties (24 events).

Total: 4 + 4 + 4 + 48 + 24 = 84 events.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import subprocess
import sys

import pytest
from icalendar import Calendar

from avtalsregler.cli.main import main

from ..conftest import ROOT

D = datetime.date.fromisoformat
EPOCH_2026_11_26 = "1795651200"          # 2026-11-26 00:00:00 UTC
PERIODS = [("2019-01-01", "2021-12-31", "2020-12-31"), ("2022-01-01", "2024-12-31", "2023-12-31"),
           ("2025-01-01", "2027-12-31", "2026-12-31"), ("2028-01-01", "2030-12-31", "2029-12-31")]
YEARS = range(2019, 2031)
EXPECTED = {
    "period_start": sorted(D(p[0]) for p in PERIODS),
    "period_end": sorted(D(p[1]) for p in PERIODS),
    "notice_deadline": sorted(D(p[2]) for p in PERIODS),
    "invoice": [datetime.date(y, m, 1) for y in YEARS for m in (1, 4, 7, 10)],
    "duty_deadline": sorted([datetime.date(y, 12, 31) for y in YEARS] * 2),
}
FIELDS = ["date", "kind", "clause", "title", "sentence_id", "quote", "reading", "source", "detail",
          "alarm_days_before", "uid"]


def norm(text: str) -> str:
    return " ".join(str(text).split())


AGREEMENT = norm((ROOT / "agreement" / "overenskommelse.txt").read_text(encoding="utf-8"))


def run(tmp_path, *args, name="out", fmt="ics", env_epoch=EPOCH_2026_11_26, monkeypatch=None) -> bytes:
    out = tmp_path / f"{name}.{fmt}"
    if monkeypatch is not None and env_epoch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", env_epoch)
    rc = main(["--root", str(ROOT), "calendar", "--format", fmt, "--output", str(out), *args])
    assert rc == 0
    return out.read_bytes()


@pytest.fixture
def ics(tmp_path, monkeypatch):
    data = run(tmp_path, "--from", "2019-01-01", "--to", "2030-12-31", monkeypatch=monkeypatch)
    return Calendar.from_ical(data)


def kind_of(ev) -> str:
    return str(ev["uid"]).split("-")[0]


def by_kind(cal) -> dict[str, list[datetime.date]]:
    out: dict[str, list[datetime.date]] = {}
    for ev in cal.walk("VEVENT"):
        out.setdefault(kind_of(ev), []).append(ev.decoded("dtstart"))
    return {k: sorted(v) for k, v in out.items()}


def test_ics_dates_are_the_hand_derived_ones(ics):
    assert by_kind(ics) == EXPECTED
    assert len(ics.walk("VEVENT")) == 84


def test_ics_is_rfc5545_all_day_with_stable_unique_uids(ics):
    assert str(ics["version"]) == "2.0" and "prodid" in ics
    uids = [str(ev["uid"]) for ev in ics.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    for ev in ics.walk("VEVENT"):
        start = ev.decoded("dtstart")
        assert type(start) is datetime.date                       # VALUE=DATE, not a date-time
        assert ev["dtstart"].params.get("VALUE") == "DATE"
        assert ev.decoded("dtend") == start + datetime.timedelta(days=1)
        assert ev.decoded("dtstamp") == datetime.datetime(2026, 11, 26, tzinfo=datetime.timezone.utc)
        assert str(ev["summary"]).strip()
    assert "notice_deadline-period-0@avtalsregler.jamtland-harjedalen" in uids
    assert "invoice-2019-kvartal_1@avtalsregler.jamtland-harjedalen" in uids


def test_uids_do_not_depend_on_the_run_or_the_range(tmp_path, monkeypatch):
    a = Calendar.from_ical(run(tmp_path, "--to", "2030-12-31", name="a", env_epoch="1700000000",
                               monkeypatch=monkeypatch))
    b = Calendar.from_ical(run(tmp_path, "--from", "2022-06-01", "--to", "2024-12-31", name="b",
                               env_epoch="1800000000", monkeypatch=monkeypatch))
    ua = {str(e["uid"]): e.decoded("dtstart") for e in a.walk("VEVENT")}
    ub = {str(e["uid"]): e.decoded("dtstart") for e in b.walk("VEVENT")}
    assert ub and all(ua[u] == d for u, d in ub.items())
    # 2022-06-01 – 2024-12-31: P1's deadline 2023-12-31 and end 2024-12-31, not its start 2022-01-01
    assert sorted(d for u, d in ub.items() if u.startswith(("notice", "period"))) == [
        D("2023-12-31"), D("2024-12-31")]


def test_termination_deadlines_have_alarms_90_and_30_days_before(ics):
    seen = 0
    for ev in ics.walk("VEVENT"):
        alarms = ev.walk("VALARM")
        if kind_of(ev) != "notice_deadline":
            assert alarms == []
            continue
        seen += 1
        triggers = sorted(a.decoded("trigger") for a in alarms)
        assert triggers == [datetime.timedelta(days=-90), datetime.timedelta(days=-30)]
        assert all(str(a["action"]) == "DISPLAY" and str(a["description"]).strip() for a in alarms)
    assert seen == 4


def test_descriptions_name_the_clause_quote_the_text_and_the_reading(ics):
    events = {str(e["uid"]): e for e in ics.walk("VEVENT")}
    deadline = events["notice_deadline-period-0@avtalsregler.jamtland-harjedalen"]
    text = str(deadline["description"])
    assert "§11" in text and "R11-utgang" in text
    assert "Överenskommelsen kan sägas upp av part senast 12 månader före överenskommelsens utgång." in text
    assert "2021-12-31" in str(deadline["summary"])
    invoice = str(events["invoice-2019-kvartal_1@avtalsregler.jamtland-harjedalen"]["description"])
    assert "§7" in invoice and "R10-fakturadag" in invoice and "kvartalsvis i förskott" in invoice
    for ev in events.values():
        quote = re.search(r"”(.*)”", str(ev["description"]), re.S).group(1)
        for sentence in re.split(r"(?<=\.) ", norm(quote)):
            assert sentence in AGREEMENT, sentence                     # verbatim from the agreement


def test_csv_and_json_have_the_same_fields_and_dates(tmp_path, monkeypatch):
    rows = list(csv.DictReader(io.StringIO(run(tmp_path, "--to", "2030-12-31", fmt="csv",
                                               monkeypatch=monkeypatch).decode("utf-8"))))
    doc = json.loads(run(tmp_path, "--to", "2030-12-31", fmt="json", monkeypatch=monkeypatch))
    assert list(rows[0]) == FIELDS
    assert [list(e) for e in doc["events"]] == [FIELDS] * len(doc["events"])
    assert (doc["from"], doc["to"]) == ("2019-01-01", "2030-12-31")
    assert len(rows) == len(doc["events"]) == 84
    for r, j in zip(rows, doc["events"]):
        assert r["alarm_days_before"] == ";".join(str(d) for d in j["alarm_days_before"])
        assert {k: v for k, v in r.items() if k != "alarm_days_before"} == \
               {k: v for k, v in j.items() if k != "alarm_days_before"}
    kinds: dict[str, list] = {}
    for r in rows:
        kinds.setdefault(r["kind"], []).append(D(r["date"]))
    assert {k: sorted(v) for k, v in kinds.items()} == EXPECTED
    first = next(r for r in rows if r["kind"] == "notice_deadline")
    assert (first["date"], first["clause"], first["sentence_id"], first["alarm_days_before"]) == \
           ("2020-12-31", "§11", "s11.1", "90;30")
    assert "R11-utgang" in first["reading"]


def test_format_follows_the_output_suffix(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2026_11_26)
    out = tmp_path / "avtal.json"
    assert main(["--root", str(ROOT), "calendar", "--to", "2019-12-31", "--output", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["events"][0]["date"] == "2019-01-01"


def test_default_range_ends_three_periods_after_today(tmp_path, monkeypatch):
    # 2026-11-26 lies in P2 (2025–2027); three periods on is P5 = 2034-01-01 – 2036-12-31
    doc = json.loads(run(tmp_path, fmt="json", monkeypatch=monkeypatch))
    assert (doc["from"], doc["to"]) == ("2019-01-01", "2036-12-31")
    # 2019-06-01 lies in P0; three periods on is P3, ending 2030-12-31
    doc = json.loads(run(tmp_path, name="early", fmt="json", env_epoch="1559347200", monkeypatch=monkeypatch))
    assert doc["to"] == "2030-12-31"


def test_a_range_starting_before_the_agreement_is_clipped(tmp_path, monkeypatch):
    doc = json.loads(run(tmp_path, "--from", "2018-01-01", "--to", "2019-03-31", fmt="json",
                         monkeypatch=monkeypatch))
    assert [(e["date"], e["kind"]) for e in doc["events"]] == [("2019-01-01", "period_start"),
                                                                ("2019-01-01", "invoice")]


def test_output_is_never_overwritten_without_force(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2026_11_26)
    out = tmp_path / "avtal.ics"
    out.write_text("mine\n", encoding="utf-8")
    args = ["--root", str(ROOT), "calendar", "--to", "2021-12-31", "--output", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "already exists" in err and "hint:" in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert main([*args, "--force"]) == 0
    assert (tmp_path / "avtal.ics.bak").read_text(encoding="utf-8") == "mine\n"
    assert Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert main([*args, "--force"]) == 0                            # an older backup is kept too
    assert (tmp_path / "avtal.ics.bak").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "avtal.ics.bak.1").read_bytes().startswith(b"BEGIN:VCALENDAR")


BAD = [
    (["--from", "2021-02-29"], "is not a date"),                       # 2021 is not a leap year
    (["--to", "2030-13-01"], "is not a date"),
    (["--from", "2022-01-01", "--to", "2021-12-31"], "runs backwards"),
    (["--to", "2201-01-01"], "the last day the §10 rule covers"),
    (["--format", "pdf"], "unknown format"),
    (["--output", "/nonexistent-folder/x.ics"], "does not exist"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_input_exits_2_with_a_hint(args, message, capsys):
    assert main(["--root", str(ROOT), "calendar", *args]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and message in err and "\n  hint: " in err


def test_bad_range_from_the_shell_has_no_traceback():
    p = subprocess.run([sys.executable, "-m", "avtalsregler", "--root", str(ROOT), "calendar",
                        "--from", "2024-01-01", "--to", "2023-01-01"], capture_output=True, text=True,
                       env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert p.returncode == 2 and "Traceback" not in p.stderr and p.stdout == ""
    assert p.stderr.startswith("error: the range runs backwards") and "hint:" in p.stderr


def test_dates_follow_the_rule_not_a_copy_of_it(project_copy, tmp_path, monkeypatch):
    """Change §10's "3 år i taget" to 2 years in a copy of the project: the calendar moves with
    the rule. By hand: P1 = 2022-01-01 – 2023-12-31 (deadline 2022-12-31), P2 = 2024–2025."""
    rule = project_copy / "rules" / "s10_giltighetstid.yaml"
    text = rule.read_text(encoding="utf-8")
    changed, n = re.subn(r"(forlangning_ar:\n(?:\s+\w+:.*\n)*?\s+value:) 3\n", r"\1 2\n", text)
    assert n == 1
    rule.write_text(changed, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2026_11_26)
    out = tmp_path / "two.json"
    assert main(["--root", str(project_copy), "calendar", "--to", "2025-12-31", "--output", str(out)]) == 0
    events = json.loads(out.read_text(encoding="utf-8"))["events"]
    got = [(e["kind"], e["date"]) for e in events if e["kind"].startswith(("period", "notice"))]
    assert got == [("period_start", "2019-01-01"), ("notice_deadline", "2020-12-31"), ("period_end", "2021-12-31"),
                   ("period_start", "2022-01-01"), ("notice_deadline", "2022-12-31"), ("period_end", "2023-12-31"),
                   ("period_start", "2024-01-01"), ("notice_deadline", "2024-12-31"), ("period_end", "2025-12-31")]


def test_the_wording_is_the_rules_and_matches_the_old_calendar(tmp_path, monkeypatch):
    """Titles and details come from the rules' templates; they read as before the events were
    declared (except that the renewal length is the rule's number, "3 år")."""
    doc = json.loads(run(tmp_path, "--to", "2022-01-01", fmt="json", monkeypatch=monkeypatch))
    ev = {e["uid"].split("@")[0]: e for e in doc["events"]}
    assert ev["period_start-period-0"]["title"] == "Överenskommelsen börjar gälla (första perioden 2019–2021)"
    assert ev["period_end-period-0"]["detail"] == (
        "Sista dagen i den första perioden; överenskommelsen förlängs automatiskt med 3 år om ingen part i "
        "tid har sagt upp den.")
    assert ev["period_end-period-0"]["reading"] == "R10-till"
    assert ev["notice_deadline-period-0"]["reading"] == "R11-utgang, R11-senast, R11-mottagen"
    assert ev["notice_deadline-period-0"]["detail"].endswith("Påminnelser 90 och 30 dagar före.")
    assert ev["invoice-2019-kvartal_1"]["title"] == "Kvartalsfaktura 2019: kvartal 1 (januari–mars), i förskott"
    assert ev["invoice-2019-kvartal_1"]["sentence_id"] == "s7.3, s7.4"
    dialog = ev["duty_deadline-uppfoljningsdialog-2019"]
    assert dialog["title"] == "Sista dag för 2019 (§8): En uppföljningsdialog i kommunen"
    assert dialog["detail"].endswith("En gång för varje kommun: Ragunda, Bräcke, Krokom, Strömsund, Åre, Berg, "
                                     "Härjedalen, Östersund.")
    assert ev["period_start-period-1"]["clause"] == "§10" and ev["notice_deadline-period-0"]["clause"] == "§11"
    assert doc["assumes"] == "ingen part säger upp överenskommelsen"


def test_years_searched_follow_the_offset_the_rule_gives(project_copy, tmp_path, monkeypatch):
    """The years whose events can fall in the range come from the event's own date definition,
    not from a margin in the code. Make §8's yearly deadline fall two years after its year in a
    copy: for 2025 the deadlines are those of kalenderår 2023, on 2025-12-31 (2023 + 2; the
    duty's day stays 31 December). A fixed margin of one year would find none."""
    rule = project_copy / "rules" / "s08_aterrapportering.yaml"
    text = rule.read_text(encoding="utf-8")
    old = "expr: make_date(kalenderar, arsfrist_manad, arsfrist_dag)"
    assert old in text
    rule.write_text(text.replace(old, "expr: make_date(kalenderar + 2, arsfrist_manad, arsfrist_dag)"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2026_11_26)
    out = tmp_path / "later.json"
    assert main(["--root", str(project_copy), "calendar", "--from", "2025-01-01", "--to", "2025-12-31",
                 "--output", str(out)]) == 0
    events = json.loads(out.read_text(encoding="utf-8"))["events"]
    got = sorted((e["uid"].split("@")[0], e["date"]) for e in events if e["kind"] == "duty_deadline")
    assert got == [("duty_deadline-uppfoljningsdialog-2023", "2025-12-31"),
                   ("duty_deadline-verksamhetsberattelse-2023", "2025-12-31")]


def test_ics_categories_and_reading_statuses_are_swedish(ics, tmp_path, monkeypatch):
    """Each event's categories are its clause and the Swedish label of its kind (the kind
    labels of the engine's standard kinds: invoice → "faktura" …); the readings in a detail
    carry their status in Swedish (R7-forfallodag is open in the register → "öppen")."""
    cats = {}
    for ev in ics.walk("VEVENT"):
        c = ev["categories"]
        cats[kind_of(ev)] = tuple(str(x) for x in (c.cats if hasattr(c, "cats") else c))
    assert cats["invoice"] == ("§7", "faktura")
    assert cats["period_start"] == ("§10", "period börjar")
    assert cats["notice_deadline"] == ("§11", "sista dag för uppsägning")
    assert cats["duty_deadline"] == ("§8", "sista dag för skyldighet")
    text = run(tmp_path, "--from", "2022-01-01", "--to", "2022-03-31", fmt="csv-excel", name="x",
               monkeypatch=monkeypatch).decode("utf-8-sig")
    assert "R7-forfallodag (öppen)" in text
    assert "(open)" not in text and "(decided)" not in text


def test_a_declared_category_overrides_the_kind_label():
    from avtalsregler.project.declarations.events import Event
    from avtalsregler.errors import Span
    args = ("e", "my_own_kind", "d", None, (), None, None, None, None, None, (), (), (), None, (), Span("x", 1, 1))
    assert Event(*args).category == "my own kind"
    assert Event(*args[:1], "invoice", *args[2:]).category == "faktura"
    assert Event(*args, "påminnelse").category == "påminnelse"
