"""Where a project keeps the data the importers write: the parties' member enumeration, the
per-member figures file its computations read (``data: population``, ``file:``) and the index
files their recurrences read (``index: {file: …}``), with the years each index may cover."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from avtalsregler.apps.compute import computations
from avtalsregler.errors import DataError
from avtalsregler.language.types import EnumType
from avtalsregler.project.model import Project


@dataclass(frozen=True)
class IndexTarget:
    path: Path
    name: str                   # what the index is called, e.g. "KPI"
    first_year: int             # the first year the recurrence raises
    last_year: int


def members_of(project: Project) -> EnumType:
    declared = project.declared_once("parties")
    if declared is None:
        raise DataError("no rule declares the parties, so the figures cannot be matched to them", None,
                        "add a 'parties:' section to the rule that names them")
    return declared[1].members(project.enums)


def population_files(project: Project) -> list[Path]:
    """The per-member figures files the project's computations read (relative to its root)."""
    root = Path(project.root)
    found = []
    for comp in computations(project):
        for spec in comp.inputs.values():
            if spec.data is not None and spec.data.kind == "population" and root / spec.data.file not in found:
                found.append(root / spec.data.file)
    return found


def index_targets(project: Project) -> list[IndexTarget]:
    """The index files the project's recurrences read, each with the years it may cover."""
    root = Path(project.root)
    out: dict[Path, IndexTarget] = {}
    for comp in computations(project):
        clause = project.clauses[comp.clause]
        for spec in comp.inputs.values():
            rec = spec.recurrence
            if rec is None:
                continue
            start_year = clause.parameters[rec.start_year].value
            high = clause.inputs[rec.year].high
            last = high if isinstance(high, int) else start_year + 1000
            out.setdefault(root / rec.index_file, IndexTarget(root / rec.index_file, rec.index_name, start_year + 1, last))
    return list(out.values())


def default_file(found: list[Path], what: str, flag: str) -> Path:
    if len(found) == 1:
        return found[0]
    if not found:
        raise DataError(f"the project's computations read no {what} file", None, f"give {flag} FILE")
    raise DataError(f"the project's computations read several {what} files: {', '.join(map(str, found))}", None,
                    f"give {flag} with the one to write")
