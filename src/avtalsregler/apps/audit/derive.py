"""The derivation of one expected invoice, as plain data: every computed definition the amount
(or the invoice day) depends on, for that member and period, with its formula, its sentence
quoted and its reading; every input with its source (a data file's row for that member); every
parameter with the words of the text it comes from; and the readings involved, with their
status and the alternatives the register lists."""

from __future__ import annotations

from typing import Any

from avtalsregler.apps.compute.explain import formula_sv
from avtalsregler.language.types import show
from avtalsregler.project.evaluate import Step
from avtalsregler.project.model import Project


def _quote(clause, sid: str | None) -> str | None:
    s = clause.sentence(sid)
    return " ".join(s.text.split()) if s else None


def _pick(value: Any, typ, keys: tuple[str, ...], enums) -> tuple[Any, Any]:
    """The part of a value for a member and a period (maps over their enumerations)."""
    while typ.kind == "map" and isinstance(value, dict):
        key = next((k for k in keys if k in value), None)
        if key is None:
            break
        value, typ = value[key], typ.elem
    return value, typ


def _worked(explanation: list[str], name: str, label: str) -> list[str]:
    """The member's own lines of a definition's block in a computation's explanation (e.g. the
    arithmetic a built-in explains)."""
    out, inside = [], False
    for line in explanation:
        if not line.startswith(" "):
            inside = line.startswith((f"{name}:", f"{name} = "))
        elif inside and line.strip().startswith(f"{label}:"):
            out.append(line.strip()[len(label) + 1:].strip())
    return out


def chain(project: Project, result, steps: list[Step], top: str, keys: tuple[str, ...],
          explanation: list[str] = (), label: str = "") -> list[dict]:
    """The elements ``top`` depends on (computed steps, inputs, parameters), in the order computed;
    ``explanation`` and the member's ``label`` add the worked arithmetic of each step."""
    clause, enums = result.clause, project.enums
    by_name = {s.name: s for s in steps}
    needed, todo = set(), [top]
    while todo:
        n = todo.pop()
        if n in needed:
            continue
        needed.add(n)
        if n in by_name:
            todo += by_name[n].reads
        elif n in clause.definitions:
            todo += list(clause.definitions[n].expr.names())
    out: list[dict] = []
    for n in sorted(needed & set(result.given), key=list(result.given).index):
        inp = clause.inputs.get(n)
        if inp is None:
            continue
        value, typ = _pick(result.given[n], inp.type, keys, enums)
        source = result.sources.get(n, "")
        if n in result.data:
            row = next((result.data[n].rows[k] for k in keys if k in result.data[n].rows), None)
            if row is not None:
                source = f"{row.span}; källa: {row.source}"
        out.append({"kind": "input", "name": n, "value": show(value, typ, enums), "source": source,
                    "sentence": inp.sentence, "quote": _quote(clause, inp.sentence), "reading": inp.reading})
    for n in sorted(needed & set(clause.parameters)):
        p = clause.parameters[n]
        value, typ = _pick(p.value, p.type, keys, enums)
        out.append({"kind": "parameter", "name": n, "value": show(value, typ, enums), "words": p.words,
                    "sentence": p.sentence, "quote": _quote(clause, p.sentence), "reading": p.reading})
    for s in steps:
        if s.name not in needed:
            continue
        typ = clause.type_of(s.name)
        value, vt = _pick(s.value, typ, keys, enums)
        out.append({"kind": "definition", "name": s.name,
                    "value": show(value, vt, enums) if vt is not typ else s.shown,
                    "formula": formula_sv(clause, enums, s.name) or " ".join(s.formula.split()), "sentence": s.sentence,
                    "quote": " ".join(s.quote.split()) if s.quote else None, "reading": s.reading,
                    "worked": _worked(list(explanation), s.name, label) if label and vt is not typ else []})
    return out


def readings(project: Project, ids) -> list[dict]:
    """The readings ``ids`` (in order, once) as the register has them."""
    out, seen = [], set()
    for rid in ids:
        if not rid or rid in seen or rid not in project.readings:
            continue
        seen.add(rid)
        r = project.readings[rid]
        out.append({"id": rid, "status": r.status, "words": r.words, "chosen": " ".join(r.chosen.split()),
                    "alternatives": [{"reading": " ".join(a.reading.split()), "effect": " ".join(a.effect.split())}
                                     for a in r.alternatives]})
    return out


def lines(derivation: list[dict]) -> list[str]:
    """The derivation as Swedish text lines (for a table or a text report)."""
    out = []
    for d in derivation:
        if d["kind"] == "input":
            out.append(f"{d['name']} = {d['value']}  (indata: {d['source']})")
        elif d["kind"] == "parameter":
            out.append(f"{d['name']} = {d['value']}  (texten: \"{d['words']}\")")
        else:
            out.append(f"{d['name']} = {d['value']}")
            out.append(f"    = {d['formula']}")
            out += [f"    {w}" for w in d.get("worked", [])]
        if d.get("quote"):
            out.append(f"    mening {d['sentence']}: «{d['quote']}»")
        if d.get("reading"):
            out.append(f"    läsning: {d['reading']}")
    return out
