"""``amend check``: apply an amendment to a copy of the project, re-verify what it affects and
report what changed — results of proofs, values of examples, dates, amounts per municipality,
the procedure, and the pinning of quotes and numbers to the new wording.

The report is data (:class:`Report`, :meth:`Report.as_json`); printing is the command's job.
"""

from __future__ import annotations

import datetime
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from avtalsregler.apps.amend.amendment import Amendment, load_amendment
from avtalsregler.apps.amend.apply import Applied, Applier, agreement_clauses, copy_project, write_applied
from avtalsregler.apps.amend.justify import justifications
from avtalsregler.apps.amend.justify import message as justification_message
from avtalsregler.apps.amend.effects import example_effects, hook_effects, number_tokens, parameter_changes
from avtalsregler.apps.amend.procedure import Procedure, check_procedure
from avtalsregler.apps.amend.compare import compare_examples, compare_proofs, mapped, rel_span
from avtalsregler.apps.amend.swedish import pinning_sv
from avtalsregler.apps.fictitious import agreement_marks
from avtalsregler.prover.check import ClauseResult, check_projects
from avtalsregler.apps.amend.tensions import compare_tensions
from avtalsregler.errors import AvtalsreglerError, SchemaError, Span
from avtalsregler.project.load import LoadErrors, load_project
from avtalsregler.project.model import Project

EXIT_OK, EXIT_FAIL = 0, 1


@dataclass
class Finding:
    severity: str                 # error | warning | notice
    category: str                 # guarantee | example | procedure | pinning | load | effect | skipped | timing | tension
    message: str
    where: Span | None
    detail: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"severity": self.severity, "category": self.category, "message": self.message,
                "file": self.where.path if self.where else None, "line": self.where.line if self.where else None,
                "col": self.where.col if self.where else None, "detail": self.detail}


@dataclass
class Report:
    amendment: Amendment
    findings: list[Finding] = field(default_factory=list)
    reverified: list[dict] = field(default_factory=list)
    not_reverified: list[str] = field(default_factory=list)
    guarantees: list[dict] = field(default_factory=list)       # results that changed
    on_purpose: list[dict] = field(default_factory=list)       # invariants the amendment changes
    examples: list[dict] = field(default_factory=list)
    effects: dict[str, Any] = field(default_factory=dict)
    text_changes: list[dict] = field(default_factory=list)
    justifications: list[dict] = field(default_factory=list)   # every changed item, judged
    marks: list[str] = field(default_factory=list)            # the agreement is made up (a fixture)
    procedure: Procedure | None = None
    kept: str | None = None
    seconds: float = 0.0
    proof_seconds: dict[str, float] = field(default_factory=dict)
    gave_up: bool = False            # a solver gave up on a clause, before or after (never memoized)

    @property
    def exit_code(self) -> int:
        return EXIT_FAIL if any(f.severity == "error" for f in self.findings) else EXIT_OK

    def add(self, *args, **kw) -> None:
        self.findings.append(Finding(*args, **kw))

    def as_json(self) -> dict:
        a = self.amendment
        return {
            "format": "avtalsregler-amendment-report/1",
            "ok": self.exit_code == EXIT_OK,
            "exit_code": self.exit_code,
            "seconds": round(self.seconds, 3),
            "amendment": {"file": a.path, "id": a.id, "title": a.title, "proposed_by": a.proposed_by[0],
                          "agreed_by": [n for n, _ in a.agreed_by], "effective": a.effective.isoformat(),
                          "rationale": " ".join(a.rationale.split()), "clauses": a.clauses},
            "text_changes": [{**t, "where": str(t["where"])} for t in self.text_changes],
            "justifications": [{**j, "where": str(j["where"])} for j in self.justifications],
            "reverified": self.reverified,
            "not_reverified": self.not_reverified,
            "guarantees_changed": self.guarantees,
            "guarantees_changed_on_purpose": self.on_purpose,
            "examples": self.examples,
            "effects": self.effects,
            "procedure": None if self.procedure is None else {
                "ok": self.procedure.ok, "proposed_by": self.procedure.proposer, "agreed": self.procedure.agreed,
                "hub_agreed": self.procedure.hub_agreed,
                "members_agreed": self.procedure.members_agreed,
                "diverging_members": self.procedure.diverging, "rules": self.procedure.rules},
            "kept_copy": self.kept,
            "fictitious": bool(self.marks), "fictitious_notes": self.marks,
            "findings": [f.as_json() for f in self.findings],
        }


# -- dependencies between clauses -----------------------------------------------------------------

def _uses_enums(clause) -> set[str]:
    out: set[str] = set()
    for table in (clause.inputs, clause.parameters, clause.definitions):
        for item in table.values():
            t = item.type
            if t.enum:
                out.add(t.enum)
    return out


