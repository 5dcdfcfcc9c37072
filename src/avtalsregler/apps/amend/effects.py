"""The effect of an amendment in numbers.

Generic, for every clause: each spec example computed with the old and the new rule on the same
inputs (values that differ, maps unfolded per key — per municipality when the map is over
municipalities), parameters whose value changed, numbers and dates that change in the wording.

For the parties (the member enumeration a rule declares with ``parties:``):

* ``per_municipality``: the example effects whose values are maps over the members (or whose
  example is about one member) as a table per member and year, joined by the money columns of
  every declared computation with a members table, before and after, on every year its data
  file has figures for (:func:`per_member_effects`; also under the computation's name).
* ``dates_moved``: every changed value of type date (parameters and example outputs), and every
  date in a changed wording.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from avtalsregler.project.evaluate import evaluate
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.model import Project
from avtalsregler.language.types import Type, format_fraction, format_kr, show



def parameter_changes(before: Project, after: Project, clauses: set[str]) -> list[dict]:
    out = []
    for cid in sorted(clauses, key=lambda c: int(c[1:])):
        c0, c1 = before.clauses.get(cid), after.clauses.get(cid)
        if c0 is None or c1 is None:
            continue
        for name in list(c0.parameters) + [n for n in c1.parameters if n not in c0.parameters]:
            p0, p1 = c0.parameters.get(name), c1.parameters.get(name)
            if p0 is not None and p1 is not None and p0.value == p1.value:
                continue
            t = (p1 or p0).type
            out.append({"clause": cid, "name": name, "type": str(t),
                        "before": show(p0.value, p0.type, before.enums) if p0 else None,
                        "after": show(p1.value, p1.type, after.enums) if p1 else None,
                        "difference": _difference(p0.value if p0 else None, p1.value if p1 else None, t)})
    return out


MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
             "november", "december")


def month_number(value: Any, t: Type) -> str | None:
    """A month number (12 · year + month − 1, as ``month_of`` gives) as the month it is: rules
    count periods in whole months, and "24 251 månader" is a date to a lawyer. A count of
    months (a duration) is far smaller than any month number after the year 1000."""
    if t.kind == "int" and t.unit == "månader" and isinstance(value, int) and value >= 12 * 1000:
        return f"{MONTHS_SV[value % 12]} {value // 12}"
    return None


def _difference(v0: Any, v1: Any, t: Type) -> str | None:
    if v0 is None or v1 is None:
        return None
    if t.kind in ("int", "frac") and not isinstance(v0, bool):
        d = v1 - v0
        return show(d, t, {}) if t.kind == "int" else (format_fraction(Fraction(d)) if t.unit != "öre"
                                                       else show(d, t, {}))
    if t.kind == "date":
        return f"{(v1 - v0).days:+d} dagar"
    return None


def _values(clause, enums, given) -> dict[str, Any] | str:
    """Every definition the example's inputs suffice for (an example gives only the inputs of
    the definitions it is about)."""
    names = [n for n in clause.definitions if clause.inputs_needed(n) <= set(given)]
    try:
        values, _ = evaluate(clause, enums, given, names)
        return values
    except AvtalsreglerError as exc:
        return exc.swedish


def example_effects(before: Project, after: Project, clauses: set[str]) -> list[dict]:
    """For every example of the amended spec of the re-verified clauses: what the old and the
    new rule give on the same inputs, where they differ."""
    out = []
    for cid in sorted(clauses, key=lambda c: int(c[1:])):
        c0, c1, spec = before.clauses.get(cid), after.clauses.get(cid), after.specs.get(cid)
        if c0 is None or c1 is None or spec is None:
            continue
        old_spec = before.specs.get(cid)
        for ex in spec.examples:
            given = ex.given
            if set(given) != set(c0.inputs) or any(c0.inputs[n].type != c1.inputs[n].type for n in given):
                old = next((e for e in (old_spec.examples if old_spec else []) if e.name == ex.name), None)
                if old is None:
                    continue
                given0 = old.given
            else:
                given0 = given
            v0, v1 = _values(c0, before.enums, given0), _values(c1, after.enums, given)
            rows = []
            if isinstance(v0, str) or isinstance(v1, str):
                rows.append({"name": "(värde)", "key": None, "before": v0 if isinstance(v0, str) else "har värde",
                             "after": v1 if isinstance(v1, str) else "har värde", "difference": None, "type": "error"})
            else:
                for name in c1.definitions:
                    if name not in v0 or v0[name] == v1[name]:
                        continue
                    rows += _rows(name, v0[name], v1[name], c1.definitions[name].type, after, before)
            if rows:
                year = _year_of(c1, given)
                out.append({"clause": cid, "example": ex.name, "year": year, "changes": rows,
                            "given": {n: v for n, v in given.items() if isinstance(v, str)}})
    return out


def _rows(name: str, a: Any, b: Any, t: Type, project: Project, before: Project | None = None) -> list[dict]:
    """The changed values of one definition. A map is unfolded by key; an amendment that changes
    the enumeration (new or removed keys) shows a missing side as "–". Each side is shown with its
    own project's enumerations."""
    old = before or project

    def side(v: Any, typ: Type, p: Project) -> str:
        month = month_number(v, typ)
        if month is not None:
            return month
        try:
            return show(v, typ, p.enums)
        except (KeyError, TypeError):      # a nested map over an enumeration the amendment changed
            return str(v)

    if t.kind == "map":
        e, e0 = project.enums[t.enum], old.enums.get(t.enum, project.enums[t.enum])
        keys = list(e0.values) + [k for k in e.values if k not in e0.values]
        if t.elem.kind == "map":       # a map of maps (per member and period): one row per inner key
            out = []
            for k in keys:
                if isinstance(a.get(k), dict) and isinstance(b.get(k), dict) and a[k] != b[k]:
                    label = e.label(k) if k in e.values else e0.label(k)
                    out += [dict(r, key=f"{label}: {r['key']}", key_id=k, enum=t.enum)
                            for r in _rows(name, a[k], b[k], t.elem, project, before)]
            if out:
                return out
        return [{"name": name, "key": e.label(k) if k in e.values else e0.label(k), "key_id": k, "enum": t.enum,
                 "before": side(a[k], t.elem, old) if k in a else "–",
                 "after": side(b[k], t.elem, project) if k in b else "–",
                 "difference": _difference(a[k], b[k], t.elem) if k in a and k in b else None, "type": str(t.elem)}
                for k in keys if a.get(k) != b.get(k)]
    return [{"name": name, "key": None, "before": side(a, t, old), "after": side(b, t, project),
             "difference": _difference(a, b, t), "type": str(t),
             "month": month_number(a, t) is not None or month_number(b, t) is not None}]


