"""Writing many rows at once: one statement per chunk of rows, not one per row.

On PostgreSQL rows stream with ``COPY … FROM STDIN`` as CSV that Polars writes; on SQLite
they travel as one JSON parameter per chunk that the database unpacks itself
(``json_each``). Either way the number of statements does not grow with the number of rows
below ``CHUNK``, no parameter limit applies, and rows are encoded by Polars column by
column, never one Python object at a time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from thirdcountry.cases.models import LatestScreening, Screening
from thirdcountry.rules.catalog import Catalog

CHUNK = 20_000


def insert_frame(
    model: type[Model], frame: pl.DataFrame, constants: dict[str, Any] | None = None
) -> int:
    """Insert every row of ``frame`` (columns named by field attname; JSON fields as Polars
    lists or structs) into ``model``'s table, with ``constants`` (attname to a Python value)
    the same for every row. PostgreSQL: ``COPY … FROM STDIN`` of CSV that Polars writes;
    SQLite: one ``INSERT … SELECT … FROM json_each(…)`` per chunk."""
    if frame.is_empty():
        return 0
    constants = constants or {}
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        encoded = frame.with_columns(
            _json_text(name)
            for name in frame.columns
            if fields[name].get_internal_type() == "JSONField"
        ).with_columns(
            pl.lit(_text(fields[name], value), dtype=pl.String).alias(name)
            for name, value in constants.items()
        )
        columns = list(encoded.columns)
        names = ", ".join(quote(fields[c].column) for c in columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN WITH (FORMAT csv)"
            ) as copy,
        ):
            for start in range(0, encoded.height, CHUNK):
                copy.write(
                    encoded.slice(start, CHUNK).write_csv(include_header=False, null_value="")
                )
        return frame.height
    columns = list(frame.columns)
    names = ", ".join(quote(fields[c].column) for c in [*constants, *columns])
    prefix = ", ".join(["%s"] * len(constants)) + (", " if constants else "")
    values = ", ".join(
        f"json(json_extract(j.value, '$.{c}'))"
        if fields[c].get_internal_type() == "JSONField"
        else f"json_extract(j.value, '$.{c}')"
        for c in columns
    )
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
        f"SELECT {prefix}{values} FROM json_each(%s) AS j"
    )
    adapted = [_adapt(fields[name], value) for name, value in constants.items()]
    encoded_rows = frame.select(pl.struct(pl.all()).struct.json_encode()).to_series()
    with connection.cursor() as cursor:
        for start in range(0, len(encoded_rows), CHUNK):
            rows = encoded_rows.slice(start, CHUNK)
            cursor.execute(sql, [*adapted, "[" + ",".join(rows) + "]"])
    return frame.height


def _json_text(name: str) -> pl.Expr:
    """A column as JSON text (Polars encodes structs only, so wrap and unwrap)."""
    return (
        pl.struct(pl.col(name).alias("v"))
        .struct.json_encode()
        .str.strip_prefix('{"v":')
        .str.strip_suffix("}")
        .alias(name)
    )


def _text(field: Any, value: Any) -> str | None:
    """A constant as PostgreSQL reads it from CSV."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _adapt(field: Any, value: Any) -> Any:
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value(value)
    if kind == "DateField":
        return connection.ops.adapt_datefield_value(value)
    return value


#: Fixed seed, so the digest of the same finding is the same in every process.
_DIGEST_SEED = 20261
_DIGEST_MULTIPLIER = 1099511628211
_LETTER = {"pass": "p", "review": "r", "blocked": "b"}


def finding_digest(rule_id: str) -> pl.Expr:
    """A 64-bit digest of one rule's finding (outcome and reason) in a findings table."""
    outcome = pl.col(rule_id).struct.field("outcome").cast(pl.String)
    reason = pl.col(rule_id).struct.field("reason")
    return outcome.hash(seed=_DIGEST_SEED) * pl.lit(
        _DIGEST_MULTIPLIER, dtype=pl.UInt64
    ) + reason.hash(seed=_DIGEST_SEED)


