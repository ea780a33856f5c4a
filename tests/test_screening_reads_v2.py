"""Screening a few stored transfers under catalog 2026.2 reads only what their rules read of
the rest of their channel (RULES-2026.2 §2.11, §2.12), and gives exactly the findings and
facts fingerprint that screening them in the whole stored world gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

import thirdcountry
from strategies_v2 import scenario_documents_v2
from thirdcountry.records.load_v2 import load_scenario_v2_records, write_records_v2
from thirdcountry.records.scenario_v2 import screening_scenario_v2, stored_scenario_v2
from thirdcountry.rules.catalogs import any_catalog
from thirdcountry.rules.v2.catalog import CatalogV2
from thirdcountry.scenario.parse import ScenarioError
from thirdcountry.scenario.v2 import load_scenario_v2, parse_scenario_v2
from thirdcountry.scenario.v2 import model as v2
from thirdcountry.screening_v2 import facts_sha256

pytestmark = pytest.mark.django_db

EXAMPLES = Path(thirdcountry.__file__).parent / "examples"
#: The screening date of a world that names none.
DAY = dt.date(2025, 9, 1)


def catalog() -> CatalogV2:
    found = any_catalog("2026.2")
    assert isinstance(found, CatalogV2)
    return found


def screened_alone_and_whole() -> list[tuple[Any, Any]]:
    """For each stored proposed transfer: (its result and fingerprint screened with only
    what its screening reads, the same screened in the whole stored world)."""
    scenario = stored_scenario_v2()
    day = scenario.as_of or DAY
    revision = catalog().data_revision
    whole = catalog().world(scenario, day)
    pairs = []
    for ref, transfer in whole.transfers.items():
        if transfer.status != "proposed":
            continue
        part = catalog().world(screening_scenario_v2([ref]), day)
        alone = part.transfers[ref]
        pairs.append(
            (
                (catalog().screen_transfer(part, alone), facts_sha256(part, alone, revision)),
                (
                    catalog().screen_transfer(whole, transfer),
                    facts_sha256(whole, transfer, revision),
                ),
            )
        )
    return pairs


@pytest.mark.parametrize("example", ["seed-world-2", "edge-cases-2"])
def test_the_examples_screen_alike_alone_and_whole(example: str) -> None:
    load_scenario_v2_records(load_scenario_v2(EXAMPLES / f"{example}.json"))
    pairs = screened_alone_and_whole()
    assert pairs
    for alone, whole in pairs:
        assert alone == whole


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario_documents_v2())
def test_any_world_screens_alike_alone_and_whole(document: dict[str, Any]) -> None:
    world = parse_scenario_v2(document)
    with transaction.atomic():
        try:
            load_scenario_v2_records(world)
        except ScenarioError:
            # What storage cannot keep exactly is refused (tests/test_storage_v2.py).
            transaction.set_rollback(True)
            return
        for alone, whole in screened_alone_and_whole():
            assert alone == whole
        transaction.set_rollback(True)


def test_another_persons_fear_changes_no_fingerprint_unless_they_were_sent_on() -> None:
    # Three persons under one arrangement: P-1 proposed, P-2 proposed, P-3 carried there
    # and sent on to Syria.
    document = {
        "format": "thirdcountry/scenario@2",
        "as_of": "2025-09-01",
        "arrangements": [
            {"ref": "A-1", "sending": "US", "receiving": "SV", "cap": None, "period_caps": []}
        ],
        "persons": [
            {"ref": f"P-{i}", "names": [f"Person {i}"], "fear_claims": []} for i in (1, 2, 3)
        ],
        "transfers": [
            {
                "ref": "T-1",
                "person": "P-1",
                "sending": "US",
                "destination": "SV",
                "planned_date": "2025-10-01",
                "arrangement": "A-1",
            },
            {
                "ref": "T-2",
                "person": "P-2",
                "sending": "US",
                "destination": "SV",
                "planned_date": "2025-10-02",
                "arrangement": "A-1",
            },
            {
                "ref": "T-3",
                "person": "P-3",
                "sending": "US",
                "destination": "SV",
                "planned_date": "2025-03-01",
                "arrangement": "A-1",
                "status": "executed",
                "monitoring": [{"date": "2025-05-01", "kind": "onward_removal", "country": "SY"}],
            },
        ],
    }
    load_scenario_v2_records(parse_scenario_v2(document))
    part = screening_scenario_v2(["T-1"])
    # T-2 counts by its person's ref; P-2's record is not read.
    assert {p.ref for p in part.persons} == {"P-1", "P-3"}
    assert {t.ref for t in part.transfers} == {"T-1", "T-2", "T-3"}

    def fingerprint() -> str:
        world = catalog().world(stored_scenario_v2(), DAY)
        return facts_sha256(world, world.transfers["T-1"], catalog().data_revision)

    before = fingerprint()
    fearing = [v2.FearClaim(country="SY", status="pending")]
    for ref, changes in (("P-2", False), ("P-3", True)):
        person = next(p for p in stored_scenario_v2().persons if p.ref == ref)
        changed = msgspec.structs.replace(person, fear_claims=tuple(fearing))
        write_records_v2(v2.Scenario(persons=(changed,)), reason="fear claim recorded")
        assert (fingerprint() != before) is changes
        before = fingerprint()
    # P-3's recorded fear makes the onward removal an incident for T-1.
    assert screened_alone_and_whole()[0][0] == screened_alone_and_whole()[0][1]
