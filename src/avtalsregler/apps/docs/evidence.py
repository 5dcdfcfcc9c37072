"""The evidence on a clause's page (:class:`EvidenceSections`): what is guaranteed (the
spec's invariants and the generated proof obligations, with the results of the proofs run for
the build), counterexamples, the worked examples, and the status badges.

:class:`EvidenceSections` is a part of :class:`~avtalsregler.apps.docs.clause_page.ClausePage`,
which provides ``clause``, ``spec``, ``result``, ``p``, ``note``, ``link``, ``describe``,
``where``, ``names_used`` and ``local`` (the prefix of the page's ids)."""

from __future__ import annotations

import yaml

from avtalsregler.apps.docs.notation import technical
from avtalsregler.apps.docs.formula import nowrap_numbers, show_value
from avtalsregler.apps.docs.render import Safe, code_text, ident, link, open_tag, tag
from avtalsregler.project.model import Clause
from avtalsregler.prover.check import ClauseResult
from avtalsregler.prover.results import COUNTEREXAMPLE, PROVED, Proof

STATUS_SV = {PROVED: "bevisad", COUNTEREXAMPLE: "motexempel", "unknown": "okänd"}
PROOF_KIND_SV = {"consistent": "Förutsättningarna går ihop", "defined": "Alltid definierad",
                 "satisfiable": "Kraven går ihop", "lemma": "Hjälpsats", "invariant": "Invariant"}


def seconds(s: float) -> str:
    if s < 0.001:
        return "< 0,001 s"
    return f"{s:.3f} s".replace(".", ",")


def proof_time(p: Proof) -> str:
    """How long the proof took, or that its solver answers were taken from the proof cache (the
    answers to exactly the same questions, found in an earlier run)."""
    return "sparat bevis" if p.cached else seconds(p.seconds)


def badge(status: str) -> Safe:
    return Safe('<span class="status status-{}">{}</span>').format(status, STATUS_SV.get(status, status))



