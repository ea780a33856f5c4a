"""The stored world read as scenario@2, for screening and showing findings under catalog
2026.2 (runs, pages, the API and the command line all read it through this module).

The database holds the facts scenario@1 can say; they are read back as an @1 world (as
:mod:`thirdcountry.records.export` reads them) and then as @2 by the mapping of SCENARIO.md
("Reading an @1 document as @2"), so every fact only @2 can say is unknown.

It sits with the case records, not with :mod:`thirdcountry.records`: re-screening runs read
it, and the records app is built on top of them.
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from typing import Any

import msgspec
from django.db.models import Q

from thirdcountry.cases import models as cases
from thirdcountry.cases.mapping import stored_countries, stored_records
from thirdcountry.registry import models as registry
from thirdcountry.scenario import model as v1
from thirdcountry.scenario.layout import ARRANGEMENT, COURT_ORDER, PERSON, TRANSFER
from thirdcountry.scenario.v2.from_v1 import scenario_from_v1
from thirdcountry.scenario.v2.model import Scenario


def stored_scenario_v2(refs: Collection[str] | None = None) -> Scenario:
    """The stored world as scenario@2: every record, or (``refs``) the persons,
    arrangements, court orders and transfers with these refs, with the countries assessed
    or transferred to (:func:`_countries`) and the stored parameters."""
    defaults = registry.ScreeningDefaults.current()

    def chosen(queryset: Any) -> Any:
        return queryset if refs is None else queryset.filter(ref__in=list(refs))

    world = v1.Scenario(
        as_of=defaults.as_of,
        description=defaults.description or None,
        parameters=defaults.parameters,
        countries=tuple(stored_countries(_countries(refs))),
        arrangements=tuple(stored_records(ARRANGEMENT, chosen(registry.Arrangement.objects))),
        court_orders=tuple(stored_records(COURT_ORDER, chosen(registry.CourtOrder.objects))),
        persons=tuple(stored_records(PERSON, chosen(cases.Person.objects))),
        transfers=tuple(stored_records(TRANSFER, chosen(cases.Transfer.objects))),
    )
    # The database keeps no mark of a file that set notice_days to @1's default, so only
    # a different number reads as set (a world that left it to the catalog still does).
    given = defaults.notice_days != v1.Parameters().notice_days
    scenario = scenario_from_v1(world, notice_days_given=given)
    # msgspec leaves a field out of a document when its value *is* the default object, and
    # a status read from the database is an equal string, not the same one: interned, a
    # stored transfer hashes (facts_sha256) as the same transfer read from a file does.
    transfers = tuple(
        msgspec.structs.replace(t, status=sys.intern(t.status)) for t in scenario.transfers
    )
    return msgspec.structs.replace(scenario, transfers=transfers)


def _countries(refs: Collection[str] | None) -> list[str]:
    """The countries a world names with its assessments: those assessed, and the
    destination of each of its transfers (with none, known to have none), in code order."""
    assessed = registry.Assessment.objects.order_by().values_list("country_id", flat=True)
    transfers = cases.Transfer.objects.order_by()
    if refs is not None:
        transfers = transfers.filter(ref__in=list(refs))
    destinations = transfers.values_list("destination_id", flat=True).distinct()
    return sorted({*assessed, *destinations})


def screening_refs(transfers: Collection[str]) -> set[str]:
    """The refs of the records a screening of these transfers reads under catalog 2026.2:
    the transfers, every transfer of their channels (the same arrangement, or without one
    the same route with none) and of their persons, those transfers' persons and
    arrangements, and every court order (an order's scope may name any of them)."""
    chosen = cases.Transfer.objects.filter(ref__in=list(transfers))
    rows = list(chosen.values_list("person_id", "arrangement_id", "sending_id", "destination_id"))
    channel = Q(ref__in=list(transfers)) | Q(person_id__in={r[0] for r in rows})
    arrangements = {r[1] for r in rows if r[1] is not None}
    if arrangements:
        channel |= Q(arrangement_id__in=arrangements)
    for _person, arrangement, sending, destination in rows:
        if arrangement is None:
            channel |= Q(arrangement__isnull=True, sending_id=sending, destination_id=destination)
    found: set[str] = set()
    for ref, person, arrangement in cases.Transfer.objects.filter(channel).values_list(
        "ref", "person__ref", "arrangement__ref"
    ):
        found.update(r for r in (ref, person, arrangement) if r is not None)
    found.update(registry.CourtOrder.objects.values_list("ref", flat=True))
    return found


def screening_scenario_v2(transfers: Collection[str]) -> Scenario:
    """The stored world as scenario@2 restricted to what screening these transfers reads
    (:func:`screening_refs`)."""
    return stored_scenario_v2(screening_refs(transfers))
