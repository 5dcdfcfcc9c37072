"""How ``check`` shows the tensions of the text (``prover/tensions.py``): one line per
obligation, a note per tension a reading addresses (resolved, or an open question: neither
fails), an error for a tension no reading addresses, and the JSON form."""

from __future__ import annotations

from avtalsregler.prover.tensions import NONE, OPEN, RESOLVED, UNKNOWN, UNRESOLVED, Tension, headline

STATUS_TEXT = {NONE: "no tension", RESOLVED: "resolved", OPEN: "open question",
               UNRESOLVED: "UNRESOLVED", UNKNOWN: "UNKNOWN"}


def status_text(t: Tension) -> str:
    return STATUS_TEXT.get(t.status, t.status)


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
    elif t.reading:
        state = ("decided: the tension is resolved" if t.status == RESOLVED
                 else "open: a question for the parties, not a failure")
        lines.append(f"  reading: {t.reading} ({state})")
        if r is not None:
            text = r.chosen if t.status == RESOLVED else r.question
            lines.append(f"    {'chosen' if t.status == RESOLVED else 'question'}: {' '.join(text.split())}")
    return "\n".join(lines)


def as_json(t: Tension) -> dict:
    return {"name": t.name, "definition": t.definition, "kind": t.kind, "status": t.status,
            "found": t.found, "where": str(t.span), "seconds": round(t.seconds, 4), "from_cache": t.cached, "words": t.words,
            "claim": t.claim, "detail": t.detail, "breaks": t.broken, "inputs": t.inputs,
            "outputs": t.outputs, "replay": t.replay, "reading": t.reading, "reading_status": t.reading_status}


def summary_text(s: dict) -> str:
    found = s["tensions_resolved"] + s["tensions_open"] + s["tensions_unresolved"]
    return (f"{found} tension{'s' if found != 1 else ''} in the text ({s['tensions_resolved']} resolved, "
            f"{s['tensions_open']} open, {s['tensions_unresolved']} unresolved)")


def summary_sv(s: dict) -> str:
    found = s["tensions_resolved"] + s["tensions_open"] + s["tensions_unresolved"]

    def n(k: int, one: str, many: str) -> str:
        return f"{k} {one if k == 1 else many}"
    return (f"{n(found, 'spänning', 'spänningar')} i texten ({n(s['tensions_resolved'], 'löst', 'lösta')}, "
            f"{n(s['tensions_open'], 'öppen', 'öppna')}, {n(s['tensions_unresolved'], 'olöst', 'olösta')})")


def headline_sv(t: Tension) -> str:
    """The tension in one Swedish line, for what the agreement's owners read (the job summary)."""
    if t.kind == "extent":
        what = (f"utövad fullt ut så som orden anger ({t.words!r})" if t.words
                else "utövad alls (den anger ingen 'extent')")
        if t.broken:
            return f"rättigheten {t.definition!r} i {t.clause}, {what}, bryter mot {', '.join(t.broken)}"
        return f"rättigheten {t.definition!r} i {t.clause} kan inte vara {what}"
    return f"kravet {t.definition!r} i {t.clause}: {KIND_SV.get(t.kind, 'en spänning')}"


KIND_SV = {"meetable": "kravet kan aldrig uppfyllas (med andra belopp än 0 kr)",
           "breakable": "kravet kan aldrig brytas (det är alltid sant och säger ingenting)"}
READING_SV = {RESOLVED: "beslutad: spänningen är löst", OPEN: "öppen: en fråga för parterna, inget fel"}


def message_sv(t: Tension) -> str:
    """The job summary's note for a tension found: the headline and the reading's status."""
    text = f"spänning i texten: {headline_sv(t)}"
    if t.reading and t.status in READING_SV:
        text += f" (läsning {t.reading}, {READING_SV[t.status]})"
    elif t.status == UNRESOLVED:
        text += " (ingen läsning i registret behandlar den)"
    elif t.status == UNKNOWN:
        text += " (inte avgjord: lösaren gav upp)"
    return text
