"""Formulas in plain Swedish for the site (:class:`PlainNotation`): built-in functions by Swedish
phrases, dates and amounts as a lawyer writes them ("1 mars 2030", "1 250 000 kr"), and
display-only simplifications (:func:`simplify`) that change no value: literal constants of a
sum taken together (``(n + 1) − 1`` is ``n``), ``a + −b`` as ``a − b``, ``0 × x`` as 0, a truth
value compared with ``sant``, and a condition repeated in an ``och``/``eller``.

Only what is shown changes: the rules' expressions, their exact values and their proofs stay as
written, and every formula's technical form (the expression as written in the rule file) is
shown folded beside it (:func:`technical`)."""

from __future__ import annotations

import html
import re
from fractions import Fraction
from typing import Any

from avtalsregler.apps.docs.formula import LEVEL, Notation
from avtalsregler.apps.docs.render import Safe, attr, code_text, ident
from avtalsregler.language.expr import E
from avtalsregler.language.types import MONEY_UNIT, Type, format_fraction, group3

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")
SINGULAR = {"dagar": "dag", "månader": "månad", "personer": "person", "veckor": "vecka", "timmar": "timme",
            "år": "år"}
_COMPARISONS = {"<", "<=", ">", ">=", "==", "!="}
PHRASE = 5          # a phrase ("första dagen i månad …") is put in parentheses inside arithmetic

# How each built-in reads: the phrase with its arguments, and how the table of signs writes it.
# A built-in not listed is shown by its own name and arguments (never dropped).
CALLS: dict[str, tuple[Safe, str]] = {
    "first_day_of_month": (Safe("första dagen i månad {0}"), "första dagen i månad m"),
    "month_of": (Safe("månaden för {0}"), "månaden för d"),
    "day": (Safe("dagen i månaden för {0}"), "dagen i månaden för d"),
    "month": (Safe("månadens nummer i {0}"), "månadens nummer i d"),
    "year": (Safe("året i {0}"), "året i d"),
    "days_in_month": (Safe("antalet dagar i månad {1} år {0}"), "antalet dagar i månad m år å"),
    "add_months": (Safe("{1} efter {0}"), "n månader efter d"),
    "add_years": (Safe("{1} efter {0}"), "n år efter d"),
    "months_between": (Safe("antalet hela månader från {0} till {1}"), "antalet hela månader från d till e"),
    "years_to_months": (Safe("{0} i månader"), "n år i månader"),
    "quota": (Safe("kvoten av {0} efter {1}"), "kvoten av t efter v"),
    "apportion": (Safe("{0} fördelat i hela {unit} efter {1}"), "t fördelat i hela öre efter v"),
    "min": (Safe("det minsta av {0} och {1}"), "det minsta av a och b"),
    "max": (Safe("det största av {0} och {1}"), "det största av a och b"),
    "round": (Safe("{0} avrundat till hela {unit}"), "x avrundat till hela öre"),
}
ARG_UNITS = {"add_months": {1: "månader"}, "add_years": {1: "år"}}


def date_sv(d) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def number_sv(n: int) -> str:
    """Whole numbers: digit groups from five digits (a year as a lawyer writes it: 2030)."""
    return str(n) if -10000 < n < 10000 else group3(n)


def with_unit(n: int, unit: str | None) -> str:
    if not unit:
        return number_sv(n)
    return f"{number_sv(n)} {SINGULAR.get(unit, unit) if abs(n) == 1 else unit}"


def value_sv(value: Any, t: Type) -> str | None:
    """A parameter's or literal's value in the notation (``None``: not a simple value)."""
    if isinstance(value, bool):
        return "sant" if value else "falskt"
    if t.kind == "date":
        return date_sv(value)
    if isinstance(value, int) and t.kind == "int":
        if t.unit == MONEY_UNIT:
            return f"{group3(value // 100)} kr" if value % 100 == 0 else f"{group3(value)} öre"
        return with_unit(value, t.unit if t.unit != "*" else None)
    if t.kind == "frac" and t.unit != MONEY_UNIT:
        return format_fraction(Fraction(value))
    return None


# -- display-only simplification ----------------------------------------------------------------

def _const(e: E) -> Any:
    if e.op == "const" and isinstance(e.args[0], int) and not isinstance(e.args[0], bool):
        return e.args[0]
    if e.op == "neg" and _const(e.args[0]) is not None:
        return -_const(e.args[0])
    return None


def _terms(e: E, sign: int, out: list) -> None:
    if e.op in ("+", "-") and e.type.kind == "int":
        _terms(e.args[0], sign, out)
        _terms(e.args[1], sign if e.op == "+" else -sign, out)
    elif e.op == "neg" and e.type.kind == "int" and _const(e) is None:
        _terms(e.args[0], -sign, out)
    else:
        out.append((sign, e))


