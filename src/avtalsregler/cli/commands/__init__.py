"""Sub-commands of the CLI, one module each (``register(subparsers)``; ``args.run``)."""

from __future__ import annotations

import datetime

from avtalsregler.errors import DataError


def date_option(text: str, flag: str) -> datetime.date:
    """The date given to a command-line option, or a clear error naming the option."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise DataError(f"{flag} {text!r} is not a date", None,
                        "write YYYY-MM-DD with a day that exists (e.g. 2024-02-29, not 2023-02-29)") from None
