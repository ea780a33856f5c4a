"""The stored world read as scenario@2, for screening and showing findings under catalog
2026.2: the records' door to :mod:`thirdcountry.cases.world_v2`, where the reading is (the
re-screening runs below this app read it too)."""

from __future__ import annotations

from collections.abc import Collection

from thirdcountry.cases import world_v2
from thirdcountry.scenario.v2.model import Scenario


def stored_scenario_v2(refs: Collection[str] | None = None) -> Scenario:
    """The stored world as scenario@2: every record, or (``refs``) the persons,
    arrangements, court orders and transfers with these refs, with every country and the
    stored parameters."""
    return world_v2.stored_scenario_v2(refs)


def screening_scenario_v2(transfers: Collection[str]) -> Scenario:
    """The stored world as scenario@2 restricted to what screening these transfers reads."""
    return world_v2.screening_scenario_v2(transfers)
