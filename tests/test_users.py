"""Users and roles: administrators create, re-role and deactivate users in the app and on
the command line, and every change is on the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from typer.testing import CliRunner

from thirdcountry.accounts.roles import role_of
from thirdcountry.accounts.services import create_user
from thirdcountry.cli.main import app
from thirdcountry.oversight.audit.verification import verify
from thirdcountry.oversight.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def admin_client() -> tuple[Client, User]:
    admin = create_user("admin", "administrator", PASSWORD)
    client = Client()
    client.force_login(admin)
    return client, admin


def audited(action: str, username: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action, model="auth.user").get(detail__user=username)


def test_an_administrator_creates_re_roles_and_deactivates_a_user() -> None:
    client, _ = admin_client()
    response = client.post(
        "/users/", {"username": "clerk", "role": "caseworker", "password": "a-new-long-password"}
    )
    assert response.status_code == 302
    clerk = User.objects.get(username="clerk")
    assert role_of(clerk) == "caseworker" and clerk.check_password("a-new-long-password")
    assert audited("user created", "clerk").actor == "admin"
    client.post(f"/users/{clerk.pk}/", {"action": "role", "role": "legal_officer"})
    clerk.refresh_from_db()
    assert role_of(clerk) == "legal_officer"
    assert audited("role changed", "clerk").detail["before"] == "caseworker"
    client.post(f"/users/{clerk.pk}/", {"action": "deactivate"})
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert audited("user deactivated", "clerk")
    page = client.get("/users/").content.decode()
    assert "clerk" in page and "Reactivate" in page
    assert verify(save=False).ok  # the entries are part of a whole chain


def test_a_refused_user_keeps_what_was_typed() -> None:
    client, admin = admin_client()
    response = client.post("/users/", {"username": "admin", "role": "monitor", "password": "short"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="admin"' in page and "too short" in page
    taken = client.post(
        "/users/", {"username": "admin", "role": "monitor", "password": "a-new-long-password"}
    )
    assert "is taken" in taken.content.decode()
    itself = client.post(f"/users/{admin.pk}/", {"action": "deactivate"})
    assert itself.status_code == 422 and User.objects.get(pk=admin.pk).is_active


def test_only_administrators_see_the_users_page() -> None:
    clerk = create_user("clerk", "caseworker", PASSWORD)
    client = Client()
    client.force_login(clerk)
    assert client.get("/users/").status_code == 403
    assert (
        client.post(f"/users/{clerk.pk}/", {"action": "role", "role": "supervisor"}).status_code
        == 403
    )


def test_the_user_commands_create_list_re_role_and_deactivate() -> None:
    runner = CliRunner()
    created = runner.invoke(
        app,
        ["user", "create", "officer", "--role", "legal_officer"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert created.exit_code == 0, created.output
    officer = User.objects.get(username="officer")
    assert role_of(officer) == "legal_officer" and officer.check_password(PASSWORD)
    assert audited("user created", "officer").actor == "command line"
    listed = runner.invoke(app, ["user", "list"])
    assert "officer" in listed.stdout and "legal_officer" in listed.stdout
    assert (
        runner.invoke(app, ["user", "set-role", "officer", "--role", "supervisor"]).exit_code == 0
    )
    assert role_of(User.objects.get(username="officer")) == "supervisor"
    assert runner.invoke(app, ["user", "deactivate", "officer"]).exit_code == 0
    assert not User.objects.get(username="officer").is_active


@pytest.mark.parametrize(
    "args",
    [
        ["user", "create", "x", "--role", "boss", "--password", PASSWORD],
        ["user", "create", "x", "--role", "monitor", "--password", "short"],
        ["user", "set-role", "nobody-here", "--role", "monitor"],
        ["user", "set-role", "admin", "--role", "boss"],
        ["user", "deactivate", "nobody-here"],
    ],
)
def test_bad_user_commands_exit_2_with_a_message(args: list[str]) -> None:
    create_user("admin", "administrator", PASSWORD)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_a_taken_name_exits_2() -> None:
    create_user("admin", "administrator", PASSWORD)
    result = CliRunner().invoke(
        app, ["user", "create", "admin", "--role", "monitor", "--password", PASSWORD]
    )
    assert result.exit_code == 2 and "taken" in result.output
