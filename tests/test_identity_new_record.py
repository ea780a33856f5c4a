"""A person being recorded scored against the stored persons with the linkage model's own
weights: the same scores as Splink's, duplicates queued at creation, and the warning shown
before a person is registered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from django.test import Client

from thirdcountry.accounts.services import create_user
from thirdcountry.identity.models import Candidate, LinkageWeights
from thirdcountry.identity.services import score_new_person
from thirdcountry.linkage.records import prepare, records_frame
from thirdcountry.linkage.single import SingleRecordScorer, prior_model
from thirdcountry.records.load import load_scenario_records
from thirdcountry.records.services import save_person
from thirdcountry.scenario import loads_scenario
from thirdcountry.scenario.model import Person

STORED = records_frame(
    ["A1", "B1", "B2", "C1", "D1", "E1"],
    [
        ["Amina Yusuf"],
        ["Karim Haddad"],
        ["Kareem Hadad", "K. Haddad"],
        ["Lena Petrova"],
        ["Omar Ali"],
        ["John Smith"],
    ],
    [
        dt.date(1990, 3, 2),
        dt.date(1985, 7, 14),
        dt.date(1985, 7, 14),
        None,
        dt.date(1970, 1, 1),
        dt.date(1960, 5, 5),
    ],
    [["SO"], ["SY"], ["SY"], [], ["IQ"], ["US"]],
)
NEW = records_frame(["N"], [["Амина Юсуф", "Amina Youssouf"]], [dt.date(1990, 2, 3)], [["SO"]])


def splink_weights(model: dict[str, Any], new: pl.DataFrame) -> dict[str, float]:
    """Each stored record's match weight with ``new`` as Splink itself finds it."""
    from splink import DuckDBAPI, Linker

    linker = Linker(
        prepare(STORED).to_arrow(),
        {**model, "link_type": "dedupe_only"},
        db_api=DuckDBAPI(duckdb.connect()),
    )
    found = linker.inference.find_matches_to_new_records(
        prepare(new).to_arrow(), blocking_rules=[], match_weight_threshold=-1000
    ).as_pandas_dataframe()
    return {str(k): float(w) for k, w in zip(found.unique_id_l, found.match_weight, strict=True)}


def frequencies(column: str) -> dict[str, float]:
    prepared = prepare(STORED)
    values = prepared.get_column(column).drop_nulls()
    return {str(v): n / values.len() for v, n in values.value_counts().iter_rows()}


def learnt(model: dict[str, Any]) -> dict[str, Any]:
    """The priors changed as a training would change them: other weights on every level."""
    changed = {**model, "probability_two_random_records_match": 0.0004}
    changed["comparisons"] = [
        {
            **c,
            "comparison_levels": [
                {**level, "m_probability": level["m_probability"] * 0.9}
                if "m_probability" in level
                else level
                for level in c["comparison_levels"]
            ],
        }
        for c in model["comparisons"]
    ]
    return changed


@pytest.mark.parametrize("which", ["priors", "learnt"])
def test_a_new_record_scores_as_splink_scores_it(which: str) -> None:
    model = prior_model() if which == "priors" else learnt(prior_model())
    shares = {c: frequencies(c) for c in ("name", "given", "surname")}
    new = records_frame(["N"], [["Karim Haddad"]], [dt.date(1985, 7, 14)], [["SY"]])
    for record in (NEW, new):
        found = SingleRecordScorer(model).score(record, STORED, shares)
        theirs = splink_weights(model, record)
        assert {c.left for c in found} == set(theirs)
        for candidate in found:
            assert candidate.weight == pytest.approx(theirs[candidate.left], abs=1e-9)
    best = SingleRecordScorer(model).score(NEW, STORED)[0]
    assert best.left == "A1" and best.probability > 0.9
    assert best.contributions["dob"][0] == "day and month swapped"
    assert best.contributions["name"][1] > 0


def test_a_rarer_name_agreeing_weighs_more() -> None:
    scorer = SingleRecordScorer(prior_model())
    new = records_frame(["N"], [["Karim Haddad"]], [None], [None])
    rare = scorer.score(new, STORED, {"surname": {"haddad": 0.0001}})[0]
    common = scorer.score(new, STORED, {"surname": {"haddad": 0.2}})[0]
    assert rare.left == common.left == "B1"
    assert rare.weight > common.weight


@pytest.fixture
def world(seed_world_path: Path, db: None) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))


def test_a_person_created_is_queued_with_the_person_they_may_be(world: None) -> None:
    save_person(
        Person(
            ref="P-902",
            names=("Haidar Ahmed",),
            birth_date=dt.date(1988, 2, 11),
            nationalities=("IQ",),
        ),
        created=True,
    )
    pair = Candidate.objects.get(left_ref="P-101", right_ref="P-902")
    assert pair.status == "open" and pair.probability >= 0.9
    assert pair.contributions["dob"][0] == "the same birth date"
    save_person(
        Person(ref="P-903", names=("Zofia Kowalczyk",), birth_date=dt.date(1931, 1, 1)),
        created=True,
    )
    assert not Candidate.objects.filter(right_ref="P-903").exists()


def test_the_weights_last_learnt_score_a_new_record(world: None) -> None:
    typed = (["Haidar Ahmed"], dt.date(1988, 2, 11), ["IQ"])
    with_priors = score_new_person(*typed)[0]
    assert with_priors.left == "P-101"
    model = prior_model()
    LinkageWeights.objects.create(
        persons=1000, model={**model, "probability_two_random_records_match": 1e-9}
    )
    with_learnt = score_new_person(*typed)[0]
    assert with_learnt.left == "P-101" and with_learnt.weight < with_priors.weight


def test_the_warning_before_registering_shows_the_match_probability(world: None) -> None:
    client = Client()
    client.force_login(create_user("caseworker", "caseworker", "a-long-test-password"))
    page = client.get(
        "/people/candidates/",
        {"names": "Haidar Ahmed", "birth_date": "1988-02-11", "nationalities": "IQ"},
    ).content.decode()
    assert "P-101" in page and "match probability" in page and "the same birth date" in page
    # A name typed without a birth date is still scored, on the names alone.
    save_person(Person(ref="P-904", names=("Karim Haddad",)), created=True)
    by_name = score_new_person(["Karim Haddad"])
    assert by_name[0].left == "P-904" and by_name[0].contributions["name"][0] == "the same name"
    assert (
        "match probability"
        not in client.get(
            "/people/candidates/", {"names": "Haidar", "options": "1"}
        ).content.decode()
    )
