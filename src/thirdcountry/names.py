"""Names compared as people spell them: folded, sounded out, and scored for likeness.

Names are compared after folding case, diacritics and script to plain lower-case ASCII
(``unidecode``), so "José" and "Jose", "Müller" and "Muller" are the same name. Then each
form of the query is scored against each form of a stored name (the whole name and each of
its words) with Jaro-Winkler similarity (rapidfuzz), which forgives the substitutions,
doubled letters and swapped endings of transliteration ("Nduhungirehe", "Nduhungirefer",
"Ndunnguleje"); the best score counts, and names scoring below :data:`THRESHOLD` do not
match, unless they hold a rare word of the query as written (:func:`match_threshold`).

Words are weighed, not counted: a title or honorific ("Sir", "Rev.", "Sheikh") counts for
little, an initial matches the words it begins once the names share a word, the familiar
forms of a given name are that name ("Bobby" and "Robert"), and a word few of the names
searched hold (a surname) counts for more than a common one (see :class:`Rarity`; a query
word by its own rarity, or a misspelt one by that of the stored word it is like, the same
for every name). A name is judged on as many of its words as the query has; its other
words only order names otherwise alike.

Each word of a name also has a sound key (American Soundex), which a database index can
look up: transliterations that share few letter triples ("Mohammed", "Muhammad") share a
key (M530). This module needs no Django, so models and the web both import it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler
from unidecode import unidecode

#: The lowest Jaro-Winkler similarity (0-100) at which two names are taken to match.
THRESHOLD: Final = 80.0
#: What a word's likeness counts for when only the two words' consonant skeletons agree.
SKELETON_WEIGHT: Final = 0.9
#: How much more finding the query's words in a name counts than finding the name's words
#: in the query (a search for "Hassan" should find "Mohammed Al-Hassan").
QUERY_WEIGHT: Final = 5
#: A match is decided on the 0-100 score it is shown with: a raw score a rounding error
#: below THRESHOLD / 100 (0.7999999999999999 for "a" and "ali") shows as 80.0 and matches.
#: rapidfuzz's cutoff drops such a score, even a hair below it, so the search asks for a
#: clear margin less and each candidate is then held to THRESHOLD.
_CUTOFF: Final = (THRESHOLD - 0.1) / 100
#: A name whose whole-name score reaches THRESHOLD has a query word at least this like one
#: of its words ((QUERY_WEIGHT * coverage + 1) / (QUERY_WEIGHT + 1) >= THRESHOLD, and a
#: coverage is a weighted mean of word likenesses), by spelling or by skeleton; a margin
#: below, as above.
_WORD_CUTOFF: Final = ((QUERY_WEIGHT + 1) * THRESHOLD / 100 - 1) / QUERY_WEIGHT - 0.001
_SKELETON_CUTOFF: Final = _WORD_CUTOFF
#: The highest score of two names that are not the same name.
NEARLY_EQUAL: Final = 99.0
#: The most points a name loses for words the query does not have (a name is judged on as
#: many of its words as the query has; its other words only order names otherwise alike).
EXTRA_WORDS: Final = 1.0
#: Stored names scored per batch.
CHUNK: Final = 50_000
#: The shortest word that is a form of its own (and has a sound key).
MIN_WORD: Final = 2
#: What a word's likeness counts for when one of the two is the other's initial ("d" and
#: "dukinfield"), or when both are forms of one given name ("bobby" and "robert").
INITIAL_WEIGHT: Final = 0.9
NICKNAME_WEIGHT: Final = 0.9
#: How much a title, honorific or ordinal ("sir", "rev", "sheikh", "2nd", "baronet") counts
#: in a name against a word of the same length: people add and drop them freely, so they
#: should neither make two names alike nor keep them apart.
TITLE_WEIGHT: Final = 0.2
#: The likeness at which a query word is taken to be the name's word it is most like, and
#: weighted by that word's rarity.
RARITY_MATCH: Final = 0.8
#: How strongly rarity weighs: its logarithm squared (1 and 3 did no better on
#: bench/search_quality.py).
RARITY_POWER: Final = 2
#: The lowest score at which a name matches when it holds a rare word of the query as
#: written ("Elsie Grant" and "Alexander Grant"): a rare surname in common is evidence of
#: its own, though the rest of the names differ. Such names rank after every name that
#: reaches THRESHOLD with any other.
RARE_WORD_THRESHOLD: Final = 60.0
#: A word is rare when at most this share of the names searched hold it (and it is no
#: title, of three letters or more).
RARE_SHARE: Final = 0.01

#: Titles, honorifics and ordinals, as they fold. Kept short and general: the words that
#: come before or after a person's name in records of many countries.
_TITLE_WORDS: Final = """
    mr mrs ms miss mx dr prof sir dame lord lady rev revd reverend fr father saint st general
    gen admiral adm captain capt colonel col lieutenant lt sergeant sgt hon honourable the of
    bt bart baronet baron baroness earl countess duke duchess viscount marquess marquis
    prince princess jr jnr sr snr junior senior esq sheikh shaikh sheik haji hajji hadji
    imam mullah mawlana ustad 1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th ii iii iv vi
