"""Reads for the pages: what each page shows, in as few queries as the page needs.

Every page speaks for one screening date: the stored world's ``as_of`` if one was loaded,
else today (:func:`screening_date`), the same date the services screen on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth

from thirdcountry.accounts.roles import sees_personal_data
from thirdcountry.cases.models import Person, RunChange, ScreeningRecord, ScreeningRun, Transfer
from thirdcountry.cases.rescreening import default_as_of
from thirdcountry.cases.search import CANDIDATES, find_persons
from thirdcountry.names import Match
from thirdcountry.registry import selectors as registry
from thirdcountry.registry.models import (
    Arrangement,
    ArrangementStatus,
    Assessment,
    Country,
    CourtOrder,
    ExchangeRate,
    Payment,
)

#: The verdicts in the order pages list them, worst first.
VERDICT_ORDER = ("blocked", "review", "clear")


def screening_date() -> date:
    """The date every page speaks for: the stored world's screening date, else today."""
    return default_as_of()


def with_verdicts(transfers: QuerySet[Transfer, Transfer]) -> QuerySet[Transfer, Transfer]:
    """Transfers annotated with ``verdict``, the verdict of their latest screening (NULL:
    never screened), read from the narrow, indexed table of latest screenings."""
    return transfers.annotate(verdict=F("latest_screening__verdict"))


def pending_counts() -> dict[str, int]:
    """How many proposed transfers have each latest verdict (``unscreened``: none yet)."""
    rows = (
        with_verdicts(Transfer.objects.filter(status="proposed"))
        .values("verdict")
        .annotate(n=Count("id"))
    )
    found = {row["verdict"]: row["n"] for row in rows}
    counts = {v: found.get(v, 0) for v in VERDICT_ORDER}
    counts["unscreened"] = found.get(None, 0)
    return counts


def transfers_listing(
    verdict: str | None = None, status: str | None = "proposed", destination: str | None = None
) -> QuerySet[Transfer, Transfer]:
    """Transfers with their latest verdict, filtered, soonest planned first."""
    transfers = with_verdicts(Transfer.objects.all()).select_related("arrangement")
    if status:
        transfers = transfers.filter(status=status)
    if destination:
        transfers = transfers.filter(destination_id=destination)
    if verdict == "unscreened":
        transfers = transfers.filter(verdict__isnull=True)
    elif verdict:
        transfers = transfers.filter(verdict=verdict)
    return transfers.order_by("planned_date", "ref")


def needing_attention(limit: int) -> list[Transfer]:
    """Proposed transfers that are blocked or need review, soonest planned first."""
    return list(
        transfers_listing(status="proposed")
        .filter(verdict__in=("blocked", "review"))
        .select_related("destination")[:limit]
    )


def transfers_with_persons(
    verdict: str | None, status: str | None, destination: str | None
) -> QuerySet[Transfer, Transfer]:
    """:func:`transfers_listing` with each transfer's person (and names) and destination."""
    return (
        transfers_listing(verdict, status, destination)
        .select_related("person", "destination")
        .prefetch_related("person__names")
    )


def destinations() -> list[str]:
    """The country code of every destination some transfer goes to, in order."""
    return list(
        Transfer.objects.values_list("destination_id", flat=True)
        .distinct()
        .order_by("destination_id")
    )


def transfers_with_facts() -> QuerySet[Transfer, Transfer]:
    """Transfers with everything a transfer's page shows of them."""
    return Transfer.objects.select_related(
        "person", "sending", "destination", "arrangement", "notice_language"
    ).prefetch_related("person__names", "monitoring")


def screenings_of(transfer: Transfer) -> list[ScreeningRecord]:
    """A transfer's stored screenings with their runs, newest first."""
    return list(
        ScreeningRecord.objects.filter(transfer=transfer).select_related("run").order_by("-id")
    )


# -- persons ------------------------------------------------------------------------------

#: The shortest query that finds every ref containing it.
MIN_REF_FRAGMENT = 3


