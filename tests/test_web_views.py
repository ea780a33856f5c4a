"""The web application's pages through Django's test client: who may open what, what each
page shows (unknowns as unknown, monitors without personal data), and forms that record a
fact, refuse bad input while keeping it, and show the verdicts that changed."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from thirdcountry.accounts.roles import ROLES
from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import Person, PersonName, ScreeningRecord, Transfer
from thirdcountry.cases.services import screen_stored
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.records.load import load_scenario_records
from thirdcountry.registry.models import Assessment, CourtOrder, ExchangeRate
from thirdcountry.scenario import loads_scenario

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"

PAGES = (
    "/",
    "/transfers/",
    "/transfers/?verdict=blocked&status=proposed&destination=RW",
    "/transfers/T-106/",
    "/transfers/T-100/",
    "/people/",
    "/people/?q=Omer",
    "/people/P-105/",
    "/people/P-106/",
    "/arrangements/",
    "/arrangements/GB-RW-2022/",
    "/arrangements/US-SV-2025/?currency=GBP",
    "/court-orders/",
    "/countries/",
    "/runs/",
    "/catalog/",
    "/catalog/2026.2/",
    "/profile/",
)

#: Each recording form, the permission it needs, and the roles that hold it.
FORMS = {
    "/transfers/T-107/notice/": {"legal_officer"},
    "/transfers/T-107/acceptance/": {"caseworker"},
    "/people/P-106/fear-claims/": {"legal_officer"},
    "/people/P-106/removal-decision/": {"legal_officer"},
    "/court-orders/new/": {"legal_officer"},
    "/arrangements/US-RW-2025/status/": {"supervisor"},
    "/countries/assessments/": {"supervisor"},
    "/arrangements/GB-RW-2022/exchange-rates/": {"supervisor"},
}


@pytest.fixture
def world(seed_world_path: Path) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()


class Accounts(dict[str, User]):
    """One account per role, each made on first use (making one takes a few tenths of a
    second, and most tests need one or two)."""

    def __missing__(self, role: str) -> User:
        if role == "nobody":
            user = User.objects.create_user("nobody", password=PASSWORD)
        else:
            user = create_user(role, role, PASSWORD)
        self[role] = user
        return user


@pytest.fixture
def accounts(world: None, settings: Any) -> Accounts:
    # Password hashing is slow by design; these tests are not about it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return Accounts()


def signed_in(accounts: dict[str, User], role: str) -> Client:
    client = Client()
    client.force_login(accounts[role])
    return client


def htmx(client: Client, url: str, data: dict[str, str], target: str = "") -> str:
    response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=target)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def latest_verdict(ref: str) -> str:
    return str(ScreeningRecord.objects.filter(transfer__ref=ref).latest("id").verdict)


def text(html: str) -> str:
    """A page's visible words, tags taken out and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- who may open what --------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PAGES, "/runs/1/"])
