"""The calendar over time: every event by the version of the agreement in force for it
(:mod:`avtalsregler.apps.amend.versions`). A plain event belongs to the version in force on its
date; an event that covers a period or is about one follows the reading it declares when a
change takes effect inside the period (:mod:`avtalsregler.apps.transition`)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

from avtalsregler.apps import calendar as cal
from avtalsregler.apps import transition as tr
from avtalsregler.apps.amend.versions import in_force, parts, project_of, versions

WIDEN = datetime.timedelta(days=400)      # periods around the range, to find the ones that run into it


def _declared(project) -> dict:
    """The declared events of a project by id."""
    return {ev.id: ev for _, decl in project.declared("events") for ev in decl.events}


def events_in_force(root: str | Path, start: datetime.date, end: datetime.date,
                    as_of: datetime.date | None = None, transition: str | None = None
                    ) -> tuple[list[cal.Event], list[dict], list[dict]]:
    """Every declared event from ``start`` to ``end`` by the version in force for it (or, with
    ``as_of``, all by the version in force then), the parts of the range with their versions,
    and for every change inside a covered period each alternative's effect. ``transition``
    overrides the alternative the declared readings chose. Events are named by their version
    when the project has applied amendments."""
    vs = versions(root)
    named = len(vs) > 1
    cut = [(start, end, in_force(vs, as_of))] if as_of else parts(vs, start, end)
    table = [{"from": a.isoformat(), "to": b.isoformat(), "version": v.label, "number": v.number} for a, b, v in cut]
    if as_of or not named:
        evs = [replace(e, version=v.label) if named else e for a, b, v in cut
               for e in cal.events(project_of(root, v), a, b)]
        return _sorted(evs), table, []
    lo, hi = start - WIDEN, end + WIDEN
    if hi.year - lo.year > cal.MAX_YEARS:
        lo, hi = start, end
    near = [v for _, _, v in parts(vs, lo, hi)]
    projects = {v.number: project_of(root, v) for v in near}        # the latest is loaded anew each call
    each = {v.number: cal.events(projects[v.number], lo, hi) for v in near}
    declared = {v.number: _declared(projects[v.number]) for v in near}
    out: list[cal.Event] = []
    covered: dict[str, list] = {}
    for v in near:
        for e in each[v.number]:
            ev = declared[v.number].get(e.declared)
            e = replace(e, version=v.label)
            if ev is not None and ev.period is not None and ev.period.tiles:
                covered.setdefault(e.declared, [])
                continue
            alt = None
            if ev is not None and ev.period is not None:
                alt = transition if transition in ev.period.alternatives else ev.period.chosen
            owner = tr.about_owner(vs, e, alt) if alt else in_force(vs, e.date)
            if owner.number == v.number and start <= e.date <= end:
                out.append(e)
    effects = []
    for eid in covered:
        by_version, decl = [], None
        for v in near:                  # the latest version's declaration decides (the current rules)
            ev = declared[v.number].get(eid)
            tiles = ev is not None and ev.period is not None and ev.period.tiles
            decl = ev.period if tiles else decl
            evs = [replace(e, version=v.label) for e in each[v.number] if e.declared == eid] if tiles else []
            by_version.append((v, tr.periods(evs, v)))   # none: its events (if any) go by their date
        chosen = transition if transition in decl.alternatives else decl.chosen
        for part in tr.schedule(by_version, chosen):
            e = part.event(decl.transition, chosen)
            if start <= e.date <= end:
                out.append(e)
        effects += tr.effects(by_version, decl.transition, chosen, decl.alternatives)
    return _sorted(out), table, effects


def _sorted(evs: list[cal.Event]) -> list[cal.Event]:
    return sorted(evs, key=lambda e: (e.date, cal.KIND_ORDER.get(e.kind, 9), e.uid))
