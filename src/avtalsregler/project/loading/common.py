"""What every part of the loader needs: names, clause ids, expressions that fit their declared
type, and the path of a file as shown in messages."""

from __future__ import annotations

from pathlib import Path

from avtalsregler.errors import SchemaError, Span, expected_one_of
from avtalsregler.language.expr import E, Scope, unify_unit
from avtalsregler.language.parser import parse_expr
from avtalsregler.language.types import Type
from avtalsregler.project.agreement import Agreement
from avtalsregler.project.source import Node, expect

AGREEMENT_FILE = "agreement/overenskommelse.txt"
READINGS_DIR = "readings"


def ident(node: Node, what: str) -> str:
    name = expect(node, str, what)
    if not name.isidentifier() or not name.isascii():
        raise SchemaError(f"{what} {name!r} is not a valid name", node.span,
                          "use ASCII snake_case, e.g. 'innehallen_ersattning'")
    return name


def clause_id(node: Node, agreement: Agreement) -> str:
    cid = expect(node, str, "clause")
    if cid not in agreement.clauses:
        raise SchemaError(f"there is no clause {cid!r} in the agreement", node.span,
                          expected_one_of(agreement.clauses))
    return cid


def check_expr(node: Node, scope: Scope, what: str) -> tuple[E, str]:
    text = expect(node, str, what)
    return parse_expr(text, node.span, node.style, scope, node.place), text


def fits(e: E, declared: Type, span: Span, what: str) -> None:
    """Does an expression of type ``e.type`` fit a declared type?"""
    t = e.type
    if declared.kind in ("int", "frac") and t.kind in ("int", "frac"):
        if declared.kind == "int" and t.kind == "frac":
            raise SchemaError(f"{what} is declared {declared} but its expression gives a fraction", span,
                              "round it to whole numbers with floor(), ceil() or round()")
        unify_unit(declared.unit, t.unit, span, what)
        return
    if t != declared:
        raise SchemaError(f"{what} is declared {declared} but its expression gives {t}", span)


def shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
