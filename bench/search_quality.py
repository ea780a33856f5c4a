"""How well people search ranks the person a misspelt name means: recall@10 and mean
reciprocal rank, before and after the ranked scoring, on a labelled query set.

    .venv/bin/python bench/search_quality.py PATH/historical_figures_with_errors_50k.parquet
    .venv/bin/python bench/search_quality.py PATH --queries 500 --seed 1
    .venv/bin/python bench/search_quality.py PATH --against main   # also a commit's ranking

The data (Splink's ``historical_figures_with_errors_50k``: 50,578 records of 5,156 persons,
each record a copy of a Wikidata person with errors put in) becomes a register and a query
set: for each person (``cluster``), the first record's full name and its first name and
surname are the stored names (a name and an alias); every other record whose full name is
not one of those is a query, its ``cluster`` the person it should find. ``--queries`` of
them are drawn at random.

Each query is ranked against every stored name, exactly as the SQLite search ranks them
(a full scan) and as PostgreSQL ranks its candidates, by ``thirdcountry.names.rank`` and
by the ranking it replaced (kept below). A query's rank is the position of the first name
of its person (1 is first; no match counts as not found). It prints recall@1, @10, the
mean reciprocal rank (the reciprocal rank is 0 when not found within the matches) and the
time per query. ``--against REV`` also ranks with ``thirdcountry/names.py`` as it was at a
git commit (read with ``git show``), so a change is measured against what it changes in the
same run, on the same queries.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from thirdcountry.names import MIN_WORD, THRESHOLD, Match, name_forms, normalise, rank

console = Console(width=120)
Ranker = Callable[[str, Iterable[tuple[int, str, str]]], list[Match]]


def rank_before(query: str, names: Iterable[tuple[int, str, str]]) -> list[Match]:
    """The ranking as it was: each person scored by the best Jaro-Winkler score of any form
    of the query (the whole name or one word) against any form of their names, so that one
    shared word scored 100; equal scores in person order."""
    queries = name_forms(query)
    best: dict[int, Match] = {}
    if not queries:
        return []
    owners: dict[str, list[tuple[int, str]]] = {}
    for person_id, name, folded in names:
        owners.setdefault(folded, []).append((person_id, name))
    wholes = list(owners)
    names_of: dict[str, list[str]] = {}
    for folded in wholes:
        if " " in folded:
            for word in folded.split(" "):
                if len(word) >= MIN_WORD:
                    names_of.setdefault(word, []).append(folded)
    cutoff = (THRESHOLD - 0.1) / 100

    def credit(folded: str, points: float) -> None:
        for person_id, name in owners[folded]:
            found = best.get(person_id)
            if found is None or points > found.score:
                best[person_id] = Match(person_id, name, points)

    for q in queries:
        for folded, value, _ in process.extract_iter(
            q, wholes, scorer=JaroWinkler.normalized_similarity, score_cutoff=cutoff
        ):
            if value * 100 >= THRESHOLD:
                credit(folded, value * 100)
        for word, value, _ in process.extract_iter(
            q, list(names_of), scorer=JaroWinkler.normalized_similarity, score_cutoff=cutoff
        ):
            if value * 100 >= THRESHOLD:
                for folded in names_of[word]:
                    credit(folded, value * 100)
    return sorted(best.values(), key=lambda m: (-m.score, m.person_id))


def ranking_at(rev: str) -> Ranker:
    """``rank`` of ``thirdcountry.names`` as it was at the git commit ``rev``."""
    root = Path(__file__).resolve().parents[1]
    source = subprocess.run(
        ["git", "show", f"{rev}:src/thirdcountry/names.py"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    folder = Path(tempfile.mkdtemp())
    path = folder / f"names_at_{abs(hash(rev))}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    ranker: Ranker = module.rank
    return ranker


def register_and_queries(path: Path) -> tuple[list[tuple[int, str, str]], list[tuple[str, int]]]:
    """The stored names ``(person, name, folded)`` and every query ``(name, person)``."""
    frame = (
        pl.read_parquet(path, columns=["unique_id", "cluster", "full_name", "first_and_surname"])
        .with_columns(
            pl.col("unique_id").str.extract(r"-(\d+)$").cast(pl.Int64).alias("n"),
        )
        .sort("cluster", "n")
    )
    names: list[tuple[int, str, str]] = []
    queries: list[tuple[str, int]] = []
    persons: dict[str, int] = {}
    stored: dict[int, set[str]] = {}
    for cluster, full, short in frame.select(
        "cluster", "full_name", "first_and_surname"
    ).iter_rows():
        if cluster not in persons:
            person = persons[cluster] = len(persons) + 1
            stored[person] = set()
            for name in dict.fromkeys(n for n in (full, short) if n):
                names.append((person, name, normalise(name)))
                stored[person].add(normalise(name))
            continue
        person = persons[cluster]
        if full and normalise(full) not in stored[person]:
            queries.append((full, person))
    return names, queries


def measure(
    ranker: Ranker, names: list[tuple[int, str, str]], queries: list[tuple[str, int]]
) -> dict[str, Any]:
    """Recall@1, recall@10, MRR and the time per query of one ranking."""
    ranks: list[int | None] = []
    times: list[float] = []
    for query, person in queries:
        started = time.perf_counter()
        found = ranker(query, names)
        times.append(time.perf_counter() - started)
        position = next((i for i, m in enumerate(found, start=1) if m.person_id == person), None)
        ranks.append(position)
    count = len(queries)
    return {
        "recall@1": sum(1 for r in ranks if r == 1) / count,
        "recall@10": sum(1 for r in ranks if r is not None and r <= 10) / count,
        "mrr": sum(1 / r for r in ranks if r is not None) / count,
        "found": sum(1 for r in ranks if r is not None) / count,
        "ms p50": 1000 * statistics.median(times),
        "ms p95": 1000 * statistics.quantiles(times, n=20)[18],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parquet", type=Path)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--against", metavar="REV", help="also rank as names.py was at REV")
    args = parser.parse_args()
    names, queries = register_and_queries(args.parquet)
    chosen = random.Random(args.seed).sample(queries, min(args.queries, len(queries)))
    console.print(
        f"{len(names):,} stored names of {len({p for p, _, _ in names}):,} persons; "
        f"{len(chosen):,} of {len(queries):,} queries"
    )
    table = Table(title="People search quality", title_justify="left")
    for column in ("ranking", "recall@1", "recall@10", "MRR", "found at all", "ms p50", "ms p95"):
        table.add_column(column, justify="right")
    rankers: list[tuple[str, Ranker]] = [("before", rank_before)]
    if args.against:
        rankers.append((f"at {args.against}", ranking_at(args.against)))
    rankers.append(("now", rank))
    for label, ranker in rankers:
        result = measure(ranker, names, chosen)
        table.add_row(
            label,
            f"{result['recall@1']:.3f}",
            f"{result['recall@10']:.3f}",
            f"{result['mrr']:.3f}",
            f"{result['found']:.3f}",
            f"{result['ms p50']:.1f}",
            f"{result['ms p95']:.1f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()
