"""Unit tests of language/parser.py: the checked tree it builds for each construct, what it
refuses with which message, the bounds (length, nesting, size of binders, digits) exactly at the
edge, and the file position of every error. Positions are worked out by hand: the scalar starts
at line 10, column 11 (``ORIGIN``); a quoted scalar's text starts one column later (the quote), a
block scalar (``|``) on the next line, two columns in; a later line of a flow scalar counts from
column 1."""

from __future__ import annotations

import ast

import pytest

from avtalsregler.errors import ExprError, Span
from avtalsregler.language.expr import Scope
from avtalsregler.language.functions import BUILTINS
from avtalsregler.language import parser as parser_module
from avtalsregler.language.parser import BINDERS, MAX_EXPANSION, parse_expr
from avtalsregler.language.types import BOOL, DATE, FRAC, INT, LITERAL_INT, MONEY, EnumType, Type

ORIGIN = Span("rules/x.yaml", 10, 11)
OMRADE = Type("enum", enum="omrade")
MAP = Type("map", enum="omrade", elem=MONEY)


def enum(name: str, n: int) -> EnumType:
    return EnumType(name, tuple(f"v{i}" for i in range(n)), {}, "§1", Span("x", 1, 1))


ENUMS = {"omrade": EnumType("omrade", ("a", "b"), {"a": "Område A", "b": "Område B"}, "§4", Span("x", 1, 1)),
         "hundra": enum("hundra", 100), "hundraett": enum("hundraett", 101),
         "e73": enum("e73", 73), "e137": enum("e137", 137)}
NAMES = {"belopp": MONEY, "antal": INT, "andel": FRAC, "flagga": BOOL, "dag": DATE, "m": MAP, "valt": OMRADE}
SCOPE = Scope(NAMES, ENUMS, BUILTINS)


def parse(text: str, style: str | None = None, place=None):
    return parse_expr(text, ORIGIN, style, SCOPE, place)


def error(text: str, style: str | None = None, place=None) -> ExprError:
    with pytest.raises(ExprError) as info:
        parse(text, style, place)
    return info.value


def at(err: ExprError) -> tuple[int, int]:
    assert err.span.path == "rules/x.yaml"
    return err.span.line, err.span.col


# -- the tree of each construct -----------------------------------------------------------------

def test_literals_and_names():
    e = parse("12")
    assert (e.op, e.args, e.type, e.span) == ("const", (12,), LITERAL_INT, ORIGIN)
    assert (parse("True").op, parse("True").args, parse("True").type) == ("const", (True,), BOOL)
    assert parse("False").args == (False,)
    e = parse("belopp")
    assert (e.op, e.args, e.type) == ("var", ("belopp",), MONEY)
    assert parse("valt == 'b'").args[1].args == ("b",)


def test_operators_build_their_nodes():
    e = parse("belopp + 1")
    assert (e.op, e.type, e.args[0].args, e.args[1].args) == ("+", MONEY, ("belopp",), (1,))
    e = parse("-belopp")
    assert (e.op, e.type, e.args[0].args) == ("neg", MONEY, ("belopp",))
    e = parse("+belopp")
    assert (e.op, e.args) == ("var", ("belopp",))
    e = parse("not flagga")
    assert (e.op, e.type, e.args[0].args) == ("not", BOOL, ("flagga",))
    e = parse("flagga and not flagga or flagga")
    assert (e.op, e.args[0].op, e.args[1].op) == ("or", "and", "var")
    e = parse("antal < 3")
    assert (e.op, e.type, e.args[0].args, e.args[1].args) == ("<", BOOL, ("antal",), (3,))
    e = parse("belopp if flagga else 0")
    assert (e.op, e.type, [a.op for a in e.args]) == ("if", MONEY, ["var", "var", "const"])
    e = parse("m[valt]")
    assert (e.op, e.type, e.args[0].args, e.args[1].args) == ("index", MONEY, ("m",), ("valt",))
    e = parse("m['Område B']")                        # the key, named by its label, becomes the member
    assert (e.args[1].args, e.args[1].type) == (("b",), OMRADE)
    e = parse("min(belopp, 2)")
    assert (e.op, e.type, e.extra.name, len(e.args)) == ("call", MONEY, "min", 2)


def test_a_chain_of_comparisons_is_each_neighbouring_pair():
    e = parse("0 <= antal < 10")
    assert e.op == "and" and [p.op for p in e.args] == ["<=", "<"]
    assert [(p.args[0].args, p.args[1].args) for p in e.args] == [((0,), ("antal",)), (("antal",), (10,))]
    assert parse("antal == 3").op == "=="          # one comparison: no 'and' around it


