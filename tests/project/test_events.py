"""The ``events`` declaration: a bad event is a load error at its place (path:line:col and a
hint), templates are substituted safely, and the calendar follows the declarations."""

from __future__ import annotations

import datetime
import json

import pytest

from avtalsregler.apps import calendar as cal
from avtalsregler.cli.main import main
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.load import load_project

from ..conftest import ROOT

S07, S08, S10, S11 = ("s07_ersattning.yaml", "s08_aterrapportering.yaml", "s10_giltighetstid.yaml",
                      "s11_uppsagning.yaml")


def _edit(root, name, old, new):
    rule = root / "rules" / name
    text = rule.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    rule.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


BAD = [
    # a date that is not a name of the rule
    (S10, "    date: period_forsta_dag\n", "    date: period_forsta_dagen\n",
     "is not a parameter or a definition", "period_forsta_dag"),
    # a definition that is not a date
    (S10, "    date: period_forsta_dag\n", "    date: period_startmanad\n", "is int[månader], not a date", "date"),
    # a template naming something the rule does not have
    (S10, '    title: "Överenskommelsen börjar gälla (första perioden {period_forsta_dag|year}',
     '    title: "Överenskommelsen börjar gälla (första perioden {periodens_start|year}',
     "which is not a name of the rule", "period"),
    (S10, "{period_forsta_dag|year}–{period_sista_dag|year})\"\n    detail: \"Första dagen i den första",
     "{period_forsta_dag|upper}–{period_sista_dag|year})\"\n    detail: \"Första dagen i den första",
     "unknown filter 'upper'", "lower"),
    (S10, '    detail: "Första dagen i den första perioden ({period_forsta_dag}–{period_sista_dag})."',
     '    detail: "Första dagen i den första perioden {{period_forsta_dag}}."', "a brace that is not a field", "{name}"),
    # an iteration that is not count or year, of an input that is not an int, or missing
    (S10, "    for: {period_nr: count}\n", "    for: {period_nr: weekly}\n", "unknown iteration 'weekly'", "count"),
    (S08, "    for: {kalenderar: year}\n", "    for: {bedomningsdag: year}\n", "is date, not int", "int"),
    (S07, "    for: {verksamhetsar: year}\n", "", "reads the input 'verksamhetsar', which is not iterated",
     "for: {verksamhetsar: count}"),
    # conditions must be bool definitions
    (S10, "    when: forsta_perioden\n", "    when: period_slutmanad\n", "is int[månader], not bool", "bool"),
    # UIDs: every iterated value, only safe characters
    (S07, '    uid: "invoice-{verksamhetsar}-{kvartal}"\n', '    uid: "invoice-{verksamhetsar}"\n',
     "the uid does not name kvartal", "share"),
    (S07, '    uid: "invoice-{verksamhetsar}-{kvartal}"\n', '    uid: "faktura/{verksamhetsar}-{kvartal}"\n',
     "only ASCII letters", "e.g."),
    # keys and ids
    (S11, "    alarms: [90, 30]\n", "    alarms: [90, -30]\n", "positive number of days", "e.g."),
    (S11, "    kind: notice_deadline\n", "    kind: Uppsägning\n", "not an ASCII snake_case name", "e.g."),
    (S08, "    sentence: s8.3\n    uid:", "    sentence: s8.9\n    uid:", "no sentence 's8.9'", "did you mean"),
    (S10, "    uid_domain: avtalsregler.jamtland-harjedalen\n", "    uid_domain: Jämtland\n",
     "not a lower-case domain name", "e.g."),
    (S10, "    first_day: forsta_dag\n", "    first_day: period_forsta_dag\n", "depends on inputs", "parameter"),
]


@pytest.mark.parametrize("name,old,new,message,hint", BAD, ids=[b[3] for b in BAD])
def test_a_bad_event_is_a_load_error_at_its_place(project_copy, name, old, new, message, hint):
    line = _edit(project_copy, name, old, new)
    with pytest.raises(AvtalsreglerError) as e:
        load_project(project_copy)
    err = getattr(e.value, "errors", [e.value])[0]     # a broken §10 also breaks §11, which uses it
    assert message in err.message
    assert hint in (err.hint or "")
    assert err.span.path.endswith(name)
    assert line - 1 <= err.span.line <= line + 1     # the edited line (or the 'date' above a removed 'for')


def test_a_bad_event_from_the_command_line_exits_2_with_a_hint(project_copy, capsys):
    _edit(project_copy, S10, "    for: {period_nr: count}\n", "    for: {period_nr: weekly}\n")
    assert main(["--root", str(project_copy), "calendar", "--to", "2021-12-31"]) == 2
    err = capsys.readouterr().err
    assert "s10_giltighetstid.yaml:" in err and "error: unknown iteration" in err and "hint:" in err
    assert "Traceback" not in err


