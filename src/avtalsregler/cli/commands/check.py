"""``avtalsregler check``: run every spec's examples and proofs."""

from __future__ import annotations

import json
import time

from avtalsregler.cli import reports
from avtalsregler.cli.progress import Progress
from avtalsregler.cli.reports.outcomes import from_check, from_error
from avtalsregler.errors import AvtalsreglerError
from avtalsregler.prover.results import PROVED
from avtalsregler.cli.output import seconds
from avtalsregler.cli.proving import proving_options, use_proving_options

# Z3, the prover and the loader are imported where they are used: a check answered by the
# whole-check memo (prover/memo.py, cli/memoized.py) loads none of them.


def register(sub) -> None:
    p = sub.add_parser("check", help="run every example and prove every invariant",
                       description="Run every spec's examples and prove every invariant and generated "
                                   "obligation with Z3. Exit 0 when all hold, 1 when anything fails or is "
                                   "unknown, 2 for bad input files.")
    p.add_argument("--clause", action="append", metavar="§N", help="only this clause (repeatable), written as in its heading")
    reports.add_options(p)
    p.add_argument("--timeout", type=seconds, default=30.0, metavar="SECONDS",
                   help="solver timeout per obligation (default 30); a timeout is not a pass")
    p.add_argument("--rules", metavar="DIR", help="rule folder (default ROOT/rules)")
    p.add_argument("--specs", metavar="DIR", help="spec folder (default ROOT/specs)")
    proving_options(p)
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="check the version of the agreement in force on this day "
                   "(default: the current files)")
    p.add_argument("--all-versions", action="store_true",
                   help="check every version (amendments/applied/): each rebuilt, each amendment replayed "
                        "against its recorded hashes, then its examples and proofs")
    p.set_defaults(run=run)


def run(args) -> int:
    if args.all_versions or args.as_of:
        return run_versions(args)
    from avtalsregler.cli.memoized import memo_for, replay

    t0 = time.perf_counter()
    memo = memo_for(args, "check")
    if memo is not None and (code := replay(memo, t0)) is not None:
        return code
    from avtalsregler.project.load import load_project
    from avtalsregler.project.inputs import recording

    with recording() as reads:
        try:
            project = load_project(args.root, args.rules, args.specs)
            wanted = _wanted(project, args.clause)
        except AvtalsreglerError as exc:
            reports.emit_error(args, exc, from_error(exc, "check", args.root), category="check",
                               title="avtalsregler check: felaktig indata")
            raise
        progress = Progress("check", None if args.format == "text" else False)
        results = _prove(args, project, wanted, progress)
        progress.done()
    total = time.perf_counter() - t0
    code = 0 if all(r.ok for r in results) else 1
    reports.write(_outputs(args, results, project.readings, total))
    if memo is not None and memoizable(results):
        from avtalsregler.cli.memoized import captured, remember

        again = as_rerun(results)
        remember(memo, reads, lambda total: captured(lambda: _outputs(args, again, project.readings, total)), code)
    return code


def _outputs(args, results, readings, total: float) -> list:
    from avtalsregler.prover.check import summary

    ok = all(r.ok for r in results)
    return reports.render(args, from_check(results, args.root), category="check",
                          title="avtalsregler check: " + ("allt håller" if ok else "fel hittade"),
                          totals=totals_sv(summary(results), total), ok=ok, data=as_json(results, total),
                          text=lambda: text_lines(results, total, readings))


def memoizable(results) -> bool:
    """A check the memo may keep: nothing unknown (a solver that gave up may not give up
    next time)."""
    return all(p.status != "unknown" for r in results for p in r.proofs) and \
        all(t.status != "unknown" for r in results for t in r.tensions)


def as_rerun(results) -> list:
    """The results as the same check again shows them: an obligation whose every answer is
    in the proof cache now is shown as taken from it."""
    import dataclasses

    return [dataclasses.replace(r, proofs=[dataclasses.replace(p, cached=p.cached or p.stored) for p in r.proofs],
                                tensions=[dataclasses.replace(t, cached=t.cached or t.stored) for t in r.tensions])
            for r in results]


def _prove(args, project, wanted, on_clause=None) -> list:
    from avtalsregler.prover.check import check_project

    cache = use_proving_options(args)
    results = check_project(project, wanted or None, args.timeout, on_clause=on_clause)
    if cache:
        cache.prune()
    return results


