"""The language codes of a scenario file as ISO 639-3, so that ``ar`` and ``ara`` match."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def iso639_3() -> dict[str, str]:
    """Every ISO 639-1 and ISO 639-3 code mapped to its ISO 639-3 code."""
    table: dict[str, str] = {}
    for language in pycountry.languages:
        table[language.alpha_3] = language.alpha_3
        alpha_2 = getattr(language, "alpha_2", None)
        if alpha_2:
            table[alpha_2] = language.alpha_3
    return table
