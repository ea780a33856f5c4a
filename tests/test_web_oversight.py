"""The statistics page and the monitor's part of the dashboard: who may open them, that
refoulement incidents come first and name persons by pseudonym only, the reporting currency,
and checking the audit trail from the dashboard."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from thirdcountry.accounts.roles import ROLES
from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import Transfer
from thirdcountry.cases.services import screen_stored
from thirdcountry.oversight import audit
from thirdcountry.oversight.models import AuditVerification
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def world(seed_world_path: Path) -> None:
    """The seed world with one refoulement incident: P-101 (Haidar A.), transferred to Rwanda
    by T-100, is sent on to Iraq, which he has a pending fear claim about."""
    document = json.loads(seed_world_path.read_text())
    person = next(p for p in document["persons"] if p["ref"] == "P-101")
    person["fear_claims"] = [{"country": "IQ", "status": "pending"}]
    transfer = next(t for t in document["transfers"] if t["ref"] == "T-100")
    transfer["monitoring"].append({"date": "2025-07-01", "kind": "onward_removal", "country": "IQ"})
    load_scenario_records(loads_scenario(json.dumps(document).encode()))
    screen_stored()


def signed_in(role: str) -> tuple[Client, User]:
    user = (
        User.objects.create_user(role, password=PASSWORD)
        if role == "nobody"
        else create_user(role, role, PASSWORD)
    )
    client = Client()
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("role", ROLES)
def test_every_role_opens_the_statistics_page_from_the_navigation(world: None, role: str) -> None:
    client, _ = signed_in(role)
    dashboard = client.get("/").content.decode()
    assert 'href="/statistics/"' in dashboard
    response = client.get("/statistics/")
    assert response.status_code == 200
    page = response.content.decode()
    # Incidents first: before the chart and every table, and naming the person by pseudonym.
    incidents = page.index('id="incidents-title"')
    assert incidents < page.index("<svg") < page.index('id="table-by_status_verdict"')
    assert pseudonym("P-101") in page[incidents : page.index("<svg")]
    assert "T-100" in page[incidents : page.index("<svg")]
    assert "Haidar" not in page
    for table in (
        "by_status_verdict",
        "by_arrangement",
        "by_destination",
        "by_nationality",
        "by_month",
        "blocking_rules",
        "cap_use",
        "payments",
        "cost_per_executed_transfer",
    ):
        assert f'id="table-{table}"' in page


def test_the_statistics_page_is_refused_without_a_role_and_asks_strangers_to_sign_in(
    world: None,
) -> None:
    client, _ = signed_in("nobody")
    assert client.get("/statistics/").status_code == 403
    response = Client().get("/statistics/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_payments_are_converted_to_the_chosen_reporting_currency(world: None) -> None:
    client, _ = signed_in("monitor")
    gbp = client.get("/statistics/?currency=GBP").content.decode()
    assert '<option value="GBP" selected>' in gbp
    assert "Converted amounts are in GBP" in gbp
    # GB-RW-2022 paid GBP 290,000,000: in GBP it converts to itself.
    payments = gbp[gbp.index('id="table-payments"') :]
    assert "290,000,000.00" in payments[: payments.index("</table>")]
    usd = client.get("/statistics/?currency=XYZ").content.decode()
    assert '<option value="USD" selected>' in usd


def test_a_monitors_dashboard_shows_incidents_statistics_and_the_audit_trail(
    world: None,
) -> None:
    client, _ = signed_in("monitor")
    page = client.get("/").content.decode()
    assert 'id="incidents-title"' in page
    assert pseudonym("P-101") in page
    assert 'id="table-by_status_verdict"' in page
    assert audit.head().hash in page
    assert "has not been checked yet" in page
    assert 'action="/audit/verify/"' in page


def test_staff_dashboards_keep_their_view(world: None) -> None:
    caseworker, _ = signed_in("caseworker")
    page = caseworker.get("/").content.decode()
    assert 'id="incidents-title"' not in page
    assert 'id="audit-title"' not in page
    administrator, _ = signed_in("administrator")
    page = administrator.get("/").content.decode()
    assert 'id="incidents-title"' not in page
    assert 'action="/audit/verify/"' in page


@pytest.mark.parametrize("role", ["monitor", "administrator"])
def test_monitors_and_administrators_check_the_audit_trail(world: None, role: str) -> None:
    client, _ = signed_in(role)
    response = client.post("/audit/verify/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    check = AuditVerification.objects.get()
    assert check.actor == role
    assert check.ok
    page = client.get("/").content.decode()
    assert "no problem" in page
    assert f"up to entry {check.head_seq}" in page


def test_checking_with_htmx_shows_the_result_in_place(world: None) -> None:
    client, _ = signed_in("monitor")
    response = client.post("/audit/verify/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    panel = response.content.decode()
    assert panel.startswith('<section class="panel" id="audit"')
    assert "the chain is whole and every record matches" in panel


def test_a_changed_record_shows_as_a_problem(world: None) -> None:
    client, _ = signed_in("monitor")
    # Behind the services' back: the audit trail never saw this change.
    Transfer.objects.filter(ref="T-107").update(planned_date="2025-12-31")
    panel = client.post("/audit/verify/", headers={"HX-Request": "true"}).content.decode()
    assert "1 problem found" in panel and "cases.transfer" in panel
    assert not AuditVerification.objects.get().ok
    page = client.get("/").content.decode()
    assert "problems found (" in page


@pytest.mark.parametrize("role", ["caseworker", "legal_officer", "supervisor", "nobody"])
def test_other_roles_may_not_check_the_audit_trail(world: None, role: str) -> None:
    client, _ = signed_in(role)
    assert client.post("/audit/verify/").status_code == 403
    assert not AuditVerification.objects.exists()


def test_checking_needs_a_post_and_a_signed_in_user(world: None) -> None:
    client, _ = signed_in("monitor")
    assert client.get("/audit/verify/").status_code == 405
    response = Client().post("/audit/verify/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not AuditVerification.objects.exists()


def test_statistics_read_as_pivots_and_charts_with_amounts_in_their_currency(
    world: None,
) -> None:
    client, _ = signed_in("monitor")
    page = client.get("/statistics/?currency=GBP").content.decode()
    # destination down, verdict across, a total per row; the largest destination first
    pivot = page.split('id="pivot-destination_by_verdict"')[1].split("</table>")[0]
    headings = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', pivot)
    assert headings == ["Destination", "clear", "review", "blocked", "not screened", "Total"]
    rows = re.findall(r'<tr><th scope="row"[^>]*>([^<]*)</th>(.*?)</tr>', pivot)
    totals = [int(re.findall(r">([\d,]+)</td>", cells)[-1]) for _, cells in rows]
    assert totals == sorted(totals, reverse=True) and sum(totals) == Transfer.objects.count()
    assert {label for label, _ in rows} == set(
        Transfer.objects.values_list("destination_id", flat=True)
    )
    # arrangement down, periods of the planned date across
    by_period = page.split('id="pivot-arrangement_by_period"')[1].split("</table>")[0]
    assert "GB-RW-2022" in by_period and "Sept. 2025" in by_period
    # rule frequencies drawn: a bar per rule that blocked or asked for review
    rules = page.split('id="rules-title"')[1].split("</section>")[0]
    assert "<svg" in rules and ">written-notice<" in rules
    # amounts with their currency, as the ledger writes them
    payments = page.split('id="table-payments"')[1].split("</table>")[0]
    assert "290,000,000.00 GBP" in payments


def test_statistics_in_french_write_numbers_months_and_words_the_french_way(
    world: None,
) -> None:
    client, _ = signed_in("monitor")
    assert client.post("/i18n/setlang/", {"language": "fr"}).status_code == 302
    page = client.get("/statistics/?currency=GBP").content.decode()
    assert "Transferts par destination et verdict" in page
    assert "sans obstacle" in page.split('id="pivot-destination_by_verdict"')[1][:2000]
    payments = page.split('id="table-payments"')[1].split("</table>")[0]
    assert "290\xa0000\xa0000,00 GBP" in payments
    months = page.split('id="table-by_month"')[1].split("</table>")[0]
    assert "sept. 2025" in months and "2025-09" not in months
    assert "Les chiffres de « " in page
