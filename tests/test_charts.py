"""Charts laid out on the server from aggregated counts: periods chosen by the span, the
largest groups named and the rest as "other", no count lost or invented, no mark too thin to
see and no label over another, at any number of transfers."""

from __future__ import annotations

import itertools
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thirdcountry.charts import (
    CATEGORIES,
    FONT,
    MIN_SEGMENT,
    MOST_PERIODS,
    Period,
    by_period,
    column_chart,
    months_between,
    nice_step,
    period_months,
    rows_chart,
    text_width,
    top_and_other,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
categories = st.sampled_from(CATEGORIES)
counts = st.integers(min_value=0, max_value=10**7)


# No deadline: on a busy machine a slow example is not a wrong one.
@settings(deadline=None)
@given(st.lists(st.tuples(days, categories, counts), max_size=60), st.integers(1, 30))
def test_periods_neither_lose_nor_invent_counts_and_stay_few(
    rows: list[tuple[date, str, int]], most: int
) -> None:
    periods = by_period(rows, most)
    assert len(periods) <= most
    for category in CATEGORIES:
        assert sum(cell.get(category, 0) for _, cell in periods) == sum(
            n for _, c, n in rows if c == category
        )
    # one grain, in order, each period right after the one before, every day inside one
    assert len({p.months for p, _ in periods}) <= 1
    starts = [p.start for p, _ in periods]
    assert starts == sorted(starts)
    for before, after in itertools.pairwise(periods):
        assert months_between(before[0].start, after[0].start)[-1] == after[0].start
        assert len(months_between(before[0].start, after[0].start)) == before[0].months + 1
    for day, _, _ in rows:
        assert any(p.start <= day and _ends_after(p, day) for p, _ in periods)


def _ends_after(period: Period, day: date) -> bool:
    return (day.year * 12 + day.month) < (period.start.year * 12 + period.start.month) + (
        period.months
    )


# No deadline: on a busy machine a slow example is not a wrong one.
@settings(deadline=None)
@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=4), categories, counts), max_size=80),
    st.integers(1, 12),
)
def test_groups_keep_every_count_and_name_at_most_the_top_ones(
    rows: list[tuple[str, str, int]], top: int
) -> None:
    groups = top_and_other(rows, top=top, other="\x00other")
    assert len(groups) <= top + 1
    assert sum(sum(cell.values()) for _, cell in groups) == sum(n for _, _, n in rows)
    named = [g for g, _ in groups if g != "\x00other"]
    totals = [sum(cell.values()) for g, cell in groups if g != "\x00other"]
    assert totals == sorted(totals, reverse=True)
    assert len(set(named)) == len(named)


def test_the_span_chooses_months_quarters_years_or_runs_of_years() -> None:
    assert period_months(date(2025, 1, 1), date(2026, 12, 1)) == 1
    assert period_months(date(2025, 1, 1), date(2027, 1, 1)) == 3
    assert period_months(date(2020, 1, 1), date(2030, 12, 1)) == 12
    assert period_months(date(1980, 1, 1), date(2030, 12, 1)) == 36
    assert Period(date(2025, 7, 1), 3).label() == "2025 Q3"
    assert Period(date(2019, 1, 1), 36).label() == "2019\u20132021"


