"""Exporting the list of transfers as CSV at national scale (PostgreSQL).

Usage: python bench/export_csv.py [--transfers N] [--persons N] [--keep]

Creates (or reuses, with --keep) the database ``thirdcountry_bench_export`` on the local
PostgreSQL server, fills it with a population from ``thirdcountry generate`` (screened, so
every pending transfer has a verdict), then downloads ``/transfers.csv?status=`` (every
transfer, in the list's order) through the whole request path (Django's test client, every
middleware) as a caseworker (names and refs) and as a monitor (pseudonyms). For each it
prints the seconds, the rows and bytes, and the process's resident memory before the
download, after its first 50,000 rows, at its highest while it streamed (sampled every
50,000 rows) and after: memory that stays flat stays at the first sample's level.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from population import generated_database

DATABASE = "thirdcountry_bench_export"
SAMPLE_EVERY = 50_000
console = Console()


def resident_mb() -> float:
    """The process's resident memory now, in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def download(role: str) -> tuple[str, ...]:
    """Stream ``/transfers.csv?status=`` as a user in ``role``; the row of figures."""
    from django.contrib.auth.models import User
    from django.test import Client

    from thirdcountry.accounts.services import create_user

    username = f"bench-export-{role}"
    user = User.objects.filter(username=username).first() or create_user(
        username, role, "bench-export-password-0123"
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    before = resident_mb()
    highest = before
    early = 0.0
    lines = 0
    size = 0
    started = time.perf_counter()
    response = client.get("/transfers.csv", {"status": ""})
    assert response.status_code == 200, response.status_code
    next_sample = SAMPLE_EVERY
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
        if lines >= next_sample:
            now = resident_mb()
            early = early or now
            highest = max(highest, now)
            next_sample += SAMPLE_EVERY
    seconds = time.perf_counter() - started
    after = resident_mb()
    return (
        role,
        f"{lines - 1:,}",
        f"{size / 1e6:,.1f} MB",
        f"{seconds:.1f} s",
        f"{before:,.0f} MB",
        f"{early:,.0f} MB",
        f"{max(highest, after):,.0f} MB",
        f"{after:,.0f} MB",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=900_000)
    parser.add_argument("--keep", action="store_true", help="reuse the populated database")
    args = parser.parse_args()
    generated_database(DATABASE, args.persons, args.transfers, keep=args.keep, say=console.print)

    import django

    django.setup()
    table = Table(title="GET /transfers.csv?status= (every transfer), streamed")
    columns = ("role", "rows", "size", "time", "memory before", f"at {SAMPLE_EVERY:,} rows")
    for column in (*columns, "highest", "after"):
        table.add_column(column, justify="left" if column == "role" else "right")
    for role in ("caseworker", "monitor"):
        row = download(role)
        console.print(" | ".join(row))
        table.add_row(*row)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table.caption = f"peak resident memory of this process: {peak:,.0f} MB"
    console.print(table)


if __name__ == "__main__":
    main()
