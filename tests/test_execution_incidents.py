"""Executions recorded against the safeguards: kept (the system records what states do),
but refused without a reason, flagged as incidents naming the findings, shown to monitors
first and counted in statistics and releases."""

from __future__ import annotations

from typing import Any

import pytest

from api_support import ApiClient, clients, world
from thirdcountry.cases.models import ExecutionIncident, Transfer
from thirdcountry.oversight import audit
from thirdcountry.oversight.statistics import compute_statistics

__all__ = ["clients", "world"]

pytestmark = pytest.mark.django_db


def blocked() -> Transfer:
    """A proposed transfer whose latest verdict is blocked."""
    found = Transfer.objects.filter(latest_screening__verdict="blocked").order_by("ref").first()
    assert found is not None
    return found


def execute(client: ApiClient, ref: str, reason: str | None = None) -> Any:
    etag = client.get(f"transfers/{ref}").etag
    query = {"reason": reason} if reason is not None else {}
    headers = {"If-Match": etag}
    return client.request("PATCH", f"transfers/{ref}", {"status": "executed"}, headers, **query)


def test_executing_a_blocked_transfer_needs_a_reason(
    clients: dict[str, ApiClient], world: None
) -> None:
    transfer = blocked()
    refused = execute(clients["caseworker"], transfer.ref)
    assert refused.status == 422, refused.body
    assert "latest verdict is blocked" in str(refused.body)
    transfer.refresh_from_db()
    assert transfer.status == "proposed"
    assert not ExecutionIncident.objects.exists()


def test_an_execution_while_blocked_is_recorded_and_flagged_with_its_findings(
    clients: dict[str, ApiClient], world: None
) -> None:
    transfer = blocked()
    recorded = execute(clients["caseworker"], transfer.ref, "flight already left")
    assert recorded.status == 200, recorded.body
    transfer.refresh_from_db()
    assert transfer.status == "executed"
    incident = ExecutionIncident.objects.get()
    assert incident.transfer == transfer and incident.kind == "blocked"
    assert incident.reason == "flight already left"
    assert any(f["outcome"] == "blocked" for f in incident.findings)
    assert all(f["outcome"] in ("blocked", "review") for f in incident.findings)
    assert incident.actor == "caseworker-user"
    assert audit.verify().ok


def test_a_clear_execution_is_not_an_incident(clients: dict[str, ApiClient], world: None) -> None:
    clear = Transfer.objects.get(latest_screening__verdict="clear")
    assert execute(clients["caseworker"], clear.ref).status == 200
    assert not ExecutionIncident.objects.exists()


def test_execution_incidents_come_first_in_statistics_and_releases(
    clients: dict[str, ApiClient], world: None
) -> None:
    transfer = blocked()
    execute(clients["caseworker"], transfer.ref, "ordered")
    statistics = compute_statistics()
    assert [i.transfer for i in statistics.execution_incidents] == [transfer.ref]
    incident = statistics.execution_incidents[0]
    assert incident.person.startswith("PS-") and incident.kind == "blocked"
    document = statistics.to_dict()
    assert list(document)[:2] == ["refoulement_incidents", "execution_incidents"]
    assert document["execution_incidents"][0]["transfer"] == transfer.ref
    monitor = clients["monitor"].get("statistics")
    assert monitor.status == 200
    shown = monitor.body["execution_incidents"][0]
    assert shown["person"].startswith("PS-")
    assert transfer.person.ref not in str(monitor.body["execution_incidents"])


def test_executions_that_together_pass_a_cap_are_both_flagged(
    clients: dict[str, ApiClient], world: None
) -> None:
    from thirdcountry.cases.services import flag_execution, seen_state
    from thirdcountry.history import save_with_history

    # Two transfers seen clear at the same moment; the first execution makes the second
    # pass the arrangement's cap.
    first, second = Transfer.objects.filter(arrangement__ref="US-RW-2025").order_by("ref")[:2]
    seen = seen_state(second.ref)
    seen = type(seen)("clear", seen.executed)
    first.status = "executed"
    save_with_history(first, None, "executed")
    second.status = "executed"
    save_with_history(second, None, "executed")
    incident = flag_execution(second, reason="", seen=seen)
    assert incident is not None and incident.concurrent_with == [first.ref]
    partner = ExecutionIncident.objects.get(transfer=first)
    assert partner.concurrent_with == [second.ref]


def test_a_release_counts_executions_against_the_safeguards(
    clients: dict[str, ApiClient], world: None
) -> None:
    from datetime import date

    from thirdcountry.oversight.release import count_tables
    from thirdcountry.oversight.statistics import transfer_table

    transfer = blocked()
    execute(clients["caseworker"], transfer.ref, "ordered")
    statistics = compute_statistics(period=(date(2000, 1, 1), date(2100, 1, 1)))
    tables = count_tables(statistics, transfer_table())
    table = next(t for t in tables if t.name == "execution_incidents")
    assert table.columns == ["blocked", "review", "unscreened"]
    assert sum(sum(row) for row in table.counts) == 1


def test_a_reason_with_a_nul_character_is_refused(
    clients: dict[str, ApiClient], world: None
) -> None:
    transfer = blocked()
    refused = execute(clients["caseworker"], transfer.ref, "flight\x00left")
    assert refused.status == 422 and "NUL" in str(refused.body)
    assert not ExecutionIncident.objects.exists()


def test_monitors_see_executions_against_the_safeguards_first(
    clients: dict[str, ApiClient], world: None
) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    transfer = blocked()
    execute(clients["caseworker"], transfer.ref, "ordered")
    browser = Client()
    browser.force_login(User.objects.get(username="monitor-user"))
    for url in ("/", "/statistics/"):
        page = browser.get(url).content.decode()
        assert "Executed against the safeguards" in page, url
        flagged = page[page.index("Executed against the safeguards") :]
        assert transfer.ref in flagged and "ordered" in flagged
        assert page.index("Refoulement incidents") < page.index("Executed against")
        assert f">{transfer.person.ref}<" not in page and f"/{transfer.person.ref}/" not in page