@pytest.mark.parametrize("text,op,t", [
    ("forall(k in omrade, m[k] > 0)", "forall", BOOL), ("exists(k in omrade, m[k] > 0)", "exists", BOOL),
    ("count(k in omrade, m[k] > 0)", "count", INT), ("sum(k in omrade, m[k])", "sum", MONEY),
    ("per(k in omrade, m[k] * 2)", "per", MAP), ("per(k in omrade, k == valt)", "per",
                                                   Type("map", enum="omrade", elem=BOOL)),
])
def test_binders(text, op, t):
    e = parse(text)
    assert (e.op, e.type, e.extra, e.args[0]) == (op, t, "omrade", "k")
    assert e.args[1].names() <= {"m", "valt"}
    assert BINDERS == ("forall", "exists", "sum", "count", "per")


def test_the_bound_name_means_the_member_in_the_body():
    e = parse("sum(k in omrade, m[k])").args[1]
    assert (e.args[1].op, e.args[1].args, e.args[1].type) == ("bound", ("k",), OMRADE)


# -- refused, with the message ------------------------------------------------------------------

@pytest.mark.parametrize("text,message,hint", [
    ("None", "the literal None is not allowed", None),
    ("b'x'", "the literal b'x' is not allowed", None),
    ("~belopp", "'~' is not allowed", None),
    ("-flagga", "cannot negate a value of type bool", None),
    ("not antal", "'not' needs bool, not int", None),
    ("flagga and antal", "'and' needs bool, not int", None),
    ("antal if antal else 1", "the condition of 'if' needs bool, not int", None),
    ("antal in omrade", "the comparison In is not allowed here", "'in' is only used inside forall/exists/sum/count(k in ENUM, …)"),
    ("antal @ antal", "the operator MatMult is not allowed", "allowed: + - * / // %"),
    ("m['c']", "'c' is not a value of omrade", "values: a, b"),
    ("antal[0]", "only maps can be indexed, not a value of type int", None),
    ("min(*belopp)", "*args is not allowed", None),
    ("sum(*belopp)", "*args is not allowed", None),
    ("max(belopp, **m)", "max() takes no keyword arguments", None),
    ("mn(belopp, 1)", "'mn' is not a built-in function", "did you mean 'min'?"),
    ("zzzzzz(1)", "'zzzzzz' is not a built-in function", "allowed: "),
    ("min", "unknown name 'min'", "'min' is a function: call it as min(…)"),
    ("zzzzzz", "unknown name 'zzzzzz'", "known names: andel, antal, belopp, dag, flagga, m, valt"),
    ("[1]", "a list literal is not allowed in the expression language", "use a map input or an enumeration"),
    ("belopp.x", "attribute access (a.b) is not allowed in the expression language", None),
    ("sum(x for x in omrade)", "a comprehension is not allowed in the expression language",
     "write sum(k in ENUMERATION, expression)"),
    ("sum(lambda: 1, 1)", "a lambda is not allowed in the expression language", "write sum(k in ENUMERATION, expression)"),
    ("sum()", "sum() takes two arguments", "write sum(k in ENUMERATION, expression)"),
    ("count(k in omrade)", "count() takes two arguments", "write count(k in ENUMERATION, expression)"),
    ("per(k in omrade, 1, 2)", "per() takes two arguments", "write per(k in ENUMERATION, expression)"),
    ("sum(k, 1)", "the first argument of sum() must be 'k in ENUMERATION'", "write sum(k in ENUMERATION, expression)"),
    ("sum(k in omrade in omrade, 1)", "the first argument of sum() must be 'k in ENUMERATION'", None),
    ("sum(k < omrade, 1)", "the first argument of sum() must be 'k in ENUMERATION'", None),
    ("sum(1 in omrade, 1)", "the first argument of sum() must be 'k in ENUMERATION'", None),
    ("sum(k in 1, 1)", "the first argument of sum() must be 'k in ENUMERATION'", None),
    ("sum(k in omrad, 1)", "unknown enumeration 'omrad'", "did you mean 'omrade'?"),
    ("sum(k in zzzzzz, 1)", "unknown enumeration 'zzzzzz'", "enumerations: e137, e73, hundra, hundraett, omrade"),
    ("forall(k in omrade, 1)", "the body of forall() needs bool, not int", None),
    ("exists(k in omrade, belopp)", "the body of exists() needs bool, not money", None),
    ("count(k in omrade, k)", "the body of count() needs bool, not omrade", None),
    ("per(k in omrade, 'a')", "per() cannot build a map of texts", None),
    ("sum(k in omrade, k)", "sum() adds numbers, not omrade", None),
])
def test_refused_with_its_message(text, message, hint):
    err = error(text)
    assert err.message == message
    if hint is not None:
        assert err.hint.startswith(hint)


