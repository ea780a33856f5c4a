"""Measuring a linkage against the truth: pairwise precision, recall and F1, and the plain
baseline every model must beat (records linked when their folded names and birth dates are
equal). This module needs no Django."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from thirdcountry.linkage.records import prepare


@dataclass(frozen=True)
class PairScores:
    """Pairwise precision, recall and F1 of a set of linked pairs against the true pairs."""

    predicted: int
    true: int
    correct: int

    @property
    def precision(self) -> float:
        """The share of linked pairs that are the same person."""
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """The share of true pairs that were linked."""
        return self.correct / self.true if self.true else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _ordered(pairs: pl.DataFrame) -> pl.DataFrame:
    left, right = pl.col("unique_id_l").cast(pl.String), pl.col("unique_id_r").cast(pl.String)
    return pairs.select(
        pl.min_horizontal(left, right).alias("a"), pl.max_horizontal(left, right).alias("b")
    ).unique()


def pairs_within(clusters: pl.DataFrame) -> pl.DataFrame:
    """Every pair of records in the same cluster (``unique_id``, ``cluster``)."""
    frame = clusters.select(pl.col("unique_id").cast(pl.String), "cluster")
    joined = frame.join(frame, on="cluster", suffix="_r").filter(
        pl.col("unique_id") < pl.col("unique_id_r")
    )
    return joined.select(pl.col("unique_id").alias("unique_id_l"), "unique_id_r")


def score_pairs(linked: pl.DataFrame, truth: pl.DataFrame) -> PairScores:
    """Score linked pairs (``unique_id_l``, ``unique_id_r``) against true clusters
    (``unique_id``, ``cluster``)."""
    predicted = _ordered(linked)
    true = _ordered(pairs_within(truth))
    correct = predicted.join(true, on=["a", "b"], how="inner").height
    return PairScores(predicted.height, true.height, correct)


def baseline_pairs(records: pl.DataFrame) -> pl.DataFrame:
    """Pairs of records whose folded primary names and birth dates are both known and
    equal: the plain rule a model is measured against."""
    prepared = prepare(records).filter(pl.col("name").is_not_null() & pl.col("dob").is_not_null())
    keyed = prepared.select("unique_id", pl.concat_str("name", "dob", separator="|").alias("k"))
    joined = keyed.join(keyed, on="k", suffix="_r").filter(
        pl.col("unique_id") < pl.col("unique_id_r")
    )
    return joined.select(pl.col("unique_id").alias("unique_id_l"), "unique_id_r")


def _pairs_of(sizes: pl.Expr) -> pl.Expr:
    return (sizes * (sizes - 1) // 2).sum()


def score_clusters(predicted: pl.DataFrame, truth: pl.DataFrame) -> PairScores:
    """Score predicted clusters (``unique_id``, ``cluster``) against true ones, pair by pair,
    counting pairs from cluster sizes (a large cluster has too many pairs to list)."""
    joined = predicted.select(pl.col("unique_id").cast(pl.String), pl.col("cluster").alias("p"))
    joined = joined.join(
        truth.select(pl.col("unique_id").cast(pl.String), pl.col("cluster").alias("t")),
        on="unique_id",
    )

    def count(*by: str) -> int:
        sizes = joined.group_by(*by).len()
        return int(sizes.select(_pairs_of(pl.col("len").cast(pl.Int64))).item() or 0)

    return PairScores(count("p"), count("t"), count("p", "t"))
