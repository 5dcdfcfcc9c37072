"""``avtalsregler amend check|apply FILE``: validate an amendment, or write it into the project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from avtalsregler.cli.output import seconds
from avtalsregler.cli import reports
from avtalsregler.cli.progress import Progress
from avtalsregler.cli.reports.outcomes import from_amendment, from_error
from avtalsregler.cli.proving import proving_options, use_proving_options
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
    reports.add_options(c)
    c.add_argument("--timeout", type=seconds, default=30.0, metavar="SECONDS",
                   help="solver timeout per obligation (default 30); a timeout is not a pass")
    c.add_argument("--keep", metavar="DIR", help="keep the amended copy of the project in DIR (new or empty)")
    proving_options(c)
    c.set_defaults(run=run_check)
    a = inner.add_parser("apply", help="write the amendment into rules/, specs/, readings/ and agreement/",
                         description="Write the amended rules, specs, readings and agreement text as ordinary "
                                     "file changes (see them with git diff). Refuses to run outside a git work "
                                     "tree or on one with uncommitted changes, unless --force.")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--force", action="store_true", help="run even outside git or with uncommitted changes")
    a.set_defaults(run=run_apply)
    r = inner.add_parser("revert", help="undo the last applied amendment, byte for byte",
                         description="Undo the last amendment 'amend apply' applied: every file it changed is "
                                     "restored byte for byte from amendments/applied/, the amendment file goes "
                                     "back where it came from and its record is removed. Refuses when a file "
                                     "changed since, or (unless --force) on a dirty git work tree.")
    r.add_argument("--force", action="store_true", help="run even outside git or with uncommitted changes")
    r.set_defaults(run=run_revert)
    h = inner.add_parser("history", help="list the versions of the agreement (applied amendments)",
                         description="The original agreement and every applied amendment: number, effective "
                                     "date, who agreed and why (amendments/applied/).")
    h.add_argument("--format", choices=("text", "json"), default="text")
    h.set_defaults(run=run_history)
    p.set_defaults(run=lambda args: (p.print_help(), 2)[1])


# -- check ---------------------------------------------------------------------------------------

def run_check(args) -> int:
    import time

    from avtalsregler.cli.memoized import memo_for, replay

    t0 = time.perf_counter()
    memo = memo_for(args, "amend check") if not args.keep else None
    if memo is not None and (code := replay(memo, t0)) is not None:
        return code
    from avtalsregler.apps.amend.report import check_amendment

    if args.keep and len(args.file) > 1:
        raise DataError("--keep takes one amendment file", None, "check the files one at a time")
    reads = _inputs(args) if memo is not None else None
    use_proving_options(args)
    worst = 0
    reports_: list = []           # a report, or (file, error) for a malformed one
    outcomes = []
    for f in args.file:
        progress = Progress(f"amend check {f}", None if args.format == "text" else False)
        try:
            report = check_amendment(args.root, f, args.timeout, args.keep, on_clause=progress)
        except AvtalsreglerError as exc:
            progress.done()
            outcomes += from_error(exc, f, args.root)
            reports_.append((f, exc))
            if args.format not in ("json", "github"):
                print(exc.format(), file=sys.stderr)
            worst = max(worst, 2)
            continue
        progress.done()
        worst = max(worst, report.exit_code)
        reports_.append(report)
        outcomes += from_amendment(report, args.root)
    reports.write(_render(args, reports_, outcomes, worst))
    if memo is not None and worst in (0, 1) and not any(r.gave_up for r in reports_) and reads == _inputs(args):
        from avtalsregler.cli.memoized import captured, remember

        def with_total(total: float) -> list:
            for r in reports_:
                r.seconds = total
            return captured(lambda: _render(args, reports_, outcomes, worst))
        remember(memo, _Reads(reads), with_total, worst)
    return worst


def _render(args, reports_: list, outcomes: list, worst: int) -> list:
    data = [{"file": r[0], **reports.error_json(r[1])} if isinstance(r, tuple) else r.as_json() for r in reports_]
    failed = sum(1 for r in reports_ if isinstance(r, tuple) or r.exit_code)
    return reports.render(args, outcomes, category="amend", ok=worst == 0,
                          title=f"avtalsregler amend check: {len(reports_) - failed} av {len(reports_)} ändringar håller",
                          totals=f"{len(reports_)} ändringsfiler kontrollerade; {failed} med fel",
                          data=data[0] if len(data) == 1 else data,
                          text=lambda: _text(reports_) if args.format == "github" else _print_all(reports_))


# What an amendment check can read: the amendment files and every file of the project's folders
# (the amendments' history among them). The memo compares all of them, not only those read.
INPUT_DIRS = ("agreement", "rules", "specs", "readings", "data", "amendments")


class _Reads:
    def __init__(self, inputs: tuple):
        self.files, self.listings = inputs


def _inputs(args) -> tuple[list, list]:
    import os

    root = Path(args.root)
    files, listings = [], []
    for d in INPUT_DIRS:
        found = sorted((root / d).glob("**/*"))
        listings.append((os.path.abspath(root / d), "**/*", [p.relative_to(root / d).as_posix() for p in found]))
        files += [(os.path.abspath(p), p.read_bytes()) for p in found if p.is_file()]
    files += [(os.path.abspath(f), Path(f).read_bytes()) for f in args.file if Path(f).is_file()]
    return files, listings


def _print_all(reports_: list) -> list[str]:
    for r in reports_:
        if not isinstance(r, tuple):        # a malformed file's error is already on standard error
            print_text(r)
    return []


def _text(reports_: list) -> list[str]:
    """The human report of every file (what :func:`print_text` writes, both streams), as lines."""
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        for r in reports_:
            if isinstance(r, tuple):
                print(r[1].format())
            else:
                print_text(r)
    return buf.getvalue().rstrip("\n").split("\n")


def print_text(report) -> None:
    from avtalsregler.cli.amend_text import print_report

    print_report(report)


# -- apply ---------------------------------------------------------------------------------------

def run_apply(args) -> int:
    from avtalsregler.apps.amend.amendment import load_amendment
    from avtalsregler.apps.amend.apply import Applier, agreement_clauses

    from avtalsregler.apps.amend.history import HISTORY_DIR, record_apply, records
    from avtalsregler.cli.output import now

    root = Path(args.root)
    if not args.force:
        _require_clean_git(root)
    amendment = load_amendment(args.file, agreement_clauses(root))
    done = records(root)
    if done and amendment.effective < done[-1].effective:
        raise DataError(f"{amendment.id} takes effect {amendment.effective.isoformat()}, before "
                        f"{done[-1].stem} ({done[-1].effective.isoformat()}), which is already applied",
                        amendment.effective_span, "revert the later amendment first ('avtalsregler amend revert'), "
                        "or give a date on or after it")
    applied = Applier(amendment, root).apply()
    for clause, why, where in applied.skipped:
        print(f"{where}: note: {why}", file=sys.stderr)
    rec = record_apply(root, Path(args.file), amendment.id, applied.files, now().date())
    for rel in sorted(applied.files):
        print(f"{'created' if rel in applied.created else 'changed'} {rel}")
    print(f"kept the history in {HISTORY_DIR}/{rec.stem}.yaml (takes effect {rec.effective.isoformat()})")
    print(f"applied {amendment.id}; review with 'git diff', then run 'avtalsregler check'")
    return 0


def run_revert(args) -> int:
    from avtalsregler.apps.amend.history import revert_last

    root = Path(args.root)
    if not args.force:
        _require_clean_git(root)
    rec = revert_last(root)
    for fc in rec.files:
        print(f"{'removed' if fc.before is None else 'restored'} {fc.path}")
    print(f"reverted {rec.stem}; {rec.origin} is a proposal again")
    return 0


def run_history(args) -> int:
    from avtalsregler.apps.amend.versions import versions

    vs = versions(args.root)
    if args.format == "json":
        print(json.dumps([{**v.as_json(), **({"agreed_by": list(v.record.agreed_by), "rationale": v.record.rationale,
                                              "clauses": list(v.record.clauses)} if v.record else {})}
                          for v in vs], ensure_ascii=False, indent=2))
        return 0
    for v in vs:
        mark = "  (gällande filer)" if v.latest else ""
        print(f"version {v.number}: {v.label}{mark}")
        if v.record:
            print(f"  {v.record.title}; ändrar {', '.join(v.record.clauses)}")
            print(f"  godkänd av: {', '.join(v.record.agreed_by)}")
            print(f"  skäl: {v.record.rationale}")
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
