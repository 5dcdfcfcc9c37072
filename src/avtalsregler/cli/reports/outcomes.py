"""The results of ``check`` and ``amend check`` as one flat list of :class:`Outcome` — one per
grounded parameter, example, proof obligation or finding — which every CI format (GitHub
annotations, job summary, SARIF, JUnit) is written from. A bad input (exit 2) becomes outcomes
too, so that CI shows it where it shows everything else."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from avtalsregler.errors import AvtalsreglerError, Span

PASSED, FAILED, ERROR = "passed", "failed", "error"


@dataclass
class Outcome:
    suite: str                      # the clause's id and title, or the amendment's file
    kind: str                       # grounded | example | invariant | defined | … | finding | input
    name: str
    status: str                     # passed | failed | error (bad input)
    message: str = ""               # one sentence, for an annotation's first line
    detail: list[str] = field(default_factory=list)
    where: Span | None = None
    seconds: float = 0.0
    level: str = "error"            # error | warning | notice: how a CI tool shows it
    message_sv: str = ""            # the Swedish sentence for the job summary, where one exists

    @property
    def shown(self) -> bool:
        """Whether CI shows it as an annotation / SARIF result: a failure, or a finding's
        warning or notice."""
        return self.status != PASSED or (self.kind in ("finding", "tension") and self.level in ("warning", "notice"))

    @property
    def ok(self) -> bool:
        return self.status == PASSED

    @property
    def title(self) -> str:
        what = self.name.split(":")[0] if self.kind == "finding" else f"{self.kind} {self.name}"
        return f"avtalsregler {self.suite}: {what}"

    @property
    def rule_id(self) -> str:
        """A stable id for the kind of result (SARIF ``ruleId``)."""
        return f"avtalsregler/{self.kind}"


def relative(span: Span | None, root: str | Path) -> Span | None:
    """The span with its path relative to ``root`` where it lies inside it (CI tools want
    paths from the repository's root)."""
    if span is None:
        return None
    p = Path(span.path)
    if p.is_absolute():
        try:
            return Span(p.resolve().relative_to(Path(root).resolve()).as_posix(), span.line, span.col)
        except ValueError:
            return span
    try:
        base = Path(root).resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return span
    return span if str(base) == "." or p.parts[:len(base.parts)] == base.parts else \
        Span((base / p).as_posix(), span.line, span.col)


def _span(text: str | None) -> Span | None:
    """``path:line:col`` back into a span (``None`` when it is not one)."""
    parts = (text or "").rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return Span(parts[0], int(parts[1]), int(parts[2]))
    return None


def from_check(results, root: str | Path = ".") -> list[Outcome]:
    """Outcomes of ``check`` (a list of ``ClauseResult``), in the order they were run."""
    from avtalsregler.cli.commands.check import describe_failure, describe_grounding

    out: list[Outcome] = []
    for r in results:
        suite = f"{r.clause.id} {r.clause.title}"
        for g in r.grounded:
            msg = f"parameter {g.name!r} of {g.clause} is not grounded in its words: {g.message}"
            out.append(Outcome(suite, "grounded", g.name, PASSED if g.ok else FAILED, "" if g.ok else msg,
                               [] if g.ok else describe_grounding(g).split("\n")[1:], relative(g.span, root)))
        for e in r.examples:
            detail = [f"{n}: expected {w}, got {got}" for n, w, got, _ in e.mismatches] or \
                     ([e.message] if e.message else [])
            out.append(Outcome(suite, "example", e.name, PASSED if e.ok else FAILED,
                               "" if e.ok else f"example {e.name!r} of {r.clause.id} fails", [] if e.ok else detail,
                               relative(e.span, root)))
        for p in r.proofs:
            lines = [] if p.ok else describe_failure(p).split("\n")
            out.append(Outcome(suite, p.kind, p.name, PASSED if p.ok else FAILED,
                               lines[0].split(": error: ", 1)[-1] if lines else "",
                               [ln.strip() for ln in lines[1:]], relative(p.span, root), p.seconds))
        out += tension_outcomes(r, suite, root)
    return out


def tension_outcomes(r, suite: str, root: str | Path) -> list[Outcome]:
    """The tensions of the text (prover/tensions.py): a failure when no reading addresses one
    (or it is undecided), a notice when its reading is open; resolved ones and obligations
    without a tension pass quietly."""
    from avtalsregler.cli.tensions import describe, message_sv

    out = []
    for t in r.tensions:
        lines = describe(t, {}).split("\n") if t.found is not False else []
        message = lines[0].split(": ", 2)[-1] if lines else ""
        level = "notice" if t.status == "open" else "error"
        out.append(Outcome(suite, "tension", t.name, PASSED if t.ok else FAILED, message,
                           [ln.strip() for ln in lines[1:]], relative(t.span, root), t.seconds, level,
                           message_sv(t) if lines else ""))
    return out


def from_amendment(report, root: str | Path = ".") -> list[Outcome]:
    """Outcomes of one ``amend check`` report: every example re-run, every guarantee whose
    result changed, the procedure, and every other finding."""
    suite = report.amendment.path
    out: list[Outcome] = []
    example_findings = {str(f.where): f for f in report.findings if f.category == "example"}
    for e in report.examples:           # a failing example's finding is at the example's place
        f = example_findings.get(e["where"]) if not e["ok"] else None
        out.append(Outcome(suite, "example", f"{e['clause']} {e['name']}", PASSED if e["ok"] else FAILED,
                           f.message if f else e.get("message", ""), list(f.detail) if f else [],
                           relative(f.where if f else _span(e.get("where")), root)))
    for g in report.guarantees:         # a result that changed and now holds (a failing one is a finding)
        if g["after"] == "proved":
            out.append(Outcome(suite, g["kind"], f"{g['clause']} {g['name']}", PASSED, seconds=g.get("seconds", 0.0)))
    if report.procedure is not None:
        proc = [f for f in report.findings if f.category == "procedure" and f.severity == "error"]
        out.append(Outcome(suite, "procedure", "procedure", FAILED if proc else PASSED,
                           "; ".join(f.message for f in proc), [d for f in proc for d in f.detail],
                           relative(proc[0].where, root) if proc else None))
    for f in report.findings:
        if f.category in ("example", "procedure"):
            continue
        status = FAILED if f.severity == "error" else PASSED
        out.append(Outcome(suite, "finding", f"{f.category}: {f.message[:80]}", status, f.message, list(f.detail),
                           relative(f.where, root) or Span(suite, 1, 1), level=f.severity))
    return out


def from_error(exc: AvtalsreglerError, suite: str, root: str | Path = ".") -> list[Outcome]:
    """A bad input (exit 2) as outcomes: one per error of the file(s)."""
    errors = getattr(exc, "errors", None) or [exc]
    return [Outcome(suite, "input", f"bad input {i + 1}", ERROR, e.message,
                    [f"hint: {e.hint}"] if e.hint else [], relative(e.span, root))
            for i, e in enumerate(errors)]
