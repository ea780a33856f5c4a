"""Reads of case records for screening: the engine's source tables, straight from storage.

One query per table whatever the number of transfers; rows stream in chunks into Polars.
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeAlias
from urllib.parse import quote

import polars as pl
from django.db import connection
from django.db.models import Count, QuerySet
from psycopg import ClientCursor, Cursor

from thirdcountry.cases import models as cases
from thirdcountry.cases.mapping import FlatRead, flat_reads, flat_tables
from thirdcountry.registry import models as registry
from thirdcountry.rules.memo import last_result
from thirdcountry.rules.sources import (
    EXECUTED_SCHEMA,
    ID,
    SCREENED_CHILD_TABLES,
    SourceTables,
    tables_from_flat,
)
from thirdcountry.scenario.layout import (
    ARRANGEMENT,
    COUNTRY,
    COURT_ORDER,
    PARENT,
    PERSON,
    TRANSFER,
)
from thirdcountry.scenario.model import Parameters

CHUNK = 50_000


_reader = threading.local()


def _adbc_uri() -> str:
    config = connection.settings_dict
    user = quote(config.get("USER") or "")
    password = quote(config.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = config.get("HOST") or "localhost"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgresql://{credentials}{host}{port}/{quote(config['NAME'])}"


@contextmanager
def snapshot(fast: bool = True) -> Iterator[None]:
    """Read what follows from one consistent snapshot of the database, fast.

    On PostgreSQL outside a transaction, and when ``fast`` (many rows to read), reads go
    through an Arrow-native (ADBC) connection in one repeatable-read, read-only
    transaction: rows arrive as columns, not one Python object at a time. Inside a
    transaction (a service that has just written a fact) reads must see that transaction's
    own writes, and a few rows are read faster by the ordinary driver, so those stay on
    Django's connection. A snapshot inside another keeps the outer one's choice.
    """
    if getattr(_reader, "inside", False):
        yield
        return
    _reader.inside = True
    try:
        if not fast or connection.vendor != "postgresql" or connection.in_atomic_block:
            yield
            return
        # The Arrow-native driver is loaded only when a PostgreSQL snapshot uses it.
        import adbc_driver_postgresql.dbapi as adbc

        uri = _adbc_uri()
        cached = getattr(_reader, "connection", None)
        if cached is None or getattr(_reader, "uri", None) != uri:
            cached = adbc.connect(uri, autocommit=True)
            _reader.connection, _reader.uri = cached, uri
            # Closed before the interpreter tears the driver down: left to its finaliser,
            # the connection prints an error as a command ends (closing twice is harmless).
            atexit.register(cached.close)
        with cached.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # A chunk's reads sort about 100,000 rows per table: in memory, not in files
            # written and read back (the default allows 4 MB per sort).
            cursor.execute("SET LOCAL work_mem = '64MB'")
        _reader.active = cached
        try:
            yield
        finally:
            _reader.active = None
            with cached.cursor() as cursor:
                cursor.execute("COMMIT")
    finally:
        _reader.inside = False


def close_reader() -> None:
    """Close this thread's Arrow-native connection, if it opened one (for a thread that
    reads for a while and then ends)."""
    cached = getattr(_reader, "connection", None)
    if cached is not None:
        _reader.connection = None
        _reader.uri = None
        cached.close()


def _storage_columns(table: Any) -> Any:
    """An Arrow table with each extension column as its storage: the driver hands
    PostgreSQL's numeric over as an opaque extension of text, which Polars cannot cast, but
    casts from the text itself exactly."""
    import pyarrow as pa

    return pa.Table.from_arrays(
        [
            pa.chunked_array([c.storage for c in column.chunks], type=column.type.storage_type)
            if isinstance(column.type, pa.BaseExtensionType)
            else column
            for column in table.columns
        ],
        names=table.column_names,
    )


@dataclass(frozen=True)
class Statement:
    """A query compiled to SQL: its text and parameters. Compiling a queryset costs about as
    much as the database takes to answer a small query, so the reads of one transfer are
    compiled once per process with a placeholder for its id (see :meth:`bound`)."""

    sql: str
    params: tuple[Any, ...]

    @classmethod
    def of(cls, queryset: QuerySet[Any, Any]) -> Statement:
        """The statement ``queryset`` runs."""
        sql, params = queryset.query.sql_with_params()
        return cls(sql, tuple(params))

    def bound(self, placeholder: Any, value: Any) -> Statement:
        """This statement with ``value`` for every parameter equal to ``placeholder``."""
        return Statement(self.sql, tuple(value if p == placeholder else p for p in self.params))


#: What :func:`read_frame` and :func:`read_all` read: a queryset or its compiled statement.
Query: TypeAlias = QuerySet[Any, Any] | Statement


def _compiled(query: Query) -> tuple[str, tuple[Any, ...]]:
    statement = query if isinstance(query, Statement) else Statement.of(query)
    return statement.sql, statement.params


def read_frame(query: Query, schema: dict[str, Any] | pl.Schema) -> pl.DataFrame:
    """Rows of ``query`` (a ``values_list`` queryset or its statement) as a DataFrame with
    ``schema``, set-based: inside a fast :func:`snapshot` as Arrow columns, else fetched in
    chunks of rows; never through model instances."""
    schema = dict(schema)
    sql, params = _compiled(query)
    fast = getattr(_reader, "active", None)
    with connection.cursor() as cursor:
        if fast is not None:
            statement = ClientCursor(cursor.cursor.connection).mogrify(sql, params)
            with fast.cursor() as arrow_cursor:
                arrow_cursor.execute(statement)
                table = arrow_cursor.fetch_arrow_table()
            frame = pl.from_arrow(_storage_columns(table).rename_columns(list(schema)))
            assert isinstance(frame, pl.DataFrame)
            return frame.cast(schema)  # type: ignore[arg-type]
        # Both drivers already turn dates and yes/no columns into Python values.
        cursor.execute(sql, params)
        return _fetched(cursor, schema)


def _fetched(cursor: Any, schema: dict[str, Any]) -> pl.DataFrame:
    """The rows an executed ``cursor`` holds, as a DataFrame with ``schema``: fetched in
    chunks, so the rows are Python objects one chunk at a time."""
    frames = []
    while rows := cursor.fetchmany(CHUNK):
        frames.append(pl.DataFrame(rows, schema=schema, orient="row"))
    # A few rows (one transfer's) come as one chunk: nothing to concatenate.
    if len(frames) == 1:
        return frames[0]
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def _assessments() -> FlatRead:
    return FlatRead(
        "assessment",
        registry.Assessment.objects.order_by("country_id", "seq").values_list(
            "country_id", "seq", "date", "onward_refoulement_risk", "source"
        ),
        {**COUNTRY.child("assessment").layout.schema(parent=True), PARENT: pl.String},
    )


@last_result  # the same assessments for every transfer screened one after another
def _countries(assessments: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The countries' flat tables: each country with assessments, keyed by its code (the
    country table's own key)."""
    codes = assessments.select(pl.col(PARENT).unique(maintain_order=True))
    return {
        COUNTRY.name: codes.select(pl.col(PARENT).alias(ID), pl.col(PARENT).alias("code")),
        "assessment": assessments,
    }


