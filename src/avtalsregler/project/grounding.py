"""Grounding: a parameter's value is derived from its ``words`` by a parser of the language the
agreement uses, and checked against the value the rule gives. Every word it reads comes from the
project's lexicon (``agreement/lexicon.yaml``, :mod:`.lexicon`); the examples below are the
bundled Swedish one.

:func:`stated` reads the values a piece of text states, typed and exact:

* amounts — ``1 500 000 kronor``, ``12,50 kr`` → money in öre;
* percentages — ``50%``, ``50 %``, ``50 procent`` → :class:`~fractions.Fraction`;
* fractions — ``en fjärdedel``, ``hälften``, ``en tredjedel``, ``3/4`` → Fraction;
* whole numbers — digits and words: ``två (2)``, ``fyra gånger``, ``tolv`` → int; with the unit
  the words give: ``12 månader`` (unit ``månader``), ``3 år`` (``år``), ``30 dagar`` (``dagar``);
  ``året före``/``året efter`` → 1 (and 1 år); ordinals ``första``…``tolfte`` → int;
* dates — ``2030-05-17`` → date, with its year, month and day as parts;
* day and month — ``1 mars``, ``den 30 juni`` → the parts month 3 and day 1;
* how often — a word of the lexicon's ``per_year`` (``årligen`` 1, ``månadsvis`` 12) periods a year.

A parameter grounds (:func:`ground`) when its value equals one of the values its words state,
compared by kind and unit: a ``unit: månader`` int matches ``12 månader``; an int with no unit
matches a bare number. Three optional keys of a parameter shape the check (documented in
schemas/rule.schema.json):

``part: year | month | day``
    the int is that part of a date or day-and-month the words state (``1 mars`` → month 3,
    day 1). On a map, the values in the order of its keys are the parts in the order of the words
    (``den 1 januari och den 1 juli`` → months 1, 7).
``means: <text>``
    what the parameter's ``reading`` makes of the words, in the same Swedish (for words
    ``årligen``, reading that an annual duty is due by 30 June: ``årligen, senast den 30
    juni``). Only with a ``reading``. The value is then checked against what ``means``
    states, and everything the words state must be stated by ``means`` too — ``means`` restates
    the words and adds what the reading fixes, so changing the words still fails the check.
``counts: members | parties | <enumeration>``
    the int is also a count the project declares, checked besides its words: ``members`` the
    number of member parties (the ``parties:`` declaration's enumeration), ``parties`` the
    parties of one bilateral agreement (the hub and one member: 2), or the number of values of
    an enumeration.
``derive: equal | first_months``
    for a map: ``equal`` — every value equal and positive, and the words state the share
    1/n (``en fjärdedel``, ``hälften``) for n the number of keys; ``first_months`` — the first
    month of each of n equal periods of a year starting in January (1, 4, 7, 10 for n = 4), and
    the words state n periods a year (a ``per_year`` word of the lexicon).

A reading never turns the check off. The words must also be words of the agreement (with or
without a reading). Returns data; printing is the command's job.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from avtalsregler.errors import Span
from avtalsregler.project.lexicon import Lexicon, alternatives

PER_YEAR_UNIT = "per år"       # the unit of a "how often" statement (periods a year)


@dataclass(frozen=True)
class Stated:
    """One value a text states: kind money | int | fraction | date; unit for int (månader, år,
    dagar, per år, or None for a bare number); part year | month | day for the parts of a date."""
    kind: str
    value: Any
    unit: str | None = None
    part: str | None = None
    text: str = field(default="", compare=False)

    def show(self) -> str:
        if self.kind == "money":
            kr, ore = divmod(self.value, 100)
            return f"{kr:,}".replace(",", " ") + (f",{ore:02d}" if ore else "") + " kr"
        if self.kind == "fraction":
            pct = self.value * 100
            return f"{pct.numerator}%" if pct.denominator == 1 else f"{self.value}"
        v = self.value.isoformat() if self.kind == "date" else str(self.value)
        tag = self.part and {"year": "år", "month": "månad", "day": "dag"}[self.part]
        return f"{tag} {v}" if tag else f"{v} {self.unit}" if self.unit else v


_DIGITS = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+"
_NUM = re.compile(rf"(?<![\d,.\-/])({_DIGITS})(?:,(\d{{1,2}}))?(?![\d\-/])")
_WORD = re.compile(r"[a-zåäöé]+")


def stated(text: str, lex: Lexicon) -> list[Stated]:
    """The values the text states, in the order it states them, read with the words of ``lex``
    (the project's lexicon, :mod:`.lexicon`)."""
    t = " ".join(text.replace("\u00a0", " ").split()).casefold()
    out: list[Stated] = []
    taken: list[tuple[int, int]] = []

    def add(s: Stated, span: tuple[int, int]) -> None:
        taken.append(span)
        if s not in out:
            out.append(s)

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in re.finditer(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])", t):
        try:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
        add(Stated("date", d, text=m[0]), m.span())
        for part, v in (("year", d.year), ("month", d.month), ("day", d.day)):
            add(Stated("int", v, part=part, text=m[0]), m.span())
    months, endings = alternatives(lex.months), alternatives(lex.day_endings)
    for m in re.finditer(rf"(?<!\d)(\d{{1,2}})(?:{endings})? ({months})\b", t):
        if free(*m.span()) and 1 <= int(m[1]) <= 31:
            add(Stated("int", lex.months[m[2]], part="month", text=m[0]), m.span())
            add(Stated("int", int(m[1]), part="day", text=m[0]), m.span())
    for m in re.finditer(rf"\b({months})\b", t):
        if free(*m.span()):
            add(Stated("int", lex.months[m[1]], part="month", text=m[0]), m.span())
    for m in _NUM.finditer(t):
        if not free(*m.span()):
            continue
        whole = int(re.sub(r"\D", "", m[1]))
        rest = t[m.end():]
        if cur := re.match(rf" ?({alternatives(lex.currency)})\b", rest):
            add(Stated("money", whole * 100 + int((m[2] or "0").ljust(2, "0")), text=m[0] + cur[0]),
                (m.start(), m.end() + cur.end()))
        elif pct := re.match(rf" ?(%|(?:{alternatives(lex.percent)})\b)", rest):
            value = Fraction(whole) + (Fraction(int(m[2]), 10 ** len(m[2])) if m[2] else 0)
            add(Stated("fraction", value / 100, text=m[0] + pct[0]), (m.start(), m.end() + pct.end()))
        elif m[2]:
            continue                      # a decimal with no unit states nothing we use
        else:
            add(Stated("int", whole, text=m[0]), m.span())
            if u := re.match(r" (\w+)", rest):
                if u[1] in lex.units:
                    add(Stated("int", whole, lex.units[u[1]], text=m[0] + u[0]), m.span())
    for m in re.finditer(r"(?<!\d)(\d+)/(\d+)(?!\d)", t):
        if int(m[2]):
            add(Stated("fraction", Fraction(int(m[1]), int(m[2])), text=m[0]), m.span())
    for m in _WORD.finditer(t):
        w, rest = m[0], t[m.end():]
        if lex.share(w) is not None:
            add(Stated("fraction", lex.share(w), text=w), m.span())
        elif w in lex.per_year:
            add(Stated("int", lex.per_year[w], PER_YEAR_UNIT, text=w), m.span())
        elif w in lex.ordinals:
            add(Stated("int", lex.ordinals[w], text=w), m.span())
        elif w in lex.numbers:
            n = lex.numbers[w]
            if part := re.match(r" (\w+)", rest):
                if lex.share(part[1]) is not None and n < 12:
                    add(Stated("fraction", n * lex.share(part[1]), text=w + part[0]), m.span())
                    continue
                if w in lex.articles and part[1] not in lex.units:
                    continue              # the article, not the number one
                if part[1] in lex.units:
                    add(Stated("int", n, lex.units[part[1]], text=w + part[0]), m.span())
            elif w in lex.articles:
                continue
            add(Stated("int", n, text=w), m.span())
        elif w in lex.year_words and re.match(rf" ({alternatives(lex.year_before)})\b", rest):
            add(Stated("int", 1, text=w), m.span())
            add(Stated("int", 1, lex.year_unit, text=w), m.span())
    return out


