"""A computation's :class:`~avtalsregler.apps.compute.run.Result` as plain data for the outputs:
the JSON document (:func:`document`), the text table's cells (:func:`table`), the rows of the
machine CSV (:func:`csv_rows`), the sheets of a workbook or a Swedish Excel CSV (:func:`sheets`),
and the marker lines when made-up values were used (:func:`marks`). Nothing here prints."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from avtalsregler.apps.compute.run import Result
from avtalsregler.apps.export import Column, Sheet, Typed
from avtalsregler.apps.fictitious import agreement_marks, data_marks, merged, warning_marks
from avtalsregler.language.types import Type, group3, show


def marks(res: Result, project) -> list[str]:
    """Why the result is not real, if it is not: one line per made-up source."""
    return merged(agreement_marks(project), *(data_marks(p) for p in res.data.values()), warning_marks(res.warnings))


def _pct(x: Fraction) -> str:
    hundredths = (x * 10000 * 2 + 1) // 2     # percent with two decimals, half up, for display only
    return f"{hundredths // 100},{hundredths % 100:02d} %"


def cell_text(value: Any, t: Type, fmt: str | None, enums) -> str:
    if fmt == "percent" and t.kind == "frac":
        return _pct(Fraction(value))
    if t.kind == "int" and not t.is_money:
        return group3(value)
    return show(value, t, enums)


def plain(value: Any, t: Type, enums) -> Any:
    """A value for JSON and CSV: öre and counts as ints, fractions as text, dates ISO."""
    if t.kind == "map":
        return [plain(value[k], t.elem, enums) for k in enums[t.enum].values]
    if t.kind == "frac":
        return str(Fraction(value))
    if t.kind == "date":
        return value.isoformat()
    return value


def expand(col, enums) -> list[tuple[str, str, Type, Any]]:
    """A column's cells for one member → [(label, csv name, type, getter)], one per inner key."""
    t = col.type.elem
    if t.kind != "map":
        return [(col.label, col.shown.csv or col.key, t, lambda m: col.value[m])]
    e = enums[t.enum]
    return [(col.label.replace("{n}", str(i)).replace("{label}", e.label(k)),
             (col.shown.csv or col.key + "_{n}").replace("{n}", str(i)).replace("{label}", k), t.elem,
             lambda m, k=k: col.value[m][k]) for i, k in enumerate(e.values, start=1)]


def title(res: Result, project) -> str | None:
    comp = res.computation
    if not comp.title:
        return None
    text = comp.title
    for name in set(res.given) | {s.name for s in res.steps} | set(res.clause.parameters):
        if "{" + name + "}" in text:
            t = res.clause.type_of(name)
            v = res.value(name)
            text = text.replace("{" + name + "}", str(v) if t.kind == "int" and not t.unit else show(v, t, project.enums))
    if res.due_dates:
        text += "; förfallodagar " + ", ".join(d.isoformat() for d in res.due_dates)
    return text


@dataclass
class Table:
    """The text table's cells: the title, the scalar values (label, text), and the members table
    (header, rows, total; the first ``fixed`` columns are text, the others numbers)."""

    title: str | None
    scalars: list[tuple[str, str]]
    head: list[str]
    rows: list[list[str]]
    total: list[str]
    fixed: int


def table(res: Result, project) -> Table:
    enums = project.enums
    scalars = [(v.label, cell_text(v.value, v.type, v.shown.format, enums))
               for v in res.values if "table" in v.shown.formats]
    out = Table(title(res, project), scalars, [], [], [], 0)
    if not res.computation.members:
        return out
    cols = [(c, cell) for c in res.columns if "table" in c.shown.formats for cell in expand(c, enums)]
    has_code = any(m.code for m in res.members)
    out.head = [res.computation.members.label] + (["Kod"] if has_code else []) + [cell[0] for _, cell in cols]
    out.fixed = 2 if has_code else 1
    for m in res.members:
        out.rows.append([m.label] + ([m.code or ""] if has_code else [])
                        + [cell_text(cell[3](m.id), cell[2], c.shown.format, enums) for c, cell in cols])
    out.total = ["Summa"] + ([""] if has_code else [])
    for c, cell in cols:
        if c.shown.total == "none":
            out.total.append("")
        else:
            s = sum((cell[3](m.id) for m in res.members), Fraction(0) if cell[2].kind == "frac" else 0)
            out.total.append(cell_text(s, cell[2], c.shown.format, enums))
    return out


