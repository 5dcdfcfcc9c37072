"""Built-in functions of the expression language.

Each built-in is one object with a type rule (:meth:`Builtin.check`) and one implementation
(:meth:`Builtin.apply`) written against the :class:`~avtalsregler.semantics.Ops` interface, so
it has both meanings, exact and Z3, from one definition. Modules in this package register
their functions with :func:`builtin`; :data:`BUILTINS` is the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from avtalsregler.errors import ExprError, Span
from avtalsregler.language.expr import E
from avtalsregler.language.types import EnumType, Type


@dataclass(frozen=True)
class Builtin:
    name: str
    signature: str            # shown in errors and on the site, e.g. "min(a, b)"
    doc: str                  # one line in Swedish, for the site
    check_fn: Callable[[tuple[E, ...], Span, dict[str, EnumType]], tuple[tuple[E, ...], Type]]
    apply_fn: Callable[..., Any]

    def check(self, args: tuple[E, ...], span: Span, enums: dict[str, EnumType]):
        return self.check_fn(args, span, enums)

    def apply(self, ops, values: list[Any], types: list[Type], result: Type, span: Span) -> Any:
        return self.apply_fn(ops, values, types, result, span)

    def arity(self, args: tuple[E, ...], n: int, span: Span) -> None:
        if len(args) != n:
            raise ExprError(f"{self.name}() takes {n} argument{'s' if n != 1 else ''}, not {len(args)}",
                            span, f"write {self.signature}")


BUILTINS: dict[str, Builtin] = {}


def builtin(name: str, signature: str, doc: str):
    """Register a built-in: decorate a class with ``check(b, args, span, enums)`` and
    ``apply(ops, values, types, result, span)`` static methods."""

    def register(cls):
        b = Builtin(name, signature, doc, lambda a, s, e: cls.check(BUILTINS[name], a, s, e), cls.apply)
        BUILTINS[name] = b
        return cls

    return register


# the modules of this package register their functions when imported, in this order (the
# order of BUILTINS)
from avtalsregler.language.functions import core  # noqa: E402,F401,I001
from avtalsregler.language.functions import dates  # noqa: E402,F401
from avtalsregler.language.functions import apportion  # noqa: E402,F401
