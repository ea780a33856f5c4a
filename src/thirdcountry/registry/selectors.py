"""Reads of the registry's facts that depend on a date, for pages, the API, statistics and
the ledger: each is decided by :mod:`thirdcountry.dated`, as the engine decides it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

import polars as pl
from django.db import connection
from django.db.models import Q, QuerySet

from thirdcountry import dated
from thirdcountry.findings import OrderLabel
from thirdcountry.registry.models import (
    ArrangementStatus,
    Assessment,
    CatalogChoice,
    CourtOrder,
    ExchangeRate,
    ScreeningDefaults,
)
from thirdcountry.rules import catalogs

Entry = TypeVar("Entry", ArrangementStatus, Assessment)


def _in_force(
    entries: Iterable[Entry],
    on: date,
    key: pl.Series,
    decide: Callable[[pl.DataFrame, date], pl.DataFrame],
) -> dict[Any, Entry]:
    """The entry of each key in force on ``on``, as ``decide`` (a function of
    :mod:`thirdcountry.dated`) finds it among ``entries``; ``key`` holds each entry's key, in
    order, under the name ``decide`` reads."""
    listed = list(entries)
    table = pl.DataFrame(
        [
            key,
            pl.Series("date", [e.date for e in listed], dtype=pl.Date),
            pl.Series("seq", [e.seq for e in listed], dtype=pl.Int64),
            pl.Series("_index", range(len(listed)), dtype=pl.Int64),
        ]
    )
    found = decide(table, on).select(key.name, "_index")
    return {name: listed[index] for name, index in found.iter_rows()}


def statuses_on(entries: Iterable[ArrangementStatus], on: date) -> dict[int, ArrangementStatus]:
    """Each arrangement's status entry on ``on``, by arrangement id, among ``entries``
    (every entry of the arrangements asked about); none before an arrangement's first."""
    listed = list(entries)
    ids = pl.Series("arrangement", [e.arrangement_id for e in listed], dtype=pl.Int64)
    return _in_force(listed, on, ids, dated.arrangement_status_on)


def arrangement_statuses_on(on: date) -> dict[int, str]:
    """Every arrangement's status on ``on``, by arrangement id (none before its first entry)."""
    entries = ArrangementStatus.objects.only("arrangement_id", "date", "seq", "status")
    return {pk: entry.status for pk, entry in statuses_on(entries, on).items()}


def assessments_in_force(assessments: Iterable[Assessment], on: date) -> dict[str, Assessment]:
    """Each country's assessment in force on ``on``, by country code, among ``assessments``
    (every assessment of the countries asked about); none before a country's first."""
    listed = list(assessments)
    codes = pl.Series("country", [a.country_id for a in listed], dtype=pl.String)
    return _in_force(listed, on, codes, dated.assessment_on)


def _orders_table(rows: Iterable[tuple[Any, ...]]) -> pl.DataFrame:
    return pl.DataFrame(
        list(rows),
        schema={"pk": pl.Int64, "issued": pl.Date, "lifted": pl.Date},
        orient="row",
    )


def orders_in_effect_flags(orders: Sequence[CourtOrder], on: date) -> list[bool]:
    """For each court order, in order, whether it is in effect on ``on``."""
    table = _orders_table((o.pk, o.issued, o.lifted) for o in orders)
    return dated.orders_in_effect(table, on)


def orders_in_effect(
    orders: QuerySet[CourtOrder, CourtOrder], on: date
) -> QuerySet[CourtOrder, CourtOrder]:
    """The court orders of ``orders`` in effect on ``on``."""
    table = _orders_table(orders.values_list("pk", "issued", "lifted"))
    effective = table.filter(dated.order_in_effect(on)).get_column("pk").to_list()
    return orders.filter(pk__in=effective)


def rates_for(reporting: str) -> QuerySet[ExchangeRate, ExchangeRate]:
    """The exchange rates recorded to or from ``reporting``: all a conversion to it reads."""
    return ExchangeRate.objects.filter(Q(base_id=reporting) | Q(quote_id=reporting))


def rates_table(rates: Iterable[ExchangeRate]) -> pl.DataFrame:
    """Exchange rates as the table :func:`dated.convert` reads."""
    rows = [(r.date, r.base_id, r.quote_id, r.rate) for r in rates]
    return pl.DataFrame(rows, schema=dated.RATES_SCHEMA, orient="row")


def order_labels(refs: Iterable[str] | None = None) -> dict[str, OrderLabel]:
    """What each of these court orders (by default, every one) is, for the findings that
    mention them."""
    orders = CourtOrder.objects.all()
    if refs is not None:
        wanted = set(refs)
        if not wanted:
            return {}
        orders = orders.filter(ref__in=wanted)
    return {
        o.ref: OrderLabel(
            o.ref,
            o.kind,
            o.issuer,
            o.issued.isoformat(),
            person=o.scope_person.ref if o.scope_person_id else None,
            arrangement=o.scope_arrangement.ref if o.scope_arrangement_id else None,
            sending=o.scope_sending_id,
            destination=o.scope_destination_id,
        )
        for o in orders.select_related("scope_person", "scope_arrangement")
    }


def current_catalog() -> str:
    """The version new screenings of the stored world are made under: the stored choice
    (``thirdcountry catalog use``), else the environment's, else the default."""
    return run_settings()[1]


def run_settings() -> tuple[date | None, str]:
    """The stored world's screening date (``None`` if none was loaded) and
    :func:`current_catalog`, in one query: a run of one transfer starts with both."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT {quote('as_of')} FROM {quote(ScreeningDefaults._meta.db_table)}"
            f" WHERE {quote('id')} = 1),"
            f" (SELECT {quote('version')} FROM {quote(CatalogChoice._meta.db_table)}"
            f" WHERE {quote('id')} = 1)"
        )
        as_of, chosen = cursor.fetchone()
    if isinstance(as_of, str):  # SQLite returns a subquery's date as text
        as_of = date.fromisoformat(as_of)
    return as_of, chosen or catalogs.current_version()
