"""The documentation site: Markdown pages generated from rules/, specs/, readings/ and fresh
proof results (:func:`generate`), built with MkDocs + Material (:func:`build`, :func:`serve`).

The generated pages go into the folder that ``mkdocs.yml`` names as ``docs_dir`` (``build/docs``),
which the generator owns (:mod:`~avtalsregler.apps.docs.owned`). Generated pages are never
committed; they are rebuilt (and every proof rerun) on each build, so they cannot go stale.
Hand-written sources are few: ``docs/start.md`` (the start page's text), ``docs/lasanvisning.md``,
``docs/glossary.yaml`` and ``docs/assets/``. The pages: :mod:`~avtalsregler.apps.docs.home`
(start, register, glossary), :mod:`~avtalsregler.apps.docs.clause_page`,
:mod:`~avtalsregler.apps.docs.calendar_page`.
"""

from __future__ import annotations

import datetime
import logging
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from avtalsregler import __version__
from avtalsregler.apps.docs.calendar_page import PAGE as CALENDAR_PAGE
from avtalsregler.apps.docs.calendar_page import render_calendar
from avtalsregler.apps.docs.clause_page import render_clause
from avtalsregler.apps.amend.versions import project_of
from avtalsregler.apps.docs.history import NAV as HISTORY_NAV
from avtalsregler.apps.docs.history import add_history, described
from avtalsregler.apps.docs.home import (CLAUSE_DIR, HAND_DIR, Version, hand, render_glossary, render_index,
                                         render_register)
from avtalsregler.apps.docs.owned import SITE_MARKER, DocsError, check_site_dir, write_generated
from avtalsregler.apps.docs.pages import clause_readings, page_name
from avtalsregler.apps.docs.print_page import PAGE as PRINT_PAGE
from avtalsregler.apps.docs.print_page import TITLE as PRINT_TITLE
from avtalsregler.apps.docs.print_page import render_print
from avtalsregler.apps.docs.render import Safe, hand_written, md_link, nav_title
from avtalsregler.apps.docs import site_assets, tensions
from avtalsregler.project.source import expect, load_yaml
from avtalsregler.project.inputs import read_text
from avtalsregler.project.load import load_project
from avtalsregler.project.model import Project
from avtalsregler.prover.check import ClauseResult, check_project

CONFIG_FILE = "mkdocs.yml"


@dataclass
class BuildReport:
    generated: Path | None          # None: the pages of an amendment's site, in a removed temporary copy
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


