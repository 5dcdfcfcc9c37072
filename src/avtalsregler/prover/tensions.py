"""Tensions in the text, found by generated obligations (:class:`Tensions`), each with a
witness in which the amounts are not zero (a situation where every amount is 0 kr meets
almost anything, so it proves nothing):

- a **permission** can be exercised to the full extent its own words state (its ``extent``,
  e.g. "hela ersättningen"; without one, the permission's own condition) while every
  requirement of the rule holds (its own and those of the clauses it uses: requirements of other
  clauses read none of its inputs and cannot conflict with it);
- a **requirement** can be met, and it can be broken (one that can never be broken says
  nothing: a tautology); one of the form ``implies(A, B)`` can also be met where it applies
  (A holds) without breaking another requirement (else it can only ever be met by not applying).

An obligation that fails is a tension of the text, shown with a situation: for a permission
one where it is exercised to the full and a requirement breaks. A tension is then *resolved*
by a decided reading (the definition's ``tension:``), an *open question* when that reading is
open, and *unresolved* (``check`` fails) when no reading addresses it; a solver that gives up
is *unknown* and fails like every unknown (:func:`classify`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import z3

from avtalsregler.errors import AvtalsreglerError, Span
from avtalsregler.project.evaluate import evaluate, holds
from avtalsregler.project.model import Definition, inputs_read
from avtalsregler.prover.solving import Solving

NONE, RESOLVED, OPEN, UNRESOLVED, UNKNOWN = "none", "resolved", "open", "unresolved", "unknown"
STATUSES = (NONE, RESOLVED, OPEN, UNRESOLVED, UNKNOWN)
FAILING = (UNRESOLVED, UNKNOWN)
NICE_ORE = 100          # a witness shown is first sought in whole kronor …
NICE_LEAST_ORE = 10000  # … of at least 100 kr, so that it reads as a real situation


@dataclass
class Tension:
    clause: str
    name: str                   # the obligation: <definition>_fullt_ut, _kan_uppfyllas, _kan_brytas
    definition: str             # the permission or requirement
    kind: str                   # extent | meetable | breakable | applicable
    found: bool | None          # True: the text's tension; False: none; None: the solver gave up
    span: Span
    seconds: float
    words: str = ""             # the words of the extent (a permission)
    meaning: str = ""           # what the extent means, as its description says
    claim: str = ""             # what the obligation says (Swedish, for the site)
    detail: str = ""            # what was found
    broken: list[str] = field(default_factory=list)   # requirements the situation breaks
    inputs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    replay: dict[str, Any] = field(default_factory=dict)
    given: dict[str, Any] = field(default_factory=dict)      # the situation's exact values (for the site)
    computed: dict[str, Any] = field(default_factory=dict)   # what the rule computes there
    reading: str | None = None  # the reading that resolves it (the definition's 'tension:')
    reading_status: str | None = None
    status: str = ""            # none | resolved | open | unresolved | unknown (classify)
    cached: bool = False        # every solver answer it needed came from the proof cache
    stored: bool = False        # every answer it needed is in the cache now (a rerun takes it)

    @property
    def ok(self) -> bool:
        return self.status not in FAILING


def classify(tensions: list[Tension], readings: dict) -> list[Tension]:
    """Each tension's status from its reading's status in the register."""
    for t in tensions:
        r = readings.get(t.reading) if t.reading else None
        t.reading_status = r.status if r is not None else None
        if t.found is None:
            t.status = UNKNOWN
        elif not t.found:
            t.status = NONE
        elif r is None:
            t.status = UNRESOLVED
        else:
            t.status = OPEN if r.status == "open" else RESOLVED
    return tensions


def headline(t: Tension) -> str:
    """The tension in one line (for check and amend check)."""
    if t.kind == "extent":
        what = (f"exercised to the full extent its words state ({t.words!r})" if t.words
                else "exercised at all (it declares no 'extent')")
        if t.broken:
            return f"permission {t.definition!r} of {t.clause}, {what}, breaks {', '.join(t.broken)}"
        return f"permission {t.definition!r} of {t.clause} cannot be {what}: {t.detail}"
    return f"requirement {t.definition!r} of {t.clause}: {t.detail}"



class Tensions(Solving):
    """The generated tension obligations of one clause (over the rule's own values)."""

    def tensions(self) -> list[Tension]:
        c = self.clause
        out: list[Tension] = []
        for d in c.definitions.values():
            if not c.own(d.name):
                continue
            if d.kind == "permission":
                for i, ext in enumerate(d.extents or [None]):
                    suffix = f"_{i + 1}" if len(d.extents) > 1 else ""
                    out.append(self.extent(d, ext, f"{d.name}_fullt_ut{suffix}"))
            elif d.kind == "requirement":
                out.append(self.requirement(d, True))
                out.append(self.requirement(d, False))
                applies = self.applicable(d)
                if applies is not None:
                    out.append(applies)
        return out

    # -- obligations ----------------------------------------------------------------------------
    def requirements(self) -> list[Definition]:
        return [d for d in self.clause.definitions.values() if d.kind == "requirement"]

    def extent(self, d: Definition, ext, name: str) -> Tension:
        """The permission ``d``, exercised to the full extent ``ext`` states, breaks no requirement."""
        reqs = self.requirements()
        used = ext.expr if ext is not None else None
        full = z3.And(self.terms[d.name], self.term_of(used)) if used is not None else self.terms[d.name]
        names = {d.name, *(used.names() if used is not None else ())}
        words = ext.words if ext is not None else ""
        claim = (f"Rättigheten kan utövas fullt ut (”{words}”) utan att något krav bryts." if ext is not None
                 else "Rättigheten kan utövas utan att något krav bryts.")
        t = Tension(self.clause.id, name, d.name, "extent", False, d.span, 0.0, words,
                    ext.description if ext is not None else "", claim, reading=d.tension)
        return self.against(t, full, names, [d.name], [used] if used is not None else [], reqs,
                            "exercised to the full", "the permission can never be exercised to this extent "
                            "(with amounts other than 0 kr): its condition excludes it")

    def applicable(self, d: Definition) -> Tension | None:
        """A requirement ``implies(A, B)`` can be met when it applies (A holds) without breaking
        another requirement; ``None`` for a requirement of another form."""
        e = d.expr
        if e.op != "call" or getattr(e.extra, "name", None) != "implies":
            return None
        cond = e.args[0]
        others = [q for q in self.requirements() if q.name != d.name]
        full = z3.And(self.term_of(cond), self.terms[d.name])
        names = {d.name, *cond.names()}
        t = Tension(self.clause.id, f"{d.name}_kan_uppfyllas_nar_det_galler", d.name, "applicable", False, d.span,
                    0.0, claim="Kravet kan uppfyllas när det gäller, utan att något annat krav bryts.",
                    reading=d.tension)
        return self.against(t, full, names, [d.name], [cond], others, "met when it applies",
                            "the requirement can never apply (with amounts other than 0 kr)")

    def against(self, t: Tension, full, names: set[str], defs: list[str], exprs: list, reqs: list[Definition],
                how: str, never: str) -> Tension:
        """``full`` (a permission used to the full, or a requirement met where it applies) holds
        together with the requirements ``reqs`` in some situation; else the ones it breaks
        (:meth:`conflict`), and a situation that shows it."""
        goal = z3.And(full, *[self.terms[r.name] for r in reqs])
        r, s, t.seconds = self.solve_nondegenerate(goal, names)
        if r == z3.sat:
            return self.confirm(t, s, defs + [q.name for q in reqs], exprs, names | {q.name for q in reqs}, how)
        if r == z3.unknown:
            t.found, t.detail = None, f"the solver gave up: {s.reason_unknown()}"
            return t
        t.found = True
        core, dt = self.conflict(full, reqs, self.nonzero(names)[-1])
        t.seconds += dt
        rest = [self.terms[q.name] for q in reqs if q not in core]
        goal = z3.And(full, *rest, z3.Not(z3.And(*[self.terms[q.name] for q in core]))) if core else full
        given, dt = self.witness(goal, names | {q.name for q in core})
        t.seconds += dt
        if given is None:
            t.detail = never
            return t
        t.broken = [q.name for q in reqs if not self.exact(given, q.name)]
        if not t.broken:
            t.found, t.detail = None, ("the solver's situation breaks no requirement when computed exactly "
                                       "(an abstraction was too coarse); not decided")
            return t
        t.detail = f"{how}, it breaks " + ", ".join(t.broken)
        self.show(t, given, names | set(t.broken))
        return t

    def requirement(self, d: Definition, met: bool) -> Tension:
        """The requirement ``d`` can be met (``met``), or can be broken, with amounts other than 0 kr."""
        term = self.terms[d.name]
        names = {d.name}
        name = f"{d.name}_kan_uppfyllas" if met else f"{d.name}_kan_brytas"
        claim = ("Kravet kan uppfyllas i någon situation." if met
                 else "Kravet kan brytas i någon situation (annars säger det ingenting).")
        t = Tension(self.clause.id, name, d.name, "meetable" if met else "breakable", False, d.span, 0.0,
                    claim=claim, reading=d.tension)
        goal = term if met else z3.Not(term)
        r, s, t.seconds = self.solve_nondegenerate(goal, names)
        if r == z3.sat:
            given = self.inputs_of(s.model())
            if self.exact(given, d.name) is met:
                self.show(t, given, names)
                t.detail = "witness: " + ("met" if met else "broken")
                return t
            t.found, t.detail = None, "the solver's witness does not hold when computed exactly; not proved"
            return t
        if r == z3.unknown:
            t.found, t.detail = None, f"the solver gave up: {s.reason_unknown()}"
            return t
        t.found = True
        t.detail = ("the requirement can never be met (with amounts other than 0 kr)" if met
                    else "the requirement can never be broken (a tautology): it says nothing")
        given, dt = self.witness(z3.Not(goal), names)
        t.seconds += dt
        if given is not None:
            self.show(t, given, names)
        return t

    # -- helpers --------------------------------------------------------------------------------
    def conflict(self, full, reqs: list[Definition], nz: list) -> tuple[list[Definition], float]:
        """The requirements that the permission, exercised to the full, breaks: the others are
        kept one by one while they can still be met together with it, so that the situation shown
        meets every kept one and breaks each one left (with one requirement the permission cannot
        meet whatever else holds, a second one that it also cannot meet is broken too: shrinking
        to the fewest that conflict together would keep a requirement the situation cannot meet)."""
        kept, spent = [], 0.0
        for q in reqs:
            r, _, dt = self.solve(z3.And(full, *[self.terms[x.name] for x in kept + [q]]), None, nz)
            spent += dt
            if r == z3.sat:
                kept.append(q)
        return [q for q in reqs if q not in kept], spent

    def term_of(self, expr) -> z3.BoolRef:
        """The Z3 term of a condition over the rule's names; the definedness of its own partial
        operations is part of it."""
        ops = self.ops
        mark = ops.mark()
        term = self.inst.ev(expr)
        made = ops.since(mark)
        conds = [ob.condition for ob in made["obligations"] + made["claims"]]
        del ops.obligations[mark.obligations:], ops.claims[mark.claims:]
        return z3.And(term, *conds) if conds else term

    def money_inputs(self, names: set[str]) -> list[tuple[str, Any]]:
        c = self.clause
        out = []
        for n in sorted(inputs_read(names, c.inputs, c.definitions)):
            t = c.inputs[n].type
            if t.is_money or (t.kind == "map" and t.elem.is_money):
                out.append((n, self.vars[n]))
        return out

    def nonzero(self, names: set[str]) -> list[list[z3.BoolRef]]:
        """The levels of "the amounts are not zero" for the amounts ``names`` read, strictest
        first: every amount (and some entry of every map of amounts) is other than 0 kr; then at
        least one of them is (with one amount or one map the two are the same: one level). With no
        amounts, one level with nothing to add."""
        every, some = [], []
        for _, v in self.money_inputs(names):
            xs = list(v.values()) if isinstance(v, dict) else [v]
            every.append(z3.Or(*[x != 0 for x in xs]))
            some += [x != 0 for x in xs]
        if not every:
            return [[]]
        return [every, [z3.Or(*some)]] if len(every) > 1 else [every]

    def solve_nondegenerate(self, goal, names: set[str]):
        """``goal`` in a situation where the amounts are not zero: sat at the strictest level that
        has one; unsat only when every level is unsat; else the first unknown."""
        total, unknown = 0.0, None
        for extra in self.nonzero(names):                   # at least one level
            r, s, dt = self.solve(goal, None, extra)
            total += dt
            if r == z3.sat:
                return r, s, total
            if r == z3.unknown and unknown is None:
                unknown = s
        return (z3.unknown, unknown, total) if unknown is not None else (z3.unsat, s, total)

    def nice(self, names: set[str]) -> list[z3.BoolRef]:
        out = []
        for _, v in self.money_inputs(names):
            for x in (v.values() if isinstance(v, dict) else [v]):
                out += [x % NICE_ORE == 0, z3.Or(x >= NICE_LEAST_ORE, x <= -NICE_LEAST_ORE)]
        return out

    def witness(self, goal, names: set[str]) -> tuple[dict | None, float]:
        """A situation for ``goal``: in whole kronor of at least 100 kr when there is one, else
        with the amounts as far from zero as the levels allow, else any."""
        spent = 0.0
        levels = self.nonzero(names)
        for extra in [levels[0] + self.nice(names), *levels, []]:
            r, s, dt = self.solve(goal, None, extra)
            spent += dt
            if r == z3.sat:
                return self.inputs_of(s.model()), spent
        return None, spent

    def exact(self, given: dict, name: str) -> bool | None:
        try:
            values, _ = evaluate(self.clause, self.enums, given, [name], check_assumptions=False)
            return bool(values[name])
        except AvtalsreglerError:
            return None

    def confirm(self, t: Tension, s, defs: list[str], exprs: list, names: set[str], how: str) -> Tension:
        """The solver's witness that there is no tension, computed exactly."""
        given = self.inputs_of(s.model())
        try:
            ok = all(self.exact(given, n) for n in defs) and all(
                holds(self.clause, self.enums, given, e) for e in exprs)
        except AvtalsreglerError:
            ok = False
        if not ok:
            t.found, t.detail = None, "the solver's witness does not hold when computed exactly; not proved"
            return t
        t.detail = f"witness: {how}, every requirement holds"
        self.show(t, given, names)
        return t

    def show(self, t: Tension, given: dict, names: set[str]) -> None:
        c = self.clause
        read = inputs_read(names, c.inputs, c.definitions)
        t.given = {n: v for n, v in given.items() if n in read}
        t.inputs, t.replay = self.shown(t.given)
        direct = set(names)
        for n in names:
            if n in c.definitions:
                direct |= c.definitions[n].expr.names()
        wanted = [n for n in c.definitions if n in direct]
        try:
            t.computed, _ = evaluate(c, self.enums, given, wanted, check_assumptions=False)
        except AvtalsreglerError:
            pass                        # no value there: computed stays empty (show runs once per tension)
        t.outputs = self.outputs(given, set(wanted))
