"""``avtalsregler amend check|apply FILE``: validate an amendment, or write it into the project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from avtalsregler.errors import AvtalsreglerError, DataError, Span


def register(sub) -> None:
    p = sub.add_parser("amend", help="check or apply an amendment (amendments/*.yaml)",
                       description="Check a proposed amendment of the agreement against the rules and specs, "
                                   "or apply it to the project's files.")
    inner = p.add_subparsers(dest="amend_command", metavar="ACTION", parser_class=type(p))
    c = inner.add_parser("check", help="apply the amendment to a copy, re-verify and report",
                         description="Apply the amendment in a temporary copy of the project (rules/ is never "
                                     "touched), re-run every affected example and proof, and report what changed. "
                                     "Exit 0 when everything holds, 1 when a guarantee breaks or the procedure "
                                     "is not met, 2 for a malformed amendment.")
    c.add_argument("file", metavar="FILE", nargs="+", help="amendment file(s), e.g. amendments/tak.yaml")
    c.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="github: GitHub workflow annotations (::error file=…,line=…::…) plus the text report")
    c.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="solver timeout per obligation (default 30); a timeout is not a pass")
    c.add_argument("--keep", metavar="DIR", help="keep the amended copy of the project in DIR (new or empty)")
    c.set_defaults(run=run_check)
    a = inner.add_parser("apply", help="write the amendment into rules/, specs/, readings/ and agreement/",
                         description="Write the amended rules, specs, readings and agreement text as ordinary "
                                     "file changes (see them with git diff). Refuses to run outside a git work "
                                     "tree or on one with uncommitted changes, unless --force.")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--force", action="store_true", help="run even outside git or with uncommitted changes")
    a.set_defaults(run=run_apply)
    p.set_defaults(run=lambda args: (p.print_help(), 2)[1])


# -- check ---------------------------------------------------------------------------------------

def run_check(args) -> int:
    from avtalsregler.apps.amend.report import check_amendment

    if args.keep and len(args.file) > 1:
        raise DataError("--keep takes one amendment file", None, "check the files one at a time")
    worst = 0
    reports = []
    for f in args.file:
        try:
            report = check_amendment(args.root, f, args.timeout, args.keep)
        except AvtalsreglerError as exc:
            if args.format == "github":
                print(annotation("error", exc.span, exc.message + (f"\nhint: {exc.hint}" if exc.hint else "")))
            print(exc.format(), file=sys.stderr)
            worst = max(worst, 2)
            continue
        worst = max(worst, report.exit_code)
        reports.append(report)
        if args.format == "json":
            continue
        if args.format == "github":
            for fd in report.findings:
                print(annotation(fd.severity, fd.where, fd.message + "".join("\n" + d for d in fd.detail),
                                 default_file=report.amendment.path))
        print_text(report)
    if args.format == "json":
        data = [r.as_json() for r in reports]
        print(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
    return worst


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def annotation(severity: str, where: Span | None, message: str, default_file: str | None = None) -> str:
    """One GitHub Actions workflow command: ``::error file=F,line=L,col=C::message``."""
    level = {"error": "error", "warning": "warning"}.get(severity, "notice")
    props = []
    if where is not None:
        props += [f"file={_escape(where.path, True)}", f"line={where.line}", f"col={where.col}"]
    elif default_file:
        props.append(f"file={_escape(default_file, True)}")
    return f"::{level} {','.join(props)}::{_escape(message)}" if props else f"::{level}::{_escape(message)}"


def print_text(report) -> None:
    from avtalsregler.cli.amend_text import print_report

    print_report(report)


# -- apply ---------------------------------------------------------------------------------------

def run_apply(args) -> int:
    from avtalsregler.apps.amend.amendment import load_amendment
    from avtalsregler.apps.amend.apply import Applier, agreement_clauses, write_applied

    root = Path(args.root)
    if not args.force:
        _require_clean_git(root)
    amendment = load_amendment(args.file, agreement_clauses(root))
    applied = Applier(amendment, root).apply()
    for clause, why, where in applied.skipped:
        print(f"{where}: note: {why}", file=sys.stderr)
    write_applied(applied, root)
    for rel in sorted(applied.files):
        print(f"{'created' if rel in applied.created else 'changed'} {rel}")
    print(f"applied {amendment.id}; review with 'git diff', then run 'avtalsregler check'")
    return 0


def _require_clean_git(root: Path) -> None:
    try:
        r = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DataError(f"cannot run git: {exc}", None, "install git, or pass --force to apply anyway") from None
    if r.returncode != 0:
        raise DataError(f"{root} is not inside a git work tree", None,
                        "apply writes files in place; commit the project to git first, or pass --force")
    if r.stdout.strip():
        first = r.stdout.strip().splitlines()[:5]
        raise DataError("the work tree has uncommitted changes: " + "; ".join(x.strip() for x in first), None,
                        "commit or stash them first so the amendment's changes can be reviewed and undone, "
                        "or pass --force")
