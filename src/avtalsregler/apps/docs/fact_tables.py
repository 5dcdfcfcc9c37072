"""Start-page facts that show a declared computation as a table per member, for every value of
its ``each`` input (a year) for which the computation's data are complete."""

from __future__ import annotations

import datetime

from avtalsregler.apps.compute import find_computation, run_computation
from avtalsregler.apps.docs.render import Safe, markdown_text, md_link
from avtalsregler.errors import AvtalsreglerError, DataError
from avtalsregler.apps.docs.facts_common import sources
from avtalsregler.language.types import group3, show
from avtalsregler.project.declarations.facts import Fact
from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.model import Clause, Project


def _options(clause: Clause, comp, fact: Fact, value: int) -> dict:
    flags = {name: spec.option.flag for name, spec in comp.inputs.items() if spec.option}
    if fact.each not in flags:
        raise DataError(f"the computation {comp.name!r} has no option for {fact.each!r}")
    out = {flags[fact.each]: value}
    for name, v in fact.given:
        if name not in flags:
            raise DataError(f"the computation {comp.name!r} has no option for {name!r}")
        out[flags[name]] = clause.parameters[v[1]].value if isinstance(v, tuple) else v
    return out


def _last_with_data(project: Project, clause: Clause, comp, each: str, today: datetime.date) -> int:
    """The last value of ``each`` whose data can exist on ``today``: every data input's date (its
    ``at`` definition, e.g. a day of the year before) is on or before today. The offset comes
    from the rule's definition; without data inputs, the year after today's."""
    ats = [spec.data.at for spec in comp.inputs.values() if spec.data is not None]
    if not ats:
        return today.year + 1
    try:
        def dates_ok(y: int) -> bool:
            values, _ = evaluate(clause, project.enums, {each: y}, ats, check_assumptions=False)
            return all(values[a] <= today for a in ats)
        values, _ = evaluate(clause, project.enums, {each: today.year}, ats, check_assumptions=False)
        y = today.year - min(values[a].year - today.year for a in ats)
        while not dates_ok(y) and y > today.year - 100:
            y -= 1
        return y
    except AvtalsreglerError:
        return today.year + 1


def _show(value, t, enums) -> str:
    """A table cell: counts as grouped digits without their unit (the column says what they are)."""
    return group3(value) if t.kind == "int" and not t.is_money else show(value, t, enums)


def _cell(value, t, enums, distinct: bool) -> str:
    if distinct and t.kind == "map" and t.elem.kind == "map":
        raise DataError("a distinct column takes the values of one member's map")
    if distinct and t.kind == "map":
        return " / ".join(_show(x, t.elem, enums) for x in sorted(set(value.values())))
    return _show(value, t, enums)


def render_table(project: Project, clause: Clause, fact: Fact, today: datetime.date) -> Safe:
    comp = find_computation(project, fact.computation)
    inp = clause.inputs[fact.each]
    low = inp.low if inp.low is not None else today.year - 10
    last = _last_with_data(project, clause, comp, fact.each, today)
    high = min(last, inp.high if inp.high is not None else last)
    out: list[Safe] = []
    readings: list[str] = []
    values: dict = {}
    types: dict = {}
    for value in range(low, high + 1):
        try:
            res = run_computation(project, comp.name, _options(clause, comp, fact, value))
        except AvtalsreglerError as exc:
            if isinstance(exc, DataError) and "has no option" in exc.message:
                raise
            continue                    # no complete data for this value: not shown
        values = {n: res.value(n) for n in fact.names() if n in res.given or n in clause.definitions
                  or n in clause.parameters}
        types = {n: clause.type_of(n) for n in values}
        readings += [r for r in res.readings if r not in readings]
        if fact.heading:
            out += [markdown_text(fact.heading.fill(values, types, project.enums)), ""]
        cols = list(fact.columns)
        row = Safe("| {} |")
        out += [row.format(Safe(" | ").join(c.label for c in cols)),
                Safe("|{}|").format(Safe("|").join(Safe("---") if c.value == "member" else Safe("---:")
                                                   for c in cols))]
        for m in res.members:
            cells = []
            for c in cols:
                if c.value == "member":
                    cells.append(m.label)
                    continue
                t = clause.type_of(c.value)
                cells.append(_cell(values[c.value][m.id], t.elem, project.enums, c.distinct))
            out.append(row.format(Safe(" | ").join(cells)))
        totals = []
        for c in cols:
            t = clause.type_of(c.value) if c.value != "member" else None
            if t is None:
                totals.append(Safe("**Summa**"))
            elif t.elem.kind == "int" and not c.distinct:
                total = sum(values[c.value].values())
                shown = _show(total, t.elem, project.enums)
                totals.append(Safe("**{}**").format(shown) if t.elem.is_money else shown)
            else:
                totals.append("")
        out += [row.format(Safe(" | ").join(totals)), ""]
        for rid, _msg in res.warnings:
            day = next(iter(res.data.values())).date.isoformat() if res.data else ""
            out += [Safe("_Obs! Underlaget för {} är osäkert; det används som källan anger det. "
                         "Se läsningen {}._").format(day, md_link(f"lasningar.md#{rid.lower()}", rid)), ""]
    if not out:
        raise DataError(f"no value of {fact.each} from {low} to {high} has complete data for {comp.name!r}")
    for p in fact.paragraphs:          # filled with the values of the last table
        out += [markdown_text(p.text.fill(values, types, project.enums)), ""]
    out.append(sources(clause, readings))
    return Safe("\n").join(out).rstrip() + Safe("\n")
