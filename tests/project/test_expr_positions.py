"""An expression's error is at its exact ``path:line:col`` in the file, whatever YAML scalar it is
written as: YAML folds plain and quoted scalars (a line break becomes a space, a blank line a
line break, continuation indentation is dropped), unescapes ``''`` and ``\\`` escapes, and strips
a block scalar's indentation, so the loader maps each offset of the value back to the file
(project/scalarmap.py). Every expected position below is counted by hand in the YAML text next to
it (lines and columns 1-based)."""

from __future__ import annotations

import pytest

from avtalsregler.errors import ExprError, Span
from avtalsregler.language.expr import Scope
from avtalsregler.language.functions import BUILTINS
from avtalsregler.language.types import BOOL, INT, MONEY, EnumType, Type
from avtalsregler.project.loading.common import check_expr
from avtalsregler.project.source import load_yaml

ENUMS = {"omrade": EnumType("omrade", ("a", "b"), {"a": "Område A", "b": "Område B"}, "§4", Span("x", 1, 1))}
SCOPE = Scope({"belopp": MONEY, "antal": INT, "flagga": BOOL, "valt": Type("enum", enum="omrade"),
               "ärende": INT}, ENUMS, BUILTINS)


def error_at(text: str, *path: str | int) -> tuple[str, str]:
    node = load_yaml("r.yaml", text)
    for key in path or ("x",):
        node = node.value[key]
    with pytest.raises(ExprError) as info:
        check_expr(node, SCOPE, "test")
    return str(info.value.span), info.value.message


CASES = [
    # -- plain scalars ------------------------------------------------------------------------
    ("plain, first line", "x: belopp + okand\n", (), "1:13"),              # 'x: belopp + ' is 12 characters
    ("plain, after a folded break", "x: (belopp +\n  okand)\n", (), "2:3"),
    ("plain, after a blank line (the issue's case)", "x: (belopp +\n\n  okand)\n", (), "3:3"),
    ("plain, deep in a block mapping", "a:\n  b:\n    x: (belopp +\n\n\n          okand)\n", ("a", "b", "x"), "6:11"),
    ("plain, third line", "x: (belopp +\n    belopp +\n      okand)\n", (), "3:7"),
    ("plain, in a block list", "x:\n  - 1\n  - (belopp\n     + okand)\n", ("x", 1), "4:8"),
    # -- single-quoted ------------------------------------------------------------------------
    ("single, first line", "x: 'belopp + okand'\n", (), "1:14"),          # the quote is column 4
    ("single, after ''", "x: 'valt == ''a'' and okand'\n", (), "1:23"),    # ''a'' is 5 characters in the file
    ("single, later line after ''", "x: '(valt == ''a'' and\n\n     okand)'\n", (), "3:6"),
    ("single, line after '' on it", "x: 'valt ==\n   ''a'' and okand'\n", (), "2:14"),
    # -- double-quoted ------------------------------------------------------------------------
    ("double, first line", 'x: "belopp + okand"\n', (), "1:14"),
    ("double, after an escape", 'x: "valt == \\"a\\" and okand"\n', (), "1:23"),    # \"a\" is 5 characters
    ("double, after \\x escape", 'x: "valt == \\x22a\\x22 and okand"\n', (), "1:27"),
    ("double, escaped line break", 'x: "belopp + \\\n      okand"\n', (), "2:7"),
    ("double, escaped break then blank line", 'x: "(belopp + \\\n\n   okand)"\n', (), "3:4"),
    ("double, later line after \\t", 'x: "(belopp +\\t\n  belopp +\n    okand)"\n', (), "3:5"),
    # -- literal and folded block scalars --------------------------------------------------------
    ("literal, first line", "x: |\n  okand + 1\n", (), "2:3"),
    ("literal, later line", "x: |\n  (belopp +\n    okand)\n", (), "3:5"),
    ("literal, indentation indicator", "a:\n  x: |4\n      (belopp +\n        okand)\n", ("a", "x"), "4:9"),
    ("literal, keep chomping, comment", "x: |+ # a comment with okand\n    (belopp\n\n    + okand)\n", (), "4:7"),
    ("folded, later line", "x: >\n  (belopp +\n  okand)\n", (), "3:3"),
    ("folded, after a blank line", "x: >-\n  (belopp +\n\n  belopp +\n\n   okand)\n", (), "6:4"),
    # -- flow collections ------------------------------------------------------------------------
    ("flow mapping, later line", "x: {e: (belopp +\n      okand)}\n", ("x", "e"), "2:7"),
    ("flow list, quoted, later line", "x: [1, 'belopp\n   + okand']\n", ("x", 1), "2:6"),
    # -- line ends and white space -----------------------------------------------------------------
    ("plain, CRLF line ends", "x: (belopp +\r\n\r\n  okand)\r\n", (), "3:3"),
    ("literal, CRLF line ends", "x: |\r\n  (belopp +\r\n    okand)\r\n", (), "3:5"),
    ("double, tab-indented continuation", 'x: "(belopp +\n\t\t okand)"\n', (), "2:4"),
    ("single, trailing spaces before the break", "x: '(belopp +   \n  okand)'\n", (), "2:3"),
    # -- other kinds of error --------------------------------------------------------------------
    ("syntax error on a later line", "x: (belopp +\n  min(belopp,, 1))\n", (), "2:14"),   # the second comma
    ("syntax error in a folded block", "x: >\n  (belopp +\n   min(belopp,, 1))\n", (), "3:15"),
    ("syntax error after non-ASCII", "x: ärende +\n   ärende ,, 1\n", (), "2:12"),           # characters, not bytes
    ("unknown name after non-ASCII", "x: 'ärende + åäö' \n", (), "1:14"),
    ("type error on a later line", "x: (1 +\n\n    (flagga + 1))\n", (), "3:6"),
    ("unknown function on a later line", 'x: "1 +\n  fnord(1)"\n', (), "2:3"),
    ("nesting bound on a later line", "x: >\n  1 +\n  " + "(" * 61 + "1" + ")" * 61 + "\n", (), "3:63"),
    ("bad binder enumeration, later line", "x: |\n  (sum(k in omrade, 1) +\n    sum(k in nope, 1))\n", (), "3:14"),
]


