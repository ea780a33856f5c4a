"""Stored values are shown by one label each, derived from the enums, in both languages."""

from __future__ import annotations

import pytest
from django.utils import translation

from thirdcountry import words
from thirdcountry.cases.models import ScreeningRun, Transfer
from thirdcountry.registry.models import ArrangementStatus, CourtOrder


@pytest.mark.parametrize("message", words.msgids())
def test_every_label_has_a_french_translation(message: str) -> None:
    catalog = translation.trans_real.translation("fr")
    assert catalog._catalog.get(message), f"no French for {message!r}"  # type: ignore[attr-defined]


def test_a_label_follows_the_active_language() -> None:
    assert words.label("in_force") == "in force"
    assert words.label(None) == "not screened"
    with translation.override("fr"):
        assert words.label("in_force") == "en vigueur"
        assert words.label("interim_measure") != "interim measure"


def test_django_choices_come_from_the_same_labels() -> None:
    fields = (
        (Transfer, "status"),
        (ScreeningRun, "status"),
        (ArrangementStatus, "status"),
        (CourtOrder, "kind"),
    )
    for model, name in fields:
        field = model._meta.get_field(name)
        with translation.override("fr"):
            assert [(v, str(shown)) for v, shown in field.choices] == [
                (v, words.label(v)) for v, _ in field.choices
            ]
