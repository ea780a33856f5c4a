"""The statistics endpoint: incidents first, the same tables as the page and the CLI."""

from __future__ import annotations

import pytest

from api_support import ApiClient, clients, world

__all__ = ["clients", "world"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["caseworker", "legal_officer", "supervisor", "monitor"])
def test_every_role_that_reads_records_reads_statistics(
    world: None, clients: dict[str, ApiClient], role: str
) -> None:
    reply = clients[role].get("statistics", currency="GBP")
    assert reply.status == 200
    assert next(iter(reply.body)) == "refoulement_incidents"
    assert reply.body["reporting_currency"] == "GBP"


def test_statistics_refuses_whom_it_should(world: None, clients: dict[str, ApiClient]) -> None:
    assert clients["anonymous"].get("statistics").status == 401
    assert clients["nobody"].get("statistics").status == 403


def test_statistics_reports_bad_parameters_by_name(
    world: None, clients: dict[str, ApiClient]
) -> None:
    reply = clients["monitor"].get("statistics", currency="ZZZ", date_from="2025-01-01")
    assert reply.status == 422
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    paths = [e["path"] for e in reply.body["errors"]]
    assert paths == ["currency", "date_from"]
