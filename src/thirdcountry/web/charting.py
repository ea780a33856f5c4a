"""The pages' charts, in the reader's language: :mod:`thirdcountry.charts` lays them out from
aggregated counts; this module gives it the words (verdicts, periods, "other") and the way
numbers are written on the page ("1,234" or "1 234").

Every chart is laid out twice, wide for a screen and narrow (fewer periods and groups) for a
phone; the style sheet shows the one that fits, each with the table of its own numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext

from thirdcountry import charts, words
from thirdcountry.charts import ColumnChart, Period, RowsChart
from thirdcountry.web.display import number

#: (width in drawing units, periods at most, groups named at most) of each size.
SIZES: dict[str, tuple[int, int, int]] = {"wide": (720, 24, 8), "narrow": (360, 12, 5)}


def period_label(period: Period) -> str:
    """A period as the page's language writes it: "Sept. 2025" or "sept. 2025", "Q3 2025" or
    "T3 2025", "2025", "2020-2024" (with an en dash)."""
    match period.grain:
        case "month":
            return str(formats.date_format(period.start, "N Y"))
        case "quarter":
            return str(gettext("Q%(quarter)s %(year)s")) % {
                "quarter": (period.start.month - 1) // 3 + 1,
                "year": period.start.year,
            }
    return period.label()


def category_names(categories: Iterable[str]) -> dict[str, str]:
    """Each category (a verdict, "executed") in the page's language."""
    return {c: words.label(c) for c in categories}


@dataclass(frozen=True, slots=True)
class Sized:
    """One chart laid out at each size; the template draws both, the style sheet shows one."""

    wide: Any
    narrow: Any

    @property
    def empty(self) -> bool:
        return bool(self.wide.empty)


def _count(value: int) -> str:
    return number(value)


def transfers_over_time(counts: Sequence[tuple[date, str, str, int]]) -> Sized:
    """``(month, destination, category, count)`` as one stacked bar per period."""
    title = str(gettext("Transfers by month of the planned date, by verdict"))
    names = category_names(charts.CATEGORIES)
    laid: dict[str, ColumnChart] = {}
    for size, (width, most, _top) in SIZES.items():
        periods = charts.by_period(((m, c, n) for m, _d, c, n in counts), most)
        if periods and periods[0][0].grain != "month":
            title = str(gettext("Transfers over time, by verdict"))
        laid[size] = charts.column_chart(
            title,
            [(period_label(p), cell) for p, cell in periods],
            names=names,
            number=_count,
            width=width,
        )
    return Sized(**laid)


def transfers_by_destination(counts: Sequence[tuple[date, str, str, int]]) -> Sized:
    """``(month, destination, category, count)`` as one bar per destination, the largest
    named and the rest as "other"."""
    title = str(gettext("Transfers by destination, by verdict"))
    names = category_names(charts.CATEGORIES)
    laid: dict[str, RowsChart] = {}
    for size, (width, _most, top) in SIZES.items():
        groups = charts.top_and_other(
            ((d, c, n) for _m, d, c, n in counts), top=top, other=str(gettext("other"))
        )
        laid[size] = charts.rows_chart(
            title,
            charts.CATEGORIES,
            [
                (group, [cell.get(c, 0) for c in charts.CATEGORIES], number(sum(cell.values())))
                for group, cell in groups
            ],
            names=names,
            number=_count,
            width=width,
            clip_last=len(groups) > top,
        )
    return Sized(**laid)


def counts_by_row(
    title: str, columns: Sequence[str], rows: Sequence[tuple[str, Mapping[str, int]]]
) -> Sized:
    """Rows already counted (a rule and its blocked and review counts) as one bar each."""
    names = {c: words.label(c) for c in columns}
    laid = {
        size: charts.rows_chart(
            title,
            columns,
            [
                (label, [cell.get(c, 0) for c in columns], number(sum(cell.values())))
                for label, cell in rows
            ],
            names=names,
            number=_count,
            width=width,
        )
        for size, (width, _most, _top) in SIZES.items()
    }
    return Sized(**laid)


def transfer_charts(counts: Sequence[tuple[date, str, str, int]]) -> dict[str, Sized]:
    """The transfers over time and by destination, for the dashboard and statistics."""
    return {
        "over_time": transfers_over_time(counts),
        "by_destination": transfers_by_destination(counts),
    }
