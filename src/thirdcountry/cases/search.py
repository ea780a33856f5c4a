"""Finding persons by name in storage: the database narrows, :func:`thirdcountry.names.rank`
decides.

On PostgreSQL two trigram (``pg_trgm``) indexes, made by migration 0005, find the candidate
names, in tiers (see :func:`candidate_tiers`): names with a word equal to one of the
query's, names trigram-similar to the query or one of its words (``word_similarity``, close
ones first), and names with a word that sounds like one of the query's (a shared Soundex
key, which catches transliterations that share few letter triples: "Mohammed" and
"Muhammad"). The query's forms are its whole name, its words, and the other forms of each
given name in it ("Bobby": "Robert"); a title is looked up only when the query is nothing
else. Tiers are read in that order until :data:`CANDIDATES` names are found; within
a tier, the first the database finds. The candidates are then scored as a full scan scores every
name (each word's rarity counted among the candidates rather than among every name), and
those under the threshold dropped.

Known limits on PostgreSQL, where the SQLite scan would find more:

- a name that is neither trigram-similar nor sound-alike to the query is not found, though
  its Jaro-Winkler score passes ("Jusuf" for "Yusuf": first letters differ, a third of
  their trigrams shared); about one in ten of the names a full scan matches, most of them
  loose matches (bench/README.md);
- a query that more than :data:`CANDIDATES` names match shows the best of those candidates
  only (with an equal word, that is an arbitrary choice of equals), and its count is capped;
- a query form of a single letter finds no name (it has no trigram to look up).

Ordering by similarity before the cap would keep the most similar candidates of a common
name, but reads every name that matches: 0.6 to 2 seconds for a common given name among a
million persons. The tiers and their limits keep every query to a bounded read.

On SQLite (the embedded database of a single office or a demo), every stored name is
scored: its folded form is read, not recomputed (see bench/README.md for the time).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

from django.db import connection, transaction

from thirdcountry.cases.models import PersonName
from thirdcountry.names import (
    MIN_WORD,
    TITLES,
    Match,
    folded_sound_keys,
    name_forms,
    rank,
    search_words,
)

#: The most candidate names PostgreSQL hands over for scoring; a query that many names
#: resemble (a common given name) is answered from these.
CANDIDATES: Final = 2000
#: The lowest trigram word similarity (0-1) of a query form and a name for the name to be a
#: candidate (PostgreSQL's default is 0.6). Jaro-Winkler at 80 forgives more than trigrams
#: do: at 0.3 the candidates hold about nine in ten of the names a full scan matches, at
#: 0.5 eight in ten (bench/search.py); names that sound alike are candidates anyway.
WORD_SIMILARITY: Final = 0.3
#: Names at least this trigram-similar are taken before the rest.
CLOSE_SIMILARITY: Final = 0.5
THRESHOLD_SETTING: Final = "pg_trgm.word_similarity_threshold"


def find_persons(query: str) -> list[Match]:
    """The persons whose names match ``query``, best first, one match per person."""
    return rank(query, candidate_names(query))


def candidate_names(query: str, limit: int = CANDIDATES) -> Iterable[tuple[int, str, str]]:
    """The ``(person_id, name, folded name)`` of the stored names that may match ``query``:
    on PostgreSQL the trigram-similar or sound-alike ones (at most ``limit``), elsewhere
    every name."""
    forms = name_forms(query)
    if not forms:
        return []
    if connection.vendor != "postgresql":
        every: Iterable[tuple[int, str, str]] = (
            PersonName.objects.order_by("person_id", "seq")
            .values_list("person_id", "name", "folded")
            .iterator(chunk_size=20_000)
        )
        return every
    # A title alone ("Sir") would make every knight a candidate, and a familiar form of a
    # given name finds the name ("Bobby": "Robert"); a single letter has no trigram to look
    # up: every name would have to be read.
    words = search_words(forms[0])
    words = [w for w in words if w not in TITLES] or words
    forms = [f for f in dict.fromkeys([forms[0], *words]) if len(f) >= MIN_WORD]
    return _trigram_candidates(forms, limit) if forms else []


@dataclass(frozen=True, slots=True)
class Tier:
    """One condition that makes a stored name a candidate: ``where`` as a trigram index
    serves it (with ``pg_trgm.word_similarity_threshold`` set to ``similarity``, when
    given), and ``same``, the same condition in plain expressions, for leaving its names
    out of the tiers after it (and for reading without that setting)."""

    where: str
    same: str
    params: tuple[Any, ...]
    similarity: float | None = None


def candidate_tiers(forms: list[str]) -> list[Tier]:
    """The tiers of candidates for a query with ``forms`` (folded, two letters or more), in
    the order candidates are taken: a word (or the whole name) equal to a form; names
    trigram-similar to a form, at least :data:`CLOSE_SIMILARITY`, then at least
    :data:`WORD_SIMILARITY`; names with a word that sounds like one of the forms'."""
    keys = sorted({key for form in forms for key in folded_sound_keys(form).split()})
    # Folded forms are lower-case letters, digits and single spaces: nothing to escape.
    exact = "folded ~ %s"
    tiers = [Tier(exact, exact, (f"(^| )({'|'.join(forms)})( |$)",))]
    for threshold in (CLOSE_SIMILARITY, WORD_SIMILARITY):
        tiers.append(
            Tier(
                " OR ".join(["folded %%> %s"] * len(forms)),
                " OR ".join([f"word_similarity(%s, folded) >= {threshold!r}"] * len(forms)),
                tuple(forms),
                threshold,
            )
        )
    if keys:
        sounds = " OR ".join(["sound_keys LIKE %s"] * len(keys))
        tiers.append(Tier(sounds, sounds, tuple(f"% {k} %" for k in keys)))
    return tiers


