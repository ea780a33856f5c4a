"""Pivots of statistics: every count lands in exactly one cell, every ordered column is
shown, rows come largest first."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from thirdcountry.oversight.pivots import TOTAL, pivot

VERDICTS = ("clear", "review", "blocked", "unscreened")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["RW", "SV", "LY", "UG", None]),
            st.sampled_from(VERDICTS),
            st.integers(0, 10**6),
        ),
        max_size=40,
    )
)
def test_a_pivot_keeps_every_count_and_shows_every_ordered_column(
    rows: list[tuple[str | None, str, int]],
) -> None:
    frame = pl.DataFrame(
        rows,
        schema={"destination": pl.String, "verdict": pl.String, "transfers": pl.Int64},
        orient="row",
    )
    wide = pivot(frame, "destination", "verdict", order=VERDICTS)
    assert wide.columns == ["destination", *VERDICTS, TOTAL]
    assert wide[TOTAL].sum() == sum(n for _, _, n in rows)
    for verdict in VERDICTS:
        assert wide[verdict].sum() == sum(n for _, v, n in rows if v == verdict)
    assert wide[TOTAL].to_list() == sorted(wide[TOTAL].to_list(), reverse=True)
    assert wide.height == len({d for d, _, _ in rows})
