"""``avtalsregler completion bash|zsh``: a shell completion script (made by shtab from the
command line's own parser, so it always knows every command and option).

``compute NAME``'s options are not in that parser: they are built at run time from the rules'
``computations:`` declarations (see :mod:`avtalsregler.cli.commands.compute`). For the script,
``compute`` is therefore given one sub-command per computation of the project in ``--root``,
each with exactly the options ``compute NAME`` parses, so ``compute ersattning --ann<TAB>``
completes. Where ``--root`` is no project (or its rules do not load), the script is made
without them: every other command still completes, and a note on standard error says why."""

from __future__ import annotations

import argparse
import sys

SHELLS = ("bash", "zsh")


def register(sub) -> None:
    p = sub.add_parser("completion", help="print a shell completion script (bash or zsh)",
                       description="Print a completion script for bash or zsh; the options of "
                                   "'compute NAME' are those of the computations of the project in --root. "
                                   "Install it with, for bash: "
                                   "avtalsregler completion bash > ~/.local/share/bash-completion/completions/"
                                   "avtalsregler; for zsh: avtalsregler completion zsh > \"${fpath[1]}/_avtalsregler\".")
    p.add_argument("shell", choices=SHELLS)
    p.set_defaults(run=run)


def run(args) -> int:
    import shtab

    parser, note = completion_parser(args.root)
    if note:
        print(f"note: {note}", file=sys.stderr)
    print(shtab.complete(parser, shell=args.shell), end="")
    return 0


def completion_parser(root: str) -> tuple[argparse.ArgumentParser, str | None]:
    """The command line's parser with ``compute``'s computations of the project in ``root`` as
    sub-commands (for completion only: ``main`` parses ``compute NAME`` in two steps), and a
    note when they could not be added."""
    from avtalsregler.apps.compute import computations
    from avtalsregler.cli.commands import compute
    from avtalsregler.cli.main import build_parser
    from avtalsregler.errors import AvtalsreglerError
    from avtalsregler.project.load import load_project

    parser = build_parser()
    try:
        found = computations(load_project(root))
    except (AvtalsreglerError, OSError) as exc:
        first = str(getattr(exc, "message", exc)).splitlines()[0] if str(exc) else type(exc).__name__
        return parser, f"'compute NAME' options are left out: the project in {root!r} does not load ({first})"
    if not found:
        return parser, None
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    old = commands.choices["compute"]
    new = argparse.ArgumentParser(prog=old.prog, description=old.description)
    names = new.add_subparsers(dest="computation", metavar="NAME")
    for comp in found:
        names.add_parser(comp.name, help=f"{comp.clause}: {comp.help}", add_help=False,
                         parents=[compute.build_parser(comp)])
    commands.choices["compute"] = new     # same name and help; shtab follows choices to the parser
    return parser, None
