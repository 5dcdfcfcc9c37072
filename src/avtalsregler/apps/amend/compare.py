"""What re-verifying an amended project found, as findings of the report: every proof whose
result changes (or that the amendment changes on purpose), every failing example with its
mismatch lines; and places in the amended copy mapped back to the project or the amendment."""

from __future__ import annotations

from pathlib import Path

from avtalsregler.apps.amend.amendment import Amendment
from avtalsregler.apps.amend.apply import Applied
from avtalsregler.apps.amend.swedish import CHANGE_SV, KIND_SV, STATUS_SV, detail_sv, mismatch_lines
from avtalsregler.errors import Span


def rel_span(span: Span | None, copy_root: Path) -> Span | None:
    if span is None:
        return None
    p = str(span.path)
    base = str(copy_root.resolve())
    for prefix in (base + "/", str(copy_root) + "/"):
        if p.startswith(prefix):
            return Span(p[len(prefix):], span.line, span.col)
    return span


def mapped(span: Span | None, applied: Applied, copy_root: Path) -> Span | None:
    """A place in the amended copy, as a place in the original project or the amendment."""
    s = rel_span(span, copy_root)
    if s is not None and s.path in applied.maps:
        return applied.maps[s.path].where(s)
    return s


def invariant_change(a: Amendment, clause: str, name: str) -> dict | None:
    for ch in a.changes:
        if ch.clause != clause:
            continue
        for item in ch.spec:
            if item.section == "invariants" and item.key == name:
                return {"node": item.node, "remove": item.remove, "fields": set(item.fields)}
    return None


def proof_json(p) -> dict:
    return {"kind": p.kind, "name": p.name, "status": p.status, "detail": p.detail, "inputs": p.inputs,
            "outputs": p.outputs, "replay": p.replay, "seconds": round(p.seconds, 4)}


def compare_proofs(report, a, applied, before, after, runs_before, runs_after, copy_root) -> None:
    for cid, run in runs_after.items():
        old = {(p.kind, p.name): p for p in runs_before[cid].proofs} if cid in runs_before else {}
        new = {(p.kind, p.name): p for p in run.proofs}
        old_spec, new_spec = before.specs.get(cid), after.specs.get(cid)
        for key in list(old) + [k for k in new if k not in old]:
            p0, p1 = old.get(key), new.get(key)
            kind, name = key
            what = f"{KIND_SV.get(kind, kind)} {name!r} i {cid}"
            change = invariant_change(a, cid, name) if kind == "invariant" else None
            if change is not None:
                inv0 = next((i for i in old_spec.invariants if i.name == name), None) if old_spec else None
                inv1 = next((i for i in new_spec.invariants if i.name == name), None) if new_spec else None
                entry = {"clause": cid, "name": name,
                         "change": "removed" if change["remove"] else "added" if inv0 is None else "changed",
                         "old_holds": inv0.source if inv0 else None, "new_holds": inv1.source if inv1 else None,
                         "old_reason": inv0.reason if inv0 else None, "new_reason": inv1.reason if inv1 else None,
                         "before": p0.status if p0 else None, "after": p1.status if p1 else None,
                         "where": str(change["node"].span)}
                report.on_purpose.append(entry)
                report.add("notice" if (p1 is None or p1.ok) else "error", "guarantee",
                           f"{what} {CHANGE_SV[entry['change']]} avsiktligt i förslaget"
                           + (f": {flat(entry['old_holds'])} → {flat(entry['new_holds'])}"
                              if entry["change"] == "changed" else ""), change["node"].span)
            if p1 is None:
                if change is None:
                    report.add("error", "guarantee", f"{what} prövas inte längre efter ändringen", None,
                               ["hint: ta bort den med 'remove: true' under spec i förslaget, med en motivering"])
                continue
            if p0 is None or p0.status != p1.status:
                report.guarantees.append({"clause": cid, "before": p0.status if p0 else None,
                                          "after": p1.status, **proof_json(p1),
                                          "where": str(mapped(p1.span, applied, copy_root))})
            if not p1.ok:
                detail = [f"skäl: {p1.reason}"] if p1.reason else []
                if p1.detail:
                    detail.append(detail_sv(flat(p1.detail)))
                if p1.inputs:
                    detail.append("motexempel (bara de indata som spelar roll):")
                    detail += [f"  {k} = {v}" for k, v in p1.inputs.items()]
                if p1.outputs:
                    detail.append("beräknat:")
                    detail += [f"  {k} = {v}" for k, v in p1.outputs.items()]
                was = (f" (var {STATUS_SV.get(p0.status, p0.status)})" if p0 is not None and p0.status != p1.status
                       else "")
                report.add("error", "guarantee", f"{what}: {STATUS_SV.get(p1.status, p1.status)}{was} efter ändringen",
                           mapped(p1.span, applied, copy_root), detail)


def flat(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def compare_examples(report, applied, runs_after, after, copy_root) -> None:
    for cid, run in runs_after.items():
        spec = after.specs.get(cid)
        for e in run.examples:
            report.examples.append({"clause": cid, "name": e.name, "ok": e.ok, "message": e.message,
                                    "mismatches": [{"name": n, "expected": w, "computed": g}
                                                   for n, w, g, _sp in e.mismatches],
                                    "where": str(mapped(e.span, applied, copy_root))})
            if not e.ok:
                ex = next((x for x in (spec.examples if spec else []) if x.name == e.name), None)
                detail = mismatch_lines(e, run.clause, after, ex)
                detail.append("hint: om förslaget avsiktligt ändrar värdet: ändra exemplets 'expect' i förslaget, "
                              "med de nya talen räknade för hand")
                report.add("error", "example", f"exemplet {e.name!r} i {cid} stämmer inte efter ändringen",
                           mapped(e.span, applied, copy_root), detail)
