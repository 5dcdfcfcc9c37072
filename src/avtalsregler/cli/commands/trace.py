"""``avtalsregler trace``: the agreement sentence by sentence, and what in the rules accounts for each."""

from __future__ import annotations

import json

from avtalsregler.project.load import load_project
from avtalsregler.apps.trace import build_trace, coverage

STATUS = {"used": "används", "declarative": "deklarativ", "unaccounted": "SAKNAS", "no_rule": "ingen regel än"}


def register(sub) -> None:
    p = sub.add_parser("trace", help="map every sentence of the agreement to the rule elements that use it",
                       description="Split the agreement into sentences and show, for each, the clause, the rule "
                                   "elements that use it (inputs, parameters, definitions, duties, examples, "
                                   "invariants) or why it is declarative. Exit 1 when a sentence of a clause "
                                   "that has a rule is unaccounted for.")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(run=run)


def run(args) -> int:
    project = load_project(args.root)
    rows = build_trace(project)
    cov = coverage(rows)
    bad = [r for r in rows if not r.ok]
    if args.format == "json":
        print(json.dumps({
            "ok": not bad,
            "coverage": cov,
            "sentences": [{
                "id": r.sentence.id, "clause": r.sentence.clause, "line": r.sentence.line,
                "kind": r.sentence.kind, "text": r.sentence.text, "items": r.sentence.items,
                "status": r.status, "quotes": r.quote_ids, "elements": r.elements, "reason": r.reason,
            } for r in rows],
        }, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            s = r.sentence
            text = s.text if len(s.text) <= 90 else s.text[:87] + "…"
            print(f"{s.id:<7} {project.agreement.path}:{s.line:<4} {STATUS[r.status]:<15} {text}")
            if r.elements:
                print(f"        {', '.join(r.elements)}")
            elif r.reason:
                print(f"        {r.reason}")
        print()
        for cid, c in sorted(cov.items(), key=lambda kv: int(kv[0][1:])):
            state = f"{c['accounted']}/{c['sentences']}" if c["has_rule"] else f"ingen regel än ({c['sentences']})"
            print(f"  {cid:<4} {state}")
        with_rules = [c for c in cov.values() if c["has_rule"]]
        total = sum(c["sentences"] for c in with_rules)
        done = sum(c["accounted"] for c in with_rules)
        print(f"\n{'OK' if not bad else 'FAILED'}: {done} of {total} sentences of clauses with rules accounted for; "
              f"{sum(c['sentences'] for c in cov.values() if not c['has_rule'])} sentences in clauses without a rule")
    return 1 if bad else 0
