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
import resource
import statistics
import time

from rich.console import Console

from population import generated_database

DATABASE = "catalogswitch_bench"
# Flushed line by line: the figures show as they come even when the output is a file.
console = Console(force_terminal=False, soft_wrap=True)


def clock() -> tuple[float, float]:
    """Wall-clock and this process's CPU seconds (the machine is shared: CPU time says
    what the work cost, wall time what waiting for the cores added)."""
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    now = clock()
    return now[0] - start[0], now[1] - start[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--transfers", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    generated_database(
        DATABASE,
        args.persons,
        args.transfers,
        keep=args.keep,
        env={"THIRDCOUNTRY_CATALOG": "2026.1"},
        say=console.print,
    )
    import django

    django.setup()
    from thirdcountry.cases.catalog_choice import use_catalog
    from thirdcountry.cases.models import Transfer
    from thirdcountry.cases.rescreening import default_as_of
    from thirdcountry.cases.screening_v2 import findings_table, stored_world
    from thirdcountry.cases.services import screen_transfer
    from thirdcountry.cases.world_v2 import screening_scenario_v2
    from thirdcountry.rules import catalogs
    from thirdcountry.rules.v2.catalog import CatalogV2

    catalog = catalogs.any_catalog("2026.2")
    assert isinstance(catalog, CatalogV2)
    pending = Transfer.objects.filter(status="proposed").count()
    console.print(f"{pending:,} pending transfers")

    as_of = default_as_of()
    started = clock()
    world = stored_world(catalog, as_of, None)
    read = since(started)
    console.print(f"stored world read as @2: {read[0]:.1f} s wall, {read[1]:.1f} s CPU")
    refs = [t.ref for t in world.scenario.transfers if t.status == "proposed"]
    started = clock()
    findings_table(catalog, world, refs)
    screened = since(started)
    console.print(
        f"screened under 2026.2: {screened[0]:.1f} s wall, {screened[1]:.1f} s CPU "
        f"({screened[1] / max(len(refs), 1) * 1e3:.2f} ms CPU a transfer)"
    )
    del world

    started = clock()
    forward = use_catalog("2026.2", reason="benchmark")
    to_v2 = since(started)
    console.print(
        f"switch to 2026.2: {to_v2[0]:.1f} s wall, {to_v2[1]:.1f} s CPU for "
        f"{forward.transfers_screened:,} transfers ({forward.changed:,} changes)"
    )
    started = clock()
    back = use_catalog("2026.1", reason="benchmark")
    to_v1 = since(started)
    console.print(
        f"switch back to 2026.1 (vectorised engine, the contender): {to_v1[0]:.1f} s wall, "
        f"{to_v1[1]:.1f} s CPU ({back.changed:,} changes); ratio 2026.2 / 2026.1: "
        f"{to_v2[0] / to_v1[0]:.1f} wall, {to_v2[1] / to_v1[1]:.1f} CPU"
    )

    use_catalog("2026.2", reason="benchmark")
    # Five transfers spread over the pending ones, each screened alone (a run of its own,
    # as a saved fact causes): the median, and what reading its records took of it.
    ones = [refs[(i * len(refs)) // 5] for i in range(5)]
    singles, reads = [], []
    for one in ones:
        started = clock()
        screening_scenario_v2([one])
        reads.append(since(started))
        started = clock()
        screen_transfer(one)
        singles.append(since(started))
    use_catalog("2026.1", reason="benchmark")
    wall = statistics.median(s[0] for s in singles)
    cpu = statistics.median(s[1] for s in singles)
    console.print(
        f"one transfer re-screened under 2026.2 (median of {len(ones)}): {wall * 1e3:.0f} ms "
        f"wall, {cpu * 1e3:.0f} ms CPU; of it reading what its screening reads "
        f"{statistics.median(r[0] for r in reads) * 1e3:.0f} ms wall"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(f"peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
