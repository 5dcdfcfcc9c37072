"""The site's calendar page: every date the rules declare (``events:``) from the first day of the
period running on the build day to the last day of the period after it, computed by the same
definitions the specs prove and `avtalsregler calendar` exports."""

from __future__ import annotations

import datetime

from avtalsregler.apps.calendar import events, period, validity
from avtalsregler.apps.docs.pages import page_name
from avtalsregler.apps.docs.render import Safe, md_link
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.model import Project

PAGE = "kalender.md"


def _range(project: Project, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    v = validity(project)
    if v.term is None or v.term.periods is None or v.first_day is None:
        raise AvtalsreglerError("the rules declare no term with periods")
    inp = v.clause.inputs[v.term.periods.input]
    nr = inp.low or 0
    day = max(today, v.first_day)
    while True:
        start, end = period(project, v, nr)
        if end >= day:
            return start, period(project, v, nr + 1)[1]
        nr += 1


def render_calendar(project: Project, today: datetime.date) -> Safe:
    out = ["# Kalender", ""]
    try:
        start, end = _range(project, today)
        evs = events(project, start, end)
    except AvtalsreglerError as exc:
        return Safe("\n").join(out + [Safe("Kalendern kunde inte beräknas: {}").format(exc.swedish), ""])
    out += [Safe("Alla datum som reglerna sätter från {} till {}: den period som "
                 "pågår {} och nästa. Varje datum räknas av regelns definition (se paragrafen), "
                 "och invarianterna som bevisas för den definitionen gäller för datumet. Kalendern förutsätter "
                 "att ingen part säger upp överenskommelsen. Samma datum som iCalendar, CSV eller JSON: "
                 "`avtalsregler calendar`.").format(start.isoformat(), end.isoformat(), today.isoformat()), "",
            Safe("| Datum | Händelse | Paragraf | Läsning |"), Safe("|---|---|---|---|")]
    for e in evs:
        link = md_link(f"paragrafer/{page_name(e.clause)}", e.clause)
        readings = Safe(", ").join(md_link(f"lasningar.md#{r.lower()}", r)
                                   for r in (x.strip() for x in e.reading.split(",")) if r) or "–"
        past = Safe(" (passerat)") if e.date < today else ""
        out.append(Safe("| {}{} | {} | {} | {} |").format(e.date.isoformat(), past, e.title, link, readings))
    if not evs:
        out.append(Safe("| – | Inga datum i perioden | | |"))
    return Safe("\n").join(out) + Safe("\n")
