"""Grounding (project/grounding.py): the Swedish parser on each form, and `check` failing with a
span on the parameter when a rule's value and its words disagree — with or without a reading."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from fractions import Fraction

import pytest

from avtalsregler.cli.main import main
from avtalsregler.errors import SchemaError
from avtalsregler.project.grounding import Stated, ground_clause
from avtalsregler.project.grounding import stated as stated_with
from avtalsregler.project.lexicon import load_lexicon
from avtalsregler.project.load import load_project
from avtalsregler.prover.check import check_clause

from ..conftest import ROOT

LEXICON = load_lexicon(ROOT)          # the bundled Swedish words (agreement/lexicon.yaml)


def stated(text):
    return stated_with(text, LEXICON)

FIXTURE = ROOT / "tests" / "fixtures" / "andra_avtalet"


# -- the parser ------------------------------------------------------------------------------------

@pytest.mark.parametrize("words, want", [
    ("9 356 000 kronor per år", Stated("money", 935_600_000)),
    ("12,50 kr", Stated("money", 1250)),
    ("1 200 000 kr", Stated("money", 120_000_000)),
    ("högst vara 50%", Stated("fraction", Fraction(1, 2))),
    ("högst 30 %", Stated("fraction", Fraction(3, 10))),
    ("50 procent", Stated("fraction", Fraction(1, 2))),
    ("12,5 %", Stated("fraction", Fraction(1, 8))),
    ("två (2) original", Stated("int", 2)),
    ("fyra gånger årligen", Stated("int", 4)),
    ("tolv", Stated("int", 12)),
    ("senast 12 månader", Stated("int", 12, "månader")),
    ("med 3 år i taget", Stated("int", 3, "år")),
    ("inom 30 dagar", Stated("int", 30, "dagar")),
    ("en fjärdedel av", Stated("fraction", Fraction(1, 4))),
    ("hälften av avgiften", Stated("fraction", Fraction(1, 2))),
    ("en tredjedel", Stated("fraction", Fraction(1, 3))),
    ("två tredjedelar", Stated("fraction", Fraction(2, 3))),
    ("från och med 2030-05-17", Stated("date", dt.date(2030, 5, 17))),
    ("2030-05-17", Stated("int", 5, part="month")),
    ("1 november", Stated("int", 11, part="month")),
    ("1 november", Stated("int", 1, part="day")),
    ("den 31 december", Stated("int", 31, part="day")),
    ("året före verksamhetsåret", Stated("int", 1)),
    ("året efter", Stated("int", 1, "år")),
    ("2018 års prisnivå", Stated("int", 2018)),
    ("den tredje", Stated("int", 3)),
    ("kvartalsvis", Stated("int", 4, "per år")),
    ("halvårsvis", Stated("int", 2, "per år")),
])
def test_the_parser_reads_each_form(words, want):
    assert want in stated(words)


def test_the_parser_does_not_read_what_is_not_there():
    assert stated("omgående") == []
    assert stated("samtliga kommuner i länet") == []
    assert stated("en årsavgift om 1 200 000 kronor") == [Stated("money", 120_000_000)]   # 'en' is the article
    # an amount is money, not a bare number; a date's parts are parts, not bare numbers
    assert Stated("int", 9_356_000) not in stated("9 356 000 kronor")
    assert Stated("int", 1) not in stated("1 november")
    assert Stated("int", 12) not in stated("2021-12-31")
    assert stated("2021-02-30") == []


def test_day_and_month_in_order():
    got = [s.value for s in stated("den 1 januari och den 1 juli") if s.part == "month"]
    assert got == [1, 7]


# -- every parameter of both agreements grounds --------------------------------------------------

@pytest.mark.parametrize("root", [ROOT, FIXTURE], ids=["ours", "andra_avtalet"])
def test_every_parameter_grounds(root):
    project = load_project(root)
    results = [g for c in project.ordered() for g in ground_clause(c, project)]
    assert len(results) >= 15
    bad = [(g.clause, g.name, g.message) for g in results if not g.ok]
    assert bad == []


# -- mutations make check fail with the parameter's span -------------------------------------------

def _copy(tmp_path, root):
    for d in ("rules", "specs", "readings", "agreement", "data"):
        if (root / d).exists():
            shutil.copytree(root / d, tmp_path / d)
    return tmp_path


def _edit(path, name, key, old, new):
    """Replace ``key: old`` by ``key: new`` in the entry ``name`` of the parameters section."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index("parameters:")
    i = next(j for j in range(start, len(lines)) if lines[j] == f"  {name}:")
    j = next(j for j in range(i + 1, len(lines)) if lines[j].startswith(f"    {key}:"))
    assert lines[j] == f"    {key}: {old}", lines[j]
    lines[j] = f"    {key}: {new}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return i + 1                          # the 1-based line of the parameter's key


