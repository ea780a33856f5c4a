"""Personal API tokens: stored hashed, shown once, revocable; and the CLI that manages them."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import User
from typer.testing import CliRunner

from api_support import ApiClient
from thirdcountry.accounts.models import ApiToken
from thirdcountry.accounts.services import create_user
from thirdcountry.accounts.tokens import (
    authenticate_token,
    create_token,
    revoke_token,
    tokens_of,
)
from thirdcountry.cli.main import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(settings: object) -> User:
    return create_user("clerk", "caseworker", password="a long enough password")


def test_a_token_is_stored_only_as_its_hash(user: User) -> None:
    token, plaintext = create_token(user, "laptop")
    assert plaintext.startswith("tc_") and len(plaintext) >= 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in str(list(ApiToken.objects.values_list()))
    assert plaintext.startswith(stored.prefix) and len(stored.prefix) < len(plaintext) // 3
    assert authenticate_token(plaintext) == user


def test_wrong_revoked_and_inactive_tokens_authenticate_nobody(user: User) -> None:
    token, plaintext = create_token(user, "laptop")
    assert authenticate_token(plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")) is None
    assert authenticate_token("") is None
    assert authenticate_token("Bearer " + plaintext) is None
    user.is_active = False
    user.save()
    assert authenticate_token(plaintext) is None
    user.is_active = True
    user.save()
    assert authenticate_token(plaintext) == user
    revoke_token(token)
    assert authenticate_token(plaintext) is None
    assert not ApiToken.objects.get(pk=token.pk).active


def test_tokens_of_lists_a_users_tokens_newest_first(user: User) -> None:
    first, _ = create_token(user, "one")
    second, _ = create_token(user, "two")
    other = create_user("other", "monitor")
    create_token(other, "theirs")
    assert list(tokens_of(user)) == [second, first]
    with pytest.raises(ValueError):
        create_token(user, "  ")


def test_the_api_refuses_a_revoked_token(user: User) -> None:
    token, plaintext = create_token(user, "laptop")
    client = ApiClient(plaintext)
    assert client.get("persons").status == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    revoke_token(token)
    refused = client.get("persons")
    assert refused.status == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert ApiClient("tc_" + "x" * 43).get("persons").status == 401


def test_the_token_commands_create_list_and_revoke(user: User) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["token", "create", "clerk", "--name", "script"])
    assert created.exit_code == 0, created.output
    plaintext = created.stdout.strip().splitlines()[-1]
    assert authenticate_token(plaintext) == user
    token = ApiToken.objects.get(user=user)
    listed = runner.invoke(app, ["token", "list", "clerk"])
    assert listed.exit_code == 0
    assert "script" in listed.stdout and token.prefix in listed.stdout
    assert plaintext not in listed.stdout
    revoked = runner.invoke(app, ["token", "revoke", str(token.pk)])
    assert revoked.exit_code == 0
    assert authenticate_token(plaintext) is None
    assert runner.invoke(app, ["token", "create", "nobody-here"]).exit_code == 2
    assert runner.invoke(app, ["token", "revoke", "999999"]).exit_code == 2
