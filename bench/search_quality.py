"""How well people search ranks the person a misspelt name means: recall@10 and mean
reciprocal rank, before and after the ranked scoring, on a labelled query set.

    .venv/bin/python bench/search_quality.py PATH/historical_figures_with_errors_50k.parquet
    .venv/bin/python bench/search_quality.py PATH --queries 500 --seed 1
    .venv/bin/python bench/search_quality.py PATH --against main   # also a commit's ranking

The data (Splink's ``historical_figures_with_errors_50k``: 50,578 records of 5,156 persons,
each record a copy of a Wikidata person with errors put in) becomes a register and a query
set, in one of three constructions (``--construction``, repeatable; all three by default):

- ``aliases``: each person (``cluster``) stored once, every name its records hold (full
  names, first names and surnames) its aliases, as a caseload holds a person whose
  duplicates were merged; a query is a record's corrupted full name (one no other record of
  its cluster holds), the names only that record holds left out of the register while it
  is ranked;
- ``records``: every record a stored person record of its own (a caseload before its
  duplicates are merged), the same queries, their own record left out; a query is answered
  right when another record of its cluster ranks in the first k;
- ``first``: each person stored once under its first record's full name and its first name
  and surname (a name and an alias); every other record whose full name is not one of those
  is a query.

``--queries`` of them are drawn at random (``--seed``).

Each query is ranked against every stored name, exactly as the SQLite search ranks them
(a full scan) and as PostgreSQL ranks its candidates, by ``thirdcountry.names.rank`` and
by the ranking it replaced (kept below; ``--no-before`` leaves it out). A query's rank is
the position of the first person that answers it (1 is first; no match counts as not
found). It prints recall@1, @10, the mean reciprocal rank (the reciprocal rank is 0 when
not found within the matches) and the time per query; ``--misses N`` prints N queries
missed in the first ten. ``--against REV`` also ranks with ``thirdcountry/names.py`` as it was at a
git commit (read with ``git show``), so a change is measured against what it changes in the
same run, on the same queries.

After each construction's table it prints the ceiling of any ranking of names alone on the
same queries (``bench/search_ceiling.py``: the persons holding the query's name, or all its
words, cannot be told apart by the name) and each ranking's misses by kind of query (a
single given name, a surname alone, initials, a familiar form, typing errors...), with how
many of them no name-only ranking is sure to put in the first ten.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from thirdcountry.names import MIN_WORD, THRESHOLD, Match, name_forms, normalise, rank

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_ceiling import Ceiling, K, category, ceiling, name_key

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


@dataclass(frozen=True, slots=True)
class Query:
    """A corrupted name, the persons that answer it right, and the record it was taken
    from (whose names are left out of the register while it is ranked), if stored."""

    name: str
    persons: frozenset[int]
    record: int | None = None


@dataclass(frozen=True, slots=True)
class Construction:
    """A register (``(person, name, folded)`` rows, each with the records it comes from)
    and the queries asked of it."""

    label: str
    names: list[tuple[int, str, str]]
    sources: list[frozenset[int]]
    queries: list[Query]

    def ceilings(self, queries: list[Query]) -> list[tuple[Ceiling, list[str]]]:
        """Each query's :class:`~search_ceiling.Ceiling` among the names of its register,
        with the folded names its right persons hold there."""
        by_key: dict[tuple[str, ...], list[int]] = {}
        by_word: dict[str, set[int]] = {}
        names_of: dict[int, list[tuple[str, frozenset[int]]]] = {}
        for row, ((person, _, folded), source) in enumerate(
            zip(self.names, self.sources, strict=True)
        ):
            by_key.setdefault(name_key(folded), []).append(row)
            for word in folded.split():
                by_word.setdefault(word, set()).add(row)
            names_of.setdefault(person, []).append((folded, source))
        out = []
        for query in queries:
            only = frozenset((query.record,)) if query.record is not None else None
            folded = normalise(query.name)
            words = [by_word.get(w, set()) for w in set(folded.split())]
            rows = set.intersection(*words) if words else set()
            # The names only the query's own record holds are not in its register.
            exact = {
                self.names[r][0]
                for r in by_key.get(name_key(folded), [])
                if self.sources[r] != only
            }
            containing = {self.names[r][0] for r in rows if self.sources[r] != only}
            held = [f for p in query.persons for f, s in names_of.get(p, []) if s != only]
            out.append((ceiling(folded, exact, containing, query.persons, held), held))
        return out

    def register_for(self, query: Query) -> list[tuple[int, str, str]]:
        """The register without the names only the query's own record holds."""
        if query.record is None:
            return self.names
        only = frozenset((query.record,))
        return [row for row, src in zip(self.names, self.sources, strict=True) if src != only]


def records(path: Path) -> pl.DataFrame:
    """The data set's records in cluster order, each with its number (``record``)."""
    return (
        pl.read_parquet(path, columns=["unique_id", "cluster", "full_name", "first_and_surname"])
        .with_columns(pl.col("unique_id").str.extract(r"-(\d+)$").cast(pl.Int64).alias("n"))
        .sort("cluster", "n")
        .with_row_index("record")
    )


