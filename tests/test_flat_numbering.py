"""A child table read without its own numbers is numbered within each parent, in the order
its rows were read: the same numbers whether a few rows are counted in Python or many by
Polars."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from thirdcountry.cases import mapping
from thirdcountry.scenario.layout import PARENT, SEQ

# Rows grouped by parent, as the reads order them: runs of parents, each a few rows long.
grouped = st.lists(st.tuples(st.integers(1, 10**9), st.integers(1, 4)), max_size=30).map(
    lambda runs: [parent for parent, length in dict(runs).items() for _ in range(length)]
)


@given(grouped)
def test_rows_are_numbered_within_their_parent(parents: list[int]) -> None:
    frame = pl.DataFrame({PARENT: parents, "country": ["RW"] * len(parents)})
    numbered = mapping._numbered(frame, 1)
    assert numbered.columns == [PARENT, SEQ, "country"]
    expected = frame.select(pl.int_range(pl.len()).over(PARENT).cast(pl.Int64).alias(SEQ))
    assert numbered[SEQ].equals(expected[SEQ])
    assert frame.columns == [PARENT, "country"]  # the frame read is left as it was


def test_many_rows_are_numbered_by_polars_the_same_way() -> None:
    parents = [parent for parent in range(mapping.NUMBERED_IN_PYTHON) for _ in range(2)]
    frame = pl.DataFrame({PARENT: parents})
    assert mapping._numbered(frame, 1)[SEQ].to_list() == [0, 1] * mapping.NUMBERED_IN_PYTHON
