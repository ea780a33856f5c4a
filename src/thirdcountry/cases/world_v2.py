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
from thirdcountry.cases.mapping import among, stored_countries, stored_records
from thirdcountry.cases.sections_v2 import SECTIONS, stored_entries
from thirdcountry.registry import models as registry
from thirdcountry.scenario.layout import ARRANGEMENT, COURT_ORDER, PERSON, TRANSFER
from thirdcountry.scenario.v2.model import Parameters, Scenario, Transfer


def stored_scenario_v2(refs: Collection[str] | None = None) -> Scenario:
    """The stored world as scenario@2: every record, or (``refs``) the persons,
    arrangements, court orders and transfers with these refs, with the countries assessed
    or transferred to (:func:`_countries`), the stored parameters and the world's sections
    (legal bases, regimes, classes, designations, assurances)."""

    def chosen(queryset: Any) -> Any:
        return queryset if refs is None else queryset.filter(ref__in=list(refs))

    return _scenario(
        countries=_read("countries", stored_countries(_countries(refs)), key="code"),
        arrangements=_read(
            "arrangements", stored_records(ARRANGEMENT, chosen(registry.Arrangement.objects)), refs
        ),
        court_orders=_read(
            "court_orders", stored_records(COURT_ORDER, chosen(registry.CourtOrder.objects)), refs
        ),
        persons=_read("persons", stored_records(PERSON, chosen(cases.Person.objects)), refs),
        transfers=_read(
            "transfers", stored_records(TRANSFER, chosen(cases.Transfer.objects)), refs
        ),
    )


def _read(
    kind: str, records: list[Any], refs: Collection[str] | None = None, key: str = "ref"
) -> list[Any]:
    """Records read from their @1 columns as @2, the @2 facts stored for ``kind`` laid over
    each (found by its ``key``: a ref, or a country's code)."""
    facts = _facts_by_key(kind, refs)
    return [with_facts(r, facts.get(getattr(r, key))) for r in records]


def _scenario(
    *,
    countries: list[Any],
    arrangements: list[Any],
    court_orders: list[Any],
    persons: list[Any],
    transfers: list[Any],
) -> Scenario:
    """A world of these records with the stored parameters and world sections."""
    defaults = registry.ScreeningDefaults.current()
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
        countries=tuple(countries),
        arrangements=tuple(arrangements),
        court_orders=tuple(court_orders),
        persons=tuple(persons),
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


def _countries(
    refs: Collection[str] | None, destinations: Collection[str] | None = None
) -> list[str]:
    """The countries a world names with its assessments: those assessed, and the
    destination of each of its transfers (with none, known to have none), in code order;
    ``destinations``, when its transfers' destinations are already known."""
    assessed = registry.Assessment.objects.order_by().values_list("country_id", flat=True)
    if destinations is None:
        transfers = cases.Transfer.objects.order_by()
        if refs is not None:
            transfers = transfers.filter(ref__in=list(refs))
        destinations = set(transfers.values_list("destination_id", flat=True).distinct())
    return sorted({*assessed, *destinations})


def screening_scenario_v2(transfers: Collection[str]) -> Scenario:
    """The stored world as scenario@2 restricted to what screening these transfers reads
    (RULES-2026.2 §2.11, §2.12), so that one transfer is screened without reading its
    whole arrangement:

    - whole: the transfers, every transfer of their persons, those persons, the
      arrangements of those transfers, every court order (a scope may name any record),
      the executed transfers of their channels (the same arrangement, or without one the
      same route with none: they count, and their monitoring places persons and records
      onward removals), and the persons of those that record an onward removal (whose
      fears make it an incident);
    - as far as the rules read them: the other transfers of the channels, proposed or
      cancelled, with their ref, person, route, date and status only (their persons are
      counted by ref; nothing else of them is read).

    The findings and the facts fingerprint (:func:`thirdcountry.screening_v2.facts_sha256`)
    are those the whole world gives (``tests/test_screening_reads_v2.py``)."""
    wanted = list(transfers)
    chosen = list(
        cases.Transfer.objects.filter(ref__in=wanted).values_list(
            "person_id", "arrangement_id", "sending_id", "destination_id"
        )
    )
    persons = {r[0] for r in chosen}
    channel = Q(ref__in=wanted) | Q(person_id__in=persons)
    arrangements = {r[1] for r in chosen if r[1] is not None}
    if arrangements:
        channel |= Q(arrangement_id__in=arrangements)
    for _person, arrangement, sending, destination in chosen:
        if arrangement is None:
            channel |= Q(arrangement__isnull=True, sending_id=sending, destination_id=destination)
    rows = list(
        cases.Transfer.objects.filter(channel)
        .order_by("id")
        .values_list(
            "id",
            "ref",
            "person_id",
            "person__ref",
            "arrangement__ref",
            "sending_id",
            "destination_id",
            "planned_date",
            "status",
        )
    )
    whole = [r for r in rows if r[2] in persons or r[8] == "executed"]
    read = {
        t.ref: t
        for t in _read(
            "transfers",
            stored_records(
                TRANSFER, among(cases.Transfer.objects.all(), "id", [r[0] for r in whole])
            ),
            [r[1] for r in whole],
        )
    }
    sent_on = {
        t.person for t in read.values() if any(m.kind == "onward_removal" for m in t.monitoring)
    }
    person_refs = {r[3] for r in rows if r[2] in persons} | sent_on
    arrangement_refs = {r[4] for r in rows if r[2] in persons and r[4] is not None}
    return _scenario(
        countries=_read(
            "countries", stored_countries(_countries(None, {r[6] for r in rows})), key="code"
        ),
        arrangements=_read(
            "arrangements",
            stored_records(
                ARRANGEMENT, registry.Arrangement.objects.filter(ref__in=sorted(arrangement_refs))
            ),
            arrangement_refs,
        ),
        court_orders=_read(
            "court_orders", stored_records(COURT_ORDER, registry.CourtOrder.objects.all())
        ),
        persons=_read(
            "persons",
            stored_records(PERSON, cases.Person.objects.filter(ref__in=sorted(person_refs))),
            person_refs,
        ),
        transfers=[read.get(r[1]) or _counted_only(r) for r in rows],
    )


def _counted_only(row: tuple[Any, ...]) -> Transfer:
    """A transfer of a channel as far as the rules read it (its other facts unknown)."""
    _id, ref, _person_id, person, arrangement, sending, destination, planned, status = row
    return Transfer(
        ref=ref,
        person=person,
        sending=sending,
        destination=destination,
        planned_date=planned,
        arrangement=arrangement,
        status=status,
    )
