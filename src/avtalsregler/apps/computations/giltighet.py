"""``avtalsregler compute giltighet --date DATE [--notice DATE]``: the §10 period containing a
date, the next §11 termination deadline and the end it gives; with ``--notice`` the day the
agreement ends after a written notice received that day. Computed by the rule's definitions
(rules/s10_giltighetstid.yaml), the same ones the spec proves."""

from __future__ import annotations

import json

from avtalsregler.project.evaluate import evaluate
from avtalsregler.errors import DataError
from avtalsregler.cli.commands import date_option
from avtalsregler.project.load import load_project

NAME = "giltighet"
HELP = "§10/§11: the period containing a date, the next termination deadline, and the end a notice gives"


def add_arguments(p) -> None:
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the day asked about")
    p.add_argument("--notice", metavar="YYYY-MM-DD", help="the day a written notice is received (reading R11-mottagen)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--explain", action="store_true", help="show every computed value with its formula and sentence")



def run(args) -> int:
    project = load_project(args.root)
    clause = project.clauses["§11"]   # §11 uses §10: periods, deadlines and ends in one rule
    day = date_option(args.date, "--date")
    notice = date_option(args.notice, "--notice") if args.notice else None
    first = clause.parameters["forsta_dag"].value
    for value, flag in ((day, "--date"), (notice, "--notice")):
        if value is None:
            continue
        if value < first:
            raise DataError(f"{flag} {value.isoformat()} is before the agreement began ({first.isoformat()})", None,
                            "§10: the agreement applies from 2019-01-01; give a date on or after it")
        high = clause.inputs["dag"].high
        if value > high:
            raise DataError(f"{flag} {value.isoformat()} is after {high.isoformat()}, the last date the rule covers",
                            None, "give an earlier date")
    given = {"dag": day, "mottagen": notice or day, "period_nr": 0}
    names = ["fornyelse_nummer", "periodens_forsta_dag", "periodens_sista_dag", "periodens_uppsagningsfrist",
             "nasta_uppsagningsfrist", "slut_vid_nasta_frist"] + (["upphor_dag"] if notice else [])
    values, steps = evaluate(clause, project.enums, given, names)
    out = {
        "date": day.isoformat(),
        "period_start": values["periodens_forsta_dag"].isoformat(),
        "period_end": values["periodens_sista_dag"].isoformat(),
        "renewal_number": values["fornyelse_nummer"],
        "period_notice_deadline": values["periodens_uppsagningsfrist"].isoformat(),
        "next_notice_deadline": values["nasta_uppsagningsfrist"].isoformat(),
        "ends_if_noticed_by_next_deadline": values["slut_vid_nasta_frist"].isoformat(),
    }
    if notice:
        out["notice_received"] = notice.isoformat()
        out["ends_on"] = values["upphor_dag"].isoformat()
    if args.format == "json":
        if args.explain:
            out["explain"] = [{"name": s.name, "value": s.shown, "formula": s.formula, "sentence": s.quote,
                               "reading": s.reading} for s in steps]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    labels = {"date": "dag", "period_start": "periodens första dag", "period_end": "periodens sista dag",
              "renewal_number": "förlängning nr (0 = första perioden)",
              "period_notice_deadline": "periodens uppsägningsfrist",
              "next_notice_deadline": "nästa uppsägningsfrist",
              "ends_if_noticed_by_next_deadline": "sista dag vid uppsägning senast då",
              "notice_received": "uppsägning mottagen", "ends_on": "överenskommelsen gäller till och med"}
    width = max(len(v) for v in labels.values())
    for key, value in out.items():
        print(f"{labels[key]:<{width}}  {value}")
    if args.explain:
        print()
        for s in steps:
            print(f"{s.name} = {s.shown}\n    = {' '.join(s.formula.split())}")
            if s.quote:
                print(f"    «{' '.join(s.quote.split())}»")
            if s.reading:
                print(f"    läsning: {s.reading}")
    return 0
