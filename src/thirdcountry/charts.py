"""Charts laid out on the server and drawn as SVG by one pair of templates: no script and
nothing fetched, the page or the offline release report carries the drawing, with a table of
the same numbers beside it.

A chart reads at any size of data because it is drawn from aggregates, never from one mark
per record: counts are summed into at most :data:`MOST_PERIODS` periods (months, quarters,
years or runs of years, whichever the span needs) and at most :data:`TOP_GROUPS` named groups
plus "other". The layout then keeps every mark readable: a non-zero count is never drawn
thinner than :data:`MIN_SEGMENT`, and a label that would run into its neighbour is left out
of the drawing (it stays in the table) or shortened (its full text in a tooltip).

Two layouts share the stacking of segments: columns (one vertical bar per period, stacked by
category) and rows (one horizontal bar per row of a table of counts, stacked by column, some
counts possibly not shown, as in a public release).

Words and numbers are the caller's: the module takes the names of the categories and a
function that writes a number, so a page in French gets "1 234" and the report "1,234".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

#: The order of the stacks, bottom up (or left to right).
CATEGORIES: Final[tuple[str, ...]] = ("clear", "review", "blocked", "unscreened", "executed")
#: The fill of each category, as the web pages' style sheet colours it too.
CATEGORY_COLOURS: Final[dict[str, str]] = {
    "clear": "#2da44e",
    "review": "#d4a72c",
    "blocked": "#cf222e",
    "unscreened": "#afb8c1",
    "executed": "#57606a",
}
#: The colours of columns that are no category, one per column in turn.
PALETTE: Final[tuple[str, ...]] = (
    "#1b6ca8",
    "#d9822b",
    "#c23030",
    "#7a7a7a",
    "#2e8b57",
    "#8e44ad",
    "#b8860b",
)

#: At most this many periods along a time axis.
MOST_PERIODS: Final = 24
#: At most this many groups named; the others are summed into one "other".
TOP_GROUPS: Final = 8
#: The shortest a non-zero count is ever drawn, in drawing units.
MIN_SEGMENT: Final = 2.0
#: The font size of every text in a chart, in drawing units.
FONT: Final = 11.0

Number = Callable[[int], str]


def text_width(text: str, size: float = FONT) -> float:
    """How wide ``text`` runs at ``size``, erring wide: the server has no font metrics, so
    this takes the widths of a broad sans-serif (capitals and digits wider than the rest)."""
    width = 0.0
    for char in text:
        if char in " .,:;'|il!":
            width += 0.36
        elif char.isupper() or char.isdigit() or char in "mwMW%\u2013\u2014":
            width += 0.78
        else:
            width += 0.62
    return width * size


def shortened(text: str, room: float, size: float = FONT) -> str:
    """``text``, cut and ended with "…" if it would run wider than ``room``."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


