"""The "Aktuellt" section of the start page: the facts the rules declare (``facts:``, see
:mod:`avtalsregler.project.declarations.facts`), each computed by its rule's definitions on the
build day. A fact that cannot be computed (no data, a day outside the rule's range) is shown with
the reason instead."""

from __future__ import annotations

import datetime
from typing import Any

from avtalsregler.apps.docs.facts_common import sources
from avtalsregler.apps.docs.render import Safe, markdown_text
from avtalsregler.errors import AvtalsreglerError, DataError, SchemaError, did_you_mean, expected_one_of
from avtalsregler.project.declarations.facts import BUILD_DATE, Fact
from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.model import Clause, Project


def _given(clause: Clause, fact: Fact, today: datetime.date) -> dict[str, Any]:
    out = {}
    for name, value in fact.given:
        if value == BUILD_DATE:
            inp = clause.inputs[name]
            if inp.high is not None and today > inp.high:
                raise DataError(f"the rule covers dates up to {inp.high.isoformat()}")
            value = max(today, inp.low) if inp.low is not None else today
        out[name] = value
    return out


def render_paragraphs(project: Project, clause: Clause, fact: Fact, today: datetime.date) -> Safe:
    given = _given(clause, fact, today)
    wanted = [n for n in dict.fromkeys(fact.names()) if n in clause.definitions]
    values, steps = evaluate(clause, project.enums, given, wanted)
    values = {**given, **values}
    types = {n: clause.type_of(n) for n in values}
    out = []
    for p in fact.paragraphs:
        if p.when and not values[p.when]:
            continue
        if p.unless and values[p.unless]:
            continue
        out += [markdown_text(p.text.fill(values, types, project.enums)), ""]
    readings = list(dict.fromkeys(s.reading for s in steps if s.reading))
    out.append(sources(clause, readings))
    return Safe("\n").join(out)


def render_fact(project: Project, clause: Clause, fact: Fact, results: list, today: datetime.date) -> Safe:
    if fact.computation is not None:
        from avtalsregler.apps.docs.fact_tables import render_table

        return render_table(project, clause, fact, today)
    return render_paragraphs(project, clause, fact, today)


def render_facts(project: Project, results: list, today: datetime.date) -> list[tuple[str, Safe, bool]]:
    """(title, Markdown, computed?) for every declared fact, in the order of the agreement."""
    out = []
    declared = {c.name for _, cs in project.declared("computations") for c in cs.items}
    for clause, facts in project.declared("facts"):
        for fact in facts:
            if fact.computation is not None and fact.computation not in declared:
                raise SchemaError(f"fact {fact.id!r} shows the computation {fact.computation!r}, which no rule declares",
                                  fact.span, did_you_mean(fact.computation, declared) or expected_one_of(declared))
            try:
                out.append((fact.title, render_fact(project, clause, fact, results, today), True))
            except AvtalsreglerError as exc:
                out.append((fact.title, Safe("Kunde inte beräknas: {}").format(exc.swedish), False))
    if not out:
        out.append(("Aktuellt", Safe("Reglerna deklarerar inga fakta för startsidan (avsnittet facts)."), False))
    return out