class EvidenceSections:
    """The sections of a clause page that show proofs and examples."""

    def guarantees_section(self) -> list[Safe]:
        out = ["## Vad som garanteras", ""]
        proofs = self.result.proofs if self.result else []
        invs = self.spec.invariants if self.spec else []
        if not invs:
            out += ["Ingen spec med invarianter finns ännu för paragrafen.", ""]
        else:
            out += [Safe("Varje invariant är bevisad för *alla* tillåtna indata med Z3 när sidan byggdes "
                    "(ett bevis som inte blev klart räknas som **okänd**, aldrig som bevisat). *Sparat bevis* "
                    "betyder att lösaren fick exakt samma frågor vid en tidigare körning och att dess svar "
                    "hämtades därifrån; ett motexempel räknas ändå om exakt."), ""]
            by_name = {p.name: p for p in proofs if p.kind == "invariant"}
            for inv in invs:
                p = by_name.get(inv.name)
                status = badge(p.status) if p else Safe('<span class="status status-unknown">inte körd</span>')
                time = Safe('<span class="liten">{}</span>').format(proof_time(p)) if p else Safe("")
                out += [open_tag("div", class_="invariant", id=self.local + "inv-" + inv.name), "",
                        Safe('<p class="defnamn">{} {} {}</p>').format(status, inv.reason, time),
                        Safe('<div class="formel">{}</div>').format(self.note.render(inv.expr)), technical(inv.source),
                        Safe('<p class="liten">{} · {}</p>').format(tag("code", ident(inv.name)),
                                                                    self.where(inv.sentence, None)),
                        self.names_used([inv.expr])]
                if p and p.status != PROVED:
                    out += self.counterexample(p)
                elif p and p.detail.startswith("bevisad en gång"):
                    # proved once for an arbitrary member (src/avtalsregler/generic.py)
                    out.append(Safe('<p class="liten">{}.</p>').format(p.detail[0].upper() + p.detail[1:]))
                out += ["", Safe("</div>"), ""]
        generated = [p for p in proofs if p.kind != "invariant"]
        if generated:
            out += ["### Genererade bevisskyldigheter", "",
                    "Skyldigheter som verktyget själv ställer upp för varje regel.", "",
                    Safe("| Skyldighet | Vad den säger | Resultat | Tid |"), Safe("|---|---|---|---|")]
            for p in generated:
                out.append(Safe("| {} {} | {} | {} | {} |").format(
                    PROOF_KIND_SV.get(p.kind, p.kind), tag('code', ident(p.name)), p.reason, badge(p.status),
                    proof_time(p)))
            out.append("")
            bad = [p for p in generated if p.status != PROVED]
            for p in bad:
                out += [Safe('<div class="invariant">'), "",
                        Safe('<p class="defnamn">{} {}</p>').format(badge(p.status), p.reason)]
                out += self.counterexample(p) + ["", Safe("</div>"), ""]
        return out

    def counterexample(self, p: Proof) -> list[Safe]:
        out: list[Safe] = []
        if p.status == COUNTEREXAMPLE and p.inputs:
            out += [Safe('<p><strong>Motexempel:</strong> i den här situationen gäller inte påståendet.</p>'), "",
                    Safe('<table class="motexempel"><thead><tr><th>Situationen</th><th>Betydelse</th>'
                         '<th>Värde</th></tr></thead><tbody>')]
            for n, v in p.inputs.items():
                out.append(Safe("<tr><td>{}</td><td>{}</td><td>{}</td></tr>").format(
                    self.anchor_ref(n), self.describe(n), _lines(v)))
            if p.outputs:
                out.append(Safe('<tr class="delrubrik"><th colspan="3">Regeln räknar då ut</th></tr>'))
            for n, v in p.outputs.items():
                out.append(Safe('<tr class="utraknat"><td>{} (uträknat)</td><td>{}</td><td>{}</td></tr>').format(
                    self.anchor_ref(n), self.describe(n), _lines(v)))
            out += [Safe("</tbody></table>"), ""]
            if p.replay:
                snippet = yaml.safe_dump([{"name": f"motexempel_{p.name}", "given": p.replay, "holds": [p.name]}],
                                         allow_unicode=True, sort_keys=False, width=100)
                out += [Safe('<details><summary>Som exempel i specen (för att spara fallet som test)</summary>'),
                        Safe("<pre><code>{}</code></pre></details>").format(code_text(snippet)), ""]
        elif p.status == "unknown":
            out.append(Safe('<p><strong>Okänd:</strong> lösaren kom inte fram till ett bevis; '
                            'det räknas inte som bevisat.</p>'))
        if p.detail:
            out.append(Safe('<p class="liten">Teknisk detalj: {}</p>').format(p.detail))
        return out

    def anchor_ref(self, n: str) -> Safe:
        return self.link(n) if self.clause and self.describe(n) else Safe("{}").format(n)

    def examples_section(self) -> list[Safe]:
        out = ["## Räknade exempel", ""]
        if not self.spec or not self.spec.examples:
            return out + ["Specen har ännu inga exempel för paragrafen.", ""]
        c, enums = self.clause, self.p.enums
        results = {e.name: e for e in (self.result.examples if self.result else [])}
        out += ["Varje exempel är härlett för hand ur texten och räknas om med regeln när sidan byggs.", "",
                Safe("| Exempel | Mening | Utfall |"), Safe("|---|---|---|")]
        for ex in self.spec.examples:
            out.append(Safe("| {} | {} | {} |").format(link(f"#{self.local}ex-{ex.name}", ident(ex.name)),
                                                        ex.sentence or "–", self.outcome(results.get(ex.name))))
        out.append("")
        row = Safe("<tr><td>{}</td><td>{}</td></tr>")
        for ex in self.spec.examples:
            r = results.get(ex.name)
            given = Safe("").join(row.format(self.link(n), show_value(v, c.inputs[n].type, enums))
                                  for n, v in ex.given.items())
            expected = Safe("").join(row.format(self.link(n), show_value(v, c.definitions[n].type, enums))
                                     for n, v in ex.expect.items())
            expected += Safe("").join(row.format(code_text(n), "gäller") for n, _ in ex.holds)
            sent = Safe(" · {}").format(self.where(ex.sentence, None)) if ex.sentence else Safe("")
            out += [open_tag("div", class_="exempel", id=self.local + "ex-" + ex.name),
                    Safe('<p class="defnamn">{} {}<span class="liten">{}</span></p>').format(
                        self.outcome(r), tag("code", ident(ex.name)), sent),
                    Safe('<p class="beskrivning">{}</p>').format(
                        Safe("{}").format(ex.derivation) or "Ingen härledning angiven."),
                    Safe('<div class="kolumner">'),
                    kv_table("Givet", given), kv_table("Förväntat", expected),
                    Safe("</div>")]
            if r and not r.ok:
                out.append(Safe('<p class="liten">Regeln gav något annat: {}</p>').format(r.message))
            out += [Safe("</div>"), ""]
        return out

    @staticmethod
    def outcome(r) -> Safe:
        if r is None:
            return Safe('<span class="status status-unknown">inte körd</span>')
        if r.ok:
            return Safe('<span class="status status-proved">stämmer</span>')
        return Safe('<span class="status status-counterexample">stämmer inte</span>')


def _lines(value: str) -> Safe:
    """A value of a counterexample, one line per member (``a: 1; b: 2``)."""
    return Safe("<br>").join(nowrap_numbers(value).split("; "))


def kv_table(title: str, rows: Safe) -> Safe:
    return Safe('<table class="kv"><thead><tr><th colspan="2">{}</th></tr></thead><tbody>{}</tbody></table>').format(
        title, rows)


def status_badges(clause: Clause, spec, result: ClauseResult | None) -> list[Safe]:
    proofs = result.proofs if result else []
    exs = result.examples if result else []
    inv = [p for p in proofs if p.kind == "invariant"]
    other = [p for p in proofs if p.kind != "invariant"]
    ok_ex = sum(e.ok for e in exs)

    def b(ok: bool, text: str) -> Safe:
        return Safe('<span class="status status-{}">{}</span>').format("proved" if ok else "counterexample", text)

    out = [Safe('<span class="status status-rule">regel</span>'),
           Safe('<span class="status status-rule">spec</span>') if spec
           else Safe('<span class="status status-ejkodad">ingen spec</span>')]
    if exs:
        out.append(b(ok_ex == len(exs), f"exempel {ok_ex}/{len(exs)} stämmer"))
    if inv:
        proved = sum(p.status == PROVED for p in inv)
        out.append(b(proved == len(inv), f"invarianter {proved}/{len(inv)} bevisade"))
    if other:
        proved = sum(p.status == PROVED for p in other)
        out.append(b(proved == len(other), f"genererade {proved}/{len(other)} bevisade"))
    return out
