"""The two meanings of apportion/quota and of the whole §7 rule agree (Hypothesis), and the
abstraction's side constraints determine the values uniquely when inputs are fixed."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings, strategies as st

from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.load import load_project
from avtalsregler.prover.prove import z3_value

from ..conftest import ROOT
from ..profiles import examples

_P = load_project(ROOT)
_C = _P.clauses["§7"]
KOMMUN = _P.enums["kommun"].values

pops = st.fixed_dictionaries({k: st.integers(0, 10_000_000) for k in KOMMUN}).filter(lambda d: sum(d.values()) > 0)
small_pops = st.fixed_dictionaries({k: st.integers(0, 5) for k in KOMMUN}).filter(lambda d: sum(d.values()) > 0)
amounts = st.integers(0, 100_000_000_000)


@settings(max_examples=examples(40), deadline=None)
@given(st.one_of(pops, small_pops), st.one_of(amounts, st.integers(0, 20)))
def test_split_concrete_equals_z3(befolkning, arsbelopp):
    given_ = {"arsbelopp": arsbelopp, "befolkning": befolkning}
    names = ["exakt_andel", "arsandel", "kvartalsfaktura", "befolkningsandel", "total_befolkning"]
    exact, _ = evaluate(_C, _P.enums, given_, names)
    for n in names:
        assert z3_value(_C, _P.enums, given_, n) == exact[n], n


@settings(max_examples=examples(40), deadline=None)
@given(st.one_of(pops, small_pops), st.one_of(amounts, st.integers(0, 20)))
def test_split_properties_exactly(befolkning, arsbelopp):
    v, _ = evaluate(_C, _P.enums, {"arsbelopp": arsbelopp, "befolkning": befolkning}, ["arsandel", "kvartalsfaktura"])
    W = sum(befolkning.values())
    assert sum(v["arsandel"].values()) == arsbelopp
    for k in KOMMUN:
        assert abs(v["arsandel"][k] - Fraction(arsbelopp * befolkning[k], W)) < 1
        assert sum(v["kvartalsfaktura"][k].values()) == v["arsandel"][k]
    for a in KOMMUN:
        for b in KOMMUN:
            if befolkning[a] > befolkning[b]:
                assert v["arsandel"][a] >= v["arsandel"][b]


@settings(max_examples=examples(30), deadline=None)
@given(st.integers(0, 100_000_000_000).map(Fraction) | st.fractions(0, 10**9), st.fractions(Fraction(-1, 2), 1))
def test_indexation_concrete_equals_z3(prev, change):
    given_ = {"foregaende_arsbelopp": prev, "uppraekning": change}
    exact, _ = evaluate(_C, _P.enums, given_, ["uppraknat_exakt", "uppraknat_arsbelopp"])
    assert z3_value(_C, _P.enums, given_, "uppraknat_exakt") == exact["uppraknat_exakt"]
    assert z3_value(_C, _P.enums, given_, "uppraknat_arsbelopp") == exact["uppraknat_arsbelopp"]


def test_largest_remainder_by_hand():
    # 100 öre by weights 1, 1, 1, 0, 0, 0, 0, 0: quotas 33 1/3 each; floors 33 + 33 + 33 = 99;
    # 1 öre left, equal rests → the first listed (Ragunda).
    w = {k: (1 if i < 3 else 0) for i, k in enumerate(KOMMUN)}
    v, _ = evaluate(_C, _P.enums, {"arsbelopp": 100, "befolkning": w}, ["arsandel"])
    assert [v["arsandel"][k] for k in KOMMUN] == [34, 33, 33, 0, 0, 0, 0, 0]
    # The input order does not matter: the same weights given in reverse order.
    v2, _ = evaluate(_C, _P.enums, {"arsbelopp": 100, "befolkning": dict(reversed(list(w.items())))}, ["arsandel"])
    assert v2 == v
