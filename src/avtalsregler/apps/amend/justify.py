"""Every changed definition of an amendment needs a justification (:func:`justifications`).

A rule or spec item the amendment changes (a definition, parameter, input or assumption of a
rule; an invariant or example of a spec) is justified by one of:

* **the wording**: a sentence it is traced to (its ``sentence``, before or after) is among the
  sentences the amendment rewrites, or — for a parameter — its words are in a changed wording;
* **a reading**: it names a reading (``reading``, before or after) that the amendment adds to
  or changes in the register;
* **a rationale**: the item's own ``rationale:``, for an editorial recoding that keeps what the
  rule means.

A change that only touches what is shown (description, sentence, reading) is not semantic and
needs none; neither does a new invariant or example (it is checked). A semantic change with no
justification is an error at the item's place in the amendment: a rule cannot be changed
unseen, with its examples re-derived and its broken guarantee removed "on purpose".
Enumerations and the declarations (events, computations, facts) are not judged here.
"""

from __future__ import annotations

from avtalsregler.apps.amend.amendment import Amendment, ClauseChange, ItemChange
from avtalsregler.project.agreement import normalise
from avtalsregler.project.model import Project

SEMANTIC = {
    "definitions": ("expr", "type", "kind", "unit"),
    "parameters": ("value", "type", "unit", "words", "means", "part", "derive"),
    "inputs": ("type", "min", "max", "unit"),
    "assume": ("expr",),
    "invariants": ("holds",),
    "examples": ("given", "expect", "holds"),
}
PRONOUN = {"definitions": "den", "parameters": "den", "inputs": "den", "assume": "det", "invariants": "den",
           "examples": "det"}
WHAT = {"definitions": "definitionen", "parameters": "parametern", "inputs": "indata", "assume": "antagandet",
        "invariants": "garantin", "examples": "exemplet"}
HINT = ("ändra lydelsen den bygger på (sentences eller wording), lägg till eller ändra tolkningen i registret "
        "(readings) och nämn den med 'reading', eller skriv 'rationale: …' på ändringen om den bara är en "
        "redaktionell omkodning som inte ändrar vad regeln betyder")


def _old_item(before: Project, cid: str, item: ItemChange):
    """The item as the project has it before the amendment, or ``None`` (a new item)."""
    clause, spec = before.clauses.get(cid), before.specs.get(cid)
    sec = item.section
    if sec in ("definitions", "parameters", "inputs") and clause is not None:
        table = getattr(clause, sec)
        if item.selector == "quoting":
            return next((p for p in table.values() if normalise(item.key) in normalise(p.words)), None)
        return table.get(item.key)
    if sec == "assume" and clause is not None:
        return next((a for a in clause.assumptions if a.name == item.key), None)
    if sec in ("examples", "invariants") and spec is not None:
        return next((x for x in getattr(spec, sec) if x.name == item.key), None)
    return None


def _field(item: ItemChange, name: str):
    node = item.fields.get(name)
    return None if node is None else node.value


def _names(*values) -> list[str]:
    return [str(v) for v in dict.fromkeys(values) if v]


def judge(item: ItemChange, old, ch: ClauseChange, sentences: set, wording: list[tuple[str, str]],
          readings: set[str]) -> dict:
    """One item: whether it is semantic, and what justifies it (or ``None``)."""
    sec = item.section
    touched = [f for f in SEMANTIC[sec] if f in item.fields]
    added = old is None and not item.remove
    checked = sec in ("examples", "invariants")      # a new one is checked: it needs no justification
    semantic = item.remove or (not checked if added else bool(touched))
    traced = _names(_field(item, "sentence"), getattr(old, "sentence", None))
    named = _names(_field(item, "reading"), getattr(old, "reading", None))
    words = [normalise(str(w)) for w in _names(_field(item, "words"), getattr(old, "words", None))]
    why, kind = None, None
    if hit := [s for s in traced if (ch.clause, s) in sentences]:
        kind, why = "wording", f"följer den ändrade lydelsen i {', '.join(hit)}"
    elif sec == "parameters" and any(w and (w in o or w in n) for w in words for o, n in wording):
        kind, why = "wording", "dess ord finns i den ändrade lydelsen"
    elif hit := [r for r in named if r in readings]:
        kind, why = "reading", f"följer tolkningen {', '.join(hit)}, som förslaget lägger till eller ändrar"
    elif item.rationale:
        kind, why = "rationale", f"redaktionell ändring: {item.rationale}"
    change = "removed" if item.remove else "added" if added else "changed"
    name = getattr(old, "name", None) if item.selector == "quoting" else None
    return {"clause": ch.clause, "section": sec, "name": name or item.key, "change": change, "semantic": semantic,
            "fields": touched, "sentences": traced, "readings": named, "justified_by": kind, "justification": why,
            "where": item.node.value[item.selector].span}


def justifications(a: Amendment, before: Project, text_changes: list[dict]) -> list[dict]:
    """Every rule and spec item the amendment changes, judged (see the module's docstring)."""
    sentences = {(t["clause"], t["sentence"]) for t in text_changes if t.get("sentence")}
    readings = {rc.key for ch in a.changes for rc in ch.readings if not rc.remove}
    out = []
    for ch in a.changes:
        wording = [(normalise(t["old"]), normalise(t["new"])) for t in text_changes if t["clause"] == ch.clause]
        for item in [*ch.rule, *ch.spec]:
            if item.section in SEMANTIC:
                out.append(judge(item, _old_item(before, ch.clause, item), ch, sentences, wording, readings))
    return out


def message(j: dict) -> tuple[str, str, list[str]]:
    """(severity, message, detail) of a judged item, in Swedish."""
    what = f"{WHAT[j['section']]} {j['name']!r} i {j['clause']}"
    done = {"removed": "tas bort", "added": "läggs till", "changed": "ändras"}[j["change"]]
    if not j["semantic"]:
        if j["change"] == "added":
            return "notice", f"{what} {done}; den prövas som alla andra och behöver ingen motivering", []
        return "notice", f"{what} {done} bara i det som visas (beskrivning, mening, tolkning)", []
    if j["justification"]:
        return "notice", f"{what} {done}: {j['justification']}", []
    it = PRONOUN[j["section"]]
    traced = (f"{it} bygger på {', '.join(j['sentences'])}, som förslaget inte ändrar" if j["sentences"]
              else f"{it} är inte knutet till någon mening som förslaget ändrar".replace("den är inte knutet",
                                                                                       "den är inte knuten"))
    named = (f"tolkningen {', '.join(j['readings'])} ändras inte" if j["readings"]
             else f"{it} nämner ingen tolkning som förslaget lägger till eller ändrar")
    fields = f" ({', '.join(j['fields'])})" if j["fields"] else ""
    return ("error", f"{what} {done}{fields} utan motivering: {traced}, {named}, och ändringen har ingen "
            "'rationale'", [f"hint: {HINT}"])
