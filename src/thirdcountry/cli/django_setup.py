"""Start Django for the commands that use the database, with clear errors when it is not
ready.

Django is imported only here, inside the functions, so commands that need no database
(``check``, ``rules``) start without it."""

from __future__ import annotations

import os

import typer

from thirdcountry.cli.options import EXIT_BAD_INPUT
from thirdcountry.cli.output import stderr


def setup_django(needs_key: bool = True) -> None:
    """Configure Django from the environment (see ``thirdcountry.settings``).

    A command that writes, serves or reads keyed data (``needs_key``) exits with status 2
    when no secret key is configured: what it wrote under a published key would protect
    nobody (see :mod:`thirdcountry.keys`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")
    import django

    django.setup()
    if not needs_key:
        return
    from thirdcountry.keys import MISSING_KEY, secret_key_configured

    if not secret_key_configured():
        stderr.print(f"[bold red]refused:[/] {MISSING_KEY}")
        raise typer.Exit(EXIT_BAD_INPUT)


def require_migrated() -> None:
    """Exit with a clear message when the database lacks tables or pending migrations."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as error:
        stderr.print(f"[bold red]cannot reach the database:[/] {error}")
        raise typer.Exit(1) from None
    if pending:
        stderr.print(
            "[bold red]the database is not ready:[/] "
            f"{len(pending)} migration(s) to apply; run [bold]thirdcountry migrate[/] first"
        )
        raise typer.Exit(1)
