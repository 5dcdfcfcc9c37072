"""`avtalsregler compliance` on hand-written logs; every expected verdict derived by hand below."""

from __future__ import annotations

import json

import pytest

from avtalsregler.cli.main import main

from ..conftest import ROOT

EV = ROOT / "examples" / "events"


def run(capsys, *args):
    code = main(["--root", str(ROOT), "compliance", *map(str, args), "--format", "json"])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else None), out.err


def verdicts(data):
    return {(v["year"], v["duty"], v["instance"]): v["verdict"] for v in data["verdicts"]}


def test_complete_year(capsys):
    # Every duty has its event in 2020: the report 2020-03-15 ≤ 2020-12-31; a dialogue in each of
    # the 8 municipalities; request B1 answered; change K1 2020-10-05 notified in writing 2020-10-07,
    # within 7 days (deadline 2020-10-12); signed in two originals 2018-11-20.
    code, data, _ = run(capsys, EV / "komplett_2020.yaml")
    assert code == 0 and data["ok"]
    v = verdicts(data)
    assert set(v.values()) == {"uppfylld"}
    # 2 (§5) + 2 (§8.1) + 1 report + 8 dialogues + 1 (§8.5) + 1 request + 1 change + 1 (§14) = 17
    assert len(v) == 17
    assert v[(2020, "meddela_ny_kontaktperson", "K1")] == "uppfylld"
    assert {i for (_, d, i) in v if d == "uppfoljningsdialog"} == {
        "Ragunda", "Bräcke", "Krokom", "Strömsund", "Åre", "Berg", "Härjedalen", "Östersund"}


def test_missing_activity_report(capsys):
    # No verksamhetsberättelse in 2021; its deadline 2021-12-31 has passed at as_of 2021-12-31.
    code, data, _ = run(capsys, EV / "saknad_verksamhetsberattelse_2021.yaml", "--year", 2021)
    assert code == 1 and not data["ok"]
    v = verdicts(data)
    assert v[(2021, "verksamhetsberattelse", "")] == "saknas"
    assert [k for k, x in v.items() if x == "saknas"] == [(2021, "verksamhetsberattelse", "")]
    assert v[(2021, "uppfoljningsdialog", "Östersund")] == "uppfylld"
    entry = next(x for x in data["verdicts"] if x["duty"] == "verksamhetsberattelse")
    assert entry["sentence"] == "En verksamhetsberättelse tas årligen fram av Region Jämtland Härjedalen."
    assert entry["due"] == "2021-12-31"


def test_unanswered_request(capsys):
    # B1 (Krokom) has no answer: §9 sets no deadline (R9-pa-begaran), so "ej bedömbar", never
    # "saknas"; B2 (Åre) was answered 2020-09-10: "uppfylld".
    code, data, _ = run(capsys, EV / "obesvarad_begaran_2020.yaml", "--year", 2020)
    v = verdicts(data)
    assert v[(2020, "lamna_information", "B1 (Krokom)")] == "ej_bedombar"
    assert v[(2020, "lamna_information", "B2 (Åre)")] == "uppfylld"
    # the log has no dialogues: all 8 missing, so the run fails (exit 1)
    assert sum(1 for (_, d, _i), x in v.items() if d == "uppfoljningsdialog" and x == "saknas") == 8
    assert code == 1


def test_late_contact_notification_csv(capsys):
    # K1 changed 2020-03-02; "omgående" = 7 days (R13-omgaende) → deadline 2020-03-09; written
    # notice 2020-03-20 → "sen". K2 changed 2020-06-01: the oral notice that day does not count
    # (skriftlig false); the letter 2020-06-04 ≤ 2020-06-08 → "uppfylld".
    code, data, _ = run(capsys, EV / "sen_kontaktunderrattelse_2020.csv")
    v = verdicts(data)
    assert v[(2020, "meddela_ny_kontaktperson", "K1")] == "sen"
    assert v[(2020, "meddela_ny_kontaktperson", "K2")] == "uppfylld"
    k1 = next(x for x in data["verdicts"] if x["instance"] == "K1")
    assert k1["due"] == "2020-03-09" and k1["event"]["date"] == "2020-03-20"
    assert k1["event"]["where"].endswith("sen_kontaktunderrattelse_2020.csv:4:1")
    assert code == 1