def run_versions(args) -> int:
    from avtalsregler.apps.amend.versions import in_force, in_project, project_of, replay_mismatches, versions
    from avtalsregler.cli.commands import date_option
    from avtalsregler.errors import DataError

    if args.rules or args.specs:
        raise DataError("--rules/--specs cannot be combined with --as-of or --all-versions", None,
                        "the versions are rebuilt from the project's own folders")
    if args.format not in ("text", "json"):
        raise DataError(f"--format {args.format} cannot be combined with --as-of or --all-versions", None,
                        "use --format text or --format json")
    vs = versions(args.root)
    chosen = vs if args.all_versions else [in_force(vs, date_option(args.as_of, "--as-of"))]
    worst = 0
    docs = []
    for v in chosen:
        bad = replay_mismatches(args.root, v.number) if v.number else []
        if args.format == "text":
            print(f"== version {v.number}: {v.label}" + ("  (gällande filer)" if v.latest else "") + " ==")
            for b in bad:
                print(f"error: replaying {v.record.stem} does not give the files it wrote: {b}")
        code = run_one(args, project_of(args.root, v), docs)
        docs[-1:] = [{"version": v.as_json(), "replay_mismatches": bad, **in_project(args.root, docs[-1])}] if docs else []
        worst = max(worst, code, 1 if bad else 0)
    if args.format == "json":
        print(json.dumps({"ok": worst == 0, "versions": docs}, ensure_ascii=False, indent=2))
    return worst


def run_one(args, project, collect: list) -> int:
    """One version checked; its JSON appended to ``collect``, its text printed."""
    t0 = time.perf_counter()
    wanted = _wanted(project, args.clause)
    results = _prove(args, project, wanted)
    total = time.perf_counter() - t0
    collect.append(as_json(results, total))
    if args.format == "text":
        print("\n".join(text_lines(results, total, project.readings)))
    return 0 if all(r.ok for r in results) else 1


def _wanted(project, clauses) -> list[str]:
    from avtalsregler.errors import DataError

    wanted = [c if c.startswith("§") else f"§{c}" for c in (clauses or [])]
    for c in wanted:
        if c not in project.clauses:
            raise DataError(f"no rule file encodes {c}", None,
                            "clauses with rules: " + ", ".join(x.id for x in project.ordered()))
    return wanted


def _n(n: int, one: str, many: str) -> str:
    """A count with its Swedish noun or participle in singular or plural."""
    return f"{n} {one if n == 1 else many}"


def totals_sv(s: dict, total: float) -> str:
    """The counts, in Swedish, for the job summary (decimal comma in the seconds)."""
    from avtalsregler.cli import tensions as tension_text

    return (f"{_n(s['proved'], 'bevisad', 'bevisade')}, {s['counterexamples']} motexempel, "
            f"{_n(s['unknown'], 'okänd', 'okända')}; "
            f"{s['examples_passed']} exempel {'godkänt' if s['examples_passed'] == 1 else 'godkända'}, "
            f"{_n(s['examples_failed'], 'underkänt', 'underkända')}; "
            f"{_n(s['parameters_grounded'], 'parameter grundad', 'parametrar grundade')} i texten, "
            f"{s['parameters_not_grounded']} inte; "
            f"{tension_text.summary_sv(s)}; "
            f"{_n(s['clauses'], 'paragraf', 'paragrafer')} på {total:.2f} s".replace(".", ","))


def as_json(results: list, total: float) -> dict:
    from avtalsregler.cli import tensions as tension_text
    from avtalsregler.prover.check import summary

    return {
        "ok": all(r.ok for r in results),
        "seconds": round(total, 3),
        "summary": summary(results),
        "clauses": [{
            "clause": r.clause.id,
            "title": r.clause.title,
            "rule": r.clause.path,
            "ok": r.ok,
            "seconds": round(r.seconds, 3),
            "grounded": [g.as_json() for g in r.grounded],
            "examples": [{"name": e.name, "ok": e.ok, "message": e.message, "where": str(e.span)}
                         for e in r.examples],
            "proofs": [{"name": p.name, "kind": p.kind, "status": p.status, "seconds": round(p.seconds, 4),
                        "from_cache": p.cached,
                        "where": str(p.span) if p.span else None, "reason": p.reason, "detail": p.detail,
                        "inputs": p.inputs, "outputs": p.outputs, "replay": p.replay}
                       for p in r.proofs],
            "tensions": [tension_text.as_json(t) for t in r.tensions],
        } for r in results],
    }


