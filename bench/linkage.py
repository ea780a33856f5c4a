"""Identity resolution measured on public benchmarks with known duplicates: pairwise
precision, recall and F1 at the chosen threshold, and the time, for the linkage model and,
in the same run, the plain baseline (exact match on folded name and birth date).

    .venv/bin/python bench/linkage.py                        # FEBRL3 and historical 50k
    .venv/bin/python bench/linkage.py --data DIR --only febrl3 --threshold 0.9
    .venv/bin/python bench/linkage.py --generated 1000000    # a generated population

``--data`` is the folder of the person-linkage benchmarks (FEBRL3 from the Febrl generator;
``historical_figures_with_errors_50k`` from Wikidata with synthetic errors). Scores count
every pair of records linked directly (the model's pairs at or above the threshold) and,
as "clustered", every pair in the same connected component of those links.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from thirdcountry.linkage.evaluation import (
    PairScores,
    baseline_pairs,
    score_clusters,
    score_pairs,
)
from thirdcountry.linkage.model import LINK_THRESHOLD, LinkageModel, clusters

#: The benchmarks beside the checkout (as ``../shared/data`` holds them); ``--data`` for others.
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "person-linkage-benchmarks"
console = Console()
#: The thresholds whose scores are shown, to choose one from.
SWEEP = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999)


def febrl3(folder: Path) -> tuple[pl.DataFrame, pl.DataFrame, list[list[str]]]:
    """FEBRL3: 5,000 records (2,000 originals, 3,000 duplicates); the truth is the number in
    ``rec-N-…``."""
    raw = pl.read_csv(folder / "febrl3.csv", infer_schema=False)
    raw = raw.rename({c: c.strip() for c in raw.columns}).with_columns(pl.all().str.strip_chars())
    records = raw.select(
        pl.col("rec_id").alias("unique_id"),
        pl.concat_list(
            pl.concat_str(
                pl.col("given_name").fill_null(""), pl.col("surname").fill_null(""), separator=" "
            )
        ).alias("names"),
        pl.col("date_of_birth").str.to_date("%Y%m%d", strict=False).alias("birth_date"),
        pl.lit(None, pl.List(pl.String)).alias("nationalities"),
        pl.col("soc_sec_id"),
        pl.col("postcode"),
        pl.concat_str("street_number", "address_1", separator=" ").alias("address"),
        pl.col("suburb"),
    )
    truth = raw.select(
        pl.col("rec_id").alias("unique_id"),
        pl.col("rec_id").str.extract(r"rec-(\d+)-").alias("cluster"),
    )
    return records, truth, [["soc_sec_id"], ["postcode"]]


def historical(folder: Path) -> tuple[pl.DataFrame, pl.DataFrame, list[list[str]]]:
    """Historical figures with errors: 50,578 records of 5,156 persons (Wikidata ids)."""
    raw = pl.read_parquet(folder / "historical_figures_with_errors_50k.parquet")
    records = raw.select(
        pl.col("unique_id"),
        pl.concat_list(pl.col("first_and_surname"), pl.col("full_name"))
        .list.drop_nulls()
        .alias("names"),
        pl.col("dob").str.to_date("%Y-%m-%d", strict=False).alias("birth_date"),
        pl.lit(None, pl.List(pl.String)).alias("nationalities"),
        pl.col("birth_place"),
        pl.col("postcode_fake").alias("postcode"),
        pl.col("gender"),
        pl.col("occupation"),
    )
    truth = raw.select("unique_id", "cluster")
    return (
        records,
        truth,
        [["postcode"], ["birth_place", "given_key"], ["birth_place", "surname_key"], ["surname"]],
    )


_GIVEN = [
    "amina",
    "omar",
    "karim",
    "lena",
    "sara",
    "yusuf",
    "hassan",
    "fatima",
    "ali",
    "maria",
    "ivan",
    "chen",
    "nguyen",
    "abdi",
    "grace",
    "jean",
    "ahmed",
    "leila",
    "samuel",
    "mehdi",
]
_SURNAMES = [
    "haddad",
    "yusuf",
    "petrova",
    "mohammed",
    "kamara",
    "diallo",
    "rahimi",
    "okafor",
    "nguyen",
    "wang",
    "ibrahim",
    "hosseini",
    "mensah",
    "traore",
    "abebe",
    "garcia",
]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def generated(count: int) -> tuple[pl.DataFrame, pl.DataFrame, list[list[str]]]:
    """``count`` generated persons, one in ten recorded twice with a typing error in a name,
    a swapped day and month or a missing birth date."""
    rng = random.Random(1)
    ids, names, births, nationalities, cluster = [], [], [], [], []
    start = date(1950, 1, 1)
    originals = int(count / 1.1)
    for n in range(originals):
        given = rng.choice(_GIVEN) + rng.choice(["", "", "a", "e", "o"])
        surname = rng.choice(_SURNAMES) + str(rng.randrange(2000))
        born = start + timedelta(days=rng.randrange(20000))
        country = rng.choice(["SO", "SY", "IQ", "AF", "ER", "SD", "VE", "HT"])
        ids.append(f"g{n}")
        names.append([f"{given} {surname}"])
        births.append(born)
        nationalities.append([country])
        cluster.append(n)
        if len(ids) < count and rng.random() < 0.1:
            error = rng.randrange(3)
            ids.append(f"g{n}-dup")
            names.append([f"{_typo(given, rng) if error == 0 else given} {surname}"])
            swapped = born.replace(day=born.month, month=born.day) if born.day <= 12 else born
            births.append(swapped if error == 1 else (None if error == 2 else born))
            nationalities.append([country])
            cluster.append(n)
    records = pl.DataFrame(
        {"unique_id": ids, "names": names, "birth_date": births, "nationalities": nationalities},
        schema_overrides={"birth_date": pl.Date, "nationalities": pl.List(pl.String)},
    )
    truth = pl.DataFrame({"unique_id": ids, "cluster": cluster})
    return records, truth, []


def timed(what: Callable[[], pl.DataFrame]) -> tuple[pl.DataFrame, float]:
    clock = time.perf_counter()
    result = what()
    return result, time.perf_counter() - clock


def measure(
    name: str,
    loaded: tuple[pl.DataFrame, pl.DataFrame, list[list[str]]],
    threshold: float,
    table: Table,
) -> None:
    records, truth, blocks = loaded
    console.print(
        f"[bold]{name}[/]: {records.height:,} records, {truth['cluster'].n_unique():,} persons"
    )
    base, base_seconds = timed(lambda: baseline_pairs(records))
    add_row(
        table, name, "baseline: folded name + birth date", score_pairs(base, truth), base_seconds
    )
    clock = time.perf_counter()
    model = LinkageModel(records, blocks=blocks)
    model.train()
    trained = time.perf_counter() - clock
    every = model.predict(min(SWEEP))
    total = time.perf_counter() - clock
    ids = records["unique_id"].cast(pl.String).to_list()
    for level in SWEEP:
        linked = every.filter(pl.col("match_probability") >= level)
        scores = score_pairs(linked, truth)
        grouped = score_clusters(clusters(linked, ids), truth)
        console.print(
            f"  at {level}: linked P {scores.precision:.3f} R {scores.recall:.3f} "
            f"F1 {scores.f1:.3f}; clustered P {grouped.precision:.3f} R {grouped.recall:.3f} "
            f"F1 {grouped.f1:.3f}"
        )
    pairs = every.filter(pl.col("match_probability") >= threshold)
    console.print(
        f"  trained in {trained:.1f} s, predicted {pairs.height:,} pairs in {total - trained:.1f} s"
    )
    add_row(table, name, f"model ≥ {threshold}: linked pairs", score_pairs(pairs, truth), total)
    grouped = clusters(pairs, records["unique_id"].cast(pl.String).to_list())
    add_row(
        table,
        name,
        f"model ≥ {threshold}: clustered",
        score_clusters(grouped, truth),
        time.perf_counter() - clock,
    )


def add_row(table: Table, data: str, method: str, scores: PairScores, seconds: float) -> None:
    table.add_row(
        data,
        method,
        f"{scores.predicted:,}",
        f"{scores.true:,}",
        f"{scores.precision:.3f}",
        f"{scores.recall:.3f}",
        f"{scores.f1:.3f}",
        f"{seconds:.1f}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--only", choices=["febrl3", "historical"], default=None)
    parser.add_argument("--threshold", type=float, default=LINK_THRESHOLD)
    parser.add_argument(
        "--generated", type=int, default=0, help="Also link this many generated persons."
    )
    args = parser.parse_args()
    table = Table(title="Pairwise linkage scores", title_justify="left")
    for column in ("data", "method", "pairs", "true pairs", "precision", "recall", "F1", "seconds"):
        table.add_column(column, justify="left" if column in ("data", "method") else "right")
    if args.only in (None, "febrl3"):
        measure("FEBRL3", febrl3(args.data), args.threshold, table)
    if args.only in (None, "historical"):
        measure("historical 50k", historical(args.data), args.threshold, table)
    if args.generated:
        measure(f"generated {args.generated:,}", generated(args.generated), args.threshold, table)
    console.print(table)


if __name__ == "__main__":
    main()
