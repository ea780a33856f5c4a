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

import json
from typing import Any

import polars as pl

from thirdcountry.findings.stored import OUTCOME_OF, split_parts
from thirdcountry.rules import catalogs


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
    screened under another), its change as JSON text: ``transfer_id``, ``rules_changed``."""
    changes = []
    for row in rows.select(
        "transfer_id", "catalog_before", "outcomes_before", "findings_before", *ids
    ).iter_rows(named=True):
        entries = before_entries(
            row["catalog_before"], row["outcomes_before"] or "", row["findings_before"] or ""
        )
        entries += [
            {
                "rule": rule_id,
                "before": None,
                "after": row[rule_id]["outcome"],
                "finding": row[rule_id]["finding"],
            }
            for rule_id in ids
            if row[rule_id]["outcome"] != "pass"
        ]
        changes.append(json.dumps(entries, separators=(",", ":"), ensure_ascii=False))
    return pl.DataFrame(
        {
            "transfer_id": rows["transfer_id"],
            "rules_changed": pl.Series(changes, dtype=pl.String),
        }
    )
