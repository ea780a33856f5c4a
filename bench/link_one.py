"""One new person linked at its creation against a stored population: the time a form
submit waits for the linkage model to score it (target: well under a second).

    .venv/bin/python bench/link_one.py --persons 100000 --new 200
    .venv/bin/python bench/link_one.py --url postgresql://postgres@127.0.0.1:5432/NAME

A fresh PostgreSQL database (dropped and created, then migrated) is filled with the first
``--persons`` records of the generated population of ``bench/linkage.py`` (real given names
and surnames, one in ten recorded twice with errors); the other ``--new`` records, drawn at
random, are each scored as a person being registered (``score_new_person``: the model's
blocks read from the database, the candidates' records read, the pairs scored with the
model's weights) and then as ``link_person`` does after the record is written (the same,
plus queueing the pairs at or above the review threshold). As a contender in the same run,
the same records are scored the way a whole linkage run would, a Splink linker built over
the candidates and ``find_matches_to_new_records``, for ``--splink`` of them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

console = Console(width=150)
URL = "postgresql://postgres@127.0.0.1:5432/linkage1m_bench_link_one"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=URL)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=200)
    parser.add_argument("--splink", type=int, default=5)
    parser.add_argument("--data", type=Path, default=None, help="The linkage benchmarks.")
    parser.add_argument("--keep", action="store_true", help="Reuse the database if filled.")
    args = parser.parse_args()
    os.environ["THIRDCOUNTRY_DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")
    sys.path.insert(0, str(Path(__file__).parent))
    import django

    name = args.url.rsplit("/", 1)[1]
    server = args.url.rsplit("/", 1)[0] + "/postgres"
    if not args.keep:
        subprocess.run(["psql", server, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {name}"], check=True)
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from linkage import DATA, generated
    from thirdcountry.cases import models as cases
    from thirdcountry.identity.selectors import candidate_refs, linkage_records, name_frequencies
    from thirdcountry.identity.services import link_person, score_new_person
    from thirdcountry.records.bulk_write import write_new_records
    from thirdcountry.scenario.model import Person, Scenario

    call_command("migrate", verbosity=0)
    records, _, _ = generated(args.persons + args.new, args.data or DATA)
    rows = list(records.iter_rows(named=True))
    stored, fresh = rows[: args.persons], rows[args.persons :]

    def person(row: dict[str, object]) -> Person:
        return Person(
            ref=str(row["unique_id"]),
            names=tuple(row["names"]),  # type: ignore[arg-type]
            **({"birth_date": row["birth_date"]} if row["birth_date"] is not None else {}),
            **({"nationalities": tuple(row["nationalities"])} if row["nationalities"] else {}),  # type: ignore[arg-type]
        )

    if cases.Person.objects.count() < args.persons:
        clock = time.perf_counter()
        with transaction.atomic():
            write_new_records(
                Scenario(persons=tuple(person(r) for r in stored)), reason="bench population"
            )
        console.print(f"stored {args.persons:,} persons in {time.perf_counter() - clock:.1f} s")
    rng = random.Random(2)
    drawn = rng.sample(fresh, min(args.new, len(fresh)))
    score_new_person(["warm up"], None)
    scoring, linking, found, cpu = [], [], [], []
    steps: dict[str, list[float]] = {"blocks": [], "records": [], "frequencies": []}
    for row in drawn:
        clock, process = time.perf_counter(), time.process_time()
        scored = score_new_person(row["names"], row["birth_date"], row["nationalities"])
        scoring.append((time.perf_counter() - clock) * 1000)
        cpu.append((time.process_time() - process) * 1000)
        found.append(len(scored))
        # Where the time goes: the reads, one by one (the rest is scoring in DuckDB).
        clock = time.perf_counter()
        refs = candidate_refs(row["names"], row["birth_date"])
        steps["blocks"].append((time.perf_counter() - clock) * 1000)
        clock = time.perf_counter()
        linkage_records(refs)
        steps["records"].append((time.perf_counter() - clock) * 1000)
        clock = time.perf_counter()
        name_frequencies(row["names"])
        steps["frequencies"].append((time.perf_counter() - clock) * 1000)
    stored_refs = set(cases.Person.objects.values_list("ref", flat=True))
    written = [r for r in drawn[: max(args.new // 4, 1)] if r["unique_id"] not in stored_refs]
    with transaction.atomic():
        write_new_records(Scenario(persons=tuple(person(r) for r in written)), reason="bench")
    for row in written:
        clock = time.perf_counter()
        link_person(str(row["unique_id"]))
        linking.append((time.perf_counter() - clock) * 1000)
    splink = []
    for row in drawn[: args.splink]:
        clock = time.perf_counter()
        splink_score(row, candidate_refs(row["names"], row["birth_date"]), linkage_records)
        splink.append((time.perf_counter() - clock) * 1000)
    console.print(
        f"{cases.Person.objects.count():,} stored persons; candidates per new record: "
        f"median {statistics.median(found):.0f}, max {max(found)}"
    )
    for label, values in (
        ("score_new_person (the warning before registering)", scoring),
        ("  of which CPU time of this process", cpu),
        ("  reading the blocks' candidates", steps["blocks"]),
        ("  reading the candidates' records", steps["records"]),
        ("  counting the name's frequencies", steps["frequencies"]),
        ("link_person (at creation: score and queue)", linking),
        ("contender: a Splink linker over the candidates", splink),
    ):
        if values:
            console.print(
                f"{label}: {len(values)} records, p50 {percentile(values, 0.5):.0f} ms, "
                f"p95 {percentile(values, 0.95):.0f} ms, max {max(values):.0f} ms"
            )
    if splink and scoring:
        ratio = statistics.median(splink) / statistics.median(scoring)
        console.print(f"Splink linker / score_new_person (medians): {ratio:.0f}x")
    console.print(f"load average: {os.getloadavg()}")
    return 0


def splink_score(row: dict[str, object], refs: list[str], read: object) -> int:
    """The contender: Splink's ``find_matches_to_new_records`` over the candidates."""
    import duckdb
    from splink import DuckDBAPI, Linker

    from thirdcountry.linkage.records import prepare, records_frame
    from thirdcountry.linkage.single import prior_model

    stored = prepare(read(refs))  # type: ignore[operator]
    new = records_frame(
        ["new"],
        [row["names"]],  # type: ignore[list-item]
        [row["birth_date"]],
        [row["nationalities"]],  # type: ignore[list-item]
    )
    linker = Linker(
        stored.to_arrow(),
        {**prior_model(), "link_type": "dedupe_only"},
        db_api=DuckDBAPI(duckdb.connect()),
    )
    found = linker.inference.find_matches_to_new_records(
        prepare(new).to_arrow(), blocking_rules=[], match_weight_threshold=-1000
    )
    return len(found.as_pandas_dataframe())


if __name__ == "__main__":
    raise SystemExit(main())
