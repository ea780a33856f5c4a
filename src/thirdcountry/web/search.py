"""Finding persons by name, tolerant of spelling and transliteration variants.

Names are compared after folding case, diacritics and script to plain lower-case ASCII
(``unidecode``), so "José" and "Jose", "Müller" and "Muller" are the same name. Then each
form of the query is scored against each form of a stored name (the whole name and each of
its words) with Jaro-Winkler similarity (rapidfuzz), which forgives the substitutions,
doubled letters and swapped endings of transliteration ("Nduhungirehe", "Nduhungirefer",
"Ndunnguleje"); the best score counts, and names scoring below :data:`THRESHOLD` do not
match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

#: The lowest Jaro-Winkler similarity (0-100) at which two names are taken to match.
THRESHOLD: Final = 80.0
#: Stored names scored per batch.
CHUNK: Final = 50_000

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise(name: str) -> str:
    """A name folded to lower-case ASCII words separated by single spaces."""
    return _NOT_ALNUM.sub(" ", unidecode(name).casefold()).strip()


def name_forms(name: str) -> list[str]:
    """The forms a name is compared in: the whole name, then each word of two letters or more
    (so "Haidar A." is found by "Haidar")."""
    whole = normalise(name)
    if not whole:
        return []
    words = [w for w in whole.split(" ") if len(w) >= 2]
    return [whole, *(w for w in words if w != whole)]


def similarity(query: str, name: str) -> float:
    """How alike two names are, 0-100: the best Jaro-Winkler score between their forms."""
    return max(
        (
            100 * JaroWinkler.normalized_similarity(q, n)
            for q in name_forms(query)
            for n in name_forms(name)
        ),
        default=0.0,
    )


@dataclass(frozen=True, slots=True)
class Match:
    """A person whose name matched, the best-matching name and its score (0-100)."""

    person_id: int
    name: str
    score: float


def best_matches(query: str, names: Iterable[tuple[int, str]]) -> list[Match]:
    """The persons among ``(person_id, name)`` pairs whose names match ``query``, best first
    (one match per person: their best-scoring name)."""
    queries = name_forms(query)
    best: dict[int, Match] = {}
    if not queries:
        return []

    def score(batch: list[tuple[int, str]]) -> None:
        forms: list[str] = []
        owners: list[tuple[int, str]] = []
        for person_id, name in batch:
            for form in name_forms(name):
                forms.append(form)
                owners.append((person_id, name))
        for q in queries:
            for _form, value, index in process.extract_iter(
                q,
                forms,
                scorer=JaroWinkler.normalized_similarity,
                score_cutoff=THRESHOLD / 100,
            ):
                person_id, name = owners[index]
                found = best.get(person_id)
                if found is None or value * 100 > found.score:
                    best[person_id] = Match(person_id, name, value * 100)

    batch: list[tuple[int, str]] = []
    for pair in names:
        batch.append(pair)
        if len(batch) == CHUNK:
            score(batch)
            batch = []
    score(batch)
    return sorted(best.values(), key=lambda m: (-m.score, m.person_id))