"""
TITLES: Final = frozenset(_TITLE_WORDS.split())

#: Given names and their familiar forms: each line is one name (an English one, or a
#: common transliteration family), so that "Bobby Orme" finds "Robert Orme". A word in two
#: lines ("bert") belongs to both names.
_NICKNAMES: Final = """
robert rob robbie bob bobby bert
william will willie willy bill billy liam gwilym wilhelm guillaume
richard rick ricky dick dicky rich
james jim jimmy jem jamie
john jack johnny jock ian sean ivan johann juan
joseph joe joey jos
thomas tom tommy
henry harry hal hank
charles charlie chas chuck carl karl
edward ed eddie eddy ned ted teddy
frederick fred freddie freddy
alfred alf alfie fred freddie
michael mike mick mickey micky mikhail miguel
elizabeth eliza liz lizzie beth betty bess bessie isabel isabella elsie
margaret maggie meg peggy madge daisy
mary molly polly mamie maria marie
frances fanny fran frankie
francis frank frankie
catherine katherine kate kitty kathy cathy katie
anne ann annie nancy hannah
jane jean jenny janet
sarah sally sadie
emily emmy emmie
alice alicia alys
helen nell nellie ellen
dorothy dolly dora dot
theodora dora
herbert herb herbie bert
albert al bert bertie
alexander alex sandy alec
andrew andy drew
anthony tony
benjamin ben benny
daniel dan danny
david dave davy davie
george georgie
harold harry hal
lawrence laurence larry laurie
leonard len lenny leo
matthew matt
nathaniel nat nate nathan
nicholas nick nicky
patrick pat paddy
peter pete pierre pedro pyotr
philip phillip phil pip
samuel sam sammy
stephen steven steve
timothy tim
walter walt wat
arthur art artie
augustus gus
mohammed muhammad mohamed mohammad mehmet mahomet
yusuf yousef youssef joseph
ibrahim abraham
ismail ismael
musa moses
isa jesus
suleiman sulayman solomon
"""


def _nickname_groups() -> dict[str, frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for number, line in enumerate(_NICKNAMES.strip().splitlines()):
        for word in line.split():
            groups.setdefault(word, set()).add(number)
    return {word: frozenset(numbers) for word, numbers in groups.items()}


_NICKNAME_GROUPS: Final = _nickname_groups()


def same_given_name(a: str, b: str) -> bool:
    """Whether two folded words are forms of one given name ("bobby" and "robert")."""
    found = _NICKNAME_GROUPS.get(a)
    return found is not None and not found.isdisjoint(_NICKNAME_GROUPS.get(b, ()))


def given_name_forms(word: str) -> list[str]:
    """The other forms of the given name a folded word is ("bobby": "robert", "rob", ...)."""
    groups = _NICKNAME_GROUPS.get(word, frozenset())
    lines = _NICKNAMES.strip().splitlines()
    return sorted({w for g in groups for w in lines[g].split()} - {word})


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NOT_LETTER = re.compile(r"[^a-z]+")
_VOWELS: Final = frozenset("aeiou")
#: Spellings of one sound across romanisations, made one letter in a skeleton.
_DIGRAPHS: Final = (("kh", "h"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("c", "k"), ("z", "s"))
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


def skeleton(word: str) -> str:
    """A folded word's consonant skeleton, the part that survives transliteration between
    Arabic, Cyrillic and Latin script: vowels (and y, w) dropped, since Arabic script does
    not write short vowels; digraphs of one sound made one letter ("kh" and "h", "q" and
    "k"); doubled letters made single ("Haidar", "حيدر" and "Хайдар" are all "hdr")."""
    return _skeleton(word)


@lru_cache(maxsize=1 << 16)
def _skeleton(word: str) -> str:
    for sound, letter in _DIGRAPHS:
        word = word.replace(sound, letter)
    out: list[str] = []
    for letter in word:
        if letter in "aeiouyw" or letter.isdigit():
            continue
        if not out or out[-1] != letter:
            out.append(letter)
    return "".join(out)


@lru_cache(maxsize=1 << 18)
def _word_similarity(a: str, b: str) -> float:
    """How alike two folded words are, 0-1: Jaro-Winkler of their spellings, or the share
    of letters their skeletons have in common (Indel: a skeleton is a few letters, and
    Jaro-Winkler would take "rd" for the start of "rdrgs"). Between two spelt-out words a
    shared skeleton is weaker evidence than a shared spelling (discounted by
    :data:`SKELETON_WEIGHT`); a word without vowels is written in an abjad (Arabic script
    folds to "hydr"), and its skeleton is all there is to compare."""
    score = JaroWinkler.normalized_similarity(a, b)
    if score < 1.0 and same_given_name(a, b):
        score = max(score, NICKNAME_WEIGHT)
    if score < 1.0:
        sa, sb = _skeleton(a), _skeleton(b)
        # A letter alone is an initial, not a word of an abjad: "m" is not "emmie".
        if sa and sb and len(a) >= MIN_WORD and len(b) >= MIN_WORD:
            weight = 1.0 if _unvoweled(a) or _unvoweled(b) else SKELETON_WEIGHT
            score = max(score, weight * Indel.normalized_similarity(sa, sb))
    return score


def _unvoweled(word: str) -> bool:
    # A title is often written without vowels ("mrs", "dr"): an abbreviation, not a word
    # of an abjad, so "morris" is not "mrs".
    return _VOWELS.isdisjoint(word) and word not in TITLES


@dataclass(frozen=True, slots=True)
class Rarity:
    """How many of ``total`` stored names hold each word: a word few names hold (a
    surname) tells persons apart better than one many hold ("john", "al")."""

    counts: Mapping[str, int]
    total: int
    #: The weights of the query's words, decided once for every name scored (see
    #: :func:`query_weights`); a query word not in it is weighed by the word it found.
    query: Mapping[str, float] = field(default_factory=dict)

    def __call__(self, word: str) -> float:
        """The word's weight, 1 for a word every name holds, more the rarer it is."""
        return (1.0 + math.log((self.total + 1) / (self.counts.get(word, 0) + 1))) ** RARITY_POWER