def _sum(e: E) -> E:
    """A sum of whole numbers with its literal constants taken together."""
    terms: list = []
    _terms(e, 1, terms)
    consts = [(s, t) for s, t in terms if _const(t) is not None]
    if len(consts) < 2 and not any(_const(t) == 0 for _, t in consts):
        return e
    total = sum(s * _const(t) for s, t in consts)
    rest = [(s, t) for s, t in terms if _const(t) is None]
    if total:
        like = consts[0][1]
        rest.append((1 if total > 0 else -1, E("const", (abs(total),), like.type, like.span)))
    if not rest:
        return E("const", (0,), e.type, e.span)
    sign, out = rest[0]
    if sign < 0:
        out = E("neg", (out,), out.type, out.span)
    for s, t in rest[1:]:
        out = E("+" if s > 0 else "-", (out, t), e.type, e.span)
    return out


def simplify(e: E) -> E:
    """The same value, written as a person would (see the module text)."""
    if not isinstance(e, E) or e.op in ("const", "var", "bound"):
        return e
    args = tuple(simplify(a) if isinstance(a, E) else a for a in e.args)
    e = E(e.op, args, e.type, e.span, e.extra)
    if e.op in ("+", "-") and e.type.kind == "int":
        return _sum(e)
    if e.op == "*" and any(_const(a) == 0 for a in args):
        return E("const", (0,), e.type, e.span)
    if e.op in ("==", "!=") and e.args[0].type.kind == "bool":
        for x, y in (args, args[::-1]):
            if y.op == "const" and isinstance(y.args[0], bool):
                positive = y.args[0] == (e.op == "==")
                return x if positive else E("not", (x,), e.type, e.span)
    if e.op == "date+" and _const(args[1]) == 0:
        return args[0]
    return e


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


