"""``avtalsregler compute NAME``: compute a clause's values on real inputs, with ``--explain``.

Each computation lives in :mod:`avtalsregler.computations`, one module each."""

from __future__ import annotations

import importlib
import pkgutil


def register(sub) -> None:
    p = sub.add_parser("compute", help="compute a clause's values (e.g. the §7 split) on given inputs",
                       description="Compute the values a clause gives for real inputs, exactly, with an "
                                   "explanation of every number (--explain).")
    inner = p.add_subparsers(dest="computation", metavar="NAME", parser_class=type(p))
    from avtalsregler.apps import computations

    for info in sorted(pkgutil.iter_modules(computations.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{computations.__name__}.{info.name}")
        q = inner.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(q)
        q.set_defaults(run=module.run)
    p.set_defaults(run=lambda args: (p.print_help(), 2)[1])
