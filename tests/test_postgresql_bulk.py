"""On PostgreSQL, large runs read through the Arrow-native driver: they must give exactly
what screening the exported file gives. Runs in processes of their own, on a database of its
own (the fast reads need committed data, which a test transaction never has)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.database


@pytest.mark.django_db
def test_a_large_run_on_postgresql_gives_what_the_file_gives(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the Arrow-native reads are PostgreSQL's")
    settings = connection.settings_dict
    name = f"thirdcountry_bulk_{uuid.uuid4().hex[:8]}"
    host, port, user = settings["HOST"] or "127.0.0.1", settings["PORT"] or "5432", settings["USER"]
    server = ["-h", host, "-p", str(port), "-U", user]
    subprocess.run(["createdb", *server, name], check=True)
    env = {**os.environ, "THIRDCOUNTRY_DATABASE_URL": f"postgresql://{user}@{host}:{port}/{name}"}

    def thirdcountry(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "thirdcountry", *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout

    try:
        thirdcountry("migrate", "-v0")
        thirdcountry("generate", "--persons", "2500", "--transfers", "3000", "--no-screen")
        screened = json.loads(thirdcountry("screen", "--format", "json"))
        exported = tmp_path / "world.json"
        thirdcountry("export", "--format", "scenario@1", "-o", str(exported))
        checked = json.loads(thirdcountry("check", str(exported), "--format", "json"))
        assert len(screened["results"]) > 2000
        assert screened["results"] == checked["results"]
        assert "ok:" in thirdcountry("audit", "verify")

        # Years later many findings change (deadlines pass, statuses take effect): screened
        # in small chunks, each read on a second thread while the one before is stored, the
        # run still gives what the file gives and stores each change with its new verdict.
        later = "2030-01-15"
        in_small_chunks = (
            "from thirdcountry.cli.django_setup import setup_django; setup_django(); "
            "from thirdcountry.cases import rescreening as r; "
            "r.CHUNK = r.MIN_CHUNK = 700; r.FAST_READ_FROM = 1; "
            "from thirdcountry.cli.main import app; "
            f"app(['screen', '--format', 'json', '--as-of', '{later}'])"
        )
        overlapped = json.loads(
            subprocess.run(
                [sys.executable, "-c", in_small_chunks],
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            ).stdout
        )
        checked_later = json.loads(
            thirdcountry("check", str(exported), "--format", "json", "--as-of", later)
        )
        assert overlapped["results"] == checked_later["results"]
        run = json.loads(thirdcountry("runs", "2", "--json"))
        assert run["status"] == "complete"
        verdicts = {r["transfer"]: r["verdict"] for r in checked_later["results"]}
        changed = {c["transfer"]: c["verdict_after"] for c in run["changes"]}
        assert changed, "nothing changed in years"
        assert {t: verdicts[t] for t in changed} == changed
        assert "ok:" in thirdcountry("audit", "verify")
    finally:
        subprocess.run(["dropdb", *server, "--if-exists", name], check=False)
