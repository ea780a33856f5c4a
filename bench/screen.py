"""Benchmark: screening a scenario file in bulk, the project against two contenders.

    .venv/bin/python bench/screen.py [--transfers N] [--repeat R] [--seed S]

Generates a world of N transfers (``scenario.synthetic.generate_world``), writes it as a
``thirdcountry/scenario@1`` file (neither counted), then screens that file R times in turn
with each of:

- the project, as ``screen_file`` does it: parse and validate the file
  (``load_scenario``) and build the engine's source tables (``tables_from_scenario``),
  then the facts table (``build_facts``) and the catalog's evaluation (``evaluate``);
- a plain Python loop of the catalog with indexes built once (``contenders/loop.py``);
- the catalog as one DuckDB SQL query (``contenders/duckdb_sql.py``).

Each is timed as parse/load (file → tables or objects), evaluate (→ verdicts) and total;
the figures are the minimum over the runs. The first run's results of each contender are
compared with the project's finding by finding (outcome and reason code of every rule of
every proposed transfer, and the verdict); any disagreement is printed and the exit status
is 1.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from rich.console import Console
from rich.table import Table

from contenders import agreement, duckdb_sql, loop
from thirdcountry.rules.engine import evaluate
from thirdcountry.rules.facts import build_facts
from thirdcountry.rules.sources import tables_from_scenario
from thirdcountry.scenario.parse import load_scenario
from thirdcountry.scenario.synthetic import generate_world
from thirdcountry.scenario.write import scenario_to_json

console = Console()

PROJECT = "project (screen_file)"
LOOP = "Python loop"
SQL = "DuckDB SQL"


@dataclass
class Phases:
    """One contender's runs: the seconds and CPU seconds of each phase in each run, and its
    peak memory."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    peak_gb: float = 0.0

    def add(self, phase: str, seconds: float, cpu: float) -> None:
        self.seconds.setdefault(phase, []).append(seconds)
        self.cpu.setdefault(phase, []).append(cpu)

    def best(self, phase: str) -> float:
        """The phase's fastest run."""
        return min(self.seconds[phase])

    def fastest(self, phases: tuple[str, ...], cpu: bool = False) -> float:
        """The fastest run's total over ``phases`` (in CPU seconds if ``cpu``)."""
        measured = self.cpu if cpu else self.seconds
        return min(sum(run) for run in zip(*(measured[p] for p in phases), strict=True))


def reset_peak_memory() -> None:
    """Start measuring the process's peak resident memory afresh (Linux; else a no-op)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_memory_gb() -> float:
    """The process's peak resident memory since the last reset (Linux; else 0)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024**2
    return 0.0


def timed(phases: Phases, phase: str, work: Callable[[], Any]) -> Any:
    """Run ``work``, adding its seconds to ``phase``."""
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    phases.add(phase, time.perf_counter() - start, time.process_time() - cpu)
    return result


def run_project(path: Path, phases: Phases) -> pl.DataFrame:
    """The project's path from the file to its findings table."""
    world = timed(phases, "parse", lambda: load_scenario(path))
    sources = timed(phases, "source tables", lambda: tables_from_scenario(world))
    facts = timed(phases, "facts", lambda: build_facts(sources, world.as_of, world.parameters))
    findings: pl.DataFrame = timed(phases, "evaluate catalog", lambda: evaluate(facts))
    return findings


def run_loop(path: Path, phases: Phases) -> list[loop.Screened]:
    """The loop's path from the file to its results."""
    document = timed(phases, "parse", lambda: loop.read(path))
    screened: list[loop.Screened] = timed(phases, "evaluate", lambda: loop.screen(document))
    return screened


def run_sql(path: Path, phases: Phases) -> pl.DataFrame:
    """DuckDB's path from the file to its results."""
    connection = duckdb_sql.connect()
    try:
        timed(phases, "load", lambda: duckdb_sql.load(connection, path))
        results: pl.DataFrame = timed(phases, "evaluate", lambda: duckdb_sql.screen(connection))
    finally:
        connection.close()
    return results


