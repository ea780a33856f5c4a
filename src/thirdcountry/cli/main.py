"""The ``thirdcountry`` command: one entry point for every sub-command."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from thirdcountry.cli import oversight, records, runs, serve, tokens
from thirdcountry.cli.output import (
    explain,
    print_json,
    print_problems,
    stderr,
    stdout,
    verdicts_table,
)
from thirdcountry.rules import catalogs
from thirdcountry.rules.catalog import Catalog
from thirdcountry.scenario.parse import ScenarioError
from thirdcountry.screening import screen_file

app = typer.Typer(
    name="thirdcountry",
    help="Case management and legal-safeguard screening for third-country transfers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Exit status for input the command refuses (a bad file, a bad date, an unknown ref).
EXIT_BAD_INPUT = 2


class Format(StrEnum):
    table = "table"
    json = "json"


def parse_as_of(value: str | None) -> date | None:
    """Parse ``--as-of``; exits with status 2 and a message when it is not a real date."""
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        stderr.print(f"[bold red]--as-of:[/] {value!r} is not a date in the form YYYY-MM-DD")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def parse_catalog(value: str | None) -> Catalog:
    """The catalog ``--catalog`` names (default: the current one); exits with status 2 and a
    message when it names no registered catalog."""
    try:
        return catalogs.resolve(value)
    except catalogs.UnknownCatalog as error:
        option = "--catalog" if value is not None else catalogs.SETTING
        stderr.print(f"[bold red]{option}:[/] {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def default_format(chosen: Format | None) -> Format:
    """A table on a terminal, JSON when the output goes to a program or a file."""
    if chosen is not None:
        return chosen
    return Format.table if sys.stdout.isatty() else Format.json


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="The date the screening speaks for (default: the file's as_of, else today).",
    ),
]
CatalogOption = Annotated[
    str | None,
    typer.Option(
        "--catalog",
        metavar="VERSION",
        help=f"A registered catalog version ({', '.join(catalogs.versions())}; "
        f"default: ${catalogs.SETTING}, else {catalogs.DEFAULT}).",
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f", help="table (default on a terminal) or json (the verdicts document)."
    ),
]


@app.command()
def check(
    file: Annotated[
        str, typer.Argument(help="A thirdcountry/scenario@1 file, or - for standard input.")
    ],
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output_format: FormatOption = None,
    explain_transfer: Annotated[
        str | None,
        typer.Option("--explain", metavar="TRANSFER", help="Show every finding of one transfer."),
    ] = None,
) -> None:
    """Screen the proposed transfers of a scenario file, with no database.

    Exit status 0 whatever the verdicts; 2 when the file is refused (every problem is listed
    with its JSON path).
    """
    when = parse_as_of(as_of)
    chosen = parse_catalog(catalog)
    try:
        screening = screen_file(file, when, chosen)
    except ScenarioError as error:
        print_problems(error, "standard input" if file == "-" else file)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if explain_transfer is not None:
        try:
            verdict = screening.verdict(explain_transfer)
        except KeyError:
            stderr.print(
                f"[bold red]--explain:[/] no proposed transfer {explain_transfer!r} in {file}"
            )
            raise typer.Exit(EXIT_BAD_INPUT) from None
        if default_format(output_format) is Format.json:
            print_json(verdict.to_dict())
        else:
            stdout.print(explain(verdict, screening))
        return
    if default_format(output_format) is Format.json:
        print_json(screening.to_document())
    else:
        stdout.print(verdicts_table(screening))


@app.command()
def rules(catalog: CatalogOption = None) -> None:
    """List the safeguard catalog: each rule's number, id, title and legal basis."""
    from rich.table import Table

    chosen = parse_catalog(catalog)
    table = Table(title=f"Safeguard catalog {chosen.version}", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("rule", no_wrap=True)
    table.add_column("title")
    table.add_column("basis", style="dim")
    for rule in chosen.rules:
        table.add_row(str(rule.number), rule.id, rule.title, rule.basis)
    stdout.print(table)


def example_path() -> Path:
    """The example world shipped with the package."""
    return Path(__file__).resolve().parent.parent / "examples" / "seed-world.json"


@app.command()
def example() -> None:
    """Print the path of the example world shipped with the package."""
    print(example_path())


_PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}
app.command(context_settings=_PASS_THROUGH)(records.migrate)
app.command(context_settings=_PASS_THROUGH)(records.createsuperuser)
app.command(context_settings=_PASS_THROUGH)(records.manage)
app.command()(records.load)
app.command()(records.export)
app.command()(records.screen)
app.command()(serve.serve)
app.command()(runs.rescreen)
app.command()(runs.runs)
app.command()(runs.worker)
app.command()(runs.generate)
app.add_typer(tokens.app, name="token")
app.command()(oversight.statistics)
app.command()(oversight.release)
app.add_typer(oversight.audit_app, name="audit")


def main() -> None:
    """Run the command line."""
    app()
