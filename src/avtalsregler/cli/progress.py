"""Progress while clauses are checked: a live line on standard error when it is a terminal,
nothing otherwise (standard output stays the report; ``--format json`` etc. get nothing
extra). Used as the ``on_clause`` callback of ``check_project`` / ``check_amendment`` /
``docs``."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, what: str, enabled: bool | None = None, stream=None, on_finish=None):
        self.stream = stream or sys.stderr
        self.on_finish = on_finish            # called once the last clause is done, shown or not
        self.what = what
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.t0 = time.perf_counter()
        self.shown = False

    def __call__(self, result, done: int, total: int) -> None:
        """One clause is done (``result`` is its ``ClauseResult``), ``done`` of ``total``."""
        if done >= total and self.on_finish is not None:
            self.done()
            self.on_finish()
            self.on_finish = None
            return
        if not self.enabled:
            return
        mark = "ok" if result.ok else "FAILED"
        line = (f"{self.what}: {done}/{total} clauses, last {result.clause.id} {mark} "
                f"({result.seconds:.1f} s), {time.perf_counter() - self.t0:.1f} s")
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        """Clear the live line (before the report is printed)."""
        if self.enabled and self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False