def csv_rows(res: Result, project) -> list[list[Any]]:
    """The machine CSV: a header and plain values (öre as ints, fractions as ``p/q``)."""
    comp = res.computation
    if not comp.members:
        return [["key", "value"]] + [[v.key, plain(v.value, v.type, {})] for v in res.values if "csv" in v.shown.formats]
    cols = [(c, cell) for c in res.columns if "csv" in c.shown.formats for cell in expand(c, project.enums)]
    rows = [[comp.members.name_key, "code"] + [cell[1] for _, cell in cols]]
    for m in res.members:
        rows.append([m.label, m.code or ""] + [plain(cell[3](m.id), cell[2], {}) for _, cell in cols])
    return rows


def explain_items(res: Result) -> list[dict]:
    return [{"name": s.name, "value": s.shown, "formula": s.formula, "sentence": s.quote, "reading": s.reading}
            for s in res.steps]


def document(res: Result, project, explain: bool = False) -> dict:
    """The JSON document (``compute NAME --format json``)."""
    enums = project.enums
    comp = res.computation
    regs = project.readings
    out: dict[str, Any] = {"clause": res.clause.id, "computation": comp.name}
    out.update({v.key: plain(v.value, v.type, enums) for v in res.values if "json" in v.shown.formats})
    out["inputs"] = {n: {"source": res.sources.get(n, "")} for n in res.given if n in comp.inputs}
    for n, pop in res.data.items():
        out["inputs"][n].update({"file": pop.path, "date": pop.date.isoformat()})
    for n, r in res.recurrence.items():
        out["inputs"][n].update({"index_file": r.index_file, "steps": r.steps, "options": r.choices})
    out["readings"] = [{"id": r, "words": regs[r].words, "chosen": " ".join(regs[r].chosen.split()),
                        "status": regs[r].status} for r in res.readings]
    out["warnings"] = [{"reading": r, "message": m} for r, m in res.warnings]
    notes = marks(res, project)
    out["fictitious"] = bool(notes)
    out["fictitious_notes"] = notes
    if comp.members:
        out["due_dates"] = [d.isoformat() for d in res.due_dates]
        cols = [c for c in res.columns if "json" in c.shown.formats]
        rows = []
        for m in res.members:
            row: dict[str, Any] = {comp.members.name_key: m.label, "id": m.id, "code": m.code}
            for c in cols:
                row[c.key] = plain(c.value[m.id], c.type.elem, enums)
                src = next((p for n, p in res.data.items() if n == c.name), None)
                if src is not None:
                    row[c.key + "_source"] = src.rows[m.id].source
            rows.append(row)
        out[comp.members.key] = rows
        out["totals"] = {c.key: _total(c, res, enums) for c in cols if c.shown.total == "all"}
    if explain:
        out["explain"] = explain_items(res)
    return out


def _total(c, res: Result, enums) -> Any:
    t = c.type.elem
    if t.kind == "map":
        return [plain(sum(c.value[m.id][k] for m in res.members), t.elem, enums) for k in enums[t.enum].values]
    return plain(sum(c.value[m.id] for m in res.members), t, enums)


# -- sheets ----------------------------------------------------------------------------------------

def kind_of(t: Type, fmt: str | None = None) -> str:
    """The sheet kind of a value of type ``t`` (see :mod:`avtalsregler.apps.export.sheet`)."""
    if t.kind == "int":
        return "kr" if t.is_money else "int"
    if t.kind == "frac" and not t.unit:
        return "percent" if fmt == "percent" else "fraction"
    if t.kind == "date":
        return "date"
    return "text"


def typed(value: Any, t: Type, enums, fmt: str | None = None) -> Typed:
    kind = kind_of(t, fmt)
    return Typed(kind, value if kind != "text" else show(value, t, enums))


def leaves(value: Any, t: Type, enums, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any, Type]]:
    """A value split into its scalar parts, each with the labels of the map keys that lead to it."""
    if t.kind == "map" and isinstance(value, dict):
        e = enums[t.enum]
        return [x for k in e.values if k in value for x in leaves(value[k], t.elem, enums, path + (e.label(k),))]
    return [(path, value, t)]


