"""The database read back as a scenario@2 world: each record's @1 columns read as @2 by the
published mapping, with the @2 facts stored beside them (:mod:`.facts_v2`), and the world
sections @1 has not (:mod:`.world_v2`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from thirdcountry.records.export import (
    export_arrangements,
    export_countries,
    export_court_orders,
    export_persons,
    export_transfers,
)
from thirdcountry.records.facts_v2 import PARAMETERS, notice_floor, with_facts
from thirdcountry.records.world_v2 import SECTIONS, stored_entries
from thirdcountry.registry import models as registry
from thirdcountry.scenario.v2 import model as v2


def stored_facts_by_ref(kind: str, refs: Collection[str] | None = None) -> dict[str, Any]:
    """The stored @2 facts of the records of ``kind`` that have any, by ref (or code)."""
    rows = registry.FactsV2.objects.filter(kind=kind)
    if refs is not None:
        rows = rows.filter(ref__in=list(refs))
    return dict(rows.values_list("ref", "facts"))


def as_v2(records: Sequence[Any], facts: dict[str, Any], key: str = "ref") -> list[Any]:
    """Stored @1 records read as @2, each with its stored @2 facts."""
    return [with_facts(r, facts.get(getattr(r, key))) for r in records]


def stored_parameters() -> v2.Parameters:
    """The catalog parameters the stored world sets, as scenario@2 has them."""
    defaults = registry.ScreeningDefaults.current()
    stored = stored_facts_by_ref("parameters").get(PARAMETERS)
    return v2.Parameters(
        minor_age=defaults.minor_age, notice_floor_days=notice_floor(stored, defaults.notice_days)
    )


def stored_scenario_v2(refs: Collection[str] | None = None) -> v2.Scenario:
    """The database as a scenario@2 world: what ``thirdcountry export`` writes.

    With ``refs``, only the arrangements, court orders, persons and transfers with those
    refs (the rest of the world, its parameters and sections whole).
    """
    defaults = registry.ScreeningDefaults.current()
    countries = export_countries()
    return v2.Scenario(
        as_of=defaults.as_of,
        description=defaults.description or None,
        parameters=stored_parameters(),
        legal_bases=tuple(stored_entries(SECTIONS["legal_bases"])),
        regimes=tuple(stored_entries(SECTIONS["regimes"])),
        classes=tuple(stored_entries(SECTIONS["classes"])),
        designations=tuple(stored_entries(SECTIONS["designations"])),
        assurances=tuple(stored_entries(SECTIONS["assurances"])),
        countries=tuple(as_v2(countries, stored_facts_by_ref("countries"), key="code")),
        arrangements=tuple(
            as_v2(export_arrangements(refs), stored_facts_by_ref("arrangements", refs))
        ),
        court_orders=tuple(
            as_v2(export_court_orders(refs), stored_facts_by_ref("court_orders", refs))
        ),
        persons=tuple(as_v2(export_persons(refs), stored_facts_by_ref("persons", refs))),
        transfers=tuple(as_v2(export_transfers(refs), stored_facts_by_ref("transfers", refs))),
    )
