"""The statistics page's tables and charts in the reader's language: counts and amounts
written the page's way ("290,000,000.00 GBP", "290 000 000,00 GBP"), months as words, and
the pivots a reader asks for (destination by verdict, arrangement by period) beside the
long tables the CSV files hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thirdcountry import charts, words
from thirdcountry.oversight.pivots import pivot
from thirdcountry.oversight.statistics import VERDICT_ORDER, Statistics
from thirdcountry.oversight.statistics_words import (
    EMPTY,
    HEADINGS,
    NUMBER_COLUMNS,
    TITLES,
    WORD_COLUMNS,
)
from thirdcountry.web import display
from thirdcountry.web.charting import Sized, counts_by_row, period_label

#: Amount columns and the column naming their currency (None: the reporting currency).
MONEY_COLUMNS: dict[str, str | None] = {
    "amount": "currency",
    "converted": None,
    "paid": None,
    "cost_per_transfer": None,
}
#: The most periods across the arrangement-by-period pivot.
PIVOT_PERIODS = 12


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    number: bool
    empty: bool


@dataclass(frozen=True, slots=True)
class Table:
    """One statistics table as the page draws it."""

    key: str
    title: Any
    headings: list[Any]
    rows: list[list[Cell]]


def _month(value: str) -> str:
    try:
        start = date.fromisoformat(f"{value}-01")
    except ValueError:
        return value
    return period_label(charts.Period(start, 1))


def _cell(column: str, value: Any, row: dict[str, Any], reporting: str) -> Cell:
    if value is None:
        return Cell(str(EMPTY.get(column, "—")), column in NUMBER_COLUMNS, True)
    if column in WORD_COLUMNS:
        return Cell(words.label(str(value)), False, False)
    if column == "month":
        return Cell(_month(str(value)), False, False)
    if column in NUMBER_COLUMNS and isinstance(value, int | float | Decimal):
        text = display.number(value)
        if column in MONEY_COLUMNS:
            currency_column = MONEY_COLUMNS[column]
            currency = row.get(currency_column) if currency_column else reporting
            text = f"{text} {currency}" if currency else text
        return Cell(text, True, False)
    return Cell(str(value), column in NUMBER_COLUMNS, False)


def table(key: str, title: Any, frame: pl.DataFrame, reporting: str = "") -> Table:
    """A statistics frame as the page draws it, with its stored words and numbers written
    in the page's language."""
    columns = frame.columns
    return Table(
        key,
        title,
        [HEADINGS.get(c, c) for c in columns],
        [
            [_cell(c, row[c], row, reporting) for c in columns]
            for row in frame.iter_rows(named=True)
        ],
    )


def tables(statistics: Statistics) -> list[Table]:
    """Every statistics table, in the order the page shows them."""
    return [
        table(key, TITLES[key], statistics.tables[key], statistics.reporting_currency)
        for key in TITLES
    ]


def _pivot_table(
    key: str, title: Any, frame: pl.DataFrame, first: Any, headings: dict[str, str]
) -> Table:
    columns = frame.columns
    shown = [first] + [headings.get(c, c) for c in columns[1:-1]] + [_("Total")]
    rows = []
    for row in frame.iter_rows(named=True):
        label = row[columns[0]]
        cells = [
            Cell(str(label) if label is not None else str(gettext("none")), False, label is None)
        ]
        cells += [Cell(display.number(int(row[c])), True, False) for c in columns[1:]]
        rows.append(cells)
    return Table(key, title, shown, rows)


def destination_by_verdict(statistics: Statistics) -> Table:
    """Transfers with each destination down and each verdict across."""
    frame = pivot(statistics.by_destination, "destination", "verdict", order=VERDICT_ORDER)
    headings = {v: words.label(v) for v in VERDICT_ORDER}
    return _pivot_table(
        "destination_by_verdict",
        _("Transfers by destination and verdict"),
        frame,
        HEADINGS["destination"],
        headings,
    )


def arrangement_by_period(statistics: Statistics) -> Table:
    """Transfers with each arrangement down and each period across (months, quarters or
    years, whichever keeps the table to :data:`PIVOT_PERIODS` columns)."""
    frame = statistics.by_arrangement_month
    if frame.is_empty():
        frame = pl.DataFrame(
            schema={"arrangement": pl.String, "period": pl.String, "transfers": pl.Int64}
        )
        order: list[str] = []
    else:
        starts = [date.fromisoformat(f"{m}-01") for m in frame["month"].to_list()]
        months = charts.period_months(min(starts), max(starts), PIVOT_PERIODS)
        periods = [charts.period_of(d, months) for d in starts]
        frame = frame.with_columns(
            pl.Series("period", [p.start.isoformat() for p in periods])
        ).drop("month")
        # Every period of the span, those with no transfer too, so that time reads evenly.
        span = charts.months_between(min(periods).start, max(periods).start)[::months]
        order = [start.isoformat() for start in span]
        labels = {start.isoformat(): period_label(charts.Period(start, months)) for start in span}
    result = pivot(frame, "arrangement", "period", order=order)
    return _pivot_table(
        "arrangement_by_period",
        _("Transfers by arrangement and period of the planned date"),
        result.sort("arrangement", nulls_last=True),
        HEADINGS["arrangement"],
        labels if order else {},
    )


def rule_frequencies(statistics: Statistics) -> Sized:
    """How often each rule blocks or asks for review, as one bar per rule that did."""
    rows = [
        (row["rule"], {"blocked": row["blocked"], "review": row["review"]})
        for row in statistics.blocking_rules.iter_rows(named=True)
        if row["blocked"] or row["review"]
    ]
    return counts_by_row(str(TITLES["blocking_rules"]), ("blocked", "review"), rows)
