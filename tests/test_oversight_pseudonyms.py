"""Pseudonyms: how a monitor knows a person."""

from __future__ import annotations

import re

from django.test import override_settings

from thirdcountry.oversight.pseudonyms import person_ref_of, pseudonym


def test_a_pseudonym_is_stable_distinct_and_keyed() -> None:
    first = pseudonym("P-101")
    assert re.fullmatch(r"PS-[A-Z2-7]+", first)
    assert pseudonym("P-101") == first
    assert pseudonym("P-102") != first
    assert len({pseudonym(f"P-{i}") for i in range(5000)}) == 5000
    with override_settings(THIRDCOUNTRY_PSEUDONYM_KEY="another key"):
        assert pseudonym("P-101") != first
    assert "101" not in first


def test_only_a_pseudonym_made_under_the_key_names_its_person() -> None:
    first = pseudonym("P-101")
    assert person_ref_of(first) == "P-101"
    assert person_ref_of("P-101") is None  # a ref is not a pseudonym
    altered = first[:-1] + ("A" if first[-1] != "A" else "B")
    assert person_ref_of(altered) is None
    assert person_ref_of("PS-!!") is None and person_ref_of("PS-") is None
    with override_settings(THIRDCOUNTRY_PSEUDONYM_KEY="another key"):
        assert person_ref_of(first) is None
