"""Proofs about an arbitrary member of an enumeration, once instead of once per member.

``forall(k in members, P(k))`` over n members expands to n conjuncts, and a statement about
pairs (``forall(a in E, forall(b in E, …))``) to n²: 84 100 for the 290 Swedish municipalities.
But the rule computes every member's values with the same definitions, so the n terms of a
map are one *template* applied to each member's own variables. This module finds that
template by anti-unification (walking the n terms side by side: a subterm that is the same
in all of them is shared; where they differ, each must be a variable of its own member — a
*column* — or a number), and does the same for the constraints that define those variables.
A proof for a *generic member* — fresh variables standing for one column each — with the
generic versions of its constraints then holds for every member:

    Global ∧ C(g) → P(g)   valid   ⇒   Global ∧ C(i) → P(i)   valid for each member i,

by substituting member i's variables for g's; and C(i) is, term for term, a constraint the
rule already has (anti-unification builds the template so that it is). Constraints that do
not fit a template are left out, which can only make a proof fail, never pass wrongly; a
proof that fails here is done again member by member (``prove.Prover``).
"""

from __future__ import annotations

import itertools
from typing import Any

import z3
from z3 import z3core as C
from z3.z3 import _to_expr_ref
from z3.z3types import Ast

from avtalsregler.language.types import EnumType


_MEMBERS = itertools.count(1)


def reset_members() -> None:
    """Number generic members from 1 again (at the start of a clause's proofs): the names, and
    so the queries and their cache keys, are then the same however many clauses ran before."""
    global _MEMBERS
    _MEMBERS = itertools.count(1)


class NotGeneric(Exception):
    """The values cannot be written as one template: prove member by member instead."""


class Member:
    """A member of an enumeration left open: its own variable for every column, and its
    index ``idx`` (0 … n-1) in the enumeration."""

    def __init__(self, space: Space, name: str):
        # a name of its own: two members of one proof (even of the same bound name, as in
        # forall(k in E, forall(k in E, …))) must never share a variable
        self.space, self.name = space, f"{name}~{next(_MEMBERS)}"
        self.idx = z3.Int(f"{name}!index", space.ctx)
        self.vars: dict[int, z3.ExprRef] = {space.index.get_id(): self.idx}

    def var(self, ph: z3.ExprRef) -> z3.ExprRef:
        v = self.vars.get(ph.get_id())
        if v is None:
            v = self.vars[ph.get_id()] = z3.Const(f"{self.name}!{ph.decl().name()}", ph.sort())
        return v

    def inst(self, template: Any) -> Any:
        """The template (a term or a dict of terms) for this member."""
        if isinstance(template, dict):
            return {k: self.inst(v) for k, v in template.items()}
        phs = self.space.placeholders_in(template)
        if not phs:
            return template
        m = len(phs)
        src, dst = (Ast * m)(), (Ast * m)()
        for j, p in enumerate(phs):
            src[j], dst[j] = p.as_ast(), self.var(p).as_ast()
        return _to_expr_ref(C.Z3_substitute(self.space.ctx.ref(), template.as_ast(), m, src, dst), self.space.ctx)

    def of(self, xs: list) -> z3.ExprRef:
        """This member's term of a list of one term per member (its template, instantiated)."""
        return self.inst(self.space.generalize(list(xs)))

    def constraints(self) -> list[z3.BoolRef]:
        """What this member's variables satisfy: the generic constraints of every column it
        uses so far (call it after instantiating the templates of the proof), closed over the
        columns those constraints bring in, and the range of its index."""
        sp = self.space
        out = [self.idx >= 0, self.idx < sp.n]
        done: set[int] = {sp.index.get_id()}
        todo = [sp.col_ph[i] for i in list(self.vars) if i in sp.col_ph]
        while todo:
            ph = todo.pop()
            if ph.get_id() in done:
                continue
            done.add(ph.get_id())
            for c in sp.column_constraints(ph):
                out.append(self.inst(c))
                todo += [p for p in sp.placeholders_in(c) if p.get_id() not in done]
        return out


