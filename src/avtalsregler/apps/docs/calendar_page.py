"""The site's calendar page: every date the rules declare (``events:``) from the first day of the
period running on the build day to the last day of the period after it, computed by the same
definitions the specs prove and `avtalsregler calendar` exports."""

from __future__ import annotations

import datetime

from avtalsregler.apps.calendar import events, period, validity
from avtalsregler.apps.docs.pages import page_name
from avtalsregler.apps.docs.render import esc
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


def render_calendar(project: Project, today: datetime.date) -> str:
    out = ["# Kalender", ""]
    try:
        start, end = _range(project, today)
        evs = events(project, start, end)
    except AvtalsreglerError as exc:
        return "\n".join(out + [f"Kalendern kunde inte beräknas: {esc(exc.swedish)}", ""])
    out += [f"Alla datum som reglerna sätter från {start.isoformat()} till {end.isoformat()}: den period som "
            f"pågår {today.isoformat()} och nästa. Varje datum räknas av regelns definition (se paragrafen), "
            "och invarianterna som bevisas för den definitionen gäller för datumet. Kalendern förutsätter "
            "att ingen part säger upp överenskommelsen. Samma datum som iCalendar, CSV eller JSON: "
            "`avtalsregler calendar`.", "",
            "| Datum | Händelse | Paragraf | Läsning |", "|---|---|---|---|"]
    for e in evs:
        link = f"[{e.clause}](paragrafer/{page_name(e.clause)})"
        readings = ", ".join(f"[{r}](lasningar.md#{r.lower()})" for r in (x.strip() for x in e.reading.split(","))
                             if r) or "–"
        past = " (passerat)" if e.date < today else ""
        out.append(f"| {e.date.isoformat()}{past} | {esc(e.title)} | {link} | {readings} |")
    if not evs:
        out.append("| – | Inga datum i perioden | | |")
    return "\n".join(out) + "\n"