class PlainNotation(Notation):
    """The notation of :class:`~avtalsregler.apps.docs.render.Notation` in plain Swedish."""

    def render(self, e: E) -> Safe:
        return self._r(simplify(e), None)[0]

    def definition(self, name: str, e: E) -> Safe:
        """``name = formula``; a map built member by member reads ``name[k] = … för varje k ∈ E``."""
        e = simplify(e)
        index, over = Safe(""), []
        while e.op == "per":
            var, body = e.args
            index += Safe("[<i>{}</i>]").format(var)
            over.append(Safe("<i>{}</i> ∈ {}").format(var, e.extra))
            e = body
        text = Safe("{}{} = {}").format(ident(name), index,
                                        self._wrap(e, LEVEL['cmp'] + 1 if e.op in _COMPARISONS else 0))
        return text + (Safe(", för varje {}").format(Safe(" och ").join(over)) if over else Safe(""))

    def _literal(self, v: Any, t: Type, hint: str | None) -> Safe:
        if isinstance(v, int) and not isinstance(v, bool) and t.kind == "int":
            unit = t.unit if t.unit not in (None, "*") else hint
            if unit == MONEY_UNIT:
                return (Safe("{} kr").format(group3(v // 100)) if v % 100 == 0
                        else Safe("{} öre").format(group3(v)))
            return Safe("{}").format(with_unit(v, unit))
        if t.kind == "date" and not isinstance(v, str):
            return Safe("{}").format(date_sv(v))
        return super()._literal(v, t, hint)

    def _no_days(self, days: E) -> bool:
        """Whether a number of days added to a date is 0: the literal 0, or a parameter of the
        clause whose value is 0 (so ``d − 0 dagar`` reads ``d``; the tooltip is not needed)."""
        x = days.args[0] if days.op == "neg" else days
        if _const(x) == 0:
            return True
        c = self.clause
        if x.op == "var" and c is not None and x.args[0] in c.parameters:
            v = c.parameters[x.args[0]].value
            return isinstance(v, int) and not isinstance(v, bool) and v == 0
        return False

    def _r(self, e: E, hint: str | None) -> tuple[Safe, int]:
        op, a = e.op, e.args
        c = self.clause
        if op == "var" and c is not None and a[0] in c.parameters:
            p = c.parameters[a[0]]
            shown = value_sv(p.value, p.type)
            if shown is None:        # a table of values (a map): by its name, the values in the tooltip
                return self.link(a[0]), LEVEL["atom"]
            return self._param(a[0], shown), LEVEL["atom"]
        if op in ("and", "or"):
            lv = LEVEL[op]
            parts: list[Safe] = []
            seen: set[str] = set()
            for x in self._flat(e, op):
                text = self._wrap(x, lv + 1)
                if _plain(text) not in seen:
                    seen.add(_plain(text))
                    parts.append(text)
            if len(parts) == 1:
                return self._r(next(x for x in self._flat(e, op)), hint)
            return (Safe(" och ") if op == "and" else Safe(" eller ")).join(parts), lv
        if op == "date+" and self._no_days(a[1]):       # "d + 0 dagar" is d (display only)
            return self._r(a[0], hint)
        if op in ("+", "date+") and a[1].op == "neg":
            h = self._hint(*a) if op == "+" else "dagar"
            lv = 6
            return Safe("{} − {}").format(self._wrap(a[0], lv, h), self._wrap(a[1].args[0], lv + 1, h)), lv
        if op == "date+" and _const(a[1]) is not None and _const(a[1]) < 0:
            return Safe("{} − {}").format(self._wrap(a[0], 6), with_unit(-_const(a[1]), 'dagar')), 6
        if op == "forall":
            vars_, body = [a[0]], a[1]
            while body.op == "forall" and body.extra == e.extra:
                vars_.append(body.args[0])
                body = body.args[1]
            if len(vars_) > 1:
                vs = Safe(", ").join(Safe("<i>{}</i>").format(v) for v in vars_)
                return (Safe("för varje {} ∈ {}: {}").format(vs, e.extra, self._wrap(body, LEVEL['binder'])),
                        LEVEL["binder"])
        if op == "count" and a[1].op == "const" and a[1].args[0] is True:
            return Safe("antalet <i>{}</i> ∈ {}").format(a[0], e.extra), LEVEL["binder"]
        if op == "per":
            var, body = a
            return (Safe("({} för varje <i>{}</i> ∈ {})").format(self._wrap(body, LEVEL['binder']), var, e.extra),
                    LEVEL["atom"])
        return super()._r(e, hint)

    @staticmethod
    def _flat(e: E, op: str) -> list[E]:
        out: list[E] = []
        for x in e.args:
            out += PlainNotation._flat(x, op) if x.op == op else [x]
        return out

    def _call(self, e: E, hint: str | None) -> tuple[Safe, int]:
        name = e.extra.name
        if name == "make_date":
            return self._make_date(e)
        if name not in CALLS:
            return super()._call(e, hint)
        phrase = CALLS[name][0]
        units = ARG_UNITS.get(name, {})
        same = name in ("min", "max", "round")
        h = (hint or self._hint(*e.args)) if same else None
        level = PHRASE + 1 if name in ("min", "max") else LEVEL["atom"]
        args = [self._wrap(x, level, units.get(i, h))
                for i, x in enumerate(e.args)]
        unit = "öre" if (e.type.unit == MONEY_UNIT or (e.args and e.args[0].type.unit == MONEY_UNIT)) else "tal"
        text = phrase.format(*args, unit=unit)
        return Safe('<span class="fn" title="{}">{}</span>').format(attr(e.extra.doc), text), PHRASE

    def _make_date(self, e: E) -> tuple[Safe, int]:
        y, m, d = e.args
        c = self.clause

        def fixed(x: E) -> int | None:
            if _const(x) is not None:
                return _const(x)
            if x.op == "var" and c is not None and x.args[0] in c.parameters:
                v = c.parameters[x.args[0]].value
                return v if isinstance(v, int) and not isinstance(v, bool) else None
            return None

        year = (Safe("{}").format(fixed(y)) if fixed(y) is not None
                else Safe("år {}").format(self._wrap(y, LEVEL['atom'])))
        fm, fd = fixed(m), fixed(d)
        if fm is not None and fd is not None and 1 <= fm <= 12:
            day, month = self._r(d, None)[0], Safe("{}").format(MONTHS[fm - 1])
            if m.op == "var":
                month = Safe('<span class="param" title="{}">{}</span>').format(attr(m.args[0]), month)
            text = Safe("{} {} {}").format(day, month, year)
        else:
            text = Safe("dag {} i månad {} {}").format(self._wrap(d, LEVEL['atom']), self._wrap(m, LEVEL['atom']), year)
        return Safe('<span class="fn" title="{}">{}</span>').format(attr(e.extra.doc), text), PHRASE


def sign_of(name: str, builtin) -> Safe:
    """How the table of signs writes a built-in."""
    shown = {"floor": Safe("⌊x⌋"), "ceil": Safe("⌈x⌉"), "abs": Safe("&#124;x&#124;"), "implies": Safe("om a så b"),
             "make_date": Safe("dag d i månad m år å (1 mars år å)")}
    if name in shown:
        return shown[name]
    return Safe("{}").format(CALLS[name][1] if name in CALLS else builtin.signature)


def technical(source: str) -> Safe:
    """The formula as written in the rule file, folded away under the readable one."""
    return Safe('<details class="teknisk"><summary>Teknisk form</summary>'
                "<pre><code>{}</code></pre></details>").format(code_text(" ".join(source.split())))
