"""Reports for CI tools: GitHub annotations (escaped by one function), the job summary, SARIF
2.1.0 (validated against the official schema), JUnit XML, JSON errors — and that one run writes
them all."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from avtalsregler.cli.main import main
from avtalsregler.cli.reports.github import cell, command, escape

from ..conftest import ROOT

SARIF_SCHEMA = json.loads((ROOT / "tests/fixtures/schemas/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
JUNIT_SCHEMA = xmlschema.XMLSchema(str(ROOT / "tests/fixtures/schemas/junit-10.xsd"))
HOSTILE = "::stop-commands::x\n::notice::all checks passed"


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def validate_sarif(text: str) -> dict:
    log = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    return log


# -- escaping ------------------------------------------------------------------------------------

def test_escaping_follows_githubs_rules():
    # GitHub's rules: data escapes % CR LF; a property value also : and ,
    assert escape("100% klart\r\nnästa") == "100%25 klart%0D%0Anästa"
    assert escape("a:b,c") == "a:b,c"
    assert escape("a:b,c%", prop=True) == "a%3Ab%2Cc%25"
    assert escape("%0A") == "%250A"          # an escape sequence in the text stays text


def test_a_command_is_one_line_whatever_it_holds():
    line = command("error", HOSTILE, file="ä::b,c\n.yaml", line=3, title=HOSTILE)
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::error file=ä%3A%3Ab%2Cc%0A.yaml,line=3,title=%3A%3Astop-commands%3A%3Ax%0A")
    assert line.endswith("::::stop-commands::x%0A::notice::all checks passed")
    with pytest.raises(ValueError):
        command("error x", "m")


def test_summary_cells_hold_no_table_syntax_or_html():
    assert cell("a|b\n<script>x</script> *y*") == "a\\|b &lt;script&gt;x&lt;/script&gt; \\*y\\*"


def _annotation_props(line: str) -> dict:
    head = line.split("::", 2)[1]
    _, _, props = head.partition(" ")
    return dict(p.split("=", 1) for p in props.split(",")) if props else {}


def test_hostile_title_and_file_name_cannot_start_a_command(capsys, tmp_path):
    """An amendment titled ``::stop-commands::x`` + newline + ``::notice::all checks passed``,
    in a file whose name holds ``,``, ``%0A`` and a newline followed by that notice: outside the
    stop-commands frame every line is an annotation of ours, the frame's token is random and
    appears nowhere else, and the name (printed in the human report) is inside the frame, where
    the runner runs no command."""
    text = (ROOT / "amendments/tak_60_procent_med_spec.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", "title: " + json.dumps(HOSTILE), text)
    hostile = tmp_path / "ändring,%0A\n::notice::all checks passed.yaml"     # a file name may hold a newline
    hostile.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "amend", "check", "--format", "github", str(hostile))
    assert code == 0, out + err
    lines = out.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("::stop-commands::"))
    token = lines[start].removeprefix("::stop-commands::")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    end = lines.index(f"::{token}::")
    assert out.count(token) == 2
    frame = lines[start + 1:end]
    assert any(ln.startswith("::notice::all checks passed") for ln in frame)   # the danger is real …
    outside = lines[:start] + lines[end + 1:]
    assert outside[:-1] and outside[-1] == ""
    for ln in outside[:-1]:                                      # … and outside the frame, only our annotations
        assert re.match(r"::(error|warning|notice) file=", ln), ln
        head = ln.split("::", 2)[1]                              # the command and its properties …
        assert ":" not in head and "%0A%3A%3Anotice%3A%3Aall checks passed" in head   # … escaped
        assert _annotation_props(ln)["file"].startswith(escape(str(hostile), prop=True)[:20])
    assert not [ln for ln in err.split("\n") if ln.lstrip().startswith("::")]
    # in SARIF the name is a percent-encoded URI (here a malformed amendment under that name)
    hostile.write_text((ROOT / "amendments/trasig.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, sarif_out, _ = run(capsys, "amend", "check", "--format", "sarif", str(hostile))
    log = validate_sarif(sarif_out)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"] for loc in r.get("locations", [])}
    assert code == 2
    assert any(u.endswith("%C3%A4ndring%2C%250A%0A%3A%3Anotice%3A%3Aall%20checks%20passed.yaml") for u in uris), uris


# -- one run, every format -----------------------------------------------------------------------

def _break_cap(project_copy: Path) -> None:
    path = project_copy / "rules/s12_tvist.yaml"
    text = path.read_text(encoding="utf-8")
    assert "value: 50%" in text
    path.write_text(text.replace("value: 50%", "value: 60%", 1), encoding="utf-8")


def test_one_run_writes_sarif_junit_json_and_the_summary(capsys, project_copy, tmp_path):
    _break_cap(project_copy)      # 60 %: the invariant 'at most half' has a counterexample, and the words say 50 %
    files = {k: tmp_path / f"out.{k}" for k in ("sarif", "xml", "json", "md")}
    files["md"].write_text("earlier step\n", encoding="utf-8")
    code, out, _ = run(capsys, "--root", str(project_copy), "check", "--clause", "12", "--format", "github",
                       "--sarif", str(files["sarif"]), "--junit", str(files["xml"]), "--json", str(files["json"]),
                       "--summary", str(files["md"]))
    assert code == 1
    data = json.loads(files["json"].read_text(encoding="utf-8"))
    (clause,) = data["clauses"]
    bad = {p["name"]: p for p in clause["proofs"] if p["status"] != "proved"}
    ungrounded = [g["parameter"] for g in clause["grounded"] if not g["ok"]]
    assert "hogst_halften_av_omradet" in bad and ungrounded == ["hogsta_andel_innehallen"]
    bad_examples = [e["name"] for e in clause["examples"] if not e["ok"]]     # examples derived for 50 %
    assert bad_examples
    n_bad = len(bad) + 1 + len(bad_examples)
    where = bad["hogst_halften_av_omradet"]["where"]             # e.g. /tmp/…/specs/s12_tvist.yaml:198:11
    line, col = map(int, where.rsplit(":", 2)[1:])
    # annotations: every failing proof and example and the ungrounded parameter, with paths from the root
    annotations = [ln for ln in out.split("\n") if ln.startswith("::error ")]
    assert len(annotations) == n_bad, annotations
    assert any(f"file=specs/s12_tvist.yaml,line={line},col={col}," in a for a in annotations)
    assert any("file=rules/s12_tvist.yaml," in a and "not grounded" in a for a in annotations)
    # SARIF: valid, the same results, as errors at the same places
    log = validate_sarif(files["sarif"].read_text(encoding="utf-8"))
    results = log["runs"][0]["results"]
    assert sorted(r["properties"]["name"] for r in results) == sorted([*bad, *ungrounded, *bad_examples])
    assert {r["ruleId"] for r in results} == {"avtalsregler/grounded", "avtalsregler/invariant",
                                              "avtalsregler/example"}
    # the open question of the text (§12's permission against the cap) is a notice annotation,
    # not a SARIF alert
    notes = [t["name"] for t in clause["tensions"] if t["status"] == "open"]
    assert notes == ["ratt_att_innehalla_fullt_ut"]
    assert any(ln.startswith("::notice file=rules/s12_tvist.yaml,") and "tension in the text" in ln
               for ln in out.split("\n"))
    inv = next(r for r in results if r["properties"]["name"] == "hogst_halften_av_omradet")
    loc = inv["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "specs/s12_tvist.yaml", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": line, "startColumn": col}
    assert inv["level"] == "error" and "counterexample" in inv["message"]["text"]
    assert log["runs"][0]["automationDetails"]["id"] == "avtalsregler/check/"
    # JUnit: valid for pytest's schema; one testcase per grounded parameter, example, proof and
    # tension obligation; a failure for each bad one
    JUNIT_SCHEMA.validate(str(files["xml"]))
    root = ET.parse(files["xml"]).getroot()
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == (len(clause["grounded"]) + len(clause["examples"]) + len(clause["proofs"])
                          + len(clause["tensions"]))
    failed = sorted(c.get("name") for c in cases if c.find("failure") is not None)
    assert failed == sorted([f"{bad[n]['kind']} {n}" for n in bad] + ["grounded hogsta_andel_innehallen"]
                            + [f"example {n}" for n in bad_examples])
    assert root.get("tests") == str(len(cases)) and root.get("failures") == str(n_bad) and root.get("errors") == "0"
    suite = root.find("testsuite")
    assert suite.get("name") == "§12 Tvist" and suite.get("failures") == str(n_bad)
    assert all(float(c.get("time")) >= 0 for c in cases)
    # the summary is appended, in Swedish, with the failing invariant in its table
    md = files["md"].read_text(encoding="utf-8")
    assert md.startswith("earlier step\n## ❌ ")
    assert "| invariant hogst\\_halften\\_av\\_omradet | underkänd |" in md
    # one language: the message column says in Swedish what failed and where the details are
    assert "| invariant hogst\\_halften\\_av\\_omradet | underkänd | invariant hogst\\_halften\\_av\\_omradet: underkänd; detaljerna står i anteckningen på specs/s12\\_tvist.yaml:" in md
    assert "| exempel " in md and "| example " not in md and "counterexample" not in md
    assert f"{len(bad)} motexempel" in md


def test_junit_and_sarif_of_a_passing_check(capsys):
    code, out, _ = run(capsys, "check", "--clause", "12", "--format", "junit")
    assert code == 0
    JUNIT_SCHEMA.validate(out)
    assert not JUNIT_SCHEMA.is_valid(out.replace("<testcase ", "<testcase file=\"x\" ", 1))   # the schema bites
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites" and root.get("failures") == "0" and int(root.get("tests")) >= 15
    names = [c.get("name") for c in root.iter("testcase")]
    assert "invariant hogst_halften_av_omradet" in names and "example ingen_tvist" in names
    assert len(names) == len(set(names))
    code, out, _ = run(capsys, "check", "--clause", "12", "--format", "sarif")
    log = validate_sarif(out)
    assert code == 0 and log["runs"][0]["results"] == []


# -- bad input in every format --------------------------------------------------------------------

def test_bad_input_is_json_in_json_mode(capsys, project_copy):
    (project_copy / "rules/s12_tvist.yaml").write_text("clause: [\n", encoding="utf-8")
    code, out, err = run(capsys, "--root", str(project_copy), "check", "--format", "json")
    assert code == 2
    data = json.loads(out)
    assert data["ok"] is False and data["exit_code"] == 2
    assert data["errors"][0]["file"].endswith("rules/s12_tvist.yaml") and data["errors"][0]["line"] >= 1
    assert "error:" in err                                        # still readable on standard error
    assert main(["check", "--format", "json", "--no-such-option"]) == 2     # usage: returned, not raised
    data = json.loads(capsys.readouterr().out)
    assert data["errors"][0]["message"].startswith("unrecognized arguments")


def test_bad_input_as_sarif_and_amendment_errors_as_json(capsys, project_copy):
    (project_copy / "rules/s12_tvist.yaml").write_text("clause: [\n", encoding="utf-8")
    code, out, _ = run(capsys, "--root", str(project_copy), "check", "--format", "sarif")
    log = validate_sarif(out)
    assert code == 2 and log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert log["runs"][0]["results"][0]["ruleId"] == "avtalsregler/input"
    code, out, _ = run(capsys, "--root", str(project_copy), "check", "--format", "junit")
    JUNIT_SCHEMA.validate(out)
    root = ET.fromstring(out.encode("utf-8"))
    assert code == 2 and root.get("errors") == "1" and root.find("./testsuite/testcase/error") is not None
    code, out, _ = run(capsys, "amend", "check", "--format", "json", str(ROOT / "amendments/trasig.yaml"))
    data = json.loads(out)
    assert code == 2 and data["exit_code"] == 2 and data["file"].endswith("trasig.yaml")
    assert data["errors"][0]["line"] == 7 and "unknown key 'agreed'" in data["errors"][0]["message"]


def test_amendment_junit_has_a_case_per_example_and_the_procedure(capsys, tmp_path):
    xml = tmp_path / "a.xml"
    code, out, _ = run(capsys, "amend", "check", "--format", "sarif", "--junit", str(xml),
                       str(ROOT / "amendments/tak_60_procent.yaml"))
    assert code == 1
    validate_sarif(out)
    JUNIT_SCHEMA.validate(str(xml))
    root = ET.parse(xml).getroot()
    names = [c.get("name") for c in root.iter("testcase")]
    assert "procedure procedure" in names
    assert any(n.startswith("example §12 ") for n in names)
    failed = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
    assert any("hogst_halften_av_omradet" in (c.find("failure").get("message") or "")
               for c in root.iter("testcase") if c.find("failure") is not None), failed


def test_summary_of_a_passing_check_is_swedish_with_singulars_and_decimal_comma(capsys, tmp_path):
    """§12 alone: one clause, one grounded parameter, one open tension (R12-hela-ersattningen).
    Expected by hand: singular nouns for the 1s ("1 parameter grundad", "1 paragraf", "1 öppen"),
    plural for the 0s, seconds with a decimal comma, and the tension note in Swedish."""
    md = tmp_path / "s.md"
    code, _, _ = run(capsys, "check", "--clause", "12", "--summary", str(md))
    text = md.read_text(encoding="utf-8")
    assert code == 0
    assert "1 parameter grundad i texten, 0 inte" in text
    assert "1 spänning i texten (0 lösta, 1 öppen, 0 olösta)" in text
    assert re.search(r"; 1 paragraf på \d+,\d\d s", text), text
    assert "rättigheten 'ratt\\_att\\_innehalla' i §12, utövad fullt ut" in text
    assert "läsning R12-hela-ersattningen, öppen: en fråga för parterna" in text
    for english in ("tension", "permission", "breaks", "exercised", "parametrar grundade", "1 paragrafer",
                    "1 öppna", "open"):
        assert english not in text, english
