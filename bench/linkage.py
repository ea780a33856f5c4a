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
import os
import random
import re
import resource
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
console = Console(width=160)
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


#: Spelling changes a transliteration or a clerk makes ("Youssef", "Yusef", "Jussef").
_TRANSLITERATIONS = (
    ("ph", "f"),
    ("ou", "u"),
    ("y", "i"),
    ("ck", "k"),
    ("sh", "ch"),
    ("ee", "i"),
    ("oo", "u"),
    ("mm", "m"),
    ("ll", "l"),
    ("v", "w"),
    ("c", "k"),
    ("j", "dj"),
    ("kh", "h"),
    ("ei", "ey"),
    ("a", "e"),
)
#: Nationalities of the generated persons, the most frequent first (drawn unevenly).
_COUNTRIES = ("AF", "SY", "VE", "UA", "SD", "IQ", "ER", "SO", "CD", "MM", "HT", "NG", "PK", "GN")


def name_lists(folder: Path) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Given names and surnames of real name lists: the persons of the historical set (each
    person's most frequent spelling) and the originals of FEBRL3; and, for each given name,
    the other given names the historical set records for the same person ("thomas" and
    "tom"), which a duplicate may carry instead."""
    raw = pl.read_parquet(folder / "historical_figures_with_errors_50k.parquet")
    persons = raw.group_by("cluster", maintain_order=True).agg(
        pl.col("first_name").drop_nulls().mode().sort().first().alias("given"),
        pl.col("surname").drop_nulls().mode().sort().first().alias("surname"),
        pl.col("first_name").drop_nulls().unique().sort().alias("variants"),
    )
    febrl = pl.read_csv(folder / "febrl3.csv", infer_schema=False)
    febrl = febrl.rename({c: c.strip() for c in febrl.columns}).with_columns(
        pl.all().str.strip_chars()
    )
    febrl = febrl.filter(pl.col("rec_id").str.ends_with("-org"))
    word = re.compile(r"^[a-z]{2,}$")
    given = sorted({g for g in [*persons["given"], *febrl["given_name"]] if g and word.match(g)})
    surnames = sorted({s for s in [*persons["surname"], *febrl["surname"]] if s and word.match(s)})
    variants: dict[str, list[str]] = {}
    for main, seen in persons.select("given", "variants").iter_rows():
        for other in seen or []:
            if main and other != main and word.match(other):
                variants.setdefault(main, []).append(other)
    return given, surnames, variants


def _typo(word: str, rng: random.Random) -> str:
    """A typing error: two letters swapped, one dropped, doubled or replaced."""
    if len(word) < 3:
        return word
    i = rng.randrange(len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiounrst") + word[i + 1 :]


def _transliterate(word: str, rng: random.Random) -> str:
    """Another spelling of the same sounds, or a typing error when none applies."""
    found = [(a, b) for a, b in _TRANSLITERATIONS if a in word]
    if not found:
        return _typo(word, rng)
    a, b = rng.choice(found)
    return word.replace(a, b, 1)


def _other_digit(born: date, rng: random.Random) -> date | None:
    """The birth date with one digit of the day or the year mistyped (None when invalid)."""
    text = born.isoformat()
    i = rng.choice((2, 3, 8, 9))
    digits = text[:i] + str((int(text[i]) + rng.randrange(1, 10)) % 10) + text[i + 1 :]
    try:
        return date.fromisoformat(digits)
    except ValueError:
        return None


def generated(count: int, folder: Path) -> tuple[pl.DataFrame, pl.DataFrame, list[list[str]]]:
    """``count`` records of generated persons named from real name lists (see
    :func:`name_lists`), born 1940-2009, one in ten recorded a second time with one or two
    errors: a typing error or another transliteration of the given name or surname, a
    nickname for the given name, the words in another order, day and month swapped, a digit
    of the birth date mistyped, the birth date unknown, or the nationality unknown."""
    given_names, surnames, variants = name_lists(folder)
    rng = random.Random(1)
    ids: list[str] = []
    names: list[list[str]] = []
    births: list[date | None] = []
    nationalities: list[list[str] | None] = []
    cluster: list[int] = []
    start, days = date(1940, 1, 1), (date(2010, 1, 1) - date(1940, 1, 1)).days
    weights = [1 / (i + 1) ** 0.5 for i in range(len(_COUNTRIES))]
    n = 0
    while len(ids) < count:
        given, surname = rng.choice(given_names), rng.choice(surnames)
        born = start + timedelta(days=rng.randrange(days))
        countries = rng.choices(_COUNTRIES, weights)
        ids.append(f"g{n}")
        names.append([f"{given} {surname}"])
        births.append(born)
        nationalities.append(countries)
        cluster.append(n)
        if len(ids) < count and rng.random() < 0.1:
            g, s, b, c, reversed_ = given, surname, born, countries, False
            for error in rng.sample(range(9), rng.choice((1, 1, 2))):
                if error == 0:
                    g = _typo(g, rng)
                elif error == 1:
                    s = _typo(s, rng)
                elif error == 2:
                    s = _transliterate(s, rng)
                elif error == 3:
                    g = rng.choice(variants.get(given) or [_transliterate(g, rng)])
                elif error == 4:
                    reversed_ = True
                elif error == 5 and b is not None and b.day <= 12:
                    b = b.replace(day=b.month, month=b.day)
                elif error == 6 and b is not None:
                    b = _other_digit(b, rng)
                elif error == 7:
                    b = None
                elif error == 8:
                    c = None
            ids.append(f"g{n}-dup")
            names.append([f"{s} {g}" if reversed_ else f"{g} {s}"])
            births.append(b)
            nationalities.append(c)
            cluster.append(n)
        n += 1
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
    console.print(f"  pairs the blocks bring together: {blocked_pairs(model):,}")
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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(f"  peak memory of the process so far: {peak:,.0f} MB; load {os.getloadavg()}")
    grouped = clusters(pairs, records["unique_id"].cast(pl.String).to_list())
    add_row(
        table,
        name,
        f"model ≥ {threshold}: clustered",
        score_clusters(grouped, truth),
        time.perf_counter() - clock,
    )


def blocked_pairs(model: LinkageModel) -> int:
    """The pairs the model's blocks generate, each counted once (Splink's cumulative count),
    printed block by block."""
    from splink import DuckDBAPI, block_on
    from splink.blocking_analysis import (
        cumulative_comparisons_to_be_scored_from_blocking_rules_data as cumulative,
    )

    counts = cumulative(
        table_or_tables=[model.connection.table("records")],
        blocking_rules=[block_on(*b) for b in model.blocks],
        link_type="dedupe_only",
        db_api=DuckDBAPI(model.connection),
    )
    for block, added, total in zip(
        model.blocks, counts["row_count"], counts["cumulative_rows"], strict=True
    ):
        console.print(f"    {' + '.join(block)}: {added:,} new pairs, {total:,} in all")
    return int(counts["cumulative_rows"].iloc[-1])


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
    parser.add_argument("--only", choices=["febrl3", "historical", "none"], default=None)
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
        measure(
            f"generated {args.generated:,}",
            generated(args.generated, args.data),
            args.threshold,
            table,
        )
    console.print(table)


if __name__ == "__main__":
    main()
