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
