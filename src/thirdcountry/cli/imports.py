"""``thirdcountry import``: persons and transfers from a spreadsheet, with a mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT
from thirdcountry.cli.output import stderr, stdout

#: Problems listed on the terminal; the report files hold them all.
SHOWN = 20


def import_file(
    file: Annotated[Path, typer.Argument(help="A CSV file or a workbook (.xlsx, .xls, .ods).")],
    mapping: Annotated[
        Path, typer.Option("--mapping", "-m", help="The TOML mapping of columns to facts.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and report; write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Write the valid rows; the rejected ones go to NAME.rejects.csv beside FILE.",
        ),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write the problems here (.csv or .html; default NAME.report.csv beside FILE "
            "when there are any).",
        ),
    ] = None,
) -> None:
    """Import persons and transfers from a spreadsheet.

    Every row is validated with the scenario format's schema; nothing is written unless every
    row is valid (or, with --skip-invalid, the valid rows are). Records are matched by ref:
    importing the same file twice changes nothing. Exit status 2 when rows were refused.
    """
    from thirdcountry.imports.mapping import MappingError, load_mapping
    from thirdcountry.imports.report import rejects_path, report_csv, report_html, write_rejects
    from thirdcountry.imports.sheets import SheetError, read_sheet

    try:
        chosen = load_mapping(mapping)
    except MappingError as error:
        stderr.print(f"[bold red]{mapping} cannot be used:[/]")
        for problem in error.problems:
            stderr.print(f"  {problem}", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    try:
        sheet = read_sheet(file)
    except SheetError as error:
        stderr.print(f"[bold red]cannot import:[/] {error}", markup=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    setup_django()
    require_migrated()
    from thirdcountry.cli.progress import progress
    from thirdcountry.records.imports import import_sheet

    with progress("reading", len(sheet.rows)) as advance:
        outcome = import_sheet(
            sheet,
            chosen,
            source=file,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            progress=advance,
        )
    if outcome.problems:
        target = report or file.with_name(file.stem + ".report.csv")
        if target.suffix.lower() in (".html", ".htm"):
            text = report_html(outcome.problems, f"Import of {file.name}", outcome.unmatched)
        else:
            text = report_csv(outcome.problems)
        target.write_text(text, encoding="utf-8")
        stderr.print(f"{len(outcome.problems):,} problem(s) in {file.name}; report: {target}")
        for shown in outcome.problems[:SHOWN]:
            stderr.print(
                f"  row {shown.row}, {shown.column} {shown.value!r}: {shown.problem}",
                markup=False,
            )
        if len(outcome.problems) > SHOWN:
            stderr.print(f"  … and {len(outcome.problems) - SHOWN:,} more in the report")
    for column, values in sorted(outcome.unmatched.items()):
        stderr.print(f"  no code matched in {column}: {', '.join(sorted(values))}", markup=False)
    if skip_invalid and outcome.rejected_rows:
        path = rejects_path(file)
        written = write_rejects(sheet, outcome.rejected_rows, path)
        stderr.print(f"{written:,} rejected row(s) written to {path}")
    verb = "would import" if dry_run else ("imported" if outcome.written else "refused")
    stdout.print(
        f"{file.name}: {outcome.rows:,} rows, {len(outcome.valid_rows):,} valid, "
        f"{len(outcome.rejected_rows):,} rejected — {verb} in {outcome.seconds:,.1f} s",
        markup=False,
    )
    for kind, counts in outcome.summary.counts.items():
        stdout.print(
            f"  {kind}: {counts['created']:,} created, {counts['updated']:,} updated, "
            f"{counts['unchanged']:,} unchanged",
            markup=False,
        )
    run = outcome.run
    if run is not None and run.status == "complete":
        stdout.print(
            f"  re-screened {run.transfers_screened:,} transfer(s) in run {run.pk}; "
            f"{run.changed:,} verdict(s) changed",
            markup=False,
        )
    elif run is not None:
        stdout.print(
            f"  re-screen queued as run {run.pk} (carried out by thirdcountry worker)",
            markup=False,
        )
    if outcome.duplicates:
        stdout.print(
            f"  {outcome.duplicates:,} possible duplicate(s) queued for review "
            "(thirdcountry candidates)",
            markup=False,
        )
    elif outcome.written and outcome.duplicates is None:
        stdout.print("  too many new persons to link one by one: run thirdcountry link")
    if outcome.written and not outcome.summary.changed:
        stdout.print("  nothing changed: the database already held these records")
    if outcome.rejected_rows and not skip_invalid:
        raise typer.Exit(EXIT_BAD_INPUT)
