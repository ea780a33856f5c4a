"""Bulk screening gives exactly what screening row by row gives.

The engine evaluates a large facts table by distinct rows or by branch, and builds its source
tables column-wise; these tests hold it to the plain definitions on a world large enough for
every strategy to be used.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import polars as pl
import pytest

from thirdcountry.rules.catalogs import catalog
from thirdcountry.rules.engine import GROUP_FROM, evaluate
from thirdcountry.rules.facts import build_facts, facts_sha256
from thirdcountry.rules.sources import SourceTables, tables_from_scenario
from thirdcountry.scenario.codes import language_identity
from thirdcountry.scenario.model import UNKNOWN, Scenario
from thirdcountry.scenario.synthetic import generate_world

#: The catalog these tests hold the rules of.
CATALOG = catalog("2026.1")


@pytest.fixture(scope="module")
def world() -> Scenario:
    return generate_world(int(GROUP_FROM * 1.3), seed=4)


@pytest.fixture(scope="module")
def sources(world: Scenario) -> SourceTables:
    return tables_from_scenario(world)


@pytest.fixture(scope="module")
def facts(world: Scenario, sources: SourceTables) -> pl.DataFrame:
    assert world.as_of is not None
    return build_facts(sources, world.as_of, world.parameters)


def _known(value: Any) -> Any:
    return None if value is UNKNOWN else value


def test_the_persons_table_holds_each_persons_facts(world: Scenario, sources: SourceTables) -> None:
    rows = sources.persons.rows(named=True)
    assert len(rows) == len(world.persons)
    for person, row in zip(world.persons, rows, strict=True):
        decision = person.removal_decision
        assert row["person"] == person.ref
        assert row["birth_date"] == _known(person.birth_date)
        if person.nationalities is UNKNOWN:
            assert row["nationalities"] is None
        else:
            assert row["nationalities"] == list(person.nationalities)
        if person.languages is UNKNOWN:
            assert row["languages"] is None
        else:
            assert row["languages"] == sorted({language_identity(c) for c in person.languages})
        assert row["removal_decision_recorded"] == (decision is not UNKNOWN)
        known_decision = None if decision is UNKNOWN else decision
        assert row["removal_decision_date"] == (known_decision and known_decision.date)
        assert row["appeal_deadline"] == (known_decision and known_decision.appeal_deadline)
        if person.convictions is UNKNOWN:
            assert row["sentence_ends"] is None
        else:
            assert row["sentence_ends"] == [_known(c.sentence_end) for c in person.convictions]
        if person.fear_claims is UNKNOWN:
            assert row["fear_claims"] is None
        else:
            assert row["fear_claims"] == [
                {"country": c.country, "status": c.status} for c in person.fear_claims
            ]
        for key in ("accompanied", "identity_verified", "asylum_claim", "fit_to_travel"):
            assert row[key] == _known(getattr(person, key)), key


def test_the_transfers_table_holds_each_transfers_facts(
    world: Scenario, sources: SourceTables
) -> None:
    rows = sources.transfers.rows(named=True)
    for transfer, row in zip(world.transfers, rows, strict=True):
        notice = None if transfer.notice is UNKNOWN else transfer.notice
        assert row["transfer"] == transfer.ref
        assert row["planned_date"] == transfer.planned_date
        assert row["accepted_by_receiving"] == _known(transfer.accepted_by_receiving)
        assert row["notice_recorded"] == (transfer.notice is not UNKNOWN)
        assert row["notice_served"] == (notice and notice.served)
        assert row["notice_language"] == (notice and language_identity(notice.language))


def test_bulk_findings_equal_each_rules_expression_row_by_row(facts: pl.DataFrame) -> None:
    assert facts.height >= GROUP_FROM
    bulk = evaluate(facts)
    plain = facts.select(*(rule.expression() for rule in CATALOG.rules))
    for rule_id in CATALOG.ids:
        assert bulk.get_column(rule_id).equals(plain.get_column(rule_id)), rule_id


def test_facts_hashes_are_the_sha256_of_each_rows_json(facts: pl.DataFrame) -> None:
    columns = sorted(c for c in facts.columns if c not in ("position", "as_of"))
    encoded = facts.select(pl.struct(columns).struct.json_encode()).to_series()
    expected = [hashlib.sha256(text.encode()).hexdigest() for text in encoded]
    assert facts_sha256(facts).to_list() == expected


def test_one_transfer_screened_alone_gets_its_bulk_findings(
    world: Scenario, facts: pl.DataFrame
) -> None:
    bulk = evaluate(facts)
    proposed = [t for t in world.transfers if t.status == "proposed"][::997]
    persons = {p.ref: p for p in world.persons}
    for transfer in proposed:
        alone = Scenario(
            as_of=world.as_of,
            parameters=world.parameters,
            countries=world.countries,
            arrangements=tuple(a for a in world.arrangements if a.ref == transfer.arrangement),
            court_orders=world.court_orders,
            persons=(persons[transfer.person],),
            transfers=(
                *(
                    t
                    for t in world.transfers
                    if t.status == "executed" and t.arrangement == transfer.arrangement
                ),
                transfer,
            ),
        )
        assert world.as_of is not None
        one = evaluate(build_facts(tables_from_scenario(alone), world.as_of, world.parameters))
        expected = bulk.filter(pl.col("transfer") == transfer.ref).drop("position")
        assert one.drop("position").equals(expected), transfer.ref


@pytest.mark.parametrize("world", [Scenario(), generate_world(0)], ids=["nothing", "no transfers"])
def test_an_empty_world_screens_to_an_empty_table(world: Scenario) -> None:
    sources = tables_from_scenario(world)
    findings = evaluate(build_facts(sources, date(2025, 9, 1)))
    assert findings.height == 0
    assert findings.columns[:4] == ["position", "transfer", "verdict", "facts_sha256"]
