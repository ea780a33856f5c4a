"""The language fit of a notice (RULES-2026.2 §2.3): languages compared as languages.

Both tables are SIL International's ISO 639-3 code tables, release of 2025-10-15, pinned by
catalog data revision ``2026.2-r1``: the ``Part1`` column of ``iso-639-3.tab`` (ISO 639-1 →
639-3) and the active rows of ``iso-639-3-macrolanguages.tab``. They are read from the
``python-iso639`` distribution that ships that release; a later release is adopted only by a
new data revision, so a different one installed is an error, not a silent change of law.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from importlib import resources
from typing import Final, Literal

import iso639

#: The SIL release the catalog data revision pins.
PINNED_RELEASE: Final = dt.date(2025, 10, 15)

Relation = Literal["same", "macro", "related", "none"]
Fit = Literal["match", "related variety", "no match"]


def _rows(name: str) -> list[dict[str, str]]:
    if iso639.DATA_LAST_UPDATED != PINNED_RELEASE:
        raise RuntimeError(
            f"catalog data 2026.2-r1 pins SIL's ISO 639-3 release of {PINNED_RELEASE}; "
            f"the installed tables are of {iso639.DATA_LAST_UPDATED}"
        )
    text = resources.files(iso639).joinpath("_data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


@cache
def _part1() -> dict[str, str]:
    return {row["Part1"]: row["Id"] for row in _rows("iso-639-3.tab") if row["Part1"]}


@cache
def _macrolanguage_of() -> dict[str, str]:
    """Each individual language that belongs to a macrolanguage, mapped to it (active rows)."""
    return {
        row["I_Id"]: row["M_Id"]
        for row in _rows("iso-639-3-macrolanguages.tab")
        if row["I_Status"] == "A"
    }


def normalised(code: str) -> str:
    """The ISO 639-3 identifier of a language recorded in ISO 639-1 or 639-3."""
    return _part1().get(code, code)


def relation(notice: str, language: str) -> Relation:
    """How the person's ``language`` relates to the notice's language (§2.3)."""
    n, m = normalised(notice), normalised(language)
    if n == m:
        return "same"
    macro = _macrolanguage_of()
    if macro.get(n) == m or macro.get(m) == n:
        return "macro"
    if n in macro and macro.get(n) == macro.get(m):
        return "related"
    return "none"


def fit(notice: str, languages: tuple[str, ...]) -> Fit:
    """The notice's language fit over all the person's languages (§2.3)."""
    relations = {relation(notice, language) for language in languages}
    if relations & {"same", "macro"}:
        return "match"
    if "related" in relations:
        return "related variety"
    return "no match"


def related(notice: str, languages: tuple[str, ...]) -> list[str]:
    """The person's languages that are a related variety of the notice's, as recorded."""
    return sorted({lang for lang in languages if relation(notice, lang) == "related"})
