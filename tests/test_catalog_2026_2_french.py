"""Catalog 2026.2 in French: every text a reader sees of it (rule titles, legal bases, reason
templates, the data table's titles and words) has a French translation with the English
placeholders, and a verdict rendered in French is whole."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import thirdcountry
from thirdcountry.findings.render import translate
from thirdcountry.findings.render_v2 import PHRASES, catalog_msgids
from thirdcountry.rules import catalogs
from thirdcountry.rules.v2.catalog import CatalogV2
from thirdcountry.scenario.v2.read import load_scenario_v2
from thirdcountry.screening_v2 import screen_scenario_v2

DATA = Path(__file__).parent / "data"
#: The examples the package ships (the public ones of the specification).
EXAMPLES = Path(thirdcountry.__file__).parent / "examples"
PLACEHOLDER = re.compile(r"\{(\w+)\}")

#: Texts a French reader reads exactly as an English one: a case name and a word.
SAME_IN_FRENCH = frozenset({"R (AAA) v SSHD [2023] UKSC 42", "prison", "Kosovo"})


def catalog_2026_2() -> CatalogV2:
    found = catalogs.any_catalog("2026.2")
    assert isinstance(found, CatalogV2)
    return found


def texts_of(catalog: CatalogV2) -> list[str]:
    texts = [text for rule in catalog.rules for text in (rule.title, *rule.basis_parts)]
    texts += [reason.template for reason in catalog.reasons]
    return list(dict.fromkeys([*texts, *catalog_msgids(catalog), *PHRASES]))


def test_every_text_of_the_catalog_has_a_french_translation() -> None:
    untranslated = [t for t in texts_of(catalog_2026_2()) if translate(t, "fr") == t]
    assert sorted(untranslated) == sorted(SAME_IN_FRENCH)


def test_french_texts_name_the_english_placeholders_as_often() -> None:
    for text in texts_of(catalog_2026_2()):
        french = translate(text, "fr")
        assert Counter(PLACEHOLDER.findall(french)) == Counter(PLACEHOLDER.findall(text)), french


def test_french_templates_name_the_reason_parameters() -> None:
    for reason in catalog_2026_2().reasons:
        french = translate(reason.template, "fr")
        assert set(PLACEHOLDER.findall(french)) <= {p.name for p in reason.params}, french


#: An ISO date standing alone (not inside a ref such as ``ECHR-R39-2022-06-14``).
ISO_DAY = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")


@pytest.mark.parametrize("example", ["seed-world-2.json", "edge-cases-2.json"])
def test_verdicts_rendered_in_french_are_whole(example: str) -> None:
    screening = screen_scenario_v2(load_scenario_v2(EXAMPLES / example), catalog_2026_2())
    english, french = screening.to_document("en"), screening.to_document("fr")
    pairs = [
        (e, f)
        for e_result, f_result in zip(english["results"], french["results"], strict=True)
        for e, f in zip(e_result["findings"], f_result["findings"], strict=True)
    ]
    assert pairs
    for in_english, in_french in pairs:
        assert in_french["reason"] == in_english["reason"]
        assert "{" not in in_french["text"] and "}" not in in_french["text"], in_french["text"]
        assert in_french["text"] != in_english["text"], in_french["text"]
        assert "{" not in in_french["basis"], in_french["basis"]
        # dates inside sentences in French form ("20 septembre 2025"), never ISO
        assert not ISO_DAY.search(in_french["text"]), in_french["text"]