def test_per_builds_a_map_of_numbers_and_conditions_but_not_of_texts():
    assert parse("per(k in omrade, 1)").type == Type("map", enum="omrade", elem=LITERAL_INT)
    assert parse("per(k in omrade, valt)").type == Type("map", enum="omrade", elem=OMRADE)


# -- bounds, exactly at the edge ----------------------------------------------------------------

def test_the_length_bound_is_4000_characters():
    assert parse("belopp" + " " * 3994).op == "var"                  # 4000 characters
    err = error("belopp" + " " * 3995)
    assert err.message == "expression is 4001 characters long, more than 4000" and err.span == ORIGIN


def test_a_number_has_at_most_30_digits():
    assert parse("9" * 30).args == (10 ** 30 - 1,)
    assert error("1" + "0" * 30).message == "a number with more than 30 digits"
    assert error("-1" + "0" * 30).message == "a number with more than 30 digits"


def test_brackets_nest_at_most_60_deep():
    assert parse("(" * 60 + "belopp" + ")" * 60).op == "var"
    err = error("(" * 61 + "belopp" + ")" * 61)
    assert err.message == "expression is nested more than 60 deep" and at(err) == (10, 11 + 60)   # the 61st '('
    # a closed bracket no longer counts (by one each)
    assert error("(belopp) + " + "(" * 61 + "belopp" + ")" * 61).message == "expression is nested more than 60 deep"
    assert parse("((belopp)) + " + "(" * 59 + "belopp" + ")" * 59).op == "+"     # 2 closed, then 59


def test_chains_of_unary_operators_nest_too():
    assert parse("-" * 60 + "belopp").type == MONEY
    err = error("-" * 61 + "belopp")
    assert err.message == "expression is nested more than 60 deep" and at(err) == (10, 11 + 60)
    assert error("not " * 61 + "flagga").message == "expression is nested more than 60 deep"
    # a chain after an operator or an open bracket counts from its first sign
    err = error("belopp + " + "-" * 61 + "belopp")
    assert err.message == "expression is nested more than 60 deep" and at(err) == (10, 11 + 9 + 60)
    assert error("(" + "-" * 60 + "belopp)").message == "expression is nested more than 60 deep"
    # binary operators between names are no chain (31 terms: the tree is 30 deep)
    assert parse(" - ".join(["belopp"] * 31)).type == MONEY
    assert parse(" + ".join(["-belopp"] * 31)).type == MONEY
    assert parse(" + ".join(["-(-belopp)"] * 31)).type == MONEY


def test_the_nesting_error_on_a_later_line_is_at_its_bracket():
    err = error("belopp +\n" + "(" * 61 + "belopp" + ")" * 61)
    assert at(err) == (11, 61)                        # line 2 of a flow scalar, the 61st '(' at column 60 + 1


def test_conditional_expressions_nest_at_most_60_deep():
    assert parse("belopp if flagga else " * 60 + "belopp").type == MONEY
    err = error("belopp if flagga else " * 61 + "belopp")
    assert err.message == "expression is nested too deeply" and err.hint == "split it into named definitions"


def test_when_pythons_parser_gives_up_the_expression_is_too_deep(monkeypatch):
    """No input within the bounds was found that makes Python's own parser recurse too deep, so
    the parser module alone sees an ``ast`` whose ``parse`` gives up (pytest keeps the real one)."""
    class GivingUp:
        def __getattr__(self, name):
            return getattr(ast, name)

        @staticmethod
        def parse(*args, **kwargs):
            raise RecursionError

    monkeypatch.setattr(parser_module, "ast", GivingUp())
    err = error("belopp")
    assert err.message == "expression is nested too deeply" and err.span == ORIGIN