def person_search(user: Any, query: str) -> tuple[list[int], dict[int, Match]]:
    """The ids of the persons matching ``query``, best first, and how each matched.

    Staff search names and aliases, tolerant of spelling variants (see
    :mod:`thirdcountry.cases.search`), and refs: the person whose ref the query is comes
    first, then at most ``CANDIDATES`` refs containing the query (equal to it, when it is
    shorter than ``MIN_REF_FRAGMENT``) in ref order, then names, the same name first and
    the rest by score (:func:`thirdcountry.names.similarity`). Monitors, who see persons
    through pseudonyms, do not search: a search by name or ref would tell them who is who.
    """
    if not sees_personal_data(user):
        return [], {}
    return person_search_ids(query)


def person_search_ids(query: str) -> tuple[list[int], dict[int, Match]]:
    """:func:`person_search` for a caller already allowed to search."""
    query = query.strip()
    # A fragment of one or two characters is in nearly every ref, and no index finds it
    # faster than reading them all: such a query finds the ref it spells (in any case).
    with_ref = (
        Person.objects.filter(ref__icontains=query)
        if len(query) >= MIN_REF_FRAGMENT
        else Person.objects.filter(ref__in={query, query.upper(), query.lower()})
    )
    by_ref = list(with_ref.order_by("ref").values_list("id", "ref")[:CANDIDATES])
    # The person whose ref the query is comes first, then other refs that contain it.
    by_ref.sort(key=lambda row: row[1].casefold() != query.casefold())
    matches = find_persons(query)
    listed = {pk for pk, _ in by_ref}
    ids = [*(pk for pk, _ in by_ref), *(m.person_id for m in matches if m.person_id not in listed)]
    return ids, {m.person_id: m for m in matches}


def ranked_persons(query: str, limit: int = 10) -> list[tuple[Person, Match | None]]:
    """The ``limit`` persons ``query`` most likely names (a ref, or a name in any script),
    best first, each with how it matched: what a person picker and the warning before a
    new person is registered show."""
    ids, matched = person_search_ids(query)
    shown = ids[:limit]
    return [(p, matched.get(p.id)) for p in persons_in_order(shown)]


#: The lowest match probability at which a stored person is shown as one a person being
#: registered may already be (below the review queue's: the warning costs only a glance).
SHOWN_PROBABILITY = 0.5


def scored_persons(
    names: list[str], birth_date: date | None, nationalities: list[str] | None, limit: int = 10
) -> list[dict[str, Any]]:
    """The stored persons the linkage model finds a person being registered may be, most
    likely first: each with its match probability and what agreed (the comparisons that
    added weight), as the review queue scores pairs."""
    from thirdcountry.identity.services import score_new_person

    found = [
        c
        for c in score_new_person(names, birth_date, nationalities)
        if c.probability >= SHOWN_PROBABILITY
    ][:limit]
    persons = {p.ref: p for p in persons_listing().filter(ref__in=[c.left for c in found])}
    return [
        {
            "person": persons[c.left],
            "probability": c.probability,
            "agreed": [label for label, weight in c.contributions.values() if weight > 0],
        }
        for c in found
        if c.left in persons
    ]


def persons_listing() -> QuerySet[Person, Person]:
    """Persons as the list of persons shows them (names, nationalities, how many
    transfers), by ref."""
    return (
        Person.objects.prefetch_related("names", "nationalities")
        .annotate(transfer_count=Count("transfers"))
        .order_by("ref")
    )


def persons_in_order(ids: list[int]) -> list[Person]:
    """The persons with these ids, as :func:`persons_listing` shows them, in the order given."""
    found = {p.id: p for p in persons_listing().filter(id__in=ids)}
    return [found[i] for i in ids if i in found]


def persons_with_facts() -> QuerySet[Person, Person]:
    """Persons with every fact a person's page shows."""
    return Person.objects.prefetch_related(
        "names",
        "nationalities__country",
        "languages__language",
        "fear_claims",
        "convictions",
    )


def transfers_of(person: Person) -> QuerySet[Transfer, Transfer]:
    """A person's transfers with their latest verdicts, soonest planned first."""
    return (
        with_verdicts(person.transfers.all())
        .select_related("destination", "arrangement")
        .order_by("planned_date", "ref")
    )


