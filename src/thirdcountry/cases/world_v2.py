"""The stored world read as scenario@2, for screening and showing findings under catalog
2026.2 (runs, pages, the API and the command line all read it through this module).

Each record's @1 columns are read back (as :mod:`thirdcountry.records.export` reads them)
and then as @2 by the mapping of SCENARIO.md ("Reading an @1 document as @2"), with the @2
facts stored beside them laid over (:mod:`.facts_v2`); the world's sections that @1 has not
are stored whole (:mod:`.sections_v2`). A fact nothing recorded is unknown.

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
from thirdcountry.cases.facts_v2 import PARAMETERS, notice_floor, with_facts
from thirdcountry.cases.mapping import stored_countries, stored_records
from thirdcountry.cases.sections_v2 import SECTIONS, stored_entries
from thirdcountry.registry import models as registry
from thirdcountry.scenario.layout import ARRANGEMENT, COURT_ORDER, PERSON, TRANSFER
from thirdcountry.scenario.v2.model import Parameters, Scenario


def stored_scenario_v2(refs: Collection[str] | None = None) -> Scenario:
    """The stored world as scenario@2: every record, or (``refs``) the persons,
    arrangements, court orders and transfers with these refs, with the countries assessed
    or transferred to (:func:`_countries`), the stored parameters and the world's sections
    (legal bases, regimes, classes, designations, assurances)."""
    defaults = registry.ScreeningDefaults.current()

    def chosen(queryset: Any) -> Any:
        return queryset if refs is None else queryset.filter(ref__in=list(refs))

    def read(records: list[Any], kind: str, key: str = "ref") -> tuple[Any, ...]:
        facts = _facts_by_key(kind, None if kind == "countries" else refs)
        return tuple(with_facts(r, facts.get(getattr(r, key))) for r in records)

    transfers = read(stored_records(TRANSFER, chosen(cases.Transfer.objects)), "transfers")
    stored_floor = _facts_by_key("parameters").get(PARAMETERS)
    return Scenario(
        as_of=defaults.as_of,
        description=defaults.description or None,
        parameters=Parameters(
            minor_age=defaults.minor_age,
            notice_floor_days=notice_floor(stored_floor, defaults.notice_days),
        ),
        legal_bases=tuple(stored_entries(SECTIONS["legal_bases"])),
        regimes=tuple(stored_entries(SECTIONS["regimes"])),
        classes=tuple(stored_entries(SECTIONS["classes"])),
        designations=tuple(stored_entries(SECTIONS["designations"])),
        assurances=tuple(stored_entries(SECTIONS["assurances"])),
        countries=read(stored_countries(_countries(refs)), "countries", key="code"),
        arrangements=read(
            stored_records(ARRANGEMENT, chosen(registry.Arrangement.objects)), "arrangements"
        ),
        court_orders=read(
            stored_records(COURT_ORDER, chosen(registry.CourtOrder.objects)), "court_orders"
        ),
        persons=read(stored_records(PERSON, chosen(cases.Person.objects)), "persons"),
        # msgspec leaves a field out of a document when its value *is* the default object,
        # and a status read from the database is an equal string, not the same one:
        # interned, a stored transfer hashes (facts_sha256) as one read from a file does.
        transfers=tuple(msgspec.structs.replace(t, status=sys.intern(t.status)) for t in transfers),
    )


def _facts_by_key(kind: str, refs: Collection[str] | None = None) -> dict[str, Any]:
    """The stored @2 facts of the records of ``kind`` that have any, by ref (or code)."""
    rows = registry.FactsV2.objects.filter(kind=kind)
    if refs is not None:
        rows = rows.filter(ref__in=list(refs))
    return dict(rows.values_list("ref", "facts"))


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
