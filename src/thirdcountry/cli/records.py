"""Commands on the database: migrate, load, export, screen, and Django's own commands.

Django and the apps are imported inside each command, after ``setup_django()``: models
cannot be imported before Django is set up."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT, Format, format_option, parse_as_of
from thirdcountry.cli.output import print_json, print_problems, stderr, stdout, verdicts_table
from thirdcountry.screening_v2 import ScreeningV2


def _asks_for_help(ctx: typer.Context) -> bool:
    """Whether a pass-through command was asked only for its help (which needs no key)."""
    return bool({"--help", "-h"} & set(ctx.args))


def migrate(
    ctx: typer.Context,
) -> None:
    """Create or update the database tables (Django's migrate; extra options pass through)."""
    setup_django(needs_key=not _asks_for_help(ctx))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["thirdcountry", "migrate", *ctx.args])


def createsuperuser(ctx: typer.Context) -> None:
    """Create a superuser account, for installation and emergencies (Django's
    createsuperuser; options pass through). Administrators are users in the administrator
    role: they manage accounts but are not superusers."""
    setup_django(needs_key=not _asks_for_help(ctx))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["thirdcountry", "createsuperuser", *ctx.args])


#: Django's commands that neither record nor serve anything, so run without a secret key
#: (a deployment checks its settings and migrations before it has one).
KEYLESS_COMMANDS = frozenset(
    {
        "check",
        "compilemessages",
        "diffsettings",
        "help",
        "makemessages",
        "makemigrations",
        "showmigrations",
        "sqlmigrate",
        "version",
    }
)


def manage(ctx: typer.Context) -> None:
    """Run any Django management command, e.g. 'thirdcountry manage check --deploy'."""
    command = next((arg for arg in ctx.args if not arg.startswith("-")), "help")
    setup_django(needs_key=command not in KEYLESS_COMMANDS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["thirdcountry", *ctx.args])


def _read_scenario(file: str) -> tuple[Any, bool]:
    """The scenario in ``file`` and whether it is scenario@2 (an @1 file stays @1, stored as
    an @1 load always stored it); raises ``ScenarioError`` when it breaks SCENARIO.md."""
    from thirdcountry.scenario.parse import FieldError, ScenarioError, loads_scenario
    from thirdcountry.scenario.v2 import FORMAT, loads_scenario_v2

    if file == "-":
        raw = sys.stdin.buffer.read()
    else:
        try:
            raw = Path(file).read_bytes()
        except OSError as error:
            message = f"cannot read {file}: {error.strerror}"
            raise ScenarioError([FieldError("$", message)]) from None
    if _format_of(raw) == FORMAT:
        return loads_scenario_v2(raw), True
    return loads_scenario(raw), False


def _format_of(raw: bytes) -> object:
    import msgspec

    class Head(msgspec.Struct):
        format: object = None

    try:
        return msgspec.json.decode(raw, type=Head).format
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None


def load(
    file: Annotated[
        str,
        typer.Argument(
            help="A thirdcountry/scenario@2 or scenario@1 file, or - for standard input."
        ),
    ],
) -> None:
    """Load a scenario file into the database.

    The whole file is validated first; then everything is written in one transaction, or
    nothing. Records are matched by ref: new ones are created, changed ones updated (with
    history), the rest left untouched; loading the same file twice changes nothing.
    """
    from thirdcountry.scenario.parse import ScenarioError

    source = "standard input" if file == "-" else file
    try:
        scenario, is_v2 = _read_scenario(file)
    except ScenarioError as error:
        print_problems(error, source)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    setup_django()
    require_migrated()
    from thirdcountry.cli.progress import progress
    from thirdcountry.records.load import load_scenario_records
    from thirdcountry.records.load_v2 import load_scenario_v2_records

    loader: Any = load_scenario_v2_records if is_v2 else load_scenario_records
    try:
        with progress("loading") as report:
            summary = loader(
                scenario,
                source=Path(file).name,
                progress=lambda kind, done, total: report(f"loading {kind}", done, total),
            )
    except ScenarioError as error:
        print_problems(error, source)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    from rich.table import Table

    table = Table(title=f"Loaded {source}", title_justify="left")
    for column in ("records", "created", "updated", "unchanged"):
        table.add_column(column, justify="left" if column == "records" else "right")
    for kind, counts in summary.counts.items():
        table.add_row(kind, *(f"{counts[k]:,}" for k in ("created", "updated", "unchanged")))
    stderr.print(table)
    if not summary.changed:
        stderr.print("nothing changed: the database already held these records")


class ScenarioFormat(StrEnum):
    """The scenario formats ``export`` writes."""

    v2 = "scenario@2"
    v1 = "scenario@1"


def export(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (default: standard output)."),
    ] = None,
    scenario_format: Annotated[
        ScenarioFormat,
        typer.Option(
            "--format",
            help="scenario@2 (every fact stored), or scenario@1 (what catalog 2026.1 reads: "
            "each record's nearest @1 form).",
        ),
    ] = ScenarioFormat.v2,
) -> None:
    """Write the whole database out as a thirdcountry/scenario@2 file (or scenario@1)."""
    setup_django()
    require_migrated()
    document: dict[str, Any]
    if scenario_format is ScenarioFormat.v2:
        from thirdcountry.records.scenario_v2 import stored_scenario_v2
        from thirdcountry.scenario.v2 import scenario_to_document as v2_document

        document = v2_document(stored_scenario_v2())
    else:
        from thirdcountry.records.export import export_scenario
        from thirdcountry.scenario.write import scenario_to_document

        document = scenario_to_document(export_scenario())
    if output is None:
        print_json(document)
        return
    output.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    counts = ", ".join(
        f"{len(document.get(k, ())):,} {k.replace('_', ' ')}"
        for k in ("arrangements", "court_orders", "persons", "transfers")
    )
    stderr.print(f"wrote {output}: {counts}")


def screen(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date the screening speaks for (default: the loaded world's, else today).",
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="table (default on a terminal) or json."),
    ] = None,
) -> None:
    """Screen every proposed transfer in the database and store each verdict.

    Prints the same verdicts document as 'check'.
    """
    when = parse_as_of(as_of)
    chosen = format_option(output_format)
    setup_django()
    require_migrated()
    from thirdcountry.cases.services import screen_stored

    result = screen_stored(when)
    if chosen is Format.json:
        print_json(result.screening.to_document())
    elif isinstance(result.screening, ScreeningV2):
        from thirdcountry.cli.output_v2 import verdicts_table_v2

        stdout.print(verdicts_table_v2(result.screening))
    else:
        stdout.print(verdicts_table(result.screening))
        stderr.print(f"stored {result.stored:,} verdicts")
    sys.stdout.flush()
