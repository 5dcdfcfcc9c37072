"""The calendar's events (:mod:`avtalsregler.apps.calendar`) rendered as iCalendar (RFC 5545),
CSV or JSON; the marker lines (made-up values) and the parts of a range under several versions
of the agreement come along. Nothing here prints."""

from __future__ import annotations

import csv
import datetime
import io
import json

from avtalsregler.apps.calendar import FIELDS, Event, Validity


def _description(e: Event) -> str:
    lines = [e.detail, "", f"{e.clause}: ”{e.quote}”"]
    if e.reading:
        lines.append(f"Läsning: {e.reading} (se läsningsregistret, readings/).")
    lines.append(f"Beräknat av: {e.source}.")
    if e.version:
        lines.append(f"Avtalets lydelse: {e.version}.")
    if e.share:
        lines.append(f"Övergång: gäller {e.period[0].isoformat()}–{e.period[1].isoformat()}, {e.share}.")
    return "\n".join(lines)


def to_ics(evs: list[Event], stamp: datetime.datetime, start: datetime.date, end: datetime.date,
           v: Validity, marks: list[str] | tuple[str, ...] = ()) -> bytes:
    from icalendar import Alarm, Calendar
    from icalendar import Event as VEvent

    cal = Calendar()
    cal.add("prodid", f"-//avtalsregler//{v.product}//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", v.name)
    cal.add("x-wr-caldesc", f"Datum enligt överenskommelsen {start.isoformat()}–{end.isoformat()}"
                            + (f", under förutsättning att {v.assumes}." if v.assumes else ".")
                            + "".join(f" {m}." for m in marks))
    for e in evs:
        ve = VEvent()
        ve.add("uid", e.uid)
        ve.add("dtstamp", stamp)
        ve.add("dtstart", e.date)                       # a date: VALUE=DATE, an all-day event
        ve.add("dtend", e.date + datetime.timedelta(days=1))
        ve.add("summary", e.title)
        ve.add("description", _description(e))
        ve.add("categories", [e.clause, e.category or e.kind])
        ve.add("transp", "TRANSPARENT")
        for days in e.alarm_days_before:
            a = Alarm()
            a.add("action", "DISPLAY")
            a.add("description", f"Om {days} dagar: {e.title}")
            a.add("trigger", datetime.timedelta(days=-days))
            ve.add_component(a)
        cal.add_component(ve)
    return cal.to_ical()


def to_csv(evs: list[Event], marks: list[str] | tuple[str, ...] = ()) -> bytes:
    """A header and one row per event; marker lines (made-up values) come first as ``# …``."""
    buf = io.StringIO()
    for m in marks:
        buf.write(f"# {m}\n")
    cut = any(e.share for e in evs)                 # a period cut by a change (apps/transition.py)
    w = csv.DictWriter(buf, fieldnames=FIELDS + (("version",) if any(e.version for e in evs) else ())
                       + (("covers_from", "covers_to", "covers_share") if cut else ()), lineterminator="\n")
    w.writeheader()
    for e in evs:
        row = e.row()
        row["alarm_days_before"] = ";".join(str(d) for d in row["alarm_days_before"])
        covers = row.pop("covers", None)
        if cut:
            row |= {"covers_from": covers["from"], "covers_to": covers["to"], "covers_share": covers["share"]} \
                if covers else {"covers_from": "", "covers_to": "", "covers_share": ""}
        w.writerow(row)
    return buf.getvalue().encode("utf-8")


def to_json(evs: list[Event], start: datetime.date, end: datetime.date, v: Validity,
            marks: list[str] | tuple[str, ...] = (), versions: list[dict] | None = None,
            transitions: list[dict] | None = None) -> bytes:
    doc = {"from": start.isoformat(), "to": end.isoformat(), "assumes": v.assumes,
           "fictitious": bool(marks), "fictitious_notes": list(marks), "events": [e.row() for e in evs]}
    if versions:
        doc["versions"] = versions
    if transitions:
        doc["transitions"] = transitions          # a change inside a covered period: every alternative
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
