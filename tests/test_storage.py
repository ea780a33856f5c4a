"""Case records in the database: load, export and screening from storage agree with the file.

These tests run against whichever database ``THIRDCOUNTRY_DATABASE_URL`` names (SQLite by
default; continuous integration runs them on PostgreSQL too).
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from typer.testing import CliRunner

from thirdcountry import screen_scenario
from thirdcountry.cases import models as cases
from thirdcountry.cases.bulk import FEW
from thirdcountry.cases.services import screen_stored
from thirdcountry.cli.main import app
from thirdcountry.oversight.findings import shown_findings
from thirdcountry.records import load as load_module
from thirdcountry.records.export import export_scenario
from thirdcountry.records.load import load_scenario_records
from thirdcountry.registry import models as registry
from thirdcountry.scenario import ScenarioError, loads_scenario, parse_scenario
from thirdcountry.scenario.model import UNKNOWN, Scenario
from thirdcountry.scenario.write import scenario_to_document

pytestmark = pytest.mark.django_db


def findings(screening: Any) -> list[dict[str, Any]]:
    """Each result of a verdicts document, the comparable part."""
    return screening.to_document()["results"]


def equivalent_document(scenario: Scenario) -> dict[str, Any]:
    """A scenario document with what carries no fact taken out: countries listed without
    assessments, terms that set nothing, and the order of sets."""
    document = scenario_to_document(scenario)
    document["countries"] = sorted(
        (c for c in document["countries"] if c["assessments"]), key=lambda c: c["code"]
    )
    for arrangement in document["arrangements"]:
        terms = arrangement.get("terms")
        if terms == {"requires_served_sentence": False, "excluded_nationalities": []}:
            del arrangement["terms"]
        arrangement["commitments"] = sorted(arrangement["commitments"])
    return document


def database_snapshot() -> dict[str, Any]:
    """Everything stored, including history, to prove a failed load changed nothing."""
    models = [
        cases.Person,
        cases.PersonName,
        cases.Nationality,
        cases.Transfer,
        cases.FearClaim,
        cases.Conviction,
        registry.Arrangement,
        registry.ArrangementStatus,
        registry.Assessment,
        registry.CourtOrder,
        registry.Payment,
        cases.Person.history.model,
        cases.Transfer.history.model,
        registry.Arrangement.history.model,
    ]
    return {m.__name__: sorted(map(str, m.objects.values_list())) for m in models}


def test_screen_after_load_gives_the_findings_of_check(seed_world_path: Path) -> None:
    scenario = loads_scenario(seed_world_path.read_bytes())
    load_scenario_records(scenario)
    stored = screen_stored()
    assert stored.stored == 7
    assert findings(stored.screening) == findings(screen_scenario(scenario))
    assert stored.screening.as_of == date(2025, 9, 1)
    latest = cases.ScreeningRecord.objects.get(transfer__ref="T-105")
    assert latest.verdict == "blocked"
    assert latest.catalog == "2026.1"
    assert latest.as_of == date(2025, 9, 1)
    shown = shown_findings(latest.catalog, latest.findings, personal=True)
    assert shown[8].rule == "written-notice"
    assert shown[8].outcome == "blocked"


def test_export_after_load_gives_back_an_equivalent_file(seed_world_path: Path) -> None:
    scenario = loads_scenario(seed_world_path.read_bytes())
    load_scenario_records(scenario)
    exported = export_scenario()
    assert equivalent_document(exported) == equivalent_document(scenario)
    # and the exported file is itself a valid scenario that screens the same way
    reparsed = parse_scenario(json.loads(json.dumps(scenario_to_document(exported))))
    assert findings(screen_scenario(reparsed)) == findings(screen_scenario(scenario))


THREE_STATES: dict[str, Any] = {
    "format": "thirdcountry/scenario@1",
    "persons": [
        {"ref": "unknown", "names": ["A"]},
        {
            "ref": "none",
            "names": ["B"],
            "nationalities": [],
            "languages": [],
            "fear_claims": [],
            "removal_decision": None,
            "convictions": [],
        },
        {
            "ref": "value",
            "names": ["C", "C2"],
            "birth_date": "2008-02-29",
            "nationalities": ["SY", "IQ"],
            "languages": ["ar", "ara", "en"],
            "accompanied": False,
            "identity_verified": True,
            "asylum_claim": "pending",
            "fear_claims": [{"country": "SY", "status": "recognised"}],
            "removal_decision": {
                "date": "2025-01-01",
                "final": True,
                "appeal_deadline": "2025-02-01",
                "appeal_pending": False,
            },
            "convictions": [{"offence": "theft"}, {"sentence_end": "2024-01-01"}],
            "family_in_sending_country": False,
            "fit_to_travel": True,
        },
    ],
    "transfers": [
        {
            "ref": "T1",
            "person": "unknown",
            "sending": "GB",
            "destination": "RW",
            "planned_date": "2025-10-01",
        },
        {
            "ref": "T2",
            "person": "none",
            "sending": "GB",
            "destination": "RW",
            "planned_date": "2025-10-01",
            "notice": None,
            "arrangement": None,
        },
        {
            "ref": "T3",
            "person": "value",
            "sending": "GB",
            "destination": "RW",
            "planned_date": "2025-10-01",
            "accepted_by_receiving": True,
            "notice": {"served": "2025-09-01", "language": "ara", "names_destination": True},
        },
    ],
}


def test_every_fact_keeps_its_three_states_in_storage() -> None:
    scenario = parse_scenario(THREE_STATES)
    load_scenario_records(scenario)
    exported = export_scenario()
    assert exported.persons == scenario.persons
    assert exported.transfers == scenario.transfers
    unknown, none, value = exported.persons
    assert unknown.nationalities is UNKNOWN and unknown.removal_decision is UNKNOWN
    assert none.nationalities == () and none.removal_decision is None
    assert value.convictions[0].sentence_end is UNKNOWN
    stored = cases.Person.objects.get(ref="unknown")
    assert stored.nationalities_recorded is False and stored.removal_decision_recorded is False
    assert findings(screen_stored(date(2025, 9, 15)).screening) == findings(
        screen_scenario(scenario, date(2025, 9, 15))
    )


def test_loading_the_same_file_twice_changes_nothing(seed_world_path: Path) -> None:
    scenario = loads_scenario(seed_world_path.read_bytes())
    first = load_scenario_records(scenario)
    assert first.changed
    before = database_snapshot()
    second = load_scenario_records(scenario)
    assert not second.changed
    assert database_snapshot() == before


def test_a_changed_file_updates_by_ref_and_keeps_history(seed_world_path: Path) -> None:
    document = json.loads(seed_world_path.read_text())
    load_scenario_records(parse_scenario(document))
    changed = copy.deepcopy(document)
    changed["persons"][5]["birth_date"] = "2010-01-01"
    changed["persons"][5]["nationalities"] = ["SD", "SS"]
    changed["transfers"][7]["notice"] = {
        "served": "2025-08-01",
        "language": "ar",
        "names_destination": True,
    }
    summary = load_scenario_records(parse_scenario(changed), source="changed.json")
    assert summary.counts["persons"] == {"created": 0, "updated": 1, "unchanged": 6}
    assert summary.counts["transfers"] == {"created": 0, "updated": 1, "unchanged": 7}
    person = cases.Person.objects.get(ref="P-106")
    assert person.birth_date == date(2010, 1, 1)
    assert sorted(person.nationalities.values_list("country_id", flat=True)) == ["SD", "SS"]
    history = list(person.history.order_by("history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[0].birth_date is None and history[1].birth_date == date(2010, 1, 1)
    assert history[1].history_change_reason == "load changed.json"
    deleted = cases.Nationality.history.filter(history_type="-").count()
    added = cases.Nationality.history.filter(history_type="+", country_id="SS").count()
    assert (deleted, added) == (1, 1)


def test_a_refused_file_leaves_the_database_as_it_was(seed_world_path: Path) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    before = database_snapshot()
    result = CliRunner().invoke(
        app,
        ["load", "-"],
        input='{"format": "thirdcountry/scenario@1",'
        '"persons": [{"ref": "X", "names": ["x"], "birth_date": "2025-02-30"}]}',
    )
    assert result.exit_code == 2
    assert "persons[0].birth_date" in result.output
    assert database_snapshot() == before


def test_a_load_failing_half_way_leaves_the_database_as_it_was(
    seed_world_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = json.loads(seed_world_path.read_text())
    load_scenario_records(parse_scenario(document))
    before = database_snapshot()
    changed = copy.deepcopy(document)
    changed["persons"][0]["names"] = ["Renamed"]
    changed["persons"].append({"ref": "P-900", "names": ["New"]})

    upsert = load_module._Writer.upsert

    def fail(self: Any, kind: str, *args: Any) -> None:
        if kind == "transfers":
            raise IntegrityError("simulated failure after persons were written")
        upsert(self, kind, *args)

    monkeypatch.setattr(load_module._Writer, "upsert", fail)
    with pytest.raises(IntegrityError):
        load_scenario_records(parse_scenario(changed))
    assert database_snapshot() == before
    assert not cases.Person.objects.filter(ref="P-900").exists()


def test_storage_refuses_what_it_cannot_keep_exactly() -> None:
    document = {
        "format": "thirdcountry/scenario@1",
        "arrangements": [
            {
                "ref": "A",
                "sending": "GB",
                "receiving": "RW",
                "cap": 2**40,
                "payments": [
                    {
                        "date": "2025-01-01",
                        "amount": "1.123456",
                        "currency": "GBP",
                        "kind": "paid",
                        "payer": "GB",
                        "payee": "RW",
                    }
                ],
            }
        ],
    }
    with pytest.raises(ScenarioError) as refused:
        load_scenario_records(parse_scenario(document))
    paths = [p.path for p in refused.value.problems]
    assert paths == ["arrangements[0].cap", "arrangements[0].payments[0].amount"]
    assert not registry.Arrangement.objects.exists()


def world_with_transfers(n: int) -> Scenario:
    """The example world with ``n`` more proposed transfers of its persons."""
    document = json.loads((Path(__file__).parent / "data" / "seed-world.json").read_text())
    template = document["transfers"][1]
    for i in range(n):
        extra = dict(template, ref=f"T-X{i:05d}", person=f"P-10{1 + i % 6}")
        document["transfers"].append(extra)
    return parse_scenario(document)


def test_screen_makes_as_many_queries_for_1000_transfers_as_for_200() -> None:
    counts = []
    # Both above bulk.FEW: up to it, rows are written by one INSERT … VALUES, not through a
    # temporary table, so a tiny screening takes fewer statements still.
    assert FEW < 200
    for n in (200, 1000):
        cases.ScreeningRecord.objects.all().delete()
        load_scenario_records(world_with_transfers(n))
        with CaptureQueriesContext(connection) as queries:
            result = screen_stored()
        assert result.stored >= n
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # One statement per source table and per write, whatever the size (PostgreSQL's upsert
    # of the latest verdicts takes four: a temporary table, its COPY, the upsert, the drop;
    # the court orders findings name are read once).
    assert counts[0] <= 48


def test_database_constraints_hold_without_forms() -> None:
    load_scenario_records(parse_scenario(THREE_STATES))
    person = cases.Person.objects.get(ref="value")
    for change in (
        {"asylum_claim": "maybe"},
        {"removal_decision_final": None},
        {"removal_decision_recorded": False},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            cases.Person.objects.filter(pk=person.pk).update(**change)
    with pytest.raises(IntegrityError), transaction.atomic():
        registry.CourtOrder.objects.create(
            ref="O",
            kind="stay",
            issuer="court",
            issued=date(2025, 2, 1),
            lifted=date(2025, 1, 1),
            scope_sending_id="GB",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        registry.CourtOrder.objects.create(
            ref="O2",
            kind="stay",
            issuer="court",
            issued=date(2025, 2, 1),
            scope_person=person,
            scope_sending_id="GB",
        )
    # Foreign keys are checked when the transaction commits (deferred): check them now.
    with pytest.raises(IntegrityError), transaction.atomic():
        cases.Nationality.objects.create(person=person, country_id="XX")
        connection.check_constraints(table_names=[cases.Nationality._meta.db_table])
    with pytest.raises(IntegrityError), transaction.atomic():
        cases.Transfer.objects.create(
            ref="T9",
            person=person,
            sending_id="GB",
            destination_id="RW",
            planned_date=date(2025, 1, 1),
            status="flown",
        )


def test_cli_load_screen_export(seed_world_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    loaded = runner.invoke(app, ["load", str(seed_world_path)])
    assert loaded.exit_code == 0, loaded.output
    screened = runner.invoke(app, ["screen", "--format", "json"])
    assert screened.exit_code == 0, screened.output
    document = json.loads(screened.stdout)
    assert document["format"] == "thirdcountry/verdicts@1"
    assert [r["verdict"] for r in document["results"]] == [
        "clear",
        "blocked",
        "blocked",
        "blocked",
        "blocked",
        "blocked",
        "review",
    ]
    out = tmp_path / "exported.json"
    exported = runner.invoke(app, ["export", "--format", "scenario@1", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    checked = runner.invoke(app, ["check", str(out), "--format", "json"])
    assert json.loads(checked.stdout)["results"] == document["results"]
