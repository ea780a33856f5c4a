"""Writing many screenings at once: one statement per chunk of rows, not one per row.

The rows travel as one JSON parameter that the database unpacks itself (``json_each`` on
SQLite, ``json_to_recordset`` on PostgreSQL), so the number of statements does not grow
with the number of transfers below ``CHUNK`` and the database's parameter limit never
applies.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from django.db import connection
from django.utils import timezone

from thirdcountry.cases.models import Screening, Transfer
from thirdcountry.rules.catalog import Catalog

CHUNK = 20_000

_SQLITE = """
INSERT INTO {screening} (transfer_id, screened_at, as_of, catalog, verdict, facts_sha256, findings)
SELECT t.id, %s, %s, %s,
       json_extract(j.value, '$.verdict'),
       json_extract(j.value, '$.facts_sha256'),
       json_extract(j.value, '$.findings')
FROM json_each(%s) AS j
JOIN {transfer} AS t ON t.ref = json_extract(j.value, '$.transfer')
"""

_POSTGRESQL = """
INSERT INTO {screening} (transfer_id, screened_at, as_of, catalog, verdict, facts_sha256, findings)
SELECT t.id, %s, %s, %s, r.verdict, r.facts_sha256, r.findings
FROM json_to_recordset(%s::json)
     AS r(transfer text, verdict text, facts_sha256 text, findings jsonb)
JOIN {transfer} AS t ON t.ref = r.transfer
"""


def findings_json(table: pl.DataFrame, catalog: Catalog) -> pl.Series:
    """Each row of a findings table as one JSON object: transfer, verdict, facts hash and the
    findings in catalog order (rule, outcome, reason)."""
    findings = pl.concat_list(
        [
            pl.struct(
                pl.lit(rule_id).alias("rule"),
                pl.col(rule_id).struct.field("outcome").cast(pl.String).alias("outcome"),
                pl.col(rule_id).struct.field("reason").alias("reason"),
            )
            for rule_id in catalog.ids
        ]
    )
    return table.select(
        pl.struct(
            "transfer",
            pl.col("verdict").cast(pl.String),
            "facts_sha256",
            findings.alias("findings"),
        ).struct.json_encode()
    ).to_series()


def insert_screenings(table: pl.DataFrame, as_of: date, catalog: Catalog) -> int:
    """Store one screening row per row of ``table`` (a findings table); returns the count."""
    sql = (_POSTGRESQL if connection.vendor == "postgresql" else _SQLITE).format(
        screening=connection.ops.quote_name(Screening._meta.db_table),
        transfer=connection.ops.quote_name(Transfer._meta.db_table),
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    day = connection.ops.adapt_datefield_value(as_of)
    encoded = findings_json(table, catalog)
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(encoded), CHUNK):
            rows = encoded.slice(start, CHUNK)
            cursor.execute(sql, [now, day, catalog.version, "[" + ",".join(rows) + "]"])
            written += rows.len()
    return written
