"""Without a secret key of its own, the installation serves nothing and records nothing: the
server, the worker and every command that writes refuse to start (exit 2), the WSGI
application refuses to load, and ``check --deploy`` names the missing key. Django's
read-only commands still run, so a deployment can be checked before it has a key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REFUSAL = "THIRDCOUNTRY_SECRET_KEY is not set"


def keyless(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command with no key of any kind in its environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIRDCOUNTRY_")}
    env["THIRDCOUNTRY_DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["COLUMNS"] = "300"
    return subprocess.run(
        [sys.executable, "-m", "thirdcountry", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("serve", "--no-worker"),
        ("worker",),
        ("load", "SEED"),
        ("rescreen", "--all"),
        ("manage", "migrate"),
    ],
)
def test_a_command_that_serves_or_writes_refuses_to_start_without_a_key(
    tmp_path: Path, seed_world_path: Path, args: tuple[str, ...]
) -> None:
    run = keyless(tmp_path, *(str(seed_world_path) if a == "SEED" else a for a in args))
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert REFUSAL in " ".join(run.stderr.split())
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "db.sqlite3").exists() or (tmp_path / "db.sqlite3").stat().st_size == 0


def test_the_wsgi_application_refuses_to_load_without_a_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIRDCOUNTRY_")}
    run = subprocess.run(
        [sys.executable, "-c", "import thirdcountry.wsgi"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr and REFUSAL in run.stderr


def test_check_deploy_names_the_missing_key_and_read_only_commands_still_run(
    tmp_path: Path,
) -> None:
    run = keyless(tmp_path, "manage", "check", "--deploy")
    assert run.returncode != 0
    assert "thirdcountry.E001" in run.stderr
    assert keyless(tmp_path, "manage", "makemigrations", "--check", "--dry-run").returncode == 0
    # what needs no database needs no key either
    assert keyless(tmp_path, "rules").returncode == 0
