"""Read rule files, spec files and the register of readings into the model, checking
everything a user can get wrong, each error with its ``path:line:col``. The parts are in
:mod:`avtalsregler.project.loading`; this module puts a whole project together."""

from __future__ import annotations

from pathlib import Path

from avtalsregler.errors import AvtalsreglerError, SchemaError, Span
from avtalsregler.language.types import EnumType
from avtalsregler.project.agreement import load_agreement
from avtalsregler.project.lexicon import load_lexicon
from avtalsregler.project.declarations import ONCE
from avtalsregler.project.loading.common import AGREEMENT_FILE, READINGS_DIR, shown
from avtalsregler.project.loading.readings import load_readings, read_readings_file
from avtalsregler.project.loading.rules import RULE_KEYS, first_pass, read_rule, read_uses
from avtalsregler.project.loading.specs import read_spec
from avtalsregler.project.model import Clause, Project, Reading, Spec
from avtalsregler.project.source import Node
from avtalsregler.project.inputs import listing

__all__ = ["AGREEMENT_FILE", "READINGS_DIR", "RULE_KEYS", "LoadErrors", "load_project", "load_readings"]


class LoadErrors(AvtalsreglerError):
    """Several files had errors; each is reported."""

    def __init__(self, errors: list[AvtalsreglerError]):
        super().__init__(f"{len(errors)} file(s) have errors")
        self.errors = errors

    def format(self) -> str:
        return "\n".join(e.format() for e in self.errors)


def load_project(root: str | Path = ".", rules_dir: str | Path | None = None,
                 specs_dir: str | Path | None = None) -> Project:
    """Load and check the whole project; every file with an error is reported."""
    root = Path(root)
    agreement = load_agreement(root / AGREEMENT_FILE)
    rules_path = Path(rules_dir) if rules_dir else root / "rules"
    specs_path = Path(specs_dir) if specs_dir else root / "specs"
    for what, folder in (("rule", rules_path), ("spec", specs_path)):
        if (rules_dir if what == "rule" else specs_dir) and not folder.is_dir():
            raise SchemaError(f"the {what} folder {str(folder)!r} does not exist", None, "give an existing folder")
    errors: list[AvtalsreglerError] = []
    readings: dict[str, Reading] = {}
    for path in listing((root / READINGS_DIR), "*.yaml"):
        try:  # a broken register file is reported; the others still count
            read_readings_file(path, agreement, readings)
        except AvtalsreglerError as exc:
            errors.append(exc)
    first: list[tuple[Path, Node, str, dict[str, EnumType]]] = []
    enums: dict[str, EnumType] = {}
    seen: dict[str, Path] = {}
    for path in listing(rules_path, "*.yaml"):
        try:
            node, cid, own = first_pass(path, agreement)
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
            uses[entry[2]] = read_uses(entry[1], agreement, entry[2])
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
                clauses[cid] = read_rule(node, cid, shown(path), agreement, enums, readings,
                                     [clauses[u] for u in uses[cid][0]])
            except AvtalsreglerError as exc:
                errors.append(exc)
                seen.pop(cid, None)
    specs: dict[str, Spec] = {}
    for path in listing(specs_path, "*.yaml"):
        try:
            spec = read_spec(path, clauses, agreement, enums)
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
    terms = [c for c in clauses.values() if getattr(c.declared.get("events"), "term", None) is not None]
    if len(terms) > 1:
        errors.append(SchemaError(f"the term is declared by both {terms[0].id} and {terms[1].id}",
                                  terms[1].declared["events"].term.span, "declare 'events: term:' in one rule only"))
    if errors:
        raise errors[0] if len(errors) == 1 else LoadErrors(errors)
    return Project(str(root), clauses, specs, enums, readings, agreement, load_lexicon(root))