def _boxes_apart(boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether no two (x0, y0, x1, y1) boxes overlap."""
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                return False
    return True


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.dictionaries(categories, st.integers(0, 10**6), min_size=1),
        min_size=1,
        max_size=MOST_PERIODS,
    ),
    st.sampled_from([360, 720]),
)
def test_columns_are_never_too_thin_and_their_labels_never_touch(
    cells: list[dict[str, int]], width: int
) -> None:
    bars = [(f"Sept. {2000 + i}", cell) for i, cell in enumerate(cells)]
    chart = column_chart("t", bars, number=lambda n: f"{n:,}", width=width)
    for column in chart.columns:
        assert column.width >= 1
        for segment in column.segments:
            assert segment.height >= MIN_SEGMENT and segment.width > 0
            assert segment.y >= chart.top - 0.01  # the tallest stack stays inside the plot
    labels = [
        (a.x - text_width(a.text) / 2, a.y - FONT, a.x + text_width(a.text) / 2, a.y)
        for a in chart.labels
    ]
    assert _boxes_apart(labels)
    assert all(box[0] >= 0 and box[2] <= chart.width for box in labels)
    ticks = [
        (chart.left - 6 - text_width(t.text), t.y - 7, chart.left - 6, t.y + 4) for t in chart.ticks
    ]
    assert all(box[0] >= 0 for box in ticks) and _boxes_apart(ticks)
    assert len(chart.table) == len(cells)


def test_one_column_per_period_stacks_its_verdicts() -> None:
    chart = column_chart(
        "Transfers",
        [("2025-08", {"clear": 1}), ("2025-09", {"clear": 1, "blocked": 2})],
        names={"clear": "clear", "blocked": "blocked"},
    )
    september = chart.columns[1]
    assert september.total == 3
    assert [s.category for s in september.segments] == ["clear", "blocked"]
    lower, upper = september.segments
    assert lower.y == pytest.approx(upper.y + upper.height)
    assert chart.ticks[0].value == 0 and chart.ticks[-1].value == 3
    assert [row.total for row in chart.table] == ["1", "3"]
    assert column_chart("empty", []).empty


def test_axis_steps_are_round() -> None:
    assert nice_step(4) == 1
    assert nice_step(37) == 10
    assert nice_step(120) == 50
    assert nice_step(1_000_000) == 200_000


def test_a_table_chart_draws_a_bar_per_row_without_the_counts_not_shown() -> None:
    chart = rows_chart(
        "Transfers by status",
        ["clear", "review", "blocked"],
        [
            ("executed", [20, None, 10], "34"),
            ("proposed", [0, 5, None], "x"),
            ("none", [0, 0, 0], "0"),
            ("a label far too long to be drawn in full beside its bar", [1, 0, 0], "1"),
        ],
    )
    executed, proposed, none, long = chart.bars
    # the widest row is the longest; segments follow each other from the labels on
    assert [s.category for s in executed.segments] == ["clear", "blocked"]
    first, second = executed.segments
    assert second.x == pytest.approx(first.x + first.width)
    assert first.width == pytest.approx(2 * second.width)
    # a count not shown has no segment and is counted as hidden; zero draws nothing
    assert (executed.hidden, proposed.hidden, none.hidden) == (1, 1, 0)
    assert executed.total == "34 (1 hidden)"
    assert [s.count for s in proposed.segments] == [5]
    assert none.segments == ()
    # one transfer among tens is still drawn; a long label is cut, kept whole in its title
    assert long.segments[0].width >= MIN_SEGMENT
    assert long.label.endswith("…") and long.full_label.startswith("a label far")
    assert text_width(long.label) <= chart.label_x
    # each column keeps its colour in every row and in the legend
    assert [k.colour for k in chart.legend] == [
        executed.segments[0].colour,
        proposed.segments[0].colour,
        executed.segments[1].colour,
    ]
    assert chart.bars[1].y > chart.bars[0].y and chart.legend[0].y > chart.bars[-1].y
    assert [row.cells for row in chart.table][:2] == [("20", "", "10"), ("0", "5", "")]


def test_a_million_transfers_chart_as_few_readable_bars() -> None:
    """A million generated transfers over eleven years and forty destinations, counted by
    Polars as the statistics count them: the chart draws at most its bars, every count."""
    n = 1_000_000
    frame = pl.DataFrame(
        {
            "i": pl.int_range(0, n, eager=True),
        }
    ).select(
        (pl.date(2015, 1, 1) + pl.duration(days=pl.col("i") % 4000)).alias("day"),
        pl.format("D{}", (pl.col("i") * 7919) % 40).alias("destination"),
        pl.lit(pl.Series(list(CATEGORIES[:4]))).gather(pl.col("i") % 4).alias("category"),
    )
    aggregated = (
        frame.with_columns(pl.col("day").dt.truncate("1mo"))
        .group_by("day", "destination", "category")
        .len()
    )
    rows = list(aggregated.iter_rows())
    periods = by_period(((d, c, k) for d, _, c, k in rows), MOST_PERIODS)
    groups = top_and_other(((g, c, k) for _, g, c, k in rows), other="other")
    assert len(periods) == 11 and periods[0][0].grain == "year"  # 2015 to 2025
    assert len(groups) == 9 and groups[-1][0] == "other"
    assert sum(sum(cell.values()) for _, cell in periods) == n
    assert sum(sum(cell.values()) for _, cell in groups) == n
    chart = column_chart("t", [(p.label(), cell) for p, cell in periods], number=lambda v: f"{v:,}")
    assert all(s.height >= MIN_SEGMENT for c in chart.columns for s in c.segments)


def test_a_rest_far_larger_than_every_named_row_is_cut_not_flattening_them() -> None:
    rows = [("RW", [60, 40], "100"), ("SV", [5, 5], "10"), ("other", [3000, 1], "3,001")]
    flat = rows_chart("t", ["clear", "blocked"], rows)
    cut = rows_chart("t", ["clear", "blocked"], rows, clip_last=True)
    assert not flat.bars[-1].clipped and cut.bars[-1].clipped
    rw_flat = sum(s.width for s in flat.bars[0].segments)
    rw_cut = sum(s.width for s in cut.bars[0].segments)
    assert rw_cut > 10 * rw_flat
    other = cut.bars[-1]
    assert other.segments[-1].x + other.segments[-1].width <= other.total_x
    assert other.total_x + text_width(other.total) <= cut.width
    assert all(s.width >= MIN_SEGMENT for s in other.segments)
    assert [s.count for s in other.segments] == [3000, 1]
    # a rest no larger than twice the widest named row is drawn to scale
    to_scale = rows_chart("t", ["clear"], [("a", [10], "10"), ("o", [20], "20")], clip_last=True)
    assert not to_scale.bars[-1].clipped


# No deadline: on a busy machine a slow example is not a wrong one.
@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=30), st.lists(counts, min_size=3, max_size=3)),
        min_size=1,
        max_size=9,
    ),
    st.booleans(),
    st.sampled_from([360, 720]),
)
def test_rows_are_never_too_thin_and_never_leave_their_drawing(
    rows: list[tuple[str, list[int]]], clip: bool, width: int
) -> None:
    chart = rows_chart(
        "t",
        ["clear", "review", "blocked"],
        [(label, cells, f"{sum(cells):,}") for label, cells in rows],
        clip_last=clip,
        width=width,
    )
    for bar in chart.bars:
        assert all(s.width >= MIN_SEGMENT for s in bar.segments)
        assert text_width(bar.label) <= chart.label_x
        assert bar.total_x + text_width(bar.total) <= width + 0.01
