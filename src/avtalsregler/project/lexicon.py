"""The words of the agreement's language that the grounding reads (:mod:`.grounding`), declared by
the project in ``agreement/lexicon.yaml``: number words, ordinals, shares, months, how often,
unit words, and the few words that mark an amount, a percentage, a day of a month or one year.
The engine knows no word of any language; a project without the file has none (only digits,
dates, ``%`` and ``3/4`` are read then, and a parameter stated in words does not ground)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from avtalsregler.errors import SchemaError
from avtalsregler.project.source import Node, expect, fields, load_yaml, short

LEXICON_FILE = "agreement/lexicon.yaml"
_TABLES = ("numbers", "ordinals", "per_year")
_LISTS = ("articles", "currency", "percent", "day_endings")


@dataclass(frozen=True)
class Lexicon:
    numbers: dict[str, int] = field(default_factory=dict)
    articles: tuple[str, ...] = ()
    ordinals: dict[str, int] = field(default_factory=dict)
    fractions: dict[str, Fraction] = field(default_factory=dict)
    plural_ending: str = ""
    months: dict[str, int] = field(default_factory=dict)
    per_year: dict[str, int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    currency: tuple[str, ...] = ()
    percent: tuple[str, ...] = ()
    day_endings: tuple[str, ...] = ()
    year_words: tuple[str, ...] = ()
    year_before: tuple[str, ...] = ()
    year_unit: str = ""

    def share(self, word: str) -> Fraction | None:
        """``fjärdedel`` and its plural (``fjärdedelar``)."""
        if word in self.fractions:
            return self.fractions[word]
        end = self.plural_ending
        return self.fractions.get(word[:-len(end)]) if end and word.endswith(end) else None


def alternatives(words) -> str:
    """A regular-expression alternation of ``words`` (longest first), matched literally."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or r"(?!)"


def _one_word(text: str, span, what: str) -> str:
    if not re.fullmatch(r"[^\W\d_]{1,40}", text):
        raise SchemaError(f"{what} {short(text)} is not one word", span,
                          "write one word of letters only (at most 40), without spaces or signs")
    return text.casefold()


def _word(node: Node, what: str) -> str:
    return _one_word(expect(node, str, what), node.span, what)


def _whole(node: Node, what: str) -> int:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
        raise SchemaError(f"{what} is {value!r}, not a whole number from 0 to 10000", node.span)
    return value


def _fraction(node: Node, what: str) -> Fraction:
    m = re.fullmatch(r"(\d{1,4})/(\d{1,4})", str(node.value))
    if not m or not 0 < int(m[1]) <= int(m[2]):
        raise SchemaError(f"{what} is {node.value!r}, not a share such as 1/4", node.span)
    return Fraction(int(m[1]), int(m[2]))


def _table(node: Node, what: str, value) -> dict:
    items = expect(node, dict, what)
    return {_one_word(k, getattr(v, "key_span", v.span), f"a word of {what}"): value(v, f"{what}: {k}")
            for k, v in items.items()}


def _ending(node: Node, what: str) -> str:
    text = expect(node, str, what)
    if not re.fullmatch(r":?[^\W\d_]{1,5}", text):
        raise SchemaError(f"{what} {short(text)} is not an ending such as 'e' or ':e'", node.span)
    return text.casefold()


def _list(node: Node, what: str) -> tuple[str, ...]:
    one = _ending if what == "day_endings" else _word
    return tuple(one(n, f"a word of {what}") for n in expect(node, list, what))


def load_lexicon(root: str | Path) -> Lexicon:
    """The project's lexicon (none when the file does not exist)."""
    path = Path(root) / LEXICON_FILE
    if not path.exists():
        return Lexicon()
    node = load_yaml(path)
    f = fields(node, LEXICON_FILE, optional=_TABLES + _LISTS + ("fractions", "plural_ending", "months", "units",
                                                                 "one_year"))
    kw: dict = {k: _table(f[k], k, _whole) for k in _TABLES if k in f}
    kw.update({k: _list(f[k], k) for k in _LISTS if k in f})
    if "fractions" in f:
        kw["fractions"] = _table(f["fractions"], "fractions", _fraction)
    if "plural_ending" in f:
        kw["plural_ending"] = _word(f["plural_ending"], "plural_ending")
    if "units" in f:
        kw["units"] = _table(f["units"], "units", lambda n, w: _word(n, w))
    if "months" in f:
        months = [_word(n, "a month") for n in expect(f["months"], list, "months")]
        if len(months) != 12 or len(set(months)) != 12:
            raise SchemaError(f"months lists {len(months)} names", f["months"].span, "give the twelve months, January first")
        kw["months"] = {m: i + 1 for i, m in enumerate(months)}
    if "one_year" in f:
        g = fields(f["one_year"], "one_year", required=("words", "before", "unit"))
        kw["year_words"], kw["year_before"] = _list(g["words"], "one_year words"), _list(g["before"], "one_year before")
        kw["year_unit"] = _word(g["unit"], "one_year unit")
    return Lexicon(**kw)
