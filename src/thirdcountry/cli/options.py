"""What the sub-commands share: the exit status for refused input, the ``--as-of``,
``--catalog`` and ``--format`` options and how their values are read, and the example
world's path.

Sub-commands import from here, and :mod:`thirdcountry.cli.main` assembles the sub-commands
into one command, so no sub-command imports the module that imports it.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from thirdcountry.cli.output import stderr
from thirdcountry.dates import parse_day
from thirdcountry.rules import catalogs
from thirdcountry.rules.catalog import Catalog

#: Exit status for input the command refuses (a bad file, a bad date, an unknown ref).
EXIT_BAD_INPUT = 2


class Format(StrEnum):
    table = "table"
    json = "json"


def day_option(option: str, value: str) -> date:
    """The date given to ``option``; exits with status 2 and a message when it is not a real
    date in the form YYYY-MM-DD."""
    try:
        return parse_day(value)
    except ValueError:
        stderr.print(f"[bold red]{option}:[/] {value!r} is not a date in the form YYYY-MM-DD")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def parse_as_of(value: str | None) -> date | None:
    """Parse ``--as-of``; exits with status 2 and a message when it is not a real date."""
    return None if value is None else day_option("--as-of", value)


def parse_catalog(value: str | None) -> Catalog:
    """The catalog ``--catalog`` names (default: the current one); exits with status 2 and a
    message when it names no registered catalog."""
    try:
        return catalogs.resolve(value)
    except catalogs.UnknownCatalog as error:
        option = "--catalog" if value is not None else catalogs.SETTING
        stderr.print(f"[bold red]{option}:[/] {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def parse_any_catalog(value: str | None) -> catalogs.AnyCatalog:
    """The catalog of either kind ``--catalog`` names (default: the current one); exits with
    status 2 and a message when it names no registered catalog."""
    try:
        return catalogs.resolve_any(value)
    except catalogs.UnknownCatalog as error:
        option = "--catalog" if value is not None else catalogs.SETTING
        stderr.print(f"[bold red]{option}:[/] {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def default_format(chosen: Format | None) -> Format:
    """A table on a terminal, JSON when the output goes to a program or a file."""
    if chosen is not None:
        return chosen
    return Format.table if sys.stdout.isatty() else Format.json


def format_option(value: str | None) -> Format:
    """The output format named by ``--format`` (see :func:`default_format` when none); exits
    with status 2 and a message when it names none."""
    try:
        return default_format(Format(value) if value else None)
    except ValueError:
        stderr.print(f"[bold red]--format:[/] {value!r} is not table or json")
        raise typer.Exit(EXIT_BAD_INPUT) from None


def example_path() -> Path:
    """The example world shipped with the package."""
    return Path(__file__).resolve().parent.parent / "examples" / "seed-world.json"


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
