"""How every value of a computation's :class:`~avtalsregler.apps.compute.run.Result` was
derived, as Swedish lines: each input with its source (option, fixed value, data file rows with
their sources, a recurrence year by year with its publications), then each computed definition
with its formula, sentence and reading; a map over the parties is shown member by member, and a
built-in that can explain itself (an ``EXPLAIN`` hook in its module, e.g. ``apportion``) adds
its derivation."""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from typing import Any

from avtalsregler.apps.compute.run import Result
from avtalsregler.language import functions
from avtalsregler.language.semantics import ConcreteOps
from avtalsregler.language.types import format_kr, group_count, show
from avtalsregler.project.evaluate import Instance


def explain_hooks() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for info in pkgutil.iter_modules(functions.__path__):
        module = importlib.import_module(f"{functions.__name__}.{info.name}")
        out.update(getattr(module, "EXPLAIN", {}))
    return out


def _quote(result: Result, sid: str | None) -> str | None:
    s = result.clause.sentence(sid)
    return f"mening {sid}: \"{' '.join(s.text.split())}\"" if s else None


def _inputs(result: Result, project) -> list[str]:
    clause, out = result.clause, []
    enums = project.enums
    for name, spec in result.computation.inputs.items():
        if name not in result.given or spec.fixed:
            continue
        inp = clause.inputs[name]
        value = result.given[name]
        q = _quote(result, inp.sentence)
        if name in result.data:
            pop = result.data[name]
            out.append(f"{name} {pop.date.isoformat()} (fil {pop.path}): summa {group_count(sum(pop.values.values()))}")
            out += [f"  {q}"] if q else []
            out += [f"  {r.name}: {group_count(r.population)}  [{r.span}; källa: {r.source}]" for r in pop.rows.values()]
        elif name in result.recurrence:
            r = result.recurrence[name]
            rec = spec.recurrence
            out.append(f"{name} = {show(value, inp.type, enums)}")
            out += [f"  {q}"] if q else []
            start = clause.parameters[rec.start]
            out.append(f"  utgångspunkt: {rec.start} = {show(start.value, start.type, enums)} ({r.start_year}), "
                       f"varje år {rec.next} med {rec.previous} = föregående år och {rec.index_input} = årets "
                       f"värde i {r.index_file}")
            for st in r.steps:
                pubs = "; ".join(f"{p['title']} ({p['date']}, {p['reference']}) {p['year']}: {p['change']}"
                                 for p in st["publications"])
                out.append(f"  {st['year']}: {st['from']} × (1 + {st['change']}) = {st['exact']}"
                           f" → {show(st['rounded'], inp.type, enums)}  [källa: {pubs}]")
            alts = [f"{a.reading} (--{a.kind} {r.choices[a.kind]})" for a in rec.alternatives if a.reading]
            out += [f"  läsningar: {', '.join(alts)}"] if alts else []
        else:
            out.append(f"{name} = {show(value, inp.type, enums)}  (indata: {result.sources.get(name, 'given')})")
            out += [f"  {q}"] if q else []
        if inp.reading and name not in result.recurrence:
            out.append(f"  läsning: {inp.reading}")
        out.append("")
    return out


def _hook_lines(result: Result, project, step, hooks) -> list[str]:
    d = result.clause.definitions[step.name]
    e = d.expr
    inst = Instance(result.clause, ConcreteOps(project.enums), result.given)
    if e.op == "call" and e.extra.name in hooks:
        args = [inst.ev(a) for a in e.args]
        return hooks[e.extra.name](args, [a.type for a in e.args], step.value, project.enums)
    if e.op == "per" and e.args[1].op == "call" and e.args[1].extra.name in hooks:
        var, body = e.args
        enum = project.enums[e.extra]
        out = []
        for m in enum.values:
            local = {var: inst.ops.enum_value(enum, m)}
            args = [inst.walker.ev(a, local) for a in body.args]
            lines = hooks[body.extra.name](args, [a.type for a in body.args], step.value[m], project.enums, True)
            out += [f"{enum.label(m)}: {lines[0]}", *lines[1:]]
        return out
    return []


def _map_lines(value: dict, t, enums) -> list[str]:
    e = enums[t.enum]
    return [f"{e.label(k)}: {show(value[k], t.elem, enums)}" for k in e.values]


def formula_sv(clause, enums, name: str) -> str | None:
    """The formula of a definition in the site's plain Swedish notation (apps/docs/notation.py,
    tags stripped), without its left-hand side; None if it cannot be shown so."""
    from avtalsregler.apps.docs.notation import PlainNotation

    try:
        text = PlainNotation(clause, enums).definition(name, clause.definitions[name].expr)
    except Exception:          # noqa: BLE001 - the technical form is shown instead
        return None
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())
    return text.split(" = ", 1)[1] if " = " in text else None


def explanation(result: Result, project) -> list[str]:
    """The derivation of every input and computed value, in the order they were computed."""
    hooks = explain_hooks()
    out = ["Härledning", "==========", ""] + _inputs(result, project)
    for s in result.steps:
        d = result.clause.definitions[s.name]
        t = d.type
        if t.kind == "map":
            out.append(f"{s.name}:")
            body = _map_lines(s.value, t, project.enums)
        else:
            out.append(f"{s.name} = {s.shown}")
            body = []
        out.append(f"    = {formula_sv(result.clause, project.enums, s.name) or ' '.join(s.formula.split())}")
        if s.quote:
            out.append(f"    «{' '.join(s.quote.split())}»")
        if s.reading:
            out.append(f"    läsning: {s.reading}")
        hook = _hook_lines(result, project, s, hooks)
        out += [f"    {x}" for x in (hook or body)]
    if result.due_dates:
        out += ["", "Förfallodagar: " + ", ".join(d.isoformat() for d in result.due_dates)]
    out += ["", "Läsningar som använts"]
    for rid in result.readings:
        r = project.readings[rid]
        out.append(f"  {rid} ({r.status_sv}): \"{r.words}\" — {' '.join(r.chosen.split())}")
    for rid, msg in result.warnings:
        out.append(f"  VARNING{f' ({rid})' if rid else ''}: {msg}")
    _ = format_kr
    return out