# -- runs ---------------------------------------------------------------------------------


def runs() -> QuerySet[ScreeningRun, ScreeningRun]:
    """Every screening run, newest first."""
    return ScreeningRun.objects.order_by("-id")


def latest_run() -> ScreeningRun | None:
    """The most recent screening run that finished."""
    run: ScreeningRun | None = (
        ScreeningRun.objects.filter(status="complete").order_by("-id").first()
    )
    return run


def run_changes(run: ScreeningRun) -> QuerySet[RunChange, RunChange]:
    """A run's changed verdicts, worst outcome first, then by transfer, with their
    transfers: ordered by the database, so a page of a run of 100,000 changes reads one
    page."""
    rank = Case(
        *(When(verdict_after=v, then=Value(i)) for i, v in enumerate(VERDICT_ORDER)),
        default=Value(len(VERDICT_ORDER)),
    )
    return (
        run.changes.select_related("transfer__person", "run")
        .annotate(rank=rank)
        .order_by("rank", "transfer__ref")
    )


# -- arrangements -------------------------------------------------------------------------


@dataclass(frozen=True)
class ArrangementRow:
    """An arrangement on the screening date: its status, and how much of its cap is used."""

    arrangement: Arrangement
    status: ArrangementStatus | None
    executed: int
    pending: int

    @property
    def remaining(self) -> int | None:
        cap = self.arrangement.cap
        return None if cap is None else max(cap - self.executed, 0)

    @property
    def used_percent(self) -> int | None:
        cap = self.arrangement.cap
        if cap is None:
            return None
        return 100 if cap == 0 else min(100, round(100 * self.executed / cap))

    @property
    def in_force(self) -> bool:
        return self.status is not None and self.status.status == "in_force"


def arrangement_rows(
    on: date, arrangements: QuerySet[Arrangement, Arrangement] | None = None
) -> list[ArrangementRow]:
    """Every arrangement (or those given) with its status on ``on`` and its cap usage."""
    chosen = arrangements if arrangements is not None else Arrangement.objects.all()
    listed = list(
        chosen.select_related("sending", "receiving")
        .prefetch_related("status_history")
        .annotate(
            executed=Count("transfers", filter=Q(transfers__status="executed")),
            pending=Count("transfers", filter=Q(transfers__status="proposed")),
        )
        .order_by("ref")
    )
    statuses = registry.statuses_on((e for a in listed for e in a.status_history.all()), on)
    return [ArrangementRow(a, statuses.get(a.pk), a.executed, a.pending) for a in listed]


def arrangement_row(on: date, arrangement: Arrangement) -> ArrangementRow:
    """One arrangement with its status on ``on`` and its cap usage."""
    return arrangement_rows(on, Arrangement.objects.filter(pk=arrangement.pk))[0]


def arrangements_with_terms() -> QuerySet[Arrangement, Arrangement]:
    """Arrangements with what an arrangement's page shows: parties, status history,
    excluded nationalities and commitments."""
    return Arrangement.objects.select_related("sending", "receiving").prefetch_related(
        "status_history",
        Prefetch("excluded_nationalities__country"),
        "commitments",
    )


def ledger_payments(arrangement: Arrangement) -> QuerySet[Payment, Payment]:
    """An arrangement's payments with their currencies, in ledger order."""
    return arrangement.payments.select_related("currency").order_by("date", "seq")


def first_payment_currency(arrangement: Arrangement) -> str | None:
    """The currency of an arrangement's first recorded payment, if it has one."""
    first: str | None = (
        arrangement.payments.order_by("seq").values_list("currency_id", flat=True).first()
    )
    return first


def recent_exchange_rates(limit: int) -> list[ExchangeRate]:
    """The exchange rates recorded for the latest dates."""
    return list(ExchangeRate.objects.order_by("-date", "base_id", "quote_id")[:limit])


