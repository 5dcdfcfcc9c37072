"""The two meanings compared where they can differ: every operator and built-in, evaluated
exactly and by Z3 *symbolically* (inputs free and fixed only in the solver, no folding:
crosscheck.py), on the edges — the calendar's first and last day (0001-01-01, 9999-12-31), leap
days, month ends, negative numbers and divisors — and on random small expressions that
Hypothesis builds from the grammar over the types."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from avtalsregler.errors import EvalError
from avtalsregler.project.evaluate import evaluate
from avtalsregler.prover.crosscheck import Mismatch, assert_same

from ...profiles import examples
from .corpus import prover

D = datetime.date
INPUTS = {"d": "date", "e": "date", "n": {"type": "int", "min": -100000, "max": 100000},
          "k": {"type": "int", "min": -50, "max": 50},
          "t": {"type": "int", "unit": "dagar", "min": -4000000, "max": 4000000}, "f": "fraction", "g": "fraction",
          "a": "money", "b": "money", "p": "bool", "q": "bool", "vem": "part",
          "x": {"type": {"map": "part", "of": "money"}, "min": 0, "max": 1000000}}
DEFS = {
    # operators
    "plus": ("money", "a + b"), "minus": ("money", "a - b"), "ganger": ("int", "n * k"),
    "delat": ("fraction", "f / g"), "heltalsdiv": ("int", "n // k"), "rest": ("int", "n % k"),
    "minus_n": ("int", "-n"), "mindre": ("bool", "f < g"), "hogst": ("bool", "a <= b"),
    "storre": ("bool", "n > k"), "minst": ("bool", "d >= e"), "lika": ("bool", "d == e"),
    "olika": ("bool", "vem != 'p2'"), "och": ("bool", "p and not q"), "eller": ("bool", "p or q"),
    "om": ("money", "a if p else b"), "index": ("money", "x[vem]"), "forsta": ("money", "x['p1']"),
    "summa": ("money", "sum(j in part, x[j])"), "antal": ("int", "count(j in part, x[j] > a)"),
    "alla": ("bool", "forall(j in part, x[j] >= b)"), "nagon": ("bool", "exists(j in part, x[j] == a)"),
    "per_del": ("money", "per(j in part, x[j] + a)[vem]"),
    "dag_plus": ("date", "d + t"), "dagar_mellan": ("int", "d - e", "dagar"),
    # core built-ins
    "min_": ("fraction", "min(f, g)"), "max_": ("money", "max(a, b)"), "abs_": ("int", "abs(n)"),
    "golv": ("int", "floor(f)"), "tak": ("int", "ceil(f)"), "avrundat": ("int", "round(f)"),
    "medfor": ("bool", "implies(p, q)"),
    # calendar built-ins
    "ar": ("int", "year(d)"), "manad": ("int", "month(d)"), "dag": ("int", "day(d)"),
    "dagar_i_manad": ("int", "days_in_month(n, k)", "dagar"), "datum": ("date", "make_date(n, k, day(e))"),
    "manader_senare": ("date", "add_months(d, k)"), "ar_senare": ("date", "add_years(d, k)"),
    "manader_mellan": ("int", "months_between(d, e)", "månader"), "ar_i_manader": ("int", "years_to_months(k)", "månader"),
    "manadsnummer": ("int", "month_of(d)", "månader"), "manadens_forsta": ("date", "first_day_of_month(n)"),
    # apportionment
    "kvot": ("fraction", "quota(a, x)[vem]", "öre"), "fordelning": ("money", "apportion(a, x)[vem]"),
}
RULE = dict(inputs=INPUTS, definitions=DEFS)

EDGES = [D(1, 1, 1), D(9999, 12, 31), D(2024, 2, 29), D(2023, 2, 28), D(2000, 2, 29), D(1900, 2, 28),
         D(2100, 3, 1), D(2024, 1, 31), D(2024, 12, 31), D(1970, 1, 1), D(1, 12, 31), D(9999, 1, 31)]
NUMBERS = [(-100000, -50), (-7, -2), (-1, 1), (0, 0), (7, 2), (2024, 2), (2023, 2), (9999, 12), (1, 1),
           (24287, 13), (119999, 0), (-13, 12), (100000, 50)]


def _given(i: int) -> dict:
    n, k = NUMBERS[i % len(NUMBERS)]
    return {"d": EDGES[i % len(EDGES)], "e": EDGES[(i * 5 + 3) % len(EDGES)], "n": n, "k": k, "t": (1, -1, 366, -3652059)[i % 4],
            "f": Fraction(-7 + i, 2 + i % 3), "g": Fraction(i % 4 - 1, 3), "a": 100 * i - 500, "b": -i,
            "p": i % 2 == 0, "q": i % 3 == 0, "vem": ("p1", "p2", "p3")[i % 3],
            "x": {"p1": 0 if i % 4 == 0 else 3 * i, "p2": 7, "p3": i % 5}}


def defined(clause, enums, given_):
    """The definitions the exact meaning gives a value on these inputs (one at a time)."""
    out = []
    for name in clause.definitions:
        try:
            evaluate(clause, enums, given_, [name], check_assumptions=False)
        except EvalError:
            continue
        out.append(name)
    return out


@pytest.mark.parametrize("i", range(24))
def test_every_operator_and_built_in_agrees_on_the_edges(i):
    p, project = prover(**RULE)
    given_ = _given(i)
    names = defined(p.clause, project.enums, given_)
    assert len(names) >= len(DEFS) // 2, names      # the edges reach most definitions
    assert_same(p.clause, project.enums, given_, names)


def test_the_calendar_edges_are_dates_of_the_z3_side_too():
    """9999-12-31 and 0001-01-01 (the calendar's last and first day) are values of the Z3
    translation like any other date: its year, month and day, and the day before and after."""
    p, project = prover(inputs={"d": "date"}, definitions={
        "ar": ("int", "year(d)"), "manad": ("int", "month(d)"), "dag": ("int", "day(d)"),
        "manadsnummer": ("int", "month_of(d)", "månader"), "samma": ("date", "add_months(d, 0)"),
        "forsta": ("date", "first_day_of_month(month_of(d))"), "mellan": ("int", "months_between(d, d)", "månader")})
    for d in (D(9999, 12, 31), D(1, 1, 1), D(9999, 12, 1), D(1, 1, 31)):
        assert assert_same(p.clause, project.enums, {"d": d})["ar"] == d.year


def test_a_z3_only_leap_day_bug_fails_the_cross_check(monkeypatch):
    """A change of the Z3 side alone (every fourth year a leap year, 1900 too) must be caught:
    the date built-ins are compared with Z3's own calendar, not folded with the exact one."""
    from avtalsregler.prover import z3terms

    p, project = prover(inputs={"d": "date"}, definitions={"manad": ("int", "month(d)"), "dag": ("int", "day(d)")})
    given_ = {"d": D(1900, 3, 1)}            # 1900 is no leap year: 1 March follows 28 February
    assert assert_same(p.clause, project.enums, given_) == {"manad": 3, "dag": 1}
    monkeypatch.setattr(z3terms, "_leap", lambda y: y % 4 == 0)
    with pytest.raises(Mismatch):            # Z3 now reads that day as 1900-02-29
        assert_same(p.clause, project.enums, given_)


# -- random small expressions over the types ---------------------------------------------------------
def _leaf(kind):
    return {"int": st.sampled_from(["n", "k", "0", "1", "-3", "12", "year(d)", "month(d)", "day(d)"]),
            "frac": st.sampled_from(["f", "g", "1/3", "-5/2"]),
            "bool": st.sampled_from(["p", "q", "True"]),
            "date": st.sampled_from(["d", "e", "make_date(2024, 2, 29)"]),
            "days": st.sampled_from(["t", "(d - e)"])}[kind]


def _expr(kind, depth):
    if depth == 0:
        return _leaf(kind)
    sub = lambda k: _expr(k, depth - 1)  # noqa: E731
    if kind == "int":
        return st.one_of(_leaf("int"),
                         st.tuples(sub("int"), st.sampled_from(["+", "-", "*"]), sub("int")).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                         st.tuples(sub("int"), sub("int")).map(lambda t: f"({t[0]} // (abs({t[1]}) + 1))"),
                         st.tuples(sub("int"), sub("int")).map(lambda t: f"({t[0]} % (-abs({t[1]}) - 2))"),
                         st.tuples(st.sampled_from(["min", "max"]), sub("int"), sub("int")).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
                         st.tuples(st.sampled_from(["floor", "ceil", "round"]), sub("frac")).map(lambda t: f"{t[0]}({t[1]})"),
                         sub("int").map(lambda t: f"abs(-{t})"),
                         st.tuples(sub("bool"), sub("int"), sub("int")).map(lambda t: f"({t[1]} if {t[0]} else {t[2]})"))
    if kind == "frac":
        return st.one_of(_leaf("frac"),
                         st.tuples(sub("frac"), st.sampled_from(["+", "-", "*"]), sub("frac")).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                         st.tuples(sub("int"), sub("int")).map(lambda t: f"({t[0]} / (abs({t[1]}) + 1))"),
                         st.tuples(sub("frac"), sub("frac")).map(lambda t: f"min({t[0]}, {t[1]})"))
    if kind == "bool":
        return st.one_of(_leaf("bool"),
                         st.tuples(sub("int"), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), sub("int")).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                         st.tuples(sub("date"), st.sampled_from(["<", ">=", "=="]), sub("date")).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                         st.tuples(sub("days"), st.sampled_from(["<", "!="]), sub("days")).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                         st.tuples(sub("bool"), st.sampled_from(["and", "or"]), sub("bool")).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                         sub("bool").map(lambda t: f"(not {t})"),
                         st.tuples(sub("bool"), sub("bool")).map(lambda t: f"implies({t[0]}, {t[1]})"))
    if kind == "days":
        return st.one_of(_leaf("days"),
                         st.tuples(sub("date"), sub("date")).map(lambda t: f"({t[0]} - {t[1]})"),
                         st.tuples(sub("days"), st.sampled_from(["+", "-"]), sub("days")).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                         st.tuples(sub("days"), sub("days")).map(lambda t: f"max({t[0]}, {t[1]})"))
    return st.one_of(_leaf("date"),
                     st.tuples(sub("date"), sub("int")).map(lambda t: f"add_months({t[0]}, {t[1]} % 25)"),
                     st.tuples(sub("date"), sub("int")).map(lambda t: f"add_years({t[0]}, {t[1]} % 3)"),
                     sub("date").map(lambda t: f"first_day_of_month(month_of({t}))"),
                     st.tuples(sub("date"), sub("days")).map(lambda t: f"({t[0]} + {t[1]})"),
                     st.tuples(sub("date"), sub("date")).map(lambda t: f"add_months({t[0]}, months_between({t[0]}, {t[1]}))"))


