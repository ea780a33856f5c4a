"""Writing many screenings at once: one statement per chunk of rows, not one per row.

The rows travel as one JSON parameter that the database unpacks itself (``json_each`` on
SQLite, ``json_to_recordset`` on PostgreSQL), so the number of statements does not grow
with the number of transfers below ``CHUNK`` and the database's parameter limit never
applies.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from thirdcountry.cases.models import Screening, Transfer
from thirdcountry.rules.catalog import Catalog

CHUNK = 20_000

_SQLITE = """
INSERT INTO {screening}
    (transfer_id, run_id, screened_at, as_of, catalog, verdict, facts_sha256, findings,
     findings_sha256)
SELECT t.id, %s, %s, %s, %s,
       json_extract(j.value, '$.verdict'),
       json_extract(j.value, '$.facts_sha256'),
       json_extract(j.value, '$.findings'),
       json_extract(j.value, '$.findings_sha256')
FROM json_each(%s) AS j
JOIN {transfer} AS t ON t.ref = json_extract(j.value, '$.transfer')
"""

_POSTGRESQL = """
INSERT INTO {screening}
    (transfer_id, run_id, screened_at, as_of, catalog, verdict, facts_sha256, findings,
     findings_sha256)
SELECT t.id, %s, %s, %s, %s, r.verdict, r.facts_sha256, r.findings, r.findings_sha256
FROM json_to_recordset(%s::json)
     AS r(transfer text, verdict text, facts_sha256 text, findings jsonb, findings_sha256 text)
JOIN {transfer} AS t ON t.ref = r.transfer
"""


def findings_list(catalog: Catalog) -> pl.Expr:
    """The findings of a findings table's row as a list of {rule, outcome, reason}."""
    return pl.concat_list(
        [
            pl.struct(
                pl.lit(rule_id).alias("rule"),
                pl.col(rule_id).struct.field("outcome").cast(pl.String).alias("outcome"),
                pl.col(rule_id).struct.field("reason").alias("reason"),
            )
            for rule_id in catalog.ids
        ]
    )


def with_findings_sha256(table: pl.DataFrame, catalog: Catalog) -> pl.DataFrame:
    """The findings table with ``findings_sha256``: the hash of its encoded findings."""
    encoded = table.select(
        pl.struct(findings_list(catalog).alias("findings")).struct.json_encode()
    ).to_series()
    return table.with_columns(
        pl.Series(
            "findings_sha256",
            [hashlib.sha256(text.encode()).hexdigest() for text in encoded],
            dtype=pl.String,
        )
    )


def insert_screenings(
    table: pl.DataFrame, as_of: date, catalog: Catalog, run_id: int | None = None
) -> int:
    """Store one screening row per row of ``table`` (a findings table with
    ``findings_sha256``); returns the count."""
    sql = (_POSTGRESQL if connection.vendor == "postgresql" else _SQLITE).format(
        screening=connection.ops.quote_name(Screening._meta.db_table),
        transfer=connection.ops.quote_name(Transfer._meta.db_table),
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    day = connection.ops.adapt_datefield_value(as_of)
    if "findings_sha256" not in table.columns:
        table = with_findings_sha256(table, catalog)
    encoded = table.select(
        pl.struct(
            "transfer",
            pl.col("verdict").cast(pl.String),
            "facts_sha256",
            findings_list(catalog).alias("findings"),
            "findings_sha256",
        ).struct.json_encode()
    ).to_series()
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(encoded), CHUNK):
            rows = encoded.slice(start, CHUNK)
            cursor.execute(sql, [run_id, now, day, catalog.version, "[" + ",".join(rows) + "]"])
            written += rows.len()
    return written


_TYPES = {
    "BigAutoField": "bigint",
    "BigIntegerField": "bigint",
    "ForeignKey": "bigint",
    "CharField": "text",
    "TextField": "text",
    "JSONField": "jsonb",
    "DateField": "date",
    "BooleanField": "boolean",
    "PositiveIntegerField": "integer",
    "FloatField": "double precision",
}


def insert_rows(model: type[Model], rows: list[dict[str, Any]]) -> int:
    """Insert plain rows (column name to value; JSON fields as Python values) into
    ``model``'s table, one statement per ``CHUNK`` rows."""
    if not rows:
        return 0
    fields = {f.attname: f for f in model._meta.concrete_fields}
    columns = list(rows[0])
    quote = connection.ops.quote_name
    names = ", ".join(quote(fields[c].column) for c in columns)
    if connection.vendor == "postgresql":
        types = ", ".join(f"{quote(c)} {_TYPES[fields[c].get_internal_type()]}" for c in columns)
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
            f"SELECT {', '.join(quote(c) for c in columns)} "
            f"FROM json_to_recordset(%s::json) AS r({types})"
        )
    else:
        values = ", ".join(
            f"json(json_extract(j.value, '$.{c}'))"
            if fields[c].get_internal_type() == "JSONField"
            else f"json_extract(j.value, '$.{c}')"
            for c in columns
        )
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
            f"SELECT {values} FROM json_each(%s) AS j"
        )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.execute(sql, [json.dumps(rows[start : start + CHUNK], default=str)])
    return len(rows)
