"""Rule files: the quoted sentences, enumerations, inputs, parameters, assumptions,
definitions, duties and declarations of one clause, every name and expression checked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from avtalsregler.errors import SchemaError, Span, did_you_mean, expected_one_of
from avtalsregler.language.expr import Scope
from avtalsregler.language.functions import BUILTINS
from avtalsregler.language.types import EnumType, Type
from avtalsregler.project.agreement import Agreement, normalise
from avtalsregler.project.declarations import SECTIONS, Context, parse_section
from avtalsregler.project.duties import parse_duties
from avtalsregler.project.grounding import grounding_keys
from avtalsregler.project.loading.common import (AGREEMENT_FILE, READINGS_DIR, check_expr, clause_id, fits, ident,
                                                 shown)
from avtalsregler.project.loading.extents import read_extents, read_tension
from avtalsregler.project.model import (DEFINITION_KINDS, Assumption, Clause, Definition, Input, Parameter,
                                        Reading, Sentence)
from avtalsregler.project.source import Node, check_id, expect, fields, load_yaml, text_of
from avtalsregler.project.values import parse_type, parse_value

RULE_KEYS = ("clause", "title", "summary", "sentences", "enums", "inputs", "assume", "parameters",
             "definitions", "related", "readings", "duties", "uses", *SECTIONS)


def read_enums(node: Node | None, clause: str) -> dict[str, EnumType]:
    out: dict[str, EnumType] = {}
    if node is None:
        return out
    expect(node, dict, "enums")
    for name, en in node.items():
        span = getattr(en, "key_span", en.span)
        ident(Node(name, span), "enumeration name")
        f = fields(en, f"enumeration {name!r}", required=("values",), optional=("description",))
        values, labels, codes = [], {}, {}
        for item in expect(f["values"], list, f"values of {name!r}"):
            g = fields(item, f"a value of {name!r}", required=("id", "label"), optional=("code",))
            vid = ident(g["id"], f"a value id of {name!r}")
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


def first_pass(path: Path, agreement: Agreement) -> tuple[Node, str, dict[str, EnumType]]:
    root = load_yaml(shown(path))
    expect(root, dict, "a rule file")
    cid_node = root.get("clause")
    if cid_node is None:
        raise SchemaError("rule file has no 'clause'", root.span,
                          "add the clause it encodes as in the agreement's heading, e.g. clause: \"§N\"")
    cid = clause_id(cid_node, agreement)
    return root, cid, read_enums(root.get("enums"), cid)


class RuleReader:
    """Reads one rule file, section by section, into a :class:`Clause`; every name is declared
    once (its own or read from a clause it uses) and every reference checked."""

    def __init__(self, root: Node, cid: str, path: str, agreement: Agreement, enums: dict[str, EnumType],
                 readings: dict[str, Reading], used: list[Clause]):
        self.f = fields(root, "a rule file", required=("clause", "title", "summary", "sentences"), optional=RULE_KEYS)
        self.root, self.cid, self.path, self.agreement = root, cid, path, agreement
        self.enums, self.readings, self.used = enums, readings, used
        self.names: dict[str, Type] = {}
        self.spans: dict[str, Span] = {}
        self.sentences: list[Sentence] = []
        self.inputs: dict[str, Input] = {}
        self.parameters: dict[str, Parameter] = {}
        self.definitions: dict[str, Definition] = {}
        self.inherited: dict[str, str] = {}
        self.assumptions: list[Assumption] = []

    # -- references ---------------------------------------------------------------------------

    def reading_ref(self, node: Node | None) -> str | None:
        rid = text_of(node, "reading")
        if rid is not None and rid not in self.readings:
            raise SchemaError(f"no reading {rid!r} in {READINGS_DIR}/", node.span,
                              did_you_mean(rid, self.readings) or f"add it to a file in {READINGS_DIR}/")
        return rid

    def sentence_ref(self, node: Node | None) -> str | None:
        sid = text_of(node, "sentence")
        sids = [s.id for s in self.sentences]
        if sid is not None and sid not in sids:
            raise SchemaError(f"no sentence {sid!r} in this rule", node.span,
                              did_you_mean(sid, sids) or expected_one_of(sids))
        return sid

    def declare(self, name: str, typ: Type, span: Span) -> None:
        if name in self.names:
            raise SchemaError(f"the name {name!r} is declared twice (first at line {self.spans[name].line})", span)
        if name in BUILTINS or name in self.enums:
            raise SchemaError(f"the name {name!r} is taken by a function or an enumeration", span)
        self.names[name] = typ
        self.spans[name] = span

    def section(self, key: str) -> list:
        if key not in self.f:
            return []
        node = self.f[key]
        if node.value is None:
            raise SchemaError(f"'{key}' is empty", getattr(node, "key_span", node.span),
                              f"remove '{key}:', or declare at least one entry under it")
        return list(expect(node, dict, f"'{key}' (a mapping from names to declarations)").items())

    # -- sections -----------------------------------------------------------------------------

    def read_title(self) -> str:
        title = expect(self.f["title"], str, "title")
        heading = self.agreement.heading(self.cid)
        if normalise(title) != normalise(heading):
            raise SchemaError(f"title {title!r} is not the heading of {self.cid} in the agreement ({heading!r})",
                              self.f["title"].span, "copy the heading as it is")
        return title

    def read_sentences(self) -> None:
        f, cid = self.f, self.cid
        related_ids = [n.value for n in (f["related"].value if "related" in f and f["related"].is_list() else [])]
        for item in expect(f["sentences"], list, "sentences"):
            g = fields(item, "a sentence", required=("id", "text"), optional=("declarative", "clause"))
            sid = check_id(g["id"].value, g["id"].span, "sentence id")
            text = expect(g["text"], str, "sentence text")
            if any(s.id == sid for s in self.sentences):
                raise SchemaError(f"sentence id {sid!r} is used twice", g["id"].span)
            # A rule whose computation needs a related clause's sentence (e.g. a notice deadline on
            # another clause's periods) quotes it with 'clause:'; the clause must be under 'related'.
            scid = text_of(g.get("clause"), "clause") or cid
            if scid != cid and scid not in related_ids:
                raise SchemaError(f"sentence {sid!r} quotes {scid}, which is not under 'related'",
                                  g["clause"].span, f"add {scid!r} to 'related', or quote a sentence of {cid}")
            if not self.agreement.contains(scid, text):
                raise SchemaError(f"the quoted sentence {sid!r} is not in {scid} of the agreement",
                                  g["text"].span, "quote the text verbatim (only whitespace may differ); "
                                  f"see {AGREEMENT_FILE}")
            self.sentences.append(Sentence(sid, text, g["text"].span, text_of(g.get("declarative"), "declarative"),
                                           scid if scid != cid else None))

    def read_used(self) -> dict[str, Definition]:
        """'uses': the inputs, parameters, assumptions and definitions of other clauses are
        readable here by name; they are proved again with this rule."""
        inherited_defs: dict[str, Definition] = {}
        for u in self.used:
            for table, target in ((u.inputs, self.inputs), (u.parameters, self.parameters),
                                  (u.definitions, inherited_defs)):
                for name, item in table.items():
                    if name in self.names:
                        continue
                    self.declare(name, item.type, item.span)
                    target[name] = item
                    self.inherited[name] = u.inherited.get(name, u.id)
            self.assumptions += [a for a in u.assumptions if a not in self.assumptions]
        return inherited_defs

    def read_inputs(self) -> None:
        enums = self.enums
        for name, node in self.section("inputs"):
            span = node.key_span
            ident(Node(name, span), "input name")
            g = fields(node, f"input {name!r}", required=("type", "description"),
                       optional=("unit", "min", "max", "sentence", "reading"))
            typ = parse_type(g["type"], enums, f"the type of {name!r}", text_of(g.get("unit"), "unit"))
            bound_type = typ.elem if typ.kind == "map" else typ
            low = parse_value(g["min"], bound_type, enums, f"min of {name!r}") if "min" in g else None
            high = parse_value(g["max"], bound_type, enums, f"max of {name!r}") if "max" in g else None
            if low is not None and high is not None and low > high:
                raise SchemaError(f"min of {name!r} is greater than its max", g["min"].span)
            self.declare(name, typ, span)
            self.inputs[name] = Input(name, typ, expect(g["description"], str, "description"), span, low, high,
                                      self.sentence_ref(g.get("sentence")), self.reading_ref(g.get("reading")))

    def quoted_bodies(self) -> tuple[list[str], list[str]]:
        """The clauses this rule quotes (its own and related ones), and their texts normalised."""
        quoted = [self.cid] + sorted({s.clause for s in self.sentences if s.clause})
        return quoted, [normalise(self.agreement.body(c)) for c in quoted]

    def read_parameters(self) -> None:
        quoted, bodies = self.quoted_bodies()
        for name, node in self.section("parameters"):
            span = node.key_span
            ident(Node(name, span), "parameter name")
            g = fields(node, f"parameter {name!r}", required=("type", "value", "words"),
                       optional=("unit", "description", "sentence", "reading", "means", "part", "derive",
                                 "counts"))
            typ = parse_type(g["type"], self.enums, f"the type of {name!r}", text_of(g.get("unit"), "unit"))
            value = parse_value(g["value"], typ, self.enums, f"the value of {name!r}")
            shape = grounding_keys(g, typ, name)
            words = expect(g["words"], str, "words")
            rid = self.reading_ref(g.get("reading"))
            if not any(normalise(words) in body for body in bodies) and rid is None:
                raise SchemaError(f"the words {words!r} of parameter {name!r} are not in {', '.join(quoted)}",
                                  g["words"].span,
                                  "quote the words the value comes from, or give a 'reading' that explains it")
            self.declare(name, typ, span)
            self.parameters[name] = Parameter(name, typ, value, words, span,
                                              text_of(g.get("description"), "description", ""),
                                              self.sentence_ref(g.get("sentence")), rid, **shape)

    def declare_definitions(self) -> None:
        for name, node in self.section("definitions"):
            ident(Node(name, node.key_span), "definition name")
            g = fields(node, f"definition {name!r}", required=("type", "expr", "description"),
                       optional=("kind", "unit", "sentence", "reading", "extent", "tension"))
            self.declare(name, parse_type(g["type"], self.enums, f"the type of {name!r}",
                                          text_of(g.get("unit"), "unit")), node.key_span)

    def read_assumptions(self, scope: Scope) -> None:
        for item in (expect(self.f["assume"], list, "assume") if "assume" in self.f else []):
            g = fields(item, "an assumption", required=("name", "expr", "reason"))
            e, src = check_expr(g["expr"], scope, "assumption")
            if e.type.kind != "bool":
                raise SchemaError(f"an assumption must be a condition, not {e.type}", g["expr"].span)
            bad = e.names() - set(self.inputs) - set(self.parameters)
            if bad:
                raise SchemaError(f"an assumption may only restrict inputs, but reads {sorted(bad)}", g["expr"].span)
            self.assumptions.append(Assumption(ident(g["name"], "assumption name"), e,
                                               expect(g["reason"], str, "reason"), g["name"].span, src))

    def read_definitions(self, scope: Scope) -> None:
        for name, node in self.section("definitions"):
            g = dict(node.value)
            e, src = check_expr(g["expr"], scope, f"definition {name!r}")
            fits(e, self.names[name], g["expr"].span, f"definition {name!r}")
            kind = text_of(g.get("kind"), "kind", "output")
            if kind not in DEFINITION_KINDS:
                raise SchemaError(f"unknown kind {kind!r}", g["kind"].span, expected_one_of(DEFINITION_KINDS))
            if kind != "output" and self.names[name].kind != "bool":
                raise SchemaError(f"a {kind} must be a condition (type bool)", g["type"].span)
            quoted, bodies = self.quoted_bodies()
            extents = read_extents(g.get("extent"), kind, name, scope, bodies, quoted)
            tension = read_tension(g.get("tension"), kind, name, self.reading_ref)
            self.definitions[name] = Definition(name, self.names[name], e, kind,
                                                expect(g["description"], str, "description"), node.key_span, src,
                                                self.sentence_ref(g.get("sentence")), self.reading_ref(g.get("reading")),
                                                extents, tension)

    def read(self) -> Clause:
        f, cid = self.f, self.cid
        title = self.read_title()
        self.read_sentences()
        self.definitions = self.read_used()
        self.read_inputs()
        self.read_parameters()
        self.declare_definitions()
        scope = Scope(self.names, self.enums, BUILTINS)
        self.read_assumptions(scope)
        self.read_definitions(scope)
        related = [clause_id(n, self.agreement)
                   for n in (expect(f["related"], list, "related") if "related" in f else [])]
        rlist = [self.reading_ref(n) for n in (expect(f["readings"], list, "readings") if "readings" in f else [])]
        duties = parse_duties(f.get("duties"), self.enums, self.sentence_ref, self.reading_ref, self.parameters)
        clause = Clause(cid, title, expect(f["summary"], str, "summary"), self.path, self.root.span, self.sentences,
                        {k: v for k, v in self.enums.items() if v.clause == cid}, self.inputs, self.parameters,
                        dependency_order(self.definitions), self.assumptions, related, [r for r in rlist if r], duties)
        ctx = Context(cid, self.path, self.names, self.inputs, self.parameters, clause.definitions, self.enums,
                      self.sentence_ref, self.reading_ref, duties)
        clause.declared = {sec: parse_section(sec, f[sec], ctx) for sec in SECTIONS if sec in f}
        clause.uses = [u.id for u in self.used]
        clause.inherited = self.inherited
        clause.foreign_sentences = [x if x.clause else dataclasses.replace(x, clause=u.id)
                                    for u in self.used for x in [*u.sentences, *u.foreign_sentences]]
        return clause


def read_rule(root: Node, cid: str, path: str, agreement: Agreement, enums: dict[str, EnumType],
              readings: dict[str, Reading], used: list[Clause] | None = None) -> Clause:
    return RuleReader(root, cid, path, agreement, enums, readings, used or []).read()


def read_uses(root: Node, agreement: Agreement, cid: str) -> tuple[list[str], Span]:
    node = root.value.get("uses")
    if node is None:
        return [], root.span
    out = [clause_id(n, agreement) for n in expect(node, list, "uses")]
    if cid in out:
        raise SchemaError(f"{cid} cannot use itself", node.span)
    return out, node.span


def dependency_order(defs: dict[str, Definition]) -> dict[str, Definition]:
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