#: Each contender: how it runs, how its results become the common table, and which of its
#: phases are parse/load and which evaluate.
CONTENDERS: dict[str, tuple[Callable[[Path, Phases], Any], Callable[[Any], pl.DataFrame]]] = {
    PROJECT: (run_project, agreement.project_findings),
    LOOP: (run_loop, agreement.loop_findings),
    SQL: (run_sql, agreement.sql_findings),
}
LOADING: dict[str, tuple[str, ...]] = {
    PROJECT: ("parse", "source tables"),
    LOOP: ("parse",),
    SQL: ("load",),
}
EVALUATING: dict[str, tuple[str, ...]] = {
    PROJECT: ("facts", "evaluate catalog"),
    LOOP: ("evaluate",),
    SQL: ("evaluate",),
}


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes, and its cores."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def write_world(transfers: int, seed: int, directory: Path) -> tuple[Path, float, float]:
    """Generate a world and write it as a scenario file: the path, and the seconds each took."""
    start = time.perf_counter()
    with console.status(f"generating a world of {transfers:,} transfers"):
        world = generate_world(transfers, seed=seed)
    generated = time.perf_counter() - start
    path = directory / f"world-{transfers}-{seed}.json"
    with console.status("writing it as a scenario file"):
        path.write_bytes(scenario_to_json(world))
    del world
    gc.collect()
    return path, generated, time.perf_counter() - start - generated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each contender")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    console.print(f"load average before: {load_average()}")
    with tempfile.TemporaryDirectory() as directory:
        path, generating, writing = write_world(args.transfers, args.seed, Path(directory))
        size_mb = path.stat().st_size / 1e6
        console.print(
            f"world of {args.transfers:,} transfers generated in {generating:.1f} s, "
            f"written in {writing:.1f} s ({size_mb:,.0f} MB)"
        )
        phases = {name: Phases() for name in CONTENDERS}
        agreements: dict[str, agreement.Agreement] = {}
        expected: pl.DataFrame | None = None
        for run in range(args.repeat):
            for name, (screen, common) in CONTENDERS.items():
                gc.collect()
                reset_peak_memory()
                with console.status(f"run {run + 1} of {args.repeat}: {name}"):
                    results = screen(path, phases[name])
                phases[name].peak_gb = max(phases[name].peak_gb, peak_memory_gb())
                seconds = ", ".join(f"{p} {s[-1]:.2f} s" for p, s in phases[name].seconds.items())
                console.print(f"run {run + 1}, {name}: {seconds} (load {load_average()})")
                if run == 0:
                    with console.status(f"comparing {name}'s findings"):
                        table = common(results)
                        if expected is None:
                            expected = table
                        else:
                            agreements[name] = agreement.compare(expected, table)
                del results
    load_after = load_average()

    assert expected is not None
    proposals = expected.height
    print_figures(phases, proposals, args.repeat)
    agree = print_agreements(agreements)
    console.print(f"load average after: {load_after}")
    return 0 if agree else 1


def print_figures(phases: dict[str, Phases], proposals: int, repeat: int) -> None:
    """The table of seconds, each the fastest of the runs, and the ratios to the project."""
    table = Table(
        title=f"Screening {proposals:,} proposed transfers from the file (fastest of {repeat} "
        "runs; seconds, and CPU seconds on all threads)"
    )
    table.add_column("contender")
    for column in ("parse / load", "evaluate", "file → verdicts"):
        table.add_column(column, justify="right")
    for column in ("parse / load", "evaluate", "file → verdicts"):
        table.add_column(f"CPU {column}", justify="right")
    table.add_column("peak GB", justify="right")
    best: dict[str, list[float]] = {}
    for name, measured in phases.items():
        spans = (LOADING[name], EVALUATING[name], LOADING[name] + EVALUATING[name])
        best[name] = [measured.fastest(span) for span in spans]
        best[name] += [measured.fastest(span, cpu=True) for span in spans]
        table.add_row(
            name, *(f"{seconds:.2f}" for seconds in best[name]), f"{measured.peak_gb:.2f}"
        )
    console.print(table)

    parts = Table(title="The project's phases (fastest of the runs, seconds)")
    parts.add_column("phase")
    parts.add_column("seconds", justify="right")
    for phase in LOADING[PROJECT] + EVALUATING[PROJECT]:
        parts.add_row(phase, f"{phases[PROJECT].best(phase):.2f}")
    console.print(parts)

    ratios = Table(
        title="Ratios: the project's over the contender's (above 1: the project is slower)"
    )
    ratios.add_column("contender")
    for column in ("parse / load", "evaluate", "file → verdicts"):
        ratios.add_column(column, justify="right")
    for column in ("parse / load", "evaluate", "file → verdicts"):
        ratios.add_column(f"CPU {column}", justify="right")
    for name in (LOOP, SQL):
        pairs = zip(best[PROJECT], best[name], strict=True)
        ratios.add_row(name, *(f"{ours / theirs:.2f}" for ours, theirs in pairs))
    console.print(ratios)


def print_agreements(agreements: dict[str, agreement.Agreement]) -> bool:
    """Each contender's agreement with the project; whether all agree."""
    table = Table(title="Agreement with the project, finding by finding (first run)")
    for column in ("contender", "transfers", "findings compared", "disagreements"):
        table.add_column(column, justify="left" if column == "contender" else "right")
    for name, found in agreements.items():
        counts = (found.transfers, found.findings, found.disagreements)
        table.add_row(name, *(f"{count:,}" for count in counts))
    console.print(table)
    for name, found in agreements.items():
        for example in found.examples:
            console.print(f"[red]{name} disagrees:[/red] {example}")
    return all(found.agree for found in agreements.values())


if __name__ == "__main__":
    sys.exit(main())
