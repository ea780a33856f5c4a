"""The ``thirdcountry`` command: one entry point for every sub-command.

This module assembles the sub-commands of the other modules; what they share is in
:mod:`thirdcountry.cli.options`. Commands import Django, the apps and heavy libraries inside
their bodies: models exist only after ``setup_django()``, and ``check`` runs without Django.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, NoReturn

import typer

from thirdcountry.cli import (
    accounts,
    help_format,
    identity,
    imports,
    lifecycle,
    oversight,
    records,
    runs,
    serve,
    tokens,
    users,
)
from thirdcountry.cli import catalog as catalog_commands
from thirdcountry.cli.options import (
    EXIT_BAD_INPUT,
    AsOfOption,
    CatalogOption,
    Format,
    FormatOption,
    default_format,
    example_path,
    parse_any_catalog,
    parse_as_of,
)
from thirdcountry.cli.output import (
    explain,
    print_json,
    print_problems,
    stderr,
    stdout,
    verdicts_table,
)
from thirdcountry.rules.v2.catalog import CatalogV2
from thirdcountry.scenario.parse import ScenarioError
from thirdcountry.screening import screen_file

app = typer.Typer(
    name="thirdcountry",
    help="Case management and legal-safeguard screening for third-country transfers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
help_format.name_values_in_words()


@app.command()
def check(
    file: Annotated[
        str,
        typer.Argument(
            help="A thirdcountry/scenario@1 or @2 file, or - for standard input "
            "(catalog 2026.2 reads an @1 file as @2)."
        ),
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
    chosen = parse_any_catalog(catalog)
    if isinstance(chosen, CatalogV2):
        _check_v2(file, when, chosen, output_format, explain_transfer)
        return
    try:
        screening = screen_file(file, when, chosen)
    except ScenarioError as error:
        _refused(error, file)
    if explain_transfer is not None:
        try:
            verdict = screening.verdict(explain_transfer)
        except KeyError:
            _no_such_transfer(explain_transfer, file)
        if default_format(output_format) is Format.json:
            print_json(verdict.to_dict())
        else:
            stdout.print(explain(verdict, screening))
        return
    if default_format(output_format) is Format.json:
        print_json(screening.to_document())
    else:
        stdout.print(verdicts_table(screening))


def _refused(error: ScenarioError, file: str) -> NoReturn:
    print_problems(error, "standard input" if file == "-" else file)
    raise typer.Exit(EXIT_BAD_INPUT) from None


def _no_such_transfer(ref: str, file: str) -> NoReturn:
    stderr.print(f"[bold red]--explain:[/] no proposed transfer {ref!r} in {file}")
    raise typer.Exit(EXIT_BAD_INPUT) from None


def _check_v2(
    file: str,
    when: date | None,
    chosen: CatalogV2,
    output_format: Format | None,
    explain_transfer: str | None,
) -> None:
    """``check`` under a scenario@2 catalog: the file read as @2 (an @1 file through the
    published mapping), verdicts@2 out."""
    from thirdcountry.cli.output_v2 import explain_v2, verdicts_table_v2
    from thirdcountry.scenario.v2 import load_scenario_v2
    from thirdcountry.screening_v2 import screen_scenario_v2

    try:
        scenario = load_scenario_v2(file)
    except ScenarioError as error:
        _refused(error, file)
    screening = screen_scenario_v2(scenario, chosen, when)
    as_json = default_format(output_format) is Format.json
    if explain_transfer is not None:
        try:
            result = screening.result(explain_transfer)
        except KeyError:
            _no_such_transfer(explain_transfer, file)
        if as_json:
            from thirdcountry.findings.render_v2 import RendererV2

            print_json(screening.result_json(result, RendererV2(screening.world)))
        else:
            stdout.print(explain_v2(result, screening))
        return
    if as_json:
        print_json(screening.to_document())
    else:
        stdout.print(verdicts_table_v2(screening))


@app.command()
def rules(
    catalog: CatalogOption = None,
    reasons: Annotated[
        bool, typer.Option("--reasons", help="List each rule's reason codes and templates.")
    ] = False,
    output: Annotated[
        Literal["table", "json"], typer.Option("--format", help="table or json.")
    ] = "table",
    language: Annotated[Literal["en", "fr"], typer.Option("--language", help="en or fr.")] = "en",
) -> None:
    """List the safeguard catalog: each rule's number, id, title and legal basis, and with
    --reasons every reason code a finding can carry, its outcome, parameters and template."""
    from rich.table import Table

    from thirdcountry.findings import Renderer
    from thirdcountry.findings.describe import describe_catalog
    from thirdcountry.findings.render import translate

    chosen_any = parse_any_catalog(catalog)
    if output == "json":
        print_json(describe_catalog(chosen_any, language))
        return
    if isinstance(chosen_any, CatalogV2):
        from thirdcountry.cli.output_v2 import catalog_table_v2

        stdout.print(catalog_table_v2(chosen_any, reasons, language))
        return
    chosen = chosen_any
    shown = Renderer(chosen, language)
    table = Table(title=f"Safeguard catalog {chosen.version}", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("rule", no_wrap=True)
    table.add_column("title")
    table.add_column("basis", style="dim")
    for rule in chosen.rules:
        table.add_row(str(rule.number), rule.id, shown.title(rule), shown.basis(rule))
        if reasons:
            for reason in rule.reasons:
                table.add_row(
                    "",
                    f"  {reason.code}",
                    f"{reason.outcome}: {translate(reason.template, language)}",
                    ", ".join(f"{name} ({kind})" for name, kind in reason.params),
                )
    stdout.print(table)


@app.command()
def example() -> None:
    """Print the path of the example world shipped with the package."""
    print(example_path())


_PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}
app.command(context_settings=_PASS_THROUGH)(records.migrate)
app.command(context_settings=_PASS_THROUGH)(records.createsuperuser)
app.command(context_settings=_PASS_THROUGH)(records.manage)
app.command()(records.load)
app.command(name="import")(imports.import_file)
app.command()(identity.link)
app.command()(identity.candidates)
app.command()(identity.merge)
app.command()(identity.unmerge)
app.command()(records.export)
app.command()(records.screen)
app.command()(serve.serve)
app.command()(runs.rescreen)
app.command()(runs.runs)
app.command()(runs.worker)
app.command()(runs.generate)
app.add_typer(catalog_commands.app, name="catalog")
app.add_typer(tokens.app, name="token")
app.command()(accounts.unlock)
app.add_typer(users.app, name="user")
app.command()(oversight.statistics)
app.command()(oversight.release)
app.add_typer(oversight.audit_app, name="audit")
app.command()(lifecycle.backup)
app.command()(lifecycle.restore)
app.command()(lifecycle.erase)
app.command()(lifecycle.retention)


def main() -> None:
    """Run the command line."""
    app()