def test_every_page_sends_anonymous_visitors_to_sign_in(db: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_htmx_request_from_an_anonymous_visitor_redirects_the_whole_page(world: None) -> None:
    response = Client().get("/people/?q=x", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/"


def as_seen_by(role: str, url: str) -> str:
    """The address ``role`` opens a page at: a monitor names a person by pseudonym."""
    person = re.fullmatch(r"/people/([^/]+)/", url)
    if role == "monitor" and person:
        return f"/people/{pseudonym(person.group(1))}/"
    return url


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_open_every_page(accounts: dict[str, User], role: str) -> None:
    client = signed_in(accounts, role)
    for url in (*PAGES, f"/runs/{screen_stored().run.pk}/"):
        response = client.get(as_seen_by(role, url))
        assert response.status_code == 200, (role, url)


def test_a_user_without_a_role_is_refused_every_page_with_the_friendly_403(
    accounts: dict[str, User],
) -> None:
    client = signed_in(accounts, "nobody")
    for url in PAGES:
        response = client.get(url)
        if url == "/profile/":
            assert response.status_code == 200
            assert "no role" in response.content.decode()
            continue
        assert response.status_code == 403, url
        assert "Not allowed" in response.content.decode()
        assert "ask an administrator" in response.content.decode()


@pytest.mark.parametrize("role", [*ROLES, "nobody"])
def test_each_form_answers_only_the_roles_allowed_to_record_it(
    accounts: dict[str, User], role: str
) -> None:
    client = signed_in(accounts, role)
    for url, allowed in FORMS.items():
        # an empty form: allowed roles get it back with its errors, nothing is written
        response = client.post(url, {})
        if role in allowed:
            assert response.status_code == 200, (role, url)
            assert "errorlist" in response.content.decode(), (role, url)
        else:
            assert response.status_code == 403, (role, url)
    assert CourtOrder.objects.count() == 2
    assert ExchangeRate.objects.count() == 0


def test_recording_forms_only_accept_posts(accounts: dict[str, User]) -> None:
    response = signed_in(accounts, "legal_officer").get("/transfers/T-107/notice/")
    assert response.status_code == 405


def test_an_unknown_record_is_a_friendly_404(accounts: dict[str, User]) -> None:
    response = signed_in(accounts, "caseworker").get("/transfers/T-999/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_sign_in_and_out(accounts: dict[str, User]) -> None:
    assert accounts["monitor"].username == "monitor"
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    refused = client.post("/accounts/login/", {"username": "monitor", "password": "wrong"})
    assert refused.status_code == 200
    assert "errorlist" in refused.content.decode()
    response = client.post(
        "/accounts/login/", {"username": "monitor", "password": PASSWORD, "next": "/people/"}
    )
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert client.get("/people/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/people/").status_code == 302


# -- what the pages show ------------------------------------------------------------------


def test_the_dashboard_shows_verdicts_changes_arrangements_orders_and_the_chart(
    accounts: dict[str, User],
) -> None:
    page = signed_in(accounts, "caseworker").get("/").content.decode()
    words = text(page)
    # pending transfers by latest verdict: 1 clear, 1 review, 5 blocked in the seed world
    tiles = dict(re.findall(r'class="tile t-(\w+)".*?<span class="n">(\d+)</span>', page, re.S))
    assert tiles == {"blocked": "5", "review": "1", "clear": "1", "unscreened": "0"}
    assert "What changed at the last screening" in words
    assert "thirdcountry screen: every pending transfer" in words
    # in force on 2025-09-01: US-RW-2025 (cap 250, none executed) and US-SV-2025 (cap 300)
    assert "0 of 250 used, 250 remaining" in words
    assert "0 of 300 used, 300 remaining" in words
    assert "GB-RW-2022" not in page.split("in-force-title")[1].split("</section>")[0]
    # the ECtHR interim measure is in effect; the lifted Massachusetts injunction is not
    orders = page.split('id="orders-title"')[1].split("</section>")[0]
    assert "ECHR-R39-2022-06-14" in orders and "DMASS-2025-05-07-LY" not in orders
    # real charts, wide and narrow: a bar per month with its axis, one per destination, a
    # legend each, and their numbers in tables
    over_time, _narrow, by_destination, _ = (s.split("</svg>")[0] for s in page.split("<svg")[1:])
    assert over_time.count('class="axis"') == 1
    assert 'class="legend"' in over_time and 'class="legend"' in by_destination
    assert re.search(r'<rect class="seg c-executed"', over_time)  # T-100, executed in March
    assert re.search(r"Sept. 2025", over_time)
    assert ">RW<" in by_destination and ">LY<" in by_destination and ">SV<" in by_destination
    assert page.count("The numbers of") == 4


def test_a_transfer_shows_each_finding_with_its_reason_and_basis_and_its_history(
    accounts: dict[str, User],
) -> None:
    page = signed_in(accounts, "caseworker").get("/transfers/T-106/").content.decode()
    assert page.count('class="finding ') == 17
    written = page.split('data-rule="written-notice"')[1].split("</tr>")[0]
    assert "blocked" in written
    assert "D.V.D. v. DHS" in written  # the catalog's legal basis
    assert "History of its verdicts" in page
    assert text(page).count("thirdcountry screen: every pending transfer") == 1
    # known none: "no notice served"; on T-107 the notice is unknown
    assert "no notice served" in text(page)
    t107 = text(signed_in(accounts, "caseworker").get("/transfers/T-107/").content.decode())
    assert re.search(r"Written notice unknown", t107)
    assert re.search(r"Accepted by the receiving state unknown", t107)


def test_an_executed_transfer_is_not_screened_and_its_monitoring_is_shown(
    accounts: dict[str, User],
) -> None:
    page = text(signed_in(accounts, "caseworker").get("/transfers/T-100/").content.decode())
    assert "only proposed transfers are screened" in page
    assert "vocational training place" in page


def test_a_person_shows_every_fact_with_unknown_and_none_told_apart(
    accounts: dict[str, User],
) -> None:
    client = signed_in(accounts, "caseworker")
    unknowns = text(client.get("/people/P-106/").content.decode())
    for label in (
        "Birth date",
        "Languages understood",
        "Asylum claim",
        "Fear claims",
        "Removal decision",
        "Convictions",
        "Fit to travel",
    ):
        assert f"{label} unknown" in unknowns, label
    assert "Identity verified no" in unknowns
    assert "Nationalities SD Sudan" in unknowns
    known = text(client.get("/people/P-104/").content.decode())
    assert "Convictions none recorded" in known
    assert "Samuel T." in known and "1996-05-05" in known
    assert "ECHR-R39-2022-06-14" in known  # the order naming him
    aliases = text(client.get("/people/P-102/").content.decode())
    assert "Aliases and spellings Omer Q." in aliases


def test_a_stateless_person_is_shown_as_stateless(accounts: dict[str, User]) -> None:
    Person.objects.filter(ref="P-106").update(nationalities_recorded=True)
    Person.objects.get(ref="P-106").nationalities.all().delete()
    page = text(signed_in(accounts, "caseworker").get("/people/P-106/").content.decode())
    assert "Nationalities stateless" in page


def test_monitors_never_see_names_birth_dates_or_notes(accounts: dict[str, User]) -> None:
    client = signed_in(accounts, "monitor")
    # the person is named by a stable pseudonym, never by name or ref, also in addresses
    label = pseudonym("P-105")
    assert re.fullmatch(r"PS-[A-Z2-7]+", label)
    person = client.get(f"/people/{label}/").content.decode()
    assert "José" not in person and "1994-11-23" not in person
    assert "Birth year" in person and "1994" in person
    assert f"<h1>{label}</h1>" in person
    listing = client.get("/people/").content.decode()
    for name in ("Haidar", "Omar", "Omer", "Jonathan", "Samuel", "José", "Ahmed"):
        assert name not in listing
    for url in ("/transfers/", "/transfers/T-105/", "/transfers/T-100/", "/court-orders/", "/"):
        page = client.get(url).content.decode()
        assert "José" not in page and "Samuel" not in page, url
    assert "vocational training place" not in client.get("/transfers/T-100/").content.decode()
    assert "burglary" not in client.get(f"/people/{pseudonym('P-101')}/").content.decode()
    assert label in listing and "P-105" not in text(listing)
    # a search by name or ref would tell a monitor who is who: monitors do not search
    searched = client.get("/people/?q=Jose").content.decode()
    assert 'name="q"' not in searched and "matches" not in searched
    assert label in client.get("/transfers/T-105/").content.decode()


def test_monitors_get_no_edit_controls(accounts: dict[str, User]) -> None:
    client = signed_in(accounts, "monitor")
    for url in (
        "/transfers/T-107/",
        f"/people/{pseudonym('P-106')}/",
        "/court-orders/",
        "/countries/",
        "/arrangements/US-RW-2025/",
    ):
        page = client.get(url).content.decode()
        posts = re.findall(r'<form[^>]*method="post"[^>]*action="([^"]+)"', page)
        assert set(posts) <= {"/i18n/setlang/", "/accounts/logout/"}, (url, posts)


def test_name_search_finds_spelling_and_transliteration_variants(
    accounts: dict[str, User],
) -> None:
    for i, name in enumerate(("Nduhungirehe", "Nduhungirefer", "Ndunnguleje")):
        person = Person.objects.create(ref=f"P-90{i}")
        PersonName.objects.create(person=person, seq=0, name=name)
    client = signed_in(accounts, "caseworker")
    for query in ("Nduhungirehe", "Nduhungirefer", "Ndunnguleje"):
        page = client.get("/people/", {"q": query}).content.decode()
        assert all(f"P-90{i}" in page for i in range(3)), query
        assert "P-101" not in page and "P-105" not in page
    # an htmx search answers with the results only
    partial = client.get(
        "/people/", {"q": "ndunguleje"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="person-results"
    ).content.decode()
    assert partial.startswith('<section id="person-results"') and "P-902" in partial
    # aliases count too, and a search that finds nobody says so
    assert "P-102" in client.get("/people/", {"q": "Omer"}).content.decode()
    assert "No one found" in client.get("/people/", {"q": "Zzyzx"}).content.decode()


def test_the_person_list_is_paginated(accounts: dict[str, User]) -> None:
    for i in range(30):
        person = Person.objects.create(ref=f"P-2{i:02d}")
        PersonName.objects.create(person=person, seq=0, name=f"Person {i}")
    client = signed_in(accounts, "caseworker")
    first = client.get("/people/").content.decode()
    assert "Page 1 of 2" in first and "P-101" in first and "P-229" not in first
    second = client.get("/people/?page=2").content.decode()
    assert "P-229" in second


def test_an_arrangement_shows_its_timeline_terms_cap_and_ledger(
    accounts: dict[str, User],
) -> None:
    page = text(signed_in(accounts, "monitor").get("/arrangements/GB-RW-2022/").content.decode())
    for entry in (
        "2022-04-14 in force memorandum of understanding signed",
        "2023-11-15 ruled unlawful UK Supreme Court, [2023] UKSC 42",
        "2024-07-06 terminated new government cancels the scheme",
    ):
        assert entry in page
    assert "Excluded nationalities RW Rwanda" in page
    assert "asylum procedure, accommodation" in page or "accommodation, asylum procedure" in page
    assert "290,000,000.00 GBP" in page
    usd = text(
        signed_in(accounts, "monitor")
        .get("/arrangements/GB-RW-2022/?currency=USD")
        .content.decode()
    )
    # no GBP-USD rate recorded yet: nothing is converted
    assert "no rate" in usd
    sv = text(signed_in(accounts, "monitor").get("/arrangements/US-SV-2025/").content.decode())
    assert "0 of 300 used, 300 remaining" in sv
    assert "6,000,000.00 USD" in sv


def test_a_supervisor_records_an_exchange_rate_and_the_ledger_converts(
    accounts: dict[str, User],
) -> None:
    client = signed_in(accounts, "supervisor")
    bad = htmx(
        client,
        "/arrangements/GB-RW-2022/exchange-rates/?currency=USD",
        {
            "date": "2024-01-01",
            "base": "GBP",
            "quote": "GBP",
            "rate": "1.27",
            "source": "BoE",
            "reason": "r",
        },
        "ledger",
    )
    assert "Choose two different currencies." in bad
    assert 'value="1.27"' in bad and 'value="BoE"' in bad
    page = htmx(
        client,
        "/arrangements/GB-RW-2022/exchange-rates/?currency=USD",
        {
            "date": "2024-01-01",
            "base": "GBP",
            "quote": "USD",
            "rate": "1.27",
            "source": "BoE",
            "reason": "r",
        },
        "ledger",
    )
    words = text(page)
    assert "368,300,000.00 USD" in words  # 290 million GBP paid
    assert "63,500,000.00 USD" in words  # 50 million GBP claimed
    assert "no rate" not in words
    # inverse: the same rate reports USD in GBP for the SV ledger
    sv = text(client.get("/arrangements/US-SV-2025/?currency=GBP").content.decode())
    assert "4,724,409.45 GBP" in sv  # 6,000,000 / 1.27


# -- recording facts ----------------------------------------------------------------------


def test_recording_a_notice_changes_the_verdict_shown(accounts: dict[str, User]) -> None:
    assert latest_verdict("T-105") == "blocked"
    client = signed_in(accounts, "legal_officer")
    answer = htmx(
        client,
        "/transfers/T-105/notice/",
        {
            "state": "served",
            "served": "2025-08-20",
            "language": "Spanish",
            "names_destination": "yes",
            "reason": "notice served in person",
        },
        "record-notice",
    )
    # the form's own section says what changed and why ...
    changes = answer.split('class="changes"')[1]
    assert "T-105" in changes
    assert re.search(r"v-blocked.*→.*v-review", changes, re.S)
    assert "written-notice" in changes and "notice served 2025-08-20" in changes
    # ... and the verdict on the page is swapped for the new one
    assert '<section id="verdict" class="panel" hx-swap-oob="true"' in answer
    assert latest_verdict("T-105") == "review"
    page = client.get("/transfers/T-105/").content.decode()
    written = page.split('data-rule="written-notice"')[1].split("</tr>")[0]
    assert "pass" in written
    assert text(page).count("notice recorded for transfer T-105") == 1  # in the history
    # the form shows the notice as recorded, not a blank one
    form = answer.split('id="record-notice"')[1].split("</form>")[0]
    assert 'value="2025-08-20"' in form and 'value="Spanish (es)"' in form
    assert 'value="yes" id="id_names_destination_0" checked' in form


def test_the_removal_decision_form_starts_from_the_recorded_decision(
    accounts: dict[str, User],
) -> None:
    page = signed_in(accounts, "legal_officer").get("/people/P-105/").content.decode()
    form = page.split('id="record-removal-decision"')[1].split("</form>")[0]
    assert 'value="2025-03-10"' in form
    assert 'name="final" value="yes" id="id_final_0" checked' in form


def test_without_htmx_a_save_redirects_to_the_page_showing_the_run(
    accounts: dict[str, User],
) -> None:
    client = signed_in(accounts, "legal_officer")
    response = client.post("/transfers/T-106/notice/", {"state": "none", "reason": "none served"})
    assert response.status_code == 302
    assert re.fullmatch(r"/transfers/T-106/\?run=\d+", response["Location"])
    page = text(client.get(response["Location"]).content.decode())
    assert "Saved: what the re-screening changed" in page
    assert Transfer.objects.get(ref="T-106").notice_recorded


def test_a_refused_form_keeps_what_was_typed_and_says_why_next_to_the_field(
    accounts: dict[str, User],
) -> None:
    client = signed_in(accounts, "legal_officer")
    answer = htmx(
        client,
        "/transfers/T-107/notice/",
        {"state": "served", "served": "2025-08-20", "language": "xq"},
        "record-notice",
    )
    field = answer.split('name="language"')[0].rsplit('<div class="field', 1)[1]
    assert "“xq” is not a language on the list." in field
    assert 'value="xq"' in answer and 'value="2025-08-20"' in answer
    assert not Transfer.objects.get(ref="T-107").notice_recorded
    # without htmx the whole page comes back, with the same error and input
    page = client.post("/transfers/T-107/notice/", {"state": "served", "language": "en"})
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>" in html
    assert "Give the date the notice was served." in html and 'value="en"' in html


def test_a_service_error_is_shown_next_to_its_field(accounts: dict[str, User]) -> None:
    client = signed_in(accounts, "legal_officer")
    # the ref is taken: only the model knows it, and it says so through the service
    answer = htmx(
        client,
        "/court-orders/new/",
        {
            "ref": "ECHR-R39-2022-06-14",
            "kind": "stay",
            "issuer": "Some court",
            "issued": "2025-08-01",
            "scope": "sending",
            "sending": "US",
            "reason": "new order",
        },
        "record-court-order",
    )
    field = answer.split('name="ref"')[0].rsplit('<div class="field', 1)[1]
    assert "already exists" in field
    assert 'value="Some court"' in answer
    assert CourtOrder.objects.count() == 2


def test_a_court_order_blocks_what_it_covers_and_lifting_it_clears_it(
    accounts: dict[str, User],
) -> None:
    client = signed_in(accounts, "legal_officer")
    answer = htmx(
        client,
        "/court-orders/new/",
        {
            "ref": "STAY-1",
            "kind": "stay",
            "issuer": "US District Court",
            "issued": "2025-08-30",
            "scope": "arrangement",
            "arrangement": "US-RW-2025",
            "reason": "stay granted",
        },
        "record-court-order",
    )
    assert re.search(r"T-101</a>:\s*<span class=\"badge v-clear\".*?v-blocked", answer, re.S)
    assert "STAY-1" in answer.split('id="court-orders-list"')[1]
    assert latest_verdict("T-101") == "blocked"
    dashboard = text(client.get("/").content.decode())
    assert "court order STAY-1 (stay, US District Court) recorded" in dashboard
    lifted = client.post(
        "/court-orders/STAY-1/edit/",
        {
            "kind": "stay",
            "issuer": "US District Court",
            "issued": "2025-08-30",
            "lifted": "2025-08-31",
            "scope": "arrangement",
            "arrangement": "US-RW-2025",
            "reason": "stay lifted on appeal",
        },
        follow=True,
    ).content.decode()
    assert "T-101" in lifted.split('id="shown-run-title"')[1]
    assert latest_verdict("T-101") == "clear"
    assert "stay lifted on appeal" in lifted.split('id="history"')[1]
    # lifting before it was issued is refused, next to the input
    refused = client.post(
        "/court-orders/ECHR-R39-2022-06-14/edit/",
        {
            "kind": "interim_measure",
            "issuer": "ECtHR",
            "issued": "2022-06-14",
            "lifted": "2020-01-01",
            "scope": "person",
            "person": "P-104",
            "reason": "lifted",
        },
    )
    assert refused.status_code == 422
    assert "An order cannot be lifted before it was issued." in refused.content.decode()
    assert CourtOrder.objects.get(ref="ECHR-R39-2022-06-14").lifted is None


def test_a_supervisor_changes_an_arrangements_status(accounts: dict[str, User]) -> None:
    client = signed_in(accounts, "supervisor")
    answer = htmx(
        client,
        "/arrangements/US-RW-2025/status/",
        {
            "date": "2025-08-20",
            "status": "suspended",
            "source": "announcement",
            "reason": "suspension announced",
        },
        "record-status",
    )
    assert "arrangement-in-force" in answer
    assert 'id="status-timeline" class="panel" hx-swap-oob="true"' in answer
    assert latest_verdict("T-101") == "blocked"
    assert "2025-08-20 suspended announcement" in text(
        client.get("/arrangements/US-RW-2025/").content.decode()
    )


def test_a_supervisor_records_a_country_assessment(accounts: dict[str, User]) -> None:
    client = signed_in(accounts, "supervisor")
    answer = htmx(
        client,
        "/countries/assessments/",
        {
            "country": "SV",
            "date": "2025-08-01",
            "onward_refoulement_risk": "no",
            "source": "monitoring report",
            "reason": "quarterly review",
        },
        "record-assessment",
    )
    assert "T-105" in answer and "chain-refoulement" in answer
    assert "monitoring report" in answer.split('id="country-list"')[1]
    stored = Assessment.objects.filter(country_id="SV").latest("seq")
    assert stored.history.latest().history_change_reason == "quarterly review"


def test_an_assessment_needs_a_reason(accounts: dict[str, User]) -> None:
    client = signed_in(accounts, "supervisor")
    count = Assessment.objects.count()
    answer = htmx(
        client,
        "/countries/assessments/",
        {"country": "SV", "date": "2025-08-01", "onward_refoulement_risk": "no", "source": "x"},
        "record-assessment",
    )
    assert 'id="id_reason_error"' in answer or "This field is required." in answer
    assert 'value="2025-08-01"' in answer  # what was typed is kept
    assert Assessment.objects.count() == count


def test_a_legal_officer_records_fear_claims_and_a_removal_decision(
    accounts: dict[str, User],
) -> None:
    client = signed_in(accounts, "legal_officer")
    answer = htmx(
        client,
        "/people/P-106/fear-claims/",
        {"country": "RW", "status": "pending", "reason": "fear raised at interview"},
        "record-fear-claim",
    )
    assert "fear-of-destination" in answer and "T-107" in answer
    assert "Fear claims RW: pending" in text(answer)
    decision = htmx(
        client,
        "/people/P-106/removal-decision/",
        {
            "state": "exists",
            "date": "2025-07-01",
            "appeal_deadline": "2025-06-01",
            "reason": "decision served",
        },
        "record-removal-decision",
    )
    assert "The appeal deadline cannot be before the decision." in decision
    assert 'value="2025-06-01"' in decision
    none = htmx(
        client, "/people/P-106/removal-decision/", {"state": "none", "reason": "no decision"}
    )
    assert "Removal decision no removal decision" in text(none)
    assert latest_verdict("T-107") == "blocked"


def test_a_caseworker_records_the_receiving_states_answer(accounts: dict[str, User]) -> None:
    client = signed_in(accounts, "caseworker")
    answer = htmx(
        client,
        "/transfers/T-107/acceptance/",
        {"accepted": "no", "reason": "letter"},
        "record-acceptance",
    )
    assert "receiving-acceptance" in answer
    assert latest_verdict("T-107") == "blocked"
    assert "Accepted by the receiving state no" in text(answer)


# -- languages and the profile ------------------------------------------------------------


def test_the_interface_switches_to_french(accounts: dict[str, User]) -> None:
    client = signed_in(accounts, "caseworker")
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="fr">' in page
    assert "Tableau de bord" in page and "Transferts en attente par verdict" in page
    assert "bloqué" in page
    person = text(client.get("/people/P-106/").content.decode())
    assert "Date de naissance inconnu" in person
    assert "Apte à voyager inconnu" in person


def test_the_profile_shows_the_role_and_manages_api_tokens(accounts: dict[str, User]) -> None:
    client = signed_in(accounts, "legal_officer")
    page = text(client.get("/profile/").content.decode())
    assert "Role legal officer" in page
    created = htmx(client, "/profile/tokens/", {"name": "my script"}, "tokens")
    token = re.search(r'<code class="token" id="new-token">(tc_[^<]+)</code>', created)
    assert token is not None
    assert "my script" in created
    # the token works for the API's authentication, and is never shown again
    from thirdcountry.accounts.tokens import authenticate_token, tokens_of

    assert authenticate_token(token.group(1)) == accounts["legal_officer"]
    assert token.group(1) not in client.get("/profile/").content.decode()
    mine = tokens_of(accounts["legal_officer"]).get()
    # nobody else can revoke it
    other = signed_in(accounts, "caseworker")
    assert other.post(f"/profile/tokens/{mine.pk}/revoke/").status_code == 404
    revoked = htmx(client, f"/profile/tokens/{mine.pk}/revoke/", {}, "tokens")
    assert "revoked" in revoked
    assert authenticate_token(token.group(1)) is None
    assert "errorlist" in htmx(client, "/profile/tokens/", {"name": ""}, "tokens")


def test_static_files_are_served_with_debug_off(accounts: dict[str, User]) -> None:
    from django.conf import settings

    assert not settings.DEBUG
    css = Client().get("/static/web/style.css")
    assert css.status_code == 200
    htmx_js = b"".join(Client().get("/static/web/htmx.min.js").streaming_content)
    assert b"htmx" in htmx_js[:200]


def test_the_screening_date_is_the_worlds(accounts: dict[str, User]) -> None:
    page = text(signed_in(accounts, "caseworker").get("/").content.decode())
    assert "screening date 2025-09-01" in page
    assert date(2025, 9, 1).isoformat() in page


def test_a_run_page_lists_its_changes_a_page_at_a_time_worst_first(db: None, settings: Any) -> None:
    from thirdcountry.cases.models import RunChange
    from thirdcountry.cases.rescreening import rescreen
    from thirdcountry.records.bulk_write import write_population
    from thirdcountry.scenario.synthetic import generate_world

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    write_population(generate_world(90, 80, seed=4))
    run = rescreen({"all": True})
    assert run.changed > 50
    client = signed_in(Accounts(), "legal_officer")
    first = client.get(f"/runs/{run.pk}/").content.decode()
    assert f"{run.changed} transfers changed" in text(first)
    assert first.count('<li class="change">') == 25
    assert "Page 1 of " in text(first)
    last_page = -(-run.changed // 25)
    last = client.get(f"/runs/{run.pk}/?page={last_page}").content.decode()
    assert last.count('<li class="change">') == run.changed - 25 * (last_page - 1)
    # Worst verdicts first, then by transfer: the first page shows the first 25 of that order.
    order = {"blocked": 0, "review": 1, "clear": 2}
    changes = sorted(
        RunChange.objects.filter(run=run).values_list("verdict_after", "transfer__ref"),
        key=lambda change: (order[change[0]], change[1]),
    )
    shown = re.findall(r'<li class="change">\s*<a href="/transfers/([^/]+)/"', first)
    assert shown == [ref for _, ref in changes[:25]]
