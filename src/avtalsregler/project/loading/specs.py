"""Spec files: examples computed by hand and invariants to prove, checked against their rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from avtalsregler.errors import SchemaError, Span, did_you_mean, expected_one_of
from avtalsregler.language.functions import BUILTINS
from avtalsregler.language.expr import Scope
from avtalsregler.language.types import EnumType
from avtalsregler.project.agreement import Agreement
from avtalsregler.project.loading.common import check_expr, clause_id, ident, shown
from avtalsregler.project.model import Clause, Example, Invariant, ParameterRange, Spec
from avtalsregler.project.source import Node, check_id, expect, fields, load_yaml, text_of
from avtalsregler.project.values import parse_value


def read_spec(path: Path, project_clauses: dict[str, Clause], agreement: Agreement,
          enums: dict[str, EnumType]) -> Spec:
    root = load_yaml(shown(path))
    f = fields(root, "a spec file", required=("clause",), optional=("examples", "invariants", "parameter_ranges"))
    cid = clause_id(f["clause"], agreement)
    clause = project_clauses.get(cid)
    if clause is None:
        raise SchemaError(f"there is no rule file for {cid}", f["clause"].span, "add one under rules/")
    sids = [s.id for s in clause.sentences]

    def sentence_ref(node: Node | None) -> str | None:
        sid = text_of(node, "sentence")
        if sid is not None and sid not in sids:
            raise SchemaError(f"no sentence {sid!r} in the rule of {cid}", node.span,
                              did_you_mean(sid, sids) or expected_one_of(sids))
        return sid

    examples: list[Example] = []
    for item in (expect(f["examples"], list, "examples") if "examples" in f else []):
        g = fields(item, "an example", required=("name", "given"),
                   optional=("expect", "holds", "sentence", "derivation"))
        if "expect" not in g and "holds" not in g:
            raise SchemaError("an example needs 'expect' (values) or 'holds' (invariant names)", item.span)
        name = check_id(g["name"].value, g["name"].span, "example name")
        if any(x.name == name for x in examples):
            raise SchemaError(f"example name {name!r} is used twice", g["name"].span)
        given: dict[str, Any] = {}
        for key, vnode in expect(g["given"], dict, "given").items():
            if key not in clause.inputs:
                hint = ("it is computed; put it under 'expect'" if key in clause.definitions
                        else did_you_mean(key, clause.inputs) or expected_one_of(clause.inputs))
                raise SchemaError(f"{key!r} is not an input of {cid}", vnode.key_span, hint)
            given[key] = parse_value(vnode, clause.inputs[key].type, enums, f"{name}: {key}")
        expected: dict[str, Any] = {}
        espans: dict[str, Span] = {}
        for key, vnode in (expect(g["expect"], dict, "expect").items() if "expect" in g else []):
            if key not in clause.definitions:
                raise SchemaError(f"{key!r} is not a definition of {cid}", vnode.key_span,
                                  did_you_mean(key, clause.definitions) or expected_one_of(clause.definitions))
            expected[key] = parse_value(vnode, clause.definitions[key].type, enums, f"{name}: {key}")
            espans[key] = vnode.span
        holds = [(expect(n, str, "invariant name"), n.span)
                 for n in (expect(g["holds"], list, "holds") if "holds" in g else [])]
        examples.append(Example(name, given, expected, g["name"].span, espans,
                                sentence_ref(g.get("sentence")), text_of(g.get("derivation"), "derivation", ""),
                                tuple(holds)))

    names = {n: clause.type_of(n) for n in [*clause.inputs, *clause.parameters, *clause.definitions]}
    scope = Scope(names, enums, BUILTINS)
    invariants: list[Invariant] = []
    for item in (expect(f["invariants"], list, "invariants") if "invariants" in f else []):
        g = fields(item, "an invariant", required=("name", "reason", "holds"),
                   optional=("sentence", "timeout", "parameters"))
        name = ident(g["name"], "invariant name")
        if any(x.name == name for x in invariants):
            raise SchemaError(f"invariant name {name!r} is used twice", g["name"].span)
        e, src = check_expr(g["holds"], scope, "invariant")
        if e.type.kind != "bool":
            raise SchemaError(f"an invariant must be a condition, not {e.type}", g["holds"].span)
        timeout = None
        if "timeout" in g:
            timeout = expect(g["timeout"], int, "timeout (seconds)")
            if not 0 < timeout <= 600:
                raise SchemaError("timeout must be between 1 and 600 seconds", g["timeout"].span)
        pmode = text_of(g.get("parameters"), "parameters", "ranges")
        if pmode not in ("ranges", "rule"):
            raise SchemaError(f"unknown parameters mode {pmode!r}", g["parameters"].span,
                              "'ranges' (every value in the spec's parameter_ranges, the default) or "
                              "'rule' (the values in the rule file)")
        invariants.append(Invariant(name, expect(g["reason"], str, "reason"), e, src, g["name"].span,
                                    sentence_ref(g.get("sentence")), timeout, pmode))
    known = {i.name for i in invariants}
    for ex in examples:
        for iname, ispan in ex.holds:
            if iname not in known:
                raise SchemaError(f"example {ex.name!r} names no invariant {iname!r}", ispan,
                                  did_you_mean(iname, known) or expected_one_of(known))
    return Spec(cid, shown(path), root.span, examples, invariants,
                parameter_ranges(f.get("parameter_ranges"), clause, enums))


def parameter_ranges(node: Node | None, clause: Clause, enums: dict[str, EnumType]) -> dict[str, ParameterRange]:
    """``parameter_ranges: {NAME: {min, max, split?}}``: the spec's invariants are proved for
    every value of these parameters in the range (the parameters become bounded inputs of the
    proof), so they keep holding after an amendment that stays in the range."""
    out: dict[str, ParameterRange] = {}
    if node is None:
        return out
    for name, item in expect(node, dict, "parameter_ranges").items():
        if name not in clause.parameters:
            raise SchemaError(f"{name!r} is not a parameter of {clause.id}", item.key_span,
                              did_you_mean(name, clause.parameters) or expected_one_of(clause.parameters))
        typ = clause.parameters[name].type
        g = fields(item, f"the range of {name!r}", required=("min", "max"), optional=("split",))
        if typ.kind not in ("int", "date", "frac"):
            raise SchemaError(f"a range needs a number or a date, and {name!r} is {typ}", item.key_span)
        low = parse_value(g["min"], typ, enums, f"min of {name!r}")
        high = parse_value(g["max"], typ, enums, f"max of {name!r}")
        if low > high:
            raise SchemaError(f"min of {name!r} is greater than its max", g["min"].span)
        split = bool(expect(g["split"], bool, "split")) if "split" in g else False
        if split and (typ.kind != "int" or high - low > 100):
            raise SchemaError(f"'split' proves value by value: {name!r} must be a whole number with at most "
                              "101 values in its range", g["split"].span)
        out[name] = ParameterRange(name, low, high, item.key_span, split)
    return out
