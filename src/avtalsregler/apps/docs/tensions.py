"""The tensions of the text that ``check`` found (``prover/tensions.py``): a page of its own
(:func:`render_page`) and a section on the page of each clause that has one
(:func:`clause_section`). Each tension is shown with the situation that shows it, the reading
that resolves it and the reading's status."""

from __future__ import annotations

from avtalsregler.apps.docs.home import CLAUSE_DIR
from avtalsregler.apps.docs.pages import page_name, prose, quote
from avtalsregler.apps.docs.formula import show_value
from avtalsregler.apps.docs.render import Safe, code, link, md_link
from avtalsregler.project.model import Project
from avtalsregler.prover.check import ClauseResult
from avtalsregler.prover.tensions import NONE, OPEN, RESOLVED, UNKNOWN, UNRESOLVED, Tension

PAGE = "spanningar.md"
TITLE = "Spänningar i texten"
STATUS_SV = {RESOLVED: ("löst av en beslutad läsning", "proved"), OPEN: ("öppen fråga", "oppen"),
             UNRESOLVED: ("olöst: ingen läsning", "counterexample"), UNKNOWN: ("okänd", "unknown")}
KIND_SV = {"extent": "Rättigheten fullt ut", "meetable": "Kravet kan uppfyllas",
           "breakable": "Kravet kan brytas", "applicable": "Kravet när det gäller"}

INTRO = ("Verktyget letar självt efter ställen där texten drar åt två håll. För varje rättighet "
         "prövar det att rättigheten kan utövas så långt som dess egna ord säger utan att något krav "
         "bryts, och för varje krav att det både kan uppfyllas och kan brytas (ett krav som aldrig kan "
         "brytas säger ingenting). Prövningen görs med Z3 i situationer där beloppen inte är 0 kr, "
         "eftersom nästan allt går ihop när alla belopp är noll.")
LEGEND = Safe("En spänning är **löst** när en beslutad läsning i registret avgör den och en **öppen fråga** "
          "när läsningen ännu inte är beslutad. En spänning som ingen läsning tar upp är **olöst**, och då "
          "underkänns kontrollen (<code>avtalsregler check</code>).")


def found(results: list[ClauseResult]) -> list[Tension]:
    return [t for r in results for t in r.tensions if t.status != NONE]


def badge(t: Tension) -> Safe:
    text, cls = STATUS_SV.get(t.status, (t.status, "unknown"))
    return Safe('<span class="status status-{}">{}</span>').format(cls, text)


def anchor(t: Tension) -> str:
    return f"spanning-{t.name.replace('_', '-')}"


def what(project: Project, t: Tension) -> list[Safe]:
    """The tension: the permission or requirement, its words, and what goes wrong."""
    c = project.clauses[t.clause]
    d = c.definitions[t.definition]
    named = Safe("”{}” ({})")
    broken = Safe("; ").join(named.format(prose(c.definitions[b].description), code(b)) for b in t.broken)
    demands = "kravet" if len(t.broken) == 1 else "kraven"
    if t.kind == "applicable":
        out = [Safe("**Kravet:** {}").format(named.format(prose(d.description), code(d.name))), ""]
        if t.broken:
            return out + [Safe("**Spänningen:** Uppfyllt när det gäller bryter kravet {} {}").format(demands, broken),
                          ""]
        return out + [Safe("**Spänningen:** Kravet kan aldrig gälla när beloppen inte är 0 kr."), ""]
    if t.kind != "extent":
        says = ("kan aldrig uppfyllas när beloppen inte är 0 kr." if t.kind == "meetable"
                else "kan aldrig brytas, så det säger ingenting.")
        return [Safe("**Kravet:** {}").format(named.format(prose(d.description), code(d.name))), "",
                Safe("**Spänningen:** Kravet {}").format(says), ""]
    out = [Safe("**Rättigheten:** {}").format(named.format(prose(d.description), code(d.name))), ""]
    if t.words:
        meaning = Safe(" Fullt ut: {}").format(prose(t.meaning)) if t.meaning else Safe("")
        out += [Safe("**Orden:** {}.{}").format(quote(t.words), meaning), ""]
    if t.broken:
        out += [Safe("**Spänningen:** Utövad så långt som orden säger bryter rättigheten {} {}").format(demands, broken),
                ""]
    else:
        out += [Safe("**Spänningen:** Rättigheten kan aldrig utövas så långt som orden säger."), ""]
    return out


