"""Pseudonyms: how a monitor knows a person."""

from __future__ import annotations

import re

from django.test import override_settings

from thirdcountry.oversight.pseudonyms import pseudonym


def test_a_pseudonym_is_stable_distinct_and_keyed() -> None:
    first = pseudonym("P-101")
    assert re.fullmatch(r"PS-[A-Z2-7]{12}", first)
    assert pseudonym("P-101") == first
    assert pseudonym("P-102") != first
    assert len({pseudonym(f"P-{i}") for i in range(5000)}) == 5000
    with override_settings(THIRDCOUNTRY_PSEUDONYM_KEY="another key"):
        assert pseudonym("P-101") != first
    assert "101" not in first