def first_record(frame: pl.DataFrame) -> Construction:
    """Each person stored once: the first record's full name and its first name and
    surname (a name and an alias); every other record whose full name is not one of those
    is a query, its ``cluster`` the person it should find."""
    names: list[tuple[int, str, str]] = []
    queries: list[Query] = []
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
            queries.append(Query(full, frozenset((person,))))
    return Construction("first record", names, [frozenset()] * len(names), queries)


def _corrupted(frame: pl.DataFrame) -> tuple[list[tuple[int, str, str, str]], list[int]]:
    """The records ``(record, cluster, full name, first and surname)`` and the records
    whose full name no other record of its cluster holds (as a full name or as a first
    name and surname), folded: the corrupted names a register does not hold as written."""
    rows = [
        (int(r), str(c), f or "", s or "")
        for r, c, f, s in frame.select(
            "record", "cluster", "full_name", "first_and_surname"
        ).iter_rows()
    ]
    holders: dict[tuple[str, str], set[int]] = {}
    for record, cluster, full, short in rows:
        for name in (full, short):
            if name:
                holders.setdefault((cluster, normalise(name)), set()).add(record)
    asked = [
        record
        for record, cluster, full, _ in rows
        if full and holders[(cluster, normalise(full))] == {record}
    ]
    return rows, asked


def every_record(frame: pl.DataFrame) -> Construction:
    """Every record of the data set a stored person record (a caseload before its
    duplicates are merged: about ten records a person), its full name and its first name
    and surname; a query is a record's corrupted full name, its own record left out, and
    it is answered right when another record of its cluster ranks in the first k."""
    rows, asked = _corrupted(frame)
    of_cluster: dict[str, set[int]] = {}
    names: list[tuple[int, str, str]] = []
    sources: list[frozenset[int]] = []
    for record, cluster, full, short in rows:
        of_cluster.setdefault(cluster, set()).add(record + 1)
        for name in dict.fromkeys(n for n in (full, short) if n):
            names.append((record + 1, name, normalise(name)))
            sources.append(frozenset((record,)))
    cluster_of = {record: cluster for record, cluster, _, _ in rows}
    queries = [Query(rows[r][2], frozenset(of_cluster[cluster_of[r]] - {r + 1}), r) for r in asked]
    return Construction("every record a person record", names, sources, queries)


def cluster_aliases(frame: pl.DataFrame) -> Construction:
    """Each person (``cluster``) stored once with every name its records hold, full names
    and first names and surnames, as aliases (a caseload whose duplicates are merged); a
    query is a record's corrupted full name, the names only that record holds left out."""
    rows, asked = _corrupted(frame)
    persons: dict[str, int] = {}
    held: dict[tuple[int, str], tuple[str, set[int]]] = {}
    for record, cluster, full, short in rows:
        person = persons.setdefault(cluster, len(persons) + 1)
        for name in (full, short):
            if name:
                held.setdefault((person, normalise(name)), (name, set()))[1].add(record)
    names = [(person, name, folded) for (person, folded), (name, _) in held.items()]
    sources = [frozenset(src) for _, src in held.values()]
    queries = [Query(rows[r][2], frozenset((persons[rows[r][1]],)), r) for r in asked]
    return Construction("a person per cluster, its names aliases", names, sources, queries)


CONSTRUCTIONS: dict[str, Callable[[pl.DataFrame], Construction]] = {
    "aliases": cluster_aliases,
    "records": every_record,
    "first": first_record,
}


