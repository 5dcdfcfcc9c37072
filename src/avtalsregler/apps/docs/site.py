"""The documentation site: Markdown pages generated from rules/, specs/, readings/ and fresh
proof results, built with MkDocs + Material.

The generated pages go into the folder that ``mkdocs.yml`` names as ``docs_dir`` (``build/docs``),
which this module owns: a marker file there lists every file it wrote with its hash. A build
refuses to touch the folder when it holds a file it did not write, or one that was edited by
hand, unless ``force`` is given — and then those files are moved aside to a backup folder, never
deleted. Generated pages are never committed; they are rebuilt (and every proof rerun) on each
build, so they cannot go stale. Hand-written sources are few: ``docs/start.md`` (the start
page's text), ``docs/lasanvisning.md``, ``docs/glossary.yaml`` and ``docs/assets/``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from avtalsregler import __version__
from avtalsregler.prover.check import ClauseResult, check_project
from avtalsregler.apps.docs.calendar_page import PAGE as CALENDAR_PAGE
from avtalsregler.apps.docs.calendar_page import render_calendar
from avtalsregler.apps.docs.facts import render_facts
from avtalsregler.apps.docs.pages import clause_readings, page_name, render_clause, render_reading
from avtalsregler.apps.docs.render import esc
from avtalsregler.errors import AvtalsreglerError, Span, expected_one_of
from avtalsregler.project.load import load_project
from avtalsregler.project.model import Project
from avtalsregler.prover.results import PROVED
from avtalsregler.project.source import expect, fields, load_yaml, text_of

GENERATED_MARKER = ".avtalsregler-generated"
SITE_MARKER = ".avtalsregler-site"
HAND_DIR = "docs"
CONFIG_FILE = "mkdocs.yml"
CLAUSE_DIR = "paragrafer"


class DocsError(AvtalsreglerError):
    """The site cannot be generated or built (a folder that is not ours, a MkDocs warning)."""


@dataclass
class Version:
    version: str
    commit: str | None
    built: datetime.date

    def line(self) -> str:
        commit = f"commit {self.commit}" if self.commit else "commit okänd (inte en git-katalog)"
        return f"avtalsregler {self.version} · {commit} · byggd {self.built.isoformat()}"


@dataclass
class BuildReport:
    generated: Path
    site: Path | None
    files: list[str]
    moved: list[str] = field(default_factory=list)
    seconds_check: float = 0.0
    seconds_mkdocs: float = 0.0
    results: list[ClauseResult] = field(default_factory=list)


def git_commit(root: Path) -> str | None:
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10)
        return head.stdout.strip() + (" med ändringar som inte är incheckade" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


# -- pages -------------------------------------------------------------------------------------

def _hand(root: Path, name: str) -> str:
    path = root / HAND_DIR / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot read the hand-written page {name!r}: {exc.strerror}", Span(str(path), 1, 1),
                        f"restore {HAND_DIR}/{name} from git") from None


def render_index(project: Project, results: list[ClauseResult], version: Version, intro: str) -> str:
    by_id = {r.clause.id: r for r in results}
    out = [intro.rstrip(), "", f'<p class="version">Regelversion: {esc(version.line())}</p>', "",
           "## Aktuellt", ""]
    for title, text, computed in render_facts(project, results, version.built):
        cls = "fakta" if computed else "fakta platshallare"
        out += [f'<div class="{cls}" markdown="1">', "", f"**{esc(title)}**", "", text, "", "</div>", ""]
    out += ["## Paragraferna", "",
            "Status vid bygget: *exempel* räknade för hand som stämmer med regeln, *invarianter* "
            "bevisade för alla situationer, och *läsningar* där texten kan förstås på mer än ett sätt.", "",
            "| Paragraf | Status | Exempel | Invarianter | Läsningar |", "|---|---|---|---|---|"]
    for cid in project.agreement.clauses:
        link = f"[{cid} {esc(project.agreement.heading(cid))}]({CLAUSE_DIR}/{page_name(cid)})"
        readings = clause_readings(project, cid)
        open_n = sum(r.status == "open" for r in readings)
        rtext = (f"{len(readings)}" + (f", {open_n} öppen" if open_n == 1 else f", {open_n} öppna" if open_n else "")
                 if readings else "–")
        c = project.clauses.get(cid)
        if c is None:
            out.append(f'| {link} | <span class="status status-ejkodad">ännu inte kodad</span> | – | – | {rtext} |')
            continue
        r = by_id.get(cid)
        spec = project.specs.get(cid)
        exs = r.examples if r else []
        inv = [p for p in (r.proofs if r else []) if p.kind == "invariant"]
        if r is not None and not r.ok:
            status = '<span class="status status-counterexample">kodad, något håller inte</span>'
        elif spec is None:
            status = ('<span class="status status-rule">kodad</span> '
                      '<span class="status status-ejkodad">ingen spec</span>')
        else:
            status = '<span class="status status-proved">kodad, allt håller</span>'
        ex = f"{sum(e.ok for e in exs)}/{len(exs)}" if exs else "–"
        iv = f"{sum(p.status == PROVED for p in inv)}/{len(inv)}" if inv else "–"
        out.append(f"| {link} | {status} | {ex} | {iv} | {rtext} |")
    out.append("")
    return "\n".join(out) + "\n"


def render_register(project: Project) -> str:
    out = ["# Läsningar", "",
           "Registret över läsningar: varje ställe där texten kan förstås på mer än ett sätt, den "
           "läsning som regeln följer, de andra läsningarna och vad de skulle betyda i kronor eller dagar. "
           "Registret står i <code>readings/*.yaml</code>.", ""]
    rs = sorted(project.readings.values(), key=lambda r: (int(r.clause.lstrip("§")), r.id))
    if not rs:
        return "\n".join(out + ["Registret är tomt.", ""])
    open_n = sum(r.status == "open" for r in rs)
    out += [f"{len(rs)} läsningar, varav {open_n} öppna frågor.", ""]
    current = None
    for r in rs:
        if r.clause != current:
            current = r.clause
            out += [f"## {r.clause} {esc(project.agreement.heading(r.clause))}", ""]
        out += render_reading(r, project, link_clause=True, prefix=f"{CLAUSE_DIR}/")
    return "\n".join(out) + "\n"


def render_glossary(root: Path, project: Project) -> str:
    path = root / HAND_DIR / "glossary.yaml"
    node = load_yaml(path)
    f = fields(node, "the glossary", required=("terms",), optional=("description",))
    out = ["# Ordlista", "", "Svenska ord i överenskommelsen och på webbplatsen, med engelsk motsvarighet.", "",
           "| Svenska | English | Förklaring | Paragrafer |", "|---|---|---|---|"]
    rows = []
    for item in expect(f["terms"], list, "terms"):
        g = fields(item, "a glossary term", required=("sv", "en", "note"), optional=("clauses",))
        clauses = [expect(n, str, "clause") for n in (expect(g["clauses"], list, "clauses") if "clauses" in g else [])]
        for n, cid in zip(g["clauses"].value if "clauses" in g else [], clauses):
            if cid not in project.agreement.clauses:
                raise DocsError(f"there is no clause {cid!r}", n.span, expected_one_of(project.agreement.clauses))
        links = ", ".join(f"[{cid}]({CLAUSE_DIR}/{page_name(cid)})" for cid in clauses) or "–"
        rows.append((text_of(g["sv"], "sv"), f"| **{esc(text_of(g['sv'], 'sv'))}** | {esc(text_of(g['en'], 'en'))} "
                     f"| {esc(text_of(g['note'], 'note'))} | {links} |"))
    out += [row for _, row in sorted(rows, key=lambda x: x[0].lower())]
    return "\n".join(out) + "\n"


def generate(project: Project, results: list[ClauseResult], root: Path, version: Version,
             amendment: dict | None = None) -> dict[str, str]:
    """Every page of the site: relative path → content. With ``amendment`` (the JSON report of
    ``amend check``), a page for it and a mark on every clause it changes."""
    by_id = {r.clause.id: r for r in results}
    files = {"index.md": render_index(project, results, version, _hand(root, "start.md")),
             "lasanvisning.md": _hand(root, "lasanvisning.md"),
             "lasningar.md": render_register(project),
             CALENDAR_PAGE: render_calendar(project, version.built),
             "ordlista.md": render_glossary(root, project)}
    for cid in project.agreement.clauses:
        files[f"{CLAUSE_DIR}/{page_name(cid)}"] = render_clause(project, cid, by_id.get(cid))
    if amendment is not None:
        from avtalsregler.apps.docs import amendment as am

        files[am.PAGE] = am.render(amendment)
        for cid in am.changed_clauses(amendment):
            page = f"{CLAUSE_DIR}/{page_name(cid)}"
            head, _, rest = files[page].partition("\n")
            files[page] = head + "\n\n" + am.banner(amendment, cid) + rest
        a = amendment["amendment"]
        files["index.md"] = (f'!!! warning "Ändringsförslag: {a["title"]}"\n\n    Webbplatsen visar överenskommelsen '
                             f"som den skulle lyda efter [ändringsförslaget]({am.PAGE}).\n\n" + files["index.md"])
    assets = root / HAND_DIR / "assets"
    if assets.is_dir():
        for p in sorted(assets.rglob("*")):
            if p.is_file():
                files[p.relative_to(root / HAND_DIR).as_posix()] = p.read_text(encoding="utf-8")
    return files


def nav(project: Project, amendment: dict | None = None) -> list:
    clauses = [{f"{cid} {project.agreement.heading(cid)}": f"{CLAUSE_DIR}/{page_name(cid)}"}
               for cid in project.agreement.clauses]
    extra = [{"Ändringsförslag": "andring.md"}] if amendment is not None else []
    return extra + [{"Start": "index.md"}, {"Så läser du webbplatsen": "lasanvisning.md"},
            {"Paragrafer": clauses}, {"Kalender": CALENDAR_PAGE}, {"Läsningar": "lasningar.md"},
            {"Ordlista": "ordlista.md"}]


# -- the owned folder ----------------------------------------------------------------------------

def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _not_ours(folder: Path) -> list[str]:
    """Files in ``folder`` that the generator did not write, or that were changed since."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != GENERATED_MARKER)
    marker = folder / GENERATED_MARKER
    if not marker.is_file():
        return [p.relative_to(folder).as_posix() for p in files]
    try:
        known = json.loads(marker.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError, OSError):
        return [p.relative_to(folder).as_posix() for p in files] + [GENERATED_MARKER]
    out = []
    for p in files:
        rel = p.relative_to(folder).as_posix()
        if known.get(rel) != _digest(p.read_bytes()):
            out.append(rel)
    return out


