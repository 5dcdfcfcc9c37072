"""Tensions of the text found by generated obligations (prover/tensions.py): a permission
exercised to the full extent its words state against the requirements, and requirements that
can never be broken (or met), each with a situation whose amounts are not 0 kr; and how a
reading of the register resolves, leaves open or fails to address them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from avtalsregler.errors import SchemaError
from avtalsregler.project.load import load_project
from avtalsregler.prover.check import check_project

S12 = "rules/s12_tvist.yaml"
ANCHOR = "  innehallandet_inom_taket:\n    kind: requirement\n"


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_definition(root, block):
    """Put a definition into §12 before innehallandet_inom_taket."""
    edit(root, S12, ANCHOR, block + ANCHOR)


def tensions(root):
    [r] = check_project(load_project(root), ["§12"], timeout_s=30)
    return r, {t.name: t for t in r.tensions}


def test_s12_permission_to_withhold_the_whole_breaks_the_cap(project):
    """§12 s12.2 lets the municipality withhold "delar av eller hela ersättningen", s12.3 caps
    it at 50 % of the disputed area's share. Withholding the whole period's compensation P > 0
    when the area's share A is at most P (the areas sum to P and none is negative) breaks the
    cap floor(A / 2) <= P / 2 < P. The reading R12-hela-ersattningen is open: an open question."""
    [r] = check_project(project, ["§12"], timeout_s=30)
    t = {t.name: t for t in r.tensions}["ratt_att_innehalla_fullt_ut"]
    assert t.found is True and t.status == "open" and r.ok
    assert t.reading == "R12-hela-ersattningen" and t.reading_status == "open"
    assert t.broken == ["innehallandet_inom_taket"]
    withheld, period = t.given["innehallet_belopp"], t.given["ersattning_perioden"]
    assert withheld == period > 0
    area = t.given["ersattning_per_omrade"][t.given["omtvistat_omrade"]]
    assert t.computed["tak_innehallen_ersattning"] == area // 2 < withheld
    # the situation is non-degenerate and reads as one: every amount in whole kronor, ≥ 100 kr
    assert all(v > 0 and v % 100 == 0 for v in t.given["ersattning_per_omrade"].values())


def test_literal_whole_amount_permission_is_reported_where_krav_forenliga_was_satisfied(project_copy):
    """A permission written literally, "the municipality may withhold the whole amount": the
    old obligation (krav_forenliga, met with 0 kr everywhere) found nothing. Now the tension is
    found, no reading addresses it, and check fails with the permission's position."""
    add_definition(project_copy, """\
  far_halla_inne_hela:
    kind: permission
    type: bool
    expr: ratt_att_innehalla and innehallet_belopp == ersattning_perioden
    description: Kommunen får hålla inne hela periodens ersättning.
    sentence: s12.2
""")
    r, ts = tensions(project_copy)
    t = ts["far_halla_inne_hela_fullt_ut"]
    assert t.found is True and t.status == "unresolved" and not r.ok
    assert "innehallandet_inom_taket" in t.broken
    assert {p.name: p for p in r.proofs}["krav_forenliga"].status == "proved"
    cli = subprocess.run([sys.executable, "-m", "avtalsregler", "--root", str(project_copy), "check",
                          "--clause", "§12"], capture_output=True, text=True, timeout=600)
    assert cli.returncode == 1, cli.stdout + cli.stderr
    line = next(i for i, ln in enumerate((project_copy / S12).read_text().splitlines(), 1)
                if ln.startswith("  far_halla_inne_hela:"))
    assert f"{S12}:{line}:3: error: tension in the text: permission 'far_halla_inne_hela'" in cli.stdout
    assert "innehallet_belopp = " in cli.stdout and "FAILED" in cli.stdout


