"""Commands for oversight: statistics, public releases, and the audit trail.

Django and the apps are imported inside each command, after ``setup_django()``: models
cannot be imported before Django is set up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT, Format, day_option, format_option
from thirdcountry.cli.output import print_json, stderr, stdout

#: Exit status of ``audit verify`` when something does not match.
EXIT_TAMPERED = 1

audit_app = typer.Typer(
    name="audit",
    help="The tamper-evident audit trail: verify it, show its head, export it.",
    no_args_is_help=True,
)


def _period(start: str | None, end: str | None) -> tuple[date, date] | None:
    if start is None and end is None:
        return None
    if start is None or end is None:
        stderr.print("[bold red]give both[/] --from and --to, or neither")
        raise typer.Exit(EXIT_BAD_INPUT)
    first, last = day_option("--from", start), day_option("--to", end)
    if last < first:
        stderr.print("[bold red]--to[/] is before --from")
        raise typer.Exit(EXIT_BAD_INPUT)
    return first, last


def _currency(code: str) -> str:
    import pycountry

    if pycountry.currencies.get(alpha_3=code.upper()) is None:
        stderr.print(f"[bold red]--currency:[/] {code!r} is not an ISO 4217 currency code")
        raise typer.Exit(EXIT_BAD_INPUT)
    return code.upper()


def statistics(
    output_format: Annotated[
        str | None, typer.Option("--format", "-f", help="table (default on a terminal) or json.")
    ] = None,
    currency: Annotated[
        str, typer.Option("--currency", metavar="CODE", help="Reporting currency.")
    ] = "USD",
    start: Annotated[
        str | None, typer.Option("--from", metavar="YYYY-MM-DD", help="First planned date.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="YYYY-MM-DD", help="Last planned date.")
    ] = None,
) -> None:
    """Statistics of the stored world: refoulement incidents first, then transfers by
    status, verdict, arrangement, destination, nationality and month, blocking rules, cap
    use, payments and cost per executed transfer."""
    chosen = format_option(output_format)
    period = _period(start, end)
    reporting = _currency(currency)
    setup_django()
    require_migrated()
    from thirdcountry.oversight.statistics import compute_statistics

    result = compute_statistics(reporting, period)
    if chosen is Format.json:
        print_json(result.to_dict())
        return
    import polars as pl
    from rich.panel import Panel
    from rich.table import Table

    if result.incidents:
        stdout.print(
            Panel(
                "\n".join(i.describe() for i in result.incidents),
                title=f"REFOULEMENT INCIDENTS: {len(result.incidents)}",
                border_style="bold red",
            )
        )
    else:
        stdout.print("[green]No refoulement incident recorded.[/]")
    if result.execution_incidents:
        stdout.print(
            Panel(
                "\n".join(i.describe() for i in result.execution_incidents),
                title=f"EXECUTED AGAINST THE SAFEGUARDS: {len(result.execution_incidents)}",
                border_style="bold red",
            )
        )
    else:
        stdout.print("[green]No execution recorded while blocked or under review.[/]")
    from thirdcountry.oversight.statistics_words import HEADINGS, TITLES, WORD_COLUMNS

    for name, frame in result.tables.items():
        table = Table(title=str(TITLES.get(name, name.replace("_", " "))), title_justify="left")
        for column in frame.columns:
            numeric = frame[column].dtype.is_numeric() or frame[column].dtype == pl.Decimal
            table.add_column(
                str(HEADINGS.get(column, column.replace("_", " "))),
                justify="right" if numeric else "left",
            )
        for row in frame.iter_rows(named=True):
            table.add_row(*(_shown(c, v, c in WORD_COLUMNS) for c, v in row.items()))
        stdout.print(table)
    stdout.print(f"Amounts converted to {reporting}; empty: no exchange rate recorded.")


def _shown(column: str, value: Any, is_word: bool) -> str:
    """A statistics cell for the terminal: numbers with thousands separators, amounts with
    two decimals, stored words in words."""
    from thirdcountry import words

    if value is None:
        return "—"
    if is_word:
        return words.label(str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}"
    return str(value)


def release(
    start: Annotated[str, typer.Option("--from", metavar="YYYY-MM-DD", help="First day.")],
    end: Annotated[str, typer.Option("--to", metavar="YYYY-MM-DD", help="Last day.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory to write into.")],
    currency: Annotated[
        str, typer.Option("--currency", metavar="CODE", help="Reporting currency.")
    ] = "USD",
) -> None:
    """Write a public release for transfers planned in a period: CSV and JSON tables and a
    self-contained HTML report, counts from 1 to 4 suppressed (and enough others that none
    can be worked out), the method stated."""
    period = _period(start, end)
    assert period is not None
    reporting = _currency(currency)
    setup_django()
    require_migrated()
    from thirdcountry.cli.progress import progress
    from thirdcountry.oversight.release import write_release

    with progress("building the release") as report:
        summary = write_release(period[0], period[1], output, reporting, report)
    stderr.print(
        f"wrote {len(summary.files):,} files to {summary.directory}: {summary.tables:,} "
        f"tables, {summary.suppressed:,} counts suppressed; refoulement incidents: "
        f"{summary.incidents_shown}"
    )


@audit_app.command("verify")
def audit_verify(
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            metavar="HASH",
            help="A head hash kept earlier: check it is still in the chain.",
        ),
    ] = None,
    chain_only: Annotated[
        bool, typer.Option("--chain-only", help="Check the chain, not the stored records.")
    ] = False,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Recompute the chain and compare every stored record with the log. Exit status 1,
    naming the first entry (or record) that does not match, when anything was changed."""
    setup_django()
    require_migrated()
    from thirdcountry.oversight import audit

    result = audit.verify(head, check_records=not chain_only)
    if output_format == "json":
        print_json(result.to_dict())
    else:
        _print_verification(result)
    if not result.ok:
        raise typer.Exit(EXIT_TAMPERED)


def _print_verification(result: Any) -> None:
    for note in result.notes:
        stderr.print(f"[yellow]note:[/] {note}", soft_wrap=True)
    if result.ok:
        checked = f" and that {result.head_checked} is in it" if result.head_checked else ""
        stdout.print(
            f"[bold green]ok:[/] {result.entries:,} entries chain up to head "
            f"{result.head.seq} {result.head.hash}{checked}; {result.records:,} records match "
            "the log",
            soft_wrap=True,
        )
        return
    stdout.print(
        f"[bold red]the audit trail does not verify:[/] {result.problem_count:,} problem(s); "
        f"first: {result.first_problem}",
        soft_wrap=True,
    )
    for problem in result.problems[1:20]:
        stdout.print(f"  {problem}", soft_wrap=True, highlight=False, markup=False)


@audit_app.command("head")
def audit_head() -> None:
    """Print the current head: its seq and hash. Keep the hash; 'audit verify --head'
    later proves that nothing up to it changed."""
    setup_django()
    require_migrated()
    from thirdcountry.oversight import audit

    current = audit.head()
    print(f"{current.seq} {current.hash}")


@audit_app.command("export")
def audit_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (JSON Lines).")],
) -> None:
    """Write the whole log as JSON Lines, for a monitor to check with their own code (see
    docs/audit-trail.md)."""
    setup_django()
    require_migrated()
    from thirdcountry.oversight import audit

    count = audit.export(output)
    stderr.print(f"wrote {count:,} entries to {output}")
