"""Duties: the ``duties:`` section of a rule file, read into :class:`~avtalsregler.model.Duty`.

A duty is an obligation the text states: who owes it (``owed_by``), to whom (``owed_to``),
what (``what``), when (``frequency``, ``trigger``, ``deadline``), the event that fulfils it
(``fulfilled_by``, with boolean ``conditions`` the event must meet; optional Swedish ``label``
and ``none_label`` for what compliance prints, e.g. "distansmöte" / "inget distansmöte") and the
sentence it comes from. Duties are data, not expressions: :mod:`avtalsregler.compliance` matches them against a
log of events and computes each verdict with the verdict rule (definitions ``bedomning_*``).

Checks made here, each with ``path:line:col``:

* ``frequency`` is one of :data:`~avtalsregler.model.FREQUENCIES`; ``on_trigger`` needs a
  ``trigger`` and nothing else may have one;
* a deadline is ``none``, ``end_of_period`` (periodic duties only) or ``{days: N}`` with
  ``N >= 0`` (a deadline never precedes its trigger; only triggered duties);
* a deadline that the text does not state in numbers must name a ``reading``;
* ``per`` is an enumeration; ``sentence`` and ``reading`` exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from avtalsregler.errors import SchemaError, did_you_mean, expected_one_of
from avtalsregler.project.model import FREQUENCIES, Deadline, Duty
from avtalsregler.project.source import Node, expect, fields, text_of
from avtalsregler.language.types import EnumType

DUTY_KEYS = ("owed_by", "owed_to", "what", "frequency", "fulfilled_by", "trigger", "deadline",
             "conditions", "per", "sentence", "reading", "label", "none_label")
_KIND = re.compile(r"^[a-z][a-z0-9_]*$")


def _kind(node: Node, what: str) -> str:
    value = expect(node, str, what)
    if not _KIND.match(value):
        raise SchemaError(f"{what} {value!r} is not an event kind", node.span,
                          "use ASCII snake_case, e.g. 'arsrapport'")
    return value


def _deadline(node: Node | None, frequency: str, parameters: dict) -> Deadline:
    if node is None:
        return Deadline()
    if isinstance(node.value, str):
        if node.value == "none":
            return Deadline()
        if node.value == "end_of_period":
            if frequency != "yearly":
                raise SchemaError("'end_of_period' is only a deadline of a periodic (yearly) duty", node.span,
                                  "use {days: N} for a duty started by a trigger")
            return Deadline("end_of_period")
        raise SchemaError(f"unknown deadline {node.value!r}", node.span,
                          expected_one_of(("none", "end_of_period", "{days: N}")))
    f = fields(node, "a deadline", required=("days",))
    if isinstance(f["days"].value, str):          # the name of a parameter of the clause
        pname = f["days"].value
        par = parameters.get(pname)
        if par is None or par.type.kind != "int" or par.type.unit != "dagar":
            raise SchemaError(f"{pname!r} is not a parameter of this clause counted in days", f["days"].span,
                              did_you_mean(pname, parameters) or "declare it under 'parameters' with "
                              "type: int and unit: dagar, or write a whole number of days")
        return _checked_days(Deadline("days", par.value, pname), node, frequency)
    else:
        days = expect(f["days"], int, "days of a deadline")
    return _checked_days(Deadline("days", days), node, frequency)


def _checked_days(deadline: Deadline, node: Node, frequency: str) -> Deadline:
    days = deadline.days
    f = dict(node.value)
    if days < 0:
        raise SchemaError(f"a deadline of {days} days would precede its trigger", f["days"].span,
                          "a deadline counts days after the trigger: 0 or more")
    if frequency != "on_trigger":
        raise SchemaError("a deadline in days is counted from a trigger; this duty has none", node.span,
                          "set 'frequency: on_trigger' and a 'trigger', or use 'end_of_period'")
    return deadline


def parse_duties(node: Node | None, enums: dict[str, EnumType],
                 sentence_ref: Callable[[Node | None], str | None],
                 reading_ref: Callable[[Node | None], str | None],
                 parameters: dict | None = None) -> dict[str, Duty]:
    out: dict[str, Duty] = {}
    if node is None:
        return out
    expect(node, dict, "duties")
    for name, item in node.items():
        span = item.key_span
        if not name.isidentifier() or not name.isascii():
            raise SchemaError(f"duty name {name!r} is not a valid name", span, "use ASCII snake_case")
        g = fields(item, f"duty {name!r}", required=("owed_by", "owed_to", "what", "frequency", "fulfilled_by",
                                                      "sentence"), optional=DUTY_KEYS)
        freq = expect(g["frequency"], str, "frequency")
        if freq not in FREQUENCIES:
            raise SchemaError(f"unknown frequency {freq!r}", g["frequency"].span,
                              did_you_mean(freq, FREQUENCIES) or expected_one_of(FREQUENCIES))
        trigger = _kind(g["trigger"], "trigger") if "trigger" in g else None
        if freq == "on_trigger" and trigger is None:
            raise SchemaError(f"duty {name!r} is owed on a trigger but names none", g["frequency"].span,
                              "add 'trigger: EVENT_KIND', e.g. 'begaran'")
        if freq != "on_trigger" and trigger is not None:
            raise SchemaError(f"only an on_trigger duty has a trigger, not a {freq} one", g["trigger"].span,
                              "set 'frequency: on_trigger' or remove 'trigger'")
        deadline = _deadline(g.get("deadline"), freq, parameters or {})
        rid = reading_ref(g.get("reading"))
        par = (parameters or {}).get(deadline.parameter) if deadline.parameter else None
        if deadline.kind != "none" and rid is None and (par is None or par.reading is None):
            raise SchemaError(f"the deadline of duty {name!r} is not written in the text as a date or a number",
                              g["deadline"].span, "name the 'reading' that fixes it")
        conditions = tuple(_kind(c, "condition") for c in
                           (expect(g["conditions"], list, "conditions") if "conditions" in g else []))
        per = text_of(g.get("per"), "per")
        if per is not None and per not in enums:
            raise SchemaError(f"unknown enumeration {per!r}", g["per"].span,
                              did_you_mean(per, enums) or expected_one_of(enums))
        out[name] = Duty(name, expect(g["owed_by"], str, "owed_by"), expect(g["owed_to"], str, "owed_to"),
                         expect(g["what"], str, "what"), freq, _kind(g["fulfilled_by"], "fulfilled_by"), span,
                         trigger, deadline, conditions, per, sentence_ref(g.get("sentence")), rid,
                         text_of(g.get("label"), "label"), text_of(g.get("none_label"), "none_label"))
    return out
