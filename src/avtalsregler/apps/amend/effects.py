"""The effect of an amendment in numbers.

Generic, for every clause: each spec example computed with the old and the new rule on the same
inputs (values that differ, maps unfolded per key — per municipality when the map is over
municipalities), parameters whose value changed, numbers and dates that change in the wording.

Hooks for clauses that may not exist yet:

* §7 (compensation): when both versions of the project have a §7 rule, the example effects of
  §7 whose values are maps over municipalities become a table "change per municipality and
  year" (the year from an example input named ``ar``/``verksamhetsar``/``year``, else the
  example's name). Otherwise the table is *skipped* with the reason.
* §10–§11 (dates): every changed value of type date (parameters and example outputs), and
  every date in a changed wording, is listed under ``dates_moved``.
* Any module in :mod:`avtalsregler.computations` that defines
  ``amendment_effect(before: Project, after: Project) -> dict`` is called; its result is added
  under the module's ``NAME`` (for example a §7 computation on real population data for every
  year with data).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from fractions import Fraction
from typing import Any

from avtalsregler.project.agreement import normalise
from avtalsregler.project.evaluate import evaluate
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.project.model import Project
from avtalsregler.language.types import Type, format_fraction, group3, show

_YEAR_INPUTS = ("ar", "verksamhetsar", "year", "verksamhetsaret")


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
        return exc.message


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
                    rows += _rows(name, v0[name], v1[name], c1.definitions[name].type, after)
            if rows:
                year = next((str(given[n]) for n in _YEAR_INPUTS if n in given), None)
                out.append({"clause": cid, "example": ex.name, "year": year, "changes": rows,
                            "given": {n: v for n, v in given.items() if isinstance(v, str)}})
    return out


def _rows(name: str, a: Any, b: Any, t: Type, project: Project) -> list[dict]:
    if t.kind == "map":
        e = project.enums[t.enum]
        return [{"name": name, "key": e.label(k), "key_id": k, "enum": t.enum,
                 "before": show(a[k], t.elem, project.enums), "after": show(b[k], t.elem, project.enums),
                 "difference": _difference(a[k], b[k], t.elem), "type": str(t.elem)}
                for k in e.values if a.get(k) != b.get(k)]
    return [{"name": name, "key": None, "before": show(a, t, project.enums), "after": show(b, t, project.enums),
             "difference": _difference(a, b, t), "type": str(t)}]


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


def _municipality_enum(project: Project) -> str | None:
    declared = project.declared_once("parties")
    return declared[1].member_enum if declared else None


def hook_effects(before: Project, after: Project, effects: dict, amendment) -> dict:
    out: dict[str, Any] = {}
    # §7: per municipality and year
    if "§7" in before.clauses and "§7" in after.clauses:
        enum = _municipality_enum(after)
        rows = []
        for e in effects["examples"]:
            if e["clause"] != "§7" or enum is None:
                continue
            # the municipality is either the key of a map output, or an input of the example
            who = next((after.enums[enum].label(v) for n, v in e["given"].items()
                        if after.clauses["§7"].inputs[n].type.kind == "enum"
                        and after.clauses["§7"].inputs[n].type.enum == enum), None)
            for r in e["changes"]:
                if r.get("enum") == enum or (who and not r.get("key")):
                    rows.append(dict(r, key=r.get("key") or who, example=e["example"], year=e["year"] or e["example"]))
        out["per_municipality"] = {"status": "computed", "clause": "§7", "enum": enum, "rows": rows,
                                   "note": "from the examples of the §7 spec: each year with data is one example"}
    else:
        missing = [v for v, p in (("before", before), ("after", after)) if "§7" not in p.clauses]
        out["per_municipality"] = {"status": "skipped",
                                   "reason": "§7 has no rule file (" + " and ".join(missing) + " the amendment), "
                                             "so the change per municipality and year cannot be computed"}
    # §10–§11 and any date: which dates move
    moved = [dict(p, source="parameter") for p in effects["parameters"] if p["type"] == "date"]
    moved += [dict(r, clause=e["clause"], example=e["example"], source="example")
              for e in effects["examples"] for r in e["changes"] if r["type"] == "date"]
    moved += [{"clause": t["clause"], "source": "wording", "before": ", ".join(t["dates_before"]),
               "after": ", ".join(t["dates_after"])} for t in effects["text"] if t["dates_before"] or t["dates_after"]]
    have = [c for c in ("§10", "§11") if c in after.clauses]
    out["dates_moved"] = {"status": "computed", "rows": moved, "clauses_with_rules": have,
                          "note": ("dates of the rules of " + ", ".join(have)) if have else
                          "§10–§11 have no rule files yet: only dates in the wording are compared"}
    # computations that know how to show their own effect
    from avtalsregler.apps import computations

    for info in pkgutil.iter_modules(computations.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{computations.__name__}.{info.name}")
        fn = getattr(module, "amendment_effect", None)
        if fn is not None:
            try:
                out[getattr(module, "NAME", info.name)] = {"status": "computed", **fn(before, after)}
            except AvtalsreglerError as exc:
                out[getattr(module, "NAME", info.name)] = {"status": "skipped", "reason": exc.message}
    # §7 on real data (the computation's own hook) joins the per-municipality table.
    real = out.get("ersattning")
    pm = out["per_municipality"]
    if real and real.get("status") == "computed" and pm["status"] == "computed":
        pm["rows"] += [{"name": "arsandel", "key": r["municipality"], "year": r["year"], "before": r["before"],
                        "after": r["after"], "difference": r["difference"], "source": "data/population.csv"}
                       for r in real["rows"]]
        pm["note"] = real["note"]
    _ = amendment
    return out


# -- grounding of numbers ---------------------------------------------------------------------------

_WORDS = {1: ("en", "ett"), 2: ("två",), 3: ("tre",), 4: ("fyra",), 5: ("fem",), 6: ("sex",), 7: ("sju",),
          8: ("åtta",), 9: ("nio",), 10: ("tio",), 11: ("elva",), 12: ("tolv",)}
_PARTS = {Fraction(1, 2): ("hälften", "halva", "halv"), Fraction(1, 3): ("tredjedel",),
          Fraction(1, 4): ("fjärdedel", "kvart"), Fraction(1, 12): ("tolftedel",)}


def value_grounded(value: Any, t: Type, words: str) -> tuple[bool, list[str]]:
    """Does the value appear in the words (as digits, a percentage, a fraction word, a date)?
    Returns the verdict and the forms looked for."""
    text = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d)", "", normalise(words)).casefold()
    forms: list[str] = []
    if t.kind == "int" and t.is_money:
        kr, ore = divmod(value, 100)
        forms = [f"{kr},{ore:02d}" if ore else str(kr), group3(kr)]
    elif t.kind == "int":
        forms = [str(value), *(_WORDS.get(value, ()))]
    elif t.kind == "frac":
        v = Fraction(value)
        pct = v * 100
        if pct.denominator == 1:
            forms += [f"{pct.numerator}%", f"{pct.numerator} %", f"{pct.numerator} procent"]
        forms += [f"{v.numerator}/{v.denominator}", *(_PARTS.get(v, ()))]
        if v.denominator == 1:
            forms.append(str(v.numerator))
    elif t.kind == "date":
        forms = [value.isoformat()]
    else:
        return True, []
    for f in forms:
        g = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d)", "", f).casefold()
        if re.search(r"(?<![\d,])" + re.escape(g) + r"(?![\d])", text):
            return True, forms
    return False, forms
