"""End-to-end tests: a real headless Chromium (Debian's, never a downloaded one) driven by
Playwright against the application served over HTTP from a thread of the test process.

The server thread answers on the test's own database connection, one request at a time, the
way Django's live server does for an in-memory SQLite database, here on any database: what a
test sets up is visible to the browser at once, and everything is rolled back after it.
(``live_server`` needs ``transactional_db``, which empties every table after each test and
re-creates the 8,500 reference rows of countries, languages and currencies: seconds a test.)
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test.testcases import QuietWSGIRequestHandler

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Screenshots land here (git ignores it), one per test.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium)"
    )
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(skip)


class SharedConnectionServer(threading.Thread):
    """Serves the application at ``url`` on the creating thread's database connections.

    The server is not threaded: requests are served one after another, so the connection is
    never used by two requests at once (nor by the test, which waits on the browser).
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.shared = {alias: connections[alias] for alias in connections}
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.url = ""

    def run(self) -> None:
        for alias, connection in self.shared.items():
            connections[alias] = connection
        try:
            self.httpd = WSGIServer(
                ("127.0.0.1", 0), QuietWSGIRequestHandler, allow_reuse_address=False
            )
            self.httpd.set_app(WSGIHandler())
            self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        except BaseException as error:
            self.error = error
            raise
        finally:
            self.ready.set()
        self.httpd.serve_forever(poll_interval=0.05)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.join()


def _serve() -> Iterator[str]:
    """Serve the application on this test's database connection; yields its base URL."""
    connection = connections["default"]
    connection.ensure_connection()
    # Django closes "old" connections around each request; this one is the test's own, open
    # in the test's transaction, and must stay so.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    for shared in connections.all():
        shared.inc_thread_sharing()
    server = SharedConnectionServer()
    server.start()
    server.ready.wait()
    try:
        if server.error is not None:
            raise server.error
        yield server.url
    finally:
        if server.error is None:
            server.stop()
        for shared in connections.all():
            shared.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


PASSWORD = "a-long-e2e-password"


#: What ``site`` serves: the example world screened, with an account per role made by the
#: service, or (``empty``) a database as ``migrate`` leaves it, its accounts made by
#: ``thirdcountry user create``. A test asks for the second with
#: ``@pytest.mark.parametrize("site", ["empty"], indirect=True)``.
WORLDS = ("example", "empty")


@pytest.fixture
def site(db: None, seed_world_path: Path, settings: Any, request: Any) -> Iterator[str]:
    """The application served at the returned base URL, on the world ``request.param`` names
    (see ``WORLDS``; the example world by default), with one account per role
    (``PASSWORD``).

    Everything the database needs is done here, before the browser starts: Playwright's
    synchronous API runs an event loop in the test's thread, where Django rightly refuses
    database calls (and a call that got through would use a connection of its own, outside
    the test's transaction).
    """
    from thirdcountry.accounts.roles import ROLES

    world = getattr(request, "param", "example")
    assert world in WORLDS, world
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if world == "empty":
        from typer.testing import CliRunner

        from thirdcountry.cli.main import app

        for role in ROLES:
            made = CliRunner().invoke(
                app, ["user", "create", role, "--role", role, "--password", PASSWORD]
            )
            assert made.exit_code == 0, made.output
    else:
        from thirdcountry.accounts.services import create_user
        from thirdcountry.cases.services import screen_stored
        from thirdcountry.records.load import load_scenario_records
        from thirdcountry.scenario import loads_scenario

        load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
        screen_stored()
        for role in ROLES:
            create_user(role, role, PASSWORD)
    yield from _serve()


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, for one test (with no application behind it unless the
    test asks for ``site`` first)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def browser(site: str, chromium: Any) -> Any:
    """Debian's Chromium, headless, for one test, started once the site is served."""
    return chromium


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser tab (no cookies); its screenshot is saved when the test ends."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def visit(page: Any, site: str) -> Callable[[str], Any]:
    """Opens a path of the site in the test's tab; returns the tab."""

    def go(path: str) -> Any:
        page.goto(f"{site}{path}")
        return page

    return go


@pytest.fixture
def sign_in(page: Any, visit: Callable[[str], Any]) -> Callable[..., Any]:
    """Signs in through the sign-in form as the demo account of a role, then opens ``path``
    (the dashboard, where signing in lands, by default); returns the tab."""
    from playwright.sync_api import expect

    def as_role(role: str, path: str = "/") -> Any:
        visit("/")
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
        page.get_by_label("Username").fill(role)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard")
        return page if path == "/" else visit(path)

    return as_role
