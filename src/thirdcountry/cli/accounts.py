"""``thirdcountry unlock``: lift the lock that repeated failed sign-ins put on an account or
an address, before it expires by itself.

Django and the apps are imported inside the command, after ``setup_django()``."""

from __future__ import annotations

from typing import Annotated

import typer

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT
from thirdcountry.cli.output import stderr


def unlock(
    username: Annotated[
        str | None, typer.Argument(help="The account to unlock (default: see --address).")
    ] = None,
    address: Annotated[
        str | None, typer.Option("--address", help="Unlock sign-ins from this IP address.")
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Lift every lock on every account and address.")
    ] = False,
) -> None:
    """Lift sign-in locks (an administrator's task): of an account, an address, or --all."""
    if username is None and address is None and not everything:
        stderr.print("[bold red]name an account, an --address, or --all[/]")
        raise typer.Exit(EXIT_BAD_INPUT)
    setup_django()
    require_migrated()
    from thirdcountry.accounts.sign_in import unlock as unlock_sign_in

    cleared = unlock_sign_in(username=username, address=address)
    what = username or address or "every account and address"
    stderr.print(f"unlocked {what} ({cleared:,} failed attempt(s) cleared)")