def _backup(folder: Path, rels: list[str]) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = folder.parent / f"{folder.name}.bak-{stamp}"
    n = 1
    while dest.exists():
        n += 1
        dest = folder.parent / f"{folder.name}.bak-{stamp}-{n}"
    for rel in rels:
        src = folder / rel
        if src.exists():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), str(dest / rel))
    return dest


def write_generated(folder: Path, files: dict[str, str], force: bool = False) -> list[str]:
    """Write ``files`` into the owned ``folder``; returns the files moved aside (with force)."""
    moved: list[str] = []
    if folder.exists():
        if not folder.is_dir():
            raise DocsError(f"{folder} is a file, not the folder for generated pages", None,
                            "move it away or change docs_dir in mkdocs.yml")
        foreign = _not_ours(folder)
        if foreign:
            if not force:
                shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
                raise DocsError(f"{folder} holds files that 'avtalsregler docs' did not write or that were "
                                f"edited by hand: {shown}", None,
                                "generated pages are never edited: change rules/, specs/, readings/ or docs/ "
                                "instead; --force moves these files to a backup folder next to it")
            dest = _backup(folder, foreign)
            moved = [f"{rel} → {dest / rel}" for rel in foreign]
        for p in sorted(folder.rglob("*"), reverse=True):   # our old files: safe to remove
            if p.is_file():
                p.unlink()
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
    folder.mkdir(parents=True, exist_ok=True)
    digests = {}
    for rel, text in sorted(files.items()):
        data = text.encode("utf-8")
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digests[rel] = _digest(data)
    marker = {"generator": "avtalsregler docs", "note": "generated; do not edit, run 'avtalsregler docs'",
              "files": digests}
    (folder / GENERATED_MARKER).write_text(json.dumps(marker, indent=1, ensure_ascii=False), encoding="utf-8")
    return moved


