"""Pseudonyms and what a monitor sees of a person."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import override_settings

from thirdcountry.cases.models import Person
from thirdcountry.cases.services import screen_stored
from thirdcountry.oversight.pseudonyms import UNKNOWN, monitor_person_view, pseudonym
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario, parse_scenario


def test_a_pseudonym_is_stable_distinct_and_keyed() -> None:
    first = pseudonym("P-101")
    assert re.fullmatch(r"PS-[A-Z2-7]{12}", first)
    assert pseudonym("P-101") == first
    assert pseudonym("P-102") != first
    assert len({pseudonym(f"P-{i}") for i in range(5000)}) == 5000
    with override_settings(THIRDCOUNTRY_PSEUDONYM_KEY="another key"):
        assert pseudonym("P-101") != first
    assert "101" not in first


@pytest.mark.django_db
def test_a_monitor_sees_no_name_ref_birth_date_or_note(seed_world_path: Path) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()
    person = Person.objects.get(ref="P-102")
    view = monitor_person_view(person)
    text = json.dumps(view)
    for secret in ("P-102", "Omar", "Omer", "1991-07-30", "assault"):
        assert secret not in text
    assert view["pseudonym"] == pseudonym("P-102")
    assert view["birth_year"] == 1991
    assert view["nationalities"] == ["SY"]
    assert view["fear_claims"] == [{"country": "SY", "status": "recognised"}]
    assert view["convictions"] == [{"sentence_end": "2025-06-30"}]
    assert view["transfers"] == [
        {
            "ref": "T-102",
            "status": "proposed",
            "sending": "US",
            "destination": "RW",
            "arrangement": "US-RW-2025",
            "planned_date": "2025-09-10",
            "verdict": "blocked",
        }
    ]
    executed = monitor_person_view(Person.objects.get(ref="P-101"))
    assert "vocational" not in json.dumps(executed)  # monitoring notes are free text


@pytest.mark.django_db
def test_unknown_stays_unknown_and_none_stays_none() -> None:
    load_scenario_records(
        parse_scenario(
            {
                "format": "thirdcountry/scenario@1",
                "persons": [
                    {"ref": "U", "names": ["A"]},
                    {"ref": "N", "names": ["B"], "nationalities": [], "fear_claims": [],
                     "removal_decision": None, "convictions": []},
                ],
            }
        )
    )  # fmt: skip
    unknown = monitor_person_view(Person.objects.get(ref="U"))
    for fact in ("birth_year", "nationalities", "fear_claims", "removal_decision", "convictions",
                 "accompanied", "fit_to_travel"):  # fmt: skip
        assert unknown[fact] == UNKNOWN
    none = monitor_person_view(Person.objects.get(ref="N"))
    assert none["nationalities"] == [] and none["fear_claims"] == [] and none["convictions"] == []
    assert none["removal_decision"] is None