def _trigram_candidates(forms: list[str], limit: int) -> list[tuple[int, str, str]]:
    table = connection.ops.quote_name(PersonName._meta.db_table)
    rows: list[tuple[int, int, str, str]] = []
    # A plan that scans the table is fast when a common name fills the limit early and very
    # slow when few rows match; the planner cannot tell the two apart well, the indexes
    # bound both.
    settings = {"enable_seqscan": "off", THRESHOLD_SETTING: str(WORD_SIMILARITY)}
    with transaction.atomic(), connection.cursor() as cursor, _settings(cursor, settings):
        earlier: list[Tier] = []
        for tier in candidate_tiers(forms):
            if len(rows) >= limit:
                break
            if tier.similarity is not None:
                _set_local(cursor, {THRESHOLD_SETTING: str(tier.similarity)})
            where = " AND ".join([f"({tier.where})", *(f"NOT ({t.same})" for t in earlier)])
            cursor.execute(
                f"SELECT person_id, seq, name, folded FROM {table} WHERE {where} LIMIT %s",
                [*tier.params, *(p for t in earlier for p in t.params), limit - len(rows)],
            )
            rows.extend(cursor.fetchall())
            earlier.append(tier)
    # In the order a full scan reads them, so that equal scores name the same name.
    rows.sort(key=lambda row: (row[0], row[1]))
    return [(int(p), str(n), str(f)) for p, _, n, f in rows]


@contextmanager
def _settings(cursor: Any, settings: dict[str, str]) -> Iterator[None]:
    """PostgreSQL settings changed for the queries inside, as ``SET LOCAL`` does, then put
    back: an enclosing transaction (a request's, a test's) would otherwise keep them."""
    names = list(settings)
    # missing_ok: pg_trgm's settings exist once the session has used pg_trgm.
    cursor.execute(f"SELECT {', '.join(['current_setting(%s, true)'] * len(names))}", names)
    before = dict(zip(names, cursor.fetchone(), strict=True))
    _set_local(cursor, settings)
    yield
    # An error inside rolls the settings back with the savepoint; no finally needed.
    _set_local(cursor, {n: v for n, v in before.items() if v is not None})
    for name in (n for n, v in before.items() if v is None):
        cursor.execute(f"RESET {name}")


def _set_local(cursor: Any, settings: dict[str, str]) -> None:
    if settings:
        calls = ", ".join(["set_config(%s, %s, true)"] * len(settings))
        cursor.execute(f"SELECT {calls}", [v for pair in settings.items() for v in pair])