def affected(changed: list[str], projects: list[Project]) -> list[dict]:
    """The changed clauses and every clause that depends on one of them, closed transitively;
    each with the reason it was reached. A clause depends on another when it uses an
    enumeration declared there, or its rule ``uses`` the other (reads its names). ``related``
    is a reading aid for the site, not a dependency, and names are local to their clause."""
    clauses = {}
    for p in projects:
        clauses.update({cid: c for cid, c in p.clauses.items() if cid not in clauses})
    enum_home = {name: en.clause for p in projects for name, en in p.enums.items()}

    def neighbours(cid: str) -> list[tuple[str, str]]:
        out = []
        for other_id, o in clauses.items():
            if other_id == cid:
                continue
            if cid in getattr(o, "uses", []):
                out.append((other_id, f"regeln bygger på {cid}"))
            elif used := sorted(e for e in _uses_enums(o) if enum_home.get(e) == cid):
                out.append((other_id, f"använder uppräkningen {', '.join(used)} i {cid}"))
        return out

    seen: dict[str, str] = {}
    queue = [c for c in changed if c in clauses]
    for c in queue:
        seen[c] = "ändras av förslaget"
    while queue:
        cid = queue.pop(0)
        for other, why in neighbours(cid):
            if other not in seen:
                seen[other] = why
                queue.append(other)
    order = sorted(seen, key=lambda c: int(c.lstrip("§")))
    return [{"clause": c, "why": seen[c]} for c in order]


# -- the check -------------------------------------------------------------------------------------

_PINNING = re.compile(r"is not in §|are not in §|not in .* of the agreement")


def check_amendment(root: str | Path, path: str | Path, timeout_s: float = 30.0,
                    keep: str | Path | None = None, on_clause=None) -> Report:
    """Check an amendment. Raises :class:`AvtalsreglerError` for a malformed amendment
    (exit 2); otherwise returns a report whose ``exit_code`` is 0 or 1. ``on_clause(result,
    done, total)`` is called as each amended clause is re-verified (progress)."""
    t0 = time.perf_counter()
    root = Path(root)
    amendment = load_amendment(path, agreement_clauses(root))
    report = Report(amendment)
    for sev, msg, hint in timing(root, amendment, datetime.date.today()):
        report.add(sev, "timing", msg, amendment.effective_span, [f"hint: {hint}"] if hint else [])
    content = [c.clause for c in amendment.changes if c.changes_content]
    before = load_project(root)
    report.marks = agreement_marks(before)
    report.procedure = check_procedure(amendment, content, before)
    for sev, msg, where in report.procedure.findings:
        report.add(sev, "procedure", msg, where)
    applied = Applier(amendment, root).apply()
    report.text_changes = applied.text_changes
    report.justifications = justifications(amendment, before, applied.text_changes)
    for j in report.justifications:
        sev, msg, detail = justification_message(j)
        report.add(sev, "justification", msg, j["where"], detail)
    for clause, why, where in applied.skipped:
        report.add("notice", "skipped", why, where)
    for note, where in applied.notes:
        report.add("notice", "pinning", note, where)
    with tempfile.TemporaryDirectory(prefix="avtalsregler-amend-") as tmp:
        copy_root = Path(tmp)
        copy_project(root, copy_root)
        write_applied(applied, copy_root)
        if keep is not None:
            report.kept = _keep(copy_root, Path(keep))
        after = _load_amended(copy_root, applied, report)
        if after is not None:
            _verify(report, amendment, applied, before, after, copy_root, timeout_s, on_clause)
    report.seconds = time.perf_counter() - t0
    return report


def timing(root: Path, a: Amendment, today: datetime.date) -> list[tuple[str, str, str]]:
    """When the amendment takes effect, against the history and today: before an amendment
    already applied is an error (the versions would not follow each other); in the past without
    ``retroactive: true`` a warning."""
    from avtalsregler.apps.amend.history import records

    out = []
    done = records(root)
    later = [r for r in done if r.effective > a.effective]
    if later:
        out.append(("error", f"förslaget träder i kraft {a.effective.isoformat()}, före {later[-1].stem}, som redan "
                             f"är genomfört och träder i kraft {later[-1].effective.isoformat()}",
                    "ångra den senare ändringen först ('avtalsregler amend revert'), eller ge ett senare datum"))
    if a.effective < today and not a.retroactive:
        out.append(("warning", f"förslaget träder i kraft {a.effective.isoformat()}, som redan har passerat (i dag är "
                               f"{today.isoformat()}): en retroaktiv ändring måste säga det",
                    "lägg till 'retroactive: true' och säg i motiveringen (rationale) varför ändringen gäller "
                    "bakåt i tiden, eller ge ett senare datum"))
    elif a.effective < today:
        out.append(("notice", f"retroaktiv: förslaget träder i kraft {a.effective.isoformat()}, före i dag", ""))
    return out


