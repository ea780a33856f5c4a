"""Reads for the list of transfers: search by ref, filters (status, verdict, destination,
arrangement, planned dates, the person's nationality, the rule that blocks), sorting, and
how many transfers each choice of a filter would show with the other filters kept.

A transfer's latest verdict and the outcome of each rule are read from the narrow table of
latest screenings (``outcomes``: one letter per rule, in its catalog's order), so filtering
by the blocking rule reads no findings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.http import QueryDict

from thirdcountry.cases.models import Nationality, Transfer
from thirdcountry.registry.selectors import current_catalog
from thirdcountry.rules import catalogs

STATUSES: Final = ("proposed", "executed", "cancelled")
VERDICTS: Final = ("blocked", "review", "clear", "unscreened")
#: The columns the list sorts by (a leading "-": descending), and their database order.
SORTS: Final[dict[str, tuple[str, ...]]] = {
    "planned": ("planned_date", "ref"),
    "ref": ("ref",),
    "person": ("person__ref", "ref"),
    "destination": ("destination_id", "planned_date", "ref"),
    "arrangement": ("arrangement__ref", "planned_date", "ref"),
    "verdict": ("latest_screening__verdict", "planned_date", "ref"),
}
_BLOCKED: Final = "b"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class TransferFilters:
    """What the list of transfers is narrowed to, read from a query string (a value it
    cannot use is dropped, never an error)."""

    ref: str = ""
    status: str = "proposed"
    verdict: str = ""
    destination: str = ""
    arrangement: str = ""
    nationality: str = ""
    blocking_rule: str = ""
    planned_from: date | None = None
    planned_to: date | None = None
    sort: str = "planned"

    @classmethod
    def from_query(cls, query: QueryDict) -> TransferFilters:
        """The filters a query string asks for."""
        status = query.get("status", "proposed")
        verdict = query.get("verdict", "")
        sort = query.get("sort", "planned")
        return cls(
            ref=query.get("ref", "").strip()[:100],
            status=status if status in (*STATUSES, "") else "proposed",
            verdict=verdict if verdict in VERDICTS else "",
            destination=query.get("destination", "").strip().upper()[:2],
            arrangement=query.get("arrangement", "").strip()[:100],
            nationality=query.get("nationality", "").strip().upper()[:2],
            blocking_rule=query.get("blocking_rule", "").strip()[:100],
            planned_from=_date(query.get("planned_from", "")),
            planned_to=_date(query.get("planned_to", "")),
            sort=sort if sort.lstrip("-") in SORTS else "planned",
        )

    def without(self, name: str) -> TransferFilters:
        """The same filters with one left out (to count that filter's choices)."""
        cleared: dict[str, Any] = {name: ""}
        return replace(self, **cleared)


def _blocked_by(rule: str) -> Q:
    """Transfers whose latest screening blocks on ``rule``, under any catalog that has it."""
    condition = Q(pk__in=[])
    for version in catalogs.versions():
        ids = catalogs.rule_ids(version)
        if rule in ids:
            position = ids.index(rule) + 1
            condition |= Q(latest_screening__catalog=version) & Q(
                **{f"blocked_{position}": _BLOCKED}
            )
    return condition


def _with_rule_letters(transfers: QuerySet[Transfer, Transfer], rule: str) -> Any:
    annotations = {}
    for version in catalogs.versions():
        ids = catalogs.rule_ids(version)
        if rule in ids:
            position = ids.index(rule) + 1
            annotations[f"blocked_{position}"] = Substr("latest_screening__outcomes", position, 1)
    return transfers.annotate(**annotations)


def filtered(filters: TransferFilters) -> QuerySet[Transfer, Transfer]:
    """The transfers the filters keep, with their latest ``verdict``, unsorted."""
    transfers = Transfer.objects.annotate(verdict=F("latest_screening__verdict"))
    if filters.ref:
        transfers = transfers.filter(ref__icontains=filters.ref)
    if filters.status:
        transfers = transfers.filter(status=filters.status)
    if filters.verdict == "unscreened":
        transfers = transfers.filter(verdict__isnull=True)
    elif filters.verdict:
        transfers = transfers.filter(verdict=filters.verdict)
    if filters.destination:
        transfers = transfers.filter(destination_id=filters.destination)
    if filters.arrangement == "none":
        transfers = transfers.filter(arrangement__isnull=True)
    elif filters.arrangement:
        transfers = transfers.filter(arrangement__ref=filters.arrangement)
    if filters.planned_from:
        transfers = transfers.filter(planned_date__gte=filters.planned_from)
    if filters.planned_to:
        transfers = transfers.filter(planned_date__lte=filters.planned_to)
    if filters.nationality:
        held = Nationality.objects.filter(
            person_id=OuterRef("person_id"), country_id=filters.nationality
        )
        transfers = transfers.filter(Exists(held))
    if filters.blocking_rule:
        transfers = _with_rule_letters(transfers, filters.blocking_rule).filter(
            _blocked_by(filters.blocking_rule)
        )
    return transfers


def ordering(filters: TransferFilters) -> list[Any]:
    """The database order of the sort the filters name."""
    descending = filters.sort.startswith("-")
    order = SORTS[filters.sort.lstrip("-")]
    return [F(o).desc(nulls_last=True) if descending else F(o).asc() for o in order]


def listing(filters: TransferFilters) -> QuerySet[Transfer, Transfer]:
    """The transfers the filters keep, sorted, with what each row shows."""
    return (
        filtered(filters)
        .select_related("person", "destination", "arrangement")
        .prefetch_related("person__names")
        .order_by(*ordering(filters))
    )


def _grouped(transfers: QuerySet[Transfer, Transfer], field: str) -> dict[str, int]:
    rows = transfers.order_by().values(field).annotate(n=Count("id", distinct=True))
    return {str(row[field]) if row[field] is not None else "": row["n"] for row in rows}


def facet_counts(filters: TransferFilters) -> dict[str, dict[str, int]]:
    """For each filter, how many transfers each of its choices would show, the other filters
    kept."""
    counts = {
        "status": _grouped(filtered(filters.without("status")), "status"),
        "destination": _grouped(filtered(filters.without("destination")), "destination_id"),
        "arrangement": _grouped(filtered(filters.without("arrangement")), "arrangement__ref"),
        "nationality": _grouped(
            filtered(filters.without("nationality")), "person__nationalities__country_id"
        ),
    }
    verdicts = _grouped(filtered(filters.without("verdict")), "verdict")
    counts["verdict"] = {(v or "unscreened"): n for v, n in verdicts.items()}
    counts["arrangement"]["none"] = counts["arrangement"].pop("", 0)
    counts["blocking_rule"] = blocking_counts(filtered(filters.without("blocking_rule")))
    return counts


def blocking_counts(transfers: QuerySet[Transfer, Transfer]) -> dict[str, int]:
    """How many of ``transfers`` each rule blocks (in their latest screenings)."""
    rows = (
        transfers.filter(latest_screening__verdict="blocked")
        .order_by()
        .values_list("latest_screening__catalog", "latest_screening__outcomes")
        .annotate(n=Count("id"))
    )
    counted: Counter[str] = Counter()
    for version, outcomes, n in rows:
        for rule, letter in zip(catalogs.rule_ids(version), outcomes, strict=False):
            if letter == _BLOCKED:
                counted[rule] += n
    return dict(counted)


def rule_choices() -> list[str]:
    """What the blocking-rule filter offers: the rules of the current catalog in order, then
    those only the other catalogs have (a transfer's latest screening may be under any)."""
    ordered = dict.fromkeys(catalogs.rule_ids(current_catalog()))
    for version in catalogs.versions():
        ordered.update(dict.fromkeys(catalogs.rule_ids(version)))
    return list(ordered)
