"""What changed for a transfer screened under another catalog than its latest screening: the
findings that blocked or needed review before, by the old catalog's rule ids, and those that
block or need review now, by the new catalog's.

Two catalogs' rules are not the same rules even where their ids are alike, so nothing is
compared rule by rule: a transfer's change lists both sides. Each entry before names its
catalog (``{rule, catalog, before, after: null, finding}``, ``finding`` the old finding as
stored); each entry now is shaped as a run's other changes (``{rule, before: null, after,
finding}``).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from thirdcountry.findings.stored import OUTCOME_OF, split_parts
from thirdcountry.rules import catalogs
from thirdcountry.rules.catalog import RULE_SEP


def before_entries(version: str, outcomes: str, findings: str) -> list[dict[str, Any]]:
    """The findings of a stored screening made under ``version`` that did not pass."""
    ids = catalogs.rule_ids(version)
    parts = split_parts(findings)
    return [
        {
            "rule": rule_id,
            "catalog": version,
            "before": OUTCOME_OF[letter],
            "after": None,
            "finding": part,
        }
        for rule_id, letter, part in zip(ids, outcomes, parts, strict=False)
        if letter != "p"
    ]


def across_catalogs(rows: pl.DataFrame, ids: tuple[str, ...]) -> pl.DataFrame:
    """Per transfer of ``rows`` (screened under the catalog whose rule ids are ``ids``, last
    screened under another), its change as JSON text: ``transfer_id``, ``rules_changed``.

    Built column by column: each entry is one JSON object or null, a row's entries joined in
    order; the text is what ``json.dumps`` of :func:`before_entries` and the entries now
    would print, without a Python object per transfer (a new catalog changes them all).
    """
    findings = pl.col("findings_before").fill_null("")
    # Split once, as split_parts does: no part at all in an empty text, not one empty part.
    rows = rows.with_columns(
        pl.col("outcomes_before").fill_null("").alias("_outcomes"),
        pl.when(findings == "")
        .then(pl.lit([], dtype=pl.List(pl.String)))
        .otherwise(findings.str.split(RULE_SEP))
        .alias("_parts"),
    )
    outcomes, parts = pl.col("_outcomes"), pl.col("_parts")
    entries: list[pl.Expr] = []
    for version in rows["catalog_before"].drop_nulls().unique(maintain_order=True).to_list():
        for position, rule_id in enumerate(catalogs.rule_ids(version)):
            letter = outcomes.str.slice(position, 1)
            entries.append(
                pl.when(
                    (pl.col("catalog_before") == version)
                    & (outcomes.str.len_chars() > position)
                    & (parts.list.len() > position)
                    & (letter != "p")
                ).then(
                    pl.struct(
                        pl.lit(rule_id).alias("rule"),
                        pl.lit(version).alias("catalog"),
                        # Evaluated on every row, past a short text too: unknown is null there.
                        letter.replace_strict(
                            OUTCOME_OF, default=None, return_dtype=pl.String
                        ).alias("before"),
                        pl.lit(None, dtype=pl.String).alias("after"),
                        parts.list.get(position, null_on_oob=True).alias("finding"),
                    ).struct.json_encode()
                )
            )
    for rule_id in ids:
        outcome = pl.col(rule_id).struct.field("outcome").cast(pl.String)
        entries.append(
            pl.when(outcome != "pass").then(
                pl.struct(
                    pl.lit(rule_id).alias("rule"),
                    pl.lit(None, dtype=pl.String).alias("before"),
                    outcome.alias("after"),
                    pl.col(rule_id).struct.field("finding").alias("finding"),
                ).struct.json_encode()
            )
        )
    if not entries:
        return rows.select("transfer_id", pl.lit("[]").alias("rules_changed"))
    joined = pl.concat_str(entries, separator=",", ignore_nulls=True)
    return rows.select("transfer_id", pl.format("[{}]", joined).alias("rules_changed"))
