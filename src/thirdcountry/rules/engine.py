"""Evaluate a catalog over a facts table: one finding per rule per transfer, and a verdict."""

from __future__ import annotations

from typing import Final

import polars as pl

from thirdcountry.rules.catalog import Catalog
from thirdcountry.rules.catalog_2026_1 import CATALOG
from thirdcountry.rules.facts import facts_sha256

VERDICTS: Final = ("clear", "review", "blocked")
VERDICT_DTYPE: Final = pl.Enum(list(VERDICTS))


def evaluate(facts: pl.DataFrame, catalog: Catalog = CATALOG) -> pl.DataFrame:
    """The findings table: ``position``, ``transfer``, ``verdict``, ``facts_sha256`` and one
    ``{outcome, reason}`` struct column per rule, named by its id, in catalog order.

    ``verdict`` is ``blocked`` if any finding is blocked, else ``review`` if any is review,
    else ``clear``.
    """
    findings = facts.select("position", "transfer", *(r.expression() for r in catalog.rules))
    # Outcomes are an Enum ordered pass < review < blocked, so the verdict is the worst one.
    worst = pl.max_horizontal(
        *(pl.col(rule_id).struct.field("outcome").to_physical() for rule_id in catalog.ids)
    )
    verdict = (
        pl.when(worst == 2)
        .then(pl.lit("blocked"))
        .when(worst == 1)
        .then(pl.lit("review"))
        .otherwise(pl.lit("clear"))
        .cast(VERDICT_DTYPE)
    )
    return findings.select(
        "position",
        "transfer",
        verdict.alias("verdict"),
        facts_sha256(facts),
        *catalog.ids,
    )
