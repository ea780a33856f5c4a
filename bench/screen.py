"""Benchmark: bulk screening of a synthetic world, against screening transfers one by one.

    .venv/bin/python bench/screen.py [--transfers N] [--sample K] [--seed S]

Generates a world of N transfers (not counted in the screening figures), then times, from
the in-memory domain objects: (a) the source tables (``tables_from_scenario``) and the facts
table (``build_facts``), (b) the catalog's evaluation (``evaluate``). It then screens K
sampled proposals the naive way, each in a world of its own (its person, its arrangement
with the transfers executed under it, the countries and the court orders) through the same
functions, checks that their findings equal the bulk ones, and prints the figures.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import polars as pl
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from thirdcountry.rules.engine import evaluate
from thirdcountry.rules.facts import build_facts
from thirdcountry.rules.sources import tables_from_scenario
from thirdcountry.scenario.model import Scenario, Transfer
from thirdcountry.scenario.synthetic import generate_world

T = TypeVar("T")

#: The targets the figures are read against.
TARGET_SECONDS_PER_MILLION = 10.0
TARGET_PEAK_GB = 4.0
TARGET_SPEED_UP = 20.0

console = Console()


def peak_rss_gb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def timed(label: str, work: Callable[[], T]) -> tuple[T, float, float]:
    """Run ``work`` under a spinner; its result, the seconds it took and the CPU seconds the
    process used meanwhile (on all threads: more than the seconds when work runs in parallel,
    fewer when other processes compete for the cores)."""
    with console.status(label):
        start, cpu = time.perf_counter(), time.process_time()
        result = work()
    return result, time.perf_counter() - start, time.process_time() - cpu


def one_transfer_worlds(world: Scenario, sample: list[Transfer]) -> list[Scenario]:
    """For each sampled proposal, a world holding what its screening reads: its person, its
    arrangement and the transfers executed under it, every country and court order."""
    persons = {p.ref: p for p in world.persons}
    arrangements = {a.ref: a for a in world.arrangements}
    executed: dict[str | None, list[Transfer]] = defaultdict(list)
    for t in world.transfers:
        if t.status == "executed":
            executed[t.arrangement].append(t)
    return [
        Scenario(
            as_of=world.as_of,
            parameters=world.parameters,
            countries=world.countries,
            arrangements=(arrangements[t.arrangement],) if t.arrangement else (),
            court_orders=world.court_orders,
            persons=(persons[t.person],),
            transfers=(*(executed[t.arrangement] if t.arrangement else ()), t),
        )
        for t in sample
    ]


def screen_one_by_one(worlds: list[Scenario], as_of: date) -> pl.DataFrame:
    """Screen each one-transfer world on its own, in a plain loop."""
    rows = []
    columns = [
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    ]
    with Progress("one by one", *columns, console=console, transient=True) as progress:
        task = progress.add_task("loop", total=len(worlds))
        for one in worlds:
            facts = build_facts(tables_from_scenario(one), as_of, one.parameters)
            rows.append(evaluate(facts))
            progress.advance(task)
    return pl.concat(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    world, generating, generating_cpu = timed(
        f"generating a world of {args.transfers:,} transfers",
        lambda: generate_world(args.transfers, seed=args.seed),
    )
    as_of = world.as_of or date.today()
    rss_before = peak_rss_gb()

    sources, t_tables, c_tables = timed("source tables", lambda: tables_from_scenario(world))
    facts, t_facts, c_facts = timed(
        "facts table", lambda: build_facts(sources, as_of, world.parameters)
    )
    findings, t_evaluate, c_evaluate = timed("evaluating the catalog", lambda: evaluate(facts))
    bulk, bulk_cpu = t_tables + t_facts + t_evaluate, c_tables + c_facts + c_evaluate
    rss_after = peak_rss_gb()
    screened = findings.height

    proposed = [t for t in world.transfers if t.status == "proposed"]
    sample = random.Random(args.seed).sample(proposed, min(args.sample, len(proposed)))
    start, cpu = time.perf_counter(), time.process_time()
    looped = screen_one_by_one(one_transfer_worlds(world, sample), as_of)
    loop, loop_cpu = time.perf_counter() - start, time.process_time() - cpu

    compared = [c for c in findings.columns if c != "position"]
    expected = findings.filter(pl.col("transfer").is_in([t.ref for t in sample]))
    same = (
        expected.select(compared).sort("transfer").equals(looped.select(compared).sort("transfer"))
    )

    per_bulk = bulk / screened * 1e6 if screened else float("nan")
    per_loop = loop / len(sample) * 1e6 if sample else float("nan")
    speed_up = per_loop / per_bulk
    per_million = bulk / screened * 1e6 if screened else float("nan")

    table = Table(
        title=f"Screening {screened:,} proposed transfers (world of {len(world.transfers):,})"
    )
    table.add_column("phase")
    table.add_column("seconds", justify="right")
    table.add_column("CPU seconds", justify="right")
    table.add_column("transfers/s", justify="right")
    for label, seconds, cpu_seconds in (
        ("generate world (not screening)", generating, generating_cpu),
        ("(a) source tables", t_tables, c_tables),
        ("(a) facts table", t_facts, c_facts),
        ("(b) evaluate catalog", t_evaluate, c_evaluate),
        ("bulk, end to end", bulk, bulk_cpu),
    ):
        rate = f"{screened / seconds:,.0f}" if seconds else ""
        table.add_row(label, f"{seconds:.2f}", f"{cpu_seconds:.2f}", rate)
    table.add_row(
        f"one by one, {len(sample):,} sampled",
        f"{loop:.2f}",
        f"{loop_cpu:.2f}",
        f"{len(sample) / loop:,.0f}",
    )
    console.print(table)

    figures = Table(title="Figures and targets")
    figures.add_column("measure")
    figures.add_column("value", justify="right")
    figures.add_column("target", justify="right")
    figures.add_column("met")

    def row(measure: str, value: str, target: str, met: bool | None) -> None:
        figures.add_row(measure, value, target, "" if met is None else ("yes" if met else "NO"))

    row(
        "seconds per 1,000,000 proposals (bulk)",
        f"{per_million:.2f}",
        f"<= {TARGET_SECONDS_PER_MILLION:.0f}",
        per_million <= TARGET_SECONDS_PER_MILLION,
    )
    row("peak RSS after generating (GB)", f"{rss_before:.2f}", "", None)
    row(
        "peak RSS after screening (GB)",
        f"{rss_after:.2f}",
        f"<= {TARGET_PEAK_GB:.0f}",
        rss_after <= TARGET_PEAK_GB,
    )
    row("microseconds per transfer, bulk", f"{per_bulk:,.1f}", "", None)
    row("microseconds per transfer, one by one", f"{per_loop:,.0f}", "", None)
    row(
        "speed-up, bulk over one by one",
        f"{speed_up:,.0f}x",
        f">= {TARGET_SPEED_UP:.0f}x",
        speed_up >= TARGET_SPEED_UP,
    )
    row("sampled findings equal bulk findings", "yes" if same else "NO", "yes", same)
    console.print(figures)

    counts = dict(findings.group_by("verdict").len().iter_rows())
    verdicts = Table(title="Verdicts")
    for name in ("clear", "review", "blocked"):
        verdicts.add_column(name, justify="right")
    verdicts.add_row(*(f"{counts.get(name, 0):,}" for name in ("clear", "review", "blocked")))
    console.print(verdicts)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
