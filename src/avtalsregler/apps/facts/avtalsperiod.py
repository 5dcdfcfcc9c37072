"""Start page: the period the agreement is in on the build date, and the next termination
deadline, computed by the §11 rule (which uses §10's periods)."""

from __future__ import annotations

from avtalsregler.project.evaluate import evaluate
from avtalsregler.errors import DataError

SLOT = "avtalsperiod"
CLAUSES = ("§10", "§11")


def render(project, results, today) -> str:
    c = project.clauses["§11"]
    first = c.parameters["forsta_dag"].value
    high = c.inputs["dag"].high
    if today > high:
        raise DataError(f"the rule covers dates up to {high.isoformat()}")
    day = max(today, first)
    v, _ = evaluate(c, project.enums, {"dag": day, "mottagen": day, "period_nr": 0},
                    ["fornyelse_nummer", "periodens_forsta_dag", "periodens_sista_dag",
                     "periodens_uppsagningsfrist", "nasta_uppsagningsfrist", "slut_vid_nasta_frist"])
    nr = v["fornyelse_nummer"]
    name = "den första perioden" if nr == 0 else f"förlängning {nr}"
    passed = v["periodens_uppsagningsfrist"] < day
    lines = [f"Den {day.isoformat()} gäller överenskommelsen i {name}, "
             f"**{v['periodens_forsta_dag'].isoformat()} – {v['periodens_sista_dag'].isoformat()}**.", ""]
    if passed:
        lines += [f"Fristen för att avsluta den här perioden ({v['periodens_uppsagningsfrist'].isoformat()}) har "
                  f"passerat. Nästa sista dag för uppsägning är **{v['nasta_uppsagningsfrist'].isoformat()}**; "
                  f"en uppsägning som tas emot senast då avslutar överenskommelsen "
                  f"**{v['slut_vid_nasta_frist'].isoformat()}**."]
    else:
        lines += [f"Sista dag för uppsägning är **{v['nasta_uppsagningsfrist'].isoformat()}**; en uppsägning som "
                  f"tas emot senast då avslutar överenskommelsen **{v['slut_vid_nasta_frist'].isoformat()}**."]
    lines += ["", "Räknat med regeln i §10–§11 (läsningarna R10-till, R11-utgang, R11-senast och R11-mottagen); "
              "se [§11](paragrafer/s11.md) och kalendern (`avtalsregler calendar`)."]
    return "\n".join(lines)
