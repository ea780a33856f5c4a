"""Commands for the data's life cycle: backing up and restoring the database, erasing a
person's personal data, and the retention policy.

Django and the apps are imported inside each command, after ``setup_django()``: models
cannot be imported before Django is set up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT
from thirdcountry.cli.output import stderr, stdout


def backup(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="Where to write the backup.")
    ],
) -> None:
    """Back up the whole database (records, history, screenings, runs, users, tokens and
    the audit trail) to FILE: SQLite through its backup API, PostgreSQL with pg_dump.
    The audit key is not in it: keep it with the deployment's secrets."""
    if output.exists() and output.is_dir():
        stderr.print(f"[bold red]--output:[/] {output} is a directory")
        raise typer.Exit(EXIT_BAD_INPUT)
    if not output.parent.is_dir():
        stderr.print(f"[bold red]--output:[/] no directory {output.parent}")
        raise typer.Exit(EXIT_BAD_INPUT)
    setup_django()
    require_migrated()
    from thirdcountry.oversight.backup import BackupError
    from thirdcountry.oversight.backup import backup as write_backup

    try:
        kind = write_backup(output)
    except BackupError as error:
        stderr.print(f"[bold red]backup failed:[/] {error}")
        raise typer.Exit(1) from None
    stdout.print(f"backed up the {kind} database to {output}")


def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by thirdcountry backup.")],
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace a database that already holds records."),
    ] = False,
) -> None:
    """Restore a backup into the database (a fresh one, unless --replace), then check it
    with 'thirdcountry audit verify'."""
    if not file.is_file():
        stderr.print(f"[bold red]no backup file {file}[/]")
        raise typer.Exit(EXIT_BAD_INPUT)
    setup_django()
    from thirdcountry.oversight.backup import BackupError
    from thirdcountry.oversight.backup import restore as read_backup

    try:
        kind = read_backup(file, replace=replace)
    except BackupError as error:
        stderr.print(f"[bold red]cannot restore:[/] {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    stdout.print(f"restored {file} into the {kind} database; check it: thirdcountry audit verify")


def erase(
    person: Annotated[str, typer.Argument(help="The person's ref.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why (a request, a court order, the policy).")
    ],
) -> None:
    """Erase a person's personal data (names, birth date, conviction offences, monitoring
    notes) from their records and history; their transfers stay, for the statistics, and
    the audit trail stays verifiable. Refused while a transfer of theirs is proposed."""
    if not reason.strip():
        stderr.print("[bold red]--reason:[/] say why the person is erased")
        raise typer.Exit(EXIT_BAD_INPUT)
    setup_django()
    require_migrated()
    from thirdcountry.cases.models import Person
    from thirdcountry.oversight.services import ErasureRefused, erase_person

    found = Person.objects.filter(ref=person).first()
    if found is None:
        stderr.print(f"[bold red]no person {person!r}[/]")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        outcome = erase_person(found, reason, actor="command line")
    except ErasureRefused as error:
        stderr.print(f"[bold red]not erased:[/] {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    records = sum(outcome.records.values())
    history = sum(outcome.history.values())
    stdout.print(
        f"erased person {person}: {records:,} record(s) and {history:,} historical record(s) "
        "rewritten"
    )


def retention(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the cases the policy would erase.")
    ] = False,
    apply: Annotated[bool, typer.Option("--apply", help="Erase them.")] = False,
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            metavar="N",
            help="The retention period (default: THIRDCOUNTRY_RETENTION_DAYS).",
        ),
    ] = None,
) -> None:
    """The retention policy: erase the personal data of every case closed longer than the
    retention period (no proposed transfer, nothing recorded within the period)."""
    if dry_run == apply:
        stderr.print("[bold red]give exactly one[/] of --dry-run and --apply")
        raise typer.Exit(EXIT_BAD_INPUT)
    if days is not None and days < 1:
        stderr.print("[bold red]--days:[/] a retention period is at least one day")
        raise typer.Exit(EXIT_BAD_INPUT)
    setup_django()
    require_migrated()
    from thirdcountry.oversight.services import apply_retention, closed_cases, retention_period

    period = days if days is not None else retention_period()
    if period is None:
        stderr.print(
            "[bold red]no retention period:[/] set THIRDCOUNTRY_RETENTION_DAYS or give --days"
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    if dry_run:
        refs = list(closed_cases(period).values_list("ref", flat=True))
        for ref in refs:
            print(ref)
        stderr.print(f"{len(refs):,} case(s) closed more than {period} days ago would be erased")
        return
    erased = apply_retention(period)
    for outcome in erased:
        print(outcome.erasure.person.ref)
    stderr.print(f"{len(erased):,} case(s) closed more than {period} days ago erased")
