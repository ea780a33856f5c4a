"""Backing up and restoring the whole database: records, history, screenings, runs, users,
tokens and the audit trail, so that ``thirdcountry audit verify`` passes on the restored
copy.

SQLite is copied page by page through its online backup API (a consistent copy while the
application runs); PostgreSQL through its own tools (``pg_dump`` in its custom format,
``pg_restore``). The audit key is not in the backup: keep it with the deployment's other
secrets, or the restored trail's record digests cannot be checked.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connection

#: How a backup file begins: SQLite's header, or pg_dump's custom format.
SQLITE_MAGIC = b"SQLite format 3\x00"
POSTGRESQL_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason."""


def _kind(path: Path) -> str:
    with path.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(POSTGRESQL_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a thirdcountry backup (neither SQLite nor pg_dump's format)")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: PostgreSQL's client tools are needed")
    return found


def _postgresql_arguments() -> tuple[list[str], dict[str, str]]:
    """Connection options for PostgreSQL's tools, and their environment (the password
    travels in the environment, never on the command line)."""
    params: dict[str, Any] = connection.get_connection_params()
    arguments = [f"--dbname={params.get('dbname') or params.get('database')}"]
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            arguments.append(f"{option}={params[key]}")
    environment = dict(os.environ)
    if params.get("password"):
        environment["PGPASSWORD"] = str(params["password"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def backup(path: Path) -> str:
    """Write a backup of the whole database to ``path`` (replacing the file only once the
    backup is whole); returns the database's kind."""
    connection.ensure_connection()
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "sqlite":
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif connection.vendor == "postgresql":
            arguments, environment = _postgresql_arguments()
            command = [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}"]
            _run([*command, *arguments], environment)
        else:
            raise BackupError(f"backing up {connection.vendor} is not supported")
        os.replace(partial, path)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(str(error)) from error
    finally:
        partial.unlink(missing_ok=True)
    return str(connection.vendor)


def is_empty() -> bool:
    """Whether the database holds no records and no audit entries (a fresh database)."""
    from thirdcountry.cases.models import Person, Transfer
    from thirdcountry.oversight.models import AuditEntry

    tables = set(connection.introspection.table_names())
    if "oversight_auditentry" not in tables:
        return True
    return not (
        Person.objects.exists()
        or Transfer.objects.exists()
        or AuditEntry.objects.exclude(action="baseline").exists()
    )


def restore(path: Path, *, replace: bool = False) -> str:
    """Restore the backup at ``path`` into the database, replacing everything in it; refused
    unless the database is fresh (no records, no entries but the baseline) or ``replace``.
    Returns the database's kind."""
    kind = _kind(path)
    connection.ensure_connection()
    if kind != connection.vendor:
        raise BackupError(f"{path} is a {kind} backup; the database is {connection.vendor}")
    if not replace and not is_empty():
        raise BackupError("the database already holds records: restore into a fresh one")
    if kind == "sqlite":
        try:
            source = sqlite3.connect(path)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        except sqlite3.Error as error:
            raise BackupError(f"{path}: {error}") from error
        return kind
    arguments, environment = _postgresql_arguments()
    command = [
        _tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        *arguments,
        str(path),
    ]
    connection.close()
    _run(command, environment)
    return kind
