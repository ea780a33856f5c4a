"""A generated population in a PostgreSQL database of its own, for the benchmarks that
measure the stored world (``thirdcountry generate``: COPY, then every pending transfer
screened)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping

SERVER = "postgresql://postgres@127.0.0.1:5432"
# A generated population holds no real person: a fixed key is enough to record it.
BENCH_KEY = "bench-only-key-for-generated-records-0123456789"


def psql(sql: str) -> None:
    """Run one statement on the local server's maintenance database."""
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True)


def generated_database(
    name: str,
    persons: int,
    transfers: int,
    *,
    keep: bool,
    env: Mapping[str, str] | None = None,
    screen: bool = True,
    say: Callable[[str], None] = print,
) -> str:
    """The address of database ``name``, (re)created, migrated and filled with a generated
    population of ``persons`` and ``transfers`` (its pending transfers screened unless not
    ``screen``) unless ``keep``; this process is then set up to use it (Django's settings,
    the bench key when none is set)."""
    os.environ.setdefault("THIRDCOUNTRY_SECRET_KEY", BENCH_KEY)
    url = f"{SERVER}/{name}"
    command_env = {**os.environ, **(env or {}), "THIRDCOUNTRY_DATABASE_URL": url}
    if not keep:
        psql(f'DROP DATABASE IF EXISTS "{name}"')
        psql(f'CREATE DATABASE "{name}"')
        run = [sys.executable, "-m", "thirdcountry"]
        subprocess.run([*run, "migrate", "-v0"], env=command_env, check=True)
        started = time.perf_counter()
        generate = [*run, "generate", "--persons", str(persons), "--transfers", str(transfers)]
        subprocess.run(
            [*generate] if screen else [*generate, "--no-screen"], env=command_env, check=True
        )
        done = "written and screened" if screen else "written"
        say(f"population {done} in {time.perf_counter() - started:.1f} s")
    os.environ["THIRDCOUNTRY_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thirdcountry.settings")
    return url
