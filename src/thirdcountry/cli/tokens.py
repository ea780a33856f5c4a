"""``thirdcountry token``: personal API tokens for the REST API (create, list, revoke).

Django and the apps are imported inside each command, after ``setup_django()``: models
cannot be imported before Django is set up."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT
from thirdcountry.cli.output import stderr, stdout

app = typer.Typer(
    name="token",
    help="Personal API tokens: send one as 'Authorization: Bearer TOKEN' to the REST API.",
    no_args_is_help=True,
    add_completion=False,
)


def _user(username: str) -> Any:
    setup_django()
    require_migrated()
    from django.contrib.auth.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        stderr.print(f"[bold red]no user {username!r}[/]")
        raise typer.Exit(EXIT_BAD_INPUT)
    return user


@app.command()
def create(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[
        str, typer.Option("--name", "-n", help="What the token is for, to tell it apart.")
    ] = "command line",
) -> None:
    """Create a token and print it once: it is stored only as a hash and cannot be shown
    again. The token has exactly the permissions of the user's role."""
    user = _user(username)
    from thirdcountry.accounts.tokens import create_token

    try:
        token, plaintext = create_token(user, name)
    except ValueError as error:
        stderr.print(f"[bold red]--name:[/] {error}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    stderr.print(f"token {token.pk} ({token.name}) for {username}; it is shown only this once:")
    print(plaintext)


@app.command("list")
def list_tokens(
    username: Annotated[str, typer.Argument(help="Whose tokens to list.")],
) -> None:
    """List a user's tokens (never the tokens themselves: their first characters only)."""
    user = _user(username)
    from rich.table import Table

    from thirdcountry.accounts.tokens import tokens_of

    table = Table(title=f"API tokens of {username}", title_justify="left")
    for column in ("id", "name", "starts with", "created", "last used", "revoked"):
        table.add_column(column)
    for token in tokens_of(user):
        table.add_row(
            str(token.pk),
            token.name,
            token.prefix + "…",
            f"{token.created_at:%Y-%m-%d %H:%M}",
            f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never",
            f"{token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "",
        )
    stdout.print(table)


@app.command()
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id, as 'token list' shows it.")],
) -> None:
    """Revoke a token: it stops working at once."""
    setup_django()
    require_migrated()
    from thirdcountry.accounts.models import ApiToken
    from thirdcountry.accounts.tokens import revoke_token

    token = ApiToken.objects.filter(pk=token_id).select_related("user").first()
    if token is None:
        stderr.print(f"[bold red]no token {token_id}[/]")
        raise typer.Exit(EXIT_BAD_INPUT)
    revoke_token(token)
    stderr.print(f"revoked token {token.pk} ({token.name}) of {token.user.username}")