_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\d+(?:,\d+)?\s?%?")


def number_tokens(old: str, new: str) -> dict:
    """The numbers and dates that leave and enter the wording."""
    def tokens(text: str) -> tuple[list[str], list[str]]:
        dates = _DATE.findall(text)
        rest = _DATE.sub(" ", text)
        return dates, [n.strip() for n in _NUMBER.findall(rest)]

    d0, n0 = tokens(old)
    d1, n1 = tokens(new)
    return {"numbers_before": [n for n in n0 if n not in n1], "numbers_after": [n for n in n1 if n not in n0],
            "dates_before": [d for d in d0 if d not in d1], "dates_after": [d for d in d1 if d not in d0]}


def _members_enum(project: Project) -> str | None:
    declared = project.declared_once("parties")
    return declared[1].member_enum if declared else None


_YEAR_NAME = re.compile(r"(ar|year)$")


def _year_of(clause, given: dict) -> str | None:
    """The example's year: an int input without unit named as a year (``…ar``, ``…year``)."""
    for n, v in given.items():
        t = clause.inputs[n].type if n in clause.inputs else None
        if t is not None and t.kind == "int" and not t.unit and _YEAR_NAME.search(n):
            return str(v)
    return None


def _example_member_rows(after: Project, effects: dict, enum: str) -> list[dict]:
    """Changes of the examples per member: the key of a map output over the member
    enumeration, or the member an example is about (an input of that enumeration)."""
    rows = []
    for e in effects["examples"]:
        clause = after.clauses.get(e["clause"])
        if clause is None:
            continue
        who = next((after.enums[enum].label(v) for n, v in e["given"].items()
                    if n in clause.inputs and clause.inputs[n].type.kind == "enum"
                    and clause.inputs[n].type.enum == enum), None)
        for r in e["changes"]:
            if r.get("enum") == enum or (who and not r.get("key")):
                rows.append(dict(r, key=r.get("key") or who, example=e["example"], year=e["year"] or e["example"]))
    return rows


