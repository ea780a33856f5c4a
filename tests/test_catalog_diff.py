"""A change across catalogs is built column by column: its JSON text is the same as the
entries listed one transfer at a time would print, whatever the stored text holds."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thirdcountry.cases.catalog_diff import across_catalogs, before_entries
from thirdcountry.rules import catalogs
from thirdcountry.rules.catalog import RULE_SEP

IDS = catalogs.catalog("2026.1").ids
OUTCOME = pl.Enum(["pass", "review", "blocked"])
# Quotes, backslashes, control characters, line separators and characters past ASCII:
# whatever a finding's parameters may hold must be escaped as json.dumps escapes it.
TEXT = st.text(
    alphabet=st.sampled_from(["a", "é", '"', "\\", "\n", "\t", "\x01", "\x7f", "\u2028", "😀"]),
    max_size=5,
)
VERSIONS = st.sampled_from([None, "2026.1", "2026.2", "not registered"])


def one_at_a_time(row: dict[str, Any]) -> str:
    """The change of one transfer as it was first built, one Python object per entry."""
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
        for rule_id in IDS
        if row[rule_id]["outcome"] != "pass"
    ]
    return json.dumps(entries, separators=(",", ":"), ensure_ascii=False)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    version = draw(VERSIONS)
    size = len(catalogs.rule_ids(version)) if version else 0
    parts = draw(st.lists(TEXT, max_size=size + 2))
    return {
        "catalog_before": version,
        # Stored texts shorter or longer than the catalog: entries stop at the shortest.
        "outcomes_before": draw(
            st.none() | st.text(alphabet=st.sampled_from("prb"), max_size=size + 2)
        ),
        "findings_before": draw(st.none() | st.just(RULE_SEP.join(parts))),
        **{
            rule_id: {
                "outcome": draw(st.sampled_from(["pass", "pass", "review", "blocked"])),
                "finding": draw(TEXT),
            }
            for rule_id in IDS
        },
    }


def frame_of(drawn: list[dict[str, Any]]) -> pl.DataFrame:
    findings = pl.Struct({"outcome": OUTCOME, "finding": pl.String})
    return pl.DataFrame(
        [{"transfer_id": i, **row} for i, row in enumerate(drawn)],
        schema={
            "transfer_id": pl.Int64,
            "catalog_before": pl.String,
            "outcomes_before": pl.String,
            "findings_before": pl.String,
            **dict.fromkeys(IDS, findings),
        },
    )


@settings(deadline=None, max_examples=60)
@given(st.lists(rows(), min_size=1, max_size=12))
def test_a_change_across_catalogs_prints_as_each_transfers_entries(
    drawn: list[dict[str, Any]],
) -> None:
    changes = across_catalogs(frame_of(drawn), IDS)
    assert changes["transfer_id"].to_list() == list(range(len(drawn)))
    assert changes["rules_changed"].to_list() == [one_at_a_time(row) for row in drawn]


def test_a_transfer_with_nothing_left_to_list_still_has_its_change() -> None:
    passing = {rule_id: {"outcome": "pass", "finding": "a"} for rule_id in IDS}
    row = {"catalog_before": "2026.1", "outcomes_before": "p" * len(IDS)}
    changes = across_catalogs(frame_of([{**row, "findings_before": "", **passing}]), IDS)
    assert changes.rows() == [(0, "[]")]
