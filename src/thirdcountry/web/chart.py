"""A stacked bar chart drawn on the server as SVG: transfers per month, one bar per
destination in each month, stacked by verdict. No script and nothing fetched: the page
carries the drawing, and a table of the same numbers for screen readers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

#: The order of the stacks, bottom up, and the CSS class that colours each.
CATEGORIES: tuple[str, ...] = ("clear", "review", "blocked", "unscreened", "executed")

WIDTH = 760
HEIGHT = 320
LEFT = 48
RIGHT = 12
TOP = 16
BOTTOM = 64


@dataclass(frozen=True, slots=True)
class Segment:
    category: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Bar:
    destination: str
    total: int
    x: float
    label_x: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class MonthGroup:
    month: date
    label_x: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    y: float


@dataclass
class Chart:
    """The geometry of the chart, ready for the template to draw."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_bottom: float = HEIGHT - BOTTOM
    plot_right: float = WIDTH - RIGHT
    groups: list[MonthGroup] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    categories: tuple[str, ...] = CATEGORIES
    #: The numbers drawn, for the table beside the chart: (month, destination, counts).
    rows: list[tuple[date, str, dict[str, int]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups


def months_between(first: date, last: date) -> list[date]:
    """Every first-of-month from ``first``'s month to ``last``'s, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def nice_step(maximum: int, ticks: int = 5) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks."""
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def transfers_chart(counts: Sequence[tuple[date, str, str, int]]) -> Chart:
    """Lay out ``(month, destination, category, count)`` rows as a grouped, stacked chart."""
    chart = Chart()
    if not counts:
        return chart
    table: dict[tuple[date, str], dict[str, int]] = {}
    for month, destination, category, n in counts:
        cell = table.setdefault((month, destination), dict.fromkeys(CATEGORIES, 0))
        cell[category] = cell.get(category, 0) + n
    months = months_between(min(m for m, _ in table), max(m for m, _ in table))
    destinations = sorted({d for _, d in table})
    top = max(sum(cell.values()) for cell in table.values())
    step = nice_step(top)
    axis_max = step * math.ceil(top / step)
    plot_height = chart.plot_bottom - TOP
    chart.ticks = [
        Tick(v, chart.plot_bottom - plot_height * v / axis_max)
        for v in range(0, axis_max + 1, step)
    ]
    group_width = (chart.plot_right - LEFT) / len(months)
    bar_width = min(28.0, group_width * 0.8 / len(destinations))
    for i, month in enumerate(months):
        group_left = LEFT + i * group_width + (group_width - bar_width * len(destinations)) / 2
        bars = []
        for j, destination in enumerate(destinations):
            found = table.get((month, destination))
            if found is None:
                continue
            cell = found
            x = group_left + j * bar_width
            y = chart.plot_bottom
            segments = []
            for category in CATEGORIES:
                n = cell[category]
                if not n:
                    continue
                h = plot_height * n / axis_max
                y -= h
                segments.append(Segment(category, n, x + 1, y, bar_width - 2, h))
            bars.append(Bar(destination, sum(cell.values()), x, x + bar_width / 2, tuple(segments)))
            chart.rows.append((month, destination, cell))
        chart.groups.append(MonthGroup(month, LEFT + (i + 0.5) * group_width, tuple(bars)))
    return chart
