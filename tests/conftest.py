"""Shared test fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def seed_world_path() -> Path:
    return DATA / "seed-world.json"


@pytest.fixture(scope="session")
def seed_world_expected() -> dict[str, Any]:
    return json.loads((DATA / "seed-world.expected.json").read_text())


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "client", "admin_client"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the database with ``database``, so the suite can run
    those once more against PostgreSQL (``pytest -m database``) without repeating the
    engine's pure tests."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & _DATABASE_FIXTURES:
            item.add_marker(pytest.mark.database)