@dataclass
class Grounding:
    """The verdict for one parameter: ``ok``, the values its words state, and why not."""
    clause: str
    name: str
    ok: bool
    span: Span
    words: str
    value: str
    states: list[str] = field(default_factory=list)
    means: str | None = None
    message: str = ""

    def as_json(self) -> dict:
        return {"parameter": self.name, "ok": self.ok, "words": self.words, "value": self.value,
                "words_state": self.states, "means": self.means, "message": self.message,
                "where": str(self.span)}


def _kind(t) -> str:
    return {"frac": "fraction"}.get(t.kind, "money" if t.is_money else t.kind)


def _matches(value: Any, t, s: Stated, part: str | None) -> bool:
    if s.kind != _kind(t) or s.value != value:
        return False
    if part is not None:
        return s.part == part
    if s.part is not None:
        return False
    return t.kind != "int" or t.is_money or s.unit == t.unit


def _show(value: Any, t) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v, t.elem)}" for k, v in value.items()) + "}"
    if t.is_money:
        return Stated("money", value).show()
    if t.kind == "frac":
        return Stated("fraction", Fraction(value)).show()
    if t.kind == "date":
        return value.isoformat()
    return f"{value} {t.unit}" if t.unit else str(value)


def check_value(value: Any, t, keys: list[str], basis: list[Stated], part: str | None,
                derive: str | None) -> str:
    """Why the value does not follow from the stated values, or "" when it does."""
    if t.kind == "map":
        vals = [value[k] for k in keys if k in value]
        n = len(vals)
        if derive == "equal":
            if len(set(vals)) != 1 or vals[0] <= 0:
                return "derive: equal needs every value equal and positive"
            if not any(s.kind == "fraction" and s.value == Fraction(1, n) for s in basis):
                return f"derive: equal over {n} keys needs the words to state the share 1/{n}"
            return ""
        if derive == "first_months":
            if 12 % n or not any(s.unit == PER_YEAR_UNIT and s.value == n for s in basis):
                return f"derive: first_months over {n} keys needs the words to state {n} periods a year"
            want = [1 + i * 12 // n for i in range(n)]
            return "" if vals == want else f"derive: first_months over {n} keys gives {want}"
        if part is not None:
            got = [s.value for s in basis if s.kind == "int" and s.part == part]
            return "" if got == vals else f"the words' {part}s in order are {got}"
        return "a map value needs 'derive' or 'part' to say how it follows from its words"
    if derive is not None:
        return "derive is for a map value"
    if any(_matches(value, t, s, part) for s in basis):
        return ""
    return "the value is not one the words state"


def ground(clause_id: str, p, enums: dict, texts: list[str], lex: Lexicon) -> Grounding:
    """Ground one parameter against its words (and its ``means``); ``texts`` are the normalised
    bodies of the clauses its words may quote."""
    from avtalsregler.project.agreement import normalise

    t = p.type
    keys = [] if t.kind != "map" else list(enums[t.enum].labels) if t.enum in enums else list(p.value)
    words = stated(p.words, lex)
    g = Grounding(clause_id, p.name, False, p.span, p.words, _show(p.value, t), [s.show() for s in words],
                  p.means)
    if not any(normalise(p.words) in body for body in texts):
        g.message = "the words are not words of the agreement"
        return g
    basis = words
    if p.means is not None:
        if p.reading is None:
            g.message = "'means' says what a reading makes of the words; the parameter names no reading"
            return g
        meant = stated(p.means, lex)
        missing = [s.show() for s in words if s not in meant]
        if missing:
            g.message = f"'means' drops what the words state: {', '.join(missing)}"
            return g
        basis = meant
    why = check_value(p.value, t, keys, basis, p.part, p.derive)
    g.ok, g.message = not why, why
    return g


DERIVATIONS = ("equal", "first_months")
PART_NAMES = ("year", "month", "day")


def grounding_keys(g: dict, t, name: str) -> dict:
    """Read a parameter's ``means``, ``part`` and ``derive`` (the fields ``g`` of its entry)."""
    from avtalsregler.errors import SchemaError, expected_one_of
    from avtalsregler.project.source import text_of

    out = {"means": text_of(g.get("means"), "means"), "part": text_of(g.get("part"), "part"),
           "derive": text_of(g.get("derive"), "derive"), "counts": text_of(g.get("counts"), "counts")}
    if out["counts"] is not None and t.kind != "int":
        raise SchemaError(f"counts of parameter {name!r} is for a whole number", g["counts"].span)
    for key, allowed in (("part", PART_NAMES), ("derive", DERIVATIONS)):
        if out[key] is not None and out[key] not in allowed:
            raise SchemaError(f"{key} of parameter {name!r} is {out[key]!r}", g[key].span,
                              expected_one_of(allowed))
    if out["derive"] is not None and t.kind != "map":
        raise SchemaError(f"derive of parameter {name!r} is for a map value", g["derive"].span)
    if out["means"] is not None and "reading" not in g:
        raise SchemaError(f"parameter {name!r} has 'means' but no 'reading'", g["means"].span,
                          "'means' says what a reading makes of the words: name the reading")
    return out


def ground_clause(clause, project) -> list[Grounding]:
    from avtalsregler.project.agreement import normalise

    agreement = project.agreement
    ids = [cid for cid in agreement.clauses] if hasattr(agreement, "clauses") else []
    texts = [normalise(agreement.body(c)) for c in ids]
    out = [ground(clause.id, p, project.enums, texts, project.lexicon) for p in clause.parameters.values()
           if p.name not in clause.inherited]
    for g in out:
        p = clause.parameters[g.name]
        if p.counts is not None and g.ok:
            g.ok, g.message = _count_check(p, project)
    return out


COUNTS = ("members", "parties")


def _count_check(p, project) -> tuple[bool, str]:
    """A parameter with ``counts`` is the count the project declares (see the module's text)."""
    declared = project.declared_once("parties") if hasattr(project, "declared_once") else None
    if p.counts in COUNTS:
        if declared is None:
            return False, f"counts: {p.counts} needs a rule that declares the parties"
        members = len(project.enums[declared[1].member_enum].values)
        want, what = ((members, f"the number of member parties ({declared[1].member_enum})") if p.counts == "members"
                      else (2, "the parties of one agreement (the hub and one member)"))
    elif p.counts in project.enums:
        want, what = len(project.enums[p.counts].values), f"the number of values of {p.counts}"
    else:
        return False, f"counts: {p.counts!r} is not members, parties or an enumeration"
    if p.value != want:
        return False, f"the value is not {what}, {want}"
    return True, ""
