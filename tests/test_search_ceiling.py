"""The ceiling analysis of the people-search quality benchmark (``bench/search_ceiling.py``):
the expected place of a person among equals, and what kind of query a miss is."""

from __future__ import annotations

import math
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from search_ceiling import category, ceiling, name_key, tie_expectation


@given(st.integers(0, 300), st.integers(1, 30))
def test_one_right_person_among_equals_is_placed_uniformly(others: int, k: int) -> None:
    recall, rr = tie_expectation(others, 1, k)
    m = others + 1
    assert math.isclose(recall, min(1.0, k / m))
    assert math.isclose(rr, sum(1 / i for i in range(1, m + 1)) / m)


@given(st.integers(0, 100), st.integers(1, 10), st.integers(0, 20))
def test_more_right_persons_or_fewer_ahead_never_lower_the_expectation(
    others: int, truths: int, ahead: int
) -> None:
    recall, rr = tie_expectation(others, truths, 10 - ahead, ahead)
    more, more_rr = tie_expectation(others, truths + 1, 10 - ahead, ahead)
    assert 0.0 <= recall <= more + 1e-9 <= 1.0 + 2e-9
    assert rr <= more_rr + 1e-12
    assert tie_expectation(others, truths, 10, 0)[1] >= rr - 1e-12


def test_the_holders_of_the_name_come_first_then_a_place_among_those_holding_its_words() -> None:
    # The person holds "robert munro"; 19 others hold a name with "robert", 2 "robert".
    found = ceiling("robert", {1, 2}, {3, *range(10, 29)}, frozenset({3}), ["robert munro"])
    assert found.others == 21 and found.truths == 1
    assert math.isclose(found.recall, 8 / 20)
    # The person holds the name itself among 3 others.
    found = ceiling("robert", {1, 2, 3, 4}, set(), frozenset({3}), ["robert"])
    assert found.recall == 1.0 and math.isclose(found.rr, (1 + 1 / 2 + 1 / 3 + 1 / 4) / 4)
    # Nobody else holds the name: a perfect ranking puts the person first.
    found = ceiling("rob munro", set(), set(), frozenset({3}), ["robert munro"])
    assert (found.recall, found.rr, found.evidence) == (1.0, 1.0, True)
    # The strict bound puts the holders of every word of the query first.
    found = ceiling("emmie", set(), set(range(10, 22)), frozenset({3}), ["emmy blathwayt"])
    assert found.rr == 1.0 and found.strict_recall == 0.0 and found.strict_rr == 1 / 13


def test_a_name_is_its_words_in_any_order() -> None:
    assert name_key("smith john") == name_key("john smith") != name_key("john smyth")


def test_misses_are_told_apart_by_kind() -> None:
    assert category("Sir", ["thomas hepburn"]) == "a title alone"
    assert category("thomas", ["thomas taverner"]) == "one word: a given name"
    assert category("Taverner", ["thomas taverner"]) == "one word: a surname"
    assert category("T. Taverner", ["thomas taverner"]) == "initials"
    assert category("Taverner Thomas", ["thomas taverner"]) == "words reordered"
    assert category("Tom Taverner", ["thomas taverner"]) == "a familiar form of a given name"
    assert category("P. Pindar", ["john wolcot"]) == "no word in common (another name)"
    assert category("Thomas Taverner", ["thomas taverner"]) == "the same name, once folded"
    assert category("Thomas Tavernér", ["thomas tavernor"]) == "another script or accents"
    assert category("Thomaz Tavernr", ["thomas taverner"]) == "typing errors"
    assert category("Gilbert Taverner", ["thomas taverner"]) == (
        "one word in common, the rest differ"
    )