# -- aggregation ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A span of time a bar counts: ``months`` months from ``start`` (1, 3, 12 or a run of
    whole years)."""

    start: date
    months: int

    @property
    def grain(self) -> str:
        """``month``, ``quarter``, ``year`` or ``years``."""
        return {1: "month", 3: "quarter", 12: "year"}.get(self.months, "years")

    @property
    def last_year(self) -> int:
        """The year of the period's last month."""
        return self.start.year + (self.start.month - 1 + self.months - 1) // 12

    def label(self) -> str:
        """The period in figures: "2025-09", "2025 Q3", "2025", "2020-2024" (with an en dash)."""
        match self.grain:
            case "month":
                return f"{self.start:%Y-%m}"
            case "quarter":
                return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
            case "year":
                return str(self.start.year)
        return f"{self.start.year}\u2013{self.last_year}"


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _from_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every first-of-month from ``first``'s month to ``last``'s, inclusive."""
    return [_from_index(i) for i in range(_month_index(first), _month_index(last) + 1)]


def period_months(first: date, last: date, most: int = MOST_PERIODS) -> int:
    """How many months each period holds so that ``first`` to ``last`` needs at most ``most``
    periods: 1 (months), 3 (quarters), 12 (years) or a multiple of 12 (runs of years)."""
    if most < 1:
        raise ValueError("at least one period")
    span = _month_index(last) - _month_index(first) + 1
    for months in (1, 3, 12):
        first_index = _month_index(first) // months
        if (_month_index(last) // months) - first_index + 1 <= most:
            return months
    years = math.ceil(span / 12 / most)
    while (last.year // years) - (first.year // years) + 1 > most:
        years += 1
    return 12 * years


def period_of(day: date, months: int) -> Period:
    """The period of ``months`` months (aligned on the calendar) that holds ``day``."""
    index = _month_index(day)
    return Period(_from_index(index - index % months), months)


def by_period(
    counts: Iterable[tuple[date, str, int]], most: int = MOST_PERIODS
) -> list[tuple[Period, dict[str, int]]]:
    """``(day, category, count)`` summed per period, every period from the first to the last
    (empty ones included, so time reads evenly), at most ``most`` of them."""
    summed: Counter[tuple[date, str]] = Counter()
    for day, category, n in counts:
        summed[(day, category)] += n
    if not summed:
        return []
    days = [day for day, _ in summed]
    months = period_months(min(days), max(days), most)
    cells: dict[Period, dict[str, int]] = {}
    first = period_of(min(days), months)
    last = period_of(max(days), months)
    index = _month_index(first.start)
    while index <= _month_index(last.start):
        cells[Period(_from_index(index), months)] = {}
        index += months
    for (day, category), n in summed.items():
        cell = cells[period_of(day, months)]
        cell[category] = cell.get(category, 0) + n
    return list(cells.items())


def top_and_other(
    counts: Iterable[tuple[str, str, int]], *, top: int = TOP_GROUPS, other: str = "other"
) -> list[tuple[str, dict[str, int]]]:
    """``(group, category, count)`` summed per group: the ``top`` largest groups by total
    (ties by name), then, if more remain, one ``other`` group holding all the rest. With one
    group more than ``top`` it is shown by name, not as "other"."""
    cells: dict[str, dict[str, int]] = {}
    for group, category, n in counts:
        cell = cells.setdefault(group, {})
        cell[category] = cell.get(category, 0) + n
    ranked = sorted(cells, key=lambda g: (-sum(cells[g].values()), g))
    if len(ranked) <= top + 1:
        return [(g, cells[g]) for g in ranked]
    rest: dict[str, int] = {}
    for group in ranked[top:]:
        for category, n in cells[group].items():
            rest[category] = rest.get(category, 0) + n
    return [(g, cells[g]) for g in ranked[:top]] + [(other, rest)]


def nice_step(maximum: int, ticks: int = 5) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks."""
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


# -- marks ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    category: str
    count: int
    x: float
    y: float
    width: float
    height: float
    #: Its fill, for a drawing with no style sheet too.
    colour: str = ""
    #: What it counts, in words, for its tooltip.
    text: str = ""


def stack(
    counts: Iterable[tuple[str, int]],
    *,
    start: float,
    scale: float,
    across: float,
    thickness: float,
    vertical: bool = False,
    colours: Mapping[str, str] | None = None,
    texts: Mapping[str, str] | None = None,
) -> tuple[Segment, ...]:
    """One segment per non-zero count, in order, each where the one before it ends:
    rightwards from ``start`` or, ``vertical``, upwards from it; a count is ``scale`` units
    long a piece, never shorter than :data:`MIN_SEGMENT`. ``across`` and ``thickness`` place
    the bar on the other axis."""
    segments = []
    end = start
    for category, count in counts:
        if not count:
            continue
        length = max(MIN_SEGMENT, scale * count)
        colour = colours.get(category, "") if colours else ""
        text = texts.get(category, "") if texts else ""
        if vertical:
            end -= length
            segments.append(Segment(category, count, across, end, thickness, length, colour, text))
        else:
            segments.append(Segment(category, count, end, across, length, thickness, colour, text))
            end += length
    return tuple(segments)


def colours_of(columns: Sequence[str]) -> dict[str, str]:
    """A fill per column: a category's own, else the palette's in turn."""
    found = {}
    others = 0
    for name in columns:
        if name in CATEGORY_COLOURS:
            found[name] = CATEGORY_COLOURS[name]
        else:
            found[name] = PALETTE[others % len(PALETTE)]
            others += 1
    return found


@dataclass(frozen=True, slots=True)
class LegendKey:
    category: str
    name: str
    colour: str
    x: float
    y: float