RANDOM_INPUTS = {"d": {"type": "date", "min": "1899-12-01", "max": "2201-01-31"},
                 "e": {"type": "date", "min": "1899-12-01", "max": "2201-01-31"},
                 "n": {"type": "int", "min": -1000, "max": 1000}, "k": {"type": "int", "min": -30, "max": 30},
                 "t": {"type": "int", "unit": "dagar", "min": -3, "max": 3}, "f": "fraction", "g": "fraction", "p": "bool", "q": "bool"}
TYPES = {"int": ("int",), "frac": ("fraction",), "bool": ("bool",), "date": ("date",), "days": ("int", "dagar")}


@settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(sorted(TYPES)), data=st.data())
def test_random_expressions_agree(kind, data):
    text = data.draw(_expr(kind, 2))
    p, project = prover(inputs=RANDOM_INPUTS, definitions={"uttryck": (TYPES[kind][0], text, *TYPES[kind][1:])})
    given_ = {"d": data.draw(st.dates(D(1900, 1, 1), D(2200, 12, 31))),
              "e": data.draw(st.sampled_from(EDGES[2:10])),
              "n": data.draw(st.integers(-1000, 1000)), "k": data.draw(st.integers(-30, 30)),
              "t": data.draw(st.integers(-3, 3)),
              "f": data.draw(st.fractions(-20, 20, max_denominator=12)),
              "g": data.draw(st.sampled_from([Fraction(-1, 3), Fraction(0), Fraction(5, 2)])),
              "p": data.draw(st.booleans()), "q": data.draw(st.booleans())}
    if defined(p.clause, project.enums, given_):
        assert_same(p.clause, project.enums, given_)


