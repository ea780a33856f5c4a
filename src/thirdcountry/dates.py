"""Reading a day a person typed on the command line: ``YYYY-MM-DD``."""

from __future__ import annotations

from datetime import date


def parse_day(text: str) -> date:
    """The date ``text`` names in the form ``YYYY-MM-DD``; ValueError otherwise (including
    the shorter forms ``date.fromisoformat`` also takes, such as ``20250901``)."""
    if len(text) != 10:
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    return date.fromisoformat(text)