def _check_site_dir(site: Path, root: Path, gen: Path, force: bool) -> list[str]:
    site_r, root_r, gen_r = site.resolve(), root.resolve(), gen.resolve()
    if (site_r == root_r or root_r.is_relative_to(site_r) or site_r.is_relative_to(gen_r)
            or gen_r.is_relative_to(site_r)):
        raise DocsError(f"the output folder {site} overlaps the project or the generated pages", None,
                        "choose an empty folder of its own, e.g. --output site")
    if site.exists() and any(site.iterdir()) and not (site / SITE_MARKER).is_file():
        if not force:
            raise DocsError(f"the output folder {site} is not empty and was not built by 'avtalsregler docs'",
                            None, "MkDocs empties the output folder: choose another, or --force moves "
                                  "it to a backup folder first")
        dest = site.parent / f"{site.name}.bak-{datetime.datetime.now().strftime('%Y%m%d-%H%M%S')}"
        shutil.move(str(site), str(dest))
        return [f"{site} → {dest}"]
    return []


# -- building ------------------------------------------------------------------------------------

class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _config(root: Path) -> tuple[Path, Path, Path]:
    cfg = root / CONFIG_FILE
    if not cfg.is_file():
        raise DocsError(f"no {CONFIG_FILE} in {root}", None, "run from the project folder or pass --root")
    node = load_yaml(cfg)
    docs_dir = node.get("docs_dir") if node.is_map() else None
    site_dir = node.get("site_dir") if node.is_map() else None
    if docs_dir is None:
        raise DocsError("mkdocs.yml has no docs_dir", node.span, "set docs_dir: build/docs")
    gen = root / expect(docs_dir, str, "docs_dir")
    if gen.resolve() == (root / HAND_DIR).resolve():
        raise DocsError("docs_dir must not be the folder of hand-written pages", docs_dir.span,
                        "set docs_dir: build/docs")
    site = root / (expect(site_dir, str, "site_dir") if site_dir else "site")
    return cfg, gen, site


