"""One new record scored against stored candidates with the linkage model's own weights.

A caseworker registering a person waits for the answer, so this does what Splink's
``find_matches_to_new_records`` does without building a linker (which spends seconds
parsing the model's SQL): each comparison's levels, taken from the model as Splink saves it
(the trained weights, or the priors when nothing was trained), are evaluated by DuckDB over
the candidate pairs, and each pair's match weight is the prior odds plus the log Bayes
factor of every level reached, adjusted by how rare an exactly agreeing value is. The same
pair scores the same here as in Splink (the tests compare them). This module needs no
Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import polars as pl

from thirdcountry.linkage.model import PRIOR_MATCH_SHARE, Candidate, comparisons
from thirdcountry.linkage.records import prepare

#: Splink's value for a level the training never observed (its m or u is taken as this).
_NOT_OBSERVED = 1e-6


@dataclass(frozen=True)
class _Level:
    gamma: int
    sql: str
    label: str
    factor: float
    #: The column whose value's frequency adjusts an exact agreement, with the level's u.
    frequency_of: str | None
    u: float
    weight_of_frequency: float
    minimum_u: float


def _probability(level: Mapping[str, Any], key: str) -> float | None:
    value = level.get(key)
    if isinstance(value, str):
        return _NOT_OBSERVED
    return None if value is None else float(value)


def _levels(comparison: Mapping[str, Any]) -> list[_Level]:
    """A comparison's levels with their gamma values as Splink numbers them: -1 for the
    missing-data level, then the others from the highest down to 0."""
    levels = comparison["comparison_levels"]
    rank = sum(1 for level in levels if not level.get("is_null_level"))
    found = []
    for level in levels:
        if level.get("is_null_level"):
            gamma, factor = -1, 1.0
        else:
            rank -= 1
            gamma = rank
            m, u = _probability(level, "m_probability"), _probability(level, "u_probability")
            # Without both estimates a level is no evidence either way.
            factor = 1.0 if m is None or u is None else (math.inf if u == 0 else m / u)
        found.append(
            _Level(
                gamma,
                str(level["sql_condition"]),
                str(level.get("label_for_charts", "")),
                factor,
                level.get("tf_adjustment_column"),
                _probability(level, "u_probability") or 0.0,
                float(level.get("tf_adjustment_weight", 1.0) or 0.0),
                float(level.get("tf_minimum_u_value", 0.0) or 0.0),
            )
        )
    return found


@cache
def prior_model() -> dict[str, Any]:
    """The model as Splink saves it, with the priors as its weights (nothing trained)."""
    return {
        "probability_two_random_records_match": PRIOR_MATCH_SHARE,
        "comparisons": [c.get_comparison("duckdb").as_dict() for c in comparisons([])],
    }


class SingleRecordScorer:
    """Scores one new record against candidate records with a saved model (Splink's JSON:
    ``probability_two_random_records_match`` and ``comparisons``)."""

    def __init__(self, model: Mapping[str, Any]) -> None:
        share = float(model["probability_two_random_records_match"])
        self.prior_weight = math.log2(share / (1 - share))
        self.comparisons = {str(c["output_column_name"]): _levels(c) for c in model["comparisons"]}

    def _gamma_sql(self, name: str) -> str:
        cases = " ".join(
            f"WHEN {level.sql} THEN {level.gamma}"
            for level in self.comparisons[name]
            if level.sql.strip().upper() != "ELSE"
        )
        return f"CASE {cases} ELSE 0 END AS gamma_{name}"

    def score(
        self,
        new: pl.DataFrame,
        stored: pl.DataFrame,
        frequencies: Mapping[str, Mapping[str, float]] | None = None,
    ) -> list[Candidate]:
        """Every stored record (a record frame, see :mod:`~thirdcountry.linkage.records`)
        compared with the one record of ``new``, most likely first. ``frequencies`` gives,
        for a compared column, the share of stored records holding each value (a rare
        name agreeing weighs more); a value it does not name is not adjusted."""
        import duckdb

        if new.height != 1:
            raise ValueError("score one new record at a time")
        if stored.height == 0:
            return []
        left, right = prepare(stored), prepare(new)
        columns = [c for c in left.columns if c != "unique_id" and c in right.columns]
        connection = duckdb.connect()
        try:
            connection.register("stored", left.to_arrow())
            connection.register("new", right.to_arrow())
            pairs = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in columns)
            gammas = ", ".join(self._gamma_sql(name) for name in self.comparisons)
            named = ", ".join(f"{c}_l" for c in self.comparisons if c in columns)
            sql = (
                f"WITH pairs AS (SELECT l.unique_id AS unique_id_l, r.unique_id AS unique_id_r,"
                f" {pairs} FROM stored l CROSS JOIN new r)"
                f" SELECT unique_id_l, unique_id_r, {named}, {gammas} FROM pairs"
            )
            rows = connection.sql(sql).pl().iter_rows(named=True)
            found = [self._candidate(row, frequencies or {}) for row in rows]
        finally:
            connection.close()
        return sorted(found, key=lambda c: (-c.weight, c.left))

    def _candidate(
        self, row: Mapping[str, Any], frequencies: Mapping[str, Mapping[str, float]]
    ) -> Candidate:
        total = self.prior_weight
        contributions: dict[str, tuple[str, float]] = {}
        for name, levels in self.comparisons.items():
            gamma = int(row[f"gamma_{name}"])
            level = next(lv for lv in levels if lv.gamma == gamma)
            factor = level.factor * self._frequency_factor(level, row, frequencies)
            weight = math.log2(factor) if factor > 0 else -math.inf
            total += weight
            contributions[name] = (level.label, weight)
        probability = 2**total / (1 + 2**total) if total < 1000 else 1.0
        return Candidate(
            str(row["unique_id_l"]), str(row["unique_id_r"]), probability, total, contributions
        )

    @staticmethod
    def _frequency_factor(
        level: _Level, row: Mapping[str, Any], frequencies: Mapping[str, Mapping[str, float]]
    ) -> float:
        """Splink's term-frequency adjustment: agreeing on a value held by a share ``tf`` of
        records multiplies the level's factor by ``(u / max(tf, minimum u)) ** weight``."""
        if level.frequency_of is None or level.weight_of_frequency == 0 or level.gamma < 0:
            return 1.0
        share = frequencies.get(level.frequency_of, {}).get(str(row.get(f"{level.frequency_of}_l")))
        if share is None:
            return 1.0
        divisor = max(share, level.minimum_u) if level.minimum_u else share
        return float((level.u / divisor) ** level.weight_of_frequency)