def test_an_abstraction_that_excludes_the_true_value_is_named_as_such(monkeypatch):
    """The cross-check's first question (crosscheck.py, *sound*): are the exact values a model of
    the translation as the proofs use it, without the exact definitions? A test-only built-in
    ``test_for_stark`` (identity) is abstracted in Z3 as a fresh value r with the side fact
    r > x (too strong: it excludes the true value x) and the exact definition r == x. The
    proofs would then "know" something false, so the cross-check must say exactly that — not
    only that the translation with the exact definitions has no value."""
    from avtalsregler.language.functions import BUILTINS, Builtin
    from avtalsregler.language.types import Type

    def apply(ops, v, types, result, span):
        if not hasattr(ops, "exact"):
            return v[0]
        r = ops.fresh("for_stark", Type("int"))
        ops.side.append(r > v[0])
        ops.exact.append(r == v[0])
        return r

    monkeypatch.setitem(BUILTINS, "test_for_stark", Builtin("test_for_stark", "test_for_stark(x)", "test",
                                                            lambda args, span, enums: (args, args[0].type), apply))
    p, project = prover(inputs={"k": {"type": "int", "min": -50, "max": 50}},
                        definitions={"y": ("int", "test_for_stark(k)")})
    with pytest.raises(Mismatch, match="an abstraction excludes the true value"):
        assert_same(p.clause, project.enums, {"k": 3})