@pytest.mark.parametrize("what,text,path,where", CASES, ids=[c[0] for c in CASES])
def test_the_error_is_at_the_place_in_the_file(what, text, path, where):
    span, _ = error_at(text, *path)
    assert span == "r.yaml:" + where


def test_the_reported_place_holds_the_offending_word():
    """Not only the numbers: the file's character at the reported place starts the unknown name."""
    checked = 0
    for what, text, path, _where in CASES:
        span, message = error_at(text, *path)
        if "unknown name" not in message:
            continue
        line, col = map(int, span.split(":")[1:])
        name = message.split("'")[1]
        assert text.split("\n")[line - 1][col - 1:].startswith(name), what
        checked += 1
    assert checked >= 20


def test_a_scalar_the_rescan_does_not_follow_falls_back_to_its_start():
    from avtalsregler.project.scalarmap import Place, SourceText

    src = SourceText("x: abc\n", "r.yaml")
    place = Place(src, 3, 6, None, "something else", Span("r.yaml", 1, 4))
    assert place(5) == Span("r.yaml", 1, 4)


# -- the re-scan against PyYAML's own writer: any text, any style, any width and indentation ---------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

TEXT = st.text(st.sampled_from(list("ab(1+ ,") + [" ", "\n", "'", '"', "\\", "\t", "å", "#", ":", "-"]),
               max_size=60)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from([None, "'", '"', "|", ">"]), st.integers(4, 30), st.integers(0, 3), st.booleans())
def test_every_character_of_a_dumped_text_maps_to_where_it_is_written(value, style, width, depth, flow):
    """``yaml.dump`` writes the text in the style asked for (or one it must fall back to), folded
    at ``width``, nested ``depth`` mappings deep (block or ``{…}`` flow mappings); the loader's map must follow whatever it wrote:
    every character of the value is at its own character in the file (or at the backslash of its
    escape), a folded line break or a space at white space."""
    import yaml

    doc: object = value
    for _ in range(depth):
        doc = {"k": doc}
    text = yaml.dump({"x": doc}, default_style=style, width=width, allow_unicode=True, default_flow_style=flow)
    node = load_yaml("r.yaml", text).value["x"]
    for _ in range(depth):
        node = node.value["k"]
    value = node.value          # (PyYAML's writer does not always round-trip, e.g. '1\n 1' at width 5)
    lines = text.split("\n")
    for i, ch in enumerate(value):
        span = node.place(i)
        line = lines[span.line - 1]
        at = line[span.col - 1] if span.col - 1 < len(line) else "\n"
        assert node.place._map, (text, value)
        if ch in " \n\t":
            assert at in " \n\t\\" or at == ch, (text, value, i)
        else:
            assert at == ch or at == "\\", (text, value, i)


@pytest.mark.parametrize("text,where", [
    ("x: >\n  Den {dag} gäller\n\n  i förlängning {nummer}.\n", "4:17"),   # '  i förlängning ' is 16 characters
    ("x: 'Den {dag} och ''{nummer}'''\n", "1:21"),                         # the quote is column 4, '' columns 19-20
    ("x: Den {dag|lower} och {dag|nope}\n", "1:24"),                       # an unknown filter, at its slot
])
def test_a_bad_slot_of_a_text_template_is_at_its_place(text, where):
    from avtalsregler.errors import SchemaError
    from avtalsregler.project.templates import parse_template

    with pytest.raises(SchemaError) as info:
        parse_template(load_yaml("r.yaml", text).value["x"], "a paragraph", ["dag"])
    assert str(info.value.span) == "r.yaml:" + where
