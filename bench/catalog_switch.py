"""Switching the catalog on a generated world, on PostgreSQL.

Usage: python bench/catalog_switch.py [--persons N] [--transfers N] [--keep]

Creates (or reuses, with --keep) the database ``catalogswitch_bench`` on the local
PostgreSQL server, fills it with a generated population screened under catalog 2026.1,
then measures:

1. ``catalog use 2026.2``: one run re-screening every pending transfer under 2026.2 (the
   stored world read once as scenario@2, each transfer screened, every screening and the
   run's diff written), and where its time goes: reading the world, screening, the rest;
2. ``catalog use 2026.1``: the way back, through the vectorised 2026.1 engine (every
   finding changes catalog, so every screening and diff entry is written): the contender;
3. a single transfer re-screened under 2026.2 (the world restricted to what it reads).

Prints each figure, the ratio of the two switches, and the process's peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

from rich.console import Console

DATABASE = "catalogswitch_bench"
URL = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
console = Console()


def psql(sql: str) -> None:
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True)


def prepare(persons: int, transfers: int, keep: bool) -> None:
    """A migrated database with a generated population screened under 2026.1."""
    env = {**os.environ, "THIRDCOUNTRY_DATABASE_URL": URL, "THIRDCOUNTRY_CATALOG": "2026.1"}
    if not keep:
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        psql(f"CREATE DATABASE {DATABASE}")
        run = [sys.executable, "-m", "thirdcountry"]
        subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
        started = time.perf_counter()
        subprocess.run(
            [*run, "generate", "--persons", str(persons), "--transfers", str(transfers)],
            env=env,
            check=True,
        )
        console.print(f"population written and screened in {time.perf_counter() - started:.1f} s")
    os.environ["THIRDCOUNTRY_DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--transfers", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    prepare(args.persons, args.transfers, args.keep)
    import django

    django.setup()
    from thirdcountry.cases.catalog_choice import use_catalog
    from thirdcountry.cases.models import Transfer
    from thirdcountry.cases.rescreening import default_as_of
    from thirdcountry.cases.screening_v2 import findings_table, stored_world
    from thirdcountry.cases.services import screen_transfer
    from thirdcountry.rules import catalogs
    from thirdcountry.rules.v2.catalog import CatalogV2

    catalog = catalogs.any_catalog("2026.2")
    assert isinstance(catalog, CatalogV2)
    pending = Transfer.objects.filter(status="proposed").count()
    console.print(f"{pending:,} pending transfers")

    as_of = default_as_of()
    started = time.perf_counter()
    world = stored_world(catalog, as_of, None)
    read = time.perf_counter() - started
    refs = [t.ref for t in world.scenario.transfers if t.status == "proposed"]
    started = time.perf_counter()
    findings_table(catalog, world, refs)
    screened = time.perf_counter() - started
    del world

    started = time.perf_counter()
    forward = use_catalog("2026.2", reason="benchmark")
    to_v2 = time.perf_counter() - started
    started = time.perf_counter()
    back = use_catalog("2026.1", reason="benchmark")
    to_v1 = time.perf_counter() - started

    use_catalog("2026.2", reason="benchmark")
    one = refs[len(refs) // 2]
    started = time.perf_counter()
    screen_transfer(one)
    single = time.perf_counter() - started
    use_catalog("2026.1", reason="benchmark")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(
        f"switch to 2026.2: {to_v2:.1f} s for {forward.transfers_screened:,} transfers "
        f"({forward.changed:,} changes); of which reading the world as @2 ≈ {read:.1f} s, "
        f"screening ≈ {screened:.1f} s ({screened / max(len(refs), 1) * 1e3:.2f} ms a transfer)"
    )
    console.print(
        f"switch back to 2026.1 (vectorised engine, the contender): {to_v1:.1f} s "
        f"({back.changed:,} changes); ratio 2026.2 / 2026.1 = {to_v2 / to_v1:.1f}"
    )
    console.print(f"one transfer re-screened under 2026.2: {single * 1e3:.0f} ms")
    console.print(f"peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
