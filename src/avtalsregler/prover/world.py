"""One translation of a rule to Z3 (:class:`World`): its inputs and ranged parameters as
variables, the input domains and assumptions (``base``), the definitions and invariants as
terms, and the cone of a goal among the side constraints (:meth:`World.sliced`)."""

from __future__ import annotations

import z3

from avtalsregler.language.types import EnumType
from avtalsregler.project.evaluate import Instance
from avtalsregler.project.model import Clause
from avtalsregler.prover.generic import Space, symbols_of
from avtalsregler.prover.z3ops import Z3Ops


class World:
    """One translation of a rule to Z3: its inputs, and the parameters named in ``ranges`` as
    bounded variables too (the rest keep the rule's values)."""

    def __init__(self, clause: Clause, enums: dict[str, EnumType], ranges: dict, invariants: list):
        self.ops = Z3Ops(enums)
        self.ranges = ranges
        self.types = {n: i.type for n, i in clause.inputs.items()}
        self.types.update({n: clause.parameters[n].type for n in ranges})
        self.vars = {n: self.ops.var(n, t) for n, t in self.types.items()}
        self.base: list[z3.BoolRef] = []
        for n, i in clause.inputs.items():
            self.base += self.ops.domain(self.vars[n], i.type, i.low, i.high)
        for n, r in ranges.items():
            self.base += self.ops.domain(self.vars[n], self.types[n], r.low, r.high)
        self.inst = Instance(clause, self.ops, self.vars)
        for a in clause.assumptions:
            self.base.append(self.inst.ev(a.expr))
        self.terms = {n: self.inst.lookup(n) for n in clause.definitions}
        self.invariants = {inv.name: inv for inv in invariants}
        self.inv_terms: dict[str, z3.BoolRef] = {}
        self.inv_facts: dict[str, list[z3.BoolRef]] = {}   # pairwise facts its goal asked for
        self.inv_lemmas: dict[str, list] = {}
        self.spaces: dict[str, Space] = {}
        self.generic_claims: list[tuple[Space, z3.BoolRef]] = []   # proved for a generic member
        self.claim_proofs: list | None = None   # Claims.claims(), once
        # the cone of a goal (sliced): per side constraint, its newest auxiliary and the others
        self._owners: list | None = None
        self._by_newest: dict = {}
        self.single: list[z3.BoolRef] = []      # side constraints of one variable
        self._wanted: set = set()               # the variables of the last slice's cone
        self._fact_aux: dict = {}

    def inv_term(self, name: str) -> z3.BoolRef:
        """The invariant expanded over every member (built on demand: for a ``forall`` over a
        large enumeration the proof for a generic member usually makes it unnecessary). The
        definedness of its own partial operations is part of it."""
        if name not in self.inv_terms:
            mark = self.ops.mark()
            self.ops.sink = self.inv_facts[name] = []
            try:
                term = self.inst.ev(self.invariants[name].expr)
            finally:
                self.ops.sink = None
            made = self.ops.since(mark)
            # the definedness of its own partial operations, and the claims of built-ins called
            # in the invariant itself, are proved as part of it (claims() has run before)
            conds = [ob.condition for ob in made["obligations"] + made["claims"]]
            del self.ops.obligations[mark.obligations:], self.ops.claims[mark.claims:]
            self.inv_terms[name] = z3.And(term, *conds) if conds else term
            # lemmas that built-ins in the invariant itself made (proved with the invariant)
            self.inv_lemmas[name] = [self.ops.lemmas[k] for k in made["lemmas"]]
        return self.inv_terms[name]

    def space(self, enum: EnumType) -> Space:
        if enum.name not in self.spaces:
            self.spaces[enum.name] = Space(enum, self.ops.ctx, list(self.base) + list(self.ops.side))
        return self.spaces[enum.name]

    def splits(self) -> list[list[z3.BoolRef]]:
        """The cases a proof is split into: one per value of each ``split`` parameter."""
        cases: list[list[z3.BoolRef]] = [[]]
        for n, r in self.ranges.items():
            if r.split:
                cases = [c + [self.vars[n] == v] for c in cases for v in range(r.low, r.high + 1)]
        return cases

    def sliced(self, goal: z3.BoolRef, extra: list) -> list[z3.BoolRef]:
        """The side constraints in the cone of the goal: a side constraint is taken to be about
        the newest auxiliary variable it mentions (the one it was added to define), and is kept
        only if that variable occurs in the goal or in a kept constraint. E.g. the constraints
        of a later apportionment that starts from a share are left out of a proof about the
        shares. Leaving constraints out is sound for a proof (unsat with fewer is unsat with
        all); a sat answer is checked again with everything."""
        ops = self.ops
        if self._owners is None or len(self._owners) != len(ops.side):
            self._owners, self._by_newest, self.single = [], {}, []
            for i, c in enumerate(ops.side):
                syms = symbols_of(c)
                aux = _auxiliaries(syms)
                newest = max(aux)[1] if aux else None
                self._owners.append((newest, [a[1] for a in aux]))
                self._by_newest.setdefault(newest, []).append(i)
                if len(syms) == 1:
                    self.single.append(c)
        keep = [o[0] is None for o in self._owners]
        todo = [x.get_id() for t in [goal, *extra] for x in symbols_of(t)]
        seen: set = set()
        while todo:
            v = todo.pop()
            if v in seen:
                continue
            seen.add(v)
            for i in self._by_newest.get(v, ()):
                if not keep[i]:
                    keep[i] = True
                    todo.extend(self._owners[i][1])
        self._wanted = seen
        return [c for c, k in zip(ops.side, keep) if k]

    def facts_in(self, facts: list) -> list:
        """The facts (conjuncts of) that speak only of variables in the last slice's cone."""
        cache = self._fact_aux
        out = []
        for f in facts:
            for c in (f.children() if z3.is_and(f) else [f]):
                aux = cache.get(c.get_id())
                if aux is None:
                    aux = cache[c.get_id()] = [x for _, x in _auxiliaries(symbols_of(c))]
                if all(a in self._wanted for a in aux):
                    out.append(c)
        return out


def member_facts(members: list, generic_claims: list) -> list:
    """What generic members satisfy: the claims proved for a generic member of their
    enumeration, then their columns' constraints (after every instantiation, so that the
    columns the claims use are among them)."""
    out = [m.inst(t) for m in members for sp, t in generic_claims if sp is m.space]
    return out + [c for m in members for c in m.constraints()]


def _auxiliaries(syms: list) -> list[tuple[int, int]]:
    """(creation number, id) of the auxiliary variables among ``syms`` (``Z3Ops.fresh`` names
    them ``hint!N``)."""
    out = []
    for x in syms:
        name = x.decl().name()
        if "!" in name and name.rsplit("!", 1)[1].isdigit():
            out.append((int(name.rsplit("!", 1)[1]), x.get_id()))
    return out


def connected(constraints: list, start: list) -> list:
    """The constraints connected to ``start`` through shared uninterpreted constants."""
    syms = [{x.get_id() for x in symbols_of(c)} for c in constraints]
    by_sym: dict[int, list[int]] = {}
    for i, ss in enumerate(syms):
        for x in ss:
            by_sym.setdefault(x, []).append(i)
    todo = [x.get_id() for t in start for x in symbols_of(t)]
    seen, keep = set(), set()
    while todo:
        x = todo.pop()
        if x in seen:
            continue
        seen.add(x)
        for i in by_sym.get(x, ()):
            if i not in keep:
                keep.add(i)
                todo.extend(syms[i])
    return [c for i, c in enumerate(constraints) if i in keep]