def _failed(root, cid, name):
    project = load_project(root)
    r = check_clause(project, project.clauses[cid], 30.0, prove=False)
    assert not r.ok
    bad = [g for g in r.grounded if not g.ok]
    assert [g.name for g in bad] == [name]
    return bad[0]


MUTATIONS = [  # file, clause, parameter, key, old, new
    ("s07_ersattning.yaml", "§7", "grundbelopp", "value", "9 356 000 kr", "9 000 000 kr"),
    ("s07_ersattning.yaml", "§7", "prisniva_ar", "value", "2018", "2017"),
    ("s12_tvist.yaml", "§12", "hogsta_andel_innehallen", "value", "50%", "60%"),
    ("s11_uppsagning.yaml", "§11", "uppsagningstid_manader", "value", "12", "11"),     # has a reading
    ("s13_kontaktpersoner.yaml", "§13", "omgaende_dagar", "value", "7", "5"),         # reading + means
    ("s08_aterrapportering.yaml", "§8", "arsfrist_dag", "value", "31", "30"),          # reading + means + part
    ("s07_ersattning.yaml", "§7", "befolkning_manad", "value", "11", "1"),            # the day, not the month
    ("s07_ersattning.yaml", "§7", "kvartalsvikter", "value",
     "{kvartal_1: 1, kvartal_2: 1, kvartal_3: 1, kvartal_4: 1}", "{kvartal_1: 2, kvartal_2: 1, kvartal_3: 1, kvartal_4: 1}"),
    ("s07_ersattning.yaml", "§7", "kvartalets_forsta_manad", "value",
     "{kvartal_1: 1, kvartal_2: 4, kvartal_3: 7, kvartal_4: 10}", "{kvartal_1: 1, kvartal_2: 4, kvartal_3: 7, kvartal_4: 11}"),
    ("s10_giltighetstid.yaml", "§10", "sista_dag_forsta_perioden", "value", "2021-12-31", "2022-01-01"),
    ("s14_tecknande.yaml", "§14", "original_enligt_texten", "value", "2", "3"),
    # the words changed, the value not
    ("s11_uppsagning.yaml", "§11", "uppsagningstid_manader", "words", "senast 12 månader", "senast 11 månader"),
    ("s07_ersattning.yaml", "§7", "fakturor_per_ar", "words", "fyra gånger årligen", "årligen"),
    ("s08_aterrapportering.yaml", "§8", "arsfrist_manad", "words", "årligen", "halvårsvis"),
    ("s07_ersattning.yaml", "§7", "kvartalsvikter", "words",
     "kvartalsvis i förskott med en fjärdedel av den överenskomna ersättningen", "kvartalsvis i förskott"),
]


@pytest.mark.parametrize("file, cid, name, key, old, new", MUTATIONS, ids=[f"{m[2]}-{m[3]}" for m in MUTATIONS])
def test_a_changed_constant_or_words_is_not_grounded(tmp_path, file, cid, name, key, old, new):
    root = _copy(tmp_path, ROOT)
    line = _edit(root / "rules" / file, name, key, old, new)
    g = _failed(root, cid, name)
    assert (g.span.path.endswith(file), g.span.line) == (True, line)


def test_a_changed_value_of_the_second_agreement_is_not_grounded(tmp_path):
    root = _copy(tmp_path, FIXTURE)
    line = _edit(root / "rules" / "s03_avgift.yaml", "fakturamanad", "value",
                 "{forsta_halvaret: 1, andra_halvaret: 7}", "{forsta_halvaret: 1, andra_halvaret: 6}")
    assert _failed(root, "§3", "fakturamanad").span.line == line


