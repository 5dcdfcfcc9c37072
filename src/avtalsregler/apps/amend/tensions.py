"""The tensions of the text (``prover/tensions.py``) before and after an amendment: one that no
reading addresses after it (or whose obligation is undecided) is an error; one that appears,
disappears or changes status is a notice."""

from __future__ import annotations

from typing import Callable

from avtalsregler.prover.tensions import NONE, headline


def compare_tensions(report, runs_before: dict, runs_after: dict, mapped: Callable) -> None:
    for cid, run in runs_after.items():
        old = {t.name: t for t in runs_before[cid].tensions} if cid in runs_before else {}
        for t in run.tensions:
            t0 = old.get(t.name)
            was = t0.status if t0 is not None else None
            if not t.ok:
                detail = [f"{k} = {v}" for k, v in t.inputs.items()]
                detail.append(f"hint: name the reading that resolves it with 'tension:' on {t.definition!r}, "
                              "or change the rule")
                report.add("error", "tension", f"{headline(t)} ({t.status}"
                           + (f", was {was}" if was and was != t.status else "") + ") after the amendment",
                           mapped(t.span), detail)
            elif was != t.status and not (was is None and t.status == NONE):
                report.add("notice", "tension", f"tension obligation {t.name!r} of {cid}: "
                           f"{was or 'not checked'} → {t.status} after the amendment", mapped(t.span))
