"""A period a computation's answer is about besides its day (``about: period:``, e.g. the notice
period from the day a notice arrives to the end it gives), under the version of the agreement
the declared transition reading picks when a change takes effect inside it.

Each version computes the period's first and last day. ``first-day``: the version in force on
the period's first day, as that version computes it; ``last-day``: a version in force on the
last day it computes itself (the latest such; else the first-day one). The values shown for the
period (those with the period's ``when_given``) are the chosen version's; every alternative's
version and days are returned for the reader. Nothing here names a rule of any agreement.
"""

from __future__ import annotations

import datetime
from typing import Any

from avtalsregler.apps.amend.versions import Version, in_force, project_of
from avtalsregler.apps.compute.run import Result, run_computation
from avtalsregler.errors import DataError
from avtalsregler.project.evaluate import evaluate

ALTERNATIVES = ("first-day", "last-day")
LABELS = {"first-day": "lydelsen som gäller periodens första dag",
          "last-day": "lydelsen som gäller periodens sista dag (räknad med den lydelsen)"}


def _days(root, v: Version, name: str, options: dict[str, Any], decl) -> tuple[datetime.date, datetime.date, Result]:
    project = project_of(root, v)
    res = run_computation(project, name, options)
    values, _ = evaluate(res.clause, project.enums, res.given,
                         [n for n in (decl.first, decl.last) if n in res.clause.definitions])
    pick = {n: values[n] if n in values else res.value(n) for n in (decl.first, decl.last)}
    return pick[decl.first], pick[decl.last], res


def period_in_force(root, vs: list[Version], name: str, options: dict[str, Any], result: Result, decl,
                    transition: str | None) -> dict | None:
    """When the period's option is given and a version takes effect inside the period as some
    version computes it: the alternatives, and the period's shown values in ``result`` replaced
    by those of the chosen version. Otherwise None (nothing to decide)."""
    comp = result.computation
    flag = comp.inputs[decl.when_given].option.flag
    if options.get(flag) is None or len(vs) == 1:
        return None
    runs = {v.number: _days(root, v, name, options, decl) for v in vs}
    inside = [v for v in vs[1:] if any(a < v.start <= b for a, b, _ in runs.values())]
    if not inside:
        return None
    chosen = transition if transition in ALTERNATIVES else decl.chosen
    if transition is not None and transition not in ALTERNATIVES:
        raise DataError(f"--transition {transition!r} is not an alternative for this period", None,
                        "expected one of: " + ", ".join(ALTERNATIVES))
    first = next((v for v in vs if in_force(vs, runs[v.number][0]).number == v.number), vs[0])
    last = next((v for v in reversed(vs) if in_force(vs, runs[v.number][1]).number == v.number), first)
    owner = {"first-day": first, "last-day": last}
    pick = owner[chosen]
    mine = {s.key for s in comp.show if s.when_given == decl.when_given}
    theirs = {s.key: s for s in runs[pick.number][2].values}
    result.values[:] = [theirs.get(s.key, s) if s.key in mine else s for s in result.values]
    return {"reading": decl.transition, "chosen": chosen, "version": pick.as_json(),
            "changes_inside": [v.start.isoformat() for v in inside],
            "alternatives": [{"alternative": alt, "label": LABELS[alt], "version": v.label, "number": v.number,
                              "from": runs[v.number][0].isoformat(), "to": runs[v.number][1].isoformat()}
                             for alt, v in owner.items()],
            "by_version": [{"version": v.label, "from": runs[v.number][0].isoformat(),
                            "to": runs[v.number][1].isoformat()} for v in vs]}