def _likeness(a: str, b: str, initials: bool) -> float:
    """:func:`_word_similarity` of two words; a letter alone is like a word only with
    ``initials``, as the initial of any word it begins."""
    if a != b and (len(a) == 1 or len(b) == 1):
        # A letter alone is an initial, like a word only as one ("a" is not "aa").
        alike = initials and a[0] == b[0] and a.isalpha() and b.isalpha()
        return INITIAL_WEIGHT if alike else 0.0
    return _word_similarity(a, b)


def _coverages(
    mine: tuple[str, ...],
    theirs: tuple[str, ...],
    rarity: Rarity | None = None,
    initials: bool = False,
) -> tuple[float, float, float]:
    """How well the words ``mine`` are found among ``theirs``, ``theirs`` among ``mine``
    (as many of them as ``mine`` has, the best found), and all of ``theirs`` among
    ``mine``: each word's best likeness, weighted by its length (a long surname counts for
    more than "al") and, given a ``rarity``, by how rare it is (a query word by
    ``rarity.query``, else by the name's word it found, or by itself when it found none)."""
    likeness = [[_likeness(a, b, initials) for b in theirs] for a in mine]
    if rarity is None:
        mine_weights = [_weight(a) for a in mine]
        their_weights = [_weight(b) for b in theirs]
    else:
        mine_weights = [
            _weight(a)
            * (
                rarity.query[a]
                if a in rarity.query
                else rarity(theirs[_best(row)] if max(row) >= RARITY_MATCH else a)
            )
            for a, row in zip(mine, likeness, strict=True)
        ]
        their_weights = [_weight(b) * rarity(b) for b in theirs]
    found = sum(w * max(row) for w, row in zip(mine_weights, likeness, strict=True))
    # A name may hold more words than the query (a middle name, a second surname): it is
    # judged on as many of its words as the query has, those most like the query's, so
    # "Durward Lely" is not put below "Edward" for "durwwrd" for holding a surname.
    words = sorted(
        ((max(row[j] for row in likeness), w) for j, w in enumerate(their_weights)),
        reverse=True,
    )
    kept = words[: len(mine)]
    back = sum(w * like for like, w in kept) / sum(w for _, w in kept)
    every = sum(w * like for like, w in words) / sum(w for _, w in words)
    return found / sum(mine_weights), back, every


