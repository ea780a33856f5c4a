"""Reads for identity resolution: persons as linkage records, and the review queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

import polars as pl
from django.db.models import Count, Q, QuerySet

from thirdcountry.cases import models as cases
from thirdcountry.identity.models import Candidate, LinkageWeights
from thirdcountry.names import normalise, soundex

#: The most stored persons one new record is scored against: the blocks of a common name
#: born in a common year stay within this among a million persons.
CANDIDATE_LIMIT: Final = 1000


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


def _given_and_surname(folded: str) -> tuple[str | None, str]:
    """The given name and surname of a folded name, as the linkage records take them."""
    words = folded.split(" ")
    return (words[0] if len(words) > 1 else None), words[-1]


def candidate_refs(
    names: Sequence[str], birth_date: dt.date | None, *, exclude: str | None = None
) -> list[str]:
    """The stored persons a new record with these names and birth date is scored against:
    the model's blocks for one record (born the same day; a name whose words sound like both
    the given name and the surname, in either order; one of them with the same birth year),
    at most :data:`CANDIDATE_LIMIT`."""
    folded = normalise(names[0]) if names else ""
    blocks = Q(pk__in=[])
    if birth_date is not None:
        blocks |= Q(birth_date=birth_date)
    if folded:
        given, surname = _given_and_surname(folded)
        keys = [f" {soundex(w)} " for w in (given, surname) if w and soundex(w)]
        named = cases.PersonName.objects.values("person_id")
        if len(keys) == 2:
            both = named.filter(sound_keys__contains=keys[0]).filter(sound_keys__contains=keys[1])
            blocks |= Q(id__in=both)
        if birth_date is not None and keys:
            either = Q()
            for key in keys:
                either |= Q(sound_keys__contains=key)
            blocks |= Q(birth_date__year=birth_date.year, id__in=named.filter(either))
    # One query: each block is a condition of it, so a form submit waits for one read.
    persons = cases.Person.objects.filter(blocks)
    if exclude is not None:
        persons = persons.exclude(ref=exclude)
    return list(persons.order_by("id").values_list("ref", flat=True)[:CANDIDATE_LIMIT])


def name_frequencies(names: Sequence[str]) -> dict[str, dict[str, float]]:
    """The share of stored persons whose primary name is the new record's, and whose given
    name and surname are its: rarer names agreeing weigh more, as when the model scores the
    whole population."""
    folded = normalise(names[0]) if names else ""
    if not folded:
        return {}
    given, surname = _given_and_surname(folded)
    counts = cases.PersonName.objects.filter(seq=0).aggregate(
        total=Count("id"),
        name=Count("id", filter=Q(folded=folded)),
        surname=Count("id", filter=Q(folded=surname) | Q(folded__endswith=f" {surname}")),
        given=Count("id", filter=Q(folded__startswith=f"{given} ") if given else Q(pk__in=[])),
    )
    total = counts["total"]
    if not total:
        return {}
    shares = {
        "name": {folded: max(counts["name"], 1) / total},
        "surname": {surname: max(counts["surname"], 1) / total},
    }
    if given is not None:
        shares["given"] = {given: max(counts["given"], 1) / total}
    return shares


def current_weights() -> LinkageWeights | None:
    """The weights last learnt from the stored persons, if any were."""
    weights: LinkageWeights | None = LinkageWeights.objects.order_by("-trained_at", "-id").first()
    return weights
