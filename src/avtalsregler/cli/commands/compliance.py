"""``avtalsregler compliance EVENTS``: every duty of the rules judged against a log of events."""

from __future__ import annotations

import json

from avtalsregler.apps.compliance import assess, load_log, verdict_rule
from avtalsregler.errors import DataError
from avtalsregler.project.load import load_project


def register(sub) -> None:
    p = sub.add_parser("compliance", help="judge every duty against a log of events (YAML or CSV)",
                       description="Read a log of what happened (reports, dialogues, requests and answers, "
                                   "changes of contact person and their notifications, …) and judge every duty "
                                   "of the agreement per year with the outcomes the rules declare (under "
                                   "'verdicts:'), each with the sentence it comes from. Exit 0 when no outcome "
                                   "marked as a finding occurs, 1 when one does, 2 for a bad log.")
    p.add_argument("events", metavar="EVENTS", help="the event log, .yaml or .csv (see examples/events/)")
    p.add_argument("--year", type=int, action="append", metavar="YEAR",
                   help="only this calendar year (repeatable); default: every year of the log")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=run)


def run(args) -> int:
    project = load_project(args.root)
    for y in args.year or []:
        if not 1900 <= y <= 2200:
            raise DataError(f"--year {y} is not a plausible calendar year", None, "e.g. --year 2020")
    log = load_log(args.events, project)
    verdicts = assess(project, log, sorted(set(args.year)) if args.year else None)
    decl = verdict_rule(project)[1]
    labels = decl.labels()
    findings = {o.id for o in decl.outcomes if o.finding}
    bad = [v for v in verdicts if v.verdict in findings]
    if args.format == "json":
        print(json.dumps({
            "log": log.path, "as_of": log.as_of.isoformat(), "ok": not bad,
            "counts": {k: sum(v.verdict == k for v in verdicts) for k in labels},
            "verdicts": [{
                "year": v.year, "clause": v.clause, "duty": v.duty.name, "instance": v.instance,
                "verdict": v.verdict, "why": v.why, "owed_by": v.duty.owed_by, "owed_to": v.duty.owed_to,
                "due": v.due.isoformat() if v.due else None,
                "event": {"date": v.event.date.isoformat(), "kind": v.event.kind, "where": str(v.event.span)}
                if v.event else None,
                "sentence_id": v.sentence_id, "sentence": " ".join(v.sentence.split()),
                "reading": v.duty.reading,
            } for v in verdicts],
        }, ensure_ascii=False, indent=2))
    else:
        print(f"Bedömning av {log.path} (till och med {log.as_of})")
        year = None
        for v in verdicts:
            if v.year != year:
                year = v.year
                print(f"\n{year}")
            inst = f" [{v.instance}]" if v.instance else ""
            print(f"  {v.clause:<4} {v.duty.title_sv}{inst}")
            print(f"       {labels[v.verdict]}: {v.why}")
            print(f"       «{' '.join(v.sentence.split())}»")
        counts = ", ".join(f"{sum(v.verdict == k for v in verdicts)} {lab}" for k, lab in labels.items())
        print(f"\n{'OK' if not bad else 'BRISTER'}: {counts}")
    return 1 if bad else 0