def _line(kind: str, name: str, status: str, extra: str = "") -> str:
    return f"  {kind:<11} {name:<44} {status:<15} {extra}".rstrip()


def text_lines(results: list, total: float, readings: dict | None = None) -> list[str]:
    from avtalsregler.cli import tensions as tension_text
    from avtalsregler.prover.check import summary

    lines: list[str] = []
    out = lines.append
    failures: list[str] = []
    notes: list[str] = []
    for r in results:
        spec = "" if r.has_spec else "  (no spec)"
        out(f"{r.clause.id} {r.clause.title}  [{r.clause.path}]{spec}")
        for g in r.grounded:
            out(_line("grounded", g.name, "ok" if g.ok else "FAILED"))
            if not g.ok:
                failures.append(describe_grounding(g))
        for e in r.examples:
            out(_line("example", e.name, "ok" if e.ok else "FAILED"))
            if not e.ok:
                msg = [f"{e.span}: error: example {e.name!r} of {r.clause.id} fails"]
                msg += [f"  {n}: expected {w}, got {g}  ({sp})" for n, w, g, sp in e.mismatches]
                if e.message and not e.mismatches:
                    msg.append(f"  {e.message}")
                failures.append("\n".join(msg))
        for p in r.proofs:
            status = p.status if p.status == PROVED else p.status.upper()
            out(_line(p.kind, p.name, status, "from cache" if p.cached else f"{p.seconds:.3f} s"))
            if p.status != PROVED:
                failures.append(describe_failure(p))
        for t in r.tensions:
            out(_line("tension", t.name, tension_text.status_text(t), "from cache" if t.cached else f"{t.seconds:.3f} s"))
            if t.found is not False:
                (notes if t.ok else failures).append(tension_text.describe(t, readings or {}))
    s = summary(results)
    out("")
    for f in notes + failures:  # on stdout, after the table, so that they read in order
        out(f)
        out("")
    verdict = "OK" if not failures else "FAILED"
    out(f"{verdict}: {s['proved']} proved, {s['counterexamples']} counterexamples, {s['unknown']} unknown; "
        f"{s['examples_passed']} examples passed, {s['examples_failed']} failed; "
        f"{s['parameters_grounded']} parameters grounded, {s['parameters_not_grounded']} not; "
        f"{tension_text.summary_text(s)}; "
        f"{s['clauses']} clauses in {total:.2f} s")
    return lines


def describe_grounding(g) -> str:
    lines = [f"{g.span}: error: parameter {g.name!r} of {g.clause} is not grounded in its words: {g.message}",
             f"  words: {g.words!r}", f"  value: {g.value}",
             f"  the words state: {', '.join(g.states) if g.states else 'no value'}"]
    if g.means is not None:
        lines.append(f"  means: {g.means!r}")
    lines.append("  hint: make the value what the words state, or name the reading and say with 'means' "
                 "what it makes of the words")
    return "\n".join(lines)


def describe_failure(p) -> str:
    what = {"counterexample": "has a counterexample", "unknown": "is not proved (unknown)"}[p.status]
    lines = [f"{p.span}: error: {p.kind} {p.name!r} of {p.clause} {what}"]
    if p.reason:
        lines.append(f"  reason: {p.reason}")
    if p.detail:
        lines.append(f"  {p.detail}")
    if p.inputs:
        lines.append("  inputs:")
        lines += [f"    {k} = {v}" for k, v in p.inputs.items()]
    if p.outputs:
        lines.append("  computed:")
        lines += [f"    {k} = {v}" for k, v in p.outputs.items()]
    if p.replay and p.kind == "invariant":
        import yaml

        snippet = yaml.safe_dump([{"name": f"motexempel_{p.name}", "given": p.replay, "holds": [p.name]}],
                                 allow_unicode=True, sort_keys=False, width=100)
        lines.append("  replay: add this under 'examples:' in the spec to keep it as a test:")
        lines += ["    " + ln for ln in snippet.rstrip().split("\n")]
    if p.status == "unknown":
        lines.append("  hint: raise --timeout, add an assumption, or split the invariant; unknown never counts as proved")
    return "\n".join(lines)
