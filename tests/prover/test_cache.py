"""The proof cache cannot lie: a changed rule is proved again (and its counterexample found), a
changed comment or description is taken from the cache, unknown is never cached, counterexamples
are replayed, and a corrupt or truncated entry is ignored."""

from __future__ import annotations

import json
import os

import z3

from avtalsregler.project.load import load_project
from avtalsregler.prover.cache import ProofCache
from avtalsregler.prover.check import check_project

from .test_prove import by_name, make

S08 = "rules/s08_aterrapportering.yaml"


def solver_proofs(results):
    """The proofs that asked the solver (an obligation with nothing to ask, e.g. a rule without
    partial operations, is neither solved nor cached)."""
    return [p for r in results for p in r.proofs if not p.detail.startswith("no partial operation")
            and p.kind != "range"]


def test_a_changed_comment_is_taken_from_the_cache_and_a_changed_rule_is_proved_again(project_copy, tmp_path):
    cache = ProofCache(tmp_path / "cache")
    first = check_project(load_project(project_copy), ["§8"], cache=cache)
    assert all(r.ok for r in first) and not any(p.cached for r in first for p in r.proofs)
    assert cache.written > 0

    # a comment line at the top and another description: every proof from the cache, and the
    # spans are today's (one line further down), not the cached run's
    path = project_copy / S08
    text = path.read_text(encoding="utf-8")
    edited = "# en kommentar\n" + text.replace("Sen. Skyldigheten är fullgjord, men efter fristen.",
                                                "Sen, alltså fullgjord efter fristen.")
    assert edited.count("\n") == text.count("\n") + 1 and "Sen, alltså" in edited
    path.write_text(edited, encoding="utf-8")
    again = check_project(load_project(project_copy), ["§8"], cache=cache)
    proofs = solver_proofs(again)
    assert proofs and all(p.cached for p in proofs), [p.name for p in proofs if not p.cached]
    assert all(r.ok for r in again)
    def lines(results, path):
        return {p.name: p.span.line for p in results[0].proofs if p.span and p.span.path.endswith(path)}
    assert lines(first, S08)
    assert lines(again, S08) == {n: x + 1 for n, x in lines(first, S08).items()}

    # a late answer on the deadline day itself counted as late too: then a verdict is both
    # "uppfylld" and "sen", and the invariant that there is exactly one verdict is broken
    path.write_text(edited.replace("handelse_datum > frist", "handelse_datum >= frist"), encoding="utf-8")
    broken = check_project(load_project(project_copy), ["§8"], cache=cache)
    p = by_name(broken)["exakt_en_bedomning"]
    assert p.status == "counterexample" and not p.cached
    # the counterexample is real: the event on the deadline day
    assert p.inputs["handelse_datum"] == p.inputs["utlost_datum"] and p.inputs["frist_dagar"] == "0 dagar"
    assert p.outputs["bedomning_uppfylld"] == p.outputs["bedomning_sen"] == "ja"

    # and that counterexample is cached with its model and replayed exactly the next time
    replayed = by_name(check_project(load_project(project_copy), ["§8"], cache=cache))["exakt_en_bedomning"]
    assert replayed.cached and replayed.status == "counterexample"
    assert (replayed.inputs, replayed.outputs, replayed.replay, replayed.detail) == (p.inputs, p.outputs, p.replay, p.detail)
    # the rounding of the counterexample (an optimiser's query, prover/minimal.py) is cached too:
    # ``cached`` says nothing was solved; and without any cache it is the same counterexample
    fresh = by_name(check_project(load_project(project_copy), ["§8"], cache=False))["exakt_en_bedomning"]
    assert (fresh.inputs, fresh.outputs, fresh.replay, fresh.detail) == (p.inputs, p.outputs, p.replay, p.detail)


def test_unknown_is_never_cached_and_counterexamples_are_replayed(tmp_path):
    cache = ProofCache(tmp_path / "cache")
    project = make(tmp_path / "p")
    first = by_name(check_project(project, timeout_s=1, cache=cache))
    second = by_name(check_project(project, timeout_s=1, cache=cache))
    # the non-linear invariant times out: unknown both times, solved again the second time
    assert first["fermat_tre"].status == second["fermat_tre"].status == "unknown"
    assert not second["fermat_tre"].cached
    # a / n for n = 0 and the contradicting requirements: the same counterexamples, from the cache
    for name in ("krav_forenliga",) + tuple(n for n in first if n.startswith("definierad")):
        assert second[name].cached, name
        assert second[name].status == first[name].status == "counterexample"
        assert (second[name].inputs, second[name].outputs, second[name].detail) == \
               (first[name].inputs, first[name].outputs, first[name].detail)
    defined = [p for p in second.values() if p.kind == "defined"]
    assert defined[0].inputs["n"] == "0"


def test_corrupt_or_truncated_entries_are_ignored(tmp_path):
    cache = ProofCache(tmp_path / "cache")
    project = make(tmp_path / "p")
    first = by_name(check_project(project, timeout_s=1, cache=cache))
    entries = cache.entries()
    assert len(entries) >= 3
    # truncate one, put garbage in one, and make one lie (unsat for a sat query) without its checksum
    entries[0].write_text(entries[0].read_text(encoding="utf-8")[:20], encoding="utf-8")
    entries[1].write_bytes(b"\xff\xfe not json")
    lied = 0
    for e in entries[2:]:
        entry = json.loads(e.read_text(encoding="utf-8"))
        if entry["body"]["result"] == "sat":
            entry["body"] = {"key": entry["key"], "result": "unsat"}
            e.write_text(json.dumps(entry), encoding="utf-8")
            lied += 1
    assert lied
    fresh = ProofCache(tmp_path / "cache")
    second = by_name(check_project(project, timeout_s=1, cache=fresh))
    assert {n: p.status for n, p in second.items()} == {n: p.status for n, p in first.items()}
    assert fresh.written >= 2 + lied        # the bad entries were solved again and written anew
    assert second["krav_forenliga"].status == "counterexample"