def test_reading_status_decides_how_the_tension_counts(project_copy):
    # no reading: a failure
    edit(project_copy, S12, "    tension: R12-hela-ersattningen\n", "")
    r, ts = tensions(project_copy)
    assert ts["ratt_att_innehalla_fullt_ut"].status == "unresolved" and not r.ok
    # a decided reading: resolved, not a failure
    edit(project_copy, S12, "    extent:\n", "    tension: R12-hela-ersattningen\n    extent:\n")
    edit(project_copy, "readings/s12_tvist.yaml", "          områden eller ett belopp som användaren anger.\n    status: open",
         "          områden eller ett belopp som användaren anger.\n    status: decided")
    r, ts = tensions(project_copy)
    assert ts["ratt_att_innehalla_fullt_ut"].status == "resolved" and r.ok


def test_a_requirement_that_can_never_be_broken_is_a_tautology(project_copy):
    """innehallet_belopp has min 0, so 'innehallet_belopp >= 0' holds in every situation."""
    add_definition(project_copy, """\
  aldrig_negativt_krav:
    kind: requirement
    type: bool
    expr: innehallet_belopp >= 0
    description: Det innehållna beloppet är inte negativt.
    sentence: s12.3
""")
    r, ts = tensions(project_copy)
    assert ts["aldrig_negativt_krav_kan_brytas"].status == "unresolved"
    assert "tautology" in ts["aldrig_negativt_krav_kan_brytas"].detail
    assert ts["aldrig_negativt_krav_kan_uppfyllas"].status == "none"
    assert ts["aldrig_negativt_krav_kan_uppfyllas"].given["innehallet_belopp"] != 0
    assert not r.ok


def test_a_requirement_met_only_when_nothing_is_withheld_is_not_met_by_zero_amounts(project_copy):
    """'innehallet_belopp < 0' can never hold (min 0): it can never be met."""
    add_definition(project_copy, """\
  omojligt_krav:
    kind: requirement
    type: bool
    expr: innehallet_belopp < 0
    description: Ett omöjligt krav.
    sentence: s12.3
""")
    r, ts = tensions(project_copy)
    assert ts["omojligt_krav_kan_uppfyllas"].status == "unresolved" and not r.ok


def test_requirements_of_s12_are_met_and_broken_with_amounts(project):
    [r] = check_project(project, ["§12"], timeout_s=30)
    ts = {t.name: t for t in r.tensions}
    met = ts["innehallandet_inom_taket_kan_uppfyllas"]
    assert met.status == "none" and met.given["innehallet_belopp"] != 0
    assert met.computed["innehallandet_inom_taket"] is True
    broken = ts["innehallandet_inom_taket_kan_brytas"]
    assert broken.status == "none" and broken.computed["innehallandet_inom_taket"] is False


@pytest.mark.parametrize("block, message", [
    ("  x:\n    kind: requirement\n    type: bool\n    expr: oenighet_om_utforande\n    description: x\n"
     "    extent: {words: hela ersättningen, expr: oenighet_om_utforande}\n", "only a permission has an 'extent'"),
    ("  x:\n    kind: permission\n    type: bool\n    expr: oenighet_om_utforande\n    description: x\n"
     "    extent: {words: hela beloppet, expr: oenighet_om_utforande}\n", "are not in §12"),
    ("  x:\n    kind: permission\n    type: bool\n    expr: oenighet_om_utforande\n    description: x\n"
     "    extent: {words: hela ersättningen, expr: innehallet_belopp}\n", "must be a condition"),
    ("  x:\n    type: bool\n    expr: oenighet_om_utforande\n    description: x\n"
     "    tension: R12-hela-ersattningen\n", "only a permission or a requirement"),
    ("  x:\n    kind: permission\n    type: bool\n    expr: oenighet_om_utforande\n    description: x\n"
     "    tension: R12-hela\n", "no reading 'R12-hela'"),
])
def test_bad_extent_or_tension_is_refused_with_its_position(project_copy, block, message):
    add_definition(project_copy, block)
    with pytest.raises(SchemaError) as exc:
        load_project(project_copy)
    assert message in exc.value.message and exc.value.span.path.endswith(S12)


