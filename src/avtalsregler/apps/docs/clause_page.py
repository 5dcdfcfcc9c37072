"""The page of one clause, rendered as Markdown from the rule, the spec, the register of
readings and fresh proof results (:func:`render_clause`). A page is never written by hand.
The evidence sections (guarantees, examples) are in :mod:`~avtalsregler.apps.docs.evidence`."""

from __future__ import annotations

import re

from avtalsregler.apps.amend.versions import project_file
from avtalsregler.apps.docs.evidence import EvidenceSections, status_badges
from avtalsregler.apps.docs.tensions import clause_section as tension_section
from avtalsregler.apps.docs.pages import clause_readings, page_name, prose, quote, render_reading
from avtalsregler.apps.docs.notation import PlainNotation, sign_of, technical, value_sv
from avtalsregler.apps.docs.formula import agreement_html, builtins_used, nowrap_numbers, type_name
from avtalsregler.apps.docs.render import Safe, code, code_text, ident, link, md_link, tag
from avtalsregler.language.types import show
from avtalsregler.project.model import Clause, Project
from avtalsregler.prover.check import ClauseResult

KIND_SV = {"output": "resultat", "permission": "rättighet", "condition": "villkor", "requirement": "krav"}
EVENT_KIND_SV = {"period_start": "periodens början", "period_end": "periodens slut",
                 "notice_deadline": "uppsägningsfrist", "invoice": "faktura", "duty_deadline": "sista dag för skyldighet"}