def distinct(a: Member, b: Member) -> list[z3.BoolRef]:
    """Two different members: different indices (their own variables are already apart)."""
    return [a.idx != b.idx]


class Space:
    """The templates of one enumeration in one translation of a rule: columns (a tuple of n
    terms, one per member, each a variable or a number) and their placeholders, and the
    generic constraints of each column, found in ``pool`` (the rule's constraints)."""

    def __init__(self, enum: EnumType, ctx: z3.Context, pool: list[z3.BoolRef]):
        self.enum, self.ctx, self.n = enum, ctx, len(enum.values)
        self.index = z3.Int(f"medlem!{enum.name}", ctx)
        self.columns: dict[tuple, z3.ExprRef] = {}      # column (term ids) → placeholder
        self.col_terms: dict[int, tuple] = {}            # placeholder id → the n terms
        self.col_ph: dict[int, z3.ExprRef] = {}          # placeholder id → placeholder
        self.col_facts: dict[int, list] = {}             # placeholder id → generic constraints
        self.templates: dict[int, tuple[Any, Any]] = {}  # id(map) → (map, template)
        self.pool = pool
        self._by_sym: dict[int, list[int]] | None = None
        self._ph_cache: dict[int, tuple] = {}
        self._first: tuple[int, dict] = (-1, {})

    # -- anti-unification ----------------------------------------------------------------------
    def generalize(self, xs: list[Any], memo: dict | None = None) -> Any:
        """One template for the n values ``xs`` (terms, or dicts of terms with the same keys),
        or :class:`NotGeneric`."""
        if len(xs) != self.n:
            raise NotGeneric("not one value per member")
        if isinstance(xs[0], dict):
            keys = list(xs[0])
            if any(not isinstance(x, dict) or list(x) != keys for x in xs):
                raise NotGeneric("maps with different keys")
            return {k: self.generalize([x[k] for x in xs], memo) for k in keys}
        if not all(z3.is_expr(x) for x in xs):
            raise NotGeneric("not terms")
        out = self._au([x.as_ast() for x in xs], {} if memo is None else memo)
        return out if isinstance(out, z3.ExprRef) else _to_expr_ref(out, self.ctx)

    def _au(self, xs: list, memo: dict):
        """Anti-unify raw ASTs (the C API: the Python wrappers cost ~10× more per node).
        Returns a raw AST when the n terms are one and the same, else an ``ExprRef`` (which
        holds a reference, so Z3 keeps the new term alive)."""
        c = self.ctx.ref()
        ids = tuple(C.Z3_get_ast_id(c, x) for x in xs)
        i0 = ids[0]
        if all(i == i0 for i in ids):
            return xs[0]
        got = memo.get(ids)
        if got is not None:
            return got
        kinds = {C.Z3_get_ast_kind(c, x) for x in xs}
        if kinds == {z3.Z3_NUMERAL_AST}:
            out = self._column([_to_expr_ref(x, self.ctx) for x in xs], ids)
        elif kinds == {z3.Z3_APP_AST}:
            apps = [C.Z3_to_app(c, x) for x in xs]
            decls = [C.Z3_get_app_decl(c, a) for a in apps]
            k = C.Z3_get_app_num_args(c, apps[0])
            if k == 0 and all(C.Z3_get_app_num_args(c, a) == 0 and
                              C.Z3_get_decl_kind(c, d) == z3.Z3_OP_UNINTERPRETED for a, d in zip(apps, decls)):
                out = self._column([_to_expr_ref(x, self.ctx) for x in xs], ids)
            else:
                # (k == 0 here needs no test of its own: n applications of one declaration to no
                # arguments are one term, returned above, so some member differs in arity or decl)
                d0 = decls[0]
                if any(C.Z3_get_app_num_args(c, a) != k or not C.Z3_is_eq_func_decl(c, d, d0)
                       for a, d in zip(apps[1:], decls[1:])):
                    raise NotGeneric("the members' terms differ in shape")
                kids = [self._au([C.Z3_get_app_arg(c, a, j) for a in apps], memo) for j in range(k)]
                args = (Ast * k)()
                for j, kid in enumerate(kids):
                    args[j] = kid.as_ast() if isinstance(kid, z3.ExprRef) else kid
                # the new term holds its arguments itself (Z3 counts references of subterms)
                out = _to_expr_ref(C.Z3_mk_app(c, d0, k, args), self.ctx)
        else:
            raise NotGeneric("the members' terms differ in shape")
        memo[ids] = out
        return out

    def _column(self, xs: list, ids: tuple) -> z3.ExprRef:
        ph = self.columns.get(ids)
        if ph is not None:
            return ph
        if all(_is_number(x) for x in xs):
            values = [x.as_fraction() if z3.is_rational_value(x) else x.as_long() for x in xs]
            if z3.is_int(xs[0]) and values == list(range(self.n)):
                ph = self.index                                   # the member's own index
            else:
                ph = z3.Const(f"kolumn!{self.enum.name}!{len(self.columns)}", xs[0].sort())
                lo, hi = min(values), max(values)
                self.col_facts[ph.get_id()] = [ph >= _num(lo, ph), ph <= _num(hi, ph)]
        else:
            ph = z3.Const(f"kolumn!{self.enum.name}!{len(self.columns)}", xs[0].sort())
        self.columns[ids] = ph
        self.col_terms[ph.get_id()] = tuple(xs)
        self.col_ph[ph.get_id()] = ph
        return ph

    def placeholders_in(self, t: Any) -> list[z3.ExprRef]:
        if isinstance(t, dict):
            out: dict[int, z3.ExprRef] = {}
            for v in t.values():
                out.update({p.get_id(): p for p in self.placeholders_in(v)})
            return list(out.values())
        tid = t.get_id()
        got = self._ph_cache.get(tid)
        if got is None:
            # the term is kept with its entry, so that its id is not given to another term
            got = self._ph_cache[tid] = (t, [s for s in symbols_of(t) if s.get_id() in self.col_ph or s.eq(self.index)])
        return got[1]

    # -- maps ----------------------------------------------------------------------------------
    def template_of(self, m: dict) -> Any:
        """The template of a map over this enumeration (cached: maps are shared objects)."""
        got = self.templates.get(id(m))
        if got is not None and got[0] is m:
            return got[1]
        t = self.generalize([m[v] for v in self.enum.values])
        self.templates[id(m)] = (m, t)
        return t

    # -- constraints of a column ---------------------------------------------------------------
    def column_constraints(self, ph: z3.ExprRef) -> list[z3.BoolRef]:
        """The generic constraints of a column of variables: for each member, the constraints
        of the pool that mention its variable, in the order the rule made them; the k-th of
        every member, generalized together, when they fit one template."""
        key = ph.get_id()
        if key in self.col_facts:
            return self.col_facts[key]
        self.col_facts[key] = out = []
        xs = self.col_terms.get(key)
        if xs is None or not all(_is_var(x) for x in xs):
            return out
        by_sym = self._index()
        lists = [by_sym.get(x.get_id(), []) for x in xs]
        if any(len(lst) != len(lists[0]) for lst in lists):
            return out
        for k in range(len(lists[0])):
            cs = [self.pool[lst[k]] for lst in lists]
            c = self._by_substitution(cs)
            if c is None:
                try:
                    c = self.generalize(cs)
                except NotGeneric:
                    continue
            if self.placeholders_in(c):
                out.append(c)
        return out

    def _by_substitution(self, cs: list) -> z3.ExprRef | None:
        """The fast way to a template, when the constraints mention only columns already
        known: replace member 0's variables by placeholders, then check, member by member,
        that putting that member's variables back gives exactly its constraint (one
        substitution in Z3 per member instead of a walk through every member's term). Any
        mismatch (a variable not yet a column, a member's variable inside a term all members
        share) leaves the work to :meth:`generalize`."""
        c = self.ctx.ref()
        if self._first[0] != len(self.col_ph):      # member 0's variable → its column
            self._first = (len(self.col_ph), {xs[0].get_id(): ph for pid, ph in self.col_ph.items()
                                              if _is_var((xs := self.col_terms[pid])[0])})
        first = self._first[1]
        phs = [first[x.get_id()] for x in symbols_of(cs[0]) if x.get_id() in first]
        if not phs:
            return None
        m = len(phs)
        src, dst = (Ast * m)(), (Ast * m)()
        for j, ph in enumerate(phs):
            src[j], dst[j] = self.col_terms[ph.get_id()][0].as_ast(), ph.as_ast()
        template = _to_expr_ref(C.Z3_substitute(c, cs[0].as_ast(), m, src, dst), self.ctx)
        for j, ph in enumerate(phs):
            src[j] = ph.as_ast()
        t = template.as_ast()
        for i in range(1, self.n):
            for j, ph in enumerate(phs):
                dst[j] = self.col_terms[ph.get_id()][i].as_ast()
            inst = C.Z3_substitute(c, t, m, src, dst)
            if C.Z3_get_ast_id(c, inst) != C.Z3_get_ast_id(c, cs[i].as_ast()):
                return None
        return template

    def _index(self) -> dict[int, list[int]]:
        if self._by_sym is None:
            self._by_sym = {}
            for i, c in enumerate(self.pool):
                for s in symbols_of(c):
                    self._by_sym.setdefault(s.get_id(), []).append(i)
        return self._by_sym


