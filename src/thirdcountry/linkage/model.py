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

#: Match probability at and above which a pair is proposed to a reviewer as the same person.
THRESHOLD: Final = 0.9
#: Match probability at and above which pairs are linked into one person without review,
#: their links then closed over (connected components): the figures in bench/README.md.
LINK_THRESHOLD: Final = 0.999

#: Names are alike at these Jaro-Winkler similarities (the levels of a name comparison).
NAME_LEVELS: Final = (0.92, 0.8)

#: Below this many records the weights are not learnt: too few pairs agree on anything for
#: the estimates to settle, so the priors below are used as they are.
MIN_TRAINING: Final = 1_000
#: The prior share of random pairs that are one person (learnt when the model is trained).
PRIOR_MATCH_SHARE: Final = 0.001

_NULL = "{c}_l IS NULL OR {c}_r IS NULL"

#: Each comparison's levels, best first: the SQL condition, its label, and the prior share of
#: true matches (m) and of random pairs (u) that reach it. The priors are judgement, set so a
#: small caseload still gets sensible candidates; training on a real caseload replaces them.
_NAME_LEVELS: Final = (
    ("name_l = name_r", "the same name", 0.5, 0.0005),
    ("name_words_l = name_words_r", "the same words in another order", 0.05, 0.0001),
    ("list_has_any(alias_names_l, alias_names_r)", "a name or alias in common", 0.1, 0.0005),
    ("jaro_winkler_similarity(name_l, name_r) >= 0.92", "names nearly alike", 0.15, 0.002),
    ("len(list_intersect(name_keys_l, name_keys_r)) >= 2", "two words sound alike", 0.08, 0.002),
    ("jaro_winkler_similarity(name_l, name_r) >= 0.8", "names alike", 0.05, 0.02),
    ("len(list_intersect(name_keys_l, name_keys_r)) >= 1", "a word sounds alike", 0.04, 0.05),
)
_SWAPPED = (
    "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
    " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
)
_DOB_LEVELS: Final = (
    ("dob_l = dob_r", "the same birth date", 0.8, 0.0001),
    (_SWAPPED, "day and month swapped", 0.04, 0.00001),
    ("damerau_levenshtein(dob_l, dob_r) <= 1", "one digit differs", 0.07, 0.001),
    ("substr(dob_l, 1, 7) = substr(dob_r, 1, 7)", "same year and month", 0.02, 0.001),
    ("substr(dob_l, 1, 4) = substr(dob_r, 1, 4)", "same year", 0.03, 0.01),
    ("damerau_levenshtein(dob_l, dob_r) <= 2", "two digits differ", 0.02, 0.02),
)
_NATIONALITY_LEVELS: Final = (
    ("nationality_set_l = nationality_set_r", "the same nationalities", 0.85, 0.2),
    ("list_has_any(nationality_set_l, nationality_set_r)", "a nationality in common", 0.1, 0.02),
)


def _word_levels(column: str) -> tuple[tuple[str, str, float, float], ...]:
    return (
        (f"{column}_l = {column}_r", f"the same {column}", 0.75, 0.01),
        (
            f"jaro_winkler_similarity({column}_l, {column}_r) >= {NAME_LEVELS[0]}",
            f"{column} nearly alike",
            0.1,
            0.005,
        ),
        (
            f"jaro_winkler_similarity({column}_l, {column}_r) >= {NAME_LEVELS[1]}",
            f"{column} alike",
            0.08,
            0.05,
        ),
    )


def _extra_levels(column: str) -> tuple[tuple[str, str, float, float], ...]:
    return (
        (f"{column}_l = {column}_r", f"the same {column}", 0.8, 0.01),
        (
            f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.88",
            f"{column} alike",
            0.1,
            0.01,
        ),
    )


