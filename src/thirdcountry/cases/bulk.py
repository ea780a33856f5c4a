"""Writing many rows at once: one statement per chunk of rows, not one per row.

On PostgreSQL rows stream with ``COPY … FROM STDIN`` in the text format, which Polars
writes (PostgreSQL reads it faster than CSV when values are JSON full of quotes); on SQLite
they travel as one JSON parameter per chunk that the database unpacks itself
(``json_each``). Either way the number of statements does not grow with the number of rows
below ``CHUNK``, no parameter limit applies, and rows are encoded by Polars column by
column, never one Python object at a time.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import cache
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from thirdcountry.cases.models import LatestScreening, ScreeningRecord
from thirdcountry.findings.stored import OUTCOME_LETTERS
from thirdcountry.rules import catalogs
from thirdcountry.rules.catalog import RULE_SEP
from thirdcountry.rules.catalogs import AnyCatalog

CHUNK = 20_000
#: Up to this many rows to insert or replace, one ``INSERT … VALUES`` statement does it.
FEW = 100


def insert_frame(
    model: type[Model],
    frame: pl.DataFrame,
    constants: dict[str, Any] | None = None,
    *,
    replace_on: str | None = None,
) -> int:
    """Insert every row of ``frame`` (columns named by field attname; JSON fields as Polars
    lists or structs, or as JSON text in a string column) into ``model``'s table, with
    ``constants`` (attname to a Python value) the same for every row. PostgreSQL:
    ``COPY … FROM STDIN`` in the text format; SQLite: one ``INSERT … SELECT … FROM
    json_each(…)`` per chunk.

    With ``replace_on`` (a unique column), a row whose value there is already stored
    replaces the stored row's other columns (on PostgreSQL the rows are copied into a
    temporary table first, as ``COPY`` cannot update)."""
    if frame.is_empty():
        return 0
    constants = constants or {}
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    json_columns = {c for c in frame.columns if fields[c].get_internal_type() == "JSONField"}
    columns = [*constants, *frame.columns]
    names = ", ".join(quote(fields[c].column) for c in columns)
    on_conflict = ""
    if replace_on is not None:
        on_conflict = f" ON CONFLICT ({quote(fields[replace_on].column)}) DO UPDATE SET " + (
            ", ".join(
                f"{quote(fields[c].column)} = excluded.{quote(fields[c].column)}"
                for c in columns
                if c != replace_on
            )
        )
    if connection.vendor == "postgresql":
        encoded = frame.with_columns(
            json_text(name) for name in json_columns if frame.schema[name] != pl.String
        ).with_columns(
            pl.lit(_text(fields[name], value), dtype=pl.String).alias(name)
            for name, value in constants.items()
        )
        encoded = encoded.select(columns)
        if replace_on is not None and frame.height <= FEW:
            _insert_values(table, names, encoded, json_columns, on_conflict)
            return frame.height
        encoded = encoded.with_columns(
            _copy_text(name, json=name in json_columns)
            for name, dtype in encoded.schema.items()
            if dtype == pl.String
        )
        if replace_on is None:
            _copy(table, names, encoded)
            return frame.height
        incoming = quote(f"incoming_{uuid.uuid4().hex}")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {incoming} ON COMMIT DROP AS "
                f"SELECT {names} FROM {table} WITH NO DATA"
            )
            _copy(incoming, names, encoded)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {incoming}{on_conflict}"
            )
            # Dropped now, not only at commit: an enclosing transaction may last long.
            cursor.execute(f"DROP TABLE {incoming}")
        return frame.height
    prefix = ", ".join(["%s"] * len(constants)) + (", " if constants else "")
    values = ", ".join(
        f"json(json_extract(j.value, '$.{c}'))"
        if c in json_columns
        else f"json_extract(j.value, '$.{c}')"
        for c in frame.columns
    )
    # "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the INSERT.
    sql = f"INSERT INTO {table} ({names}) SELECT {prefix}{values} FROM json_each(%s) AS j" + (
        f" WHERE true{on_conflict}" if on_conflict else ""
    )
    adapted = [_adapt(fields[name], value) for name, value in constants.items()]
    encoded_rows = frame.select(pl.struct(pl.all()).struct.json_encode()).to_series()
    with connection.cursor() as cursor:
        for start in range(0, len(encoded_rows), CHUNK):
            rows = encoded_rows.slice(start, CHUNK)
            cursor.execute(sql, [*adapted, "[" + ",".join(rows) + "]"])
    return frame.height


def _insert_values(
    table: str, names: str, encoded: pl.DataFrame, json_columns: set[str], on_conflict: str
) -> None:
    """Insert a few rows (``encoded`` as for ``COPY``, before escaping) with one ``INSERT …
    VALUES``: no temporary table to create and drop for a single transfer's screening."""
    marks = "(" + ", ".join("%s::jsonb" if c in json_columns else "%s" for c in encoded.columns)
    values = ", ".join([marks + ")"] * encoded.height)
    params = [value for row in encoded.iter_rows() for value in row]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}{on_conflict}", params)


def _copy(table: str, names: str, encoded: pl.DataFrame) -> None:
    """Stream ``encoded`` (every column text, escaped) into ``table`` with ``COPY``."""
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for start in range(0, encoded.height, CHUNK):
            copy.write(
                encoded.slice(start, CHUNK).write_csv(
                    include_header=False, separator="\t", quote_style="never", null_value="\\N"
                )
            )