def test_table_format_shows_sentence(capsys):
    code = main(["--root", str(ROOT), "compliance", str(EV / "sen_kontaktunderrattelse_2020.csv")])
    out = capsys.readouterr().out
    assert code == 1
    assert "sen" in out and "Ändring av kontaktpersoner ska omgående meddelas motpart skriftligen" in out


BAD = [
    ("okand_handelse.yaml", "events:\n  - {date: 2020-01-01, kind: verksamhetsberätelse}\n",
     ":2:30: error: unknown event kind"),
    ("ogiltigt_datum.yaml", "events:\n  - {date: 2021-02-29, kind: verksamhetsberattelse}\n",
     ":2:12: error: '2021-02-29' is not a date in the calendar"),
    ("fel_ref.yaml", "events:\n  - {date: 2020-01-01, kind: begaran, id: B1}\n  - {date: 2020-01-02, kind: svar, ref: B9}\n",
     ":3:5: error: 'ref: B9' refers to no event"),
    ("fel_kommun.yaml", "events:\n  - {date: 2020-01-01, kind: uppfoljningsdialog, kommun: Uppsala}\n",
     ":2:58: error: 'Uppsala' is not a kommun"),
    ("fel.csv", "date,kind,skriftlig\n2020-01-01,underrattelse,kanske\n", ":2:26: error: skriftlig must be true or false"),
    ("svar_fore_begaran.yaml", "events:\n  - {date: 2020-02-01, kind: begaran, id: B1}\n"
     "  - {date: 2020-01-02, kind: svar, ref: B1}\n", ":3:5: error: the event is dated 2020-01-02"),
]


@pytest.mark.parametrize("name,text,message", BAD, ids=[b[0] for b in BAD])
def test_bad_log(tmp_path, capsys, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, data, err = run(capsys, path)
    assert code == 2
    # nothing is reported as compliant: with --format json the error itself is the document
    assert data is not None and data["ok"] is False and data["exit_code"] == 2
    assert "duties" not in data and "verdicts" not in data and len(data["errors"]) == 1
    e = data["errors"][0]
    assert f"{e['file']}:{e['line']}:{e['col']}: error:" in f"{path}{message}", (e, message)
    assert f"{path}{message}" in err, err
    assert "hint:" in err and "Traceback" not in err


def test_text_shows_the_declared_swedish_labels_not_identifiers(capsys):
    """obesvarad_begaran_2020: no distansmöte, no återrapportering in 2020 (unspecified duties,
    so 'ej bedömbar'); the verksamhetsberättelse of 2020-03-15 fulfils its duty. Expected by
    hand from the rules' 'what', 'label' and 'none_label' of the duties in §5 and §8."""
    code = main(["--root", str(ROOT), "compliance", str(EV / "obesvarad_begaran_2020.yaml")])
    out = capsys.readouterr().out
    assert code == 1
    assert "  §8   Återrapportering av uppdragen\n" in out
    assert "ej bedömbar: ingen återrapportering till och med 2020-12-31" in out
    assert "ej bedömbar: inget distansmöte till och med 2020-12-31" in out
    assert "uppfylld: verksamhetsberättelse 2020-03-15, senast 2020-12-31" in out
    for ascii_id in ("aterrapportering_uppdragen", "distansmote", "verksamhetsberattelse "):
        assert ascii_id not in out, ascii_id


def test_an_invoice_file_is_not_an_event_log_and_the_position_is_the_header(capsys):
    """examples/invoices/fakturor_2022.csv: six comment lines, then its header on line 7 with
    no date and no kind column. The error points at line 7 and quotes that header (not the
    comment of line 1), and the hint names the command that checks invoices."""
    code = main(["--root", str(ROOT), "compliance", str(ROOT / "examples/invoices/fakturor_2022.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert "fakturor_2022.csv:7:1: error: the header on line 7 names no 'date' and no 'kind' column" in err
    assert "Kommun;Kod;Fakturadatum" in err and "# avtalsregler" not in err
    assert "avtalsregler audit FILE" in err


def test_comment_lines_before_the_header_of_an_event_log_are_skipped(tmp_path, capsys):
    log = tmp_path / "log.csv"
    log.write_text("# a comment, with a comma\n\ndate,kind,note\n2020-03-15,verksamhetsberattelse,x\n",
                   encoding="utf-8")
    code = main(["--root", str(ROOT), "compliance", str(log), "--format", "json"])
    out = capsys.readouterr().out
    assert code in (0, 1) and json.loads(out)
