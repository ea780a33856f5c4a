"""Finding the same person recorded twice: the linkage model's candidates and what each
comparison contributed, the reviewers' decisions (never proposed again), and merges that
pool the facts of both records and can be undone exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from thirdcountry.cases import models as cases
from thirdcountry.cli.main import app
from thirdcountry.identity.models import Candidate, Merge
from thirdcountry.identity.services import (
    IdentityError,
    link_persons,
    mark_not_same,
    merge_persons,
    unmerge,
)
from thirdcountry.linkage.evaluation import baseline_pairs, score_pairs
from thirdcountry.linkage.merging import merged_person
from thirdcountry.linkage.model import LinkageModel
from thirdcountry.linkage.records import records_frame
from thirdcountry.oversight import audit
from thirdcountry.oversight.models import AuditEntry
from thirdcountry.records.export import export_persons, export_transfers
from thirdcountry.records.load import load_scenario_records, write_records
from thirdcountry.scenario import loads_scenario
from thirdcountry.scenario.model import UNKNOWN, FearClaim, Person, Scenario, Transfer

SMALL = records_frame(
    ["A1", "A2", "B1", "B2", "C1", "D1", "D2", "E1"],
    [
        ["Amina Yusuf"],
        ["Амина Юсуф", "Amina Youssouf"],
        ["Karim Haddad"],
        ["Kareem Hadad"],
        ["Lena Petrova"],
        ["Omar Ali"],
        ["Ali Omar"],
        ["John Smith"],
    ],
    [
        dt.date(1990, 3, 2),
        dt.date(1990, 2, 3),
        dt.date(1985, 7, 14),
        dt.date(1985, 7, 14),
        None,
        dt.date(1970, 1, 1),
        dt.date(1970, 1, 1),
        dt.date(1960, 5, 5),
    ],
    [["SO"], ["SO"], ["SY"], ["SY"], [], ["IQ"], ["IQ"], ["US"]],
)
TRUTH = pl.DataFrame(
    {
        "unique_id": ["A1", "A2", "B1", "B2", "C1", "D1", "D2", "E1"],
        "cluster": [1, 1, 2, 2, 3, 4, 4, 5],
    }
)


# -- the model (no database) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_model() -> LinkageModel:
    return LinkageModel(SMALL)


def test_the_model_finds_transliterations_swapped_dates_and_reordered_names(
    small_model: LinkageModel,
) -> None:
    found = {(c.left, c.right): c for c in small_model.candidates()}
    assert set(found) == {("A1", "A2"), ("B1", "B2"), ("D1", "D2")}
    amina = found[("A1", "A2")]
    assert amina.contributions["dob"][0] == "day and month swapped"
    assert amina.contributions["dob"][1] > 5  # a swapped date still counts strongly
    omar = found[("D1", "D2")]
    assert omar.contributions["name"][0] == "the same words in another order"
    assert omar.contributions["given"][1] < 0  # given names differ: it took weight away
    assert amina.weight == pytest.approx(
        sum(w for _label, w in amina.contributions.values()) + small_model_prior(), abs=0.01
    )


def small_model_prior() -> float:
    """The prior's weight: log2 of the odds that a random pair is one person."""
    import math

    from thirdcountry.linkage.model import PRIOR_MATCH_SHARE

    return math.log2(PRIOR_MATCH_SHARE / (1 - PRIOR_MATCH_SHARE))


def test_the_model_beats_the_plain_baseline_here(small_model: LinkageModel) -> None:
    model = score_pairs(small_model.predict(), TRUTH)
    baseline = score_pairs(baseline_pairs(SMALL), TRUTH)
    assert baseline.recall == 0  # no two copies share an exact folded name and date
    assert model.f1 == 1.0


def test_cluster_scores_count_the_pairs_listing_them_would() -> None:
    from thirdcountry.linkage.evaluation import pairs_within, score_clusters
    from thirdcountry.linkage.model import clusters

    links = pl.DataFrame({"unique_id_l": ["A1", "B1", "B2"], "unique_id_r": ["A2", "B2", "C1"]})
    grouped = clusters(links, TRUTH["unique_id"].to_list())
    counted = score_clusters(grouped, TRUTH)
    listed = score_pairs(pairs_within(grouped), TRUTH)
    assert (counted.predicted, counted.true, counted.correct) == (4, 3, 2)
    assert (listed.predicted, listed.true, listed.correct) == (4, 3, 2)


