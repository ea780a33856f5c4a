"""Reads for the pages: what each page shows, in as few queries as the page needs.

Every page speaks for one screening date: the stored world's ``as_of`` if one was loaded,
else today (:func:`screening_date`), the same date the services screen on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth

from thirdcountry.cases.models import RunChange, ScreeningRun, Transfer
from thirdcountry.cases.rescreening import default_as_of
from thirdcountry.registry.models import Arrangement, ArrangementStatus, Assessment, CourtOrder

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
        run.changes.select_related("transfer__person")
        .annotate(rank=rank)
        .order_by("rank", "transfer__ref")
    )


# -- arrangements -------------------------------------------------------------------------


def status_on(history: list[ArrangementStatus], on: date) -> ArrangementStatus | None:
    """The status entry in force on a date: the latest dated on or before it (on equal dates
    the later recorded); ``None`` before the first entry."""
    dated = [entry for entry in history if entry.date <= on]
    return max(dated, key=lambda entry: (entry.date, entry.seq)) if dated else None


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
    chosen = (
        chosen.select_related("sending", "receiving")
        .prefetch_related("status_history")
        .annotate(
            executed=Count("transfers", filter=Q(transfers__status="executed")),
            pending=Count("transfers", filter=Q(transfers__status="proposed")),
        )
        .order_by("ref")
    )
    return [
        ArrangementRow(a, status_on(list(a.status_history.all()), on), a.executed, a.pending)
        for a in chosen
    ]


# -- court orders -------------------------------------------------------------------------


def active_on(on: date) -> Q:
    """Court orders in effect on a date: issued on or before it, not lifted on or before it."""
    return Q(issued__lte=on) & (Q(lifted__isnull=True) | Q(lifted__gt=on))


def orders_in_effect(on: date) -> QuerySet[CourtOrder, CourtOrder]:
    """The court orders in effect on a date."""
    return court_orders().filter(active_on(on))


def court_orders() -> QuerySet[CourtOrder, CourtOrder]:
    """Court orders with what their scope names."""
    return CourtOrder.objects.select_related(
        "scope_person", "scope_arrangement", "scope_sending", "scope_destination"
    ).prefetch_related("scope_person__names")


def order_is_active(order: CourtOrder, on: date) -> bool:
    """Whether an order is in effect on a date."""
    return bool(order.issued <= on and (order.lifted is None or order.lifted > on))


# -- countries ----------------------------------------------------------------------------


def assessment_in_force(assessments: list[Assessment], on: date) -> Assessment | None:
    """A country's assessment in force on a date: the latest dated on or before it."""
    dated = [a for a in assessments if a.date <= on]
    return max(dated, key=lambda a: (a.date, a.seq)) if dated else None


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
