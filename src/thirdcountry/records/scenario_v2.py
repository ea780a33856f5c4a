"""The database read back as a scenario@2 world: each record's @1 columns read as @2 by the
published mapping, with the @2 facts stored beside them (:mod:`.facts_v2`), and the world
sections @1 has not (:mod:`.world_v2`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from django.db import models

from thirdcountry.cases import models as cases
from thirdcountry.records.export import (
    export_arrangements,
    export_countries,
    export_court_orders,
    export_persons,
    export_transfers,
)
from thirdcountry.records.facts_v2 import with_facts
from thirdcountry.records.world_v2 import SECTIONS, stored_entries
from thirdcountry.registry import models as registry
from thirdcountry.scenario.v2 import model as v2


def stored_facts_by_key(
    model: type[models.Model], key: str, keys: Collection[str] | None = None
) -> dict[str, Any]:
    """The ``facts_v2`` of the records that hold any, by ref (or code)."""
    rows = model.objects.exclude(facts_v2={})
    if keys is not None:
        rows = rows.filter(**{f"{key}__in": list(keys)})
    return dict(rows.values_list(key, "facts_v2"))


def as_v2(records: Sequence[Any], facts: dict[str, Any], key: str = "ref") -> list[Any]:
    """Stored @1 records read as @2, each with its stored @2 facts."""
    return [with_facts(r, facts.get(getattr(r, key))) for r in records]


def stored_parameters() -> v2.Parameters:
    """The catalog parameters the stored world sets, as scenario@2 has them."""
    defaults = registry.ScreeningDefaults.current()
    return v2.Parameters(minor_age=defaults.minor_age, notice_floor_days=defaults.notice_floor_days)


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
        countries=tuple(
            as_v2(countries, stored_facts_by_key(registry.Country, "code"), key="code")
        ),
        arrangements=tuple(
            as_v2(export_arrangements(refs), stored_facts_by_key(registry.Arrangement, "ref", refs))
        ),
        court_orders=tuple(
            as_v2(export_court_orders(refs), stored_facts_by_key(registry.CourtOrder, "ref", refs))
        ),
        persons=tuple(as_v2(export_persons(refs), stored_facts_by_key(cases.Person, "ref", refs))),
        transfers=tuple(
            as_v2(export_transfers(refs), stored_facts_by_key(cases.Transfer, "ref", refs))
        ),
    )
