"""Start Django for the commands that use the database, with clear errors when it is not
ready.

Django is imported only here, inside the functions, so commands that need no database
(``check``, ``rules``) start without it."""

from __future__ import annotations

import os

import typer

from thirdcountry.cli.output import stderr


def setup_django() -> None:
    """Configure Django from the environment (see ``thirdcountry.settings``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")
    import django

    django.setup()


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
