"""Read the database back into domain records: the inverse of loading.

A fixed number of queries whatever the number of records: one per table, grouped in memory,
each record rebuilt through its layout (:mod:`thirdcountry.cases.mapping`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from thirdcountry.cases import models as cases
from thirdcountry.cases.mapping import among, stored_countries, stored_records
from thirdcountry.registry import models as registry
from thirdcountry.scenario.layout import ARRANGEMENT, COURT_ORDER, PERSON, TRANSFER
from thirdcountry.scenario.model import (
    Arrangement,
    Country,
    CourtOrder,
    Person,
    Scenario,
    Transfer,
)


def _by_ref(queryset: Any, refs: Collection[str] | None) -> Any:
    return queryset if refs is None else among(queryset, "ref", refs)


def export_countries(codes: Collection[str] | None = None) -> list[Country]:
    """Countries that have assessments (or the given codes), with their assessments."""
    return stored_countries(codes)


def export_arrangements(refs: Collection[str] | None = None) -> list[Arrangement]:
    """Arrangements (all, or those with the given refs) with their histories and ledgers."""
    return stored_records(ARRANGEMENT, _by_ref(registry.Arrangement.objects, refs))


def export_court_orders(refs: Collection[str] | None = None) -> list[CourtOrder]:
    """Court orders (all, or those with the given refs)."""
    return stored_records(COURT_ORDER, _by_ref(registry.CourtOrder.objects, refs))


def export_persons(refs: Collection[str] | None = None) -> list[Person]:
    """Persons (all, or those with the given refs) with every (u) fact in its three states."""
    return stored_records(PERSON, _by_ref(cases.Person.objects, refs))


def export_transfers(refs: Collection[str] | None = None) -> list[Transfer]:
    """Transfers (all, or those with the given refs), with their monitoring entries."""
    return stored_records(TRANSFER, _by_ref(cases.Transfer.objects, refs))


def export_scenario() -> Scenario:
    """The whole database as a scenario@1 world (each record's nearest @1 form): what
    ``thirdcountry export --format scenario@1`` writes."""
    defaults = registry.ScreeningDefaults.current()
    return Scenario(
        as_of=defaults.as_of,
        description=defaults.description or None,
        parameters=defaults.parameters,
        countries=tuple(export_countries()),
        arrangements=tuple(export_arrangements()),
        court_orders=tuple(export_court_orders()),
        persons=tuple(export_persons()),
        transfers=tuple(export_transfers()),
    )
