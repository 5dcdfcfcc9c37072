"""The evidence on a clause's page (:class:`EvidenceSections`): what is guaranteed (the
spec's invariants and the generated proof obligations, with the results of the proofs run for
the build), counterexamples, the worked examples, and the status badges.

:class:`EvidenceSections` is a part of :class:`~avtalsregler.apps.docs.clause_page.ClausePage`,
which provides ``clause``, ``spec``, ``result``, ``p``, ``note``, ``link``, ``describe``,
``where``, ``names_used`` and ``local`` (the prefix of the page's ids)."""

from __future__ import annotations

import html

import yaml

from avtalsregler.apps.docs.notation import technical
from avtalsregler.apps.docs.render import attr, esc, ident, link, nowrap_numbers, show_value, tag
from avtalsregler.project.model import Clause
from avtalsregler.prover.check import ClauseResult
from avtalsregler.prover.results import COUNTEREXAMPLE, PROVED, Proof

STATUS_SV = {PROVED: "bevisad", COUNTEREXAMPLE: "motexempel", "unknown": "okänd"}
PROOF_KIND_SV = {"consistent": "Förutsättningarna går ihop", "defined": "Alltid definierad",
                 "satisfiable": "Kraven går ihop", "lemma": "Hjälpsats", "invariant": "Invariant"}


def seconds(s: float) -> str:
    if s < 0.001:
        return "&lt; 0,001 s"
    return f"{s:.3f} s".replace(".", ",")


def proof_time(p: Proof) -> str:
    """How long the proof took, or that its solver answers were taken from the proof cache (the
    answers to exactly the same questions, found in an earlier run)."""
    return "sparat bevis" if p.cached else seconds(p.seconds)


def badge(status: str) -> str:
    return f'<span class="status status-{status}">{STATUS_SV.get(status, esc(status))}</span>'



