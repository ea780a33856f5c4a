"""Reads for identity resolution: persons as linkage records, and the review queue."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db.models import QuerySet

from thirdcountry.cases import models as cases
from thirdcountry.identity.models import Candidate


def linkage_records(refs: list[str] | None = None) -> pl.DataFrame:
    """Stored persons (all, or those of ``refs``) as the linkage model reads them: ref as
    ``unique_id``, names in order, birth date, nationalities (null when unknown)."""
    persons = cases.Person.objects.order_by("id")
    names = cases.PersonName.objects.order_by("person_id", "seq")
    nationalities = cases.Nationality.objects.order_by("person_id", "country_id")
    if refs is not None:
        persons = persons.filter(ref__in=refs)
        names = names.filter(person__ref__in=refs)
        nationalities = nationalities.filter(person__ref__in=refs)
    people = pl.DataFrame(
        list(persons.values_list("id", "ref", "birth_date", "nationalities_recorded")),
        schema={"id": pl.Int64, "unique_id": pl.String, "birth_date": pl.Date, "known": pl.Boolean},
        orient="row",
    )
    named = (
        pl.DataFrame(
            list(names.values_list("person_id", "name")),
            schema={"id": pl.Int64, "name": pl.String},
            orient="row",
        )
        .group_by("id", maintain_order=True)
        .agg(pl.col("name").alias("names"))
    )
    countries = (
        pl.DataFrame(
            list(nationalities.values_list("person_id", "country_id")),
            schema={"id": pl.Int64, "country": pl.String},
            orient="row",
        )
        .group_by("id", maintain_order=True)
        .agg(pl.col("country").alias("held"))
    )
    return (
        people.join(named, on="id", how="left")
        .join(countries, on="id", how="left")
        .select(
            "unique_id",
            pl.col("names").fill_null(pl.lit([], pl.List(pl.String))),
            "birth_date",
            pl.when(pl.col("known"))
            .then(pl.col("held").fill_null(pl.lit([], pl.List(pl.String))))
            .otherwise(None)
            .alias("nationalities"),
        )
    )


def open_candidates() -> QuerySet[Candidate, Candidate]:
    """The pairs waiting for a reviewer, most likely first."""
    return Candidate.objects.filter(status="open").order_by("-probability", "left_ref")


def pair_side(ref: str) -> dict[str, Any] | None:
    """One side of a pair as the review page shows it: the person's facts and transfers."""
    person = cases.Person.objects.filter(ref=ref).first()
    if person is None:
        return None
    return {
        "person": person,
        "names": list(person.names.order_by("seq").values_list("name", flat=True)),
        "nationalities": list(person.nationalities.values_list("country_id", flat=True)),
        "fear_claims": list(person.fear_claims.order_by("seq").values_list("country_id", "status")),
        "transfers": list(person.transfers.order_by("ref").values_list("ref", "status")),
    }
