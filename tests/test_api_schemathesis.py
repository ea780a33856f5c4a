"""Property-based tests of every API operation against the served OpenAPI description
(schemathesis): whatever a client sends, the API never fails with a 5xx, and every response
conforms to the description (status code, content type, headers and body schema).

The requests go to Django's WSGI application in this process, on the test database, with
the token of a user who holds every permission, after loading the seed world. A fixed,
derandomised budget of examples per operation keeps the run to a few minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api_support import superuser_token
from thirdcountry.cases.services import screen_stored
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario
from thirdcountry.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def token(db: None, seed_world_path: Path) -> Iterator[str]:
    """A superuser's token, over the seed world; requests keep the test's connection open
    (Django's test client does the same: the connection holds the test's transaction)."""
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield superuser_token()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_every_operation_answers_as_described(case: schemathesis.Case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
