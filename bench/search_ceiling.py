"""What any ranking of names alone could reach on a labelled query set, and what kind of
query each miss is: the ceiling analysis of ``bench/search_quality.py``.

Two persons who hold the same name (the same words, in any order, once folded) cannot be
told apart by a name-only search: whatever it does, it ranks them in some order that the
name does not decide. For each query this counts the persons of the register that hold a
name *indistinguishable* from it (its folded words, sorted, equal to the query's):

- the query's person among them, with ``n`` others: the best a name-only ranking can
  expect is a random place among the ``n + 1`` (its expected reciprocal rank and its chance
  of being in the first ten);
- only others hold it: the ordering contract (the same name first) puts them all first,
  and the person comes after them;
- the person holds a name with every word of the query and more ("Robert Munro" for
  "robert"), as others do: after the holders of the name itself, a random place among
  those (one word more or less is all a name-only ranking sees of them);
- otherwise a perfect ranking puts the person first after the holders of the name.

A *strict* bound also puts the persons holding every word of the query as written (and
more) before a person who holds them only misspelt or in another form: what a ranking
that trusts an exact word over a like one can reach ("Emmie Ford" before "Emmy
Blathwayt" for "emmie").

The *oracle bound* averages these over the queries. A second, stricter bound also counts
as lost the queries that share no word with any name of their person (no word alike in
spelling, in consonant skeleton, nor a familiar form of one given name): a pen name, a
title alone, another person's name, which nothing in the name points to.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from thirdcountry.names import TITLES, folded_similarity, normalise, same_given_name, skeleton

#: The likeness (Jaro-Winkler, 0-1) at which two words count as a spelling of one another.
ALIKE: float = 0.8
#: How far down a list a query counts as answered.
K: int = 10


def name_key(folded: str) -> tuple[str, ...]:
    """What a name is by its words alone: its folded words, sorted."""
    return tuple(sorted(folded.split()))


def tie_expectation(others: int, truths: int, k: int = K, ahead: int = 0) -> tuple[float, float]:
    """The chance that the first of ``truths`` right persons is in the first ``k`` of their
    group, and its expected reciprocal rank with ``ahead`` persons before the group, when
    they and ``others`` equal persons are put in a random order (P(first right at i) =
    C(m - i, t - 1) / C(m, t))."""
    m, t = others + truths, truths
    if t == 0:
        return 0.0, 0.0
    total = math.comb(m, t)
    recall = rr = 0.0
    for i in range(1, others + 2):
        p = math.comb(m - i, t - 1) / total
        rr += p / (ahead + i)
        if i <= k:
            recall += p
    return recall, rr


@dataclass(frozen=True, slots=True)
class Ceiling:
    """A query's best expected outcome under a name-only ranking: its chance of being in
    the first ten and reciprocal rank; the same when the persons holding every word of the
    query as written come before a person who holds them only misspelt or in another form
    (``strict``); the persons tied with it (right and not), and whether any name of its
    person shares a word with it."""

    recall: float
    rr: float
    strict_recall: float
    strict_rr: float
    truths: int
    others: int
    evidence: bool


def _words(folded: str) -> list[str]:
    return [w for w in folded.split() if w not in TITLES] or folded.split()


def _alike(a: str, b: str) -> bool:
    if a == b or JaroWinkler.normalized_similarity(a, b) >= ALIKE or same_given_name(a, b):
        return True
    sa, sb = skeleton(a), skeleton(b)
    return len(a) > 1 and len(b) > 1 and bool(sa) and sa == sb


def shares_a_word(query: str, names: Iterable[str]) -> bool:
    """Whether a word of the folded query (not a title, unless it is only titles) is like
    a word of one of the folded ``names``."""
    mine = _words(query)
    return any(_alike(a, b) for name in names for b in name.split() for a in mine)


def ceiling(
    query: str,
    exact: Iterable[int],
    containing: Iterable[int],
    persons: frozenset[int],
    names: Sequence[str],
) -> Ceiling:
    """The :class:`Ceiling` of a folded ``query`` whose right answers are ``persons``, given
    the persons holding a name with the query's :func:`name_key` (``exact``), those
    holding a name with every word of the query and more (``containing``), and the folded
    ``names`` of its right persons."""
    exact = set(exact)
    containing = set(containing) - exact
    ahead = len(exact - persons)
    if exact & persons:
        group, truths = exact, len(exact & persons)
        ahead = 0
    elif containing & persons:
        group, truths = containing, len(containing & persons)
    else:
        group, truths = set(), 0
    if truths:
        recall, rr = tie_expectation(len(group) - truths, truths, K - ahead, ahead)
        strict = recall, rr
    else:
        recall, rr = (1.0 if ahead < K else 0.0), 1 / (ahead + 1)
        before = ahead + len(containing - persons)
        strict = (1.0 if before < K else 0.0), 1 / (before + 1)
    return Ceiling(
        recall, rr, *strict, truths, len(group) - truths + ahead, shares_a_word(query, names)
    )


def category(name: str, names: Sequence[str]) -> str:
    """What kind of query ``name`` is against the folded ``names`` of its person: the
    first that applies of a title alone, one word (a given name or a surname), no word in
    common, initials, the same name once folded, words reordered, a familiar form of a
    given name, another script or accents, typing errors only, one word in common and the
    rest different."""
    query = normalise(name)
    words = query.split()
    if all(w in TITLES for w in words):
        return "a title alone"
    real = [w for w in words if w not in TITLES]
    closest = max(names, key=lambda n: folded_similarity(query, n), default="")
    theirs = closest.split()
    if len(real) == 1:
        if not theirs or not shares_a_word(query, [closest]):
            return "one word, in no name of the person"
        first = JaroWinkler.normalized_similarity(real[0], theirs[0])
        last = JaroWinkler.normalized_similarity(real[0], theirs[-1])
        return "one word: a given name" if first >= last else "one word: a surname"
    if not shares_a_word(query, names):
        return "no word in common (another name)"
    if any(len(w) == 1 for w in real):
        return "initials"
    if query in names:
        return "the same name, once folded"
    if any(name_key(query) == name_key(n) for n in names):
        return "words reordered"
    if any(a != b and same_given_name(a, b) for a in real for n in names for b in n.split()):
        return "a familiar form of a given name"
    if not name.isascii():
        return "another script or accents"
    if all(any(_alike(a, b) for b in theirs) for a in real):
        return "typing errors"
    return "one word in common, the rest differ"
