"""How the command line shows verdicts and problems: rich tables for people, JSON for programs."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from thirdcountry.scenario.parse import ScenarioError
from thirdcountry.screening import Screening, Verdict

STYLES = {
    "clear": "bold green",
    "pass": "green",
    "review": "bold yellow",
    "blocked": "bold red",
}

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


def print_json(document: Any) -> None:
    """Write a JSON document to standard output, exactly, with no styling."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def print_problems(error: ScenarioError, source: str) -> None:
    """List every problem of a refused scenario on standard error."""
    count = len(error.problems)
    stderr.print(
        f"[bold red]{source} was refused:[/] {count} problem{'s' if count != 1 else ''}",
    )
    for problem in error.problems:
        line = Text("  ")
        line.append(problem.path, style="bold")
        line.append(f": {problem.message}")
        stderr.print(line)


def verdicts_table(screening: Screening) -> Table:
    """One line per transfer: its verdict and the rules that did not pass."""
    table = Table(
        title=f"Screening on {screening.as_of} against catalog {screening.catalog.version}",
        title_justify="left",
    )
    table.add_column("transfer", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("rules not passing")
    for verdict in screening:
        not_passing = Text()
        for i, (rule, outcome) in enumerate(verdict.not_passing.items()):
            if i:
                not_passing.append(", ")
            not_passing.append(rule)
            not_passing.append(f" ({outcome})", style=STYLES[outcome])
        table.add_row(
            verdict.transfer, Text(verdict.verdict, style=STYLES[verdict.verdict]), not_passing
        )
    counts = screening.counts()
    table.caption = ", ".join(f"{n} {name}" for name, n in counts.items())
    return table


def explain(verdict: Verdict, screening: Screening) -> Group:
    """Every finding of one transfer with its reason and legal basis, one block per rule."""
    blocks: list[Text] = [
        Text.assemble(
            (f"Transfer {verdict.transfer}: ", "bold"),
            (verdict.verdict, STYLES[verdict.verdict]),
            f" on {screening.as_of}, catalog {screening.catalog.version}",
        ),
        Text(f"facts_sha256 {verdict.facts_sha256}", style="dim"),
    ]
    for number, finding in enumerate(verdict.findings, start=1):
        blocks.append(
            Text.assemble(
                "\n",
                (f"{number:>2}. {finding.rule} ", "bold"),
                (finding.outcome, STYLES[finding.outcome]),
                f"\n    {finding.reason}\n",
                (f"    basis: {finding.basis}", "dim"),
            )
        )
    return Group(*blocks)
