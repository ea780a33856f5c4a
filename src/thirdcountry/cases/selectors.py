"""Reads of case records for screening: the engine's source tables, straight from storage.

One query per table whatever the number of transfers; rows stream in chunks into Polars.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import polars as pl
from django.db import connection
from django.db.models import QuerySet
from psycopg import ClientCursor

from thirdcountry.cases import models as cases
from thirdcountry.registry import models as registry
from thirdcountry.rules.sources import (
    ARRANGEMENT_STATUSES_SCHEMA,
    ARRANGEMENTS_SCHEMA,
    ASSESSMENTS_SCHEMA,
    COURT_ORDERS_SCHEMA,
    PERSONS_SCHEMA,
    TRANSFERS_SCHEMA,
    SourceTables,
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
        import adbc_driver_postgresql.dbapi as adbc

        uri = _adbc_uri()
        cached = getattr(_reader, "connection", None)
        if cached is None or getattr(_reader, "uri", None) != uri:
            cached = adbc.connect(uri, autocommit=True)
            _reader.connection, _reader.uri = cached, uri
        with cached.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
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


def read_frame(queryset: QuerySet[Any, Any], schema: dict[str, Any] | pl.Schema) -> pl.DataFrame:
    """Rows of ``queryset.values_list(...)`` as a DataFrame with ``schema``, set-based:
    inside a fast :func:`snapshot` as Arrow columns, else fetched in chunks of rows; never
    through model instances."""
    schema = dict(schema)
    sql, params = queryset.query.sql_with_params()
    fast = getattr(_reader, "active", None)
    with connection.cursor() as cursor:
        if fast is not None:
            statement = ClientCursor(cursor.cursor.connection).mogrify(sql, params)
            with fast.cursor() as arrow_cursor:
                arrow_cursor.execute(statement)
                table = arrow_cursor.fetch_arrow_table()
            frame = pl.from_arrow(table.rename_columns(list(schema)))
            assert isinstance(frame, pl.DataFrame)
            return frame.cast(schema)  # type: ignore[arg-type]
        # Both drivers already turn dates and yes/no columns into Python values.
        cursor.execute(sql, params)
        frames = [pl.DataFrame(schema=schema)]
        while rows := cursor.fetchmany(CHUNK):
            frames.append(pl.DataFrame(rows, schema=schema, orient="row"))
    return pl.concat(frames)


def _lists(
    queryset: QuerySet[Any, Any], key: str, value: str, dtype: Any, name: str
) -> pl.DataFrame:
    """A child table folded into one list per parent: ``key`` and ``name`` (a list column)."""
    rows = read_frame(queryset, {key: pl.Int64, value: dtype})
    return rows.group_by(key, maintain_order=True).agg(pl.col(value).alias(name))


def _known_list(column: str, recorded: str, dtype: Any) -> pl.Expr:
    """A list fact: null when not recorded (unknown), empty when recorded with no rows."""
    return (
        pl.when(pl.col(recorded))
        .then(pl.col(column).fill_null(pl.lit([], dtype=pl.List(dtype))))
        .otherwise(pl.lit(None, dtype=pl.List(dtype)))
        .alias(column)
    )


def _persons(person_ids: QuerySet[Any, Any] | None = None) -> pl.DataFrame:
    persons = cases.Person.objects.all()
    if person_ids is not None:
        persons = persons.filter(id__in=person_ids)
    base = read_frame(
        persons.order_by("id").values_list("id", "ref", *cases.PERSON_FACT_COLUMNS),
        {
            "id": pl.Int64,
            "person": pl.String,
            "birth_date": pl.Date,
            "nationalities_recorded": pl.Boolean,
            "languages_recorded": pl.Boolean,
            "accompanied": pl.Boolean,
            "identity_verified": pl.Boolean,
            "asylum_claim": pl.String,
            "fear_claims_recorded": pl.Boolean,
            "removal_decision_recorded": pl.Boolean,
            "removal_decision_date": pl.Date,
            "removal_decision_final": pl.Boolean,
            "appeal_deadline": pl.Date,
            "appeal_pending": pl.Boolean,
            "convictions_recorded": pl.Boolean,
            "family_in_sending_country": pl.Boolean,
            "fit_to_travel": pl.Boolean,
        },
    )

    def of_persons(model: Any) -> QuerySet[Any, Any]:
        rows = model.objects.all()
        return rows if person_ids is None else rows.filter(person_id__in=person_ids)

    nationalities = _lists(
        of_persons(cases.Nationality).values_list("person_id", "country_id"),
        "id",
        "country",
        pl.String,
        "nationalities",
    )
    languages = _lists(
        of_persons(cases.PersonLanguage).values_list("person_id", "language__iso639_3"),
        "id",
        "language",
        pl.String,
        "languages",
    )
    fear_rows = read_frame(
        of_persons(cases.FearClaim)
        .order_by("person_id", "seq")
        .values_list("person_id", "country_id", "status"),
        {"id": pl.Int64, "country": pl.String, "status": pl.String},
    )
    fear_claims = fear_rows.group_by("id", maintain_order=True).agg(
        pl.struct("country", "status").alias("fear_claims")
    )
    sentence_ends = _lists(
        of_persons(cases.Conviction)
        .order_by("person_id", "seq")
        .values_list("person_id", "sentence_end"),
        "id",
        "sentence_end",
        pl.Date,
        "sentence_ends",
    )
    fear_dtype = PERSONS_SCHEMA["fear_claims"].inner  # type: ignore[attr-defined]
    return (
        base.join(nationalities, on="id", how="left")
        .join(languages, on="id", how="left")
        .join(fear_claims, on="id", how="left")
        .join(sentence_ends, on="id", how="left")
        .with_columns(
            _known_list("nationalities", "nationalities_recorded", pl.String),
            _known_list("languages", "languages_recorded", pl.String),
            _known_list("fear_claims", "fear_claims_recorded", fear_dtype),
            _known_list("sentence_ends", "convictions_recorded", pl.Date),
        )
        .select(PERSONS_SCHEMA.names())
        .cast(dict(PERSONS_SCHEMA))  # type: ignore[arg-type]
    )


def _transfers(transfers: QuerySet[Any, Any]) -> pl.DataFrame:
    return read_frame(
        transfers.order_by("id").values_list(
            "ref",
            "person__ref",
            "sending_id",
            "destination_id",
            "arrangement__ref",
            "planned_date",
            "status",
            "accepted_by_receiving",
            "notice_recorded",
            "notice_served",
            "notice_language__iso639_3",
            "notice_names_destination",
        ),
        TRANSFERS_SCHEMA,
    )


def _arrangements() -> pl.DataFrame:
    base = read_frame(
        registry.Arrangement.objects.order_by("id").values_list(
            "id",
            "ref",
            "sending_id",
            "receiving_id",
            "cap",
            "requires_served_sentence",
            "notice_days",
        ),
        {
            "id": pl.Int64,
            "arrangement": pl.String,
            "sending": pl.String,
            "receiving": pl.String,
            "cap": pl.Int64,
            "requires_served_sentence": pl.Boolean,
            "notice_days": pl.Int64,
        },
    )
    excluded = _lists(
        registry.ExcludedNationality.objects.values_list("arrangement_id", "country_id"),
        "id",
        "country",
        pl.String,
        "excluded_nationalities",
    )
    commitments = _lists(
        registry.Commitment.objects.values_list("arrangement_id", "commitment"),
        "id",
        "commitment",
        pl.String,
        "commitments",
    )
    empty = pl.lit([], dtype=pl.List(pl.String))
    return (
        base.join(excluded, on="id", how="left")
        .join(commitments, on="id", how="left")
        .with_columns(
            pl.col("excluded_nationalities").fill_null(empty),
            pl.col("commitments").fill_null(empty),
        )
        .select(ARRANGEMENTS_SCHEMA.names())
    )


def source_tables(transfers: QuerySet[Any, Any] | None = None) -> SourceTables:
    """The engine's source tables for the stored world, built with one query per table.

    With ``transfers``, only those transfers (and their persons) are read, plus the
    executed transfers that count toward caps; arrangements, assessments and court orders
    are always read whole (they are few).
    """
    with snapshot():
        return _source_tables(transfers)


def _source_tables(transfers: QuerySet[Any, Any] | None) -> SourceTables:
    if transfers is None:
        transfer_rows = _transfers(cases.Transfer.objects.all())
        persons = _persons()
    else:
        executed = cases.Transfer.objects.filter(status="executed", arrangement__isnull=False)
        transfer_rows = _transfers(transfers | executed)
        persons = _persons(transfers.values("person_id"))
        # Executed transfers are read for caps only; their persons need not be.
    return SourceTables(
        persons=persons,
        transfers=transfer_rows,
        arrangements=_arrangements(),
        arrangement_statuses=read_frame(
            registry.ArrangementStatus.objects.order_by("id").values_list(
                "arrangement__ref", "date", "status", "seq"
            ),
            ARRANGEMENT_STATUSES_SCHEMA,
        ),
        assessments=read_frame(
            registry.Assessment.objects.order_by("id").values_list(
                "country_id", "date", "onward_refoulement_risk", "seq"
            ),
            ASSESSMENTS_SCHEMA,
        ),
        court_orders=read_frame(
            registry.CourtOrder.objects.order_by("id").values_list(
                "ref",
                "kind",
                "issuer",
                "issued",
                "lifted",
                "scope_person__ref",
                "scope_arrangement__ref",
                "scope_sending_id",
                "scope_destination_id",
            ),
            COURT_ORDERS_SCHEMA,
        ),
    )


def screening_parameters() -> Parameters:
    """The catalog parameters stored for this world."""
    return registry.ScreeningDefaults.current().parameters


def latest_screenings(transfers: Iterable[int] | None = None) -> QuerySet[Any, Any]:
    """The latest stored screening of each transfer (an indexed lookup per transfer)."""
    latest = cases.LatestScreening.objects.all()
    if transfers is not None:
        latest = latest.filter(transfer_id__in=list(transfers))
    return cases.ScreeningRecord.objects.filter(id__in=latest.values("screening_id")).order_by(
        "transfer_id"
    )
