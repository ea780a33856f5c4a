"""``thirdcountry user``: user accounts and their roles (create, list, set-role,
deactivate). Each change is put on the audit trail.

Django and the apps are imported inside each command, after ``setup_django()``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT
from thirdcountry.cli.output import stderr, stdout

app = typer.Typer(
    name="user",
    help="User accounts and their roles: caseworker, legal_officer, supervisor, monitor, "
    "administrator.",
    no_args_is_help=True,
    add_completion=False,
)

RoleOption = Annotated[
    str,
    typer.Option(
        "--role",
        "-r",
        help="caseworker, legal_officer, supervisor, monitor or administrator.",
    ),
]


def _refuse(message: str) -> typer.Exit:
    stderr.print(f"[bold red]{message}[/]")
    return typer.Exit(EXIT_BAD_INPUT)


def _check_role(role: str) -> None:
    from thirdcountry.accounts.roles import ROLES

    if role not in ROLES:
        raise _refuse(f"--role: {role!r} is not a role; expected one of {', '.join(ROLES)}")


def _user(username: str) -> Any:
    setup_django()
    require_migrated()
    from django.contrib.auth.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise _refuse(f"no user {username!r}")
    return user


@app.command()
def create(
    username: Annotated[str, typer.Argument(help="The name the user signs in with.")],
    role: RoleOption,
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Asked for when not given (at least 12 characters).",
        ),
    ],
) -> None:
    """Create a user in one role."""
    _check_role(role)
    setup_django()
    require_migrated()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from thirdcountry.oversight.users import register_user

    try:
        validate_password(password)
    except ValidationError as error:
        raise _refuse("--password: " + " ".join(error.messages)) from None
    try:
        user = register_user(username, role, password)
    except ValueError as error:
        raise _refuse(str(error)) from None
    stderr.print(f"created {user.username} ({role})")


@app.command("list")
def list_users() -> None:
    """List users, their role and whether they may sign in."""
    setup_django()
    require_migrated()
    from rich.table import Table

    from thirdcountry.accounts.roles import ROLES
    from thirdcountry.oversight.users import users

    table = Table(title="Users", title_justify="left")
    for column in ("user", "role", "active", "last sign-in"):
        table.add_column(column)
    for user in users():
        names = {g.name for g in user.groups.all()}
        role = next((r for r in ROLES if r in names), "")
        last = f"{user.last_login:%Y-%m-%d %H:%M}" if user.last_login else "never"
        table.add_row(user.username, role, "yes" if user.is_active else "no", last)
    stdout.print(table)


@app.command("set-role")
def set_role(
    username: Annotated[str, typer.Argument(help="The user.")],
    role: RoleOption,
) -> None:
    """Give a user another role."""
    _check_role(role)
    user = _user(username)
    from thirdcountry.oversight.users import set_role as change_role

    change_role(user, role)
    stderr.print(f"{username} is now {role}")


@app.command()
def deactivate(username: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Stop a user from signing in (their records and history stay)."""
    user = _user(username)
    from thirdcountry.oversight.users import deactivate_user

    deactivate_user(user)
    stderr.print(f"{username} can no longer sign in")
