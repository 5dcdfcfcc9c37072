"""A change of the agreement inside a period the rules treat as a unit, for the calendar.

An event that declares ``covers:`` pays for a period (an invoice for its quarter); the periods of
one version follow one another. When version B takes effect on day E strictly inside a period,
the reading the event names decides the *switch day* T (:func:`switch_day`): ``first-day`` — the
old version's period that has begun runs to its end, T is the day after; ``last-day`` — the new
version's period that contains E applies from its first day, T is that day; ``pro-rata`` — T is
E. Days before T follow the old version's periods, days from T the new one's; a period that runs
over T is cut there, each part naming its version and its share of the period's days, and its
date moves as far as its first day does. So every day is covered exactly once
(:func:`schedule` checks it and refuses a gap or an overlap), and every alternative's periods
are computed too (:func:`effects`), for the reader to compare.

An event that declares ``about:`` (a notice deadline, about the period from it to the end it
gives) is shown by the version in force on that period's first or last day, as the reading
chose (:func:`about_owner`).

Nothing here names a clause, a definition or a date of any particular agreement.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from avtalsregler.apps.amend.versions import Version, in_force
from avtalsregler.apps.calendar import Event
from avtalsregler.errors import DataError

ONE_DAY = datetime.timedelta(days=1)
ALTERNATIVE_LABELS = {
    "first-day": "perioden hel enligt lydelsen som gäller dess första dag; den nya från dagen efter att den slutar",
    "last-day": "perioden hel enligt lydelsen som gäller dess sista dag; den nya från sin periods första dag",
    "pro-rata": "varje lydelse för sina dagar av perioden (delad på ändringsdagen, andel efter dagar)"}


@dataclass(frozen=True)
class Period:
    first: datetime.date
    last: datetime.date
    event: Event
    version: Version

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class Part:
    """A period, or the part of it on one side of a switch day."""

    first: datetime.date
    last: datetime.date
    period: Period

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def whole(self) -> bool:
        return (self.first, self.last) == (self.period.first, self.period.last)

    def as_json(self) -> dict:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "version": self.period.version.label,
                "days": self.days, "period_days": self.period.days, "date": self.event().date.isoformat(),
                "uid": self.period.event.uid}

    def event(self, reading: str = "", alternative: str = "") -> Event:
        e = self.period.event
        if self.whole:
            return e
        share = (f"{self.days} av periodens {self.period.days} dagar ({self.period.first.isoformat()}–"
                 f"{self.period.last.isoformat()})" + (f", läsningen {reading} ({alternative})" if reading else ""))
        return replace(e, date=e.date + (self.first - self.period.first), period=(self.first, self.last), share=share,
                       title=f"{e.title} (del av perioden: {self.first.isoformat()}–{self.last.isoformat()})")


def periods(evs: list[Event], version: Version) -> list[Period]:
    """The periods one version's covering events pay for, in order; a period without a declared
    last day ends the day before the next one's first day (the last of the window: the day
    before its own first day a year on, at most)."""
    evs = sorted(evs, key=lambda e: e.period[0])
    out = []
    for i, e in enumerate(evs):
        first, last = e.period[0], e.period[1]
        if last is None:
            last = evs[i + 1].period[0] - ONE_DAY if i + 1 < len(evs) else None
        if last is None:
            continue                        # the window's last period: its end is not known here
        out.append(Period(first, last, e, version))
    return out


def _containing(ps: list[Period], day: datetime.date) -> Period | None:
    return next((p for p in ps if p.first < day <= p.last), None)


def switch_day(alternative: str, effective: datetime.date, old: list[Period], new: list[Period]) -> datetime.date:
    if alternative == "first-day":
        p = _containing(old, effective)
        return p.last + ONE_DAY if p else effective
    if alternative == "last-day":
        p = _containing(new, effective)
        return p.first if p else effective
    return effective


def schedule(by_version: list[tuple[Version, list[Period]]], alternative: str) -> list[Part]:
    """Every version's periods, each cut at the switch days the alternative gives."""
    switches: list[datetime.date | None] = [None]
    for (_, old), (v, new) in zip(by_version, by_version[1:], strict=False):
        t = switch_day(alternative, v.start, old, new)
        switches.append(max(t, switches[-1]) if switches[-1] else t)
    switches.append(None)
    out = []
    for k, (_, ps) in enumerate(by_version):
        lo, hi = switches[k], switches[k + 1]
        for p in ps:
            a = max(p.first, lo) if lo else p.first
            b = min(p.last, hi - ONE_DAY) if hi else p.last
            if a <= b:
                out.append(Part(a, b, p))
    out.sort(key=lambda x: x.first)
    for x, y in zip(out, out[1:], strict=False):
        if y.first != x.last + ONE_DAY:
            overlap = y.first <= x.last
            days = (y.first, min(x.last, y.last)) if overlap else (x.last + ONE_DAY, y.first - ONE_DAY)
            raise DataError(f"the days {days[0].isoformat()}–{days[1].isoformat()} are "
                            f"{'covered twice' if overlap else 'not covered'} by the event "
                            f"{x.period.event.declared!r} ({x.period.version.label}; {y.period.version.label})",
                            None, "the periods of each version must follow one another without gaps or overlaps")
    return out


def effects(by_version: list[tuple[Version, list[Period]]], reading: str, chosen: str, alternatives) -> list[dict]:
    """For every change inside a period: each alternative's switch day and the parts around it."""
    out = []
    for (_, old), (v, new) in zip(by_version, by_version[1:], strict=False):
        e = v.start
        around = [p for p in (_containing(old, e), _containing(new, e)) if p is not None]
        if not around:
            continue                        # the change falls on a period boundary of both
        lo, hi = min(p.first for p in around), max(p.last for p in around)
        alts = []
        for alt in alternatives:
            parts = [x for x in schedule(by_version, alt) if x.last >= lo and x.first <= hi]
            alts.append({"alternative": alt, "label": ALTERNATIVE_LABELS[alt],
                         "switch_day": switch_day(alt, e, old, new).isoformat(),
                         "parts": [x.as_json() for x in parts]})
        out.append({"effective": e.isoformat(), "event": around[0].event.declared, "reading": reading,
                    "chosen": chosen, "days": [lo.isoformat(), hi.isoformat()], "alternatives": alts})
    return out


def about_owner(vs: list[Version], e: Event, alternative: str) -> Version:
    """The version an ``about`` event belongs to: the one in force on its period's first day,
    or on its last."""
    day = e.period[0] if alternative == "first-day" else e.period[1]
    return in_force(vs, day)
