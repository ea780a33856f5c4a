"""Names compared as people spell them: folded, sounded out, and scored for likeness.

Names are compared after folding case, diacritics and script to plain lower-case ASCII
(``unidecode``), so "José" and "Jose", "Müller" and "Muller" are the same name. Then each
form of the query is scored against each form of a stored name (the whole name and each of
its words) with Jaro-Winkler similarity (rapidfuzz), which forgives the substitutions,
doubled letters and swapped endings of transliteration ("Nduhungirehe", "Nduhungirefer",
"Ndunnguleje"); the best score counts, and names scoring below :data:`THRESHOLD` do not
match.

Each word of a name also has a sound key (American Soundex), which a database index can
look up: transliterations that share few letter triples ("Mohammed", "Muhammad") share a
key (M530). This module needs no Django, so models and the web both import it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler
from unidecode import unidecode

#: The lowest Jaro-Winkler similarity (0-100) at which two names are taken to match.
THRESHOLD: Final = 80.0
#: A match is decided on the 0-100 score it is shown with: a raw score a rounding error
#: below THRESHOLD / 100 (0.7999999999999999 for "a" and "ali") shows as 80.0 and matches.
#: rapidfuzz's cutoff drops such a score, even a hair below it, so the search asks for a
#: clear margin less and each candidate is then held to THRESHOLD.
_CUTOFF: Final = (THRESHOLD - 0.1) / 100
#: Stored names scored per batch.
CHUNK: Final = 50_000
#: The shortest word that is a form of its own (and has a sound key).
MIN_WORD: Final = 2

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NOT_LETTER = re.compile(r"[^a-z]+")
_SOUNDEX: Final = {
    letter: digit
    for letters, digit in (
        ("bfpv", "1"),
        ("cgjkqsxz", "2"),
        ("dt", "3"),
        ("l", "4"),
        ("mn", "5"),
        ("r", "6"),
    )
    for letter in letters
}


def normalise(name: str) -> str:
    """A name folded to lower-case ASCII words separated by single spaces."""
    return _NOT_ALNUM.sub(" ", unidecode(name).casefold()).strip()


def folded_forms(folded: str) -> list[str]:
    """The forms of an already folded name (see :func:`name_forms`)."""
    if not folded:
        return []
    words = folded.split(" ")
    if len(words) == 1:
        return [folded]
    return [folded, *[w for w in words if len(w) >= MIN_WORD]]


def name_forms(name: str) -> list[str]:
    """The forms a name is compared in: the whole name, then each word of two letters or more
    (so "Haidar A." is found by "Haidar")."""
    return folded_forms(normalise(name))


def soundex(word: str) -> str:
    """The American Soundex key of a word ("Robert" → "R163"), or "" when it has no letter.

    The first letter is kept; the others become digits by how they sound, vowels (and y)
    separate equal digits, h and w do not, repeats collapse, and the key is cut or padded
    with zeros to four characters.
    """
    return _soundex(_NOT_LETTER.sub("", unidecode(word).casefold()))


@lru_cache(maxsize=1 << 16)
def _soundex(letters: str) -> str:
    """:func:`soundex` of a word that is lower-case ASCII letters already (cached: a bulk
    write of a million names meets the same words again and again)."""
    if not letters:
        return ""
    key = [letters[0].upper()]
    previous = _SOUNDEX.get(letters[0], "")
    for letter in letters[1:]:
        code = _SOUNDEX.get(letter, "")
        if code and code != previous:
            key.append(code)
            if len(key) == 4:
                break
        if letter not in "hw":
            previous = code
    return "".join(key).ljust(4, "0")


def sound_keys(name: str) -> str:
    """The sound keys of a name's words of two letters or more, each once, in order, with a
    space on each side of every key (" N352 J200 "), so that ``LIKE '% N352 %'`` matches a
    whole key and nothing across two; "" when the name has none."""
    return folded_sound_keys(normalise(name))


def folded_sound_keys(folded: str) -> str:
    """:func:`sound_keys` of an already folded name."""
    keys: list[str] = []
    for word in folded.split(" "):
        key = _soundex(_NOT_LETTER.sub("", word)) if len(word) >= MIN_WORD else ""
        if key and key not in keys:
            keys.append(key)
    return f" {' '.join(keys)} " if keys else ""


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
    (one match per person: their best-scoring name, the first given of equal ones)."""
    return rank(query, ((person_id, name, normalise(name)) for person_id, name in names))


def rank(query: str, names: Iterable[tuple[int, str, str]]) -> list[Match]:
    """:func:`best_matches` for ``(person_id, name, folded name)`` triples whose names are
    folded already (stored folded, so a search spends no time on ``unidecode``)."""
    queries = name_forms(query)
    best: dict[int, Match] = {}
    # Where the name of a person's best match came: of equal scores, the earliest counts.
    order: dict[int, int] = {}
    if not queries:
        return []
    seen = 0

    def credit(rows: list[tuple[int, int, str]], points: float) -> None:
        for position, person_id, name in rows:
            found = best.get(person_id)
            if (
                found is None
                or points > found.score
                or (points == found.score and position < order[person_id])
            ):
                best[person_id] = Match(person_id, name, points)
                order[person_id] = position

    def score(batch: list[tuple[int, str, str]]) -> None:
        # Many people share a name, and many names a word: each distinct name and each
        # distinct word is scored once (the forms of folded_forms(), grouped).
        owners: dict[str, list[tuple[int, int, str]]] = {}
        for position, (person_id, name, folded) in enumerate(batch, start=seen):
            rows = owners.get(folded)
            if rows is None:
                owners[folded] = [(position, person_id, name)]
            else:
                rows.append((position, person_id, name))
        wholes = list(owners)
        names_of: dict[str, list[str]] = {}
        for folded in wholes:
            if " " in folded:
                for word in folded.split(" "):
                    if len(word) >= MIN_WORD:
                        names_of.setdefault(word, []).append(folded)
        words = list(names_of)
        for q in queries:
            for folded, value, _index in process.extract_iter(
                q, wholes, scorer=JaroWinkler.normalized_similarity, score_cutoff=_CUTOFF
            ):
                if value * 100 >= THRESHOLD:
                    credit(owners[folded], value * 100)
            for word, value, _index in process.extract_iter(
                q, words, scorer=JaroWinkler.normalized_similarity, score_cutoff=_CUTOFF
            ):
                if value * 100 >= THRESHOLD:
                    for folded in names_of[word]:
                        credit(owners[folded], value * 100)

    batch: list[tuple[int, str, str]] = []
    for row in names:
        batch.append(row)
        if len(batch) == CHUNK:
            score(batch)
            seen += len(batch)
            batch = []
    score(batch)
    return sorted(best.values(), key=lambda m: (-m.score, m.person_id))
