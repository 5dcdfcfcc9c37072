"""How ``check`` shows the tensions of the text (``prover/tensions.py``): one line per
obligation, a note per tension a reading addresses (resolved, or an open question: neither
fails), an error for a tension no reading addresses, and the JSON form."""

from __future__ import annotations

from avtalsregler.prover.tensions import NONE, OPEN, RESOLVED, UNKNOWN, UNRESOLVED, Tension

STATUS_TEXT = {NONE: "no tension", RESOLVED: "resolved", OPEN: "open question",
               UNRESOLVED: "UNRESOLVED", UNKNOWN: "UNKNOWN"}
KIND_TEXT = {"extent": "permission", "meetable": "requirement", "breakable": "requirement"}


def status_text(t: Tension) -> str:
    return STATUS_TEXT.get(t.status, t.status)


def headline(t: Tension) -> str:
    if t.kind == "extent":
        what = (f"exercised to the full extent its words state ({t.words!r})" if t.words
                else "exercised at all (it declares no 'extent')")
        if t.broken:
            return f"permission {t.definition!r} of {t.clause}, {what}, breaks {', '.join(t.broken)}"
        return f"permission {t.definition!r} of {t.clause} cannot be {what}: {t.detail}"
    return f"requirement {t.definition!r} of {t.clause}: {t.detail}"


def describe(t: Tension, readings: dict) -> str:
    """A tension found: ``note`` when a reading addresses it, ``error`` when none does, or when
    the solver gave up."""
    if t.status == UNKNOWN:
        return "\n".join([f"{t.span}: error: tension obligation {t.name!r} of {t.clause} is not decided (unknown)",
                          f"  {t.detail}",
                          "  hint: raise --timeout or simplify the rule; unknown never counts as decided"])
    level = "error" if t.status == UNRESOLVED else "note"
    lines = [f"{t.span}: {level}: tension in the text: {headline(t)}"]
    if t.inputs:
        lines.append("  situation:")
        lines += [f"    {k} = {v}" for k, v in t.inputs.items()]
    if t.outputs:
        lines.append("  computed:")
        lines += [f"    {k} = {v}" for k, v in t.outputs.items()]
    r = readings.get(t.reading) if t.reading else None
    if t.status == UNRESOLVED:
        lines.append("  hint: no reading addresses it: add an entry to readings/ that resolves it and name it "
                     f"with 'tension: R…' on {t.definition!r}, or change the rule")
    elif r is not None:
        state = ("decided: the tension is resolved" if t.status == RESOLVED
                 else "open: a question for the parties, not a failure")
        lines.append(f"  reading: {r.id} ({state})")
        if t.status == RESOLVED:
            lines.append(f"    chosen: {' '.join(r.chosen.split())}")
        else:
            lines.append(f"    question: {' '.join(r.question.split())}")
    return "\n".join(lines)


def as_json(t: Tension) -> dict:
    return {"name": t.name, "definition": t.definition, "kind": t.kind, "status": t.status,
            "found": t.found, "where": str(t.span), "seconds": round(t.seconds, 4), "words": t.words,
            "claim": t.claim, "detail": t.detail, "breaks": t.broken, "inputs": t.inputs,
            "outputs": t.outputs, "replay": t.replay, "reading": t.reading, "reading_status": t.reading_status}


def summary_text(s: dict) -> str:
    found = s["tensions_resolved"] + s["tensions_open"] + s["tensions_unresolved"]
    return (f"{found} tension{'s' if found != 1 else ''} in the text ({s['tensions_resolved']} resolved, "
            f"{s['tensions_open']} open, {s['tensions_unresolved']} unresolved)")
