"""What every request meets first: a NUL character or an over-long body is refused with a
clear answer (never a 500), signed-in answers are kept out of caches, pages carry a content
security policy, sign-ins are throttled, and release files cannot smuggle a formula into a
spreadsheet."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from api_support import ApiClient, clients, world  # noqa: F401
from thirdcountry.accounts.services import create_user
from thirdcountry.accounts.sign_in import unlock
from thirdcountry.cli.serve import _allow_host
from thirdcountry.edge import client_address
from thirdcountry.oversight.release import spreadsheet_safe, write_release

PASSWORD = "a-long-test-password"


@pytest.fixture
def monitor(world: None, settings: Any) -> Client:  # noqa: F811
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client()
    client.force_login(create_user("watcher", "monitor", PASSWORD))
    return client


# -- NUL characters (400, never a 500) --------------------------------------------------------


@pytest.mark.django_db
def test_a_nul_in_the_api_s_address_query_or_body_is_refused_clearly(
    world: None,  # noqa: F811
    clients: dict[str, ApiClient],  # noqa: F811
) -> None:
    caseworker = clients["caseworker"]
    reply = caseworker.get("/api/v1/persons/%00")
    assert reply.status == 422
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert "NUL" in reply.body["detail"]
    assert caseworker.get("persons", nationality="a\x00b").status == 422
    reply = caseworker.post("persons", {"ref": "P-900", "names": ["Nul\x00Name"]})
    assert reply.status == 422
    assert reply.body["errors"] == [
        {"path": "names[0]", "message": "a NUL character (\\u0000) is not allowed in text"}
    ]
    document = {"format": "thirdcountry/scenario@1", "persons": [{"ref": "P-1", "names": ["\x00"]}]}
    assert caseworker.post("/api/v1/check", document).status == 422


def test_a_nul_in_a_page_s_query_is_refused_with_a_page(monitor: Client) -> None:
    response = monitor.get("/people/?q=%00")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    french = monitor.get("/people/?q=%00", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Requête refusée" in french.content.decode()


# -- body size (413) --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_body_over_the_limit_is_answered_413_and_the_limit_is_a_setting(
    world: None,  # noqa: F811
    clients: dict[str, ApiClient],  # noqa: F811
    settings: Any,
) -> None:
    persons = [{"ref": f"P-{i}", "names": ["Name " + "x" * 40]} for i in range(60_000)]
    document = {"format": "thirdcountry/scenario@1", "persons": persons}
    body = json.dumps(document)
    assert len(body) > 2.5 * 1024 * 1024  # larger than Django's own default
    caseworker = clients["caseworker"]
    assert caseworker.post("/api/v1/check", document).status == 200
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    reply = caseworker.post("/api/v1/check", document)
    assert reply.status == 413
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert "THIRDCOUNTRY_MAX_REQUEST_BYTES" in reply.body["detail"]


# -- caches, content security policy, hosts ----------------------------------------------------


def test_signed_in_pages_are_not_stored_and_carry_a_content_security_policy(
    monitor: Client,
) -> None:
    for url in ("/", "/people/", "/statistics/"):
        response = monitor.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
    assert "Content-Security-Policy" in Client().get("/accounts/login/")


@pytest.mark.django_db
def test_api_answers_to_a_token_are_not_stored(
    world: None,  # noqa: F811
    clients: dict[str, ApiClient],  # noqa: F811
) -> None:
    assert clients["monitor"].get("transfers").headers["Cache-Control"] == "no-store"


def test_every_interface_does_not_mean_every_host(monkeypatch: pytest.MonkeyPatch) -> None:
    # set first, so that the test's end puts back what was there before (nothing, or a value)
    monkeypatch.setenv("THIRDCOUNTRY_ALLOWED_HOSTS", "")
    monkeypatch.delenv("THIRDCOUNTRY_ALLOWED_HOSTS")
    _allow_host("0.0.0.0")
    hosts = os.environ["THIRDCOUNTRY_ALLOWED_HOSTS"].split(",")
    assert "*" not in hosts and "localhost" in hosts


@pytest.mark.django_db
def test_a_request_for_a_host_not_served_is_refused(
    world: None,  # noqa: F811
    clients: dict[str, ApiClient],  # noqa: F811
) -> None:
    reply = clients["monitor"].client.get(
        "/api/v1/transfers", HTTP_HOST="attacker.example", HTTP_AUTHORIZATION="Bearer x"
    )
    assert reply.status_code == 400


# -- signing in --------------------------------------------------------------------------------


def sign_in(client: Client, username: str, password: str) -> int:
    response = client.post(
        "/accounts/login/", {"username": username, "password": password, "next": "/"}
    )
    return int(response.status_code)


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_until_an_administrator_unlocks_it(
    settings: Any,
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user: User = create_user("officer", "legal_officer", PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert sign_in(client, user.username, "wrong password") in (200, 429)
    # the right password no longer works, from this address or any other
    assert sign_in(client, user.username, PASSWORD) == 429
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    locked = elsewhere.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Signing in is locked" in locked.content.decode()
    in_french = elsewhere.post(
        "/accounts/login/",
        {"username": user.username, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "La connexion est bloquée" in in_french.content.decode()
    unlock(username=user.username)
    assert sign_in(Client(), user.username, PASSWORD) == 302


@pytest.mark.django_db
def test_the_unlock_command_lifts_an_address_lock(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_user("officer", "legal_officer", PASSWORD)
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{i}", "wrong password")
    assert sign_in(client, "officer", PASSWORD) == 429  # the address is locked
    call_command("axes_reset_ip", "127.0.0.1")
    assert sign_in(client, "officer", PASSWORD) == 302


def test_behind_a_proxy_the_client_s_address_is_the_one_the_proxy_appended(
    settings: Any, rf: Any
) -> None:
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7", REMOTE_ADDR="10.9.9.9")
    assert client_address(request) == "10.9.9.9"
    settings.THIRDCOUNTRY_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    assert client_address(request) == "198.51.100.7"


# -- release files -----------------------------------------------------------------------------


def test_a_cell_that_would_start_a_formula_is_written_as_text() -> None:
    for formula in ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"):
        assert spreadsheet_safe(formula) == "'" + formula
    assert spreadsheet_safe("GB-RW-2022") == "GB-RW-2022"
    assert spreadsheet_safe(-5) == -5


@pytest.mark.django_db
def test_release_files_hold_no_formula(world: None, tmp_path: Path) -> None:  # noqa: F811
    from datetime import date

    write_release(date(2020, 1, 1), date(2030, 12, 31), tmp_path)
    for path in tmp_path.glob("*.csv"):
        with path.open() as f:
            for row in csv.reader(f):
                assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
