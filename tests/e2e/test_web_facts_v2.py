"""Recording scenario@2 facts in a real browser under catalog 2026.2: a legal officer
widens an interim measure to a second person (a selector of several persons, which @1
could not hold) and records a later event on the order's edit page, and sees the verdict
of the second person's transfer move; the facts are then listed on the order's page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from thirdcountry.cases.catalog_choice import use_catalog

pytestmark = pytest.mark.django_db

ORDER = "ECHR-R39-2022-06-14"  # an interim measure on P-104
#: T-101 (of P-101) is for review under 2026.2; no order covers it.


@pytest.fixture
def under_2026_2(site: str) -> None:
    """The seed world screened under catalog 2026.2 (before the browser's event loop runs:
    the database is not used from within it)."""
    use_catalog("2026.2", reason="the law as it now stands")


def test_an_orders_facts_recorded_on_the_page_move_a_verdict_under_2026_2(
    under_2026_2: None, sign_in: Callable[..., Any], visit: Callable[[str], Any]
) -> None:
    page = sign_in("legal_officer", "/transfers/T-101/")
    badge = page.locator("#verdict .verdict-line .badge")
    expect(badge).to_have_text("review")
    visit(f"/court-orders/{ORDER}/edit/")
    facts = page.locator("#facts")
    person = facts.locator("#id_v2-scope__person")
    expect(person).to_have_value("P-104")
    person.fill("P-104; P-101")
    facts.locator("#id_v2-events-0-date").fill("2022-07-01")
    facts.locator("#id_v2-events-0-kind").select_option("reinstated")
    facts.locator("#id_v2-events-0-by").fill("European Court of Human Rights")
    facts.locator("#id_v2-reason").fill("measure extended to P-101's family")
    facts.get_by_role("button", name="Save these facts").click()
    expect(page).to_have_url(re.compile(rf"/court-orders/{ORDER}/\?run=\d+$"))
    other = page.locator("#other-facts")
    expect(other).to_contain_text("Later events")
    expect(other).to_contain_text("P-104; P-101")
    visit("/transfers/T-101/")
    expect(badge).to_have_text("blocked")
