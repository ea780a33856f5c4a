"""Shared set-up of the REST API tests: the seed world in storage, a user and token per role,
and a small client that speaks JSON with a bearer token."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test import Client
from django.test.testcases import QuietWSGIRequestHandler

from thirdcountry.accounts.roles import ROLES
from thirdcountry.accounts.services import ensure_roles
from thirdcountry.accounts.tokens import create_token
from thirdcountry.cases.services import screen_stored
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario

BASE = "/api/v1"


@dataclass
class Reply:
    """A response: status, headers and decoded JSON body."""

    status: int
    headers: dict[str, str]
    body: Any

    @property
    def etag(self) -> str:
        return self.headers["ETag"]


class ApiClient:
    """Requests to the API as one user (or anonymously with ``token=None``)."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        **query: Any,
    ) -> Reply:
        extra = dict(headers or {})
        if self.token is not None:
            extra["Authorization"] = f"Bearer {self.token}"
        url = path if path.startswith("/") else f"{BASE}/{path}"
        kwargs: dict[str, Any] = {"headers": extra}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        if query:
            kwargs["query_params"] = query
        response = getattr(self.client, method.lower())(url, **kwargs)
        content = response.content
        return Reply(
            response.status_code,
            dict(response.headers),
            json.loads(content) if content else None,
        )

    def get(self, path: str, **query: Any) -> Reply:
        return self.request("GET", path, **query)

    def post(self, path: str, body: Any = None) -> Reply:
        return self.request("POST", path, body if body is not None else {})

    def patch(self, path: str, body: Any, if_match: str | None = None) -> Reply:
        headers = {"If-Match": if_match} if if_match is not None else {}
        return self.request("PATCH", path, body, headers)

    def put(self, path: str, body: Any, if_match: str | None = None) -> Reply:
        headers = {"If-Match": if_match} if if_match is not None else {}
        return self.request("PUT", path, body, headers)


@pytest.fixture
def world(db: None, seed_world_path: Path) -> None:
    """The seed world in storage, screened once."""
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()


@pytest.fixture
def clients(db: None, settings: Any) -> dict[str, ApiClient]:
    """A client per role, one for a user with no role, and an anonymous one."""
    # Accounts here never log in with a password: hashing one need not be slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = {}
    groups = ensure_roles()
    for role in ROLES:
        user = User.objects.create_user(f"{role}-user")
        user.groups.add(groups[role])
        if role == "administrator":  # as create_user makes them
            user.is_staff = True
            user.save()
        out[role] = ApiClient(create_token(user, "tests")[1])
    nobody = User.objects.create_user("no-role-user")
    out["nobody"] = ApiClient(create_token(nobody, "tests")[1])
    out["anonymous"] = ApiClient(None)
    return out


def superuser_token(username: str = "api-superuser") -> str:
    """A token of a user who holds every permission."""
    user = User.objects.create_superuser(username, password=None)
    return create_token(user, "tests")[1]


class _SharedConnectionServer(threading.Thread):
    """Serves the application over HTTP on the creating thread's database connections,
    one request at a time (the test waits on each request, so the connection is never used
    by two at once)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.shared = {alias: connections[alias] for alias in connections}
        self.ready = threading.Event()
        self.url = ""

    def run(self) -> None:
        for alias, shared in self.shared.items():
            connections[alias] = shared
        self.httpd = WSGIServer(("127.0.0.1", 0), QuietWSGIRequestHandler)
        self.httpd.set_app(WSGIHandler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.ready.set()
        self.httpd.serve_forever(poll_interval=0.05)


@pytest.fixture
def served(db: None) -> Iterator[str]:
    """The application's base URL, served over HTTP inside this test's transaction (a live
    server without ``transactional_db``, which would empty and refill the reference tables
    around every test)."""
    connections["default"].ensure_connection()
    # The test's own connection must stay open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    for shared in connections.all():
        shared.inc_thread_sharing()
    server = _SharedConnectionServer()
    server.start()
    server.ready.wait(10)
    try:
        yield server.url
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        server.join()
        for shared in connections.all():
            shared.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
