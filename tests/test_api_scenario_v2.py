"""The REST API for scenario@2 facts: a record read as @2, its facts changed by PATCH with a
reason (kept in history) and refused by JSON path as a scenario@2 file is; and the world
sections (legal bases, regimes, classes, designations, assurances)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import thirdcountry
from api_support import ApiClient, Reply, clients
from thirdcountry.records.load_v2 import load_scenario_v2_records
from thirdcountry.registry.models import FactsV2
from thirdcountry.scenario.v2 import load_scenario_v2
from thirdcountry.scenario.write import record_to_document

__all__ = ["clients"]

pytestmark = pytest.mark.django_db

WORLD = Path(thirdcountry.__file__).parent / "examples" / "edge-cases-2.json"


@pytest.fixture
def world(db: None) -> Any:
    scenario = load_scenario_v2(WORLD)
    load_scenario_v2_records(scenario)
    return scenario


def patch(client: ApiClient, path: str, body: Any, etag: str, reason: str | None) -> Reply:
    url = f"{path}?reason={reason}" if reason is not None else path
    return client.request("PATCH", url, body, {"If-Match": etag})


def put(client: ApiClient, path: str, body: Any, reason: str | None = "recorded") -> Reply:
    url = f"{path}?reason={reason}" if reason is not None else path
    return client.request("PUT", url, body)


def test_each_record_reads_as_the_file_states_it(world: Any, clients: dict[str, ApiClient]) -> None:
    officer = clients["legal_officer"]
    for section, path in (
        ("persons", "persons"),
        ("transfers", "transfers"),
        ("arrangements", "arrangements"),
        ("court_orders", "court_orders"),
    ):
        for record in getattr(world, section):
            reply = officer.get(f"{path}/{record.ref}/v2")
            assert reply.status == 200, reply.body
            assert reply.body == record_to_document(record)
    assert officer.get("persons/NOBODY/v2").status == 404
    # A monitor sees persons only through pseudonyms: not their @2 record.
    assert clients["monitor"].get("persons/P-E01/v2").status == 403


def test_patch_sets_facts_with_a_reason_kept_in_history(
    world: Any, clients: dict[str, ApiClient]
) -> None:
    worker = clients["caseworker"]
    before = worker.get("persons/P-E01/v2")
    reply = patch(
        worker,
        "persons/P-E01/v2",
        {"sex": "female", "vulnerabilities": ["pregnancy"], "known_adult_on": "2020-01-01"},
        before.etag,
        "medical report",
    )
    assert reply.status == 200, reply.body
    assert reply.body["vulnerabilities"] == ["pregnancy"]
    assert reply.body["known_adult_on"] == "2020-01-01"
    assert worker.get("persons/P-E01/v2").body == reply.body
    stored = FactsV2.objects.get(kind="persons", ref="P-E01")
    assert stored.history.first().history_change_reason == "medical report"
    # Nothing else changed.
    assert {
        k: v for k, v in reply.body.items() if k not in ("sex", "vulnerabilities", "known_adult_on")
    } == {
        k: v
        for k, v in before.body.items()
        if k not in ("sex", "vulnerabilities", "known_adult_on")
    }


def test_patch_needs_a_reason_and_is_refused_by_json_path(
    world: Any, clients: dict[str, ApiClient]
) -> None:
    officer = clients["legal_officer"]
    before = officer.get("transfers/X-07/v2")
    missing = patch(officer, "transfers/X-07/v2", {"legal_basis": "us-ina-1231"}, before.etag, None)
    assert missing.status == 422
    assert [e["path"] for e in missing.body["errors"]] == ["reason"]
    bad = patch(
        officer,
        "transfers/X-07/v2",
        {"opportunity": {"cut_off": "someday"}, "notice": {"language": "zz-top"}},
        before.etag,
        "corrected",
    )
    assert bad.status == 422
    assert {e["path"] for e in bad.body["errors"]} >= {"opportunity.cut_off", "notice.language"}
    unknown_basis = patch(
        officer, "transfers/X-07/v2", {"legal_basis": "no-such-basis"}, before.etag, "corrected"
    )
    assert unknown_basis.status == 422
    assert [e["path"] for e in unknown_basis.body["errors"]] == ["legal_basis"]
    assert officer.get("transfers/X-07/v2").body == before.body
    # A monitor changes nothing.
    assert patch(clients["monitor"], "transfers/X-07/v2", {}, before.etag, "x").status == 403


def test_world_sections_are_listed_read_and_recorded(
    world: Any, clients: dict[str, ApiClient]
) -> None:
    officer = clients["legal_officer"]
    listed = officer.get("legal_bases")
    assert [b["code"] for b in listed.body["items"]] == ["nl-aliens-act-return"]
    assert officer.get("designations/DES-NL-BD").body == record_to_document(world.designations[0])
    assurance = {
        "ref": "AS-1",
        "given_by": "RW",
        "given_to": "GB",
        "subject": "non_refoulement",
        "source": "Note verbale",
        "binding": False,
    }
    assert put(officer, "assurances/AS-1", assurance, reason=None).status == 422
    created = put(officer, "assurances/AS-1", assurance)
    assert created.status == 201, created.body
    assert put(officer, "assurances/AS-1", {**assurance, "disclosed": True}).status == 200
    assert officer.get("assurances/AS-1").body["disclosed"] is True
    catalog_own = {
        "code": "us-ina-1231",
        "sending": "US",
        "title": "x",
        "requires_arrangement": False,
        "source": "x",
    }
    refused = put(officer, "legal_bases/us-ina-1231", catalog_own)
    assert refused.status == 422
    assert refused.body["errors"][0]["path"].startswith("code")
    assert put(clients["monitor"], "assurances/AS-1", assurance).status == 403
