"""Importing a large spreadsheet of persons and transfers on PostgreSQL.

Usage: python bench/import_rows.py [--rows N] [--keep]

Creates (or reuses, with --keep) the database ``thirdcountry_bench_import`` on the local
PostgreSQL server, migrates it and loads the example world (for its arrangements), writes a
CSV of ``--rows`` rows (default 1,000,000), each a person and a proposed transfer, then times
``thirdcountry import`` of it through the command line (read, validate every row, stream the
new records, audit them) and a second import of the same file (which must change nothing),
then a copy of the file with one row in a hundred changed, then the same two imports of the
first file by a contender (:mod:`contenders.copy_sql`: ``COPY`` into a
staging table and SQL), with the ratio of the times.
The re-screen of a large import goes to the background worker and is not part of the time.
Target: 1,000,000 rows in 2 minutes or less.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from contenders import copy_sql

DATABASE = os.environ.get("BENCH_DATABASE", "thirdcountry_bench_import")
URL = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"

MAPPING = """
name = "bench"
[columns."Person ID"]
fact = "person.ref"
[columns."Name"]
fact = "person.names"
separator = "|"
[columns."Born"]
fact = "person.birth_date"
[columns."Citizenship"]
fact = "person.nationalities"
[columns."Fit"]
fact = "person.fit_to_travel"
[columns."Case"]
fact = "transfer.ref"
[columns."To"]
fact = "transfer.destination"
[columns."Scheme"]
fact = "transfer.arrangement"
[columns."Planned"]
fact = "transfer.planned_date"
[constants]
"transfer.sending" = "US"
"""

GIVEN = ["Amina", "Omar", "Karim", "Lena", "Sara", "Yusuf", "Hassan", "Fatima", "Ali", "Maria"]
SURNAMES = ["Haddad", "Yusuf", "Petrova", "Mohammed", "Kamara", "Diallo", "Rahimi", "Okafor"]
COUNTRIES = ["Somalia", "SYR", "IQ", "Afghanistan", "ER", "Sudan", "VEN", "Haiti"]


def write_rows(path: Path, rows: int) -> None:
    """A CSV of ``rows`` persons, each with one proposed transfer to Rwanda."""
    rng = random.Random(1)
    start = date(1950, 1, 1)
    pl.DataFrame(
        {
            "Person ID": [f"B-{n}" for n in range(rows)],
            "Name": [f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)} {n}" for n in range(rows)],
            "Born": [
                (start + timedelta(days=rng.randrange(20000))).isoformat() for _ in range(rows)
            ],
            "Citizenship": [rng.choice(COUNTRIES) for _ in range(rows)],
            "Fit": [rng.choice(["Y", "N", ""]) for _ in range(rows)],
            "Case": [f"BT-{n}" for n in range(rows)],
            "To": ["Rwanda"] * rows,
            "Scheme": ["US-RW-2025"] * rows,
            "Planned": ["2025-10-01"] * rows,
        }
    ).write_csv(path)


def change_rows(source: Path, target: Path, every: int = 100) -> int:
    """``source`` with one row in ``every`` given another name (a changed person); returns
    how many rows changed."""
    frame = pl.read_csv(source, infer_schema=False)
    changed = (pl.int_range(pl.len()) % every) == 0
    frame.with_columns(
        pl.when(changed).then(pl.col("Name") + " Jr").otherwise(pl.col("Name")).alias("Name")
    ).write_csv(target)
    return int(frame.select(changed.sum()).item())


def psql(sql: str) -> None:
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="Reuse the database as it is.")
    args = parser.parse_args()
    env = {**os.environ, "THIRDCOUNTRY_DATABASE_URL": URL}
    env.setdefault("THIRDCOUNTRY_SECRET_KEY", "bench-only-key-for-imported-records-0123456789")
    command = [sys.executable, "-m", "thirdcountry"]
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        psql(f"CREATE DATABASE {DATABASE}")
        subprocess.run([*command, "migrate", "-v0"], env=env, check=True)
        example = subprocess.run(
            [*command, "example"], env=env, check=True, capture_output=True, text=True
        ).stdout.strip()
        subprocess.run([*command, "load", example], env=env, check=True)
    with tempfile.TemporaryDirectory() as folder:
        source, mapping = Path(folder) / "rows.csv", Path(folder) / "bench.toml"
        mapping.write_text(MAPPING, encoding="utf-8")
        print(f"load average {os.getloadavg()[0]:.1f} before")
        clock = time.perf_counter()
        write_rows(source, args.rows)
        print(f"wrote {args.rows:,} rows in {time.perf_counter() - clock:.1f} s")
        edited = Path(folder) / "rows-changed.csv"
        print(f"{change_rows(source, edited):,} rows changed in {edited.name}")
        timings: dict[str, float] = {}
        for attempt, path in (
            ("first import", source),
            ("same file again", source),
            ("1% of rows changed", edited),
        ):
            clock = time.perf_counter()
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(
                [*command, "import", str(path), "--mapping", str(mapping)],
                env={**env, "COLUMNS": "200"},
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - clock
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
            # CPU time tells the import's own cost apart from waiting for a loaded machine
            # (the database server's work is not in it).
            print(
                f"{attempt}: exit {done.returncode} in {seconds:.1f} s ({cpu:.1f} s of CPU; "
                f"load average {os.getloadavg()[0]:.1f} at the end)"
            )
            print(done.stdout.strip() or done.stderr.strip()[-2000:])
            timings[attempt] = seconds
        # The contender: COPY into a staging table, checks and writes in SQL (same file).
        copy_sql.prepare(URL)
        for attempt in ("first import", "same file again"):
            clock = time.perf_counter()
            problems = copy_sql.import_csv(URL, source)
            seconds = time.perf_counter() - clock
            print(
                f"contender COPY + SQL, {attempt}: {seconds:.1f} s ({problems} problems); "
                f"the project takes {timings[attempt] / seconds:.1f}x as long "
                f"(load average {os.getloadavg()[0]:.1f})"
            )


if __name__ == "__main__":
    main()
