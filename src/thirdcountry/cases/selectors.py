"""Reads of case records for screening: the engine's source tables, straight from storage.

One query per table whatever the number of transfers; rows stream in chunks into Polars.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl
from django.db.models import Max, QuerySet

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


def _frame(queryset: QuerySet[Any, Any], schema: dict[str, Any] | pl.Schema) -> pl.DataFrame:
    """Rows of ``queryset.values_list(...)`` as a DataFrame with ``schema``, read in chunks."""
    frames = []
    chunk: list[tuple[Any, ...]] = []
    for row in queryset.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            frames.append(pl.DataFrame(chunk, schema=schema, orient="row"))
            chunk = []
    frames.append(pl.DataFrame(chunk, schema=schema, orient="row"))
    return pl.concat(frames)


def _lists(
    queryset: QuerySet[Any, Any], key: str, value: str, dtype: Any, name: str
) -> pl.DataFrame:
    """A child table folded into one list per parent: ``key`` and ``name`` (a list column)."""
    rows = _frame(queryset, {key: pl.Int64, value: dtype})
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
    base = _frame(
        persons.order_by("id").values_list(
            "id",
            "ref",
            "birth_date",
            "nationalities_recorded",
            "languages_recorded",
            "accompanied",
            "identity_verified",
            "asylum_claim",
            "fear_claims_recorded",
            "removal_decision_recorded",
            "removal_decision_date",
            "removal_decision_final",
            "appeal_deadline",
            "appeal_pending",
            "convictions_recorded",
            "family_in_sending_country",
            "fit_to_travel",
        ),
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
    fear_rows = _frame(
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
    return _frame(
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
    base = _frame(
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
        arrangement_statuses=_frame(
            registry.ArrangementStatus.objects.order_by("id").values_list(
                "arrangement__ref", "date", "status", "seq"
            ),
            ARRANGEMENT_STATUSES_SCHEMA,
        ),
        assessments=_frame(
            registry.Assessment.objects.order_by("id").values_list(
                "country_id", "date", "onward_refoulement_risk", "seq"
            ),
            ASSESSMENTS_SCHEMA,
        ),
        court_orders=_frame(
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
    defaults = registry.ScreeningDefaults.current()
    return Parameters(notice_days=defaults.notice_days, minor_age=defaults.minor_age)


def latest_screenings(transfers: Iterable[int] | None = None) -> QuerySet[Any, Any]:
    """The latest stored screening of each transfer (an indexed lookup per transfer)."""
    latest = cases.Screening.objects.values("transfer_id").annotate(latest=Max("id"))
    if transfers is not None:
        latest = latest.filter(transfer_id__in=list(transfers))
    return cases.Screening.objects.filter(id__in=latest.values("latest")).order_by("transfer_id")