def read_all(reads: Sequence[tuple[Query, dict[str, Any]]]) -> list[pl.DataFrame]:
    """The rows of each ``(query, schema)`` as :func:`read_frame` reads them.

    On PostgreSQL, on Django's connection (not inside a fast :func:`snapshot`), the
    queries are sent together in one pipeline and answered in one round trip, instead of
    one round trip each: on a busy server each costs a wait for the server to be
    scheduled, which is most of a single transfer's reading time."""
    if connection.vendor != "postgresql" or getattr(_reader, "active", None) is not None:
        return [read_frame(query, schema) for query, schema in reads]
    clock = time.monotonic()
    with connection.cursor() as wrapper:
        raw = wrapper.cursor.connection
        cursors = [Cursor(raw) for _ in reads]
        statements = []
        with raw.pipeline():
            for cursor, (query, _schema) in zip(cursors, reads, strict=True):
                sql, params = _compiled(query)
                if isinstance(query, Statement):
                    # Compiled once per process (one transfer's reads): the server parses
                    # and plans it once per connection, not for every transfer.
                    cursor.execute(sql, params, prepare=True)
                    statements.append(sql)
                else:
                    statement = ClientCursor(raw).mogrify(sql, params)
                    cursor.execute(statement.encode())
                    statements.append(statement)
        frames = []
        for cursor, (_query, schema) in zip(cursors, reads, strict=True):
            frames.append(_fetched(cursor, schema))
            cursor.close()
    if connection.queries_logged:
        # Counted as the queries they are, as Django's own cursor would.
        spent = f"{(time.monotonic() - clock) / max(1, len(statements)):.3f}"
        connection.queries_log.extend({"sql": sql, "time": spent} for sql in statements)
    return frames


