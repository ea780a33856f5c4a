"""Statistics turned for reading: one dimension down, another across, a total per row, the
largest rows first (destination by verdict, arrangement by period)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

#: The name of the total column of a pivot.
TOTAL = "total"


def pivot(
    frame: pl.DataFrame,
    index: str,
    on: str,
    *,
    order: Sequence[str] = (),
    values: str = "transfers",
) -> pl.DataFrame:
    """``frame``'s ``values`` summed with ``index`` down and ``on`` across: every column of
    ``order`` first (one no row has counts 0), then any others sorted, then :data:`TOTAL`;
    rows by total, largest first (ties by ``index``). A missing combination counts 0."""
    if frame.is_empty():
        schema = {index: frame.schema.get(index, pl.String)}
        return pl.DataFrame(schema=schema | dict.fromkeys([*order, TOTAL], pl.Int64))
    wide = (
        frame.group_by(index, on)
        .agg(pl.col(values).sum())
        .pivot(on=on, index=index, values=values, aggregate_function="sum")
        .fill_null(0)
    )
    present = [c for c in wide.columns if c != index]
    columns = list(order) + sorted(c for c in present if c not in order)
    return (
        wide.with_columns(pl.lit(0, dtype=pl.Int64).alias(c) for c in order if c not in present)
        .select(index, *columns)
        .with_columns(pl.sum_horizontal(*columns).cast(pl.Int64).alias(TOTAL))
        .sort([TOTAL, index], descending=[True, False], nulls_last=True)
    )
