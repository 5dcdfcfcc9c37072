"""The command line. The only module that prints or chooses exit codes.

Exit codes (the one contract, enforced here): 0 everything holds; 1 a finding (counterexample,
unknown, failing example, failed audit, failed procedure); 2 bad input or usage (a malformed
file, a bad command-line value); 3 an internal error (a bug: one line and a request to report
it, the traceback only with ``--debug``). A crash is never 1. Sub-commands live in
:mod:`avtalsregler.commands`, one module each, with ``register(subparsers)`` and ``run(args)``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys

from avtalsregler.errors import AvtalsreglerError

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
REPORT_TO = "the project's issue tracker"


_json_errors = False     # --format json on the command line: errors are JSON on standard output too


def _wants_json(argv: list[str]) -> bool:
    return "--format=json" in argv or any(a == "--format" and b == "json" for a, b in zip(argv, argv[1:], strict=False))


def _print_json_error(exc: AvtalsreglerError) -> None:
    from avtalsregler.cli.reports import error_json

    sys.stdout.write(json.dumps(error_json(exc), ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors: same shape as ours, exit 2
        hint = f"see '{self.prog} --help'"            # prog is the whole command, e.g. 'avtalsregler amend check'
        if _json_errors:
            _print_json_error(AvtalsreglerError(message, None, hint))
        self.print_usage(sys.stderr)
        sys.stderr.write(f"avtalsregler: error: {message}\n  hint: {hint}\n")
        sys.exit(EXIT_BAD_INPUT)


def _command_of(argv: list[str]) -> str | None:
    """The sub-command ``argv`` runs when that is certain: the first word after only the main
    options (``--debug``, ``--version``, ``--root DIR``) written out in full, and the name of a
    command module. ``None`` otherwise (then every command is registered)."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--debug", "--version") or a.startswith("--root="):
            i += 1
        elif a == "--root":
            i += 2
        elif a.startswith("-"):
            return None
        else:
            from avtalsregler.cli import commands

            names = {m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")}
            return a if a in names else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of the one command ``only`` (the others' modules are
    then not even imported: a command starts faster)."""
    parser = _Parser(prog="avtalsregler",
                     description="Rules as code for an agreement: executable rules, specs proved with Z3, "
                                 "and a documentation site, read from a project folder (--root).")
    parser.add_argument("--version", action="store_true",
                        help="print the tool's version and the version (hash) of the rules in --root")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    parser.add_argument("--root", default=".", help="project folder with rules/, specs/ and agreement/ (default: .)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    from avtalsregler.cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_") or (only is not None and info.name != only):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def _innermost(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The (sub-)command's own parser: its errors and hints name the command in full."""
    while True:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        name = getattr(args, subs[0].dest, None) if subs else None
        if name not in (subs[0].choices if subs else {}):
            return parser
        parser = subs[0].choices[name]


def main(argv: list[str] | None = None) -> int:
    global _json_errors
    given = sys.argv[1:] if argv is None else list(argv)
    _json_errors = _wants_json(given)
    parser = build_parser(_command_of(given))
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:       # an unknown option of a sub-command: say so with that command's usage and hint
            _innermost(parser, args).error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:            # --help, --version (0) and usage errors (2): returned, not raised
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    if args.version:
        from avtalsregler.cli.version import version_text

        print(version_text(args.root))
        return EXIT_OK
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        code = args.run(args)
    except AvtalsreglerError as exc:
        if getattr(args, "format", None) == "json":
            _print_json_error(exc)
        print(exc.format(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("avtalsregler: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:   # a second-stage parser (compute NAME --help, its usage errors): returned
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    except BaseException as exc:  # noqa: BLE001 — every other exception is a bug of ours
        return internal_error(exc, getattr(args, "debug", False))
    if code not in (EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT):
        return internal_error(RuntimeError(f"the command returned the exit code {code!r}"), False)
    return code


def internal_error(exc: BaseException, debug: bool) -> int:
    """An exception that is not bad input: one line, a request to report it, exit 3."""
    if debug:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    first = (str(exc).splitlines() or [""])[0][:200]
    print(f"avtalsregler: internal error: {type(exc).__name__}{': ' + first if first else ''}\n"
          f"  hint: this is a bug in avtalsregler, not in your files; please report it to {REPORT_TO} "
          "with the command you ran" + ("" if debug else " and its output with --debug"), file=sys.stderr)
    return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
