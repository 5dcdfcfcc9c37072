"""The tensions of the text that ``check`` found (``prover/tensions.py``): a page of its own
(:func:`render_page`) and a section on the page of each clause that has one
(:func:`clause_section`). Each tension is shown with the situation that shows it, the reading
that resolves it and the reading's status."""

from __future__ import annotations

from avtalsregler.apps.docs.home import CLAUSE_DIR
from avtalsregler.apps.docs.pages import page_name, prose, quote
from avtalsregler.apps.docs.render import code, esc, link, show_value
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
LEGEND = ("En spänning är **löst** när en beslutad läsning i registret avgör den och en **öppen fråga** "
          "när läsningen ännu inte är beslutad. En spänning som ingen läsning tar upp är **olöst**, och då "
          "underkänns kontrollen (<code>avtalsregler check</code>).")


def found(results: list[ClauseResult]) -> list[Tension]:
    return [t for r in results for t in r.tensions if t.status != NONE]


def badge(t: Tension) -> str:
    text, cls = STATUS_SV.get(t.status, (t.status, "unknown"))
    return f'<span class="status status-{cls}">{esc(text)}</span>'


def anchor(t: Tension) -> str:
    return f"spanning-{t.name.replace('_', '-')}"


def what(project: Project, t: Tension) -> list[str]:
    """The tension: the permission or requirement, its words, and what goes wrong."""
    c = project.clauses[t.clause]
    d = c.definitions[t.definition]
    if t.kind == "applicable":
        out = [f"**Kravet:** ”{prose(d.description)}” ({code(d.name)})", ""]
        if t.broken:
            broken = "; ".join(f"”{prose(c.definitions[b].description)}” ({code(b)})" for b in t.broken)
            return out + [f"**Spänningen:** Uppfyllt när det gäller bryter kravet "
                          f"{'kravet' if len(t.broken) == 1 else 'kraven'} {broken}", ""]
        return out + ["**Spänningen:** Kravet kan aldrig gälla när beloppen inte är 0 kr.", ""]
    if t.kind != "extent":
        says = ("kan aldrig uppfyllas när beloppen inte är 0 kr." if t.kind == "meetable"
                else "kan aldrig brytas, så det säger ingenting.")
        return [f"**Kravet:** ”{prose(d.description)}” ({code(d.name)})", "", f"**Spänningen:** Kravet {says}", ""]
    out = [f"**Rättigheten:** ”{prose(d.description)}” ({code(d.name)})", ""]
    if t.words:
        meaning = f" Fullt ut: {prose(t.meaning)}" if t.meaning else ""
        out += [f"**Orden:** {quote(t.words)}.{meaning}", ""]
    if t.broken:
        broken = "; ".join(f"”{prose(c.definitions[b].description)}” ({code(b)})" for b in t.broken)
        out += [f"**Spänningen:** Utövad så långt som orden säger bryter rättigheten "
                f"{'kravet' if len(t.broken) == 1 else 'kraven'} {broken}", ""]
    else:
        out += ["**Spänningen:** Rättigheten kan aldrig utövas så långt som orden säger.", ""]
    return out


def describe(project: Project, cid: str, name: str) -> str:
    c = project.clauses[cid]
    for table in (c.inputs, c.definitions):
        if name in table:
            return table[name].description
    return ""


def render_tension(project: Project, t: Tension, to_root: str, on_own_page: bool,
                   level: str = "###") -> list[str]:
    """One tension; ``to_root`` is the way from the page to the site's top (``""`` or ``"../"``);
    on the tensions page (``on_own_page``) it links to its clause."""
    c = project.clauses[t.clause]
    heading = f"{t.clause} {project.agreement.heading(t.clause)}"
    # raw HTML (the line is a <p>): a link to the built page, not Markdown
    where = " · " + link(f"{CLAUSE_DIR}/{page_name(t.clause)[:-3]}.html", heading) if on_own_page else ""
    out = [f"{level} {esc(t.clause)}: {esc(KIND_SV.get(t.kind, t.kind))}, {code(t.definition)} {{#{anchor(t)}}}", "",
           f'<p class="oversikt">{badge(t)}{where}</p>', ""]
    out += what(project, t)
    if t.given:
        out += ["**Situationen som visar den:**", "", "| Uppgift | Värde |", "|---|---|"]
        out += [f"| {prose(describe(project, t.clause, n))} ({code(n)}) | {show_value(v, c.type_of(n), project.enums)} |"
                for n, v in t.given.items()]
        out.append("")
    if t.computed:
        out += ["**Det regeln räknar fram där:**", "", "| Definition | Värde |", "|---|---|"]
        out += [f"| {prose(describe(project, t.clause, n))} ({code(n)}) | {show_value(v, c.type_of(n), project.enums)} |"
                for n, v in t.computed.items()]
        out.append("")
    r = project.readings.get(t.reading) if t.reading else None
    if r is None:
        out += ["**Läsning:** ingen läsning i registret tar upp spänningen.", ""]
    else:
        state = "beslutad" if r.status == "decided" else "öppen fråga"
        out += [f"**Läsningen som löser den:** [{esc(r.id)}]({to_root}lasningar.md#{r.id.lower()}) ({state}). "
                f"{prose(r.chosen)}", ""]
    return out


def render_page(project: Project, results: list[ClauseResult]) -> str:
    every = [t for r in results for t in r.tensions]
    ts = found(results)
    out = [f"# {TITLE}", "", INTRO, "", LEGEND, ""]
    perms = len({(t.clause, t.definition) for t in every if t.kind == "extent"})
    reqs = len({(t.clause, t.definition) for t in every if t.kind != "extent"})
    out += [f"Prövade: {perms} {'rättighet' if perms == 1 else 'rättigheter'} och {reqs} krav. "
            f"Funna spänningar: {len(ts)}.", ""]
    if not ts:
        return "\n".join(out + ["Verktyget har inte hittat någon spänning i texten.", ""]) + "\n"
    out += ["| Paragraf | Vad som prövas | Läsning | Status |", "|---|---|---|---|"]
    for t in ts:
        reading = (f"[{esc(t.reading)}](lasningar.md#{t.reading.lower()})" if t.reading in project.readings
                   else "–")
        out.append(f"| [{esc(t.clause)}](#{anchor(t)}) | {esc(KIND_SV.get(t.kind, t.kind))}: {code(t.definition)} "
                   f"| {reading} | {badge(t)} |")
    out.append("")
    for t in ts:
        out += render_tension(project, t, "", True)
    return "\n".join(out) + "\n"


def clause_section(project: Project, result: ClauseResult | None, to_root: str = "../") -> list[str]:
    """The section on a clause's page (``to_root``: the way to the site's top, ``""`` in the
    print edition); nothing when the clause has no tension."""
    ts = [t for t in (result.tensions if result else []) if t.status != NONE]
    if not ts:
        return []
    out = [f"## {TITLE}", "",
           f"Verktyget har hittat {'en spänning' if len(ts) == 1 else f'{len(ts)} spänningar'} i paragrafens "
           f"text; alla spänningar i avtalet står på sidan [{TITLE}]({to_root}{PAGE}).", ""]
    for t in ts:
        out += render_tension(project, t, to_root, False)
    return out
