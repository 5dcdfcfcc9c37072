"""§10/§11 against dates worked out BY HAND from the text.

Periods (R10-till: "till" = till och med; R10-perioder: three years at a time):
  P0 2019-01-01 – 2021-12-31, P1 2022-01-01 – 2024-12-31, P2 2025-01-01 – 2027-12-31,
  P3 2028-01-01 – 2030-12-31, P4 2031-01-01 – 2033-12-31.
Deadline (R11-utgang, R11-senast): the utgång of P0 is 2022-01-01 00:00; 12 months before is
2021-01-01 00:00, so the last day a notice can be received is 2020-12-31. Likewise P1 2023-12-31,
P2 2026-12-31, P3 2029-12-31, P4 2032-12-31. A later notice (R11-for-sent) takes effect at the end
of the next period whose deadline it meets.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys

import pytest

from avtalsregler.project.evaluate import evaluate
from avtalsregler.project.load import load_project

from ..conftest import ROOT

D = datetime.date.fromisoformat
P = {0: ("2019-01-01", "2021-12-31", "2020-12-31"), 1: ("2022-01-01", "2024-12-31", "2023-12-31"),
     2: ("2025-01-01", "2027-12-31", "2026-12-31"), 3: ("2028-01-01", "2030-12-31", "2029-12-31"),
     4: ("2031-01-01", "2033-12-31", "2032-12-31")}

_PROJECT = load_project(ROOT)
_CLAUSE = _PROJECT.clauses["§11"]   # uses §10: periods, deadlines and ends


def run(day: str, notice: str | None = None):
    given = {"dag": D(day), "mottagen": D(notice or day), "period_nr": 0, "skriftlig_uppsagning": True}
    values, _ = evaluate(_CLAUSE, _PROJECT.enums, given)
    return values


# (date, renewal number, next deadline, end if noticed by it) — by hand from the table above
CASES = [
    ("2019-01-01", 0, "2020-12-31", "2021-12-31"),
    ("2020-02-29", 0, "2020-12-31", "2021-12-31"),      # 29 February in P0
    ("2020-12-30", 0, "2020-12-31", "2021-12-31"),      # day before P0's deadline
    ("2020-12-31", 0, "2020-12-31", "2021-12-31"),      # the deadline itself ("senast" inclusive)
    ("2021-01-01", 0, "2023-12-31", "2024-12-31"),      # day after: next is P1's deadline
    ("2021-12-31", 0, "2023-12-31", "2024-12-31"),      # last day of P0
    ("2022-01-01", 1, "2023-12-31", "2024-12-31"),      # first day of P1
    ("2023-12-30", 1, "2023-12-31", "2024-12-31"),
    ("2023-12-31", 1, "2023-12-31", "2024-12-31"),
    ("2024-01-01", 1, "2026-12-31", "2027-12-31"),
    ("2024-02-29", 1, "2026-12-31", "2027-12-31"),      # 29 February in P1, after its deadline
    ("2025-01-01", 2, "2026-12-31", "2027-12-31"),
    ("2026-12-30", 2, "2026-12-31", "2027-12-31"),
    ("2026-12-31", 2, "2026-12-31", "2027-12-31"),
    ("2027-01-01", 2, "2029-12-31", "2030-12-31"),
    ("2028-02-29", 3, "2029-12-31", "2030-12-31"),      # 29 February in P3, before its deadline
    ("2029-12-30", 3, "2029-12-31", "2030-12-31"),
    ("2029-12-31", 3, "2029-12-31", "2030-12-31"),
    ("2030-01-01", 3, "2032-12-31", "2033-12-31"),
    ("2030-12-31", 3, "2032-12-31", "2033-12-31"),
]


@pytest.mark.parametrize("day,k,deadline,end", CASES, ids=[c[0] for c in CASES])
def test_period_deadline_and_end(day, k, deadline, end):
    v = run(day)
    start, last, _ = P[k]
    assert v["fornyelse_nummer"] == k
    assert v["periodens_forsta_dag"] == D(start)
    assert v["periodens_sista_dag"] == D(last)
    assert v["nasta_uppsagningsfrist"] == D(deadline)
    assert v["slut_vid_nasta_frist"] == D(end)
    # a notice received that very day ends the agreement where the next deadline says
    assert v["upphor_dag"] == D(end)


@pytest.mark.parametrize("k", sorted(P))
def test_period_table(k):
    given = {"dag": D("2019-01-01"), "mottagen": D("2019-01-01"), "period_nr": k, "skriftlig_uppsagning": True}
    v, _ = evaluate(_CLAUSE, _PROJECT.enums, given)
    assert (v["period_forsta_dag"], v["period_sista_dag"], v["period_uppsagningsfrist"]) == tuple(map(D, P[k]))


def test_notice_period_longer_than_first_term_gives_counterexample(project_copy):
    """A notice period of 48 months (longer than the 36-month first period) puts the first
    deadline at 2017-12-31 (2022-01-01 − 48 months − 1 day), before the agreement began:
    `check` must report a counterexample for varje_period_kan_sagas_upp with period_nr 0."""
    rule = project_copy / "rules" / "s11_uppsagning.yaml"
    text = rule.read_text(encoding="utf-8")
    assert "    value: 12\n    words: senast 12 månader" in text
    rule.write_text(text.replace("    value: 12\n    words: senast 12 månader",
                                 "    value: 48\n    words: senast 12 månader"), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "avtalsregler", "--root", str(project_copy), "check",
                          "--clause", "§11", "--timeout", "60"], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 1, out.stdout + out.stderr
    assert "invariant 'varje_period_kan_sagas_upp' of §11 has a counterexample" in out.stdout
    assert "period_nr = 0" in out.stdout
    assert "period_uppsagningsfrist = 2017-12-31" in out.stdout
    # the guarantees over the ranges (48 months is inside 0–60) still hold
    assert re.search(r"invariant +minst_uppsagningstiden +proved", out.stdout)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "avtalsregler", "--root", str(ROOT), *args],
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})


def test_cli_json_late_notice():
    """By hand: 2021-01-01 is one day after P0's deadline 2020-12-31, so the notice ends the
    agreement at the end of P1, 2024-12-31; the day lies in P0 (renewal 0)."""
    import json
    out = _cli("compute", "giltighet", "--date", "2021-01-01", "--notice", "2021-01-01", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["period_start"], data["period_end"], data["renewal_number"]) == ("2019-01-01", "2021-12-31", 0)
    assert data["next_notice_deadline"] == "2023-12-31" and data["ends_on"] == "2024-12-31"


@pytest.mark.parametrize("args,msg", [(("--date", "2021-02-29"), "is not a date"),
                                      (("--date", "2020-01-01", "--notice", "2018-12-31"), "is before 2019-01-01")])
def test_cli_bad_input(args, msg):
    out = _cli("compute", "giltighet", *args)
    assert out.returncode == 2 and msg in out.stderr and "Traceback" not in out.stderr