def json_text(name: str) -> pl.Expr:
    """A column as JSON text (Polars encodes structs only, so wrap and unwrap)."""
    return (
        pl.struct(pl.col(name).alias("v"))
        .struct.json_encode()
        .str.strip_prefix('{"v":')
        .str.strip_suffix("}")
        .alias(name)
    )


def _copy_text(name: str, *, json: bool = False) -> pl.Expr:
    """A text column escaped for ``COPY``'s text format: backslash first, then the
    characters that would end a value or a row (JSON text has none of those)."""
    column = pl.col(name)
    escapes = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))
    for character, escaped in escapes[:1] if json else escapes:
        column = column.str.replace_all(character, escaped, literal=True)
    return column.alias(name)


def _text(field: Any, value: Any) -> str | None:
    """A constant as PostgreSQL reads it from ``COPY``."""
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


def change_keys(catalog: AnyCatalog) -> list[pl.Expr]:
    """``outcomes`` (a letter per rule) and ``findings`` (the stored form: see
    :mod:`thirdcountry.findings.stored`) of each row of a findings table, in catalog order:
    what is stored, and what the next run compares against."""
    return list(_change_keys(catalog.ids))


@cache
def _change_keys(ids: tuple[str, ...]) -> tuple[pl.Expr, ...]:
    # Built once per catalog and process: one transfer's run would spend more on composing
    # these than on evaluating them.
    return (
        pl.concat_str(
            [
                pl.col(rule_id)
                .struct.field("outcome")
                .cast(pl.String)
                .replace_strict(OUTCOME_LETTERS)
                for rule_id in ids
            ]
        ).alias("outcomes"),
        pl.concat_str(
            [pl.col(rule_id).struct.field("finding") for rule_id in ids],
            separator=RULE_SEP,
        ).alias("findings"),
    )


def reserve_ids(model: type[Model], count: int) -> pl.Series:
    """``count`` new ids for rows of ``model`` written with their ids: from the table's id
    sequence on PostgreSQL; past the highest id ever given on SQLite, whose writers take
    turns (each write transaction holds the database's write lock from its start)."""
    if count == 0:
        return pl.Series("id", [], dtype=pl.Int64)
    table = str(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), count],
            )
            return pl.Series("id", [row[0] for row in cursor.fetchall()], dtype=pl.Int64)
        cursor.execute(
            "SELECT MAX(n) FROM (SELECT seq AS n FROM sqlite_sequence WHERE name = %s "
            f"UNION ALL SELECT MAX(id) FROM {connection.ops.quote_name(table)})",
            [table],
        )
        highest = cursor.fetchone()[0] or 0
    return pl.int_range(highest + 1, highest + 1 + count, dtype=pl.Int64, eager=True).alias("id")


def insert_screenings(
    table: pl.DataFrame, as_of: date, catalog: AnyCatalog | str, run_id: int | None = None
) -> pl.DataFrame:
    """Store one screening per row of ``table``: a findings table with ``transfer_id`` (and
    ``outcomes`` and ``findings``, computed here when missing). Returns what
    :func:`point_latest` needs to make them the transfers' latest screenings."""
    if isinstance(catalog, str):
        catalog = catalogs.any_catalog(catalog)
    if "findings" not in table.columns:
        table = table.with_columns(change_keys(catalog))
    rows = table.select(
        "transfer_id",
        pl.col("verdict").cast(pl.String),
        "facts_sha256",
        "outcomes",
        "findings",
    ).with_columns(reserve_ids(ScreeningRecord, table.height))
    insert_frame(
        ScreeningRecord,
        rows,
        {
            "run_id": run_id,
            "screened_at": timezone.now(),
            "as_of": as_of,
            "catalog": catalog.version,
        },
    )
    return rows.select(
        "transfer_id",
        pl.col("id").alias("screening_id"),
        "verdict",
        pl.lit(catalog.version).alias("catalog"),
        "outcomes",
        "findings",
    )


def point_latest(latest: pl.DataFrame) -> None:
    """Make just-stored screenings the latest of their transfers: ``latest`` has
    ``transfer_id``, ``screening_id``, ``verdict``, ``catalog``, ``outcomes`` and
    ``findings`` (what :func:`insert_screenings` returns). Written from the frame,
    so the screenings are not read back."""
    # In the order of the transfers: two runs replacing some of the same rows lock them in
    # the same order, so one waits for the other instead of each waiting for the other.
    insert_frame(LatestScreening, latest.sort("transfer_id"), replace_on="transfer_id")


def flush_at_leisure() -> None:
    """Let the current transaction commit without waiting for its log to reach the disk
    (PostgreSQL; nothing to do on SQLite).

    For a run's chunks: a crash may then lose the last chunks committed, never part of one,
    and never a chunk of a run marked complete (that later commit waits for every log
    record before it). A run left ``running`` is taken back and done again when re-run.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


_LATEST_COLUMNS = "transfer_id, screening_id, verdict, catalog, outcomes, findings"
_LATEST_SOURCE = "transfer_id, id, verdict, catalog, outcomes, findings"
_LATEST_CONFLICT = (
    "ON CONFLICT (transfer_id) DO UPDATE SET screening_id = excluded.screening_id, "
    "verdict = excluded.verdict, catalog = excluded.catalog, outcomes = excluded.outcomes, "
    "findings = excluded.findings"
)


def refresh_latest(transfer_ids: list[int]) -> None:
    """Point each of these transfers at its latest stored screening (after screenings were
    taken back), in slices under the databases' parameter limits."""
    quote = connection.ops.quote_name
    latest = quote(LatestScreening._meta.db_table)
    screening = quote(ScreeningRecord._meta.db_table)
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