def _is_var(x) -> bool:
    return z3.is_const(x) and x.decl().kind() == z3.Z3_OP_UNINTERPRETED


def _is_number(x) -> bool:
    return z3.is_int_value(x) or z3.is_rational_value(x)


def _num(v, like):
    return z3.IntVal(v, like.ctx) if z3.is_int(like) else z3.RealVal(v, like.ctx)


_SYMS: dict[tuple, tuple] = {}     # (context, term id) → (term, its constants); the term is
                                    # kept so that its id is not reused while cached


def clear_symbols() -> None:
    """Forget the cached constants (when a clause's context is done with)."""
    _SYMS.clear()


def symbols_of(e) -> list:
    """The uninterpreted constants of ``e``, each once, in order of first occurrence (walking
    raw ASTs: the Python wrappers cost ~10× more per node). Cached: the prover asks for the
    constants of the same constraints many times (slicing, the columns' constraints)."""
    key = (id(e.ctx), e.get_id())
    got = _SYMS.get(key)
    if got is not None:
        return got[1]
    if len(_SYMS) > 500_000:
        _SYMS.clear()
    out = _walk_syms(e)
    _SYMS[key] = (e, out)
    return out


def _walk_syms(e) -> list:
    c = e.ctx.ref()
    out, seen, stack = [], set(), [e.as_ast()]
    while stack:
        x = stack.pop()
        xid = C.Z3_get_ast_id(c, x)
        if xid in seen:
            continue
        seen.add(xid)
        if C.Z3_get_ast_kind(c, x) != z3.Z3_APP_AST:
            continue
        a = C.Z3_to_app(c, x)
        k = C.Z3_get_app_num_args(c, a)
        if k == 0:
            if C.Z3_get_decl_kind(c, C.Z3_get_app_decl(c, a)) == z3.Z3_OP_UNINTERPRETED:
                out.append(_to_expr_ref(x, e.ctx))
            continue
        stack.extend(C.Z3_get_app_arg(c, a, j) for j in range(k - 1, -1, -1))
    return out
