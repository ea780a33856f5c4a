"""Finding one's way through the pages: breadcrumbs on every page, a transfer's page that
opens with what blocks it and what needs review (each a link to its finding), records that
link to each other, runs that say whether they are queued, running, complete or failed, dates
and numbers in the page's language, and a sign-in page that says what the product is."""

from __future__ import annotations

import html as markup
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import ScreeningRun
from thirdcountry.cases.services import screen_stored
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def world(seed_world_path: Path, settings: Any) -> int:
    """The example world, loaded and screened; the number of its first run (PostgreSQL
    keeps counting across tests, so it is not always 1)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    return int(screen_stored().run.pk)


def signed_in(role: str, language: str = "en") -> Client:
    client = Client()
    user = User.objects.filter(username=role).first() or create_user(role, role, PASSWORD)
    client.force_login(user)
    if language != "en":
        assert client.post("/i18n/setlang/", {"language": language}).status_code == 302
    return client


def text(html: str) -> str:
    """A page's visible words, tags taken out and spaces collapsed."""
    return markup.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def crumbs(html: str) -> list[str]:
    """The breadcrumbs of a page, as their words."""
    trail = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    return [text(item) for item in re.findall(r"<li>(.*?)</li>", trail)]


@pytest.mark.parametrize(
    ("url", "trail"),
    [
        ("/transfers/", ["Dashboard", "Transfers"]),
        ("/transfers/T-106/", ["Dashboard", "Transfers", "T-106"]),
        ("/people/P-105/", ["Dashboard", "People", "José R."]),
        ("/people/P-105/edit/", ["Dashboard", "People", "P-105", "Correct the person's record"]),
        ("/transfers/new/", ["Dashboard", "Transfers", "Propose a transfer"]),
        ("/arrangements/GB-RW-2022/", ["Dashboard", "Arrangements", "GB-RW-2022"]),
        ("/court-orders/", ["Dashboard", "Court orders"]),
        ("/runs/{run}/", ["Dashboard", "Screening runs", "Run {run}"]),
        ("/catalog/", ["Dashboard", "Catalog"]),
        ("/merges/", ["Dashboard", "Duplicates", "Merges"]),
        ("/profile/", ["Dashboard", "Profile"]),
    ],
)
def test_every_page_has_a_way_back(world: int, url: str, trail: list[str]) -> None:
    url = url.format(run=world)
    trail = [crumb.format(run=world) for crumb in trail]
    role = "caseworker" if url == "/transfers/new/" else "legal_officer"
    page = signed_in(role).get(url)
    assert page.status_code == 200, (role, url)
    html = page.content.decode()
    assert crumbs(html) == trail
    # every crumb but the page itself is a link; the page is marked as the current one
    nav = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    links = re.findall(r'<li><a href="([^"]+)">', nav)
    assert links[0] == "/" and len(links) == len(trail) - 1
    assert '<span aria-current="page">' in nav


def test_a_transfer_opens_with_what_blocks_it_and_what_needs_review(world: None) -> None:
    html = signed_in("legal_officer").get("/transfers/T-106/").content.decode()
    verdict = html.split('id="verdict"')[1]
    blocks = verdict.split('id="summary-blocked"')[1].split("</ul>")[0]
    review = verdict.split('id="summary-review"')[1].split("</ul>")[0]
    # the summaries come before the table of every finding, each a link to its row
    assert verdict.index('id="summary-blocked"') < verdict.index('class="findings"')
    blocked_rules = re.findall(r'href="#finding-([\w-]+)"', blocks)
    review_rules = re.findall(r'href="#finding-([\w-]+)"', review)
    assert "written-notice" in blocked_rules and "receiving-acceptance" in blocked_rules
    assert "family-unity" in review_rules and not set(blocked_rules) & set(review_rules)
    for rule in blocked_rules + review_rules:
        row = re.search(rf'<tr id="finding-{rule}" class="finding o-row-(\w+)"', verdict)
        assert row is not None, rule
        assert row.group(1) == ("blocked" if rule in blocked_rules else "review")
    assert "no written notice was served" in text(blocks)
    clear = signed_in("legal_officer").get("/transfers/T-101/").content.decode()
    assert 'id="summary-blocked"' not in clear and 'id="summary-review"' not in clear
    assert "Nothing blocks it and nothing needs review" in clear


