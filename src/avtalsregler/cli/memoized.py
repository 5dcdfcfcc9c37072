"""A command answered by the whole-check memo (:mod:`avtalsregler.prover.memo`): ``check`` and
``amend check``. :func:`memo_for` gives the memo and the head of this command with these
options; :func:`replay` writes a stored result (standard output, standard error and the files
besides, the total time and GitHub's stop token anew); :func:`remember` stores what a run wrote,
rendered twice with two sentinel totals so that only the total is left open."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

# what cannot change a check's result or its output: not part of the head
IGNORED = ("run", "jobs", "no_cache")


def memo_for(args, command: str):
    """``(Memo, head)``, or ``None`` with ``--no-cache`` or without a cache folder."""
    if getattr(args, "no_cache", False):
        return None
    from avtalsregler.prover.cachedir import cache_folder
    from avtalsregler.prover.memo import Memo

    folder = cache_folder(args.root)
    if folder is None:
        return None
    memo = Memo(folder)
    options = {k: v for k, v in sorted(vars(args).items()) if k not in IGNORED}
    return memo, memo.head(command, options)


def replay(memo, t0: float) -> int | None:
    """The stored result written again (its exit code), or ``None`` when there is none."""
    body = memo[0].lookup(memo[1])
    if body is None:
        return None
    from avtalsregler.prover.memo import fill

    total = time.perf_counter() - t0
    texts = [(o, fill(o, total)) for o in body["outputs"]]
    for o, text in texts:
        if o["dest"] is None:
            (sys.stderr if o.get("stream") == "stderr" else sys.stdout).write(text)
            (sys.stderr if o.get("stream") == "stderr" else sys.stdout).flush()
    for o, text in texts:
        if o["dest"] is not None:
            with Path(o["dest"]).open("a" if o["append"] else "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
    return body["code"]


class _Stream:
    def __init__(self, name: str, chunks: list):
        self.name, self.chunks = name, chunks

    def write(self, text: str) -> int:
        self.chunks.append((self.name, text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def captured(render: Callable[[], list]) -> list[tuple[str | None, str, bool, str]]:
    """What ``render()`` prints (standard output and error, in order) and returns
    (``(file or None, text, append)``, as ``reports.render``): ``(dest, text, append, stream)``,
    the printed first, then standard output, then the files."""
    chunks: list[tuple[str, str]] = []
    with contextlib.redirect_stdout(_Stream("stdout", chunks)), contextlib.redirect_stderr(_Stream("stderr", chunks)):
        rendered = render()
    merged: list[list] = []
    for stream, text in chunks:              # consecutive writes to one stream as one output
        if merged and merged[-1][0] == stream:
            merged[-1][1] += text
        else:
            merged.append([stream, text])
    out = [(None, text, False, stream) for stream, text in merged]
    out += [(None, text, False, "stdout") for dest, text, _ in rendered if dest is None]
    out += [(dest, text, append, "file") for dest, text, append in rendered if dest is not None]
    return out


def remember(memo, reads, render_with_total: Callable[[float], list], code: int) -> bool:
    """Store what the run wrote: ``render_with_total(total)`` (as :func:`captured` gives it)
    with each sentinel total; nothing is stored when the two differ anywhere else."""
    from avtalsregler.prover.memo import SENTINELS, template

    first, second = (render_with_total(s) for s in SENTINELS)
    if len(first) != len(second):
        return False
    outputs = []
    for (dest, a, append, stream), (dest2, b, _, _) in zip(first, second, strict=True):
        t = template(a, b)
        if t is None or dest != dest2:
            return False
        outputs.append({"dest": dest, "append": append, "stream": stream, **t})
    return memo[0].store(memo[1], reads, outputs, code)
