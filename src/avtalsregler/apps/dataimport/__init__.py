"""Official data in: a statistical database's exports (JSON-stat 2.0 from a PxWeb API, or the CSV
a PxWeb web interface exports) merged into the per-member figures file, and yearly index values
added with their publication to an index file.

- :func:`read_export` reads either format (told apart by content) into an
  :class:`~avtalsregler.apps.dataimport.export.Export`; see :mod:`.jsonstat` and :mod:`.pxcsv`
  for where each format is described.
- :func:`import_population` matches the export's areas to the parties by the member
  enumeration's codes and returns a :class:`~avtalsregler.apps.dataimport.population.Plan`
  (what is added, unchanged, replaced; the new text); :func:`write_with_backup` writes it.
- :func:`add_index_value` appends one index value with its publication to an index file's text.

Nothing here prints; the CLI (``avtalsregler data``) does.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from avtalsregler.apps.dataimport.export import Export
from avtalsregler.apps.dataimport.files import write_with_backup
from avtalsregler.apps.dataimport.index import Addition, add_index_value
from avtalsregler.apps.dataimport.jsonstat import read_jsonstat
from avtalsregler.apps.dataimport.population import Plan, Row, plan_import, rows_of
from avtalsregler.apps.dataimport.pxcsv import read_pxcsv
from avtalsregler.errors import DataError
from avtalsregler.language.types import EnumType
from avtalsregler.project.inputs import read_input

__all__ = ["Addition", "Export", "Plan", "Row", "add_index_value", "import_population", "plan_import",
           "read_export", "rows_of", "write_with_backup"]


def read_export(path: str | Path, members: EnumType, encoding: str = "utf-8-sig") -> Export:
    """A JSON-stat 2.0 file (it starts with ``{``) or a PxWeb CSV export."""
    try:
        data = read_input(path, str(path), error=DataError, what="the export")
        head = data[:4096].decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")
    except OSError as exc:
        raise DataError(f"cannot read {str(path)!r}: {exc.strerror}", None, "give the exported file") from None
    except LookupError:
        raise DataError(f"unknown encoding {encoding!r}", None, "e.g. utf-8, cp1252, iso-8859-1") from None
    if head.startswith("{"):
        return read_jsonstat(path, members)
    return read_pxcsv(path, members, encoding)


def import_population(path: str | Path, target: str | Path, members: EnumType, *, retrieved: datetime.date,
                      table: str | None = None, day: tuple[int, int] | None = None, publisher: str | None = None,
                      database: str | None = None, url: str | None = None, replace: bool = False,
                      encoding: str = "utf-8-sig") -> Plan:
    """What importing the export ``path`` into the figures file ``target`` does (nothing is written)."""
    export = read_export(path, members, encoding)
    rows, skipped, notes = rows_of(export, members, retrieved=retrieved, table=table, day=day,
                                   publisher=publisher, database=database, url=url)
    plan = plan_import(rows, target, members, replace=replace)
    plan.skipped_areas, plan.missing = skipped, notes
    return plan