def describe(project: Project, cid: str, name: str) -> str:
    c = project.clauses[cid]
    for table in (c.inputs, c.definitions):
        if name in table:
            return table[name].description
    return ""


def render_tension(project: Project, t: Tension, to_root: str, on_own_page: bool,
                   level: str = "###") -> list[Safe]:
    """One tension; ``to_root`` is the way from the page to the site's top (``""`` or ``"../"``);
    on the tensions page (``on_own_page``) it links to its clause."""
    c = project.clauses[t.clause]
    heading = f"{t.clause} {project.agreement.heading(t.clause)}"
    # raw HTML (the line is a <p>): a link to the built page, not Markdown
    where = Safe(" · ") + link(f"{CLAUSE_DIR}/{page_name(t.clause)[:-3]}.html", heading) if on_own_page else ""
    out = [Safe("{} {}: {}, {} {{#{}}}").format(level, t.clause, KIND_SV.get(t.kind, t.kind),
                                                code(t.definition), anchor(t)), "",
           Safe('<p class="oversikt">{}{}</p>').format(badge(t), where), ""]
    out += what(project, t)
    row = Safe("| {} ({}) | {} |")
    if t.given:
        out += [Safe("**Situationen som visar den:**"), "", Safe("| Uppgift | Värde |"), Safe("|---|---|")]
        out += [row.format(prose(describe(project, t.clause, n)), code(n), show_value(v, c.type_of(n), project.enums))
                for n, v in t.given.items()]
        out.append("")
    if t.computed:
        out += [Safe("**Det regeln räknar fram där:**"), "", Safe("| Definition | Värde |"), Safe("|---|---|")]
        out += [row.format(prose(describe(project, t.clause, n)), code(n), show_value(v, c.type_of(n), project.enums))
                for n, v in t.computed.items()]
        out.append("")
    r = project.readings.get(t.reading) if t.reading else None
    if r is None:
        out += [Safe("**Läsning:** ingen läsning i registret tar upp spänningen."), ""]
    else:
        state = "beslutad" if r.status == "decided" else "öppen fråga"
        out += [Safe("**Läsningen som löser den:** {} ({}). {}").format(
            md_link(f"{to_root}lasningar.md#{r.id.lower()}", r.id), state, prose(r.chosen)), ""]
    return out


def render_page(project: Project, results: list[ClauseResult]) -> Safe:
    every = [t for r in results for t in r.tensions]
    ts = found(results)
    out = [Safe("# {}").format(TITLE), "", INTRO, "", LEGEND, ""]
    perms = len({(t.clause, t.definition) for t in every if t.kind == "extent"})
    reqs = len({(t.clause, t.definition) for t in every if t.kind != "extent"})
    out += [f"Prövade: {perms} {'rättighet' if perms == 1 else 'rättigheter'} och {reqs} krav. "
            f"Funna spänningar: {len(ts)}.", ""]
    if not ts:
        return Safe("\n").join(out + ["Verktyget har inte hittat någon spänning i texten.", ""]) + Safe("\n")
    out += [Safe("| Paragraf | Vad som prövas | Läsning | Status |"), Safe("|---|---|---|---|")]
    for t in ts:
        reading = (md_link(f"lasningar.md#{t.reading.lower()}", t.reading) if t.reading in project.readings
                   else "–")
        out.append(Safe("| {} | {}: {} | {} | {} |").format(
            md_link(f"#{anchor(t)}", t.clause), KIND_SV.get(t.kind, t.kind), code(t.definition), reading, badge(t)))
    out.append("")
    for t in ts:
        out += render_tension(project, t, "", True)
    return Safe("\n").join(out) + Safe("\n")


def clause_section(project: Project, result: ClauseResult | None, to_root: str = "../") -> list[Safe]:
    """The section on a clause's page (``to_root``: the way to the site's top, ``""`` in the
    print edition); nothing when the clause has no tension."""
    ts = [t for t in (result.tensions if result else []) if t.status != NONE]
    if not ts:
        return []
    out = [Safe("## {}").format(TITLE), "",
           Safe("Verktyget har hittat {} i paragrafens text; alla spänningar i avtalet står på sidan {}.").format(
               'en spänning' if len(ts) == 1 else f'{len(ts)} spänningar', md_link(f"{to_root}{PAGE}", TITLE)), ""]
    for t in ts:
        out += render_tension(project, t, to_root, False)
    return out