def measure(ranker: Ranker, construction: Construction, queries: list[Query]) -> dict[str, Any]:
    """Recall@1, recall@10, MRR and the time per query of one ranking."""
    ranks: list[int | None] = []
    times: list[float] = []
    for query in queries:
        register = construction.register_for(query)
        started = time.perf_counter()
        found = ranker(query.name, register)
        times.append(time.perf_counter() - started)
        position = next(
            (i for i, m in enumerate(found, start=1) if m.person_id in query.persons), None
        )
        ranks.append(position)
    count = len(queries)
    return {
        "recall@1": sum(1 for r in ranks if r == 1) / count,
        "recall@10": sum(1 for r in ranks if r is not None and r <= 10) / count,
        "mrr": sum(1 / r for r in ranks if r is not None) / count,
        "found": sum(1 for r in ranks if r is not None) / count,
        "ms p50": 1000 * statistics.median(times),
        "ms p95": 1000 * statistics.quantiles(times, n=20)[18],
        "ranks": ranks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parquet", type=Path)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--against", metavar="REV", help="also rank as names.py was at REV")
    parser.add_argument(
        "--construction",
        choices=list(CONSTRUCTIONS),
        action="append",
        help="the register and queries (repeatable; default: all three)",
    )
    parser.add_argument("--no-before", action="store_true", help="leave out the old ranking")
    parser.add_argument("--misses", type=int, default=0, help="print this many misses of now")
    args = parser.parse_args()
    if args.queries < 2:
        parser.error("--queries must be at least 2")
    frame = records(args.parquet)
    rankers: list[tuple[str, Ranker]] = [] if args.no_before else [("before", rank_before)]
    if args.against:
        rankers.append((f"at {args.against}", ranking_at(args.against)))
    rankers.append(("now", rank))
    for key in args.construction or list(CONSTRUCTIONS):
        construction = CONSTRUCTIONS[key](frame)
        queries = construction.queries
        chosen = random.Random(args.seed).sample(queries, min(args.queries, len(queries)))
        console.print(
            f"{construction.label}: {len(construction.names):,} stored names of "
            f"{len({p for p, _, _ in construction.names}):,} persons; "
            f"{len(chosen):,} of {len(queries):,} queries"
        )
        table = Table(title=f"People search quality: {construction.label}", title_justify="left")
        for column in (
            "ranking",
            "recall@1",
            "recall@10",
            "MRR",
            "found at all",
            "ms p50",
            "ms p95",
        ):
            table.add_column(column, justify="right")
        results: dict[str, list[int | None]] = {}
        for label, ranker in rankers:
            result = measure(ranker, construction, chosen)
            results[label] = result["ranks"]
            table.add_row(
                label,
                f"{result['recall@1']:.3f}",
                f"{result['recall@10']:.3f}",
                f"{result['mrr']:.3f}",
                f"{result['found']:.3f}",
                f"{result['ms p50']:.1f}",
                f"{result['ms p95']:.1f}",
            )
            if label == "now" and args.misses:
                _print_misses(construction, chosen, result["ranks"], args.misses)
        console.print(table)
        _print_ceiling(construction, chosen, results)


def _print_ceiling(
    construction: Construction, queries: list[Query], results: dict[str, list[int | None]]
) -> None:
    """The oracle bounds of a name-only ranking on these queries, and each ranking's misses
    (not in the first ten) by kind of query."""
    bounds = construction.ceilings(queries)
    count = len(queries)
    tied = sum(1 for c, _ in bounds if c.others)
    recall = sum(c.recall for c, _ in bounds) / count
    mrr = sum(c.rr for c, _ in bounds) / count
    lost = sum(1 for c, _ in bounds if not c.evidence)
    recall_seen = sum(c.recall for c, _ in bounds if c.evidence) / count
    mrr_seen = sum(c.rr for c, _ in bounds if c.evidence) / count
    strict_recall = sum(c.strict_recall for c, _ in bounds) / count
    strict_mrr = sum(c.strict_rr for c, _ in bounds) / count
    console.print(
        f"Oracle bound of a name-only ranking (names alike by their words alone; {tied} "
        f"queries with others holding their name or all its words): recall@{K} {recall:.3f}, "
        f"MRR {mrr:.3f}; counting as lost too the {lost} queries that share no word with "
        f"their person: recall@{K} {recall_seen:.3f}, MRR {mrr_seen:.3f}; strict (the "
        f"holders of every word as written first): recall@{K} {strict_recall:.3f}, "
        f"MRR {strict_mrr:.3f}"
    )
    kinds = [""] * count
    table = Table(title=f"Misses (not in the first {K}) by kind of query", title_justify="left")
    table.add_column("kind of query")
    for label in results:
        table.add_column(f"{label}: misses (tied), share", justify="right")
    tally: dict[str, dict[str, list[int]]] = {}
    for label, ranks in results.items():
        misses = [i for i, r in enumerate(ranks) if r is None or r > K]
        for i in misses:
            if not kinds[i]:
                kinds[i] = category(queries[i].name, bounds[i][1])
            counts = tally.setdefault(kinds[i], {}).setdefault(label, [0, 0, len(misses)])
            counts[0] += 1
            counts[1] += bounds[i][0].recall < 1.0
    for kind in sorted(tally, key=lambda k: -sum(v[0] for v in tally[k].values())):
        row = [kind]
        for label in results:
            n, tie, total = tally[kind].get(label, [0, 0, 1])
            row.append(f"{n} ({tie}), {n / max(total, 1):.0%}")
        table.add_row(*row)
    console.print(table)
    console.print(
        "'tied': misses that no name-only ranking is sure to put in the first "
        f"{K}: others hold the query's name as written (the person not), or as many hold "
        "all its words as the person does"
    )


def _print_misses(
    construction: Construction, queries: list[Query], ranks: list[int | None], count: int
) -> None:
    """The first ``count`` queries whose person is not in the first ten, with the names
    their person is stored under."""
    names_of: dict[int, list[str]] = {}
    for person, _, folded in construction.names:
        names_of.setdefault(person, []).append(folded)
    shown = 0
    for query, position in zip(queries, ranks, strict=True):
        if position is not None and position <= 10:
            continue
        held = sorted({n for p in query.persons for n in names_of.get(p, [])})[:6]
        console.print(f"miss ({position}): {query.name!r} -> {held}", markup=False)
        shown += 1
        if shown >= count:
            break


if __name__ == "__main__":
    main()