def generate(project: Project, results: list[ClauseResult], root: Path, version: Version,
             amendment: dict | None = None, shown=None) -> dict[str, Safe]:
    """Every page of the site: relative path → content. With ``amendment`` (the JSON report of
    ``amend check``), a page for it and a mark on every clause it changes; with ``shown`` (the
    version of the agreement described), the history (:mod:`~avtalsregler.apps.docs.history`)."""
    by_id = {r.clause.id: r for r in results}
    files = {"index.md": render_index(project, results, version, hand(root, "start.md")),
             "lasanvisning.md": hand(root, "lasanvisning.md"),
             "lasningar.md": render_register(project),
             tensions.PAGE: tensions.render_page(project, results),
             CALENDAR_PAGE: render_calendar(project, version.built),
             "ordlista.md": render_glossary(root, project),
             PRINT_PAGE: render_print(project, results, version.line())}
    for cid in project.agreement.clauses:
        files[f"{CLAUSE_DIR}/{page_name(cid)}"] = render_clause(project, cid, by_id.get(cid))
    if shown is not None:
        add_history(files, root, shown, project.agreement.clauses)
    if amendment is not None:
        from avtalsregler.apps.docs import amendment as am

        files[am.PAGE] = am.render(amendment)
        for cid in am.changed_clauses(amendment):
            page = f"{CLAUSE_DIR}/{page_name(cid)}"
            head, _, rest = files[page].partition(Safe("\n"))
            files[page] = head + Safe("\n\n") + am.banner(amendment, cid) + rest
            c = project.clauses.get(cid)
            if c is not None and am.summary_is_stale(amendment, cid, c.summary):
                head = Safe("## Vad det betyder\n\n")
                files[page] = files[page].replace(head, head + am.stale_summary(amendment, cid), 1)
            stale = am.stale_numbers(amendment, cid, clause_readings(project, cid))
            if stale:
                head = Safe("## Läsningar och öppna frågor\n\n")
                files[page] = files[page].replace(head, head + am.stale_readings(amendment, cid, stale), 1)
                head, _, rest = files["lasningar.md"].partition(Safe("\n## "))
                files["lasningar.md"] = (head + Safe("\n") + am.stale_readings(amendment, cid, stale) + Safe("\n## ")
                                         + rest if rest else head)
        a = amendment["amendment"]
        files["index.md"] = Safe('!!! warning "Ändringsförslag: {}"\n\n    Webbplatsen visar överenskommelsen '
                                 "som den skulle lyda efter {}.\n\n").format(
            a["title"], md_link(am.PAGE, "ändringsförslaget")) + files["index.md"]
    files.update(site_assets.assets())
    assets = root / HAND_DIR / "assets"
    if assets.is_dir():
        for p in sorted(assets.rglob("*")):
            if p.is_file():
                files[p.relative_to(root / HAND_DIR).as_posix()] = hand_written(
                    read_text(p, str(p), error=DocsError, what="the hand-written page"))
    return files


def nav(project: Project, amendment: dict | None = None, history: bool = False) -> list:
    """The navigation for ``mkdocs.yml``; the theme places its titles unescaped, so a title
    from the agreement's text is escaped here (:func:`~avtalsregler.apps.docs.render.nav_title`)."""
    clauses = [{nav_title(f"{cid} {project.agreement.heading(cid)}"): f"{CLAUSE_DIR}/{page_name(cid)}"}
               for cid in project.agreement.clauses]
    extra = [{"Ändringsförslag": "andring.md"}] if amendment is not None else []
    return extra + [{"Start": "index.md"}, {"Så läser du webbplatsen": "lasanvisning.md"},
            {"Paragrafer": clauses}, {"Kalender": CALENDAR_PAGE}, {"Läsningar": "lasningar.md"},
            {tensions.TITLE: tensions.PAGE}, *([HISTORY_NAV] if history else []), {"Ordlista": "ordlista.md"},
            {PRINT_TITLE: PRINT_PAGE}]


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


def site_overrides(cfg: Path, site_url: str | None = None) -> dict:
    """What the generator sets on top of ``mkdocs.yml``: plain file names for pages (the site
    works opened from disk, ``file://``), the generator's own style sheet and the stand-in for the
    search's web worker on ``file://`` (:mod:`~avtalsregler.apps.docs.site_assets`), no theme
    credit line (it is English), and ``site_url`` when given."""
    node = load_yaml(cfg).plain()
    node = node if isinstance(node, dict) else {}
    extra = dict(node.get("extra") or {})
    extra["polyfills"] = [*(extra.get("polyfills") or []), site_assets.FILE_WORKER]
    extra.setdefault("generator", False)
    out = {"use_directory_urls": False, "extra": extra,
           "extra_css": [site_assets.STYLE, *(node.get("extra_css") or [])]}
    if site_url:
        out["site_url"] = site_url
    return out