def change_keys(catalog: Catalog) -> list[pl.Expr]:
    """``outcomes`` (a letter per rule) and ``finding_digests`` (a digest per rule) of each
    row of a findings table, in catalog order: what the next run compares against."""
    return [
        pl.concat_str(
            [
                pl.col(rule_id).struct.field("outcome").cast(pl.String).replace_strict(_LETTER)
                for rule_id in catalog.ids
            ]
        ).alias("outcomes"),
        pl.concat_str(
            [finding_digest(rule_id).cast(pl.String) for rule_id in catalog.ids], separator=","
        ).alias("finding_digests"),
    ]


def findings_long(table: pl.DataFrame, catalog: Catalog, key: str) -> pl.DataFrame:
    """The findings of a findings table, one row per (``key``, rule): rule, outcome, reason,
    with ``position`` the rule's place in the catalog."""
    order = pl.DataFrame(
        {"rule": list(catalog.ids), "position": list(range(len(catalog.ids)))},
        schema={"rule": pl.String, "position": pl.Int64},
    )
    return (
        table.select(key, *catalog.ids)
        .unpivot(on=list(catalog.ids), index=key, variable_name="rule")
        .unnest("value")
        .with_columns(pl.col("outcome").cast(pl.String))
        .join(order, on="rule")
    )


def findings_lists(table: pl.DataFrame, catalog: Catalog, key: str) -> pl.DataFrame:
    """Per ``key``, its findings as a list of {rule, outcome, reason} in catalog order.

    Built in long form and grouped: much faster than concatenating struct columns.
    """
    return (
        findings_long(table, catalog, key)
        .sort(key, "position")
        .group_by(key, maintain_order=True)
        .agg(pl.struct("rule", "outcome", "reason").alias("findings"))
    )


def insert_screenings(
    table: pl.DataFrame, as_of: date, catalog: Catalog, run_id: int | None = None
) -> int:
    """Store one screening per row of ``table``: a findings table with ``transfer_id`` (and
    ``outcomes`` and ``finding_digests``, computed here when missing)."""
    if "finding_digests" not in table.columns:
        table = table.with_columns(change_keys(catalog))
    rows = table.select(
        "transfer_id",
        pl.col("verdict").cast(pl.String),
        "facts_sha256",
        "outcomes",
        "finding_digests",
    ).join(findings_lists(table, catalog, "transfer_id"), on="transfer_id", how="left")
    return insert_frame(
        Screening,
        rows,
        {
            "run_id": run_id,
            "screened_at": timezone.now(),
            "as_of": as_of,
            "catalog": catalog.version,
        },
    )


_LATEST_COLUMNS = "transfer_id, screening_id, verdict, catalog, outcomes, finding_digests"
_LATEST_SOURCE = "transfer_id, id, verdict, catalog, outcomes, finding_digests"
_LATEST_CONFLICT = (
    "ON CONFLICT (transfer_id) DO UPDATE SET screening_id = excluded.screening_id, "
    "verdict = excluded.verdict, catalog = excluded.catalog, outcomes = excluded.outcomes, "
    "finding_digests = excluded.finding_digests"
)


def refresh_latest(transfer_ids: list[int]) -> None:
    """Point each of these transfers at its latest stored screening (after screenings were
    taken back), in slices under the databases' parameter limits."""
    quote = connection.ops.quote_name
    latest = quote(LatestScreening._meta.db_table)
    screening = quote(Screening._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(transfer_ids), 10_000):
            ids = transfer_ids[start : start + 10_000]
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"INSERT INTO {latest} ({_LATEST_COLUMNS}) "
                f"SELECT {_LATEST_SOURCE} FROM {screening} "
                f"WHERE id IN (SELECT MAX(id) FROM {screening} "
                f"WHERE transfer_id IN ({marks}) GROUP BY transfer_id) {_LATEST_CONFLICT}",
                ids,
            )


def point_latest_at_run(run_id: int) -> None:
    """After a run stored its screenings, make them the latest of their transfers."""
    quote = connection.ops.quote_name
    latest = quote(LatestScreening._meta.db_table)
    screening = quote(Screening._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {latest} ({_LATEST_COLUMNS}) "
            f"SELECT {_LATEST_SOURCE} FROM {screening} WHERE run_id = %s {_LATEST_CONFLICT}",
            [run_id],
        )
