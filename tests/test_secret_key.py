"""Without a secret key of its own, the installation serves nothing and records nothing: the
server, the worker and every command that writes refuse to start (exit 2), the WSGI
application refuses to load, and ``check --deploy`` names the missing key. Django's
read-only commands still run, so a deployment can be checked before it has a key."""

from __future__ import annotations

import os
import re
import secrets
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


def documented_production_settings() -> dict[str, str]:
    """The settings docs/SECURITY.md gives for a production installation, with a random
    value for each key it leaves to the reader."""
    guide = (Path(__file__).parents[1] / "docs" / "SECURITY.md").read_text()
    block = re.search(r"```sh\n(.*?)```", guide, re.S)
    assert block is not None
    found = {}
    for name, value in re.findall(r"^export (\w+)=(.*)$", block.group(1), re.M):
        found[name] = secrets.token_urlsafe(50) if "…" in value else value.strip("'")
    return found


def test_check_deploy_reports_nothing_with_the_documented_production_settings(
    tmp_path: Path,
) -> None:
    documented = documented_production_settings()
    assert {"THIRDCOUNTRY_SECRET_KEY", "THIRDCOUNTRY_HTTPS"} <= set(documented)
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIRDCOUNTRY_")}
    env.update(documented)
    # the check reads settings only: a local database stands in for the documented server
    env["THIRDCOUNTRY_DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    run = subprocess.run(
        [sys.executable, "-m", "thirdcountry", "manage", "check", "--deploy", "--fail-level",
         "WARNING"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "no issues" in run.stdout + run.stderr
    probe = subprocess.run(
        [sys.executable, "-c",
         "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'thirdcountry.settings'; "
         "django.setup(); from django.conf import settings as s; "
         "print(s.SESSION_COOKIE_AGE, s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS)"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=True,
    )  # fmt: skip
    # sessions end within a working day; the proxy's HTTPS is trusted; forms post from HTTPS
    assert probe.stdout.split()[0] == str(8 * 60 * 60)
    assert "HTTP_X_FORWARDED_PROTO" in probe.stdout
    assert "https://cases.example.org" in probe.stdout
