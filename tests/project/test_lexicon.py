"""The project's lexicon (agreement/lexicon.yaml): the engine reads only the words the project
declares, from any language, and a bad entry is a schema error at its place."""

from __future__ import annotations

from fractions import Fraction

import pytest

from avtalsregler.errors import SchemaError
from avtalsregler.project.grounding import Stated, stated
from avtalsregler.project.lexicon import LEXICON_FILE, Lexicon, load_lexicon


def _write(tmp_path, text: str):
    (tmp_path / "agreement").mkdir()
    (tmp_path / LEXICON_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_without_a_lexicon_only_digits_dates_and_signs_are_read(tmp_path):
    lex = load_lexicon(tmp_path)
    assert lex == Lexicon()
    assert stated("tolv månader, en fjärdedel, kvartalsvis", lex) == []
    assert Stated("fraction", Fraction(1, 2)) in stated("50 %", lex)
    assert Stated("int", 12) in stated("12 månader", lex)
    assert Stated("int", 12, "månader") not in stated("12 månader", lex)     # no unit words


def test_the_words_of_another_language_are_read_as_declared(tmp_path):
    lex = load_lexicon(_write(tmp_path, "numbers: {twelve: 12}\nunits: {months: month}\n"
                                        "fractions: {quarter: 1/4}\nplural_ending: s\n"
                                        "per_year: {quarterly: 4}\ncurrency: [euro]\n"
                                        "months: [january, february, march, april, may, june, july, august,"
                                        " september, october, november, december]\n"))
    got = stated("twelve months, three quarters, quarterly, 5 euro, 1 march", lex)
    assert Stated("int", 12, "month") in got
    assert Stated("fraction", Fraction(3, 4)) not in got          # 'three' is not a declared word
    assert Stated("fraction", Fraction(1, 4)) in stated("a quarters share", lex)
    assert Stated("int", 4, "per år") in got
    assert Stated("money", 500) in got
    assert Stated("int", 3, part="month") in got
    assert stated("tolv månader", lex) == []                       # a Swedish word is not one of its words


@pytest.mark.parametrize("text,line,col,message", [
    ("numbers: {tolv: tolv}\n", 1, 17, "not a whole number"),
    ("fractions:\n  fjärdedel: 0.25\n", 2, 14, "not a share"),
    ("months: [januari]\n", 1, 9, "months lists 1 names"),
    ("numbers: {'två ord': 2}\n", 1, 11, "is not one word"),
    ("nummer: {tolv: 12}\n", 1, 1, "unknown key"),
    ("numbers: {'tolv<script>': 12}\n", 1, 11, "is not one word"),
    ("currency: ['kr\"><img>']\n", 1, 12, "is not one word"),
    ("day_endings: ['e|.*']\n", 1, 15, "is not an ending"),
])
def test_a_bad_entry_is_an_error_at_its_place(tmp_path, text, line, col, message):
    with pytest.raises(SchemaError) as info:
        load_lexicon(_write(tmp_path, text))
    assert message in info.value.message
    assert (info.value.span.line, info.value.span.col) == (line, col), info.value.span
    assert info.value.span.path.endswith("lexicon.yaml")
