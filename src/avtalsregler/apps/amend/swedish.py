"""The Swedish of the amendment report: names of proof kinds and results, the prover's and the
loader's English details in Swedish, and the mismatch lines of a failing example."""

from __future__ import annotations

import re

from avtalsregler.errors import AvtalsreglerError
from avtalsregler.language.types import show
from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.model import Clause, Example, Project

KIND_SV = {"invariant": "garantin", "defined": "villkoret att varje definition har ett värde", "consistent":
           "villkoret att antagandena går att uppfylla", "satisfiable": "villkoret att kraven kan gälla samtidigt",
           "range": "villkoret att parametern ligger i sitt intervall", "lemma": "hjälpsatsen"}
STATUS_SV = {"proved": "bevisad", "counterexample": "motexempel", "unknown": "okänd", None: "–"}
CHANGE_SV = {"removed": "tas bort", "added": "läggs till", "changed": "ändras"}
_DETAIL_SV = (("does not hold: ", "villkoret som inte håller: "), ("the rule has no value here: ", "regeln har inget värde här: "),
              ("the solver gave up: ", "lösaren gav upp: "))


def detail_sv(detail: str) -> str:
    """The prover's detail of a failed proof, with its known openings in Swedish."""
    for en, sv in _DETAIL_SV:
        if detail.startswith(en):
            return sv + detail[len(en):]
    return detail


def pinning_sv(message: str) -> str:
    m = re.match(r"the quoted sentence '([^']+)' is not in (§\d+) of the agreement", message)
    if m:
        return f"meningen {m.group(1)} som regeln citerar finns inte i {m.group(2)} efter ändringen"
    m = re.match(r"the words (.+) of parameter '([^']+)' are not in (.+)$", message)
    if m:
        return f"orden {m.group(1)} som parametern {m.group(2)} bygger på finns inte i {m.group(3)} efter ändringen"
    m = re.match(r"the words (.+) are not in (§\d+)$", message)
    if m:
        return f"orden {m.group(1)} i tolkningsregistret finns inte i {m.group(2)} efter ändringen"
    return f"ett citat stämmer inte med texten efter ändringen: {message}"


def mismatch_lines(e, clause: Clause, project: Project, ex: Example | None) -> list[str]:
    """One line per expected output that differs: expected and computed (a map, per key that
    differs). Each output is computed on its own, so that an example that stops on an error
    still gets a line for every output it expects."""
    if ex is None:
        return [f"{n}: förväntat {w}, beräknat {g}" for n, w, g, _sp in e.mismatches] or [f"kunde inte räknas: {e.message}"]
    enums = project.enums
    lines = []
    for name, want in ex.expect.items():
        t = clause.definitions[name].type
        try:
            values, _ = evaluate(clause, enums, ex.given, [name])
        except AvtalsreglerError as exc:
            lines.append(f"{name}: förväntat {show(want, t, enums)}, kan inte beräknas: {exc.swedish}")
            continue
        got = values[name]
        if got == want:
            continue
        if t.kind == "map" and isinstance(want, dict) and isinstance(got, dict):
            e_ = enums[t.enum]
            lines += [f"{name} [{e_.label(k)}]: förväntat {show(want[k], t.elem, enums)}, "
                      f"beräknat {show(got[k], t.elem, enums)}" for k in e_.values
                      if k in want and k in got and want[k] != got[k]]
        else:
            lines.append(f"{name}: förväntat {show(want, t, enums)}, beräknat {show(got, t, enums)}")
    lines += [f"{n}: förväntat {w}, beräknat {g}" for n, w, g, _sp in e.mismatches if n not in ex.expect]
    return lines or [f"kunde inte räknas: {e.message}"]
