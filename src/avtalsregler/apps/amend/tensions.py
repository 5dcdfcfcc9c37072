"""The tensions of the text (``prover/tensions.py``) before and after an amendment: one that no
reading addresses after it (or whose obligation is undecided) is an error; one that appears,
disappears or changes status is a notice. The findings are in Swedish, as the rest of the
report."""

from __future__ import annotations

from typing import Callable

from avtalsregler.prover.tensions import NONE, OPEN, RESOLVED, UNKNOWN, UNRESOLVED, Tension

STATUS_SV = {NONE: "ingen spänning", RESOLVED: "löst", OPEN: "öppen fråga", UNRESOLVED: "olöst",
             UNKNOWN: "okänd"}


def headline_sv(t: Tension) -> str:
    if t.status == UNKNOWN:
        return f"prövningen {t.name!r} i {t.clause} blev inte avgjord"
    if t.kind == "extent":
        if t.broken:
            what = "kravet" if len(t.broken) == 1 else "kraven"
            words = f" (”{t.words}”)" if t.words else ""
            return (f"rättigheten {t.definition!r} i {t.clause} bryter, utövad så långt som orden säger{words}, "
                    f"{what} {', '.join(t.broken)}")
        return f"rättigheten {t.definition!r} i {t.clause} kan aldrig utövas så långt som orden säger"
    if t.kind == "applicable":
        if t.broken:
            return (f"kravet {t.definition!r} i {t.clause} bryter, uppfyllt när det gäller, "
                    f"{'kravet' if len(t.broken) == 1 else 'kraven'} {', '.join(t.broken)}")
        return f"kravet {t.definition!r} i {t.clause} kan aldrig gälla när beloppen inte är 0 kr"
    if t.kind == "meetable":
        return f"kravet {t.definition!r} i {t.clause} kan aldrig uppfyllas när beloppen inte är 0 kr"
    return f"kravet {t.definition!r} i {t.clause} kan aldrig brytas, så det säger ingenting"


def compare_tensions(report, runs_before: dict, runs_after: dict, mapped: Callable) -> None:
    for cid, run in runs_after.items():
        old = {t.name: t for t in runs_before[cid].tensions} if cid in runs_before else {}
        for t in run.tensions:
            t0 = old.get(t.name)
            was = t0.status if t0 is not None else None
            if not t.ok:
                detail = [f"{k} = {v}" for k, v in t.inputs.items()]
                detail.append(f"hint: ange med 'tension:' på {t.definition!r} den läsning i registret som löser "
                              "spänningen, eller ändra regeln")
                before = f", före ändringen {STATUS_SV.get(was, was)}" if was and was != t.status else ""
                report.add("error", "tension", f"spänning i texten efter ändringen: {headline_sv(t)} "
                           f"({STATUS_SV.get(t.status, t.status)}{before})", mapped(t.span), detail)
            elif was != t.status and not (was is None and t.status == NONE):
                report.add("notice", "tension", f"prövningen {t.name!r} i {cid}: "
                           f"{STATUS_SV.get(was, was) if was else 'inte prövad'} → {STATUS_SV.get(t.status, t.status)} "
                           "efter ändringen", mapped(t.span))
