"""When the agreement calls for invoices: from the declared term's first day, until its last
day. The last day is the end of the rules' reach (the term's ``last_day``), or — given the day
a notice was received — the end of the first period whose notice deadline (an event of kind
``notice_deadline``, iterated by a count over the same periods as the term) is on or after that
day, or a last day the user states.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from avtalsregler.apps.calendar import period, validity
from avtalsregler.errors import DataError
from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.model import Project


@dataclass(frozen=True)
class Reach:
    first_day: datetime.date | None
    last_day: datetime.date | None
    why: str                                  # Swedish: where the last day comes from
    clause: str | None = None
    readings: tuple[str, ...] = ()


def _deadline(project: Project, clause, ev, nr: int) -> datetime.date | None:
    name = next(n for n, mode in ev.iterate if mode == "count")
    names = [ev.date] + [n for n in (ev.when, ev.unless) if n]
    try:
        values, _ = evaluate(clause, project.enums, {name: nr}, names, check_assumptions=False)
    except DataError:
        return None
    if (ev.when and not values[ev.when]) or (ev.unless and values[ev.unless]):
        return None
    return values[ev.date]


def end_after_notice(project: Project, received: datetime.date) -> tuple[datetime.date, int, tuple[str, ...]]:
    """The last day of the agreement when a notice is received on ``received``: the end of the
    first period whose notice deadline is on or after that day (and its number)."""
    v = validity(project)
    if v.term is None or v.term.periods is None:
        raise DataError("no rule declares the term's periods, so the end after a notice cannot be computed", None,
                        "give the agreement's last day with --ends instead")
    notices = [(c, ev) for c, d in project.declared("events") for ev in d.events
               if ev.kind == "notice_deadline" and any(mode == "count" for _, mode in ev.iterate)]
    if not notices:
        raise DataError("no rule declares notice deadlines (events of kind 'notice_deadline')", None,
                        "give the agreement's last day with --ends instead")
    inp = v.clause.inputs[v.term.periods.input]
    for nr in itertools.count(inp.low or 0):
        if inp.high is not None and nr > inp.high:
            break
        days = [d for c, ev in notices if (d := _deadline(project, c, ev, nr)) is not None]
        if days and max(days) >= received:
            readings = tuple(r for _, ev in notices for r in ev.readings)
            return period(project, v, nr)[1], nr, readings
    raise DataError(f"no notice deadline on or after {received.isoformat()} within the rules' reach", None,
                    "give the agreement's last day with --ends instead")


def reach(project: Project, notice: datetime.date | None = None, ends: datetime.date | None = None) -> Reach:
    """The days invoices may fall on (``notice``: the day a notice was received; ``ends``: a
    stated last day)."""
    v = validity(project)
    clause = v.clause.id if v.clause else None
    if ends is not None:
        return Reach(v.first_day, ends, f"avtalets sista dag {ends.isoformat()} (angiven med --ends)", clause)
    if notice is not None:
        last, nr, readings = end_after_notice(project, notice)
        return Reach(v.first_day, last, f"uppsägningen kom fram {notice.isoformat()}: avtalet gäller till och med "
                     f"{last.isoformat()} (slutet av period {nr})", clause, readings)
    return Reach(v.first_day, v.last_day, open_ended_why(v), clause)


def open_ended_why(v) -> str:
    """Swedish: why the agreement runs on when no notice and no last day are given. A term whose
    last day is an input's ``max`` (a bound of the rule, not of the agreement) or that has
    periods renews itself; only a last day the rules fix as a parameter is an end date."""
    fixed = v.term is not None and v.clause is not None and v.term.last_day in v.clause.parameters
    if fixed and v.last_day is not None:
        return f"avtalet gäller till och med {v.last_day.isoformat()} enligt {v.clause.id} (ingen uppsägning angiven)"
    start = f" (gäller från {v.first_day.isoformat()})" if v.first_day else ""
    renews = " förlängs och" if v.term is not None and v.term.periods is not None else ""
    return f"ingen uppsägning angiven: avtalet{renews} löper vidare utan slutdag{start}"
