"""A function remembering its last result gives what the function gives, call after call."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thirdcountry.rules.memo import Recent, last_result

frames = st.lists(
    st.tuples(st.sampled_from(["A-1", "A-2", None]), st.integers(0, 3)), max_size=4
).map(lambda rows: pl.DataFrame(rows, schema={"ref": pl.String, "cap": pl.Int64}, orient="row"))
days = st.sampled_from([date(2025, 1, 1), date(2025, 1, 2)])


def total_cap(frame: pl.DataFrame, on: date) -> pl.DataFrame:
    return frame.group_by("ref").agg(pl.col("cap").sum()).sort("ref").with_columns(on=pl.lit(on))


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(frames, days), min_size=1, max_size=8))
def test_remembered_results_are_the_functions_results(
    calls: list[tuple[pl.DataFrame, date]],
) -> None:
    remembered = last_result(total_cap)
    for frame, on in calls:
        assert remembered(frame, on).equals(total_cap(frame, on))


def test_equal_arguments_give_the_same_result_without_calling_again() -> None:
    calls: list[int] = []

    @last_result
    def height(frame: pl.DataFrame) -> int:
        calls.append(1)
        return frame.height

    first = pl.DataFrame({"ref": ["A-1"]})
    assert height(first) == 1
    assert height(pl.DataFrame({"ref": ["A-1"]})) == 1
    assert len(calls) == 1
    assert height(pl.DataFrame({"ref": ["A-1", "A-2"]})) == 2
    # A table equal in values but not in types is another argument.
    assert height(pl.DataFrame({"ref": [1]})) == 1
    assert len(calls) == 3
    with pytest.raises(TypeError):
        height(frame=first)


@settings(deadline=None, max_examples=80)
@given(
    st.integers(1, 4),
    st.lists(st.tuples(st.booleans(), st.integers(0, 6), st.integers()), max_size=40),
)
def test_recent_values_are_the_last_stored_and_only_the_least_recent_are_forgotten(
    size: int, steps: list[tuple[bool, int, int]]
) -> None:
    memory: Recent[int, int] = Recent(size)
    stored: dict[int, int] = {}
    used: list[int] = []  # keys, least recently used first
    for storing, key, value in steps:
        if storing:
            memory.put(key, value)
            stored[key] = value
        elif memory.get(key) is None:
            assert key not in used
            continue
        else:
            assert memory.get(key) == stored[key]
        used = [k for k in used if k != key] + [key]
        used = used[-size:]
        assert len(memory) == len(used)
    for key in used:
        assert memory.get(key) == stored[key]


def test_a_memory_holds_something() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Recent(0)
