"""Stacked bar charts laid out on the server and drawn as SVG by templates: no script and
nothing fetched, the page or file carries the drawing (with a table of the same numbers).

Two layouts share the stacking of segments: transfers per month, one bar per destination in
each month stacked by verdict (the web pages), and one horizontal bar per row of a table of
counts, stacked by column, some counts possibly not shown (a public release).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

#: The order of the stacks, bottom up, and the CSS class that colours each.
CATEGORIES: tuple[str, ...] = ("clear", "review", "blocked", "unscreened", "executed")
#: The colours of a drawing that carries no style sheet, one per column in turn.
PALETTE: tuple[str, ...] = (
    "#1b6ca8",
    "#d9822b",
    "#c23030",
    "#7a7a7a",
    "#2e8b57",
    "#8e44ad",
    "#b8860b",
)

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
    #: Its fill where the drawing has no style sheet to colour it by category.
    colour: str = ""


def stack(
    counts: Iterable[tuple[str, int]],
    *,
    start: float,
    span: float,
    full: int,
    across: float,
    thickness: float,
    vertical: bool = False,
    colours: Mapping[str, str] | None = None,
) -> tuple[Segment, ...]:
    """One segment per non-zero count, in order, each where the one before it ends:
    rightwards from ``start`` or, ``vertical``, upwards from it. A count of ``full`` is
    ``span`` long; ``across`` and ``thickness`` place the bar on the other axis."""
    segments = []
    end = start
    for category, count in counts:
        if not count:
            continue
        length = span * count / full
        colour = colours.get(category, "") if colours else ""
        if vertical:
            end -= length
            segments.append(Segment(category, count, across, end, thickness, length, colour))
        else:
            segments.append(Segment(category, count, end, across, length, thickness, colour))
            end += length
    return tuple(segments)


# -- transfers per month ------------------------------------------------------------------------


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
            x = group_left + j * bar_width
            segments = stack(
                ((category, found[category]) for category in CATEGORIES),
                start=chart.plot_bottom,
                span=plot_height,
                full=axis_max,
                across=x + 1,
                thickness=bar_width - 2,
                vertical=True,
            )
            bars.append(Bar(destination, sum(found.values()), x, x + bar_width / 2, segments))
            chart.rows.append((month, destination, found))
        chart.groups.append(MonthGroup(month, LEFT + (i + 0.5) * group_width, tuple(bars)))
    return chart


# -- one bar per row of a table ------------------------------------------------------------------

ROW_LABELS = 170
ROW_BAR = 430
ROW_HEIGHT = 16
ROW_GAP = 6


@dataclass(frozen=True, slots=True)
class RowBar:
    """A row's bar: its label, its segments, its total as shown and how many of its counts
    have no segment because they are not shown."""

    label: str
    y: float
    text_y: float
    segments: tuple[Segment, ...]
    total: str
    hidden: int
    total_x: float


@dataclass(frozen=True, slots=True)
class LegendKey:
    name: str
    colour: str
    x: float
    text_x: float


@dataclass
class RowsChart:
    """The geometry of a chart of one horizontal bar per row, ready for a template."""

    title: str
    width: int
    height: int
    label_x: int
    bars: list[RowBar]
    legend_y: float
    legend_text_y: float
    legend: list[LegendKey]


def rows_chart(
    title: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int | None], str]],
) -> RowsChart:
    """Lay out ``(label, counts, total)`` rows as one horizontal stacked bar each, a segment
    per count in ``columns`` order, all on the scale of the widest row. A count that is None
    is not shown: it has no segment and is counted in its row's ``hidden``."""
    colours = {name: PALETTE[c % len(PALETTE)] for c, name in enumerate(columns)}
    widest = max([sum(n or 0 for n in counts) for _, counts, _ in rows] + [1])
    bars = []
    for i, (label, counts, total) in enumerate(rows):
        y = i * (ROW_HEIGHT + ROW_GAP)
        segments = stack(
            ((name, n or 0) for name, n in zip(columns, counts, strict=True)),
            start=ROW_LABELS,
            span=ROW_BAR,
            full=widest,
            across=y,
            thickness=ROW_HEIGHT,
            colours=colours,
        )
        end = segments[-1].x + segments[-1].width if segments else ROW_LABELS
        hidden = sum(n is None for n in counts)
        bars.append(RowBar(label, y, y + ROW_HEIGHT - 4, segments, total, hidden, end + 4))
    legend_x = float(ROW_LABELS)
    legend = []
    for name in columns:
        legend.append(LegendKey(name, colours[name], legend_x, legend_x + 14))
        # No font metrics on the server: about 7 units per character.
        legend_x += 14 + 7 * len(name) + 16
    legend_y = len(rows) * (ROW_HEIGHT + ROW_GAP) + 14
    return RowsChart(
        title=title,
        width=ROW_LABELS + ROW_BAR + 60,
        height=legend_y + 26,
        label_x=ROW_LABELS - 6,
        bars=bars,
        legend_y=legend_y,
        legend_text_y=legend_y + 9,
        legend=legend,
    )
