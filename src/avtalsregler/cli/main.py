"""The command line. The only module that prints or chooses exit codes.

Exit codes: 0 everything holds; 1 a check failed (counterexample, unknown, failing example);
2 bad input (a malformed file or a bad command-line value). Sub-commands live in
:mod:`avtalsregler.commands`, one module each, with ``register(subparsers)`` and ``run(args)``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from avtalsregler import __version__
from avtalsregler.errors import AvtalsreglerError

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors: same shape as ours, exit 2
        self.print_usage(sys.stderr)
        # the full command ('avtalsregler amend check'), so that the hint names a command that exists
        sys.stderr.write(f"avtalsregler: error: {message}\n  hint: see '{self.prog} --help'\n")
        sys.exit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="avtalsregler",
                     description="Rules as code for an agreement: executable rules, specs proved with Z3, "
                                 "and a documentation site, read from a project folder (--root).")
    parser.add_argument("--version", action="version", version=f"avtalsregler {__version__}")
    parser.add_argument("--root", default=".", help="project folder with rules/, specs/ and agreement/ (default: .)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    from avtalsregler.cli import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
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
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:       # an unknown option of a sub-command: say so with that command's usage and hint
        _innermost(parser, args).error(f"unrecognized arguments: {' '.join(extra)}")
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return args.run(args)
    except AvtalsreglerError as exc:
        print(exc.format(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("avtalsregler: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