def test_a_merge_pools_facts_and_never_turns_unknown_into_none() -> None:
    survivor = Person(ref="A", names=("Amina Yusuf",), fear_claims=UNKNOWN, nationalities=())
    absorbed = Person(
        ref="B",
        names=("Amina Youssouf", "Amina Yusuf"),
        birth_date=dt.date(1990, 3, 2),
        fear_claims=(FearClaim(country="SO", status="pending"),),
        nationalities=UNKNOWN,
        convictions=(),
    )
    merged = merged_person(survivor, absorbed)
    assert merged.ref == "A"
    assert merged.names == ("Amina Yusuf", "Amina Youssouf")
    assert merged.birth_date == dt.date(1990, 3, 2)
    assert merged.fear_claims == (FearClaim(country="SO", status="pending"),)
    assert merged.nationalities is UNKNOWN  # known none on one copy, unknown on the other
    assert merged.convictions is UNKNOWN


# -- in the database -----------------------------------------------------------------------------


@pytest.fixture
def world(seed_world_path: Path, db: None) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    # A second record of P-101, with a pending fear claim about Rwanda and a transfer of its own.
    write_records(
        Scenario(
            persons=(
                Person(
                    ref="P-901",
                    names=("Haidar Ahmad",),
                    birth_date=dt.date(1988, 11, 2),
                    nationalities=("IQ",),
                    fear_claims=(FearClaim(country="RW", status="pending"),),
                ),
            ),
            transfers=(
                Transfer(
                    ref="T-901",
                    person="P-901",
                    sending="US",
                    destination="RW",
                    planned_date=dt.date(2025, 10, 1),
                ),
            ),
        ),
        reason="test",
    )


def test_link_queues_pairs_and_a_pair_marked_not_same_is_never_proposed_again(
    world: None,
) -> None:
    write_records(
        Scenario(
            persons=(Person(ref="P-902", names=("Haidar A",), birth_date=dt.date(1988, 2, 11)),)
        ),
        reason="test",
    )
    first = link_persons()
    assert first.new >= 1
    pair = Candidate.objects.get(left_ref="P-101", right_ref="P-902")
    assert pair.status == "open" and pair.probability >= 0.9
    assert pair.contributions["dob"][0] == "the same birth date"
    mark_not_same(pair)
    with pytest.raises(IdentityError):
        mark_not_same(pair)
    again = link_persons()
    assert again.new == 0
    assert Candidate.objects.get(pk=pair.pk).status == "not_same"
    assert AuditEntry.objects.filter(action="not_same").count() == 1


def test_merge_pools_the_records_and_unmerge_restores_them_exactly(world: None) -> None:
    persons_before = {p.ref: p for p in export_persons(["P-101", "P-901"])}
    transfers_before = {t.ref: t for t in export_transfers()}
    runs = cases.ScreeningRun.objects.count()

    merge = merge_persons("P-101", "P-901")
    assert not cases.Person.objects.filter(ref="P-901").exists()
    moved = cases.Transfer.objects.get(ref="T-901")
    assert moved.person.ref == "P-101"
    merged = export_persons(["P-101"])[0]
    assert "Haidar Ahmad" in merged.names
    assert FearClaim(country="RW", status="pending") in merged.fear_claims
    assert cases.ScreeningRun.objects.count() == runs + 1
    # The fear claim recorded on the other copy now stops P-101's own transfer to Rwanda.
    latest = cases.LatestScreening.objects.get(transfer__ref="T-101").screening
    assert latest.verdict == "blocked"

    unmerge(merge)
    assert {p.ref: p for p in export_persons(["P-101", "P-901"])} == persons_before
    assert {t.ref: t for t in export_transfers()} == transfers_before
    assert Merge.objects.get(pk=merge.pk).undone_at is not None
    with pytest.raises(IdentityError):
        unmerge(Merge.objects.get(pk=merge.pk))
    assert list(
        AuditEntry.objects.filter(action__in=["merge", "unmerge"])
        .values_list("action", flat=True)
        .order_by("seq")
    ) == ["merge", "unmerge"]
    result = audit.verify()
    assert result.ok, [str(p) for p in result.problems]


def test_the_commands_link_merge_and_unmerge(world: None) -> None:
    runner = CliRunner()
    linked = runner.invoke(app, ["link"])
    assert linked.exit_code == 0, linked.output
    assert "persons:" in linked.output
    listed = runner.invoke(app, ["candidates"])
    assert listed.exit_code == 0
    merged = runner.invoke(app, ["merge", "P-101", "P-901"])
    assert merged.exit_code == 0, merged.output
    merge = Merge.objects.get()
    undone = runner.invoke(app, ["unmerge", str(merge.pk)])
    assert undone.exit_code == 0, undone.output
    assert cases.Person.objects.filter(ref="P-901").exists()
    refused = runner.invoke(app, ["merge", "P-101", "NOBODY"])
    assert refused.exit_code == 2 and "no person NOBODY" in refused.output
    assert runner.invoke(app, ["unmerge", "999"]).exit_code == 2


def test_a_new_record_is_linked_on_its_own(world: None) -> None:
    from thirdcountry.identity.services import link_person

    found = link_person("P-901")
    assert [(c.left_ref, c.right_ref) for c in found] == [("P-101", "P-901")]
    assert link_person("NOBODY") == []