def test_nested_binders_expand_to_at_most_10000_cases():
    assert MAX_EXPANSION == 10_000
    assert parse("sum(i in hundra, sum(j in hundra, 1))").op == "sum"               # 100 · 100 = 10 000
    assert parse("sum(i in hundraett, 1)").op == "sum"                              # 101 alone
    err = error("sum(i in e73, sum(j in e137, 1))")                                 # 73 · 137 = 10 001
    assert err.message == "sum(j in e137, …) inside the binders around it expands to 10001 cases, more than 10000"
    assert err.hint == "nest fewer binders: name the inner part under 'definitions'"
    assert at(err) == (10, 11 + 14)
    err = error("count(i in hundra, exists(j in omrade, forall(k in hundraett, flagga)))")   # 100 · 2 · 101
    assert "expands to 20200 cases" in err.message


def test_a_bound_name_may_not_hide_a_name():
    err = error("sum(antal in omrade, 1)")
    assert err.message == "the bound name 'antal' hides another name" and at(err) == (10, 11 + 4)
    assert error("sum(k in omrade, sum(k in omrade, 1))").message == "the bound name 'k' hides another name"


# -- positions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,style,where", [
    ("belopp + okand", None, (10, 11 + 9)),
    ("  belopp + okand  ", None, (10, 11 + 2 + 9)),   # blanks around the text are skipped, but keep their place
    ("belopp + okand", "'", (10, 11 + 1 + 9)),
    ("belopp + okand", '"', (10, 11 + 1 + 9)),
    ("(belopp +\nokand)", None, (11, 1)),
    ("(belopp +\n  okand)", '"', (11, 3)),
    ("\nbelopp + okand", '"', (11, 10)),              # the text starts with a line break (an escape)
    ("(belopp +\n belopp +\n   okand)", None, (12, 4)),
    ("(belopp +\n okand)\n", "|", (10 + 1 + 1, 11 + 2 + 1)),
    ("(belopp + belopp +\n belopp +\n   okand)\n", "|", (10 + 1 + 2, 11 + 2 + 3)),
    ("\n\nbelopp + okand", "|", (10 + 1 + 2, 11 + 2 + 9)),
    ("(okand +\n belopp)", None, (10, 11 + 1)),          # the first line of a multi-line text
    ("(belopp + okänd +\n belopp)", None, (10, 11 + 10)),  # columns are characters, not UTF-8 bytes
    ("(belopp +\n m['Område A'] + okänd)", None, (11, 17 + 1)),
])
def test_the_place_of_an_unknown_name(text, style, where):
    err = error(text, style)
    assert err.message.startswith("unknown name") and at(err) == where


@pytest.mark.parametrize("text,style,where", [
    ("belopp +", None, (10, 11)),                      # Python gives offset 0: the start
    ("belopp belopp", None, (10, 11 + 7)),
    ("min(belopp,, 1)", "'", (10, 11 + 1 + 11)),
    ("(belopp +\n min(belopp,, 1))", None, (11, 12 + 1)),
    ("(belopp +\n min(belopp,, 1))", "|", (10 + 1 + 1, 11 + 2 + 12)),
    ("(belopp,, 1 +\n belopp)", None, (10, 11 + 8)),
    ("(belopp,, 1 +\n belopp)", "|", (10 + 1, 11 + 2 + 8)),
    ("", None, (10, 11)), ("   ", "'", (10, 12)),      # nothing to parse: the start
    ("belopp\0", None, (10, 11)),                      # Python gives no line for a null byte
    ("(belopp +\n belopp\0)", '"', (10, 12)),
    ("(belopp +\n belopp\0)", "|", (11, 13)),
])
def test_the_place_of_a_syntax_error(text, style, where):
    err = error(text, style)
    assert err.message.startswith("syntax error in expression") and at(err) == where
    assert err.hint == "expressions use Python-like syntax: a + b, min(a, b), x if c else y"


def test_the_loader_places_each_character_where_it_can():
    """With ``place`` (the loader's map of the scalar), the parser hands it the offset of the
    character in the text as given (blanks around a plain value included)."""
    seen = []

    def place(offset):
        seen.append(offset)
        return Span("rules/x.yaml", 99, offset)

    err = error("  belopp +\n okand", "'", place)        # not bracketed: a syntax error at offset 2 + 8
    assert at(err) == (99, 10) and seen == [10]
    seen.clear()
    err = error("  (belopp +\n okand)", None, place)     # 'okand': line 2, column 1; line 2 starts at 12
    assert at(err) == (99, 13) and seen[-1] == 13
    seen.clear()
    err = error("(belopp +\n belopp +\n okand)", "|", place)  # starts 0, 10, 20
    assert at(err) == (99, 21)
