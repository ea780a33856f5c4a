"""What a re-screening run changed: a chunk's new findings compared with its transfers'
latest screenings, each changed rule listed with its finding before and after, and the
verdicts counted."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl

from thirdcountry.cases.bulk import change_keys, json_text
from thirdcountry.cases.catalog_diff import across_catalogs
from thirdcountry.findings.stored import OUTCOME_OF
from thirdcountry.rules.catalog import RULE_SEP
from thirdcountry.rules.catalogs import AnyCatalog
from thirdcountry.rules.few import optimisations
from thirdcountry.screening import Screening


def verdict_counts(verdicts: pl.Series, total: int) -> dict[str, int]:
    """How many of ``total`` transfers got each verdict in ``verdicts``, and how many none."""
    counted = verdicts.value_counts()
    found = dict(zip(counted[verdicts.name].to_list(), counted["count"].to_list(), strict=True))
    counts = {v: int(found.get(v, 0)) for v in ("clear", "review", "blocked")}
    counts["unscreened"] = total - sum(counts.values())
    return counts


def rules_changed(changed: pl.DataFrame, catalog: AnyCatalog) -> pl.DataFrame:
    """Per changed transfer, each rule whose finding changed (its outcome, reason code or
    parameters), in catalog order: ``{rule, before, after, finding}``, where ``finding`` is
    the new finding as stored (rendered when read). ``before`` is null for a transfer never
    screened, or last screened under another catalog."""
    long = (
        changed.select("transfer_id", *_change_entries(catalog.version, catalog.ids))
        .unpivot(index="transfer_id", variable_name="position", value_name="change")
        .drop_nulls("change")
    )
    return long.group_by("transfer_id", maintain_order=True).agg(
        pl.col("change").alias("rules_changed")
    )


@cache
def _change_entries(version: str, ids: tuple[str, ...]) -> tuple[pl.Expr, ...]:
    """Per rule, its ``{rule, before, after, finding}`` where its finding changed, else null
    (built once per catalog and process)."""
    same_catalog = pl.col("catalog_before") == version
    entries = []
    for position, rule_id in enumerate(ids):
        then = pl.col("findings_before").str.split(RULE_SEP).list.get(position, null_on_oob=True)
        now = pl.col(rule_id).struct.field("finding")
        before = (
            pl.when(same_catalog)
            .then(pl.col("outcomes_before").str.slice(position, 1))
            .replace_strict(OUTCOME_OF, default=None, return_dtype=pl.String)
        )
        differs = ~same_catalog.fill_null(False) | (then != now).fill_null(True)
        entries.append(
            pl.when(differs)
            .then(
                pl.struct(
                    pl.lit(rule_id).alias("rule"),
                    before.alias("before"),
                    pl.col(rule_id).struct.field("outcome").cast(pl.String).alias("after"),
                    now.alias("finding"),
                )
            )
            .alias(f"change_{position}")
        )
    return tuple(entries)


@dataclass(frozen=True)
class ScreenedChunk:
    """One chunk of a run screened and compared with the latest screenings, not yet stored."""

    table: pl.DataFrame
    changed: pl.DataFrame
    changes: pl.DataFrame
    #: The whole screening (catalog 2026.1 only: a 2026.2 run keeps its table alone).
    screening: Screening | None


def compared(
    findings: pl.DataFrame,
    catalog: AnyCatalog,
    id_by_ref: pl.DataFrame,
    latest: pl.DataFrame,
    screening: Screening | None,
) -> ScreenedChunk:
    """A chunk's findings table compared with its transfers' latest screenings."""
    # One query, not three: for one transfer their fixed costs are the whole cost.
    table = (
        findings.lazy()
        .with_columns(change_keys(catalog))
        .join(id_by_ref.lazy(), on="transfer", how="left")
        .join(latest.lazy(), on="transfer_id", how="left")
        .collect(engine="in-memory", optimizations=optimisations(findings.height))
    )
    changed = table.filter(
        pl.col("findings_before").is_null()
        | (pl.col("findings_before") != pl.col("findings"))
        | (pl.col("catalog_before") != catalog.version)
    )
    verdicts = changed.select(
        "transfer_id",
        "verdict_before",
        pl.col("verdict").cast(pl.String).alias("verdict_after"),
    )
    if changed.is_empty():
        # Nothing changed (as when a transfer is screened again on unchanged facts): no
        # rule to list, and listing none costs as much as listing a few.
        changes = verdicts.with_columns(pl.lit(None, dtype=pl.String).alias("rules_changed"))
        return ScreenedChunk(table, changed, changes, screening)
    across = pl.col("catalog_before").is_not_null() & (pl.col("catalog_before") != catalog.version)
    crossed = changed.filter(across)
    within = changed.filter(~across.fill_null(False))
    listed = rules_changed(within, catalog)
    if crossed.height:
        # Screened under another catalog before: both sides listed, each by its own ids.
        listed = pl.concat(
            [
                listed.with_columns(json_text("rules_changed")),
                across_catalogs(crossed, catalog.ids),
            ]
        )
    changes = verdicts.join(listed, on="transfer_id", how="inner")
    return ScreenedChunk(table, changed, changes, screening)