def per_member_effects(before: Project, after: Project, enum: str, clauses: set[str] | None = None) -> dict[str, dict]:
    """For every computation with a members table over the parties (in both versions): its
    money columns per member before and after, on every value of its year input for which the
    data file has figures at the day the rule gives. A recurrence input is held at its start
    value (no index is applied), so only the rule's own change shows."""
    from avtalsregler.apps.compute import computations, run_computation
    from avtalsregler.apps.data import population_dates

    out: dict[str, dict] = {}
    olds = {c.name: c for c in computations(before)}
    for comp in computations(after):
        data = [i for i in comp.inputs.values() if i.data]
        if comp.members is None or comp.members.enum != enum or comp.name not in olds or len(data) != 1:
            continue
        if clauses is not None and comp.clause not in clauses:
            continue           # tables only for the clauses the amendment touches
        src = data[0].data
        c1, c0 = after.clauses[comp.clause], before.clauses.get(olds[comp.name].clause)
        year_opts = [i for i in comp.options() if c1.inputs[i.name].type.kind == "int"
                     and i.name in c1.inputs_needed(src.at)]
        if len(year_opts) != 1 or c0 is None:
            continue
        year = year_opts[0]
        path = str(Path(before.root) / src.file)
        try:
            dates = population_dates(path)
        except AvtalsreglerError as exc:
            out[comp.name] = {"status": "skipped", "clause": comp.clause, "reason": exc.swedish}
            continue
        inp = c1.inputs[year.name]
        low = max(inp.low if inp.low is not None else 0, min(d.year for d in dates) - 10) if dates else 0
        high = min(inp.high if inp.high is not None else 9999, max(d.year for d in dates) + 10) if dates else -1
        fixed, start = {}, {}
        for i in comp.inputs.values():
            if i.recurrence and i.option:
                for side, cl in (("before", c0), ("after", c1)):
                    p = cl.parameters.get(i.recurrence.start)
                    start.setdefault(side, {})[i.option.flag] = p.value if p else None
                fixed[i.option.flag] = (i.recurrence.start, after.clauses[comp.clause].parameters[i.recurrence.start])
        rows, years = [], []
        for y in range(low, high + 1):
            vals, _ = evaluate(c1, after.enums, {year.name: y}, [src.at])
            if vals[src.at] not in dates:
                continue
            try:
                r0 = run_computation(before, comp.name, {year.option.flag: y, "population": path, **start.get("before", {})})
                r1 = run_computation(after, comp.name, {year.option.flag: y, "population": path, **start.get("after", {})})
            except AvtalsreglerError:
                continue
            years.append(y)
            cols0 = {c.name: c for c in r0.columns}
            for col in r1.columns:
                if not (col.type.elem.is_money and col.name in c1.definitions and col.name in cols0):
                    continue
                for m in r1.members:
                    a, b = cols0[col.name].value[m.id], col.value[m.id]
                    rows.append({"name": col.name, "label": col.label, "key": m.label, comp.members.name_key: m.label, "year": y,
                                 "population": r1.given[data[0].name][m.id],
                                 "before_ore": a, "after_ore": b, "difference_ore": b - a,
                                 "before": format_kr(a), "after": format_kr(b), "difference": format_kr(b - a),
                                 "source": src.file})
        starts = {k: ", ".join(f"{v[1].name} = {show(v[1].value, v[1].type, after.enums)}" for v in fixed.values())
                  for k in ("after",)}
        out[comp.name] = {
            "status": "computed", "clause": comp.clause, "years": years, "rows": rows,
            "base_before": ", ".join(format_kr(v) if isinstance(v, int) else str(v) for v in start.get("before", {}).values()),
            "base_after": ", ".join(format_kr(v) if isinstance(v, int) else str(v) for v in start.get("after", {}).values()),
            "note": f"beloppen i '{comp.name}' per {enum} för varje år med uppgifter i {src.file} "
                    f"(per {src.at})" + (f"; {starts['after']} hålls på sitt startvärde och räknas inte upp med "
                                         "något index" if fixed else ""),
        }
    return out


