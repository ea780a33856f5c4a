"""scenario@2 in the database: a world loaded reads back as itself, screens under catalog
2026.2 exactly as the file does, loads twice without a change, and a record stored before
scenario@2 reads as its @1 facts through the published mapping."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

import thirdcountry
from strategies_v2 import scenario_documents_v2
from thirdcountry.cases.models import Person, Transfer
from thirdcountry.cases.services import screen_stored
from thirdcountry.cli.main import app
from thirdcountry.oversight import audit
from thirdcountry.records.export import export_scenario, export_transfers
from thirdcountry.records.load import load_scenario_records
from thirdcountry.records.load_v2 import load_scenario_v2_records
from thirdcountry.records.scenario_v2 import stored_scenario_v2
from thirdcountry.records.services import save_transfer
from thirdcountry.registry.models import Arrangement, CourtOrder, FactsV2
from thirdcountry.rules.catalogs import any_catalog
from thirdcountry.scenario import loads_scenario
from thirdcountry.scenario import model as v1
from thirdcountry.scenario.parse import ScenarioError
from thirdcountry.scenario.v2 import load_scenario_v2, parse_scenario_v2, scenario_from_v1
from thirdcountry.scenario.v2 import model as v2
from thirdcountry.scenario.v2.model import UNKNOWN, Scenario
from thirdcountry.screening_v2 import screen_scenario_v2

pytestmark = pytest.mark.django_db

EXAMPLES = Path(thirdcountry.__file__).parent / "examples"
WORLDS = ["seed-world-2", "edge-cases-2"]


def canonical(scenario: Scenario) -> Scenario:
    """A world as storage gives it back: each section in key order, and no country that
    says nothing (a country is stored by its assessments)."""

    def by(key: str, entries: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(sorted(entries, key=lambda e: getattr(e, key)))

    return msgspec.structs.replace(
        scenario,
        legal_bases=by("code", scenario.legal_bases),
        regimes=by("id", scenario.regimes),
        classes=by("ref", scenario.classes),
        designations=by("ref", scenario.designations),
        assurances=by("ref", scenario.assurances),
        countries=by("code", tuple(c for c in scenario.countries if c.assessments)),
        arrangements=by("ref", scenario.arrangements),
        court_orders=tuple(sorted(scenario.court_orders, key=lambda o: (o.issued, o.ref))),
        persons=by("ref", scenario.persons),
        transfers=by("ref", scenario.transfers),
    )


def verdicts(scenario: Scenario) -> dict[str, Any]:
    """Each proposed transfer's verdict and each finding's rule, outcome and reason code."""
    catalog: Any = any_catalog("2026.2")
    document = screen_scenario_v2(scenario, catalog).to_document()
    return {
        r["transfer"]: (
            r["verdict"],
            [(f["rule"], f["outcome"], f["reason"]["code"]) for f in r["findings"]],
        )
        for r in document["results"]
    }


@pytest.mark.parametrize("example", WORLDS)
def test_a_loaded_world_reads_back_as_itself(example: str) -> None:
    world = load_scenario_v2(EXAMPLES / f"{example}.json")
    load_scenario_v2_records(world)
    assert canonical(stored_scenario_v2()) == canonical(world)


@pytest.mark.parametrize("example", WORLDS)
def test_the_stored_world_screens_as_the_published_verdicts(example: str) -> None:
    load_scenario_v2_records(load_scenario_v2(EXAMPLES / f"{example}.json"))
    expected = json.loads((EXAMPLES / f"{example}.expected.json").read_text(encoding="utf-8"))
    assert verdicts(stored_scenario_v2()) == {
        r["transfer"]: (
            r["verdict"],
            [(f["rule"], f["outcome"], f["reason"]["code"]) for f in r["findings"]],
        )
        for r in expected["results"]
    }


def test_loading_twice_changes_nothing() -> None:
    world = load_scenario_v2(EXAMPLES / "seed-world-2.json")
    assert load_scenario_v2_records(world).changed
    before = {m.__name__: m.history.count() for m in (Person, Transfer, Arrangement, CourtOrder)}
    assert not load_scenario_v2_records(world).changed
    assert {
        m.__name__: m.history.count() for m in (Person, Transfer, Arrangement, CourtOrder)
    } == before
    result = audit.verify()
    assert result.ok, [str(p) for p in result.problems]


def as_exported(world: Any) -> Any:
    """A stored world with only the countries ``export --format scenario@1`` writes: the
    world read as @2 also names each destination, assessed or not (with no assessment)."""
    return msgspec.structs.replace(
        world, countries=tuple(c for c in world.countries if c.assessments)
    )


def test_an_at_1_world_stored_reads_as_its_mapping(seed_world_path: Path) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    assert not FactsV2.objects.exists()
    stored = stored_scenario_v2()
    assert as_exported(stored) == scenario_from_v1(export_scenario(), notice_days_given=False)
    destinations = {t.destination for t in stored.transfers}
    assert destinations <= {c.code for c in stored.countries}


def test_cli_loads_an_at_2_file_and_exports_it_back(tmp_path: Path) -> None:
    runner = CliRunner()
    path = EXAMPLES / "edge-cases-2.json"
    loaded = runner.invoke(app, ["load", str(path)])
    assert loaded.exit_code == 0, loaded.output
    again = runner.invoke(app, ["load", str(path)])
    assert "nothing changed" in again.output
    out = tmp_path / "exported.json"
    exported = runner.invoke(app, ["export", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert json.loads(out.read_text())["format"] == "thirdcountry/scenario@2"
    assert canonical(load_scenario_v2(out)) == canonical(load_scenario_v2(path))
    as_v1 = runner.invoke(app, ["export", "--format", "scenario@1"])
    assert json.loads(as_v1.stdout)["format"] == "thirdcountry/scenario@1"


def test_cli_refuses_a_broken_at_2_file_by_path(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps({"format": "thirdcountry/scenario@2", "arrangements": [{"ref": "A"}]})
    )
    run = CliRunner().invoke(app, ["load", str(broken)])
    assert run.exit_code == 2
    assert "arrangements[0]" in run.output


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario_documents_v2())
def test_any_world_stored_reads_back_as_itself(document: dict[str, Any]) -> None:
    world = parse_scenario_v2(document)
    with transaction.atomic():
        try:
            load_scenario_v2_records(world)
        except ScenarioError as error:
            # What storage cannot keep exactly (a name longer than its column) is refused.
            assert all("longer than" in p.message or "above" in p.message for p in error.problems)
            transaction.set_rollback(True)
            return
        assert canonical(stored_scenario_v2()) == canonical(world)
        assert not load_scenario_v2_records(world).changed
        transaction.set_rollback(True)


@pytest.mark.parametrize("example", WORLDS)
def test_catalog_2026_1_screens_the_nearest_at_1_form(example: str) -> None:
    load_scenario_v2_records(load_scenario_v2(EXAMPLES / f"{example}.json"))
    screening = screen_stored()
    assert {r.transfer for r in screening.screening.results} == {
        t.ref for t in export_scenario().transfers if t.status == "proposed"
    }


def test_an_at_1_write_since_wins_over_the_at_2_fact_it_replaced() -> None:
    world = load_scenario_v2(EXAMPLES / "seed-world-2.json")
    load_scenario_v2_records(world)
    rich = next(
        t
        for t in world.transfers
        if isinstance(t.notice, v2.Notice) and t.notice.served_on_counsel is not UNKNOWN
    )  # its @2 notice says more than @1 can
    stored = export_transfers([rich.ref])[0]
    later = v1.Notice(served=dt.date(2025, 8, 30), language="en", names_destination=True)
    save_transfer(msgspec.structs.replace(stored, notice=later), stored, reason="new notice")
    reread = next(t for t in stored_scenario_v2().transfers if t.ref == rich.ref)
    assert reread.notice == v2.Notice(
        served=dt.date(2025, 8, 30), language="en", names_destination=True
    )
    # What the @1 write did not touch keeps its @2 facts.
    assert reread.legal_basis == rich.legal_basis
