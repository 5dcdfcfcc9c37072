"""What a permission or requirement says about its own reach: ``extent`` (a permission: the
full extent its words state, one condition or a list of them, each quoting the words) and
``tension`` (the reading that resolves a tension ``check`` finds in it; see
``prover/tensions.py``)."""

from __future__ import annotations

from typing import Callable

from avtalsregler.errors import SchemaError
from avtalsregler.language.expr import Scope
from avtalsregler.project.agreement import normalise
from avtalsregler.project.loading.common import check_expr
from avtalsregler.project.model import Extent
from avtalsregler.project.source import Node, expect, fields, text_of

TENSION_KINDS = ("permission", "requirement")


def read_extents(node: Node | None, kind: str, name: str, scope: Scope, bodies: list[str],
                 quoted: list[str]) -> tuple[Extent, ...]:
    """The ``extent`` of a permission: a mapping ``{words, expr, description}`` or a list of
    them. The words must be in the clause's text; the condition is over the rule's names."""
    if node is None:
        return ()
    if kind != "permission":
        raise SchemaError(f"only a permission has an 'extent', and {name!r} is a {kind}", node.span,
                          "remove 'extent', or make the definition 'kind: permission'")
    items = node.value if node.is_list() else [node]
    if not items:
        raise SchemaError(f"the extent of {name!r} is an empty list", node.span,
                          "give the condition that holds when the permission is used to the full")
    out = []
    for item in items:
        g = fields(item, f"an extent of {name!r}", required=("words", "expr"), optional=("description",))
        words = expect(g["words"], str, "words")
        if not any(normalise(words) in body for body in bodies):
            raise SchemaError(f"the words {words!r} of the extent of {name!r} are not in {', '.join(quoted)}",
                              g["words"].span, "quote the words that say how far the permission reaches")
        e, src = check_expr(g["expr"], scope, f"the extent of {name!r}")
        if e.type.kind != "bool":
            raise SchemaError(f"an extent must be a condition, not {e.type}", g["expr"].span,
                              "write the condition that holds when the permission is used to the full, "
                              "e.g. innehallet == ersattningen")
        out.append(Extent(e, src, words, g["expr"].span, text_of(g.get("description"), "description", "")))
    return tuple(out)


def read_tension(node: Node | None, kind: str, name: str, reading_ref: Callable) -> str | None:
    """``tension: READING``: the reading of the register that resolves the tension ``check``
    finds in this permission or requirement."""
    if node is None:
        return None
    if kind not in TENSION_KINDS:
        raise SchemaError(f"only a permission or a requirement names a 'tension' reading, and {name!r} "
                          f"is a {kind}", node.span, "remove 'tension'")
    return reading_ref(node)