_TERM_KINDS = ("period_start", "period_end", "notice_deadline")


def _dated_clauses(project: Project) -> list[str]:
    """The rules that fix dates of the agreement: a date parameter of their own, or events
    about its term (periods, notice deadlines)."""
    events = {c.id for c, decl in project.declared("events")
              if decl.term is not None or any(e.kind in _TERM_KINDS for e in decl.events)}
    return [c.id for c in project.ordered()
            if c.id in events or any(p.type.kind == "date" and c.own(n) for n, p in c.parameters.items())]


def hook_effects(before: Project, after: Project, effects: dict, amendment, touched: set[str] | None = None) -> dict:
    out: dict[str, Any] = {}
    enum = _members_enum(after)
    # per member (party) and year: from the examples, and from the computations on real data
    if enum is None:
        out["per_municipality"] = {"status": "skipped",
                                   "reason": "ingen regel anger parterna, så ändringen per part kan inte visas"}
    else:
        rows = _example_member_rows(after, effects, enum)
        clauses = sorted({r.get("clause") for r in rows if r.get("clause")})
        out["per_municipality"] = {"status": "computed", "clause": ", ".join(clauses) or None, "enum": enum,
                                   "rows": rows, "note": "ur specifikationernas exempel: ett exempel per år och part"}
        real = per_member_effects(before, after, enum, touched)
        out.update(real)
        pm = out["per_municipality"]
        for r in real.values():
            if r["status"] != "computed":
                continue
            if not any(x["difference_ore"] for x in r["rows"]):
                labels = list(dict.fromkeys(x["label"] for x in r["rows"]))
                pm["unchanged"] = (pm.get("unchanged") or []) + [{"clause": r["clause"], "labels": labels}]
                continue         # no all-zero table: nothing changes for any party
            pm["rows"] += [{k: x[k] for k in ("name", "label", "key", "year", "before", "after", "difference", "source")}
                           for x in r["rows"]]
            pm["clause"] = r["clause"]
            pm["note"] = r["note"]
        if not real and not rows and not any(e["changes"] for e in effects["examples"]):
            pm["note"] = "ingen beräkning över parterna och inget exempel per part"
    # any date: which dates move
    moved = [dict(p, source="parameter") for p in effects["parameters"] if p["type"] == "date"]
    moved += [dict(r, clause=e["clause"], example=e["example"], source="example")
              for e in effects["examples"] for r in e["changes"] if r["type"] == "date" or r.get("month")]
    moved += [{"clause": t["clause"], "source": "wording", "before": ", ".join(t["dates_before"]),
               "after": ", ".join(t["dates_after"])} for t in effects["text"] if t["dates_before"] or t["dates_after"]]
    have = _dated_clauses(after)
    out["dates_moved"] = {"status": "computed", "rows": moved, "clauses_with_rules": have,
                          "note": ("datum i reglerna för " + ", ".join(have)) if have else
                          "ingen regel har datum ännu: bara datum i lydelsen jämförs"}
    _ = amendment
    return out
