"""A small Python API for scripting: load a project, compute a declared computation, audit a set
of invoices, list the calendar — each result as plain data (dicts, lists, str, int), the same
data the CLI's ``--format json`` gives.

>>> import avtalsregler.api as av
>>> project = av.load(".")                                    # the folder with rules/, specs/, …
>>> res = av.compute(project, "NAME", year=2024, amount="1 000 000")   # a computation the rules declare
>>> res["totals"]                                             # as 'compute NAME --format json'
>>> av.audit(project, "invoices.csv", amount="1 000 000")["ok"]
>>> av.calendar(project, "2024-01-01", "2024-12-31")[0]["date"]

- :func:`load` ``(root=".", as_of=None)`` → the loaded project (rules checked; a bad file raises
  :class:`~avtalsregler.errors.AvtalsreglerError` with ``path:line:col`` in its text); with
  ``as_of`` (a date), the version of the agreement in force that day (``amendments/applied/``).
- :func:`computations` ``(project)`` → ``[{"name", "clause", "help", "options"}]``.
- :func:`compute` ``(project, name, *, explain=False, **options)`` → dict. ``options`` are the
  computation's command-line options with ``_`` for ``-`` (``annual_amount`` for
  ``--annual-amount``), plus ``population`` / ``index`` (a data file) and the alternatives the
  rule offers (e.g. ``vintage``). Amounts are kronor (an int, a ``Decimal`` or text such as
  ``"9 356 000,50"``), dates are ``datetime.date`` or ISO text. ``explain=True`` adds
  ``"explain"``: every derived value with its formula, sentence and reading.
- :func:`audit` ``(project, invoices, *, computation=None, years=None, notice=None, ends=None,
  dates="in-advance", explain=False, as_of=None, transition="first-day", **options)`` → dict as
  ``audit FILE --format json`` (``"ok"``, ``"counts"``, ``"findings"`` with verdicts and
  derivations, ``"sources"``, …); each year by the version of the agreement in force for it, as
  the CLI (``"in_force"``; a file over several versions gives ``"parts"``).
- :func:`calendar` ``(project, start=None, end=None, *, as_of=None, transition=None)`` → a list
  of dicts, one per dated event (``date``, ``kind``, ``clause``, ``title``, ``sentence_id``,
  ``quote``, ``reading``, …; ``version`` once amendments are applied), the ``events`` of
  ``calendar --format json``; the defaults are the CLI's.

Errors are :class:`~avtalsregler.errors.AvtalsreglerError` (``.message``, ``.span``, ``.hint``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from avtalsregler.apps import calendar as _cal
from avtalsregler.apps.audit import audit as _audit
from avtalsregler.apps.compute import computations as _computations
from avtalsregler.apps.compute import find_computation, run_computation
from avtalsregler.apps.audit.report import document as _audit_json
from avtalsregler.apps.compute.report import document as _compute_json
from avtalsregler.errors import DataError, did_you_mean, expected_one_of
from avtalsregler.project.load import load_project
from avtalsregler.project.model import Project

__all__ = ["audit", "calendar", "compute", "computations", "load"]


def load(root: str = ".", as_of: datetime.date | str | None = None) -> Project:
    """The project in the folder ``root`` (rules/, specs/, agreement/, readings/, data/); with
    ``as_of``, the version of the agreement in force on that day."""
    if as_of is None:
        return load_project(str(root))
    from avtalsregler.apps.amend.versions import project_in_force

    return project_in_force(str(root), _date(as_of, "as_of"))[0]


def computations(project: Project) -> list[dict[str, Any]]:
    """The computations the project's rules declare, with the options each takes."""
    return [{"name": c.name, "clause": c.clause, "help": c.help, "options": sorted(f.replace("-", "_") for f in _allowed(c))}
            for c in _computations(project)]


def compute(project: Project, name: str, *, explain: bool = False, **options: Any) -> dict[str, Any]:
    """The declared computation ``name`` on ``options``: the data of ``compute NAME --format json``."""
    comp = find_computation(project, name)
    opts = _options(options, _allowed(comp), f"compute {name}")
    res = run_computation(project, comp.name, opts)
    return _compute_json(res, project, explain)


