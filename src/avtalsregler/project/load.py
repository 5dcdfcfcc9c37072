"""Read rule files, spec files and the register of readings into the model, checking
everything a user can get wrong, each error with its ``path:line:col``."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from avtalsregler.project.agreement import Agreement, load_agreement, normalise
from avtalsregler.errors import AvtalsreglerError, SchemaError, Span, did_you_mean, expected_one_of
from avtalsregler.language.expr import E, Scope, parse_expr, unify_unit
from avtalsregler.language.functions import BUILTINS
from avtalsregler.project.model import (DEFINITION_KINDS, Alternative, Assumption, Clause, Definition, Example, Input,
                    Invariant, Parameter, ParameterRange, Project, Reading, Sentence, Spec)
from avtalsregler.project.declarations import ONCE, SECTIONS, Context, parse_section
from avtalsregler.project.source import Node, expect, fields, load_yaml, text_of
from avtalsregler.language.types import EnumType, Type
from avtalsregler.project.values import parse_type, parse_value

AGREEMENT_FILE = "agreement/overenskommelse.txt"
READINGS_DIR = "readings"


class LoadErrors(AvtalsreglerError):
    """Several files had errors; each is reported."""

    def __init__(self, errors: list[AvtalsreglerError]):
        super().__init__(f"{len(errors)} file(s) have errors")
        self.errors = errors

    def format(self) -> str:
        return "\n".join(e.format() for e in self.errors)


def _ident(node: Node, what: str) -> str:
    name = expect(node, str, what)
    if not name.isidentifier() or not name.isascii():
        raise SchemaError(f"{what} {name!r} is not a valid name", node.span,
                          "use ASCII snake_case, e.g. 'innehallen_ersattning'")
    return name


def _clause_id(node: Node, agreement: Agreement) -> str:
    cid = expect(node, str, "clause")
    if cid not in agreement.clauses:
        raise SchemaError(f"there is no clause {cid!r} in the agreement", node.span,
                          expected_one_of(agreement.clauses))
    return cid


def _check_expr(node: Node, scope: Scope, what: str) -> tuple[E, str]:
    text = expect(node, str, what)
    return parse_expr(text, node.span, node.style, scope), text


def _fits(e: E, declared: Type, span: Span, what: str) -> None:
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


# -- rule files ---------------------------------------------------------------------------------

def _enums(node: Node | None, clause: str) -> dict[str, EnumType]:
    out: dict[str, EnumType] = {}
    if node is None:
        return out
    expect(node, dict, "enums")
    for name, en in node.items():
        span = getattr(en, "key_span", en.span)
        _ident(Node(name, span), "enumeration name")
        f = fields(en, f"enumeration {name!r}", required=("values",), optional=("description",))
        values, labels, codes = [], {}, {}
        for item in expect(f["values"], list, f"values of {name!r}"):
            g = fields(item, f"a value of {name!r}", required=("id", "label"), optional=("code",))
            vid = _ident(g["id"], f"a value id of {name!r}")
            if vid in values:
                raise SchemaError(f"{vid!r} appears twice in {name!r}", g["id"].span)
            values.append(vid)
            labels[vid] = expect(g["label"], str, "label")
            if "code" in g:
                code = expect(g["code"], str, "code")
                if not code.strip() or code in codes.values():
                    raise SchemaError(f"the code {code!r} of {vid!r} is empty or used twice in {name!r}",
                                      g["code"].span, "give each value its own official code, quoted: \"2303\"")
                codes[vid] = code
        if codes and len(codes) != len(values):
            raise SchemaError(f"only some values of {name!r} have a code", f["values"].span,
                              "give every value a code, or none")
        if not values:
            raise SchemaError(f"enumeration {name!r} has no values", f["values"].span)
        out[name] = EnumType(name, tuple(values), labels, clause, span, codes)
    return out


def _first_pass(path: Path, agreement: Agreement) -> tuple[Node, str, dict[str, EnumType]]:
    root = load_yaml(_shown(path))
    expect(root, dict, "a rule file")
    cid_node = root.get("clause")
    if cid_node is None:
        raise SchemaError("rule file has no 'clause'", root.span, "add the clause it encodes, e.g. clause: \"§N\" as in the agreement's heading")
    cid = _clause_id(cid_node, agreement)
    return root, cid, _enums(root.get("enums"), cid)


RULE_KEYS = ("clause", "title", "summary", "sentences", "enums", "inputs", "assume", "parameters",
             "definitions", "related", "readings", "duties", "uses", *SECTIONS)


def _rule(root: Node, cid: str, path: str, agreement: Agreement, enums: dict[str, EnumType],
          readings: dict[str, Reading], used: list[Clause] | None = None) -> Clause:
    f = fields(root, "a rule file", required=("clause", "title", "summary", "sentences"),
               optional=RULE_KEYS)
    title = expect(f["title"], str, "title")
    if normalise(title) != normalise(agreement.heading(cid)):
        raise SchemaError(f"title {title!r} is not the heading of {cid} in the agreement "
                          f"({agreement.heading(cid)!r})", f["title"].span, "copy the heading as it is")

    def reading_ref(node: Node | None) -> str | None:
        rid = text_of(node, "reading")
        if rid is not None and rid not in readings:
            raise SchemaError(f"no reading {rid!r} in {READINGS_DIR}/", node.span,
                              did_you_mean(rid, readings) or f"add it to a file in {READINGS_DIR}/")
        return rid

    related_ids = [n.value for n in (f["related"].value if "related" in f and f["related"].is_list() else [])]
    sentences: list[Sentence] = []
    for item in expect(f["sentences"], list, "sentences"):
        g = fields(item, "a sentence", required=("id", "text"), optional=("declarative", "clause"))
        sid = expect(g["id"], str, "sentence id")
        text = expect(g["text"], str, "sentence text")
        if any(s.id == sid for s in sentences):
            raise SchemaError(f"sentence id {sid!r} is used twice", g["id"].span)
        # A rule whose computation needs a related clause's sentence (e.g. a notice deadline on
        # another clause's periods) quotes it with 'clause:'; the clause must be under 'related'.
        scid = text_of(g.get("clause"), "clause") or cid
        if scid != cid and scid not in related_ids:
            raise SchemaError(f"sentence {sid!r} quotes {scid}, which is not under 'related'",
                              g["clause"].span, f"add {scid!r} to 'related', or quote a sentence of {cid}")
        if not agreement.contains(scid, text):
            raise SchemaError(f"the quoted sentence {sid!r} is not in {scid} of the agreement",
                              g["text"].span, "quote the text verbatim (only whitespace may differ); "
                              f"see {AGREEMENT_FILE}")
        sentences.append(Sentence(sid, text, g["text"].span, text_of(g.get("declarative"), "declarative"),
                                  scid if scid != cid else None))
    sids = [s.id for s in sentences]

    def sentence_ref(node: Node | None) -> str | None:
        sid = text_of(node, "sentence")
        if sid is not None and sid not in sids:
            raise SchemaError(f"no sentence {sid!r} in this rule", node.span,
                              did_you_mean(sid, sids) or expected_one_of(sids))
        return sid

    names: dict[str, Type] = {}
    spans: dict[str, Span] = {}

    def declare(name: str, typ: Type, span: Span) -> None:
        if name in names:
            raise SchemaError(f"the name {name!r} is declared twice (first at line {spans[name].line})", span)
        if name in BUILTINS or name in enums:
            raise SchemaError(f"the name {name!r} is taken by a function or an enumeration", span)
        names[name] = typ
        spans[name] = span

    # 'uses': the inputs, parameters, assumptions and definitions of other clauses are readable
    # here by name (e.g. a notice deadline on another clause's periods); they are proved again with
    # this rule.
    inputs: dict[str, Input] = {}
    parameters: dict[str, Parameter] = {}
    inherited_defs: dict[str, Definition] = {}
    inherited: dict[str, str] = {}
    inherited_assumptions: list[Assumption] = []
    for u in used or []:
        for table, target in ((u.inputs, inputs), (u.parameters, parameters), (u.definitions, inherited_defs)):
            for name, item in table.items():
                if name in names:
                    continue
                declare(name, item.type, item.span)
                target[name] = item
                inherited[name] = u.inherited.get(name, u.id)
        inherited_assumptions += [a for a in u.assumptions if a not in inherited_assumptions]
    for name, node in (f["inputs"].items() if "inputs" in f else []):
        span = node.key_span
        _ident(Node(name, span), "input name")
        g = fields(node, f"input {name!r}", required=("type", "description"),
                   optional=("unit", "min", "max", "sentence", "reading"))
        unit = text_of(g.get("unit"), "unit")
        typ = parse_type(g["type"], enums, f"the type of {name!r}", unit)
        bound_type = typ.elem if typ.kind == "map" else typ
        low = parse_value(g["min"], bound_type, enums, f"min of {name!r}") if "min" in g else None
        high = parse_value(g["max"], bound_type, enums, f"max of {name!r}") if "max" in g else None
        if low is not None and high is not None and low > high:
            raise SchemaError(f"min of {name!r} is greater than its max", g["min"].span)
        declare(name, typ, span)
        inputs[name] = Input(name, typ, expect(g["description"], str, "description"), span, low, high,
                             sentence_ref(g.get("sentence")), reading_ref(g.get("reading")))

    quoted = [cid] + sorted({s.clause for s in sentences if s.clause})
    bodies = [normalise(agreement.body(c)) for c in quoted]
    for name, node in (f["parameters"].items() if "parameters" in f else []):
        span = node.key_span
        _ident(Node(name, span), "parameter name")
        g = fields(node, f"parameter {name!r}", required=("type", "value", "words"),
                   optional=("unit", "description", "sentence", "reading"))
        typ = parse_type(g["type"], enums, f"the type of {name!r}", text_of(g.get("unit"), "unit"))
        value = parse_value(g["value"], typ, enums, f"the value of {name!r}")
        words = expect(g["words"], str, "words")
        rid = reading_ref(g.get("reading"))
        if not any(normalise(words) in body for body in bodies) and rid is None:
            raise SchemaError(f"the words {words!r} of parameter {name!r} are not in {', '.join(quoted)}",
                              g["words"].span,
                              "quote the words the value comes from, or give a 'reading' that explains it")
        declare(name, typ, span)
        parameters[name] = Parameter(name, typ, value, words, span, text_of(g.get("description"), "description", ""),
                                     sentence_ref(g.get("sentence")), rid)

    raw_defs = list(f["definitions"].items()) if "definitions" in f else []
    for name, node in raw_defs:
        span = node.key_span
        _ident(Node(name, span), "definition name")
        g = fields(node, f"definition {name!r}", required=("type", "expr", "description"),
                   optional=("kind", "unit", "sentence", "reading"))
        declare(name, parse_type(g["type"], enums, f"the type of {name!r}", text_of(g.get("unit"), "unit")), span)

    scope = Scope(names, enums, BUILTINS)
    assumptions: list[Assumption] = list(inherited_assumptions)
    for item in (expect(f["assume"], list, "assume") if "assume" in f else []):
        g = fields(item, "an assumption", required=("name", "expr", "reason"))
        e, src = _check_expr(g["expr"], scope, "assumption")
        if e.type.kind != "bool":
            raise SchemaError(f"an assumption must be a condition, not {e.type}", g["expr"].span)
        bad = e.names() - set(inputs) - set(parameters)
        if bad:
            raise SchemaError(f"an assumption may only restrict inputs, but reads {sorted(bad)}", g["expr"].span)
        assumptions.append(Assumption(_ident(g["name"], "assumption name"), e, expect(g["reason"], str, "reason"),
                                      g["name"].span, src))

    definitions: dict[str, Definition] = dict(inherited_defs)
    for name, node in raw_defs:
        g = dict(node.value)
        e, src = _check_expr(g["expr"], scope, f"definition {name!r}")
        _fits(e, names[name], g["expr"].span, f"definition {name!r}")
        kind = text_of(g.get("kind"), "kind", "output")
        if kind not in DEFINITION_KINDS:
            raise SchemaError(f"unknown kind {kind!r}", g["kind"].span, expected_one_of(DEFINITION_KINDS))
        if kind != "output" and names[name].kind != "bool":
            raise SchemaError(f"a {kind} must be a condition (type bool)", g["type"].span)
        definitions[name] = Definition(name, names[name], e, kind, expect(g["description"], str, "description"),
                                       node.key_span, src, sentence_ref(g.get("sentence")), reading_ref(g.get("reading")))

    related = [_clause_id(n, agreement) for n in (expect(f["related"], list, "related") if "related" in f else [])]
    rlist = [reading_ref(n) for n in (expect(f["readings"], list, "readings") if "readings" in f else [])]
    from avtalsregler.project.duties import parse_duties

    duties = parse_duties(f.get("duties"), enums, sentence_ref, reading_ref, parameters)
    clause = Clause(cid, title, expect(f["summary"], str, "summary"), path, root.span, sentences,
                    {k: v for k, v in enums.items() if v.clause == cid}, inputs, parameters,
                    _order(definitions), assumptions, related, [r for r in rlist if r], duties)
    ctx = Context(cid, path, names, inputs, parameters, clause.definitions, enums, sentence_ref, reading_ref)
    clause.declared = {sec: parse_section(sec, f[sec], ctx) for sec in SECTIONS if sec in f}
    clause.uses = [u.id for u in used or []]
    clause.inherited = inherited
    clause.foreign_sentences = [x if x.clause else dataclasses.replace(x, clause=u.id)
                                for u in used or [] for x in [*u.sentences, *u.foreign_sentences]]
    return clause


def _uses(root: Node, agreement: Agreement, cid: str) -> tuple[list[str], Span]:
    node = root.value.get("uses")
    if node is None:
        return [], root.span
    out = [_clause_id(n, agreement) for n in expect(node, list, "uses")]
    if cid in out:
        raise SchemaError(f"{cid} cannot use itself", node.span)
    return out, node.span


def _order(defs: dict[str, Definition]) -> dict[str, Definition]:
    """Definitions in dependency order; a cycle is an error naming it."""
    done: dict[str, Definition] = {}
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            cycle = visiting[visiting.index(name):] + [name]
            raise SchemaError(f"definitions depend on each other in a circle: {' → '.join(cycle)}",
                              defs[name].span, "one of them must be computed without the other")
        visiting.append(name)
        for dep in sorted(defs[name].expr.names()):
            if dep in defs:
                visit(dep)
        visiting.pop()
        done[name] = defs[name]

    for name in defs:
        visit(name)
    return done


# -- spec files ---------------------------------------------------------------------------------

def _spec(path: Path, project_clauses: dict[str, Clause], agreement: Agreement,
          enums: dict[str, EnumType]) -> Spec:
    root = load_yaml(_shown(path))
    f = fields(root, "a spec file", required=("clause",), optional=("examples", "invariants", "parameter_ranges"))
    cid = _clause_id(f["clause"], agreement)
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
        name = expect(g["name"], str, "example name")
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
        name = _ident(g["name"], "invariant name")
        if any(x.name == name for x in invariants):
            raise SchemaError(f"invariant name {name!r} is used twice", g["name"].span)
        e, src = _check_expr(g["holds"], scope, "invariant")
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
    return Spec(cid, _shown(path), root.span, examples, invariants,
                _parameter_ranges(f.get("parameter_ranges"), clause, enums))


def _parameter_ranges(node: Node | None, clause: Clause, enums: dict[str, EnumType]) -> dict[str, ParameterRange]:
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


# -- register of readings -------------------------------------------------------------------------

def load_readings(folder: Path, agreement: Agreement) -> dict[str, Reading]:
    """The register of readings: every ``readings/*.yaml`` file, each a list under ``readings:``."""
    out: dict[str, Reading] = {}
    for path in sorted(folder.glob("*.yaml")):
        _readings_file(path, agreement, out)
    return out


def _readings_file(path: Path, agreement: Agreement, out: dict[str, Reading]) -> None:
    root = load_yaml(_shown(path))
    f = fields(root, "a register of readings", required=("readings",))
    for item in expect(f["readings"], list, "readings"):
        g = fields(item, "a reading", required=("id", "clause", "words", "question", "chosen", "alternatives"),
                   optional=("status",))
        rid = expect(g["id"], str, "reading id")
        if rid in out:
            raise SchemaError(f"reading id {rid!r} is used twice", g["id"].span)
        cid = _clause_id(g["clause"], agreement)
        words = expect(g["words"], str, "words")
        if not agreement.contains(cid, words):
            raise SchemaError(f"the words {words!r} are not in {cid}", g["words"].span,
                              "quote the words of the agreement that the reading interprets")
        alts = []
        for a in expect(g["alternatives"], list, "alternatives"):
            h = fields(a, "an alternative", required=("reading", "effect"))
            alts.append(Alternative(expect(h["reading"], str, "reading"), expect(h["effect"], str, "effect")))
        status = text_of(g.get("status"), "status", "decided")
        if status not in ("decided", "open"):
            raise SchemaError(f"unknown status {status!r}", g["status"].span, expected_one_of(("decided", "open")))
        out[rid] = Reading(rid, cid, words, expect(g["question"], str, "question"),
                           expect(g["chosen"], str, "chosen"), tuple(alts), status, g["id"].span)


# -- the project ----------------------------------------------------------------------------------

def load_project(root: str | Path = ".", rules_dir: str | Path | None = None,
                 specs_dir: str | Path | None = None) -> Project:
    """Load and check the whole project; every file with an error is reported."""
    root = Path(root)
    agreement = load_agreement(root / AGREEMENT_FILE)
    rules_path = Path(rules_dir) if rules_dir else root / "rules"
    specs_path = Path(specs_dir) if specs_dir else root / "specs"
    errors: list[AvtalsreglerError] = []
    readings: dict[str, Reading] = {}
    for path in sorted((root / READINGS_DIR).glob("*.yaml")):
        try:  # a broken register file is reported; the others still count
            _readings_file(path, agreement, readings)
        except AvtalsreglerError as exc:
            errors.append(exc)
    first: list[tuple[Path, Node, str, dict[str, EnumType]]] = []
    enums: dict[str, EnumType] = {}
    seen: dict[str, Path] = {}
    for path in sorted(rules_path.glob("*.yaml")):
        try:
            node, cid, own = _first_pass(path, agreement)
            if cid in seen:
                raise SchemaError(f"{cid} already has a rule file ({seen[cid]})", node.span)
            seen[cid] = path
            for name, en in own.items():
                if name in enums:
                    raise SchemaError(f"enumeration {name!r} is already declared in {enums[name].clause}", en.span)
                enums[name] = en
            first.append((path, node, cid, own))
        except AvtalsreglerError as exc:
            errors.append(exc)
    clauses: dict[str, Clause] = {}
    uses: dict[str, tuple[list[str], Span]] = {}
    for entry in list(first):
        try:
            uses[entry[2]] = _uses(entry[1], agreement, entry[2])
        except AvtalsreglerError as exc:
            errors.append(exc)
            first.remove(entry)
    pending = list(first)
    while pending:  # a rule is read after the rules it uses
        ready = [x for x in pending if all(u in clauses for u in uses[x[2]][0])]
        if not ready:
            broken = [x for x in pending if any(u not in seen for u in uses[x[2]][0])]
            for _path, _node, cid, _own in broken or pending:
                missing = [u for u in uses[cid][0] if u not in clauses]
                errors.append(SchemaError(f"{cid} uses {', '.join(missing)}, which "
                                          + ("has no rule file" if broken else "uses it back (a circle)"),
                                          uses[cid][1], "a rule can use only clauses that do not use it"))
            break
        for path, node, cid, _own in ready:
            pending.remove((path, node, cid, _own))
            try:
                clauses[cid] = _rule(node, cid, _shown(path), agreement, enums, readings,
                                     [clauses[u] for u in uses[cid][0]])
            except AvtalsreglerError as exc:
                errors.append(exc)
                seen.pop(cid, None)
    specs: dict[str, Spec] = {}
    for path in sorted(specs_path.glob("*.yaml")):
        try:
            spec = _spec(path, clauses, agreement, enums)
            if spec.clause in specs:
                raise SchemaError(f"{spec.clause} already has a spec file ({specs[spec.clause].path})", spec.span)
            specs[spec.clause] = spec
        except AvtalsreglerError as exc:
            if not (isinstance(exc, SchemaError) and "there is no rule file" in exc.message and errors):
                errors.append(exc)
    for section in ONCE:
        found = [c for c in clauses.values() if section in c.declared]
        if len(found) > 1:
            errors.append(SchemaError(f"'{section}' is declared by both {found[0].id} and {found[1].id}",
                                      found[1].span, f"declare '{section}' in one rule only"))
    if errors:
        raise errors[0] if len(errors) == 1 else LoadErrors(errors)
    return Project(str(root), clauses, specs, enums, readings, agreement)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