def legend(
    columns: Sequence[str],
    names: Mapping[str, str],
    colours: Mapping[str, str],
    *,
    left: float,
    top: float,
    right: float,
) -> tuple[list[LegendKey], float]:
    """A key per column, left to right, onto a new line where the next would pass
    ``right``; with the y below the last line."""
    keys = []
    x, y = left, top
    for name in columns:
        shown = names.get(name, name)
        width = 14 + text_width(shown) + 14
        if x > left and x + width > right:
            x, y = left, y + FONT + 8
        keys.append(LegendKey(name, shown, colours[name], x, y + FONT))
        x += width
    return keys, y + FONT + 6


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of the table beside a chart: its label and its cells, written out."""

    label: str
    cells: tuple[str, ...]
    total: str


# -- columns: one vertical bar per period --------------------------------------------------------

WIDTH: Final = 720
PLOT_HEIGHT: Final = 220
TOP: Final = 12


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    text: str
    y: float


@dataclass(frozen=True, slots=True)
class AxisLabel:
    text: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    total: int
    x: float
    width: float
    segments: tuple[Segment, ...]


@dataclass
class ColumnChart:
    """A chart of one vertical stacked bar per period, ready for the template to draw, with
    the numbers it draws for the table beside it."""

    title: str
    width: int = WIDTH
    height: float = 0.0
    left: float = 0.0
    top: float = TOP
    right: float = WIDTH - 8
    bottom: float = TOP + PLOT_HEIGHT
    ticks: list[Tick] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    labels: list[AxisLabel] = field(default_factory=list)
    legend: list[LegendKey] = field(default_factory=list)
    headings: tuple[str, ...] = ()
    table: list[TableRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.columns


def column_chart(
    title: str,
    bars: Sequence[tuple[str, Mapping[str, int]]],
    *,
    categories: Sequence[str] = CATEGORIES,
    names: Mapping[str, str] | None = None,
    number: Number = str,
    width: int = WIDTH,
) -> ColumnChart:
    """Lay out ``(label, counts per category)`` bars, in order, as vertical stacked bars on
    one axis of round ticks. Labels under the bars are thinned to every k-th bar when they
    would touch; the table keeps every bar's label and counts."""
    names = dict(names or {})
    chart = ColumnChart(title, width=width, right=width - 8)
    if not bars:
        return chart
    colours = colours_of(categories)
    top = max(max(sum(c.values()) for _, c in bars), 1)
    step = nice_step(top)
    axis_max = step * math.ceil(top / step)
    values = range(0, axis_max + 1, step)
    chart.left = max(text_width(number(v)) for v in values) + 12
    plot_width = chart.right - chart.left
    # The scale leaves room for every segment drawn at its shortest.
    scale = (PLOT_HEIGHT - MIN_SEGMENT * len(categories)) / axis_max
    chart.ticks = [Tick(v, number(v), chart.bottom - scale * v) for v in values]
    slot = plot_width / len(bars)
    bar_width = max(1.0, min(48.0, slot * 0.72))
    widest = max(text_width(label) for label, _ in bars) + 8
    every = max(1, math.ceil(widest / slot))
    label_end = -math.inf
    for i, (label, counts) in enumerate(bars):
        x = chart.left + i * slot + (slot - bar_width) / 2
        texts = {c: f"{label}: {number(counts.get(c, 0))} {names.get(c, c)}" for c in categories}
        segments = stack(
            ((c, counts.get(c, 0)) for c in categories),
            start=chart.bottom,
            scale=scale,
            across=x,
            thickness=bar_width,
            vertical=True,
            colours=colours,
            texts=texts,
        )
        chart.columns.append(Column(label, sum(counts.values()), x, bar_width, segments))
        half = text_width(label) / 2
        centre = min(max(x + bar_width / 2, half), chart.width - half)
        # Every k-th label; one pushed in from the edge may still meet the one before it.
        if i % every == 0 and centre - half >= label_end + 4:
            chart.labels.append(AxisLabel(label, centre, chart.bottom + FONT + 6))
            label_end = centre + half
        chart.table.append(
            TableRow(
                label,
                tuple(number(counts.get(c, 0)) for c in categories),
                number(sum(counts.values())),
            )
        )
    chart.legend, chart.height = legend(
        categories, names, colours, left=chart.left, top=chart.bottom + FONT + 16, right=width
    )
    chart.headings = tuple(names.get(c, c) for c in categories)
    return chart


# -- rows: one horizontal bar per row of a table -------------------------------------------------


def _clip(segments: tuple[Segment, ...], end: float) -> tuple[Segment, ...]:
    """The segments of a bar cut at ``end``, each keeping a share of what is left as long as
    its share of the bar (so every count stays drawn, none under :data:`MIN_SEGMENT`)."""
    if not segments or segments[-1].x + segments[-1].width <= end:
        return segments
    start = segments[0].x
    total = sum(s.count for s in segments)
    room = end - start - MIN_SEGMENT * len(segments)
    cut = []
    x = start
    for s in segments:
        width = MIN_SEGMENT + room * s.count / total
        cut.append(Segment(s.category, s.count, x, s.y, width, s.height, s.colour, s.text))
        x += width
    return tuple(cut)


