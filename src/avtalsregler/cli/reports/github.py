"""GitHub Actions: workflow-command annotations and the job summary (Markdown).

Every annotation is written by :func:`command`, the one place that escapes a workflow command
by GitHub's rules (the runner's ``ActionCommand``: in the message ``%`` → ``%25``, CR → ``%0D``,
LF → ``%0A``; in a property value also ``:`` → ``%3A`` and ``,`` → ``%2C``). So whatever a file
name, a title or a message holds, an annotation is one line, and no text of ours can start a
line of the log with ``::``. Text that is not an annotation (the human report printed under
them) goes between ``::stop-commands::TOKEN`` and ``::TOKEN::`` with a fresh random token, as
GitHub documents for printing untrusted text: nothing in it is run as a command.
"""

from __future__ import annotations

import secrets

from avtalsregler.cli.reports.outcomes import Outcome

LEVELS = {"error": "error", "warning": "warning", "notice": "notice"}


def escape(text: str, prop: bool = False) -> str:
    """``text`` as the data (``prop=False``) or a property value (``prop=True``) of a workflow
    command."""
    text = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def command(name: str, message: str, **props: object) -> str:
    """One workflow command line, e.g. ``::error file=a.yaml,line=3::message``; properties
    whose value is ``None`` are left out."""
    if not name.replace("-", "").isalpha():
        raise ValueError(f"not a workflow command name: {name!r}")
    given = [f"{k}={escape(v, prop=True)}" for k, v in props.items() if v is not None]
    return f"::{name}{' ' + ','.join(given) if given else ''}::{escape(message)}"


def annotation(o: Outcome) -> str:
    level = LEVELS.get(o.level, "error") if not o.ok or o.kind == "finding" else "notice"
    if o.status == "error":
        level = "error"
    w = o.where
    message = "\n".join([o.message or f"{o.kind} {o.name}", *o.detail])
    return command(level, message, file=w.path if w else None, line=w.line if w else None,
                   col=w.col if w else None, title=o.title)


def annotations(outcomes: list[Outcome]) -> list[str]:
    return [annotation(o) for o in outcomes if o.shown]


def verbatim(lines: list[str]) -> list[str]:
    """``lines`` framed so that the runner runs no command in them."""
    token = secrets.token_hex(16)
    return [f"::stop-commands::{token}", *lines, f"::{token}::"]


# -- the job summary ------------------------------------------------------------------------------

def cell(text: object) -> str:
    """Text for one cell of a Markdown table: no line breaks, no table syntax, no HTML."""
    s = " ".join(str(text).split())
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("`", "\\`"), ("[", "\\["),
                 ("]", "\\]"), ("*", "\\*"), ("_", "\\_")):
        s = s.replace(a, b)
    return s


STATUS_SV = {"passed": "godkänd", "failed": "underkänd", "error": "felaktig indata"}
KIND_SV = {"example": "exempel", "grounded": "parameter i texten", "tension": "spänning", "finding": "fynd",
           "input": "indata", "invariant": "invariant", "consistent": "förenliga antaganden",
           "defined": "definierad", "satisfiable": "uppfyllbara krav", "lemma": "hjälpsats"}


def message_sv(o: Outcome) -> str:
    """The Swedish sentence for an outcome (the summary is one language): its own Swedish
    message where it has one, else what failed and where the annotation with the details is."""
    if o.message_sv:
        return o.message_sv
    if o.kind == "finding":       # an amendment's findings are written in Swedish already
        return o.message
    return (f"{KIND_SV.get(o.kind, o.kind)} {o.name}: {STATUS_SV[o.status]}; detaljerna står i "
            f"anteckningen på {o.where or o.suite}")


def summary(title: str, outcomes: list[Outcome], totals: str) -> str:
    """A Markdown job summary: a verdict line, the counts per suite and a table of everything
    that did not pass (Swedish: the summary is read by the agreement's owners)."""
    bad = [o for o in outcomes if not o.ok]
    mark = "✅" if not bad else "❌"
    lines = [f"## {mark} {cell(title)}", "", cell(totals), ""]
    suites: dict[str, list[Outcome]] = {}
    for o in outcomes:
        suites.setdefault(o.suite, []).append(o)
    lines += ["| del | godkända | underkända |", "|---|---:|---:|"]
    lines += [f"| {cell(s)} | {sum(o.ok for o in os_)} | {sum(not o.ok for o in os_)} |"
              for s, os_ in suites.items()]
    if bad:
        lines += ["", "| var | vad | resultat | meddelande |", "|---|---|---|---|"]
        lines += [f"| {cell(o.where or o.suite)} | {cell(KIND_SV.get(o.kind, o.kind) + ' ' + o.name)} | {STATUS_SV[o.status]} "
                  f"| {cell(message_sv(o))} |" for o in bad]
    notes = [o for o in outcomes if o.ok and o.shown]
    if notes:
        lines += ["", "**Noteringar**", ""] + [f"- {cell(message_sv(o))}" for o in notes]
    return "\n".join(lines) + "\n"
