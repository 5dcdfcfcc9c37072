"""Reports for CI tools, shared by ``check`` and ``amend check``: the ``--format`` written to
standard output, and the extra files one run can write besides (``--sarif``, ``--junit``,
``--json``, ``--summary``), so that every proof runs once whatever is asked for.

:mod:`.outcomes` flattens results into outcomes; :mod:`.github`, :mod:`.sarif` and
:mod:`.junit` write them."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from avtalsregler.cli.reports import github, junit, sarif
from avtalsregler.cli.reports.outcomes import Outcome

FORMATS = ("text", "json", "github", "sarif", "junit")


def add_options(p) -> None:
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="standard output: text (for reading), json (the data; errors too), github "
                        "(workflow annotations, then the text), sarif (SARIF 2.1.0 for code scanning), "
                        "junit (JUnit XML for test reporters)")
    p.add_argument("--sarif", metavar="FILE", help="also write SARIF 2.1.0 to FILE (same run)")
    p.add_argument("--junit", metavar="FILE", help="also write JUnit XML to FILE (same run)")
    p.add_argument("--json", dest="json_file", metavar="FILE", help="also write the JSON report to FILE (same run)")
    p.add_argument("--summary", metavar="FILE",
                   help="append a Markdown summary to FILE (in GitHub Actions: \"$GITHUB_STEP_SUMMARY\")")


def error_json(exc) -> dict:
    """A bad input (exit 2) as JSON: every error with its place and hint."""
    errors = getattr(exc, "errors", None) or [exc]
    return {"ok": False, "exit_code": 2,
            "errors": [{"severity": "error", "message": e.message, "file": e.span.path if e.span else None,
                        "line": e.span.line if e.span else None, "col": e.span.col if e.span else None,
                        "hint": e.hint} for e in errors]}


def _write(path: str, text: str, append: bool = False) -> None:
    with Path(path).open("a" if append else "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def emit(args, outcomes: list[Outcome], *, category: str, title: str, totals: str, ok: bool,
         data: object, text: Callable[[], list[str]]) -> None:
    """Write the requested format to standard output and the extra files. ``data`` is the JSON
    report; ``text`` gives the human report's lines (called only when they are wanted)."""
    write(render(args, outcomes, category=category, title=title, totals=totals, ok=ok, data=data, text=text))


def render(args, outcomes: list[Outcome], *, category: str, title: str, totals: str, ok: bool,
           data: object, text: Callable[[], list[str]]) -> list[tuple[str | None, str, bool]]:
    """What :func:`emit` writes: ``(file or None for standard output, text, append)``, in order."""
    fmt = args.format
    out: list[tuple[str | None, str, bool]] = []
    if fmt == "json":
        out.append((None, json.dumps(data, ensure_ascii=False, indent=2) + "\n", False))
    elif fmt == "sarif":
        out.append((None, sarif.dumps(outcomes, category, ok), False))
    elif fmt == "junit":
        out.append((None, junit.junit(outcomes, f"avtalsregler {category}"), False))
    elif fmt == "github":
        lines = github.annotations(outcomes) + github.verbatim(text())
        out.append((None, "\n".join(lines) + "\n", False))
    else:
        lines = text()
        if lines:
            out.append((None, "\n".join(lines) + "\n", False))
    if args.sarif:
        out.append((args.sarif, sarif.dumps(outcomes, category, ok), False))
    if args.junit:
        out.append((args.junit, junit.junit(outcomes, f"avtalsregler {category}"), False))
    if args.json_file:
        out.append((args.json_file, json.dumps(data, ensure_ascii=False, indent=2) + "\n", False))
    if args.summary:
        out.append((args.summary, github.summary(title, outcomes, totals), True))
    return out


def write(outputs: list[tuple[str | None, str, bool]]) -> None:
    """Write what :func:`render` gave: standard output first (flushed), then the files."""
    for dest, text, _ in outputs:
        if dest is None:
            sys.stdout.write(text)
    sys.stdout.flush()
    for dest, text, append in outputs:
        if dest is not None:
            _write(dest, text, append)


def emit_error(args, exc, outcomes: list[Outcome], *, category: str, title: str) -> None:
    """A bad input in the formats asked for; the caller re-raises, so that the command line
    prints the error (as JSON on standard output in ``--format json``) and exits 2."""
    fmt = args.format
    if fmt == "sarif":
        sys.stdout.write(sarif.dumps(outcomes, category, False))
    elif fmt == "junit":
        sys.stdout.write(junit.junit(outcomes, f"avtalsregler {category}"))
    elif fmt == "github":
        sys.stdout.write("\n".join(github.annotations(outcomes)) + "\n")
    sys.stdout.flush()
    if args.sarif:
        _write(args.sarif, sarif.dumps(outcomes, category, False))
    if args.junit:
        _write(args.junit, junit.junit(outcomes, f"avtalsregler {category}"))
    if args.json_file:
        _write(args.json_file, json.dumps(error_json(exc), ensure_ascii=False, indent=2) + "\n")
    if args.summary:
        _write(args.summary, github.summary(title, outcomes, "felaktig indata: rättas innan något kan bevisas"),
               append=True)
