"""The agreement over time on the site: the page "Ändringshistorik" (every version with its
effective date, parties and rationale), per clause the history of its wording below the text in
force, and on the start page the version the site describes
(:mod:`avtalsregler.apps.amend.versions`). :func:`add_history` is the one hook in ``site``."""

from __future__ import annotations

import datetime
from pathlib import Path

from avtalsregler.apps.amend.versions import Version, in_force, project_of, versions
from avtalsregler.apps.docs.home import CLAUSE_DIR
from avtalsregler.apps.docs.pages import page_name
from avtalsregler.apps.docs.formula import agreement_html
from avtalsregler.apps.docs.render import Safe, md_link

PAGE = "andringshistorik.md"
NAV = {"Ändringshistorik": PAGE}


def described(root: str | Path, day: datetime.date) -> Version:
    """The version the site describes: the one in force on ``day`` (the build date or --as-of)."""
    return in_force(versions(root), day)


def _period(v: Version) -> str:
    start = f"från {v.start.isoformat()}" if v.start else "från början"
    return start + (f" till och med {v.end.isoformat()}" if v.end else " och tills vidare")


def _made_by(v: Version) -> Safe:
    if v.record is None:
        return Safe("Den ursprungliga lydelsen.")
    return Safe("Lydelse enligt {}, som träder i kraft {}.").format(
        md_link(f"../{PAGE}#andring-{v.record.number}", f"ändring {v.record.number}: {v.record.title}"),
        v.record.effective.isoformat())


def render_page(vs: list[Version], shown: Version) -> Safe:
    out = ["# Ändringshistorik", "",
           Safe("Överenskommelsen i den ursprungliga lydelsen och varje ändring som har tillämpats "
                "(<code>avtalsregler amend apply</code>), med dagen den träder i kraft, parterna som har godkänt "
                "den och skälet. Varje tidigare lydelse kan återskapas exakt ur "
                "<code>amendments/applied/</code>; beräkningar, kalender och granskning av fakturor använder "
                "den lydelse som gäller den dag eller det år de gäller."), "",
           Safe("Webbplatsen beskriver **{}**.").format(shown.label), "",
           Safe("| Version | Gäller | Ändring | Paragrafer |"), Safe("|---|---|---|---|")]
    for v in vs:
        what = ("ursprunglig lydelse" if v.record is None
                else md_link(f"#andring-{v.record.number}", v.record.title))
        clauses = (Safe(", ").join(md_link(f"{CLAUSE_DIR}/{page_name(c)}", c) for c in v.record.clauses)
                   if v.record else "–")
        mark = Safe(" (visas)") if v.number == shown.number else ""
        out.append(Safe("| {}{} | {} | {} | {} |").format(v.number, mark, _period(v), what, clauses))
    out.append("")
    if len(vs) == 1:
        out += ["Ingen ändring har tillämpats: överenskommelsen gäller i sin ursprungliga lydelse.", ""]
    for v in vs[1:]:
        r = v.record
        out += [Safe("## Ändring {}: {} {{ #andring-{} }}").format(r.number, r.title, r.number), "",
                Safe("- **Träder i kraft:** {}{}").format(r.effective.isoformat(),
                                                          Safe(" (retroaktivt)") if r.retroactive else ""),
                Safe("- **Gäller:** {}").format(_period(v)),
                Safe("- **Godkänd av:** {}").format(', '.join(r.agreed_by)),
                Safe("- **Föreslagen av:** {}").format(r.proposed_by),
                Safe("- **Ändrar:** {}").format(', '.join(r.clauses)),
                Safe("- **Tillämpad:** {} (<code>{}</code>)").format(r.applied_on.isoformat(), r.path.name), "",
                Safe("**Skäl:** {}").format(r.rationale), ""]
    return Safe("\n").join(out) + Safe("\n")


def clause_section(root: str | Path, vs: list[Version], shown: Version, cid: str) -> list[Safe]:
    """Each wording of ``cid`` with its dates and the amendment that made it (empty when the
    project has no applied amendment)."""
    if len(vs) == 1:
        return []
    wordings: list[tuple[str, Version, Version]] = []      # text, first version, last version
    for v in vs:
        agreement = project_of(root, v).agreement
        text = agreement.body(cid) if cid in agreement.clauses else ""
        if wordings and wordings[-1][0] == text:
            wordings[-1] = (text, wordings[-1][1], v)
        else:
            wordings.append((text, v, v))
    out = ["## Lydelsens historik", ""]
    if len(wordings) > 1 and not shown.latest:
        out += [Safe("Texten ovan är {}, återskapad ur <code>amendments/applied/</code>; filerna i "
                     "<code>agreement/</code> och <code>rules/</code> har redan lydelsen enligt den senaste ändringen "
                     "(nedan).").format(shown.label), ""]
    if len(wordings) == 1:
        return out + [Safe("{} har inte ändrats: texten ovan är den ursprungliga lydelsen (se {}).").format(
            cid, md_link(f"../{PAGE}", "Ändringshistorik")), ""]
    for text, first, last in reversed(wordings):
        span = Version(0, None, first.start, last.end, False)
        now = Safe(" — visas ovan") if first.number <= shown.number <= last.number else ""
        out += [Safe("### {}{}").format(_period(span).capitalize(), now), "",
                _made_by(first), "",
                Safe('<blockquote class="avtalstext">'),
                agreement_html(text) if text else Safe("<p>(paragrafen fanns inte)</p>"),
                Safe("</blockquote>"), ""]
    return out


def add_history(files: dict[str, Safe], root: str | Path, shown: Version, clause_ids) -> None:
    """Add the history page, the history of every clause (after its text) and the version line
    of the start page to the generated ``files``."""
    vs = versions(root)
    files[PAGE] = render_page(vs, shown)
    for cid in clause_ids:
        page = f"{CLAUSE_DIR}/{page_name(cid)}"
        extra = clause_section(root, vs, shown, cid)
        if extra and page in files:
            head, sep, rest = files[page].partition(Safe("\n## Vad det betyder"))
            files[page] = (head.rstrip("\n") + Safe("\n\n") + Safe("\n").join(extra)
                           + (sep + rest if sep else Safe("")))
    line = Safe("Webbplatsen beskriver överenskommelsen i **{}** (se {}).").format(
        shown.label, md_link(PAGE, "Ändringshistorik"))
    head, sep, rest = files["index.md"].partition(Safe('<p class="version">'))
    files["index.md"] = (head + line + Safe("\n\n") + sep + rest if sep
                         else files["index.md"] + Safe("\n") + line + Safe("\n"))
