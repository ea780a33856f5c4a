"""One transfer's facts are evaluated by a shorter path than a table's (the deciding check of
each rule first, then only its finding, or the finding remembered from the same facts):
every reason of the catalog, given by that path, is the finding the table gives the same
row."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest

from test_bench_contenders import synthetic_document
from thirdcountry.rules import engine
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
    engine._remembered.clear()
    for row in rows:
        alone = evaluate(facts.slice(row, 1), rules)
        assert alone.height == 1
        assert alone.equals(table.slice(row, 1)), f"row {row}"
    # Again, every finding now remembered from the same facts, in another order.
    for row in reversed(rows):
        assert evaluate(facts.slice(row, 1), rules).equals(table.slice(row, 1)), f"row {row}"


def test_findings_remembered_from_other_rows_are_those_rows_would_give(
    facts: pl.DataFrame,
) -> None:
    """Rows screened one after another share many rules' inputs (an arrangement's status, a
    destination's assessment): each finding taken from memory is the one its own row gives."""
    rules = catalog("2026.1")
    table = evaluate(facts, rules)
    engine._remembered.clear()
    for row in range(0, facts.height, 7):
        assert evaluate(facts.slice(row, 1), rules).equals(table.slice(row, 1)), f"row {row}"
    assert 0 < len(engine._remembered) < len(rules.rules) * len(range(0, facts.height, 7))


def test_a_finding_is_remembered_for_its_catalog_and_column_types(facts: pl.DataFrame) -> None:
    """The same values in a column of another type, or under another catalog, are evaluated
    again, never taken from what was remembered for the first."""
    rules = catalog("2026.1")
    row = facts.slice(0, 1)
    engine._remembered.clear()
    evaluate(row, rules)
    remembered = len(engine._remembered)
    assert remembered == len(rules.rules)
    evaluate(row.with_columns(pl.col("arrangement_cap").cast(pl.Int32)), rules)
    assert len(engine._remembered) == remembered + sum(
        "arrangement_cap" in engine._columns_read(rule) for rule in rules.rules
    )
