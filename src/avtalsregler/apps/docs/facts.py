"""The "Aktuellt" section of the start page: facts that clause helpers compute (the current
contract period, the next termination deadline, the §7 split), each shown only when the
clauses it needs have rules, and otherwise as a placeholder that says what is missing."""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from avtalsregler.errors import AvtalsreglerError


@dataclass(frozen=True)
class Slot:
    key: str
    title: str
    clauses: tuple[str, ...]
    render: Callable[..., str] | None = None


SLOTS: tuple[Slot, ...] = (
    Slot("avtalsperiod", "Avtalsperiod och sista dag för uppsägning", ("§10", "§11")),
    Slot("fordelning", "Ersättningens fördelning mellan kommunerna", ("§7",)),
)


def providers() -> dict[str, Slot]:
    """Every slot, with the provider modules in :mod:`avtalsregler.facts` filled in."""
    from avtalsregler.apps import facts

    out = {s.key: s for s in SLOTS}
    for info in sorted(pkgutil.iter_modules(facts.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{facts.__name__}.{info.name}")
        key = getattr(mod, "SLOT", info.name)
        base = out.get(key)
        title = getattr(mod, "TITLE", None) or (base.title if base else key)
        clauses = tuple(getattr(mod, "CLAUSES", base.clauses if base else ()))
        out[key] = Slot(key, title, clauses, mod.render)
    return out


def _and(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def render_facts(project: Any, results: list, today: datetime.date) -> list[tuple[str, str, bool]]:
    """(title, Markdown, computed?) for every slot, in order."""
    out = []
    for slot in providers().values():
        missing = tuple(c for c in slot.clauses if c not in project.clauses)
        if missing:
            out.append((slot.title, f"Visas här när {_and(missing)} är "
                        f"{'kodad' if len(missing) == 1 else 'kodade'} som regler.", False))
            continue
        if slot.render is None:
            out.append((slot.title, "Visas här när beräkningen för startsidan är skriven "
                        "(en modul i avtalsregler/facts/).", False))
            continue
        try:
            out.append((slot.title, slot.render(project, results, today), True))
        except AvtalsreglerError as exc:
            out.append((slot.title, f"Kunde inte beräknas: {exc.message}", False))
    return out
