"""Re-screening at national scale on PostgreSQL.

Usage: python bench/rescreen.py [--persons N] [--transfers N] [--sample K] [--keep]
                                [--database NAME]

Creates (or reuses, with --keep) the database ``thirdcountry_bench_rescreen`` (or NAME) on
the local PostgreSQL server, fills it with a generated population, then measures:

1. a full re-screen that changes nothing (read facts, evaluate, compare, write nothing);
2. a full re-screen on the next day with nothing changed (the screening date is not part of
   any finding: nothing is written);
3. a full re-screen where every finding changes, as under a new catalog (the latest
   screenings are marked as made under another catalog first): read, evaluate, write every
   screening and the run's diff;
4. a court order on the arrangement with nearest 100,000 pending transfers: from recording
   the order to the run being complete;
5. the stored bytes per screening (table and indexes, divided by rows);
6. the naive way on a sample: one transfer at a time through the ORM (read its records as
   objects, screen it alone, store its screening), for the speed-up ratio;

and prints each figure with the process's peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import date, timedelta
from typing import Any

from rich.console import Console
from rich.table import Table

from population import generated_database

DATABASE = "thirdcountry_bench_rescreen"
#: The court order is recorded on the arrangement with about this many pending transfers.
ORDER_SIZE = 100_000
console = Console()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def naive_screen(refs: list[str], as_of: date) -> float:
    """Screen transfers one at a time through the ORM; seconds per transfer."""
    from thirdcountry.cases.bulk import change_keys
    from thirdcountry.cases.models import ScreeningRecord, Transfer
    from thirdcountry.records.export import (
        export_arrangements,
        export_countries,
        export_court_orders,
        export_persons,
        export_transfers,
    )
    from thirdcountry.registry.models import Assessment
    from thirdcountry.scenario.model import Scenario
    from thirdcountry.screening import screen_scenario

    started = time.perf_counter()
    for ref in refs:
        transfer = export_transfers([ref])[0]
        arrangements = export_arrangements([transfer.arrangement] if transfer.arrangement else [])
        executed = (
            export_transfers(
                list(
                    Transfer.objects.filter(
                        arrangement__ref=transfer.arrangement, status="executed"
                    ).values_list("ref", flat=True)
                )
            )
            if transfer.arrangement
            else []
        )
        world = Scenario(
            as_of=as_of,
            countries=tuple(
                export_countries(
                    list(Assessment.objects.values_list("country_id", flat=True).distinct())
                )
            ),
            arrangements=tuple(arrangements),
            court_orders=tuple(export_court_orders()),
            persons=tuple(export_persons([transfer.person])),
            transfers=(transfer, *executed),
        )
        screening = screen_scenario(world)
        verdict = screening.results[0]
        stored = screening.table.head(1).select(change_keys(screening.catalog)).row(0, named=True)
        ScreeningRecord.objects.create(
            transfer=Transfer.objects.get(ref=ref),
            as_of=as_of,
            catalog=screening.catalog.version,
            verdict=verdict.verdict,
            facts_sha256=verdict.facts_sha256,
            findings=stored["findings"],
            outcomes=stored["outcomes"],
        )
    return (time.perf_counter() - started) / max(1, len(refs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--transfers", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=10_000, help="naive-way sample size")
    parser.add_argument("--keep", action="store_true", help="reuse the populated database")
    parser.add_argument(
        "--only-order",
        action="store_true",
        help="measure the court order alone (on a populated database, with --keep)",
    )
    parser.add_argument(
        "--database",
        default=DATABASE,
        help="the database to fill or reuse (one per population size keeps both)",
    )
    args = parser.parse_args()
    generated_database(
        args.database, args.persons, args.transfers, keep=args.keep, screen=False, say=console.print
    )

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from thirdcountry.cases import legal_events
    from thirdcountry.cases.models import LatestScreening, Transfer
    from thirdcountry.cases.rescreening import execute_run, start_run
    from thirdcountry.registry.models import Arrangement, CourtOrder, ScreeningDefaults
    from thirdcountry.scenario.model import CourtOrderScope

    as_of = ScreeningDefaults.current().as_of or date.today()
    rows: list[tuple[str, Any, Any]] = []

    def measured(label: str, run: Any) -> float:
        started = time.perf_counter()
        outcome = execute_run(run)
        seconds = time.perf_counter() - started
        rows.append(
            (
                label,
                f"{seconds:.1f} s",
                f"{outcome.run.transfers_screened:,} screened, {outcome.run.changed:,} changed",
            )
        )
        console.print(f"{label}: {' — '.join(rows[-1][1:])}")
        return seconds

    all_changed = 0.0
    if not args.only_order:
        measured(
            "full re-screen, as of the world's date"
            if args.keep
            else "first screening (everything new)",
            start_run({"all": True}, as_of=as_of),
        )
        measured("full re-screen, nothing changed", start_run({"all": True}, as_of=as_of))
        measured(
            "full re-screen on the next day, nothing changed",
            start_run({"all": True}, as_of=as_of + timedelta(days=1)),
        )
        # As if the latest screenings were made under another catalog: every finding changes.
        LatestScreening.objects.update(catalog="earlier")
        all_changed = measured(
            "full re-screen, every finding changes (a new catalog)",
            start_run({"all": True}, as_of=as_of + timedelta(days=1)),
        )
    # The order falls on the arrangement whose pending transfers are nearest 100,000.
    pending_by_arrangement = (
        Arrangement.objects.filter(transfers__status="proposed")
        .values_list("ref")
        .annotate(n=Count("transfers"))
    )
    busiest = min(pending_by_arrangement, key=lambda row: abs(row[1] - ORDER_SIZE))[0]
    started = time.perf_counter()
    _, run = legal_events.record_court_order(
        f"BENCH-STAY-{CourtOrder.objects.count() + 1}",
        "stay",
        "bench court",
        as_of - timedelta(days=1),
        CourtOrderScope(arrangement=busiest),
    )
    if run.status != "complete":  # a large event goes to the worker: carry it out here
        execute_run(run)
    run.refresh_from_db()
    rows.append(
        (
            f"court order on {busiest}: recorded to run complete",
            f"{time.perf_counter() - started:.1f} s",
            f"{run.transfers_in_scope:,} in scope, {run.changed:,} changed",
        )
    )
    if args.only_order:
        console.print(rows[-1])
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_screening")
        cursor.execute(
            "SELECT pg_total_relation_size('cases_screening'), pg_relation_size('cases_screening'),"
            " (SELECT COUNT(*) FROM cases_screening)"
        )
        total, table_only, count = cursor.fetchone()
    rows.append(
        (
            "stored bytes per screening",
            f"{total / count:,.0f} B",
            f"{count:,} screenings; table alone {table_only / count:,.0f} B, indexes and "
            "TOAST the rest",
        )
    )
    refs = list(Transfer.objects.filter(status="proposed").values_list("ref", flat=True))
    sample = random.Random(0).sample(refs, min(args.sample, len(refs)))
    per_transfer = naive_screen(sample, as_of + timedelta(days=2))
    full = all_changed / len(refs)
    rows.append(
        (
            f"naive ORM, one transfer at a time ({len(sample):,})",
            f"{per_transfer * 1e3:.2f} ms per transfer",
            f"bulk: {full * 1e3:.3f} ms per transfer; speed-up {per_transfer / full:.0f}x",
        )
    )
    table = Table(title=f"Re-screening, {len(refs):,} pending transfers (PostgreSQL)")
    for column in ("measure", "time", "detail"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    table.caption = f"peak memory of this process: {peak_rss_mb():,.0f} MB"
    console.print(table)


if __name__ == "__main__":
    main()
