"""The probabilistic linkage model (Fellegi-Sunter, trained and run by Splink on DuckDB).

Each comparison of two records says how far they agree on one attribute (a level), and each
level carries a weight learnt from the records themselves: how much more often true matches
agree that way than random pairs do. A pair's match weight is the sum of its comparisons'
weights, so a reviewer can read which attribute added or took away how much.

The same settings run unchanged on Splink's Spark backend when a population outgrows one
machine; only the database API passed to the linker differs. This module needs no Django.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from thirdcountry.linkage.records import extra_columns, prepare
from thirdcountry.names import soundex

#: Match probability at and above which a pair is proposed as the same person.
THRESHOLD: Final = 0.9

#: Names are alike at these Jaro-Winkler similarities (the levels of a name comparison).
NAME_LEVELS: Final = (0.92, 0.8)

_NULL = "{c}_l IS NULL OR {c}_r IS NULL"


def _name_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.CustomLevel(_NULL.format(c="name"), "a name is missing").configure(
                is_null_level=True
            ),
            cll.ExactMatchLevel("name"),
            cll.CustomLevel(
                "name_words_l = name_words_r", "the same words in another order"
            ),
            cll.CustomLevel(
                "list_has_any(alias_names_l, alias_names_r)", "a name or alias in common"
            ),
            cll.JaroWinklerLevel("name", NAME_LEVELS[0]),
            cll.CustomLevel(
                "len(list_intersect(name_keys_l, name_keys_r)) >= 2",
                "two words sound alike",
            ),
            cll.JaroWinklerLevel("name", NAME_LEVELS[1]),
            cll.CustomLevel(
                "len(list_intersect(name_keys_l, name_keys_r)) >= 1", "a word sounds alike"
            ),
            cll.ElseLevel(),
        ],
        comparison_description="name (folded, with aliases)",
    )


def _word_comparison(column: str) -> Any:
    import splink.comparison_library as cl

    return cl.JaroWinklerAtThresholds(column, list(NAME_LEVELS))


def _birth_date_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    swapped = (
        "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
        " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
    )
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.CustomLevel(_NULL.format(c="dob"), "a birth date is missing").configure(
                is_null_level=True
            ),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel(swapped, "day and month swapped"),
            cll.CustomLevel("damerau_levenshtein(dob_l, dob_r) <= 1", "one digit differs"),
            cll.CustomLevel(
                "substr(dob_l, 1, 7) = substr(dob_r, 1, 7)", "same year and month"
            ),
            cll.CustomLevel("substr(dob_l, 1, 4) = substr(dob_r, 1, 4)", "same year"),
            cll.CustomLevel("damerau_levenshtein(dob_l, dob_r) <= 2", "two digits differ"),
            cll.ElseLevel(),
        ],
        comparison_description="birth date",
    )


def _nationality_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="nationality_set",
        comparison_levels=[
            cll.CustomLevel(
                "nationality_set_l IS NULL OR nationality_set_r IS NULL "
                "OR len(nationality_set_l) = 0 OR len(nationality_set_r) = 0",
                "nationalities unknown",
            ).configure(is_null_level=True),
            cll.CustomLevel("nationality_set_l = nationality_set_r", "the same nationalities"),
            cll.CustomLevel(
                "list_has_any(nationality_set_l, nationality_set_r)", "a nationality in common"
            ),
            cll.ElseLevel(),
        ],
        comparison_description="nationalities",
    )


def _extra_comparison(column: str) -> Any:
    import splink.comparison_library as cl

    return cl.JaroWinklerAtThresholds(column, [0.88])


@dataclass(frozen=True)
class Candidate:
    """A pair of records the model proposes as one person, with its score and, for each
    comparison, the level it reached and the weight that level added (log2 Bayes factor)."""

    left: str
    right: str
    probability: float
    weight: float
    contributions: dict[str, tuple[str, float]]


class LinkageModel:
    """A linkage model over one set of records (a frame :func:`prepare` reads)."""

    def __init__(
        self,
        records: pl.DataFrame,
        *,
        blocks: Sequence[Sequence[str]] = (),
        deterministic: Sequence[Sequence[str]] = (),
    ) -> None:
        import duckdb
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on

        logging.getLogger("splink").setLevel(logging.WARNING)
        prepared = prepare(records)
        self.extras = extra_columns(records)
        prepared = prepared.with_columns(
            pl.col("given").map_elements(soundex, return_dtype=pl.String).alias("given_key"),
            pl.col("surname").map_elements(soundex, return_dtype=pl.String).alias("surname_key"),
        )
        self.records = prepared
        self.connection = duckdb.connect()
        self.connection.register("records", prepared.to_arrow())
        comparisons = [
            _name_comparison(),
            _word_comparison("given"),
            _word_comparison("surname"),
            _birth_date_comparison(),
            _nationality_comparison(),
            *(_extra_comparison(c) for c in self.extras),
        ]
        rules = [
            block_on("dob"),
            block_on("given_key", "surname_key"),
            block_on("surname_key", "birth_year"),
            block_on("given_key", "birth_year"),
            *(block_on(*b) for b in blocks),
        ]
        settings = SettingsCreator(
            link_type="dedupe_only",
            comparisons=comparisons,
            blocking_rules_to_generate_predictions=rules,
            retain_intermediate_calculation_columns=True,
            retain_matching_columns=True,
        )
        self.linker = Linker(
            self.connection.table("records"), settings, db_api=DuckDBAPI(self.connection)
        )
        self._deterministic = [
            block_on(*rule) for rule in (deterministic or (("name", "dob"),))
        ]
        self._block_on = block_on

    def train(self, *, max_pairs: float = 2e6) -> None:
        """Learn the weights from the records: the share of matching pairs from rules that
        only a true match satisfies, how often random pairs agree (``u``), and how often
        matches agree (``m``, by expectation-maximisation over two blockings)."""
        training = self.linker.training
        training.estimate_probability_two_random_records_match(self._deterministic, recall=0.7)
        training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=1)
        training.estimate_parameters_using_expectation_maximisation(
            self._block_on("dob"), estimate_without_term_frequencies=True
        )
        training.estimate_parameters_using_expectation_maximisation(
            self._block_on("given_key", "surname_key"), estimate_without_term_frequencies=True
        )

    def predict(self, threshold: float = THRESHOLD) -> pl.DataFrame:
        """Every blocked pair at or above ``threshold``: ``unique_id_l``, ``unique_id_r``,
        ``match_probability``, ``match_weight`` and each comparison's ``gamma_*`` and
        ``bf_*`` columns."""
        predicted = self.linker.inference.predict(threshold_match_probability=threshold)
        relation = predicted.as_duckdbpyrelation()
        return relation.pl()

    def labels(self) -> dict[str, dict[int, str]]:
        """Each comparison's levels named, by gamma value (-1 for missing data)."""
        model = self.linker.misc.save_model_to_json()
        labels: dict[str, dict[int, str]] = {}
        for comparison in model["comparisons"]:
            levels = comparison["comparison_levels"]
            named: dict[int, str] = {}
            rank = sum(1 for level in levels if not level.get("is_null_level"))
            for level in levels:
                text = str(level.get("label_for_charts", ""))
                if level.get("is_null_level"):
                    named[-1] = text
                else:
                    rank -= 1
                    named[rank] = text
            labels[comparison["output_column_name"]] = named
        return labels

    def candidates(self, threshold: float = THRESHOLD) -> list[Candidate]:
        """The predicted pairs, each with what every comparison contributed."""
        import math

        predicted = self.predict(threshold)
        labels = self.labels()
        found: list[Candidate] = []
        for row in predicted.iter_rows(named=True):
            contributions = {}
            for name, named in labels.items():
                gamma = row.get(f"gamma_{name}")
                factor = row.get(f"bf_{name}")
                if gamma is None or factor is None:
                    continue
                weight = math.log2(factor) if factor > 0 else float("-inf")
                contributions[name] = (named.get(int(gamma), str(gamma)), weight)
            found.append(
                Candidate(
                    str(row["unique_id_l"]),
                    str(row["unique_id_r"]),
                    float(row["match_probability"]),
                    float(row["match_weight"]),
                    contributions,
                )
            )
        return found


def clusters(pairs: pl.DataFrame, ids: Sequence[str]) -> pl.DataFrame:
    """Connected components of linked pairs (``unique_id_l``, ``unique_id_r``): each id with
    the smallest id of its component as ``cluster``."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for left, right in pairs.select("unique_id_l", "unique_id_r").iter_rows():
        a, b = find(str(left)), find(str(right))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return pl.DataFrame({"unique_id": list(ids), "cluster": [find(i) for i in ids]})
