"""A database of scenario@1 records migrated to the schema that stores scenario@2: every
record is kept, reads back as before, and reads as @2 as the published mapping reads it
(every fact @2 adds unknown)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from builders import ReferenceCodes
from test_storage_v2 import as_exported
from thirdcountry.oversight import audit
from thirdcountry.records.export import export_scenario
from thirdcountry.records.load import load_scenario_records
from thirdcountry.records.scenario_v2 import stored_scenario_v2
from thirdcountry.scenario import loads_scenario
from thirdcountry.scenario.v2 import scenario_from_v1

BEFORE = [("registry", "0003_ref_pattern")]


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_records_stored_before_scenario_2_are_kept_and_read_as_its_mapping(
    seed_world_path: Path, reference_codes: ReferenceCodes
) -> None:
    world = loads_scenario(seed_world_path.read_bytes())
    # A world that set its own notice period keeps it as its notice floor.
    parameters = msgspec.structs.replace(world.parameters, notice_days=14)
    load_scenario_records(msgspec.structs.replace(world, parameters=parameters))
    before = export_scenario()
    try:
        _migrate(BEFORE)
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        after = export_scenario()
        assert after.persons == before.persons
        assert after.transfers == before.transfers
        assert after.arrangements == before.arrangements
        assert after.court_orders == before.court_orders
        assert after.countries == before.countries
        assert as_exported(stored_scenario_v2()) == scenario_from_v1(after, notice_days_given=True)
        assert stored_scenario_v2().parameters.notice_floor_days == 14
        assert reference_codes.problems(audit.verify()) == []
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
