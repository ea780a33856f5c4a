"""Facts that depend on a date, each decided here and nowhere else: an arrangement's status
on a date, the country assessment in force, the court orders in effect, and a payment
converted with the exchange rate of its date.

The engine, the pages, the API, the statistics and the ledger all call these functions, so
they cannot disagree. Plain Polars over small tables with fixed column names; no Django.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

import polars as pl

#: Converted amounts are rounded to this many places, half to even.
MONEY_PLACES: Final = 2
HALF_CENT: Final = Decimal("0.005")
#: Amounts are multiplied and divided at this scale: a product of an amount (4 places) and
#: a rate (10 places) is exact, and a quotient is rounded well below the cent.
_WORKING = pl.Decimal(38, 14)


def in_force_on(entries: pl.DataFrame, on: date, key: str) -> pl.DataFrame:
    """Per ``key``, the entry in force on ``on``: the latest dated on or before it (columns
    ``date`` and ``seq``), on equal dates the later recorded (the higher ``seq``). A key
    whose first entry is dated after ``on`` has no row: it has no entry in force yet."""
    return (
        entries.filter(pl.col("date") <= on)
        .sort(key, "date", "seq")
        .group_by(key, maintain_order=True)
        .last()
    )


def arrangement_status_on(statuses: pl.DataFrame, on: date) -> pl.DataFrame:
    """Each arrangement's status entry on ``on`` (columns ``arrangement``, ``date``,
    ``seq``, and any others, kept): none before its first entry."""
    return in_force_on(statuses, on, "arrangement")


def assessment_on(assessments: pl.DataFrame, on: date) -> pl.DataFrame:
    """Each country's assessment in force on ``on`` (columns ``country``, ``date``, ``seq``,
    and any others, kept): none before its first assessment."""
    return in_force_on(assessments, on, "country")


def order_in_effect(on: date) -> pl.Expr:
    """Whether a court order (columns ``issued`` and ``lifted``) is in effect on ``on``:
    issued on or before it, and not lifted on or before it."""
    return (pl.col("issued") <= on) & (pl.col("lifted").is_null() | (pl.col("lifted") > on))


def orders_in_effect(orders: pl.DataFrame, on: date) -> list[bool]:
    """For each court order (columns ``issued`` and ``lifted``), in order, whether it is in
    effect on ``on``."""
    return orders.select(order_in_effect(on).fill_null(False)).to_series().to_list()


RATES_SCHEMA: Final = pl.Schema(
    [("date", pl.Date), ("base", pl.String), ("quote", pl.String), ("rate", pl.Decimal(24, 10))]
)


def _units(rates: pl.DataFrame, reporting: str) -> pl.DataFrame:
    """For each currency and date, how one unit converts to ``reporting``: by the rate
    recorded directly (multiply) or the inverse one (divide); sorted so that on equal dates
    the direct rate comes last, and wins."""
    direct = rates.filter(pl.col("quote") == reporting).select(
        pl.col("base").alias("currency"),
        pl.col("date").alias("rate_date"),
        "rate",
        pl.lit(False).alias("inverse"),
    )
    inverse = rates.filter(pl.col("base") == reporting).select(
        pl.col("quote").alias("currency"),
        pl.col("date").alias("rate_date"),
        "rate",
        pl.lit(True).alias("inverse"),
    )
    return pl.concat([direct, inverse]).sort("currency", "rate_date", pl.col("inverse").not_())


def convert(payments: pl.DataFrame, rates: pl.DataFrame, reporting: str) -> pl.DataFrame:
    """Each payment (columns ``date``, ``currency``, ``amount``, and any others, kept), in
    order, in ``reporting``: converted with the latest rate dated on or before the payment,
    recorded either way round (one ``base`` is worth ``rate`` ``quote``: direct, or the
    inverse of the opposite rate; on the same date the direct one), to the cent, half to even.

    Adds ``rate_date``, ``rate`` and ``inverse`` (the rate used; null when the currency is
    ``reporting`` itself, or there is no rate) and ``converted`` (null: no rate, so never a
    guessed amount). ``rates`` has the columns of :data:`RATES_SCHEMA`.
    """
    matched = (
        payments.with_row_index("_row")
        .sort("currency", "date")
        .join_asof(
            _units(rates.cast(RATES_SCHEMA), reporting),
            left_on="date",
            right_on="rate_date",
            by="currency",
            strategy="backward",
            check_sortedness=False,  # both sides are sorted by date within each currency
        )
        .sort("_row")
        .drop("_row")
    )
    same = pl.col("currency") == reporting
    amount = pl.col("amount").cast(_WORKING)
    rate = pl.col("rate").cast(_WORKING)
    converted = (
        pl.when(same)
        .then(_cents(amount))
        .when(pl.col("inverse").not_())
        .then(_cents(amount * rate))
        .when(pl.col("inverse"))
        .then(_quotient_cents(amount, rate))
        .otherwise(None)
    )
    return matched.with_columns(
        *(pl.when(same).then(None).otherwise(pl.col(c)).alias(c) for c in ("rate_date", "rate")),
        pl.when(same).then(None).otherwise(pl.col("inverse")).alias("inverse"),
        converted.cast(pl.Decimal(38, MONEY_PLACES)).alias("converted"),
    )


def _cents(exact: pl.Expr) -> pl.Expr:
    """An exact amount to the cent, half to even."""
    return exact.round(MONEY_PLACES, mode="half_to_even")


def _quotient_cents(amount: pl.Expr, rate: pl.Expr) -> pl.Expr:
    """``amount / rate`` (neither negative) to the cent, half to even, as if the quotient
    were exact: Polars rounds a quotient at the working scale, which could move it onto
    or off a half cent, so the half cent next to it is compared with ``amount`` through a
    product, which is exact."""
    cents = (amount / rate).truncate(MONEY_PLACES)
    half = cents + pl.lit(HALF_CENT)
    above = amount - half * rate
    return (
        pl.when(above > 0)
        .then(cents + pl.lit(2 * HALF_CENT))
        .when(above < 0)
        .then(cents)
        .otherwise(_cents(half))
    )