ROW_HEIGHT: Final = 16.0
ROW_GAP: Final = 6.0
#: The widest a row label may run before it is shortened.
ROW_LABEL_ROOM: Final = 190.0


@dataclass(frozen=True, slots=True)
class RowBar:
    """A row's bar: its label as drawn and in full, its segments, its total as shown and
    how many of its counts have no segment because they are not shown."""

    label: str
    full_label: str
    y: float
    text_y: float
    segments: tuple[Segment, ...]
    total: str
    hidden: int
    total_x: float
    #: Whether the bar is cut short of its length (its total says how long it is).
    clipped: bool = False


@dataclass
class RowsChart:
    """The geometry of a chart of one horizontal bar per row, ready for the template, with
    the numbers it draws for the table beside it."""

    title: str
    width: int
    height: float
    label_x: float
    bars: list[RowBar]
    legend: list[LegendKey]
    headings: tuple[str, ...] = ()
    table: list[TableRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.bars


def rows_chart(
    title: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int | None], str]],
    *,
    names: Mapping[str, str] | None = None,
    number: Number = str,
    width: int = WIDTH,
    hidden_text: str = "{n} hidden",
    clip_last: bool = False,
) -> RowsChart:
    """Lay out ``(label, counts, total)`` rows as one horizontal stacked bar each, a segment
    per count in ``columns`` order, all on the scale of the widest row. A count that is None
    is not shown: it has no segment and is counted in its row's ``hidden``.
    ``hidden_text`` says how many (``{n}``) after the total. With ``clip_last`` (the last row
    sums the rest, "other"), a last row more than twice the widest other row is drawn cut at
    the end of the bars (``clipped``), its total written beside it as always."""
    names = dict(names or {})
    colours = colours_of(columns)
    room = min(
        ROW_LABEL_ROOM, width * 0.3, max([text_width(label) for label, _, _ in rows] + [0.0])
    )
    label_x = room + 6
    start = label_x + 6

    def after(total: str, hidden: int) -> str:
        return f"{total} ({hidden_text.format(n=hidden)})" if hidden else total

    ends = [text_width(after(total, sum(n is None for n in counts))) for _, counts, total in rows]
    span = width - start - max([*ends, 0.0]) - 10
    sums = [sum(n or 0 for n in counts) for _, counts, _ in rows]
    widest = max([*sums, 1])
    # A last row of "the rest" far larger than every named row would flatten them all: the
    # scale is then the named rows', and that row is cut at the end of the bars.
    named = max([*sums[:-1], 1])
    cut = clip_last and len(rows) > 1 and sums[-1] > 2 * named
    scale = (span - MIN_SEGMENT * len(columns)) / (named if cut else widest)
    bars = []
    table = []
    for i, (label, counts, total) in enumerate(rows):
        y = i * (ROW_HEIGHT + ROW_GAP)
        texts = {
            name: f"{label}: {names.get(name, name)} {number(n)}"
            for name, n in zip(columns, counts, strict=True)
            if n is not None
        }
        segments = stack(
            ((name, n or 0) for name, n in zip(columns, counts, strict=True)),
            start=start,
            scale=scale,
            across=y,
            thickness=ROW_HEIGHT,
            colours=colours,
            texts=texts,
        )
        clipped = cut and i == len(rows) - 1
        if clipped:
            segments = _clip(segments, start + span)
        end = segments[-1].x + segments[-1].width if segments else start
        hidden = sum(n is None for n in counts)
        bars.append(
            RowBar(
                shortened(label, room),
                label,
                y,
                y + ROW_HEIGHT - 4,
                segments,
                after(total, hidden),
                hidden,
                end + 4,
                clipped,
            )
        )
        table.append(TableRow(label, tuple("" if n is None else number(n) for n in counts), total))
    keys, bottom = legend(
        columns,
        names,
        colours,
        left=start,
        top=len(rows) * (ROW_HEIGHT + ROW_GAP) + 4,
        right=width,
    )
    return RowsChart(
        title=title,
        width=width,
        height=bottom,
        label_x=label_x,
        bars=bars,
        legend=keys,
        headings=tuple(names.get(c, c) for c in columns),
        table=table,
    )
