"""Traceability: the splitter's decisions, and 100 % coverage of every clause that has a rule."""

from __future__ import annotations

import json

from avtalsregler.cli.main import main
from avtalsregler.apps.trace import build_trace, split_sentences

from ..conftest import ROOT


def test_splitter_decisions(project):
    s = {x.id: x for x in split_sentences(project.agreement)}
    # 40 sentences, counted by hand: §1 2, §2 5, §3 2, §4 3, §5 4, §6 1, §7 4, §8 5, §9 1, §10 2,
    # §11 1, §12 4, §13 3 (two contact forms + one sentence), §14 3 (one sentence + two signatures)
    assert len(s) == 40
    # the nine purposes of §3 are items of one sentence; the wrapped bullets are joined,
    # "t.ex." does not end a sentence
    assert s["§3.2"].kind == "list" and len(s["§3.2"].items) == 9
    assert s["§3.2"].items[6] == "ansöka om och administrera gemensamma projekt utifrån behov identifierade i samverkansarenorna"
    assert s["§3.2"].items[7].endswith("t.ex. SKL och Energimyndigheten")
    assert s["§4.1"].items == ["EU och övergripande utveckling", "Social välfärd och folkhälsa",
                               "Samhällsbyggnad och klimat", "Arbetsmarknad och utbildning", "Kurs och konferens"]
    # "SKL:s" and "(SKL, …)" stay inside §7's first sentence; a date ending a sentence splits §10
    assert "SKL:s prognos" in s["§7.1"].text and s["§7.1"].text.endswith("LPIK exklusive läkemedel).")
    assert s["§10.1"].text == "Överenskommelsen gäller från och med 2019-01-01 till 2021-12-31."
    assert s["§14.1"].text == "Överenskommelsen tecknas i två (2) original där parterna tagit var sitt."
    # forms: one record per contact block and per signature
    assert s["§13.2"].kind == "form" and s["§13.2"].text.startswith("XX kommuns kontaktperson Namn")
    assert s["§14.3"].text == "För XX kommun XX den 2018-"
    assert (s["§8.3"].line, s["§13.3"].line) == (79, 126)


def test_every_sentence_of_a_ruled_clause_is_accounted_for(project):
    rows = build_trace(project)
    bad = [f"{r.sentence.id}: {r.reason}" for r in rows if r.status == "unaccounted"]
    assert not bad, bad
    ruled = {r.sentence.clause for r in rows if r.status != "no_rule"}
    assert ruled == set(project.clauses)
    assert {r.sentence.clause for r in rows if r.status == "no_rule"} == set(project.agreement.clauses) - ruled


def test_every_clause_has_a_rule_and_a_spec(project):
    """Together, the rule files encode the whole agreement, §1–§14."""
    assert set(project.clauses) == {f"§{n}" for n in range(1, 15)}
    assert set(project.specs) == set(project.clauses)


def test_a_removed_element_is_caught(project_copy):
    """Dropping the only element that uses §9's sentence makes it unaccounted."""
    from avtalsregler.project.load import load_project

    path = project_copy / "rules" / "s09_insyn.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.split("\ninputs:")[0] + "\n"          # keep the quote, drop every element
    path.write_text(text, encoding="utf-8")
    (project_copy / "specs" / "s09_insyn.yaml").write_text('clause: "§9"\n', encoding="utf-8")
    rows = build_trace(load_project(project_copy))
    row = next(r for r in rows if r.sentence.id == "§9.1")
    assert row.status == "unaccounted"


def test_a_changed_quote_is_refused(project_copy, capsys):
    path = project_copy / "rules" / "s13_kontaktpersoner.yaml"
    text = path.read_text(encoding="utf-8").replace("ska omgående meddelas", "ska snarast meddelas")
    path.write_text(text, encoding="utf-8")
    assert main(["--root", str(project_copy), "trace"]) == 2
    assert "the quoted sentence 's13.3' is not in §13" in capsys.readouterr().err


def test_trace_command_json(capsys):
    assert main(["--root", str(ROOT), "trace", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["coverage"]["§7"]["has_rule"]
    row = next(r for r in data["sentences"] if r["id"] == "§13.3")
    assert "duty:meddela_ny_kontaktperson" in row["elements"]
    assert "parameter:omgaende_dagar" in row["elements"]
    decl = next(r for r in data["sentences"] if r["id"] == "§2.1")
    assert decl["status"] == "declarative" and decl["reason"]
