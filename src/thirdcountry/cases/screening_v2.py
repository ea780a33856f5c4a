"""Screening stored transfers under a scenario@2 catalog (2026.2): the stored world read as
@2 once, each transfer screened one at a time, and the results laid out as the engine's
findings table (``transfer``, ``verdict``, ``facts_sha256`` and per rule a struct of
``outcome`` and ``finding``, the stored part), so a run stores and compares them as it does
those of catalog 2026.1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import polars as pl

from thirdcountry.cases.world_v2 import screening_scenario_v2, stored_scenario_v2
from thirdcountry.findings.stored_v2 import encode_finding
from thirdcountry.rules.v2.catalog import CatalogV2
from thirdcountry.rules.v2.world import World
from thirdcountry.screening_v2 import facts_sha256


def stored_world(catalog: CatalogV2, as_of: dt.date, refs: Collection[str] | None) -> World:
    """The stored world indexed for screening on ``as_of``: whole (``refs`` ``None``), or
    only what screening the transfers with these refs reads."""
    scenario = stored_scenario_v2() if refs is None else screening_scenario_v2(refs)
    return catalog.world(scenario, as_of)


def findings_table(catalog: CatalogV2, world: World, refs: Collection[str]) -> pl.DataFrame:
    """The screening of the proposed transfers with these refs, as a findings table."""
    transfers: list[str] = []
    verdicts: list[str] = []
    hashes: list[str] = []
    rules: dict[str, list[dict[str, str]]] = {rule_id: [] for rule_id in catalog.ids}
    revision = catalog.data_revision
    channels: dict[tuple[str | None, str, str], str] = {}
    for ref in refs:
        transfer = world.transfers[ref]
        result = catalog.screen_transfer(world, transfer)
        transfers.append(ref)
        verdicts.append(result.verdict)
        hashes.append(facts_sha256(world, transfer, revision, channels))
        for finding in result.findings:
            rules[finding.rule.id].append(
                {"outcome": finding.outcome, "finding": encode_finding(finding)}
            )
    shape = pl.Struct({"outcome": pl.String, "finding": pl.String})
    return pl.DataFrame(
        {
            "transfer": pl.Series(transfers, dtype=pl.String),
            "verdict": pl.Series(verdicts, dtype=pl.String),
            "facts_sha256": pl.Series(hashes, dtype=pl.String),
            **{rule_id: pl.Series(rows, dtype=shape) for rule_id, rows in rules.items()},
        }
    )