def source_reads(
    transfers: QuerySet[Any, Any] | None = None, *, few: bool = False
) -> list[FlatRead]:
    """The queries the engine's source tables are read with (see :func:`source_tables`):
    for use with :func:`read_all` beside other reads, then :func:`tables_of`. ``few``
    says ``transfers`` are a few (one transfer's screening): only their arrangements'
    executed transfers are then counted."""
    if transfers is None:
        chosen = cases.Transfer.objects.all()
        persons = cases.Person.objects.all()
        parents = None
    else:
        # Executed transfers count toward caps: they are counted (see _executed), not read.
        chosen = transfers
        persons = cases.Person.objects.filter(pk__in=transfers.values("person_id"))
        # The persons' child tables name them by the transfers' own column.
        parents = transfers.values("person_id")
    reads = [_assessments()]
    for layout, records, chosen_parents in (
        (ARRANGEMENT, registry.Arrangement.objects.all(), None),
        (COURT_ORDER, registry.CourtOrder.objects.all(), None),
        (PERSON, persons, parents),
        (TRANSFER, chosen, None),
    ):
        # Only what the engine reads: one query fewer per child table it does not screen.
        reads += flat_reads(layout, records, SCREENED_CHILD_TABLES, chosen_parents)
    if transfers is not None:
        reads.append(
            FlatRead(EXECUTED, _executed(transfers if few else None), dict(EXECUTED_SCHEMA))
        )
    return reads


def tables_of(reads: Sequence[FlatRead], frames: Sequence[pl.DataFrame]) -> SourceTables:
    """The engine's source tables from the rows each of :func:`source_reads` gave."""
    flat = flat_tables(reads, frames)
    executed = flat.pop(EXECUTED, None)
    return tables_from_flat({**flat, **_countries(flat["assessment"])}, executed)


def source_tables(transfers: QuerySet[Any, Any] | None = None) -> SourceTables:
    """The engine's source tables for the stored world, built with one query per table.

    With ``transfers``, only those transfers (and their persons) are read, plus the
    executed transfers that count toward caps; arrangements, assessments and court orders
    are always read whole (they are few).
    """
    with snapshot():
        reads = source_reads(transfers)
        return tables_of(reads, read_all([r.query for r in reads]))


#: The name, among the source reads, of the executed transfers counted per arrangement.
EXECUTED = "executed"


def _executed(few: QuerySet[Any, Any] | None = None) -> QuerySet[Any, Any]:
    """How many transfers were executed under each arrangement, counted by the database
    from the index of executed transfers (tens of thousands of entries at a million
    transfers): for every arrangement, or for those of ``few`` transfers only. A chunk
    names every arrangement: naming only its transfers', by a subquery on them, made the
    database look up, for each executed transfer, whether one of them shared its
    arrangement (a second per chunk). One transfer names its own: counting every
    arrangement's took 3 ms of the server's time, a tenth of its screening."""
    executed = cases.Transfer.objects.filter(status="executed", arrangement__isnull=False)
    if few is not None:
        executed = executed.filter(arrangement__in=few.values("arrangement_id"))
    return (
        executed.order_by()
        .values("arrangement__ref")
        .annotate(executed=Count("pk"))
        .values_list("arrangement__ref", "executed")
    )


def parameters_read() -> tuple[QuerySet[Any, Any], dict[str, Any]]:
    """The query of the catalog parameters stored for this world, read beside the source
    tables (one round trip fewer for one transfer): :func:`parameters_of` its rows."""
    return (
        registry.ScreeningDefaults.objects.filter(pk=1).values_list("notice_days", "minor_age"),
        {"notice_days": pl.Int64, "minor_age": pl.Int64},
    )


def parameters_of(rows: pl.DataFrame) -> Parameters:
    """The catalog parameters stored for this world, from the rows of :func:`parameters_read`
    (none stored: the defaults' own)."""
    if rows.is_empty():
        return registry.ScreeningDefaults(pk=1).parameters
    notice_days, minor_age = rows.row(0)
    return Parameters(notice_days=notice_days, minor_age=minor_age)
