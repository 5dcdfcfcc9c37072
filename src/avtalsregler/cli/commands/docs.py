"""``avtalsregler docs``: generate the clause-by-clause documentation site and build it."""

from __future__ import annotations

import sys

from avtalsregler.errors import DataError
from avtalsregler.cli.commands import date_option
from avtalsregler.cli.output import seconds
from avtalsregler.cli.progress import Progress
from avtalsregler.cli.proving import proving_options, use_proving_options


def register(sub) -> None:
    p = sub.add_parser("docs", help="generate and build the documentation site (MkDocs + Material)",
                       description="Generate one page per clause from rules/, specs/, readings/ and fresh "
                                   "proof results into the folder mkdocs.yml names as docs_dir (build/docs), "
                                   "then build the site with 'mkdocs build --strict'. The generated folder is "
                                   "owned by this command: files in it that it did not write are never "
                                   "overwritten (see --force).")
    p.add_argument("--output", metavar="DIR", help="where to build the site (default: site_dir of mkdocs.yml, 'site')")
    p.add_argument("--serve", action="store_true", help="serve the site locally instead of building it")
    p.add_argument("--addr", default="127.0.0.1:8000", metavar="HOST:PORT", help="address for --serve")
    p.add_argument("--force", action="store_true",
                   help="move files the command did not write (or that were edited) to a backup folder "
                        "instead of refusing")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="build date shown on the site (default: today)")
    p.add_argument("--timeout", type=seconds, default=30.0, metavar="SECONDS",
                   help="solver timeout per obligation (default 30)")
    p.add_argument("--amendment", metavar="FILE",
                   help="build the site of the agreement as this amendment would make it, with the "
                        "amendment's report as a page and the changed clauses marked (your files are not touched)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="describe the version of the agreement in force on this "
                   "day (default: the build date); every page shows the history of amendments")
    proving_options(p)
    p.add_argument("--site-url", metavar="URL",
                   help="the address the site will be published at (e.g. https://example.org/avtal/): "
                        "its 404 page then finds the style sheets from any missing address; default: "
                        "site_url of mkdocs.yml, else links relative to the site's folder")
    p.set_defaults(run=run)


def run(args) -> int:
    from avtalsregler.apps.docs import site as docs

    today = date_option(args.date, "--date") if args.date else None
    use_proving_options(args)
    if args.serve:
        if args.amendment:
            raise DataError("--serve and --amendment cannot be combined", None,
                            "build the amended site with --output DIR and serve that folder")
        url = serve_url(args.addr)
        print("generating the pages (every example and proof is run) …", file=sys.stderr, flush=True)
        progress = Progress("docs", on_finish=lambda: print(f"serving the site at {url} (Ctrl-C stops)",
                                                             file=sys.stderr, flush=True))
        docs.serve(args.root, args.addr, args.force, today, args.timeout, on_clause=progress)
        return 0
    as_of = date_option(args.as_of, "--as-of") if args.as_of else None
    progress = Progress("docs")
    report = docs.build(args.root, args.output, args.force, today, args.timeout, args.amendment,
                        on_clause=progress, as_of=as_of, site_url=args.site_url)
    progress.done()
    for line in report.moved:
        print(f"moved aside: {line}", file=sys.stderr)
    failing = [r.clause.id for r in report.results if not r.ok]
    where = (f"in {report.generated}" if report.generated is not None
             else "of the amended agreement")
    print(f"generated {len(report.files)} files {where} "
          f"(checks {report.seconds_check:.2f} s); site in {report.site} "
          f"(mkdocs {report.seconds_mkdocs:.2f} s)")
    if failing:
        print(f"note: {', '.join(failing)} have failing checks; their pages show the counterexamples",
              file=sys.stderr)
    return 0


def serve_url(addr: str) -> str:
    """The address to open for ``--addr HOST:PORT`` (all interfaces: this machine)."""
    host, _, port = addr.rpartition(":")
    if not host or not port.isdigit():
        raise DataError(f"--addr {addr!r} is not HOST:PORT", None, "for example --addr 127.0.0.1:8000")
    if host in ("0.0.0.0", "::", "[::]"):
        host = "localhost"
    return f"http://{host}:{port}/"