def test_the_declarations_are_read(project):
    decl = project.clauses["§7"].declared["events"]
    (ev,) = decl.events
    assert (ev.kind, ev.date, ev.key_enum, ev.iterate) == ("invoice", "fakturadag", "kvartal",
                                                          (("verksamhetsar", "year"),))
    assert ev.sentences == ("s7.3", "s7.4") and ev.readings == ("R10-fakturadag", "R7-forfallodag")
    term = project.clauses["§10"].declared["events"].term
    assert (term.first_day, term.last_day, term.periods.input) == ("forsta_dag", "dag", "period_nr")
    # §8's events take the reading of their date definition when they name none
    assert {e.readings for e in project.clauses["§8"].declared["events"].events} == {("R8-arligen",)}


def test_templates_substitute_values_and_never_evaluate(project):
    v = cal.validity(project)
    evs = cal.events(project, datetime.date(2022, 1, 1), datetime.date(2022, 4, 1))
    titles = {e.uid.split("@")[0]: e.title for e in evs}
    assert titles["invoice-2022-kvartal_1"] == "Kvartalsfaktura 2022: kvartal 1 (januari–mars), i förskott"
    assert titles["period_start-period-1"].startswith("Förlängning 1 börjar (2022–2024)")
    detail = next(e.detail for e in evs if e.kind == "invoice")
    assert "för kvartal 2 (april–juni) 2022" in next(e.detail for e in evs if e.uid.startswith("invoice-2022-kvartal_2"))
    assert "Läsningar: R10-fakturadag (öppen), R7-forfallodag (öppen)." in detail
    assert v.first_day == datetime.date(2019, 1, 1) and v.last_day == datetime.date(2200, 12, 31)


def test_a_template_reads_the_rule_not_python(project_copy):
    """§10's renewal length is 2 years in this copy: the period end's detail says so."""
    _edit(project_copy, S10, "    value: 3\n    words: med 3 år i taget", "    value: 2\n    words: med 3 år i taget")
    project = load_project(project_copy)
    evs = cal.events(project, datetime.date(2021, 12, 31), datetime.date(2021, 12, 31))
    end = next(e for e in evs if e.kind == "period_end")
    assert "förlängs automatiskt med 2 år" in end.detail


def test_a_half_yearly_rhythm_is_data(project_copy, tmp_path):
    """Invoices one day before each half-year in a copy: two quarters' invoices move, by hand
    2019-12-31 (for 2020's first quarter) and 2020-06-30 (for the third), and the UIDs keep
    their quarter; the in-advance fact is still proved."""
    _edit(project_copy, S07, "    value: 0\n    words: kvartalsvis i förskott", "    value: 1\n    words: kvartalsvis i förskott")
    out = tmp_path / "c.json"
    assert main(["--root", str(project_copy), "calendar", "--from", "2019-06-01", "--to", "2020-07-01",
                 "--output", str(out)]) == 0
    got = [(e["date"], e["uid"].split("@")[0]) for e in json.loads(out.read_text(encoding="utf-8"))["events"]
           if e["kind"] == "invoice"]
    assert got == [("2019-06-30", "invoice-2019-kvartal_3"), ("2019-09-30", "invoice-2019-kvartal_4"),
                   ("2019-12-31", "invoice-2020-kvartal_1"), ("2020-03-31", "invoice-2020-kvartal_2"),
                   ("2020-06-30", "invoice-2020-kvartal_3")]


def test_without_a_declared_domain_the_uids_use_an_engine_domain(project_copy):
    _edit(project_copy, S10, "    uid_domain: avtalsregler.jamtland-harjedalen\n", "")
    project = load_project(project_copy)
    v = cal.validity(project)
    assert v.uid_domain.endswith(".avtalsregler.invalid") and "jamtland" in v.uid_domain
    evs = cal.events(project, datetime.date(2019, 1, 1), datetime.date(2019, 1, 1))
    assert all(e.uid.endswith("@" + v.uid_domain) for e in evs) and evs


def test_two_events_with_one_uid_are_refused(project_copy):
    _edit(project_copy, S10, "    unless: forsta_perioden\n", "")
    project = load_project(project_copy)
    with pytest.raises(AvtalsreglerError) as e:
        cal.events(project, datetime.date(2019, 1, 1), datetime.date(2019, 1, 1))
    assert "two events have the UID 'period_start-period-0@" in e.value.message


def test_the_site_lists_the_declared_events(project):
    rows = cal.declared(project, project.clauses["§11"])
    assert [r["id"] for r in rows] == ["uppsagningsfrist_forsta_perioden", "uppsagningsfrist_forlangning"]
    assert rows[0]["date"] == "period_uppsagningsfrist" and rows[0]["when"] == "forsta_perioden"
    assert rows[1]["when"] == "inte forsta_perioden" and rows[0]["alarms"] == [90, 30]
    assert cal.declared(project, project.clauses["§7"])[0]["date"] == "fakturadag[kvartal]"
    assert ROOT.exists()