def results_sheet(res: Result, project) -> Sheet:
    enums = project.enums
    comp = res.computation
    head = tuple(x for x in [title(res, project)] if x)
    if not comp.members:
        rows = tuple((v.label, typed(v.value, v.type, enums, v.shown.format)) for v in res.values
                     if "table" in v.shown.formats or "csv" in v.shown.formats)
        return Sheet("Resultat", (Column("Uppgift"), Column("Värde")), rows, head)
    cols = [(c, cell) for c in res.columns if "table" in c.shown.formats for cell in expand(c, enums)]
    columns = (Column(comp.members.label), Column("Kod")) + tuple(
        Column(cell[0], kind_of(cell[2], c.shown.format)) for c, cell in cols)
    rows = tuple((m.label, m.code or "") + tuple(
        cell[3](m.id) if kind_of(cell[2], c.shown.format) != "text" else show(cell[3](m.id), cell[2], enums)
        for c, cell in cols) for m in res.members)
    scalars = [f"{v.label}: {cell_text(v.value, v.type, v.shown.format, enums)}" for v in res.values
               if "table" in v.shown.formats]
    return Sheet("Resultat", columns, rows, head + tuple(scalars))


DERIVATION_COLUMNS = (Column("Värde"), Column("Del"), Column("Resultat"), Column("Formel", wrap=True),
                      Column("Mening"), Column("Meningens text", wrap=True), Column("Indata och källa", wrap=True),
                      Column("Läsning"))


def _sentence(res: Result, sid: str | None) -> tuple[str, str]:
    s = res.clause.sentence(sid) if sid else None
    return (sid or "", " ".join(s.text.split()) if s else "")


def derivation_rows(res: Result, project) -> list[tuple]:
    """One row per number: every input (a data file's row per member, a recurrence year by year)
    and every computed value (a map member by member), with its sentence and reading."""
    enums, clause, rows = project.enums, res.clause, []
    for name, spec in res.computation.inputs.items():
        if name not in res.given or spec.fixed:
            continue
        inp = clause.inputs[name]
        sid, quote = _sentence(res, inp.sentence)
        if name in res.data:
            for r in res.data[name].rows.values():
                rows.append((name, r.name, Typed("int", r.population), "indata", sid, quote,
                             f"{r.span}; källa: {r.source}", inp.reading or ""))
        elif name in res.recurrence:
            rec = res.recurrence[name]
            for st in rec.steps:
                pubs = "; ".join(f"{p['title']} ({p['date']}, {p['reference']})" for p in st["publications"])
                rows.append((name, str(st["year"]), typed(st["rounded"], inp.type, enums),
                             f"{st['from']} × (1 + {st['change']}) = {st['exact']}", sid, quote,
                             f"{rec.index_file}: {pubs}", ", ".join(sorted(set(rec.readings))) or inp.reading or ""))
        else:
            for path, v, t in leaves(res.given[name], inp.type, enums):
                rows.append((name, " / ".join(path), typed(v, t, enums), "indata", sid, quote,
                             res.sources.get(name, ""), inp.reading or ""))
    for s in res.steps:
        d = clause.definitions[s.name]
        sid = s.sentence or ""
        for path, v, t in leaves(s.value, d.type, enums):
            rows.append((s.name, " / ".join(path), typed(v, t, enums), " ".join(s.formula.split()), sid,
                         " ".join((s.quote or "").split()), ", ".join(s.reads), s.reading or ""))
    return rows


SOURCE_COLUMNS = (Column("Vad"), Column("Var"), Column("Uppgift"), Column("Källa", wrap=True))


def source_rows(res: Result, project) -> list[tuple]:
    """The rule, the agreement, every input's source, every data row and publication, the readings."""
    rows = [("regel", res.clause.path, f"{res.clause.id} {res.clause.title}", ""),
            ("avtalstext", project.agreement.path, project.agreement.title, "")]
    for name, src in res.sources.items():
        rows.append((f"indata {name}", "", "", src))
    for name, pop in res.data.items():
        for r in pop.rows.values():
            rows.append((f"{name} {pop.date.isoformat()}", str(r.span), f"{r.name}: {group3(r.population)}", r.source))
    for name, rec in res.recurrence.items():
        for st in rec.steps:
            for p in st["publications"]:
                rows.append((f"{name} {p['year']}", p["where"], f"förändring {p['change']}",
                             f"{p['title']}, {p['date']}, {p['reference']}"))
    for rid in res.readings:
        r = project.readings[rid]
        rows.append((f"läsning {rid}", r.status_sv, r.words, " ".join(r.chosen.split())))
    return rows


def sheets(res: Result, project, explanation: list[str] | None = None) -> list[Sheet]:
    """Results, derivations and sources; ``explanation`` (the ``--explain`` lines) adds a sheet."""
    out = [results_sheet(res, project),
           Sheet("Härledning", DERIVATION_COLUMNS, tuple(derivation_rows(res, project))),
           Sheet("Källor", SOURCE_COLUMNS, tuple(source_rows(res, project)))]
    if explanation:
        out.append(Sheet("Förklaring", (Column("Förklaring", wrap=True),), tuple((line,) for line in explanation)))
    return out
