"""Source spans and the project's exceptions, with one formatter.

Every failure a user can cause (a bad rule, spec, data or amendment file, a bad command-line
value) is an :class:`AvtalsreglerError`; the CLI prints it as ``path:line:col: error: …`` with
a hint and exits non-zero. No traceback reaches a user for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass


MAX_DIGITS = 30    # digits of a whole number anywhere in the input (an amount in öre has at most 15)


@dataclass(frozen=True)
class Span:
    """A position in a source file; ``line`` and ``col`` are 1-based."""

    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def shifted(self, lines: int = 0, col: int = 1) -> Span:
        """The span of a position ``lines`` lines below and at column ``col`` (1-based)."""
        return Span(self.path, self.line + lines, col)


class AvtalsreglerError(Exception):
    """A user-facing error: bad input, with where it is and how to fix it."""

    kind = "error"

    def __init__(self, message: str, span: Span | None = None, hint: str | None = None, sv: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint
        self.sv = sv          # the message in Swedish, where a report in Swedish shows it as a reason

    @property
    def swedish(self) -> str:
        """The reason as a Swedish text shows it (the English message where no Swedish is given)."""
        return self.sv or self.message

    def format(self) -> str:
        where = f"{self.span}: " if self.span else ""
        text = f"{where}{self.kind}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()


class SourceError(AvtalsreglerError):
    """A malformed YAML file: syntax, unsafe constructs, duplicate keys."""


class SchemaError(AvtalsreglerError):
    """A well-formed file whose content does not fit the schema (unknown key, wrong type)."""


class ExprError(AvtalsreglerError):
    """An expression outside the language, with an unknown name, or badly typed."""


class DataError(AvtalsreglerError):
    """Bad input data (populations, index values, event logs, command-line values)."""


class EvalError(AvtalsreglerError):
    """A definition that has no value for the given inputs (division by zero, invalid date)."""


def did_you_mean(word: str, choices) -> str | None:
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def expected_one_of(choices) -> str:
    items = sorted(str(c) for c in choices)
    return "expected one of: " + ", ".join(items) if items else "nothing is allowed here"
