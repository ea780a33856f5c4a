"""``thirdcountry serve --demo`` from the outside: a real server process on a fresh SQLite
database holding the example world, with one account per role, that a new user signs in to,
records a fact on, and sees a verdict change on."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, dict[str, str], str]]:
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIRDCOUNTRY_")}
    env["THIRDCOUNTRY_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/ignored"  # --demo wins
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "thirdcountry", "serve", "--demo", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**env, "COLUMNS": "200"},
            cwd=tmp_path_factory.mktemp("cwd"),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while "is serving at" not in log.read_text():
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.25)
        accounts = dict(re.findall(r"│ (\w+)\s+│ (\S+)\s+│", log.read_text()))
        database = re.search(r"preparing the demo database (\S+)", log.read_text())
        assert database is not None
        yield base, accounts, database.group(1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # stopped politely, the demo takes its temporary database with it
    database = re.search(r"preparing the demo database (\S+)", log.read_text())
    assert database is not None
    assert not Path(database.group(1)).exists()


class Browser:
    """A cookie-keeping HTTP client that posts forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return str(response.read().decode())

    def post(self, path: str, form_page: str, data: dict[str, str]) -> str:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(form_page))
        assert token is not None
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **data}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + form_page}
        )
        with self.opener.open(request, timeout=30) as response:
            return str(response.read().decode())


def test_the_demo_prints_an_account_per_role_and_serves_the_example_world(
    demo: tuple[str, dict[str, str], str],
) -> None:
    base, accounts, _ = demo
    assert set(accounts) == {
        "caseworker",
        "legal_officer",
        "supervisor",
        "monitor",
        "administrator",
    }
    with urllib.request.urlopen(f"{base}/static/web/htmx.min.js", timeout=30) as response:
        assert response.status == 200 and b"htmx" in response.read(200)
    visitor = Browser(base)
    sign_in = visitor.get("/")  # redirected to sign in
    assert 'name="username"' in sign_in
    # the sign-in page says where the demo's accounts are
    assert "is printed in the terminal where" in sign_in
    visitor.post(
        "/accounts/login/",
        "/accounts/login/",
        {"username": "legal_officer", "password": accounts["legal_officer"], "next": "/"},
    )
    dashboard = visitor.get("/")
    assert "screening date 2025-09-01" in dashboard
    page = visitor.post(
        "/transfers/T-105/notice/",
        "/transfers/T-105/",
        {
            "state": "served",
            "served": "2025-08-20",
            "language": "es",
            "names_destination": "yes",
            "reason": "notice served in person",
        },
    )
    # without htmx the save redirects to the transfer, which shows what changed
    assert "Saved: what the re-screening changed" in page
    assert re.search(r"T-105</a>:\s*<span class=\"badge v-blocked\".*?v-review", page, re.S)
    verdict = page.split('id="verdict"')[1].split("</p>")[0]
    assert "review" in verdict


def test_the_server_s_worker_carries_out_a_queued_run(
    demo: tuple[str, dict[str, str], str],
) -> None:
    base, accounts, database = demo
    # A large legal event is queued, as the application queues one: here from outside.
    queued = subprocess.run(
        [
            sys.executable,
            "-c",
            "from thirdcountry.cli.django_setup import setup_django; setup_django(); "
            "from thirdcountry.cases.tasks import queue_run; "
            "print(queue_run({'all': True}, 'queued from outside', None).pk)",
        ],
        env={**os.environ, "THIRDCOUNTRY_DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    run = int(queued.stdout.strip())
    visitor = Browser(base)
    visitor.post(
        "/accounts/login/",
        "/accounts/login/",
        {"username": "supervisor", "password": accounts["supervisor"], "next": "/"},
    )
    deadline = time.monotonic() + 60
    while True:
        page = visitor.get(f"/runs/{run}/")
        status = re.search(r'Status</dt><dd><span class="badge run-(\w+)">', page)
        assert status is not None
        if status.group(1) == "complete":
            break
        assert time.monotonic() < deadline, f"run {run} is still {status.group(1)}"
        time.sleep(0.5)
    assert "queued from outside" in page


def test_the_wsgi_application_loads_its_views_and_freezes_what_loading_made(
    tmp_path: Path,
) -> None:
    """Loaded by a server, the application has imported its views and rules, and the
    objects that made are out of the cycle collector's full passes."""
    script = (
        "import gc, sys, thirdcountry.wsgi; "
        "print(gc.get_freeze_count(), 'thirdcountry.rules.engine' in sys.modules)"
    )
    env = {**os.environ, "THIRDCOUNTRY_SECRET_KEY": "a-test-only-key-of-some-length"}
    env["THIRDCOUNTRY_DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    frozen, loaded = run.stdout.split()
    assert int(frozen) > 50_000 and loaded == "True"


def test_a_port_in_use_is_refused_with_a_clear_error() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIRDCOUNTRY_")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "thirdcountry", "serve", "--demo", "--port", str(port)],
            capture_output=True,
            text=True,
            env={**env, "COLUMNS": "200"},
            timeout=180,
        )
    assert run.returncode == 2, run.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr
    assert "Traceback" not in run.stderr and "is serving at" not in run.stderr
