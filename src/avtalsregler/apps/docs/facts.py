"""The "Aktuellt" section of the start page: the facts the rules declare (``facts:``, see
:mod:`avtalsregler.project.declarations.facts`), each computed by its rule's definitions on the
build day. A fact that cannot be computed (no data, a day outside the rule's range) is shown with
the reason instead."""

from __future__ import annotations

import datetime
import html
from typing import Any

from avtalsregler.apps.docs.facts_common import sources
from avtalsregler.apps.docs.render import esc
from avtalsregler.errors import AvtalsreglerError, DataError, SchemaError, did_you_mean, expected_one_of
from avtalsregler.project.declarations.facts import BUILD_DATE, Fact
from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.model import Clause, Project


_NO_LINKS = str.maketrans({"[": "&#91;", "]": "&#93;"})


def markdown_safe(text: str) -> str:
    """A filled template as Markdown: HTML escaped, no links or images (emphasis and code are kept)."""
    return html.escape(text, quote=False).translate(_NO_LINKS)


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


def render_paragraphs(project: Project, clause: Clause, fact: Fact, today: datetime.date) -> str:
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
        out += [markdown_safe(p.text.fill(values, types, project.enums)), ""]
    readings = list(dict.fromkeys(s.reading for s in steps if s.reading))
    out.append(sources(clause, readings))
    return "\n".join(out)


def render_fact(project: Project, clause: Clause, fact: Fact, results: list, today: datetime.date) -> str:
    if fact.computation is not None:
        from avtalsregler.apps.docs.fact_tables import render_table

        return render_table(project, clause, fact, today)
    return render_paragraphs(project, clause, fact, today)


def render_facts(project: Project, results: list, today: datetime.date) -> list[tuple[str, str, bool]]:
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
                out.append((fact.title, f"Kunde inte beräknas: {esc(exc.swedish)}", False))
    if not out:
        out.append(("Aktuellt", "Reglerna deklarerar inga fakta för startsidan (avsnittet facts).", False))
    return out