def test_records_link_to_each_other(world: None) -> None:
    client = signed_in("legal_officer")
    transfer = client.get("/transfers/T-104/").content.decode()
    facts = transfer.split('id="transfer-facts"')[1].split("</section>")[0]
    assert '<a href="/arrangements/GB-RW-2022/">GB-RW-2022</a>' in facts
    assert 'href="/people/P-104/"' in facts
    # the interim measure naming P-104 covers T-104, and links to its row among the orders
    orders = transfer.split('id="transfer-orders-title"')[1].split("</section>")[0]
    assert 'href="/court-orders/ECHR-R39-2022-06-14/"' in orders
    listing = client.get("/court-orders/").content.decode()
    row = listing.split('id="order-ECHR-R39-2022-06-14"')[1].split("</tr>")[0]
    assert 'href="/people/P-104/"' in row
    person = client.get("/people/P-104/").content.decode()
    assert 'href="/court-orders/ECHR-R39-2022-06-14/"' in person
    # an order on a route covers the transfers on it (lifted, it is shown as not in effect)
    route = client.get("/transfers/T-106/").content.decode()
    route_orders = text(route.split('id="transfer-orders-title"')[1].split("</section>")[0])
    assert "DMASS-2025-05-07-LY" in route_orders and "not in effect" in route_orders
    # a transfer no order covers lists none
    assert 'id="transfer-orders-title"' not in client.get("/transfers/T-101/").content.decode()


def test_a_queued_run_does_not_look_finished(world: int) -> None:
    queued = ScreeningRun.objects.create(
        trigger="arrangement GB-RW-2022 status change",
        scope={"arrangement": "GB-RW-2022"},
        as_of=date(2025, 9, 1),
        catalog="2026.1",
    )
    client = signed_in("supervisor")
    page = text(client.get(f"/runs/{queued.pk}/").content.decode())
    assert "pending" in page and "queued: it starts when the worker takes it up" in page
    assert "Nothing yet: the run has not started." in page
    assert "0 / 0" not in page and "0 of 0" not in page and "No verdict changed" not in page
    listing = client.get("/runs/").content.decode()
    row = text(listing.split(f'href="/runs/{queued.pk}/"')[1].split("</tr>")[0])
    assert "pending" in row and "not started" in row and "0" not in row.split("pending")[1]
    # the page that recorded the event says the run is queued, not what it changed
    saved = text(client.get(f"/arrangements/GB-RW-2022/?run={queued.pk}").content.decode())
    assert "Queued: the pending transfers it touches are re-screened once" in saved

    queued.status = "running"
    queued.transfers_in_scope = 2400
    queued.transfers_screened = 1200
    queued.save()
    page = client.get(f"/runs/{queued.pk}/").content.decode()
    assert 'max="2400" value="1200"' in page
    assert "1,200 of 2,400" in text(page) and "No verdict has changed so far." in text(page)
    assert 'hx-trigger="every 2s"' in page

    queued.status = "failed"
    queued.error = "the database went away"
    queued.save()
    page = text(client.get(f"/runs/{queued.pk}/").content.decode())
    assert "failed" in page and "stopped before the end" in page
    assert "the database went away" in page
    complete = text(client.get(f"/runs/{world}/").content.decode())
    assert "complete" in complete and "7 of 7" in complete


def test_dates_and_numbers_are_written_in_the_pages_language(world: None) -> None:
    english = text(signed_in("legal_officer").get("/people/P-105/").content.decode())
    assert "Birth date 1994-11-23" in english
    assert "Asylum claim no claim made" in english
    french = signed_in("legal_officer", "fr")
    person = text(french.get("/people/P-105/").content.decode())
    assert "Date de naissance 23 novembre 1994" in person
    assert "Demande d'asile aucune demande déposée" in person
    assert "aucun " not in person.split("Demande")[1][:40]
    transfer = text(french.get("/transfers/T-106/").content.decode())
    assert "25 septembre 2025" in transfer and "Ce qui le bloque" in transfer
    # months by the locale's own names: June and July are never both "Jui"
    dashboard = french.get("/").content.decode()
    assert "Jui " not in dashboard and "jui " not in dashboard
    assert "sept. 2025" in dashboard or "septembre 2025" in dashboard
    # amounts grouped the French way (a no-break space), with a decimal comma
    statistics = signed_in("monitor", "fr").get("/statistics/?currency=GBP").content.decode()
    payments = statistics.split('id="table-payments"')[1].split("</table>")[0]
    assert "290\xa0000\xa0000,00" in payments
    assert "290000000" not in statistics
    ledger = french.get("/arrangements/GB-RW-2022/?currency=GBP").content.decode()
    assert "290\xa0000\xa0000,00 GBP" in ledger


def test_the_sign_in_page_says_what_the_product_is(db: None, settings: Any) -> None:
    page = text(Client().get("/accounts/login/").content.decode())
    assert "screens each proposed transfer against a catalog of legal safeguards" in page
    assert "printed in the terminal" not in page
    settings.THIRDCOUNTRY_DEMO = True
    demo = text(Client().get("/accounts/login/").content.decode())
    assert "one account per role, with its password, is printed in the terminal" in demo