def _keep(copy_root: Path, keep: Path) -> str:
    if keep.exists() and any(keep.iterdir()):
        raise SchemaError(f"--keep {keep} is not empty", None,
                          "give a new or empty folder; nothing is overwritten")
    keep.mkdir(parents=True, exist_ok=True)
    for d in copy_root.iterdir():
        shutil.copytree(d, keep / d.name)
    return str(keep)


def _load_amended(copy_root: Path, applied: Applied, report: Report) -> Project | None:
    try:
        return load_project(copy_root)
    except AvtalsreglerError as exc:
        errors = exc.errors if isinstance(exc, LoadErrors) else [exc]
    for err in errors:
        s = rel_span(err.span, copy_root)
        in_amendment = applied.maps[s.path].in_amendment(s) if s is not None and s.path in applied.maps else None
        if _PINNING.search(err.message):
            report.add("error", "pinning", pinning_sv(err.message), in_amendment or mapped(err.span, applied, copy_root),
                       ["hint: citera den nya lydelsen ordagrant (bara blanksteg får skilja), i samma ändring"])
        elif in_amendment is not None:
            raise type(err)(err.message, in_amendment, err.hint)
        else:
            report.add("error", "load", f"projektet kan inte läsas in efter ändringen: {err.message}",
                       mapped(err.span, applied, copy_root), [f"hint: {err.hint}"] if err.hint else [])
    return None


def _runs(before: Project, after: Project, chosen: set[str], timeout_s: float,
          on_clause=None) -> tuple[dict[str, ClauseResult], dict[str, ClauseResult]]:
    """The chosen clauses before (from the proof cache, when the project was checked) and after
    the amendment, side by side in one pool of workers."""
    runs = [(p, [c for c in chosen if c in p.clauses]) for p in (before, after)]
    done = []

    def progress(result, _done, _total):        # progress counts the clauses after the amendment
        if on_clause is not None and after.clauses.get(result.clause.id) is result.clause:
            done.append(result)
            on_clause(result, len(done), len(runs[1][1]))
    first, second = check_projects(runs, timeout_s, progress)
    return {r.clause.id: r for r in first}, {r.clause.id: r for r in second}


def _verify(report: Report, a: Amendment, applied: Applied, before: Project, after: Project,
            copy_root: Path, timeout_s: float, on_clause=None) -> None:
    changed = [c.clause for c in a.changes]
    report.reverified = affected(changed, [after, before])
    chosen = {r["clause"] for r in report.reverified}
    report.not_reverified = [c.id for c in after.ordered() if c.id not in chosen]
    # the clauses before (from the proof cache, when the project was checked) and after
    runs_before, runs_after = _runs(before, after, chosen, timeout_s, on_clause)
    report.gave_up = any(x.status == "unknown" for runs in (runs_before, runs_after) for r in runs.values()
                         for x in [*r.proofs, *r.tensions])
    for cid in sorted(runs_after, key=lambda c: int(c[1:])):
        report.proof_seconds[cid] = round(runs_after[cid].seconds, 3)
    compare_proofs(report, a, applied, before, after, runs_before, runs_after, copy_root)
    compare_tensions(report, runs_before, runs_after, lambda span: mapped(span, applied, copy_root))
    compare_examples(report, applied, runs_after, after, copy_root)
    report.effects = {
        "parameters": parameter_changes(before, after, chosen),
        "examples": example_effects(before, after, chosen),
        "text": [{"clause": t["clause"], "sentence": t["sentence"], **number_tokens(t["old"], t["new"])}
                 for t in report.text_changes],
    }
    report.effects.update(hook_effects(before, after, report.effects, a, chosen))
    _grounding(report, a, after)


# -- numbers in changed rules come from the words ---------------------------------------------------

def _grounding(report: Report, a: Amendment, after: Project) -> None:
    """The same grounding as ``check`` (project/grounding.py), on every changed clause; a
    reading does not turn it off."""
    from avtalsregler.project.grounding import ground_clause

    for ch in a.changes:
        if not ch.changes_content or ch.clause not in after.clauses:
            continue
        for g in ground_clause(after.clauses[ch.clause], after):
            if g.ok:
                continue
            where = next((i.node.span for i in ch.rule if i.section == "parameters"
                          and (i.key == g.name or i.selector == "quoting")), ch.span)
            report.add("error", "pinning",
                       f"värdet av parametern {g.name!r} i {ch.clause} ({g.value}) följer inte av dess ord "
                       f"{g.words!r}: {g.message}", where,
                       [f"orden säger: {', '.join(g.states) if g.states else 'inget värde'}",
                        "hint: citera de ord i den nya lydelsen som ger värdet, eller nämn en tolkning och säg med "
                        "'means' vad den gör av orden"])
