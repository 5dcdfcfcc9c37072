"""Both meanings of one expression, for the unit tests of the built-ins (functions/*.py).

``exact(text, **env)`` evaluates with :class:`ConcreteOps`; ``symbolic(text, **env)`` evaluates
with :class:`Z3Ops` over *free* variables (folding off, so no call is computed with the exact
meaning on the way), fixes them to ``env`` only in the solver, and answers what Z3's own meaning
says: whether the expression is defined there (every obligation holds) and, if so, the one
value it has (it must have exactly one); the facts built-ins claim must hold there."""

from __future__ import annotations

import datetime

import z3

from avtalsregler.errors import EvalError, Span
from avtalsregler.language.expr import Scope
from avtalsregler.language.functions import BUILTINS
from avtalsregler.language.parser import parse_expr
from avtalsregler.language.semantics import ConcreteOps, Walker
from avtalsregler.language.types import BOOL, DATE, FRAC, INT, MONEY, EnumType, Type
from avtalsregler.prover.z3ops import Z3Ops
from avtalsregler.prover.z3terms import value_of

ENUMS = {"omrade": EnumType("omrade", ("a", "b", "c"), {"a": "Område A", "b": "Område B", "c": "Område C"},
                            "§4", Span("x", 1, 1))}
NAMES = {"belopp": MONEY, "antal": INT, "tal": INT, "andel": FRAC, "flagga": BOOL, "dag": DATE, "dag2": DATE,
         "vikt": Type("map", enum="omrade", elem=INT), "bvikt": Type("map", enum="omrade", elem=FRAC),
         "flaggor": Type("map", enum="omrade", elem=BOOL),
         "y": INT, "m": INT, "d": INT,
         "manader": Type("int", "månader"), "ar": Type("int", "år"), "personer": Type("int", "personer")}
SCOPE = Scope(NAMES, ENUMS, BUILTINS)
ORIGIN = Span("rules/x.yaml", 10, 11)     # the expression starts at column 11 of line 10


class Undefined(Exception):
    """Z3's meaning has the expression undefined for these inputs (an obligation can fail)."""


def parse(text):
    return parse_expr(text, ORIGIN, None, SCOPE)


def exact(text, **env):
    return Walker(ConcreteOps(ENUMS), lambda n: env[n]).ev(parse(text))


def exact_error(text, **env) -> str:
    try:
        exact(text, **env)
    except EvalError as exc:
        return exc.message
    raise AssertionError(f"{text} has a value")


def symbolic(text, **env):
    """The one value Z3's meaning gives ``text`` for ``env``; :class:`Undefined` if it is not
    defined there; an AssertionError if the side constraints allow no value or more than one."""
    e = parse(text)
    ops = Z3Ops(ENUMS)
    ops.folding = False
    free = {n: ops.var(f"given_{n}", NAMES[n]) for n in env}
    term = Walker(ops, lambda n: free[n]).ev(e)
    # only whole numbers and dates: Z3's solver for linear integer arithmetic decides these
    # 3–4× faster than the default one (an answer unknown would fail the asserts below)
    whole = all(NAMES[n].kind in ("int", "date") or (NAMES[n].kind == "map" and NAMES[n].elem.kind == "int")
                for n in env) and e.type.kind in ("int", "date", "bool")
    s = z3.SolverFor("QF_LIA") if whole else z3.Solver()
    s.set("timeout", 20_000)
    for n, v in env.items():
        t = NAMES[n]
        pairs = [(free[n][k], v[k], t.elem) for k in v] if t.kind == "map" else [(free[n], v, t)]
        for f, x, tt in pairs:
            s.add(ops.cmp("==", f, ops.const(x, tt)))
        s.add(*ops.domain(free[n], t))
    s.add(*ops.side)
    assert s.check() == z3.sat, f"{text}: the side constraints allow no value for {env}"
    conds = [o.condition for o in ops.obligations]
    if conds and s.check(z3.Not(z3.And(*conds))) == z3.sat:
        raise Undefined(text)
    # the facts a built-in claims (the prover proves them once, then uses them) hold here
    claims = [c.condition for c in ops.claims]
    assert not claims or s.check(z3.Not(z3.And(*claims))) == z3.unsat, f"{text}: a claim does not hold"
    s.add(*ops.exact)
    assert s.check() == z3.sat
    got = value_of(s.model(), term, e.type, ENUMS)
    if e.type.kind == "map":
        other = z3.Or(*[ops.cmp("!=", term[k], ops.const(got[k], e.type.elem)) for k in term])
    else:
        other = ops.cmp("!=", term, ops.const(got, e.type))
    assert s.check(other) == z3.unsat, f"{text}: Z3's meaning allows another value than {got}"
    return got


def both(text, **env):
    """The value of ``text`` in both meanings, which must agree."""
    c, z = exact(text, **env), symbolic(text, **env)
    assert c == z, f"{text}: exact {c}, Z3 {z}"
    return c


def undefined_in_both(text, **env) -> str:
    """The exact meaning's error message; Z3's meaning must also have ``text`` undefined."""
    message = exact_error(text, **env)
    try:
        symbolic(text, **env)
    except Undefined:
        return message
    raise AssertionError(f"{text} is defined in Z3's meaning for {env}")


D = datetime.date
