"""``thirdcountry catalog``: which catalog screenings of the stored world are made under,
and choosing another (every pending transfer is then re-screened as one run).

Django and the apps are imported inside each command, after ``setup_django()``."""

from __future__ import annotations

from typing import Annotated

import typer

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT
from thirdcountry.cli.output import print_json, stderr, stdout
from thirdcountry.cli.progress import progress
from thirdcountry.rules import catalogs

app = typer.Typer(
    help="The catalog screenings of the stored world are made under.", no_args_is_help=True
)


@app.command()
def show(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the current catalog, every registered catalog, and who chose the current one."""
    setup_django()
    require_migrated()
    from thirdcountry.registry.models import CatalogChoice
    from thirdcountry.registry.selectors import current_catalog

    current = current_catalog()
    latest = CatalogChoice.history.order_by("-history_date", "-history_id").first()
    chosen = None
    if latest is not None:
        chosen = {
            "version": latest.version,
            "at": latest.history_date.isoformat(),
            "by": latest.history_user.get_username() if latest.history_user else None,
            "reason": latest.history_change_reason,
        }
    if as_json:
        print_json({"current": current, "registered": list(catalogs.versions()), "chosen": chosen})
        return
    stdout.print(f"current catalog: {current}")
    stdout.print(f"registered: {', '.join(catalogs.versions())}")
    if chosen is None:
        stdout.print(f"never chosen here: ${catalogs.SETTING}, else {catalogs.DEFAULT}")
    else:
        stdout.print(f"chosen {chosen['at']} by {chosen['by'] or '—'}: {chosen['reason'] or '—'}")


@app.command()
def use(
    version: Annotated[str, typer.Argument(help="A registered catalog version.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why, kept in the setting's history.")
    ] = None,
) -> None:
    """Make VERSION the current catalog and re-screen every pending transfer under it, as
    one run whose changes show what changed between the catalogs."""
    if version not in catalogs.versions():
        stderr.print(
            f"[bold red]unknown catalog[/] {version!r}; registered: "
            f"{', '.join(catalogs.versions())}"
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    setup_django()
    require_migrated()
    from thirdcountry.cases.catalog_choice import use_catalog
    from thirdcountry.cli.runs import run_table

    with progress("reading the stored world") as report:
        run = use_catalog(
            version,
            reason=reason,
            progress=lambda done, total: report("re-screening", done, total),
        )
    stdout.print(run_table(run))
