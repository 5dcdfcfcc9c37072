"""The period a dated event is about, and the reading that decides which version of the
agreement applies when a change takes effect inside it (``events: NAME: covers:`` / ``about:``)::

    events:
      invoice:
        date: invoice_day                     # map ENUM → date, or a date
        covers:                               # the days the event pays for; the periods of one
          first: first_day_of_period          #   version tile the time (one after the other)
          last: last_day_of_period            # definitions of the same shape as the date; without
                                              #   'last' a period ends the day before the next one's
                                              #   first day (by the same version's definitions)
          transition: RX-change-in-period     # the reading that decides, and its chosen
          chosen: first-day                   #   alternative: first-day | last-day | pro-rata
      deadline:
        date: notice_deadline
        about: {first: notice_deadline, last: end_it_gives, transition: RY-change, chosen: first-day}

``covers``: when a version takes effect on day E strictly inside a period, ``first-day`` keeps
the old version's period whole and switches the day after it ends; ``last-day`` switches on the
first day of the new version's period that contains E; ``pro-rata`` switches on E itself. Every
period that runs over the switch is cut there, each part naming its version and its share of
the period's days, so that every day is covered exactly once (:mod:`avtalsregler.apps.transition`).
``about``: the event of a version is shown when that version is in force on the period's first
(``first-day``) or last (``last-day``) day, as each version computes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from avtalsregler.errors import SchemaError, Span, did_you_mean, expected_one_of
from avtalsregler.project.source import Node, expect, fields

ALTERNATIVES = {"covers": ("first-day", "last-day", "pro-rata"), "about": ("first-day", "last-day")}


@dataclass(frozen=True)
class EventPeriod:
    first: str                 # definition (or the date itself): the period's first day
    last: str | None           # definition: its last day (covers: None, the day before the next first)
    transition: str            # the reading that decides a change inside the period
    chosen: str                # the alternative that reading chose
    tiles: bool                # covers (periods one after another, cut at a switch) or about
    span: Span

    @property
    def alternatives(self) -> tuple[str, ...]:
        return ALTERNATIVES["covers" if self.tiles else "about"]


def parse(key: str, node: Node, date: str, ctx) -> EventPeriod:
    f = fields(node, key, required=("first", "transition", "chosen") + (() if key == "covers" else ("last",)),
               optional=("last",) if key == "covers" else ())
    want = ctx.names[date]
    names = []
    for k in ("first", "last"):
        if k not in f:
            names.append(None)
            continue
        n = ctx.name(f[k], f"{key}: {k}", ("input", "parameter", "definition"))
        if ctx.names[n] != want and not (ctx.names[n].kind == "date" and want.kind == "date"):
            raise SchemaError(f"{key}: {k} {n!r} is {ctx.names[n]}, not {want} like the event's date {date!r}",
                              f[k].span, "name a definition of the same shape as the date (one per member of a map)")
        names.append(n)
    reading = ctx.reading_ref(f["transition"])
    chosen = expect(f["chosen"], str, f"{key}: chosen")
    if chosen not in ALTERNATIVES[key]:
        raise SchemaError(f"{key}: chosen {chosen!r} is not an alternative", f["chosen"].span,
                          did_you_mean(chosen, ALTERNATIVES[key]) or expected_one_of(ALTERNATIVES[key]))
    return EventPeriod(names[0], names[1], reading, chosen, key == "covers", node.span)
