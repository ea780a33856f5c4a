"""The list of transfers: search by ref, filters, sorting and each filter's counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import Transfer
from thirdcountry.cases.services import screen_stored
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(seed_world_path: Path, settings: object) -> Client:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()
    client = Client()
    client.force_login(create_user("clerk", "caseworker", "a-long-test-password"))
    return client


def refs(page: str) -> list[str]:
    return re.findall(r'<td><a href="/transfers/([^/]+)/">', page)


def test_search_by_ref_and_filter_by_arrangement_dates_and_nationality(client: Client) -> None:
    page = client.get("/transfers/", {"status": "", "ref": "t-10"}).content.decode()
    assert len(refs(page)) == Transfer.objects.filter(ref__icontains="T-10").count()
    by_arrangement = client.get("/transfers/", {"status": "", "arrangement": "GB-RW-2022"})
    expected = Transfer.objects.filter(arrangement__ref="GB-RW-2022").order_by("planned_date")
    assert refs(by_arrangement.content.decode()) == [t.ref for t in expected]
    dated = client.get(
        "/transfers/", {"status": "", "planned_from": "2025-09-01", "planned_to": "2025-12-31"}
    )
    in_range = Transfer.objects.filter(planned_date__range=("2025-09-01", "2025-12-31"))
    assert sorted(refs(dated.content.decode())) == sorted(t.ref for t in in_range)
    syrian = client.get("/transfers/", {"status": "", "nationality": "SY"}).content.decode()
    assert refs(syrian) == list(
        Transfer.objects.filter(person__nationalities__country_id="SY").values_list(
            "ref", flat=True
        )
    )


def test_filter_by_blocking_rule_with_counts(client: Client) -> None:
    page = client.get("/transfers/").content.decode()
    select = page.split('name="blocking_rule"')[1].split("</select>")[0]
    counted = dict(re.findall(r'<option value="([a-z-]+)">\1 \((\d+)\)</option>', select))
    assert counted, page
    rule, n = next((r, int(n)) for r, n in counted.items() if int(n) > 0)
    blocked = client.get("/transfers/", {"blocking_rule": rule}).content.decode()
    shown = refs(blocked)
    assert len(shown) == n
    for ref in shown:
        detail = client.get(f"/transfers/{ref}/").content.decode()
        finding = detail.split(f'data-rule="{rule}"')[1].split("</tr>")[0]
        assert "blocked" in finding


def test_columns_sort_both_ways(client: Client) -> None:
    ascending = refs(client.get("/transfers/", {"status": "", "sort": "ref"}).content.decode())
    descending = refs(client.get("/transfers/", {"status": "", "sort": "-ref"}).content.decode())
    assert ascending == sorted(ascending) and descending == ascending[::-1]
    page = client.get("/transfers/", {"status": "", "sort": "ref"}).content.decode()
    assert "sort=-ref" in page  # the column's link now sorts the other way


def test_bad_filters_are_dropped_not_errors(client: Client) -> None:
    for query in (
        {"planned_from": "not a date"},
        {"sort": "password"},
        {"status": "nonsense"},
        {"blocking_rule": "no-such-rule"},
    ):
        assert client.get("/transfers/", query).status_code == 200
