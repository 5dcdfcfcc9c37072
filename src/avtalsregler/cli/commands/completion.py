"""``avtalsregler completion bash|zsh``: a shell completion script (made by shtab from the
command line's own parser, so it always knows every command and option)."""

from __future__ import annotations

SHELLS = ("bash", "zsh")


def register(sub) -> None:
    p = sub.add_parser("completion", help="print a shell completion script (bash or zsh)",
                       description="Print a completion script for bash or zsh. Install it with, for bash: "
                                   "avtalsregler completion bash > ~/.local/share/bash-completion/completions/"
                                   "avtalsregler; for zsh: avtalsregler completion zsh > \"${fpath[1]}/_avtalsregler\".")
    p.add_argument("shell", choices=SHELLS)
    p.set_defaults(run=run)


def run(args) -> int:
    import shtab

    from avtalsregler.cli.main import build_parser

    print(shtab.complete(build_parser(), shell=args.shell), end="")
    return 0
