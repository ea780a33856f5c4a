"""Finding persons by name, tolerant of spelling and transliteration variants: the scoring
lives in :mod:`thirdcountry.names` (models need it too), the candidate lookup in
:mod:`thirdcountry.cases.search`; this module keeps the web's names for them."""

from __future__ import annotations

from thirdcountry.names import (
    CHUNK,
    THRESHOLD,
    Match,
    best_matches,
    name_forms,
    normalise,
    rank,
    similarity,
)

__all__ = [
    "CHUNK",
    "THRESHOLD",
    "Match",
    "best_matches",
    "name_forms",
    "normalise",
    "rank",
    "similarity",
]