def _best(row: list[float]) -> int:
    return max(range(len(row)), key=row.__getitem__)


def _weight(word: str) -> float:
    """What a word counts for in a name: its length, a title's a fifth of it."""
    return len(word) * (TITLE_WEIGHT if word in TITLES else 1.0)


@lru_cache(maxsize=1 << 16)
def _words(folded: str) -> tuple[str, ...]:
    """The words a name's likeness is judged on: every word, initials included."""
    words = tuple(folded.split(" "))
    return words if words != ("",) else ()


@lru_cache(maxsize=1 << 16)
def _stored_words(folded: str) -> tuple[str, ...]:
    words = tuple(w for w in folded.split(" ") if len(w) >= MIN_WORD)
    return words or (folded,)


def search_words(folded: str) -> list[str]:
    """The words of a folded query that make a stored name a candidate when a word of the
    name is like one of them: its words of two letters or more, and the other forms of
    each given name in it ("bobby": "robert")."""
    words = [w for w in folded.split(" ") if len(w) >= MIN_WORD] or [folded]
    return list(dict.fromkeys([*words, *(f for w in words for f in given_name_forms(w))]))


def query_weights(words: Iterable[str], rarity: Rarity) -> Rarity:
    """``rarity`` with the weights of the query's ``words`` decided once, the same for
    every name scored: a word the names searched hold weighs by its own rarity; one they do
    not (a misspelling, mostly) by that of the word most like it among theirs (at least
    :data:`RARITY_MATCH` alike: "dmith" weighs as "smith"), or as a word no name holds.

    Weighing a query word by the word each name offers for it instead lets a name whose
    rare words are loosely like the query's outscore one whose common words are the
    query's exactly ("rob burghersh" above "robert burns" for "rabbie robert burns")."""
    known = list(rarity.counts)
    weights: dict[str, float] = {}
    for word in words:
        if word in weights:
            continue
        if rarity.counts.get(word, 0) == 0:
            found = process.extractOne(
                word,
                known,
                scorer=JaroWinkler.normalized_similarity,
                score_cutoff=RARITY_MATCH,
            )
            weights[word] = rarity(found[0] if found else word)
        else:
            weights[word] = rarity(word)
    return replace(rarity, query=weights)


def rarity_among(names: Iterable[str]) -> Rarity:
    """The :class:`Rarity` of the words of two letters or more in folded ``names`` (one
    count per name given, repeats included)."""
    counts: Counter[str] = Counter()
    total = 0
    for folded in names:
        total += 1
        counts.update(_stored_words(folded))
    return Rarity(counts, total)


def folded_similarity(query: str, name: str, rarity: Rarity | None = None) -> float:
    """:func:`similarity` of two folded names (words weighted by ``rarity`` when given)."""
    if not query or not name:
        return 0.0
    if query == name:
        return 100.0
    # Each query word is looked for among the name's words, and the name's among the
    # query's: one shared word ("Al") is not a match of two whole names.
    mine, theirs = _stored_words(query), _stored_words(name)
    # Initials refine a match of words, they never make one ("d" is not "David"), nor does
    # a name that is an initial alone ("A." is not "Algy Ashton").
    initials = any(
        _word_similarity(a, b) >= _WORD_CUTOFF
        for a in mine
        for b in theirs
        if len(a) >= MIN_WORD and len(b) >= MIN_WORD
    )
    if initials:
        mine, theirs = _words(query), _words(name)
    found, back, every = _coverages(mine, theirs, rarity, initials)
    token = (QUERY_WEIGHT * found + back) / (QUERY_WEIGHT + 1)
    # Of names alike in the words the query has, the one with fewer other words comes
    # first ("Walker" before "James Walker" for "walkef"), by at most EXTRA_WORDS points.
    extra = EXTRA_WORDS * max(0.0, back - every)
    # A letter alone is an initial: its likeness to a short name ("a" and "ali": 80) is
    # no evidence of the name.
    whole = JaroWinkler.normalized_similarity(query, name) if len(name) > 1 < len(query) else 0.0
    # Only the same name scores 100, so that whole-name matches come first.
    return min(100 * max(token, whole), NEARLY_EQUAL) - extra