def prepare(root: Path, force: bool = False, today: datetime.date | None = None,
            timeout_s: float = 30.0, amendment: dict | None = None,
            site_url: str | None = None, on_clause=None,
            as_of: datetime.date | None = None) -> tuple[BuildReport, dict]:
    """Load the project (the version in force on ``as_of``), rerun every check (``on_clause``:
    progress, see ``check_project``), and write the generated pages."""
    root = Path(root)
    cfg, gen, _ = _config(root)
    t0 = time.perf_counter()
    version = Version(__version__, git_commit(root), today or datetime.date.today())
    shown = described(root, as_of or version.built)
    project = project_of(root, shown)
    for page in sorted((root / HAND_DIR).glob("*.md")):     # a bad hand-written page fails before the proofs
        read_text(page, str(page), error=DocsError, what="the hand-written page")
    results = check_project(project, timeout_s=timeout_s, on_clause=on_clause)
    t_check = time.perf_counter() - t0
    history = amendment is None        # a proposal's site is built from a copy without the history
    files = generate(project, results, root, version, amendment, shown if history else None)
    moved = write_generated(gen, files, force)
    overrides = {**site_overrides(cfg, site_url), "docs_dir": str(gen.resolve()),
                 "nav": nav(project, amendment, history), "copyright": nav_title(version.line()), "strict": True}
    report = BuildReport(gen, None, sorted(files), moved, t_check, 0.0, results)
    return report, {"config_file": str(cfg), **overrides}


def build(root: Path | str = ".", output: Path | str | None = None, force: bool = False,
          today: datetime.date | None = None, timeout_s: float = 30.0,
          amendment: Path | str | None = None, site_url: str | None = None, on_clause=None,
          as_of: datetime.date | None = None) -> BuildReport:
    """Generate the pages and build the site with ``mkdocs build --strict``. With
    ``amendment``, the site of the amended agreement: built from a checked, amended copy of
    the project (the project's own files are not touched), with the report as a page. The site
    describes the version of the agreement in force on ``as_of`` (default: the build date)."""
    root = Path(root)
    if amendment is None:
        return _build(root, root, output, force, today, timeout_s, None, site_url, on_clause, as_of)
    import shutil
    import tempfile

    from avtalsregler.apps.amend.report import check_amendment

    from avtalsregler.apps.docs.amendment import for_site

    before = {cid: c.summary for cid, c in load_project(root).clauses.items()}
    with tempfile.TemporaryDirectory(prefix="avtalsregler-site-") as tmp:
        copy = Path(tmp) / "amended"
        report = check_amendment(root, amendment, timeout_s, keep=copy)
        for name in ("mkdocs.yml", HAND_DIR, "data"):
            src = root / name
            if src.is_dir():
                shutil.copytree(src, copy / name, dirs_exist_ok=True)
            elif src.is_file():
                shutil.copy2(src, copy / name)
        shown = for_site(report.as_json(), root, copy, before)
        built = _build(copy, root, output, force, today, timeout_s, shown, site_url, on_clause)
    built.generated = None              # the copy (and the pages in it) is gone: never name it
    return built


def _build(root: Path, home: Path, output: Path | str | None, force: bool, today: datetime.date | None,
           timeout_s: float, amendment: dict | None, site_url: str | None = None, on_clause=None,
           as_of: datetime.date | None = None) -> BuildReport:
    from mkdocs.commands.build import build as mk_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _, home_gen, default_site = _config(home)
    site = Path(output) if output else default_site
    moved = check_site_dir(site, home, home_gen, force)
    report, kwargs = prepare(root, force, today, timeout_s, amendment, site_url, on_clause, as_of)
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
    site_assets.write_search_script(site)
    site_assets.finish_404(site, cfg.site_url)
    report.seconds_mkdocs = time.perf_counter() - t0
    (site / SITE_MARKER).write_text("built by 'avtalsregler docs'; the folder is emptied on each build\n",
                                    encoding="utf-8")
    report.site = site
    return report


def serve(root: Path | str = ".", addr: str = "127.0.0.1:8000", force: bool = False,
          today: datetime.date | None = None, timeout_s: float = 30.0, on_clause=None) -> None:
    """Generate the pages and serve the site (MkDocs' development server, until Ctrl-C)."""
    from mkdocs.commands.serve import serve as mk_serve

    _, kwargs = prepare(Path(root), force, today, timeout_s, on_clause=on_clause)
    mk_serve(dev_addr=addr, livereload=True, **kwargs)