def audit(project: Project, invoices: str, *, computation: str | None = None, years: list[int] | None = None,
          notice: datetime.date | str | None = None, ends: datetime.date | str | None = None,
          dates: str = "in-advance", explain: bool = False, as_of: datetime.date | str | None = None,
          transition: str = "first-day", **options: Any) -> dict[str, Any]:
    """The invoices in the file ``invoices`` (CSV or XLSX) checked against the rules: the data of
    ``audit FILE --format json``. ``options`` are the computation's (as for :func:`compute`),
    without the year: the file gives it (``years`` adds years to audit).

    Versions are chosen as the CLI does: each year the file invoices by the version of the
    agreement in force for it (``transition``: ``first-day``, ``last-day`` or ``invoice-day``;
    ``as_of`` one version for all), a file over several versions split into ``"parts"`` with
    ``"ok"`` the worst part's; an earlier version loaded with :func:`load` ``(root, as_of=…)`` is
    judged as it is (the current version cannot be told from the current files: give ``as_of``)."""
    from avtalsregler.apps.amend.versions import project_file, versions
    from avtalsregler.apps.audit.in_force import audit_in_force

    allowed = set().union(*(_allowed(c) for c in _computations(project))) if computation is None \
        else _allowed(find_computation(project, computation))
    opts = _options(options, allowed, "audit")
    kw = {"computation": computation, "years": list(years or []), "notice": _date(notice, "notice"),
          "ends": _date(ends, "ends"), "date_rule": dates}
    rebuilt = any(project_file(project.root, c.path)[1] for c in project.clauses.values())
    if rebuilt or len(versions(project.root)) == 1:
        return _audit_json(_audit(project, invoices, opts, **kw), project, explain)
    parts = audit_in_force(project.root, invoices, opts, as_of=_date(as_of, "as_of"), transition=transition, **kw)
    docs = []
    for p in parts:
        doc = _audit_json(p.result, p.project, explain)
        doc["in_force"] = p.version.as_json()
        if p.window:
            doc["days"] = [d.isoformat() for d in p.window]
        docs.append(doc)
    if len(docs) == 1:
        return docs[0]
    return {"ok": all(p.ok for p in parts), "years": sorted(y for p in parts for y in p.years), "parts": docs}


def calendar(project: Project, start: datetime.date | str | None = None,
             end: datetime.date | str | None = None, *, as_of: datetime.date | str | None = None,
             transition: str | None = None) -> list[dict[str, Any]]:
    """Every dated event the rules declare from ``start`` to ``end`` (both included). Defaults: the
    agreement's first day, and the last day of the third period after today's. Each event by the
    version of the agreement in force for it, as ``calendar`` does (``as_of``: one version for
    all; ``transition``: the alternative for a change inside a period an event covers); an
    earlier version loaded with :func:`load` ``(root, as_of=…)`` gives its own dates."""
    v = _cal.validity(project)
    first = _date(start, "start") or v.first_day
    if first is None:
        raise DataError("no rule declares the agreement's first day", None, "give start")
    last = _date(end, "end") or _cal.default_end(project, v, datetime.date.today())
    if last < first:
        raise DataError(f"the range runs backwards: end {last.isoformat()} is before start {first.isoformat()}",
                        None, "give an end on or after start")
    if v.last_day is not None and last > v.last_day:
        raise DataError(f"end {last.isoformat()} is after {v.last_day.isoformat()}, the last day the rules cover",
                        None, "give an earlier end")
    from avtalsregler.apps.amend.versions import project_file, versions
    from avtalsregler.apps.calendar_versions import events_in_force

    if any(project_file(project.root, c.path)[1] for c in project.clauses.values()) or len(versions(project.root)) == 1:
        return [e.row() for e in _cal.events(project, first, last)]
    return [e.row() for e in events_in_force(project.root, first, last, _date(as_of, "as_of"), transition)[0]]


# -- options ---------------------------------------------------------------------------------------

def _allowed(comp) -> set[str]:
    flags = {s.option.flag for s in comp.options()}
    if any(i.data for i in comp.inputs.values()):
        flags |= {i.data.kind for i in comp.inputs.values() if i.data}
    for r in (i.recurrence for i in comp.inputs.values() if i.recurrence):
        flags |= {"index"} | {a.kind for a in r.alternatives}
    return flags


def _options(options: dict[str, Any], allowed: set[str], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in options.items():
        flag = key.replace("_", "-")
        if flag not in allowed:
            raise DataError(f"{what} has no option {key!r}", None,
                            did_you_mean(flag, allowed) or expected_one_of(f.replace("-", "_") for f in allowed))
        if value is None:
            continue
        out[flag] = _text(value)
    return out


def _text(value: Any) -> Any:
    """Values as the CLI would have them: numbers as text (so amounts are kronor, not öre)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        raise DataError(f"{value!r} is a float", None, "give amounts as int, Decimal or text, e.g. '9 356 000,50'")
    if hasattr(value, "__fspath__"):
        return str(value)
    return value


def _date(value: datetime.date | str | None, what: str) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DataError(f"{what} {value!r} is not a date", None, "write YYYY-MM-DD") from None