def test_z3_value_refuses_a_definition_the_z3_meaning_does_not_determine(monkeypatch):
    """prove.z3_value (Z3's value of one definition for fixed inputs, used by the §7 tests to hold
    the apportionment's Z3 meaning to the exact one) must not return one model's value when the
    translation allows two: a test-only built-in ``test_tva_varden`` is x exactly, but in Z3 a
    fresh r with only x <= r <= x + 1; for x = 3 both 3 and 4 are models."""
    from avtalsregler.language.functions import BUILTINS, Builtin
    from avtalsregler.language.types import Type
    from avtalsregler.prover.prove import z3_value

    def apply(ops, v, types, result, span):
        if not hasattr(ops, "fresh"):
            return v[0]
        r = ops.fresh("tva_varden", Type("int"))
        ops.side += [r >= v[0], r <= v[0] + 1]
        return r

    monkeypatch.setitem(BUILTINS, "test_tva_varden", Builtin("test_tva_varden", "test_tva_varden(x)", "test",
                                                             lambda args, span, enums: (args, args[0].type), apply))
    p, project = prover(inputs={"k": {"type": "int", "min": -50, "max": 50}},
                        definitions={"y": ("int", "test_tva_varden(k)"), "z": ("int", "k + 1")})
    assert z3_value(p.clause, project.enums, {"k": 3}, "z") == 4          # determined: fine
    with pytest.raises(AssertionError, match="not determined"):
        z3_value(p.clause, project.enums, {"k": 3}, "y")