class EvidenceSections:
    """The sections of a clause page that show proofs and examples."""

    def guarantees_section(self) -> list[str]:
        out = ["## Vad som garanteras", ""]
        proofs = self.result.proofs if self.result else []
        invs = self.spec.invariants if self.spec else []
        if not invs:
            out += ["Ingen spec med invarianter finns ännu för paragrafen.", ""]
        else:
            out += ["Varje invariant är bevisad för *alla* tillåtna indata med Z3 när sidan byggdes "
                    "(ett bevis som inte blev klart räknas som **okänd**, aldrig som bevisat). *Sparat bevis* "
                    "betyder att lösaren fick exakt samma frågor vid en tidigare körning och att dess svar "
                    "hämtades därifrån; ett motexempel räknas ändå om exakt.", ""]
            by_name = {p.name: p for p in proofs if p.kind == "invariant"}
            for inv in invs:
                p = by_name.get(inv.name)
                status = badge(p.status) if p else '<span class="status status-unknown">inte körd</span>'
                time = f'<span class="liten">{proof_time(p)}</span>' if p else ""
                out += [f'<div class="invariant" id="{attr(self.local + "inv-" + inv.name)}">', "",
                        f'<p class="defnamn">{status} {esc(inv.reason)} {time}</p>',
                        f'<div class="formel">{self.note.render(inv.expr)}</div>', technical(inv.source),
                        f'<p class="liten">{tag("code", ident(inv.name))} · {self.where(inv.sentence, None)}</p>',
                        self.names_used([inv.expr])]
                if p and p.status != PROVED:
                    out += self.counterexample(p)
                elif p and p.detail.startswith("bevisad en gång"):
                    # proved once for an arbitrary member (src/avtalsregler/generic.py)
                    out.append(f'<p class="liten">{esc(p.detail[0].upper() + p.detail[1:])}.</p>')
                out += ["", "</div>", ""]
        generated = [p for p in proofs if p.kind != "invariant"]
        if generated:
            out += ["### Genererade bevisskyldigheter", "",
                    "Skyldigheter som verktyget själv ställer upp för varje regel.", "",
                    "| Skyldighet | Vad den säger | Resultat | Tid |", "|---|---|---|---|"]
            for p in generated:
                out.append(f"| {PROOF_KIND_SV.get(p.kind, esc(p.kind))} {tag('code', ident(p.name))} "
                           f"| {esc(p.reason)} | {badge(p.status)} | {proof_time(p)} |")
            out.append("")
            bad = [p for p in generated if p.status != PROVED]
            for p in bad:
                out += ['<div class="invariant">', "",
                        f'<p class="defnamn">{badge(p.status)} {esc(p.reason)}</p>']
                out += self.counterexample(p) + ["", "</div>", ""]
        return out

    def counterexample(self, p: Proof) -> list[str]:
        out: list[str] = []
        if p.status == COUNTEREXAMPLE and p.inputs:
            out += ['<p><strong>Motexempel:</strong> i den här situationen gäller inte påståendet.</p>', "",
                    '<table class="motexempel"><thead><tr><th>Situationen</th><th>Betydelse</th>'
                    '<th>Värde</th></tr></thead><tbody>']
            for n, v in p.inputs.items():
                out.append(f"<tr><td>{self.anchor_ref(n)}</td><td>{esc(self.describe(n))}</td>"
                           f"<td>{esc(nowrap_numbers(v)).replace('; ', '<br>')}</td></tr>")
            if p.outputs:
                out.append('<tr class="delrubrik"><th colspan="3">Regeln räknar då ut</th></tr>')
            for n, v in p.outputs.items():
                out.append(f'<tr class="utraknat"><td>{self.anchor_ref(n)} (uträknat)</td>'
                           f'<td>{esc(self.describe(n))}</td>'
                           f"<td>{esc(nowrap_numbers(v)).replace('; ', '<br>')}</td></tr>")
            out += ["</tbody></table>", ""]
            if p.replay:
                snippet = yaml.safe_dump([{"name": f"motexempel_{p.name}", "given": p.replay, "holds": [p.name]}],
                                         allow_unicode=True, sort_keys=False, width=100)
                out += ['<details><summary>Som exempel i specen (för att spara fallet som test)</summary>',
                        f"<pre><code>{esc_pre(snippet)}</code></pre></details>", ""]
        elif p.status == "unknown":
            out.append('<p><strong>Okänd:</strong> lösaren kom inte fram till ett bevis; '
                       'det räknas inte som bevisat.</p>')
        if p.detail:
            out.append(f'<p class="liten">Teknisk detalj: {esc(p.detail)}</p>')
        return out

    def anchor_ref(self, n: str) -> str:
        return self.link(n) if self.clause and self.describe(n) else esc(n)

    def examples_section(self) -> list[str]:
        out = ["## Räknade exempel", ""]
        if not self.spec or not self.spec.examples:
            return out + ["Specen har ännu inga exempel för paragrafen.", ""]
        c, enums = self.clause, self.p.enums
        results = {e.name: e for e in (self.result.examples if self.result else [])}
        out += ["Varje exempel är härlett för hand ur texten och räknas om med regeln när sidan byggs.", "",
                "| Exempel | Mening | Utfall |", "|---|---|---|"]
        for ex in self.spec.examples:
            out.append(f'| {link(f"#{self.local}ex-{ex.name}", ident(ex.name))} | {esc(ex.sentence or "–")} '
                       f"| {self.outcome(results.get(ex.name))} |")
        out.append("")
        for ex in self.spec.examples:
            r = results.get(ex.name)
            given = "".join(f"<tr><td>{self.link(n)}</td><td>{show_value(v, c.inputs[n].type, enums)}</td></tr>"
                            for n, v in ex.given.items())
            expected = "".join(f"<tr><td>{self.link(n)}</td><td>{show_value(v, c.definitions[n].type, enums)}</td></tr>"
                               for n, v in ex.expect.items())
            expected += "".join(f"<tr><td>{html.escape(n)}</td><td>gäller</td></tr>" for n, _ in ex.holds)
            sent = f" · {self.where(ex.sentence, None)}" if ex.sentence else ""
            out += [f'<div class="exempel" id="{attr(self.local + "ex-" + ex.name)}">',
                    f'<p class="defnamn">{self.outcome(r)} {tag("code", ident(ex.name))}<span class="liten">{sent}</span></p>',
                    f'<p class="beskrivning">{esc(ex.derivation) or "Ingen härledning angiven."}</p>',
                    '<div class="kolumner">',
                    kv_table("Givet", given), kv_table("Förväntat", expected),
                    "</div>"]
            if r and not r.ok:
                out.append(f'<p class="liten">Regeln gav något annat: {esc(r.message)}</p>')
            out += ["</div>", ""]
        return out

    @staticmethod
    def outcome(r) -> str:
        if r is None:
            return '<span class="status status-unknown">inte körd</span>'
        if r.ok:
            return '<span class="status status-proved">stämmer</span>'
        return '<span class="status status-counterexample">stämmer inte</span>'


def kv_table(title: str, rows: str) -> str:
    return f'<table class="kv"><thead><tr><th colspan="2">{title}</th></tr></thead><tbody>{rows}</tbody></table>'


def esc_pre(text: str) -> str:
    import html

    return html.escape(text)


def status_badges(clause: Clause, spec, result: ClauseResult | None) -> list[str]:
    proofs = result.proofs if result else []
    exs = result.examples if result else []
    inv = [p for p in proofs if p.kind == "invariant"]
    other = [p for p in proofs if p.kind != "invariant"]
    ok_ex = sum(e.ok for e in exs)

    def b(ok: bool, text: str) -> str:
        return f'<span class="status status-{"proved" if ok else "counterexample"}">{text}</span>'

    out = ['<span class="status status-rule">regel</span>',
           '<span class="status status-rule">spec</span>' if spec
           else '<span class="status status-ejkodad">ingen spec</span>']
    if exs:
        out.append(b(ok_ex == len(exs), f"exempel {ok_ex}/{len(exs)} stämmer"))
    if inv:
        proved = sum(p.status == PROVED for p in inv)
        out.append(b(proved == len(inv), f"invarianter {proved}/{len(inv)} bevisade"))
    if other:
        proved = sum(p.status == PROVED for p in other)
        out.append(b(proved == len(other), f"genererade {proved}/{len(other)} bevisade"))
    return out
