"""Reads for the REST API: the records each list returns, filtered as its query asks.

Each selector returns a queryset the list pages through (by id); the representations are
built from the page's refs (:mod:`thirdcountry.api.documents`).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Max, OuterRef, QuerySet, Subquery

from thirdcountry.cases.models import Nationality, Person, ScreeningRecord, Transfer
from thirdcountry.registry.models import Arrangement, Assessment, CourtOrder
from thirdcountry.registry.selectors import arrangement_statuses_on, orders_in_effect


def persons_matching(nationality: str | None = None) -> QuerySet[Person, Person]:
    """Persons, those of ``nationality`` only when given."""
    persons = Person.objects.all()
    if nationality:
        persons = persons.filter(
            pk__in=Nationality.objects.filter(country_id=nationality).values("person_id")
        )
    return persons


def _latest_verdict() -> Subquery:
    """The verdict of a transfer's latest stored screening (an indexed lookup)."""
    return Subquery(
        ScreeningRecord.objects.filter(transfer=OuterRef("pk"))
        .order_by("-id")
        .values("verdict")[:1]
    )


def transfers_matching(
    *,
    verdict: str | None = None,
    arrangement: str | None = None,
    destination: str | None = None,
    sending: str | None = None,
    status: str | None = None,
    person: str | None = None,
    planned_from: date | None = None,
    planned_to: date | None = None,
) -> QuerySet[Transfer, Transfer]:
    """Transfers matching every filter given: their latest verdict, the arrangement's and
    the person's refs, the countries' codes, status, and the planned date's bounds."""
    transfers = Transfer.objects.all()
    if verdict:
        transfers = transfers.annotate(latest_verdict=_latest_verdict()).filter(
            latest_verdict=verdict
        )
    if arrangement:
        transfers = transfers.filter(arrangement__ref=arrangement)
    if destination:
        transfers = transfers.filter(destination_id=destination)
    if sending:
        transfers = transfers.filter(sending_id=sending)
    if status:
        transfers = transfers.filter(status=status)
    if person:
        transfers = transfers.filter(person__ref=person)
    if planned_from:
        transfers = transfers.filter(planned_date__gte=planned_from)
    if planned_to:
        transfers = transfers.filter(planned_date__lte=planned_to)
    return transfers


def latest_screening(transfer: str, transfer_id: int | None = None) -> ScreeningRecord | None:
    """The latest stored screening of the transfer with ref ``transfer`` (and id
    ``transfer_id``, when known: no join), if any."""
    screenings = ScreeningRecord.objects.order_by("-id")
    if transfer_id is not None:
        screenings = screenings.filter(transfer_id=transfer_id)
    else:
        screenings = screenings.filter(transfer__ref=transfer)
    screening: ScreeningRecord | None = screenings.first()
    return screening


def arrangements_matching(
    *,
    sending: str | None = None,
    receiving: str | None = None,
    status: str | None = None,
    on: date | None = None,
) -> QuerySet[Arrangement, Arrangement]:
    """Arrangements between the countries given, and with ``status`` on ``on`` when given."""
    arrangements = Arrangement.objects.all()
    if sending:
        arrangements = arrangements.filter(sending_id=sending)
    if receiving:
        arrangements = arrangements.filter(receiving_id=receiving)
    if status:
        assert on is not None, "a status is that of a day"
        statuses = arrangement_statuses_on(on)
        arrangements = arrangements.filter(
            pk__in=[pk for pk, found in statuses.items() if found == status]
        )
    return arrangements


def court_orders_matching(
    *,
    kind: str | None = None,
    arrangement: str | None = None,
    person: str | None = None,
    sending: str | None = None,
    destination: str | None = None,
    active_on: date | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
) -> QuerySet[CourtOrder, CourtOrder]:
    """Court orders of ``kind``, on what their scope names, in effect on ``active_on`` and
    issued between the dates given."""
    orders = CourtOrder.objects.all()
    if kind:
        orders = orders.filter(kind=kind)
    if arrangement:
        orders = orders.filter(scope_arrangement__ref=arrangement)
    if person:
        orders = orders.filter(scope_person__ref=person)
    if sending:
        orders = orders.filter(scope_sending_id=sending)
    if destination:
        orders = orders.filter(scope_destination_id=destination)
    if active_on:
        orders = orders_in_effect(orders, active_on)
    if issued_from:
        orders = orders.filter(issued__gte=issued_from)
    if issued_to:
        orders = orders.filter(issued__lte=issued_to)
    return orders


def assessments_matching(
    *, country: str | None = None, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[Assessment, Assessment]:
    """Assessments of ``country``, dated between the dates given."""
    assessments = Assessment.objects.all()
    if country:
        assessments = assessments.filter(country_id=country)
    if date_from:
        assessments = assessments.filter(date__gte=date_from)
    if date_to:
        assessments = assessments.filter(date__lte=date_to)
    return assessments


def latest_assessment(country: str) -> Assessment | None:
    """The assessment of ``country`` recorded last."""
    assessment: Assessment | None = (
        Assessment.objects.filter(country_id=country).order_by("-seq").first()
    )
    return assessment


def screenings_matching(
    *,
    latest: bool = False,
    verdict: str | None = None,
    transfer: str | None = None,
    arrangement: str | None = None,
    destination: str | None = None,
    as_of_from: date | None = None,
    as_of_to: date | None = None,
) -> QuerySet[ScreeningRecord, ScreeningRecord]:
    """Stored screenings (only each transfer's latest, with ``latest``) matching every
    filter given, with their transfers."""
    screenings = ScreeningRecord.objects.all()
    if latest:
        screenings = screenings.filter(
            id__in=ScreeningRecord.objects.values("transfer_id").annotate(m=Max("id")).values("m")
        )
    if verdict:
        screenings = screenings.filter(verdict=verdict)
    if transfer:
        screenings = screenings.filter(transfer__ref=transfer)
    if arrangement:
        screenings = screenings.filter(transfer__arrangement__ref=arrangement)
    if destination:
        screenings = screenings.filter(transfer__destination_id=destination)
    if as_of_from:
        screenings = screenings.filter(as_of__gte=as_of_from)
    if as_of_to:
        screenings = screenings.filter(as_of__lte=as_of_to)
    return screenings.select_related("transfer")
