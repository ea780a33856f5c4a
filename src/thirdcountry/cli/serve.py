"""``thirdcountry serve``: the web application, on a real WSGI server (waitress).

Django and the apps are imported inside each command, after ``setup_django()``: models
cannot be imported before Django is set up."""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from thirdcountry.cli.django_setup import require_migrated, setup_django
from thirdcountry.cli.options import EXIT_BAD_INPUT, example_path
from thirdcountry.cli.output import stderr

LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def _allow_host(host: str) -> None:
    """Let Django answer requests addressed to ``host`` (unless the hosts are configured).

    On every interface (``0.0.0.0``, ``::``) that is the machine's own names, never any
    name at all: a request for a host the application does not serve is refused, so no link
    it builds (a page's, the API's ``next``) points at a host an attacker chose."""
    if "THIRDCOUNTRY_ALLOWED_HOSTS" in os.environ:
        return
    names = list(LOCAL_HOSTS)
    if host in ("0.0.0.0", "::"):
        own = {socket.gethostname(), socket.getfqdn()}
        names += sorted(name for name in own if name and name not in names)
        stderr.print(
            "serving on every interface for the host names "
            f"{', '.join(names)}; set THIRDCOUNTRY_ALLOWED_HOSTS for others"
        )
    elif host not in names:
        names.append(host)
    os.environ["THIRDCOUNTRY_ALLOWED_HOSTS"] = ",".join(names)


def prepare_demo(database: Path) -> dict[str, str]:
    """Create the demo database: migrate, load the example world, screen it, and make one
    account per role. Returns each account's user name and password."""
    from django.core.management import call_command

    from thirdcountry.accounts.roles import ROLES
    from thirdcountry.accounts.services import create_user
    from thirdcountry.cases.services import screen_stored
    from thirdcountry.records.load import load_scenario_records
    from thirdcountry.scenario.parse import load_scenario

    stderr.print(f"preparing the demo database {database} …")
    call_command("migrate", interactive=False, verbosity=0)
    load_scenario_records(load_scenario(example_path()), source="seed-world.json")
    screen_stored()
    accounts = {}
    for role in ROLES:
        password = secrets.token_urlsafe(9)
        create_user(role, role, password)
        accounts[role] = password
    return accounts


def serve(
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Serve a fresh SQLite database holding the example world, with one account "
            "per role (their passwords are printed).",
        ),
    ] = False,
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8000,
    threads: Annotated[int, typer.Option("--threads", help="Requests served at once.")] = 4,
    worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="Also run a worker that carries out the re-screening runs the application "
            "queues (large legal events). Use --no-worker when 'thirdcountry worker' runs "
            "as a service of its own.",
        ),
    ] = True,
) -> None:
    """Start the web application at http://HOST:PORT.

    Without --demo it serves the configured database (THIRDCOUNTRY_DATABASE_URL; run
    'thirdcountry migrate' first). With --demo it serves a new SQLite database in a
    temporary folder, which is gone when the server stops.
    """
    _allow_host(host)
    workdir = None
    if demo:
        workdir = tempfile.TemporaryDirectory(prefix="thirdcountry-demo-")
        database = Path(workdir.name) / "demo.sqlite3"
        os.environ["THIRDCOUNTRY_DATABASE_URL"] = f"sqlite:///{database}"
        # A throw-away key for a throw-away database (the worker inherits it).
        os.environ["THIRDCOUNTRY_SECRET_KEY"] = secrets.token_urlsafe(50)
        os.environ["THIRDCOUNTRY_DEMO"] = "1"

    setup_django()
    accounts = prepare_demo(database) if demo else {}
    if not demo:
        require_migrated()
        from thirdcountry.accounts.services import ensure_roles

        ensure_roles()
    from waitress import create_server

    from thirdcountry.wsgi import application

    # Listening before saying so: whoever reads "is serving at" can connect at once.
    logging.basicConfig()  # the server's own warnings, as waitress's serve() shows them
    try:
        server = create_server(
            application, host=host, port=port, threads=threads, ident="thirdcountry"
        )
    except OSError as error:
        if workdir is not None:
            workdir.cleanup()
        stderr.print(f"[bold red]cannot listen on {host}:{port}: {error.strerror}[/]")
        raise typer.Exit(EXIT_BAD_INPUT) from None

    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    if accounts:
        from rich.table import Table

        table = Table(title="Demo accounts (one per role)", title_justify="left")
        table.add_column("user name")
        table.add_column("password")
        for username, password in accounts.items():
            table.add_row(username, password)
        stderr.print(table)
    # The worker is a process of its own, as `thirdcountry worker` would be: a long run
    # must not hold the server's threads, and it stops with the server.
    background = (
        subprocess.Popen([sys.executable, "-m", "thirdcountry", "worker"], env=dict(os.environ))
        if worker
        else None
    )
    if background is not None:
        stderr.print(f"a worker carries out queued re-screening runs (process {background.pid})")
    stderr.print(f"thirdcountry is serving at [bold]{url}[/] (Ctrl-C stops it)")
    # A polite stop (SIGTERM, as a service manager sends) ends like Ctrl-C: the demo's
    # temporary database is removed either way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        if background is not None:
            background.terminate()
            try:
                background.wait(timeout=30)
            except subprocess.TimeoutExpired:
                background.kill()
        if workdir is not None:
            workdir.cleanup()
