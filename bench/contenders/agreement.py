"""Each way of screening's results as one table, and where two tables disagree.

The common table has a row per proposed transfer in file order: ``transfer``, ``verdict``
and, for each rule of the catalog, a column named by the rule id holding
``"outcome reason-code"`` (the reason code without the rule id, e.g. ``"blocked
no-arrangement"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from contenders.loop import RULES, Screened
from thirdcountry.rules.catalog import LETTERS
from thirdcountry.rules.catalogs import catalog

CATALOG = catalog("2026.1")


def project_findings(findings: pl.DataFrame) -> pl.DataFrame:
    """The project's findings table (``rules.engine.evaluate``) as the common table: each
    finding's letter names its reason in the rule's precedence."""
    columns = []
    for rule in CATALOG.rules:
        codes = {LETTERS[i]: r.code.removeprefix(f"{rule.id}.") for i, r in enumerate(rule.reasons)}
        finding = pl.col(rule.id).struct
        code = finding.field("finding").str.head(1).replace_strict(codes, return_dtype=pl.String)
        columns.append(
            pl.concat_str(finding.field("outcome").cast(pl.String), code, separator=" ").alias(
                rule.id
            )
        )
    return findings.select("transfer", pl.col("verdict").cast(pl.String), *columns)


def loop_findings(screened: list[Screened]) -> pl.DataFrame:
    """The loop's results as the common table."""
    columns: dict[str, list[str]] = {
        "transfer": [ref for ref, _verdict, _findings in screened],
        "verdict": [verdict for _ref, verdict, _findings in screened],
    }
    for index, rule in enumerate(RULES):
        columns[rule] = [f"{f[index][0]} {f[index][1]}" for _ref, _verdict, f in screened]
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def sql_findings(results: pl.DataFrame) -> pl.DataFrame:
    """DuckDB's results (a ``{outcome, code}`` struct per rule) as the common table."""
    return results.select(
        "transfer",
        "verdict",
        *(
            pl.concat_str(
                pl.col(rule).struct.field("outcome"),
                pl.col(rule).struct.field("code"),
                separator=" ",
            ).alias(rule)
            for rule in RULES
        ),
    )


@dataclass(frozen=True)
class Agreement:
    """How two ways of screening compare: findings compared, and the first disagreements."""

    transfers: int
    findings: int
    disagreements: int
    examples: tuple[str, ...]

    @property
    def agree(self) -> bool:
        """Whether every transfer, verdict and finding is the same."""
        return self.disagreements == 0


def compare(expected: pl.DataFrame, actual: pl.DataFrame, show: int = 5) -> Agreement:
    """Compare two common tables finding by finding (and verdict by verdict)."""
    if expected["transfer"].to_list() != actual["transfer"].to_list():
        missing = set(expected["transfer"]) ^ set(actual["transfer"])
        example = f"different transfers screened: {sorted(missing)[:show]} (or another order)"
        return Agreement(expected.height, 0, max(1, len(missing)), (example,))
    examples: list[str] = []
    disagreements = 0
    for column in ("verdict", *RULES):
        differ = expected[column].ne_missing(actual[column])
        count = int(differ.sum())
        disagreements += count
        if count and len(examples) < show:
            rows = pl.DataFrame(
                {
                    "transfer": expected["transfer"].filter(differ),
                    "expected": expected[column].filter(differ),
                    "actual": actual[column].filter(differ),
                }
            ).head(show - len(examples))
            examples += [
                f"{ref} {column}: project {want!r}, contender {got!r}"
                for ref, want, got in rows.iter_rows()
            ]
    return Agreement(expected.height, expected.height * len(RULES), disagreements, tuple(examples))