def test_means_that_drops_the_words_fails(tmp_path):
    root = _copy(tmp_path, ROOT)
    _edit(root / "rules" / "s10_giltighetstid.yaml", "sista_dag_forsta_perioden", "means",
          "till och med 2021-12-31", "till och med 2022-12-31")
    g = _failed(root, "§10", "sista_dag_forsta_perioden")
    assert "drops" in g.message


def test_check_exits_1_with_the_span_on_the_parameter(tmp_path, capsys):
    root = _copy(tmp_path, ROOT)
    line = _edit(root / "rules" / "s14_tecknande.yaml", "original_enligt_texten", "value", "2", "3")
    capsys.readouterr()
    code = main(["--root", str(root), "check", "--clause", "§14", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["ok"] is False
    [g] = [g for c in data["clauses"] for g in c["grounded"] if not g["ok"]]
    assert g["parameter"] == "original_enligt_texten" and g["where"].endswith(f"s14_tecknande.yaml:{line}:3")
    assert g["words_state"] == ["2"] and g["value"] == "3"
    code = main(["--root", str(root), "check", "--clause", "§14"])
    out = capsys.readouterr().out
    assert code == 1 and f"s14_tecknande.yaml:{line}:3: error: parameter 'original_enligt_texten'" in out


def test_words_not_in_the_text_are_an_error_at_load_without_a_reading(tmp_path):
    # (with a reading the load accepts them, and check reports them: test above, uppsagningstid)
    root = _copy(tmp_path, ROOT)
    line = _edit(root / "rules" / "s07_ersattning.yaml", "fakturor_per_ar", "words",
                 "fyra gånger årligen", "två gånger årligen")
    with pytest.raises(SchemaError, match="not in §7") as exc:
        load_project(root)
    assert exc.value.span.line == line + 3


def test_means_needs_a_reading(tmp_path):
    root = _copy(tmp_path, ROOT)
    path = root / "rules" / "s12_tvist.yaml"
    _edit(path, "hogsta_andel_innehallen", "words", "högst vara 50%", "högst vara 50%\n    means: hälften")
    with pytest.raises(SchemaError, match="means"):
        load_project(root)


def test_a_reading_added_does_not_turn_the_check_off(tmp_path):
    root = _copy(tmp_path, ROOT)
    path = root / "rules" / "s12_tvist.yaml"
    line = _edit(path, "hogsta_andel_innehallen", "value", "50%", "60%")
    _edit(path, "hogsta_andel_innehallen", "words", "högst vara 50%", "högst vara 50%\n    reading: R12-avrundning")
    project = load_project(root)
    assert project.clauses["§12"].parameters["hogsta_andel_innehallen"].reading == "R12-avrundning"
    g = _failed(root, "§12", "hogsta_andel_innehallen")
    assert g.span.line == line and g.states == ["50%"] and g.value == "60%"


# -- counts: checked against the parties declaration as well as the words --------------------------

def test_a_count_follows_the_parties_declaration():
    """§1 declares eight members (the enumeration kommun, agreement/README.md: the eight
    municipalities of Jämtlands län). With one dropped from the enumeration (as a municipality
    leaving would), antal_kommuner_i_lanet (8, 'åtta kommuner') no longer counts the members;
    'parties' stays 2 (the hub and one member)."""
    import dataclasses

    project = load_project(ROOT)
    assert all(g.ok for g in ground_clause(project.clauses["§1"], project))
    e = project.enums["kommun"]
    project.enums["kommun"] = dataclasses.replace(e, values=tuple(v for v in e.values if v != "berg"))
    bad = {g.name: g for g in ground_clause(project.clauses["§1"], project) if not g.ok}
    assert list(bad) == ["antal_kommuner_i_lanet"]
    assert "number of member parties (kommun), 7" in bad["antal_kommuner_i_lanet"].message


def test_counts_parties_is_two(tmp_path):
    root = _copy(tmp_path, ROOT)
    _edit(root / "rules" / "s01_parter.yaml", "parter_per_avtal", "value", "2", "3")
    _edit(root / "rules" / "s01_parter.yaml", "parter_per_avtal", "means", "två parter", "tre parter")
    g = _failed(root, "§1", "parter_per_avtal")
    assert "the parties of one agreement" in g.message