def report_currencies() -> list[str]:
    """The currencies statistics can be converted to: those paid in or quoted in a rate,
    and USD."""
    codes = set(Payment.objects.values_list("currency_id", flat=True).distinct())
    codes.update(ExchangeRate.objects.values_list("base_id", flat=True).distinct())
    codes.update(ExchangeRate.objects.values_list("quote_id", flat=True).distinct())
    codes.add("USD")
    return sorted(codes)


# -- court orders -------------------------------------------------------------------------


def orders_in_effect(on: date) -> QuerySet[CourtOrder, CourtOrder]:
    """The court orders in effect on a date."""
    return registry.orders_in_effect(court_orders(), on)


def court_orders(
    *, person: Person | None = None, arrangement: Arrangement | None = None
) -> QuerySet[CourtOrder, CourtOrder]:
    """Court orders with what their scope names (only those on ``person`` or on
    ``arrangement``, when given)."""
    orders = CourtOrder.objects.select_related(
        "scope_person", "scope_arrangement", "scope_sending", "scope_destination"
    ).prefetch_related("scope_person__names")
    if person is not None:
        orders = orders.filter(scope_person=person)
    if arrangement is not None:
        orders = orders.filter(scope_arrangement=arrangement)
    return orders


def court_orders_covering(transfer: Transfer) -> QuerySet[CourtOrder, CourtOrder]:
    """Court orders whose scope takes in a transfer: its person, its arrangement, its route
    (sending and destination state) or every transfer from its sending state."""
    covering = Q(scope_person_id=transfer.person_id) | Q(
        scope_sending_id=transfer.sending_id,
        scope_destination_id=transfer.destination_id,
    )
    covering |= Q(
        scope_sending_id=transfer.sending_id,
        scope_destination__isnull=True,
        scope_person__isnull=True,
        scope_arrangement__isnull=True,
    )
    if transfer.arrangement_id is not None:
        covering |= Q(scope_arrangement_id=transfer.arrangement_id)
    return court_orders().filter(covering).order_by("-issued", "ref")


def with_effect(orders: Iterable[CourtOrder], on: date) -> list[tuple[CourtOrder, bool]]:
    """Each order, in order, with whether it is in effect on a date."""
    listed = list(orders)
    return list(zip(listed, registry.orders_in_effect_flags(listed, on), strict=True))


# -- countries ----------------------------------------------------------------------------


def assessments_in_force(countries: Iterable[Country], on: date) -> dict[str, Assessment]:
    """The assessment in force on a date of each country that has one, by code (the
    countries' assessments prefetched)."""
    return registry.assessments_in_force((a for c in countries for a in c.assessments.all()), on)


def country_rows(on: date) -> list[tuple[Country, Assessment | None, list[Assessment]]]:
    """Every country assessed or transferred to, with its assessment in force on ``on`` and
    all its assessments, newest first."""
    codes = set(Assessment.objects.values_list("country_id", flat=True))
    codes.update(Transfer.objects.values_list("destination_id", flat=True).distinct())
    countries = list(Country.objects.filter(code__in=codes).prefetch_related("assessments"))
    in_force = assessments_in_force(countries, on)
    return [
        (
            country,
            in_force.get(country.code),
            sorted(country.assessments.all(), key=lambda a: (a.date, a.seq), reverse=True),
        )
        for country in countries
    ]


# -- the chart ----------------------------------------------------------------------------


def transfers_by_month() -> list[tuple[date, str, str, int]]:
    """(month, destination, category, count) over every proposed and executed transfer; the
    category of a proposed transfer is its latest verdict (``unscreened`` if none)."""
    rows = (
        with_verdicts(Transfer.objects.filter(status__in=("proposed", "executed")))
        .annotate(month=TruncMonth("planned_date"))
        .values("month", "destination_id", "status", "verdict")
        .annotate(n=Count("id"))
    )
    counted: Counter[tuple[date, str, str]] = Counter()
    for row in rows:
        month = row["month"]
        if hasattr(month, "date"):
            month = month.date()
        executed = row["status"] == "executed"
        category = "executed" if executed else (row["verdict"] or "unscreened")
        counted[(month, row["destination_id"], category)] += row["n"]
    return [(m, d, c, n) for (m, d, c), n in sorted(counted.items())]
