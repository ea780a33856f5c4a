"""Digests of what a re-screening run wrote: its screenings (findings included) and its
changes, computed where the rows are, so a run of a million screenings is not read back row
by row into an entry."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from datetime import date
from typing import Any

from django.db import connection, transaction

from thirdcountry.cases.models import RunChange, ScreeningRecord
from thirdcountry.oversight.audit.digests import sha256_hex

#: The columns a run's digests cover, per table.
_RUN_SCREENING_COLUMNS = (
    "id",
    "transfer_id",
    "as_of",
    "catalog",
    "verdict",
    "facts_sha256",
    "findings",
)
_RUN_CHANGE_COLUMNS = ("id", "transfer_id", "verdict_before", "verdict_after", "rules_changed")


#: From this many rows, a run's digest is worth compiling just in time on PostgreSQL (about a
#: tenth faster at a million rows); the application's queries otherwise never are (settings).
JIT_FROM = 50_000


#: Up to this many rows, a run's digest is computed in one process of the database (a run of
#: a transfer or a few: a fact saved, a request to screen); a larger run takes one statement
#: fewer and leaves the choice to the planner.
ONE_PROCESS_UP_TO = 100


def run_digests(run_id: int, rows: int | None = None) -> dict[str, dict[str, Any]]:
    """The count and digest of the screenings (findings included) and the changes a run
    wrote; stored JSON is hashed as the database prints it, so the digests are recomputed
    on the same database, not across databases. ``rows`` is how many the run screened,
    when known."""
    screenings = (ScreeningRecord._meta.db_table, _RUN_SCREENING_COLUMNS)
    changes = (RunChange._meta.db_table, _RUN_CHANGE_COLUMNS)
    if connection.vendor == "postgresql":
        # Both in one statement: a run of one transfer is written in a few milliseconds,
        # and each round trip to a busy server costs as much.
        sql = f"SELECT * FROM ({_digest_sql(*screenings)}) AS s, ({_digest_sql(*changes)}) AS c"
        # The planner expects a run to have written as many rows as the average run, which
        # the largest runs (a million screenings) make tens of thousands: for a run of a
        # few rows it started two parallel workers (6 ms for a statement of 0.25 ms). A large
        # run's digest is compiled just in time, a small one's kept in one process; either
        # for this transaction only (set_config's "local"), which covers the audit
        # entry's few writes too when the run's caller holds the transaction.
        setting = None
        if rows is not None and rows >= JIT_FROM:
            setting = ("jit", "on")
        elif rows is not None and rows <= ONE_PROCESS_UP_TO:
            setting = ("max_parallel_workers_per_gather", "0")
        with (
            transaction.atomic(savepoint=False) if setting else nullcontext(),
            connection.cursor() as cursor,
        ):
            if setting:
                cursor.execute("SELECT set_config(%s, %s, true)", setting)
                # A statement of its own for each setting: a connection prepares a statement
                # once it has run a few times, and its plan, made under this setting, is
                # kept whatever the setting is later.
                sql = f"{sql} /* {'='.join(setting)} */"
            cursor.execute(sql, [run_id, run_id])
            count_s, digest_s, count_c, digest_c = cursor.fetchone()
        return {
            "screenings": {"count": int(count_s), "sha256": digest_s},
            "changes": {"count": int(count_c), "sha256": digest_c},
        }
    return {
        "screenings": _table_digest(*screenings, run_id),
        "changes": _table_digest(*changes, run_id),
    }


def _table_digest(table: str, columns: Sequence[str], run_id: int) -> dict[str, Any]:
    """Count and digest of the rows a run wrote to ``table``, in id order.

    Each row is its ``columns`` as text joined by tabs (JSON as the database prints it, an
    empty string for null); the digest is the SHA-256 of the rows' own SHA-256s, one per
    line. PostgreSQL computes it where the rows are (:func:`_digest_sql`, in
    :func:`run_digests`), so a run of a million screenings is not read back through Python;
    SQLite's rows are hashed here, the same way.
    """
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    sql = f"SELECT {names} FROM {quote(table)} WHERE run_id = %s ORDER BY id"
    lines: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [run_id])
        while rows := cursor.fetchmany(5000):
            lines.extend(
                sha256_hex("\t".join("" if v is None else _as_text(v) for v in row)) for row in rows
            )
    return {"count": len(lines), "sha256": sha256_hex("\n".join(lines))}


def _digest_sql(table: str, columns: Sequence[str]) -> str:
    """The PostgreSQL query of one row, the count and the digest that :func:`_table_digest`
    computes in Python, with the run's id as its one parameter."""
    quote = connection.ops.quote_name
    row = " || E'\\t' || ".join(f"COALESCE({quote(c)}::text, '')" for c in columns)
    return (
        "SELECT COUNT(*), encode(sha256(convert_to(COALESCE(string_agg("
        f"encode(sha256(convert_to({row}, 'UTF8')), 'hex'), E'\\n' ORDER BY id), ''), "
        f"'UTF8')), 'hex') FROM {quote(table)} WHERE run_id = %s"
    )


def _as_text(value: Any) -> str:
    """A column value as PostgreSQL's ``::text`` prints it (dates as ISO 8601)."""
    return value.isoformat() if isinstance(value, date) else str(value)