def prepare(root: Path, force: bool = False, today: datetime.date | None = None,
            timeout_s: float = 30.0, amendment: dict | None = None) -> tuple[BuildReport, dict]:
    """Load the project, rerun every check, and write the generated pages."""
    root = Path(root)
    cfg, gen, _ = _config(root)
    t0 = time.perf_counter()
    project = load_project(root)
    results = check_project(project, timeout_s=timeout_s)
    t_check = time.perf_counter() - t0
    version = Version(__version__, git_commit(root), today or datetime.date.today())
    files = generate(project, results, root, version, amendment)
    moved = write_generated(gen, files, force)
    overrides = {"docs_dir": str(gen.resolve()), "nav": nav(project, amendment), "copyright": version.line(),
                 "strict": True}
    report = BuildReport(gen, None, sorted(files), moved, t_check, 0.0, results)
    return report, {"config_file": str(cfg), **overrides}


def build(root: Path | str = ".", output: Path | str | None = None, force: bool = False,
          today: datetime.date | None = None, timeout_s: float = 30.0,
          amendment: Path | str | None = None) -> BuildReport:
    """Generate the pages and build the site with ``mkdocs build --strict``. With
    ``amendment``, the site of the amended agreement: built from a checked, amended copy of
    the project (the project's own files are not touched), with the report as a page."""
    root = Path(root)
    if amendment is None:
        return _build(root, root, output, force, today, timeout_s, None)
    import shutil
    import tempfile

    from avtalsregler.apps.amend.report import check_amendment

    with tempfile.TemporaryDirectory(prefix="avtalsregler-site-") as tmp:
        copy = Path(tmp) / "amended"
        report = check_amendment(root, amendment, timeout_s, keep=copy)
        for name in ("mkdocs.yml", HAND_DIR, "data"):
            src = root / name
            if src.is_dir():
                shutil.copytree(src, copy / name, dirs_exist_ok=True)
            elif src.is_file():
                shutil.copy2(src, copy / name)
        return _build(copy, root, output, force, today, timeout_s, report.as_json())


def _build(root: Path, home: Path, output: Path | str | None, force: bool, today: datetime.date | None,
           timeout_s: float, amendment: dict | None) -> BuildReport:
    from mkdocs.commands.build import build as mk_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _, home_gen, default_site = _config(home)
    site = Path(output) if output else default_site
    moved = _check_site_dir(site, home, home_gen, force)
    report, kwargs = prepare(root, force, today, timeout_s, amendment)
    report.moved += moved
    collect = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(collect)
    t0 = time.perf_counter()
    try:
        cfg = load_config(site_dir=str(site.resolve()), **kwargs)
        mk_build(cfg)
    except MkDocsException as exc:
        detail = "; ".join(collect.messages) or str(exc)
        raise DocsError(f"mkdocs build --strict failed: {detail}", None,
                        "this is a bug in the generated pages or in docs/; please report it") from None
    finally:
        log.removeHandler(collect)
    report.seconds_mkdocs = time.perf_counter() - t0
    (site / SITE_MARKER).write_text("built by 'avtalsregler docs'; the folder is emptied on each build\n",
                                    encoding="utf-8")
    report.site = site
    return report


def serve(root: Path | str = ".", addr: str = "127.0.0.1:8000", force: bool = False,
          today: datetime.date | None = None, timeout_s: float = 30.0) -> None:
    """Generate the pages and serve the site (MkDocs' development server, until Ctrl-C)."""
    from mkdocs.commands.serve import serve as mk_serve

    _, kwargs = prepare(Path(root), force, today, timeout_s)
    mk_serve(dev_addr=addr, livereload=True, **kwargs)

