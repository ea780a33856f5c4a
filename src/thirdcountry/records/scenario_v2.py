"""The stored world read as scenario@2, for screening and showing findings under catalog
2026.2.

The database holds the facts scenario@1 can say; they are read back as an @1 world
(:mod:`thirdcountry.records.export`) and then as @2 by the mapping of SCENARIO.md
("Reading an @1 document as @2"), so every fact only @2 can say is unknown.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q

from thirdcountry.cases.models import Transfer
from thirdcountry.records.export import (
    export_arrangements,
    export_countries,
    export_court_orders,
    export_persons,
    export_transfers,
)
from thirdcountry.registry.models import CourtOrder, ScreeningDefaults
from thirdcountry.scenario import model as v1
from thirdcountry.scenario.v2.from_v1 import scenario_from_v1
from thirdcountry.scenario.v2.model import Scenario


def stored_scenario_v2(refs: Collection[str] | None = None) -> Scenario:
    """The stored world as scenario@2: every record, or (``refs``) the persons,
    arrangements, court orders and transfers with these refs, with every country and the
    stored parameters."""
    defaults = ScreeningDefaults.current()
    world = v1.Scenario(
        as_of=defaults.as_of,
        description=defaults.description or None,
        parameters=defaults.parameters,
        countries=tuple(export_countries()),
        arrangements=tuple(export_arrangements(refs)),
        court_orders=tuple(export_court_orders(refs)),
        persons=tuple(export_persons(refs)),
        transfers=tuple(export_transfers(refs)),
    )
    # The database keeps no mark of a file that set notice_days to @1's default, so only
    # a different number reads as set (a world that left it to the catalog still does).
    given = defaults.notice_days != v1.Parameters().notice_days
    return scenario_from_v1(world, notice_days_given=given)


def screening_refs(transfers: Collection[str]) -> set[str]:
    """The refs of the records a screening of these transfers reads under catalog 2026.2:
    the transfers, every transfer of their channels (the same arrangement, or without one
    the same route with none) and of their persons, those transfers' persons and
    arrangements, and every court order (an order's scope may name any of them)."""
    chosen = Transfer.objects.filter(ref__in=list(transfers))
    rows = list(chosen.values_list("person_id", "arrangement_id", "sending_id", "destination_id"))
    channel = Q(ref__in=list(transfers)) | Q(person_id__in={r[0] for r in rows})
    arrangements = {r[1] for r in rows if r[1] is not None}
    if arrangements:
        channel |= Q(arrangement_id__in=arrangements)
    for _person, arrangement, sending, destination in rows:
        if arrangement is None:
            channel |= Q(arrangement__isnull=True, sending_id=sending, destination_id=destination)
    found: set[str] = set()
    for ref, person, arrangement in Transfer.objects.filter(channel).values_list(
        "ref", "person__ref", "arrangement__ref"
    ):
        found.update(r for r in (ref, person, arrangement) if r is not None)
    found.update(CourtOrder.objects.values_list("ref", flat=True))
    return found


def screening_scenario_v2(transfers: Collection[str]) -> Scenario:
    """The stored world as scenario@2 restricted to what screening these transfers reads
    (:func:`screening_refs`)."""
    return stored_scenario_v2(screening_refs(transfers))
