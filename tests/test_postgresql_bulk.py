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
        thirdcountry("export", "-o", str(exported))
        checked = json.loads(thirdcountry("check", str(exported), "--format", "json"))
        assert len(screened["results"]) > 2000
        assert screened["results"] == checked["results"]
        assert "ok:" in thirdcountry("audit", "verify")
    finally:
        subprocess.run(["dropdb", *server, "--if-exists", name], check=False)
