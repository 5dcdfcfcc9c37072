"""Core functions: min, max, abs, floor, ceil, round, implies."""

from __future__ import annotations

from fractions import Fraction

from avtalsregler.errors import ExprError
from avtalsregler.language.expr import join
from avtalsregler.language.types import BOOL, Type
from avtalsregler.language.functions import builtin


def _numeric(b, args, span, n):
    b.arity(args, n, span)
    for a in args:
        if not a.type.numeric:
            raise ExprError(f"{b.name}() needs numbers, not {a.type}", a.span, f"write {b.signature}")


@builtin("min", "min(a, b)", "det minsta av två tal")
class Min:
    @staticmethod
    def check(b, args, span, enums):
        _numeric(b, args, span, 2)
        x, y, t = join(args[0], args[1], span, "the arguments of min()", enums)
        return (x, y), t

    @staticmethod
    def apply(ops, v, types, result, span):
        return ops.min(v[0], v[1])


@builtin("max", "max(a, b)", "det största av två tal")
class Max:
    @staticmethod
    def check(b, args, span, enums):
        _numeric(b, args, span, 2)
        x, y, t = join(args[0], args[1], span, "the arguments of max()", enums)
        return (x, y), t

    @staticmethod
    def apply(ops, v, types, result, span):
        return ops.max(v[0], v[1])


@builtin("abs", "abs(a)", "absolutbeloppet")
class Abs:
    @staticmethod
    def check(b, args, span, enums):
        _numeric(b, args, span, 1)
        return args, args[0].type

    @staticmethod
    def apply(ops, v, types, result, span):
        zero = ops.const(0, types[0])
        return ops.ite(ops.cmp(">=", v[0], zero), lambda: v[0], lambda: ops.neg(v[0]))


def _to_int(b, args, span, enums):
    _numeric(b, args, span, 1)
    return args, Type("int", args[0].type.unit)


@builtin("floor", "floor(x)", "avrundning nedåt till helt tal (hela öre för belopp)")
class Floor:
    check = staticmethod(_to_int)

    @staticmethod
    def apply(ops, v, types, result, span):
        return ops.floor(v[0])


@builtin("ceil", "ceil(x)", "avrundning uppåt till helt tal (hela öre för belopp)")
class Ceil:
    check = staticmethod(_to_int)

    @staticmethod
    def apply(ops, v, types, result, span):
        return ops.neg(ops.floor(ops.neg(v[0])))


@builtin("round", "round(x)", "avrundning till närmaste hela tal (hela öre), exakt hälft uppåt")
class Round:
    check = staticmethod(_to_int)

    @staticmethod
    def apply(ops, v, types, result, span):
        half = ops.const(Fraction(1, 2), Type("frac"))
        return ops.floor(ops.arith("+", v[0], half))


@builtin("implies", "implies(a, b)", "om a så b")
class Implies:
    @staticmethod
    def check(b, args, span, enums):
        b.arity(args, 2, span)
        for a in args:
            if a.type != BOOL:
                raise ExprError(f"implies() needs two conditions, not {a.type}", a.span)
        return args, BOOL

    @staticmethod
    def apply(ops, v, types, result, span):
        return ops.or_([lambda: ops.not_(v[0]), lambda: v[1]])