def test_amendment_that_adds_a_literal_whole_amount_permission_fails_amend_check(tmp_path):
    from avtalsregler.apps.amend.report import check_amendment

    from ..conftest import ROOT

    parties = "\n".join(["  - Region Jämtland Härjedalen"] + [f"  - {m} kommun" for m in (
        "Ragunda", "Bräcke", "Krokom", "Strömsund", "Åre", "Berg", "Härjedalen", "Östersund")])
    p = tmp_path / "a.yaml"
    p.write_text("amendment: test\ntitle: Test\nproposed_by: Region Jämtland Härjedalen\n"
                 f"agreed_by:\n{parties}\neffective: 2026-01-01\nrationale: test\n"
                 "changes:\n  - clause: \"§12\"\n    rule:\n      definitions:\n"
                 "        - name: far_halla_inne_hela\n          kind: permission\n          type: bool\n"
                 "          expr: ratt_att_innehalla and innehallet_belopp == ersattning_perioden\n"
                 "          description: Kommunen får hålla inne hela periodens ersättning.\n"
                 "          sentence: s12.2\n", encoding="utf-8")
    r = check_amendment(ROOT, p)
    found = [f for f in r.findings if f.category == "tension" and f.severity == "error"]
    assert r.exit_code == 1 and found, [f.message for f in r.findings]
    assert "far_halla_inne_hela" in found[0].message and "innehallandet_inom_taket" in found[0].message
    assert found[0].message.startswith("spänning i texten efter ändringen: rättigheten 'far_halla_inne_hela'")


def test_the_second_agreement_has_a_permission_without_tension():
    """Its §8 lets a member withhold "högst 30 %" of the half-year fee: withholding the whole
    cap floor(30 % × fee) meets the requirement innehallet <= tak, so there is no tension, and
    check passes."""
    from ..conftest import ROOT

    project = load_project(ROOT / "tests" / "fixtures" / "andra_avtalet")
    [r] = check_project(project, ["§8"], timeout_s=30)
    t = {t.name: t for t in r.tensions}["far_halla_inne_fullt_ut"]
    assert t.found is False and t.status == "none" and r.ok
    fee, withheld = t.given["halvarsavgift"], t.given["innehallet"]
    assert withheld == fee * 3 // 10 > 0


def test_check_json_lists_the_tensions():
    from ..conftest import ROOT

    cli = subprocess.run([sys.executable, "-m", "avtalsregler", "check", "--clause", "§12", "--format", "json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    import json

    data = json.loads(cli.stdout)
    assert cli.returncode == 0 and data["summary"]["tensions_open"] == 1
    assert data["summary"]["tensions_unresolved"] == 0
    [t] = [t for c in data["clauses"] for t in c["tensions"] if t["status"] != "none"]
    assert (t["name"], t["reading"], t["reading_status"], t["breaks"]) == (
        "ratt_att_innehalla_fullt_ut", "R12-hela-ersattningen", "open", ["innehallandet_inom_taket"])
    assert "rules/s12_tvist.yaml:" in t["where"]
    assert t["inputs"]["innehallet_belopp"] == t["inputs"]["ersattning_perioden"] != "0,00 kr"


def test_a_literal_whole_amount_written_as_a_requirement_is_reported_too(project_copy):
    """The same words written as a requirement, "while the right to withhold holds, the whole
    period's compensation is withheld": it can be met only where it does not apply (no dispute),
    since with a dispute withholding P > 0 breaks the cap floor(A / 2) < P. krav_forenliga is
    satisfied (without a dispute); the obligation 'met where it applies' is not."""
    add_definition(project_copy, """\
  hela_ersattningen_innehalls:
    kind: requirement
    type: bool
    expr: implies(ratt_att_innehalla, innehallet_belopp == ersattning_perioden)
    description: Så länge rätten att hålla inne består hålls hela periodens ersättning inne.
    sentence: s12.2
""")
    r, ts = tensions(project_copy)
    assert {p.name: p for p in r.proofs}["krav_forenliga"].status == "proved"
    assert ts["hela_ersattningen_innehalls_kan_uppfyllas"].status == "none"
    t = ts["hela_ersattningen_innehalls_kan_uppfyllas_nar_det_galler"]
    assert t.status == "unresolved" and t.broken == ["innehallandet_inom_taket"] and not r.ok
    assert t.given["oenighet_om_utforande"] is True and t.given["innehallet_belopp"] == t.given["ersattning_perioden"] > 0
