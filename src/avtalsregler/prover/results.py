"""What a proof obligation came to: a :class:`Proof` with its status (**proved**,
**counterexample** or **unknown**), the solver's reason and, for a counterexample or a witness,
the inputs shown and as a spec example. Only *proved* passes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from avtalsregler.errors import Span

PROVED, COUNTEREXAMPLE, UNKNOWN = "proved", "counterexample", "unknown"


@dataclass
class Proof:
    clause: str
    name: str
    kind: str                      # invariant | defined | consistent | satisfiable | lemma
    status: str
    seconds: float
    span: Span | None
    reason: str = ""               # the invariant's reason, or what the obligation says
    detail: str = ""               # the solver's reason for unknown, the violated condition, …
    inputs: dict[str, str] = field(default_factory=dict)      # shown values (kronor, dates, names)
    outputs: dict[str, str] = field(default_factory=dict)
    replay: dict[str, Any] = field(default_factory=dict)      # the inputs as a spec example
    cached: bool = False           # every solver answer it needed came from the proof cache
    stored: bool = False           # every answer it needed is in the cache now (a rerun takes it)

    @property
    def ok(self) -> bool:
        return self.status == PROVED


class GaveUp:
    """Stands in for a solver that gave up (``reason_unknown``)."""

    def __init__(self, reason: str):
        self.reason = reason

    def reason_unknown(self) -> str:
        return self.reason
