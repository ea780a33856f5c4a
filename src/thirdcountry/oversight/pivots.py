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
    """``frame``'s ``values`` summed with ``index`` down and ``on`` across: the columns in
    ``order`` first (those present), then any others sorted, then :data:`TOTAL`; rows by
    total, largest first (ties by ``index``). A missing combination counts 0."""
    if frame.is_empty():
        return pl.DataFrame(schema={index: frame.schema.get(index, pl.String), TOTAL: pl.Int64})
    wide = (
        frame.group_by(index, on)
        .agg(pl.col(values).sum())
        .pivot(on=on, index=index, values=values, aggregate_function="sum")
        .fill_null(0)
    )
    present = [c for c in wide.columns if c != index]
    columns = [c for c in order if c in present] + sorted(c for c in present if c not in order)
    return (
        wide.select(index, *columns)
        .with_columns(pl.sum_horizontal(*columns).cast(pl.Int64).alias(TOTAL))
        .sort([TOTAL, index], descending=[True, False], nulls_last=True)
    )
