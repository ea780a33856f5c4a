"""Charts laid out on the server: transfers per month for the pages, one bar per row of a
table for a public release, both stacked the same way."""

from __future__ import annotations

from datetime import date

import pytest

from thirdcountry.charts import (
    PALETTE,
    ROW_BAR,
    ROW_LABELS,
    months_between,
    nice_step,
    rows_chart,
    transfers_chart,
)


def test_the_chart_lays_out_a_bar_per_destination_and_month() -> None:
    chart = transfers_chart(
        [
            (date(2025, 3, 1), "RW", "executed", 1),
            (date(2025, 9, 1), "RW", "blocked", 2),
            (date(2025, 9, 1), "RW", "clear", 1),
            (date(2025, 9, 1), "SV", "blocked", 1),
        ]
    )
    assert [g.month for g in chart.groups] == months_between(date(2025, 3, 1), date(2025, 9, 1))
    assert len(chart.groups) == 7
    september = chart.groups[-1]
    assert [b.destination for b in september.bars] == ["RW", "SV"]
    rw = september.bars[0]
    assert rw.total == 3
    assert [s.category for s in rw.segments] == ["clear", "blocked"]
    # stacked: each segment sits on the one below, and the tallest bar reaches the top tick
    assert rw.segments[0].y == pytest.approx(rw.segments[1].y + rw.segments[1].height)
    assert chart.ticks[0].value == 0 and chart.ticks[-1].value == 3
    assert rw.segments[1].y == pytest.approx(chart.ticks[-1].y)
    assert chart.groups[1].bars == ()
    assert transfers_chart([]).empty


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
        ],
    )
    executed, proposed, none = chart.bars
    # the widest row spans the whole bar; segments follow each other from the labels on
    assert [s.category for s in executed.segments] == ["clear", "blocked"]
    assert executed.segments[0].x == ROW_LABELS
    assert executed.segments[1].x == pytest.approx(ROW_LABELS + ROW_BAR * 20 / 30)
    last = executed.segments[-1]
    assert last.x + last.width == pytest.approx(ROW_LABELS + ROW_BAR)
    assert executed.total_x == pytest.approx(ROW_LABELS + ROW_BAR + 4)
    # a count not shown has no segment and is counted as hidden; zero draws nothing
    assert (executed.hidden, proposed.hidden, none.hidden) == (1, 1, 0)
    assert [s.count for s in proposed.segments] == [5]
    assert none.segments == () and none.total_x == ROW_LABELS + 4
    # each column keeps its colour in every row and in the legend
    assert [k.colour for k in chart.legend] == list(PALETTE[:3])
    assert [s.colour for s in executed.segments] == [PALETTE[0], PALETTE[2]]
    assert proposed.segments[0].colour == PALETTE[1]
    assert chart.bars[1].y > chart.bars[0].y and chart.legend_y > chart.bars[-1].y