def _comparison(
    column: str,
    description: str,
    levels: tuple[tuple[str, str, float, float], ...],
    missing: str | None = None,
    *,
    frequencies: bool = True,
) -> Any:
    """A comparison of ``column``: a level for missing data, then ``levels``, then the rest
    (with the share of m and u the levels leave). With ``frequencies``, agreeing exactly on
    a rare value weighs more than on a common one ("Nduhungirehe" more than "Ali")."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    m_rest = max(1.0 - sum(level[2] for level in levels), 0.01)
    u_rest = max(1.0 - sum(level[3] for level in levels), 0.01)
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.CustomLevel(missing or _NULL.format(c=column), f"{description} missing").configure(
                is_null_level=True
            ),
            *(
                _level(sql, label, m, u, column if frequencies else None)
                for sql, label, m, u in levels
            ),
            cll.ElseLevel().configure(m_probability=m_rest, u_probability=u_rest),
        ],
        comparison_description=description,
    )


def _level(sql: str, label: str, m: float, u: float, frequencies_of: str | None) -> Any:
    """A level with its priors; agreeing exactly on ``frequencies_of`` is weighed by how
    rare the value is."""
    import splink.comparison_level_library as cll

    level = cll.CustomLevel(sql, label).configure(m_probability=m, u_probability=u)
    if frequencies_of is not None and sql == f"{frequencies_of}_l = {frequencies_of}_r":
        level = level.configure(tf_adjustment_column=frequencies_of)
    return level


def comparisons(extras: Sequence[str]) -> list[Any]:
    """The model's comparisons: name (folded, with aliases), given name, surname, birth date
    (with partial and swapped agreement), nationalities, then each extra attribute."""
    return [
        _comparison("name", "name", _NAME_LEVELS),
        _comparison("given", "given name", _word_levels("given")),
        _comparison("surname", "surname", _word_levels("surname")),
        _comparison("dob", "birth date", _DOB_LEVELS, frequencies=False),
        _comparison(
            "nationality_set",
            "nationalities",
            _NATIONALITY_LEVELS,
            frequencies=False,
            missing="nationality_set_l IS NULL OR nationality_set_r IS NULL "
            "OR len(nationality_set_l) = 0 OR len(nationality_set_r) = 0",
        ),
        *(_comparison(c, c.replace("_", " "), _extra_levels(c)) for c in extras),
    ]


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
        rules: list[Any] = [
            block_on("dob"),
            block_on("given_key", "surname_key"),
            block_on("surname_key", "birth_year"),
            block_on("given_key", "birth_year"),
            *(block_on(*b) for b in blocks),
        ]
        settings = SettingsCreator(
            link_type="dedupe_only",
            comparisons=comparisons(self.extras),
            probability_two_random_records_match=PRIOR_MATCH_SHARE,
            blocking_rules_to_generate_predictions=rules,
            retain_intermediate_calculation_columns=True,
            retain_matching_columns=True,
        )
        table: Any = self.connection.table("records")
        self.linker = Linker(table, settings, db_api=DuckDBAPI(self.connection))
        self._deterministic: list[Any] = [
            block_on(*rule) for rule in (deterministic or (("name", "dob"),))
        ]
        self._block_on = block_on

    def train(self, *, max_pairs: float = 2e6) -> bool:
        """Learn the weights from the records: the share of matching pairs from rules that
        only a true match satisfies, how often random pairs agree (``u``), and how often
        matches agree (``m``, by expectation-maximisation over two blockings). Fewer than
        :data:`MIN_TRAINING` records keep the priors; returns whether it trained."""
        if self.records.height < MIN_TRAINING:
            return False
        training = self.linker.training
        training.estimate_probability_two_random_records_match(self._deterministic, recall=0.7)
        training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=1)
        training.estimate_parameters_using_expectation_maximisation(
            self._block_on("dob"), estimate_without_term_frequencies=True
        )
        training.estimate_parameters_using_expectation_maximisation(
            self._block_on("given_key", "surname_key"), estimate_without_term_frequencies=True
        )
        return True

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
                # How rare the agreeing value is adjusts the level's weight.
                factor *= row.get(f"bf_tf_adj_{name}") or 1.0
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