def test_keys_hold_timeout_options_and_declarations(tmp_path):
    cache = ProofCache(tmp_path / "c")
    x = z3.Int("x")
    y = z3.Real("x2")
    a = [x > 0]
    assert cache.key(a, 1000, None) == cache.key([z3.Int("x") > 0], 1000, None)
    assert cache.key(a, 1000, None) != cache.key(a, 2000, None)
    assert cache.key(a, 1000, None) != cache.key(a, 1000, {"arith.solver": 2})
    # the same text "(= x x2)" over other sorts is another query
    assert cache.key([x == z3.ToInt(y)], 1000, None) != cache.key([z3.ToReal(x) == y], 1000, None)
    cache.put(cache.key(a, 1000, None), z3.unknown, None)
    assert cache.entries() == []


def test_prune_and_clear(tmp_path):
    cache = ProofCache(tmp_path / "c", max_entries=3)
    s = z3.Solver()
    for i in range(6):
        cache.put(cache.key([z3.Int("x") == i], 1000, None), z3.unsat, s)
    assert len(cache.entries()) == 6
    assert cache.prune() == 3 and len(cache.entries()) == 3
    assert cache.clear() == 3 and cache.entries() == []


def test_terms_of_another_context_never_share_a_text(tmp_path):
    """Each clause is proved in a fresh Z3 context, where term numbers start again: a term of a
    new context with the number of an old one must get its own text (a cache keyed by the
    number alone answered §9's query with §8's answer)."""
    cache = ProofCache(tmp_path / "c")
    c1, c2 = z3.Context(), z3.Context()
    a1 = z3.Int("x", c1) > 0
    a2 = z3.Int("y", c2) < 5
    assert a1.get_id() == a2.get_id()          # the situation: the same number in two contexts
    assert cache.key([a1], 1000, None) != cache.key([a2], 1000, None)
    assert cache.key([a1], 1000, None) == cache.key([z3.Int("x", c1) > 0], 1000, None)


# -- the whole-check memo (prover/memo.py; through the command line: tests/cli/test_check_cache.py)
def test_memo_templates_leave_only_the_total_and_the_token_open():
    from avtalsregler.prover.memo import SENTINELS, fill, template

    def render(total, token):
        return (f"::stop-commands::{token}\n14 clauses in {total:.2f} s; 0.50 s\n::{token}::\n"
                f'{{"seconds": {round(total, 3)}}} på {f"{total:.2f}".replace(".", ",")} s')
    t = template(render(SENTINELS[0], "a" * 32), render(SENTINELS[1], "b" * 32))
    assert t is not None and t["holes"] == ["token", "text", "token", "json", "sv"]
    out = fill(t, 1.5)
    token = out.split("\n")[0].removeprefix("::stop-commands::")
    assert len(token) == 32 and token not in ("a" * 32, "b" * 32)
    assert out == render(1.5, token)
    # anything else that differs between the two renderings: nothing to store
    assert template(render(SENTINELS[0], "a" * 32) + "x", render(SENTINELS[1], "b" * 32)) is None


def test_memo_entries_check_their_files_listings_and_checksum(tmp_path):
    from avtalsregler.project.inputs import listing, read_input, recording
    from avtalsregler.prover.memo import Memo

    (tmp_path / "in").mkdir()
    f = tmp_path / "in" / "a.yaml"
    f.write_text("x: 1\n", encoding="utf-8")
    memo = Memo(tmp_path / "c")
    head = memo.head("check", {"format": "text"})
    assert head != memo.head("check", {"format": "json"}) and head == memo.head("check", {"format": "text"})
    with recording() as reads:
        listing(tmp_path / "in", "*.yaml")
        read_input(f)
    outputs = [{"dest": None, "append": False, "pieces": ["ok in ", " s\n"], "holes": ["text"]}]
    assert memo.store(head, reads, outputs, 0)
    assert memo.lookup(head)["outputs"] == outputs
    path = next((tmp_path / "c" / "memo").glob("*.json"))
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["body"]["code"] = 1                                     # tampered: the checksum no longer matches
    path.write_text(json.dumps(entry), encoding="utf-8")
    assert memo.lookup(head) is None
    assert memo.store(head, reads, outputs, 0) and memo.lookup(head) is not None
    (tmp_path / "in" / "b.yml").write_text("", encoding="utf-8")  # not listed by the pattern
    assert memo.lookup(head) is not None
    (tmp_path / "in" / "b.yaml").write_text("", encoding="utf-8")  # listed: a new file
    assert memo.lookup(head) is None
    (tmp_path / "in" / "b.yaml").unlink()
    f.write_text("x: 2\n", encoding="utf-8")
    assert memo.lookup(head) is None
    reads_ok = reads
    with recording() as reads:                                     # one file read twice, changed in between
        read_input(f)
        f.write_text("x: 3\n", encoding="utf-8")
        read_input(f)
    assert not memo.store(head, reads, outputs, 0)
    assert memo.clear() == 1 and memo.lookup(head) is None
    for i in range(4):                                             # bounded: the oldest entries go
        assert memo.store(f"h{i}", reads_ok, outputs, 0)
        os.utime(tmp_path / "c" / "memo" / f"h{i}.json", (1_000_000 + i, 1_000_000 + i))
    assert memo.prune(keep=2) == 2 and sorted(p.stem for p in (tmp_path / "c" / "memo").glob("*.json")) == ["h2", "h3"]
