"""Shared test fixtures."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

DATA = Path(__file__).parent / "data"

#: The tests' own secret key: the commands the tests run (which refuse to start without a
#: key) and the tests themselves then key pseudonyms and audit digests alike.
TEST_SECRET_KEY = os.environ.setdefault(
    "THIRDCOUNTRY_SECRET_KEY", "tests-only-key-never-used-to-record-real-data-0123456789"
)
settings.SECRET_KEY = TEST_SECRET_KEY
settings.THIRDCOUNTRY_SECRET_KEY_SET = True
settings.THIRDCOUNTRY_PSEUDONYM_KEY = os.environ.get(
    "THIRDCOUNTRY_PSEUDONYM_KEY", "pseudonym:" + TEST_SECRET_KEY
)
settings.THIRDCOUNTRY_AUDIT_KEY = os.environ.get(
    "THIRDCOUNTRY_AUDIT_KEY", "audit:" + TEST_SECRET_KEY
)

# The property tests check what the code gives, not how fast: on a machine whose cores the
# parallel test workers share, an example can take longer than Hypothesis's default deadline
# (200 ms) and fail a test that is right. The speed targets are measured in bench/.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A page asked for in French leaves French active in the test's thread (the locale
    middleware activates the language of each request and nothing deactivates it); the
    next test starts in the default language."""
    yield
    translation.deactivate()


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
    engine's pure tests, nor those marked ``one_engine``."""
    for item in items:
        if item.get_closest_marker("one_engine"):
            continue
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & _DATABASE_FIXTURES:
            item.add_marker(pytest.mark.database)


@pytest.fixture
def interrupted_run(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A re-screen of every transfer from the US (after order O-ALL) whose worker was killed
    on its third chunk of two transfers: the run stays ``running`` with 4 screened. The
    fixture's test loads its world first; the chunk is put back before the run is handed
    over, so the test can resume it."""
    from thirdcountry.cases import rescreening
    from thirdcountry.registry.models import CourtOrder

    CourtOrder.objects.create(
        ref="O-ALL", kind="stay", issuer="court", issued="2025-01-01", scope_sending_id="US"
    )
    monkeypatch.setattr(rescreening, "CHUNK", 2)
    real = rescreening._screen_chunk
    calls = {"n": 0}

    def dies_on_the_third_chunk(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("worker killed")
        return real(*args)

    monkeypatch.setattr(rescreening, "_screen_chunk", dies_on_the_third_chunk)
    run = rescreening.start_run({"sending": "US"}, "order O-ALL")
    with pytest.raises(KeyboardInterrupt):
        rescreening.execute_run(run)
    monkeypatch.setattr(rescreening, "_screen_chunk", real)
    return run


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Any:
    """A page requested in French leaves French active in the thread (the locale middleware
    activates a language per request and never turns it off); the next test starts in the
    site's language."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_codes() -> Any:
    """The countries, languages and currencies, refilled when a transactional test before
    emptied the tables their data migration filled (a flush removes every row)."""
    from importlib import import_module

    from django.apps import apps

    from builders import ReferenceCodes
    from thirdcountry.registry.models import Country

    refilled = not Country.objects.exists()
    import_module("thirdcountry.registry.migrations.0002_reference_codes").fill(apps, None)
    return ReferenceCodes(refilled)