class ClausePage(EvidenceSections):
    """The page of one clause; ``clause`` and ``result`` are ``None`` when it has no rule yet."""

    def __init__(self, project: Project, cid: str, result: ClauseResult | None, edition: bool = False):
        """``edition``: a part of the print edition, one page at the site's root that holds every
        clause; its links then lead within that page (each clause's ids begin with its page name)."""
        self.edition = edition
        self.local = f"{page_name(cid)[:-3]}-" if edition else ""
        self.root = "" if edition else "../"
        self.p = project
        self.cid = cid
        self.clause: Clause | None = project.clauses.get(cid)
        self.result = result
        self.spec = project.specs.get(cid)
        self.note = PlainNotation(self.clause, project.enums, self.link)

    # -- names --------------------------------------------------------------------------------
    def describe(self, name: str) -> str:
        c = self.clause
        for table in (c.inputs, c.parameters, c.definitions):
            if name in table:
                return table[name].description or ""
        return ""

    def link(self, name: str) -> Safe:
        home = self.clause.inherited.get(name) if self.clause else None
        # raw HTML is not rewritten by MkDocs: link to the built page of the declaring clause
        target = f"{self.html_page(home)}namn-{name}" if home else f"#{self.local}namn-{name}"
        return link(target, ident(name), class_="namn", title=self.describe(name))

    def html_page(self, cid: str) -> str:
        """Where another clause's ids are, up to ``#`` and the id's prefix (raw HTML is not
        rewritten by MkDocs): its built page, or its part of the print edition."""
        return f"#{page_name(cid)[:-3]}-" if self.edition else f"{page_name(cid)[:-3]}.html#"

    def clause_href(self, cid: str) -> str:
        return f"#{page_name(cid)[:-3]}" if self.edition else f"{page_name(cid)[:-3]}.html"

    def clause_link(self, cid: str) -> Safe:
        return link(self.clause_href(cid), f"{cid} {self.p.agreement.heading(cid)}")

    def md_page(self, cid: str) -> str:
        """A Markdown link's target for another clause (MkDocs rewrites it to the built page)."""
        return f"#{page_name(cid)[:-3]}" if self.edition else page_name(cid)

    def anchor(self, name: str) -> Safe:
        return tag("code", ident(name), id=self.local + "namn-" + name)

    def type_html(self, t) -> Safe:
        """The type in words; an enumeration links to the clause that lists its values."""
        if t.kind in ("enum", "map") and t.enum in self.p.enums:
            e = self.p.enums[t.enum]
            values = "; ".join(e.label(v) for v in e.values)
            ref = Safe("{}").format(e.clause) if e.clause == self.cid else link(self.clause_href(e.clause), e.clause)
            what = Safe("{} ({})").format(tag('span', code_text(t.enum), title=values), ref)
            if t.kind == "enum":
                return Safe("ett värde ur {}").format(what)
            return Safe("{} för varje {}").format(type_name(t.elem, self.p.enums), what)
        return Safe("{}").format(type_name(t, self.p.enums))

    def where(self, sentence: str | None, reading: str | None) -> Safe:
        parts = []
        if sentence:
            parts.append(link(f"#{self.local}mening-{sentence}", sentence))
        if reading:
            here = any(r.id == reading for r in clause_readings(self.p, self.cid))
            target = f"#{reading.lower()}" if here else f"{self.root}lasningar.html#{reading.lower()}"
            parts.append(Safe("läsning {}").format(link(target, reading)))
        return Safe(", ").join(parts) or Safe("–")

    def names_used(self, exprs) -> Safe:
        names: list[str] = []
        for e in exprs:
            for n in sorted(e.names()):
                if n not in names and n not in self.clause.parameters:
                    names.append(n)
        if not names:
            return Safe("")
        items = Safe("<br>").join(Safe("{} – {}").format(self.link(n), prose(self.describe(n))) for n in names)
        return Safe('<p class="dar">där<br>{}</p>').format(items)

    # -- the page -----------------------------------------------------------------------------
    def render(self) -> Safe:
        heading = self.p.agreement.heading(self.cid)
        out = [Safe("# {} {}").format(self.cid, heading), "", self.status_line(), ""]
        out += ["## Avtalstexten", "", Safe('<blockquote class="avtalstext">'),
                agreement_html(self.p.agreement.body(self.cid)), Safe("</blockquote>"), "",
                Safe('<p class="kalla">Ordagrant ur <code>agreement/overenskommelse.txt</code>, {}.</p>').format(
                    self.cid), ""]
        c = self.clause
        if c is None:
            out += ["## Vad det betyder", "",
                    Safe('!!! note "Ännu inte kodad"'),
                    Safe("    {} är ännu inte kodad som regel: det finns ingen regelfil i "
                         "<code>rules/</code> för paragrafen, och därför inga exempel eller bevis.").format(self.cid), ""]
        else:
            out += ["## Vad det betyder", "", prose(c.summary), ""]
            out += self.rule_section()
            out += self.guarantees_section()
            out += tension_section(self.p, self.result, self.root)
            out += self.examples_section()
        out += self.readings_section()
        out += self.related_section()
        return Safe("\n").join(out) + Safe("\n")

    def status_line(self) -> Safe:
        if self.clause is None:
            return Safe('<p class="oversikt"><span class="status status-ejkodad">ännu inte kodad</span></p>')
        return Safe('<p class="oversikt">{}</p>').format(
            Safe(" ").join(status_badges(self.clause, self.spec, self.result)))

    def rule_section(self) -> list[Safe]:
        c = self.clause
        shown, label = project_file(self.p.root, c.path)
        where = (Safe(" i {} (återskapad ur <code>amendments/applied/</code>)").format(label) if label
                 else Safe(""))
        out = ["## Regeln", "", Safe('<p class="kalla">Regelfil: {}{}</p>').format(code(shown), where), ""]
        out += ["### Meningar som regeln bygger på", "", Safe("| Mening | Ordagrant |"), Safe("|---|---|")]
        for s in c.sentences:
            note = (Safe('<br><span class="liten">Deklarativ: {}</span>').format(s.declarative) if s.declarative
                    else Safe(""))
            out.append(Safe("| {} | {}{} |").format(tag('span', s.id, id=f'{self.local}mening-{s.id}'),
                                                     quote(s.text), note))
        out.append("")
        if c.uses:
            borrowed = Safe(", ").join(self.link(n) for n in c.inherited)
            out += [Safe('<p class="beskrivning">Regeln bygger på {} '
                         "och räknar med dess indata, parametrar, antaganden och definitioner: {}. "
                         "De visas på den paragrafens sida; här visas det som är denna paragrafs eget.</p>").format(
                             Safe(", ").join(self.clause_link(u) for u in c.uses), borrowed), ""]
        own_inputs = [i for i in c.inputs.values() if c.own(i.name)]
        own_parameters = [p for p in c.parameters.values() if c.own(p.name)]
        own_definitions = [d for d in c.definitions.values() if c.own(d.name)]
        used_assumptions = {id(a) for u in c.uses for a in self.p.clauses[u].assumptions}
        own_assumptions = [a for a in c.assumptions if id(a) not in used_assumptions]
        if own_inputs:
            out += ["### Indata", "", "Uppgifter om situationen som regeln räknar med.", "",
                    Safe("| Uppgift | Slag | Källa |"), Safe("|---|---|---|")]
            for i in own_inputs:
                bounds = []
                bt = i.type.elem if i.type.kind == "map" else i.type
                if i.low is not None:
                    bounds.append(Safe("minst {}").format(show_short(i.low, bt, self.p.enums)))
                if i.high is not None:
                    bounds.append(Safe("högst {}").format(show_short(i.high, bt, self.p.enums)))
                limits = Safe('<br><span class="liten">{}</span>').format(Safe(", ").join(bounds)) if bounds else ""
                out.append(Safe('| {}<br><span class="liten">{}</span> | {}{} | {} |').format(
                    prose(i.description), self.anchor(i.name), self.type_html(i.type), limits,
                    self.where(i.sentence, i.reading)))
            out.append("")
        if own_assumptions:
            out += ["### Antaganden", "", "Förutsättningar om indata som alla bevis utgår från.", ""]
            for a in own_assumptions:
                out += [Safe('<div class="formel">{}</div>').format(self.note.render(a.expr)), technical(a.source), "",
                        Safe('<p class="beskrivning">{}</p>').format(prose(a.reason)), self.names_used([a.expr]), ""]
        if own_parameters:
            out += ["### Parametrar", "", "Tal som står i texten, vart och ett bredvid orden det kommer från.", "",
                    Safe("| Värde | Ur texten | Betydelse | Källa |"), Safe("|---|---|---|---|")]
            for p in own_parameters:
                out.append(Safe('| **{}** | {} | {}<br><span class="liten">{}</span> | {} |').format(
                    show_short(p.value, p.type, self.p.enums), quote(p.words), prose(p.description),
                    self.anchor(p.name), self.where(p.sentence, p.reading)))
            out.append("")
        if own_definitions:
            out += ["### Definitioner", "",
                    "Vad regeln räknar ut eller kräver, i den ordning de bygger på varandra. "
                    "Samma definition räknas exakt (belopp i hela öre) och bevisas med Z3.", ""]
            for d in own_definitions:
                out += [Safe('<div class="definition">'), "",
                        Safe('<p class="defnamn">{} <span class="slag">{}</span> '
                             '<span class="liten">{} · {}</span></p>').format(
                            self.anchor(d.name), KIND_SV[d.kind], self.type_html(d.type),
                            self.where(d.sentence, d.reading)),
                        Safe('<p class="beskrivning">{}</p>').format(prose(d.description)),
                        Safe('<div class="formel">{}</div>').format(self.note.definition(d.name, d.expr)),
                        technical(d.source), self.names_used([d.expr]), "", Safe("</div>"), ""]
        out += self.events_section()
        fns = builtins_used([d.expr for d in own_definitions] + [a.expr for a in own_assumptions]
                            + [i.expr for i in (self.spec.invariants if self.spec else [])])
        if fns:
            out += ["### Tecken och funktioner", "", Safe("| Skrivs | Betyder |"), Safe("|---|---|")]
            for name, b in sorted(fns.items()):
                out.append(Safe("| {} | {} |").format(sign_of(name, b), b.doc))
            out.append("")
        return out

    def events_section(self) -> list[Safe]:
        """The dated events the rule declares (``events:``), as the calendar reads them."""
        decl = self.clause.declared.get("events")
        if decl is None or not decl.events:
            return []
        out = ["### Händelser i kalendern", "",
               Safe("Datum som regeln sätter och som `avtalsregler calendar` visar; varje datum räknas av "
                    "definitionen i tabellen, och de bevisade invarianterna nedan gäller för dem."), "",
               Safe("| Händelse | Datum-definition | När | Mening | Läsning |"), Safe("|---|---|---|---|---|")]
        for ev in decl.events:
            when = [Safe("för varje {} = 0, 1, 2, …").format(self.link(n)) if m == "count" else
                    Safe("för varje år ({})").format(self.link(n)) if m == "year" else
                    Safe("för varje {}").format(self.link(n))
                    for n, m in ev.iterate]
            when += [Safe("för varje {}").format(ev.key_enum)] if ev.key_enum else []
            when += [Safe("när {}").format(self.link(ev.when))] if ev.when else []
            when += [Safe("utom när {}").format(self.link(ev.unless))] if ev.unless else []
            when += ([Safe("påminnelse {} dagar före").format(" och ".join(str(d) for d in ev.alarms))]
                     if ev.alarms else [])
            sentences = Safe(", ").join(link(f"#{self.local}mening-{sid}", sid) for sid in ev.sentences)
            readings = Safe(", ").join(self.where(None, r) for r in ev.readings) or Safe("–")
            out.append(Safe('| {}<br><span class="liten">{}</span> | {} | {} | {} | {} |').format(
                EVENT_KIND_SV.get(ev.kind, ev.kind), code(ev.id), self.link(ev.date),
                Safe("<br>").join(when) or Safe("–"), sentences, readings))
        out.append("")
        return out

    def readings_section(self) -> list[Safe]:
        rs = clause_readings(self.p, self.cid)
        if not rs:
            return ["## Läsningar och öppna frågor", "", "Registret har inga läsningar för paragrafen.", ""]
        out = ["## Läsningar och öppna frågor", "",
               "Där texten inte är entydig står här hur den läses, vilka andra läsningar som finns "
               "och vad de skulle betyda.", ""]
        for r in rs:
            out += render_reading(r, self.p, link_clause=False)
        return out

    def related_section(self) -> list[Safe]:
        out = ["## Relaterade paragrafer", ""]
        related = list(self.clause.related) if self.clause else []
        back = [c.id for c in self.p.ordered() if self.cid in c.related and c.id not in related and c.id != self.cid]
        if not related and not back:
            return out + ["Inga kopplingar till andra paragrafer är angivna.", ""]
        for cid in related:
            out.append(Safe("- {}").format(md_link(self.md_page(cid), f"{cid} {self.p.agreement.heading(cid)}")))
        for cid in back:
            out.append(Safe("- {} (hänvisar hit)").format(
                md_link(self.md_page(cid), f"{cid} {self.p.agreement.heading(cid)}")))
        return out + [""]


def project_path(project: Project, path: str) -> str:
    """A file of the project as the reader finds it: relative to the project's folder (a site
    built from a copy, as for an amendment, never shows the copy's temporary folder; a file of an
    earlier version rebuilt into ``build/versions/`` by its path in the project)."""
    return project_file(project.root, path)[0]


def show_short(value, t, enums) -> str:
    """A value as a lawyer writes it: whole kronor without ",00", dates as "1 mars 2030",
    years without a digit space (a table of values as :func:`show` gives it)."""
    shown = value_sv(value, t) if t.kind != "bool" else None
    return nowrap_numbers(re.sub(r"^-(?=\d)", "−", shown or show(value, t, enums)))


def render_clause(project: Project, cid: str, result: ClauseResult | None) -> Safe:
    return ClausePage(project, cid, result).render()
