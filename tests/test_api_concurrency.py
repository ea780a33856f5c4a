"""No lost updates: two clients change the same record at the same moment, both based on
the same ETag; exactly one change is made (200) and the other is refused (412).

On PostgreSQL the server is Django's threaded test server (``live_server``). SQLite's test
database lives in memory, where the test server shares one connection between its
threads; there the server is a real production server (gunicorn, two worker processes)
over a temporary database file.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from thirdcountry.accounts.services import create_user
from thirdcountry.accounts.tokens import create_token
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario

ROUNDS = 4


def request(
    method: str, url: str, token: str, body: Any = None, if_match: str | None = None
) -> tuple[int, dict[str, str], Any]:
    req = urllib.request.Request(url, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        req.add_header("Content-Type", "application/json")
        data = json.dumps(body).encode()
    if if_match is not None:
        req.add_header("If-Match", if_match)
    try:
        with urllib.request.urlopen(req, data, timeout=60) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def race(api: str, token: str) -> None:
    """Rounds of two simultaneous PATCHes of one person with the same ETag."""
    url = f"{api}/persons/P-101"
    for round_ in range(ROUNDS):
        status, headers, _ = request("GET", url, token)
        assert status == 200
        etag = headers["ETag"]
        barrier = threading.Barrier(2)
        results: dict[str, int] = {}

        def change(
            value: str,
            barrier: threading.Barrier,
            results: dict[str, int],
            etag: str,
            fit: bool,
        ) -> None:
            barrier.wait()
            body = {"languages": [value], "fit_to_travel": fit}
            results[value] = request("PATCH", url, token, body, etag)[0]

        threads = [
            threading.Thread(target=change, args=(v, barrier, results, etag, round_ % 2 == 0))
            for v in ("en", "fr")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results.values()) == [200, 412], results
        winner = next(value for value, status in results.items() if status == 200)
        status, _, person = request("GET", url, token)
        assert person["languages"] == [winner]


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="on SQLite the test server shares one connection: the race runs under gunicorn",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_with_one_etag_let_exactly_one_through(
    live_server: Any, seed_world_path: Path, reference_codes: object
) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    token = create_token(create_user("racer", "caseworker"), "race")[1]
    race(f"{live_server.url}/api/v1", token)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def migrated_sqlite(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of the (migrated, otherwise empty) SQLite test database in a file. (The copy's
    reference tables are refilled where it is used: the test database itself is left as it
    was, for the tests that run after this one on it.)"""
    path = tmp_path_factory.mktemp("race") / "migrated.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        with target:
            connection.connection.backup(target)
        target.close()
    return path


@pytest.fixture
def gunicorn_on_sqlite(
    tmp_path: Path, seed_world_path: Path, migrated_sqlite: Path
) -> Iterator[tuple[str, str]]:
    """A gunicorn server (two worker processes) over a SQLite file holding the seed world,
    and a caseworker's token."""
    database = tmp_path / "race.sqlite3"
    shutil.copy(migrated_sqlite, database)
    env = {
        **os.environ,
        "THIRDCOUNTRY_DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "thirdcountry.settings",
    }
    bin_dir = Path(sys.executable).parent
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, django; django.setup();"
            # an earlier transactional test may have emptied the reference tables
            "from importlib import import_module; from django.apps import apps;"
            "import_module('thirdcountry.registry.migrations.0002_reference_codes')"
            ".fill(apps, None);"
            "from thirdcountry.accounts.services import create_user;"
            "from thirdcountry.accounts.tokens import create_token;"
            "from thirdcountry.records.load import load_scenario_records;"
            "from thirdcountry.scenario import load_scenario;"
            "load_scenario_records(load_scenario(sys.argv[1]));"
            "print(create_token(create_user('racer', 'caseworker'), 'race')[1])",
            str(seed_world_path),
        ],
        env=env,
        check=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    token = made.stdout.strip().splitlines()[-1]
    port = _free_port()
    gunicorn = shutil.which("gunicorn", path=str(bin_dir)) or "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{port}", "thirdcountry.wsgi"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        api = f"http://127.0.0.1:{port}/api/v1"
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{api}/openapi.json", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield api, token
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL runs the race under the test server (the test above)",
)
def test_concurrent_changes_on_sqlite_let_exactly_one_through(
    gunicorn_on_sqlite: tuple[str, str],
) -> None:
    race(*gunicorn_on_sqlite)


def _execute(
    api: str, token: str, ref: str, etag: str, barrier: threading.Barrier, results: dict[str, Any]
) -> None:
    barrier.wait()
    url = f"{api}/transfers/{ref}?reason=ordered+by+the+minister"
    status, _, body = request("PATCH", url, token, {"status": "executed"}, etag)
    results[ref] = (status, body)


def execute_concurrently(api: str, token: str) -> None:
    """Rounds of two simultaneous executions of different transfers under one arrangement:
    every one is recorded, none fails (PostgreSQL deadlocked on the audit trail's head)."""
    for pair in (("T-101", "T-102"), ("T-103", "T-107")):
        etags = {}
        for ref in pair:
            status, headers, _ = request("GET", f"{api}/transfers/{ref}", token)
            assert status == 200
            etags[ref] = headers["ETag"]
        barrier = threading.Barrier(len(pair))
        results: dict[str, tuple[int, Any]] = {}
        threads = [
            threading.Thread(target=_execute, args=(api, token, ref, etags[ref], barrier, results))
            for ref in pair
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(status == 200 for status, _ in results.values()), results


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="on SQLite the test server shares one connection: the race runs under gunicorn",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_executions_under_one_arrangement_are_all_recorded(
    live_server: Any, seed_world_path: Path, reference_codes: object
) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    token = create_token(create_user("racer", "caseworker"), "race")[1]
    execute_concurrently(f"{live_server.url}/api/v1", token)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL runs the race under the test server (the test above)",
)
def test_concurrent_executions_on_sqlite_are_all_recorded(
    gunicorn_on_sqlite: tuple[str, str],
) -> None:
    execute_concurrently(*gunicorn_on_sqlite)
