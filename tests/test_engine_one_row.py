"""One transfer's facts are evaluated by a shorter path than a table's (the deciding check of
each rule first, then only its finding): every reason of the catalog, given by that path,
is the finding the table gives the same row."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from test_bench_contenders import synthetic_document
from thirdcountry.rules.catalogs import catalog
from thirdcountry.rules.engine import evaluate
from thirdcountry.rules.facts import build_facts
from thirdcountry.rules.sources import tables_from_scenario
from thirdcountry.scenario.parse import loads_scenario


@pytest.fixture(scope="module")
def facts() -> pl.DataFrame:
    scenario = loads_scenario(json.dumps(synthetic_document(3_000, seed=5)))
    return build_facts(
        tables_from_scenario(scenario), scenario.as_of or date(2026, 1, 1), scenario.parameters
    )


def test_each_reason_alone_is_the_finding_the_table_gives(facts: pl.DataFrame) -> None:
    rules = catalog("2026.1")
    table = evaluate(facts, rules)
    # One row for each reason of each rule: together they take every branch of every rule.
    letters = table.select(
        pl.col(rule_id).struct.field("finding").str.slice(0, 1).alias(rule_id)
        for rule_id in rules.ids
    )
    rows = sorted(
        {
            letters.with_row_index("row").filter(pl.col(rule_id) == letter).item(0, "row")
            for rule_id in rules.ids
            for letter in letters[rule_id].unique().to_list()
        }
    )
    given = {(rule_id, letter) for rule_id in rules.ids for letter in letters[rule_id].unique()}
    assert len(given) == sum(len(rule.reasons) for rule in rules.rules)
    for row in rows:
        alone = evaluate(facts.slice(row, 1), rules)
        assert alone.height == 1
        assert alone.equals(table.slice(row, 1)), f"row {row}"
