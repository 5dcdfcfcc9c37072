"""The calendar's events (:func:`avtalsregler.apps.calendar.events`) as sheets — the dates, how
each was derived (sentence, reading, computation) and the sources (rule files, the agreement,
the readings) — for a workbook or a Swedish Excel CSV, and the marker lines when the calendar
rests on made-up values (:func:`marks`). Nothing here prints."""

from __future__ import annotations

import datetime

from avtalsregler.apps.calendar import Event, Validity
from avtalsregler.apps.export import Column, Sheet
from avtalsregler.apps.fictitious import agreement_marks



def marks(project) -> list[str]:
    """The calendar reads the rules and the agreement only: it is made up when the agreement is."""
    return agreement_marks(project)


def _title(start: datetime.date, end: datetime.date, v: Validity) -> tuple[str, ...]:
    return (f"{v.name} {start.isoformat()}–{end.isoformat()}",) + (
        (f"Under förutsättning att {v.assumes}.",) if v.assumes else ())


def sheets(evs: list[Event], project, start: datetime.date, end: datetime.date, v: Validity) -> list[Sheet]:
    versioned = any(e.version for e in evs)       # amendments applied: each date names its version
    lydelse = (Column("Avtalets lydelse", wrap=True),) if versioned else ()
    cut = any(e.share for e in evs)               # a period cut by a change: its part (apps/transition.py)
    if cut:
        lydelse += (Column("Del av perioden", wrap=True),)
    dates = Sheet("Kalender", (Column("Datum", "date"), Column("Typ"), Column("Avsnitt"), Column("Händelse", wrap=True),
                               Column("Detalj", wrap=True), Column("Påminnelse (dagar före)"), Column("UID")) + lydelse,
                  tuple((e.date, e.category or e.kind, e.clause, e.title, e.detail,
                         ", ".join(map(str, e.alarm_days_before)), e.uid) + ((e.version,) if versioned else ())
                        + ((_part(e),) if cut else ()) for e in evs), _title(start, end, v))
    derived = Sheet("Härledning", (Column("Datum", "date"), Column("Händelse", wrap=True), Column("Avsnitt"),
                                   Column("Mening"), Column("Meningens text", wrap=True), Column("Läsning"),
                                   Column("Beräknat av", wrap=True)) + lydelse,
                    tuple((e.date, e.title, e.clause, e.sentence_id, e.quote, e.reading, e.source)
                          + ((e.version,) if versioned else ()) + ((_part(e),) if cut else ()) for e in evs))
    return [dates, derived, Sheet("Källor", (Column("Vad"), Column("Var"), Column("Uppgift", wrap=True),
                                             Column("Källa", wrap=True)), tuple(source_rows(evs, project)))]


def _part(e: Event) -> str:
    return f"{e.period[0].isoformat()}–{e.period[1].isoformat()}: {e.share}" if e.share else ""


def source_rows(evs: list[Event], project) -> list[tuple]:
    rows = [("avtalstext", project.agreement.path, project.agreement.title, "")]
    for cid in dict.fromkeys(e.clause for e in evs):
        c = project.clauses.get(cid)
        if c is not None:
            rows.append(("regel", c.path, f"{c.id} {c.title}", ""))
    ids = dict.fromkeys(r.strip() for e in evs for r in e.reading.split(",") if r.strip())
    for rid in ids:
        r = project.readings.get(rid)
        if r is not None:
            rows.append((f"läsning {rid}", r.status_sv, r.words, " ".join(r.chosen.split())))
    return rows