def match_threshold(query: str, name: str, rarity: Rarity) -> float:
    """The score two folded names must reach to match: :data:`THRESHOLD`, or
    :data:`RARE_WORD_THRESHOLD` when they share, as written, a word rare among the names
    searched (see :data:`RARE_SHARE`)."""
    shared = set(_stored_words(query)).intersection(_stored_words(name))
    most = max(1.0, RARE_SHARE * rarity.total)
    if any(
        len(word) >= 3 and word not in TITLES and rarity.counts.get(word, 0) <= most
        for word in shared
    ):
        return RARE_WORD_THRESHOLD
    return THRESHOLD


def similarity(query: str, name: str) -> float:
    """How alike two names are, 0-100, in whatever script either is written: 100 for the
    same name (case, accents and script aside); otherwise the length-weighted likeness of
    the query's words to the name's and back (Jaro-Winkler of spellings or of consonant
    skeletons), or of the whole names, whichever is higher, below 100."""
    return folded_similarity(normalise(query), normalise(name))


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
    folded already (stored folded, so a search spends no time on ``unidecode``).

    Names are first narrowed to those that can reach :data:`THRESHOLD`: the whole name
    close to the query's, or a word of the name close to one of the query's (by spelling
    or by skeleton, at the lowest likeness that can still make a whole-name score of
    :data:`THRESHOLD`). Those are scored by :func:`folded_similarity`; a name matches when
    its score reaches :data:`THRESHOLD`."""
    forms = name_forms(query)
    if not forms:
        return []
    folded_query = forms[0]
    query_words = search_words(folded_query)
    query_skeletons = {w: _skeleton(w) for w in query_words}
    #: The rows of each name that may match.
    near: dict[str, list[tuple[int, int, str]]] = {}
    counts: Counter[str] = Counter()
    seen = 0

    def narrow(batch: list[tuple[int, str, str]]) -> None:
        # Many people share a name, and many names a word: each distinct name and each
        # distinct word is looked at once.
        owners: dict[str, list[tuple[int, int, str]]] = {}
        for position, (person_id, name, folded) in enumerate(batch, start=seen):
            owners.setdefault(folded, []).append((position, person_id, name))
        wholes = list(owners)
        names_of: dict[str, list[str]] = {}
        for folded in wholes:
            for word in _stored_words(folded):
                names_of.setdefault(word, []).append(folded)
                counts[word] += len(owners[folded])
        words = list(names_of)
        chosen: set[str] = {
            folded
            for folded, _value, _index in process.extract_iter(
                folded_query, wholes, scorer=JaroWinkler.normalized_similarity, score_cutoff=_CUTOFF
            )
        }
        skeletons: dict[str, list[str]] = {}
        for word in words:
            key = _skeleton(word)
            if key:
                skeletons.setdefault(key, []).append(word)
        keys = list(skeletons)
        for q in query_words:
            close = [
                word
                for word, _value, _index in process.extract_iter(
                    q, words, scorer=JaroWinkler.normalized_similarity, score_cutoff=_WORD_CUTOFF
                )
            ]
            if query_skeletons[q]:
                for key, _value, _index in process.extract_iter(
                    query_skeletons[q],
                    keys,
                    scorer=Indel.normalized_similarity,
                    score_cutoff=_SKELETON_CUTOFF,
                ):
                    close.extend(skeletons[key])
            for word in close:
                chosen.update(names_of[word])
        for folded in chosen:
            near.setdefault(folded, []).extend(owners[folded])

    batch: list[tuple[int, str, str]] = []
    for row in names:
        batch.append(row)
        if len(batch) == CHUNK:
            narrow(batch)
            seen += len(batch)
            batch = []
    narrow(batch)
    best: dict[int, Match] = {}
    # Where the name of a person's best match came: of equal scores, the earliest counts.
    order: dict[int, int] = {}
    rarity = query_weights(_words(folded_query), Rarity(counts, seen + len(batch)))
    for folded, rows in near.items():
        points = folded_similarity(folded_query, folded, rarity)
        if points < match_threshold(folded_query, folded, rarity):
            continue
        for position, person_id, name in rows:
            found = best.get(person_id)
            if (
                found is None
                or points > found.score
                or (points == found.score and position < order[person_id])
            ):
                best[person_id] = Match(person_id, name, points)
                order[person_id] = position
    return sorted(best.values(), key=lambda m: (-m.score, m.person_id))
