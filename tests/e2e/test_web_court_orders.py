"""Correcting and withdrawing court orders, recording an assessment with its reason, and
reading a record's history, in a real browser; and these pages on a narrow screen."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db

ORDER = "ECHR-R39-2022-06-14"  # an interim measure on P-104 (Samuel T.), in effect
#: The innermost elements that reach past the right edge of the screen, to name in a failure.
WIDE = """[...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > 361)
  .slice(-6)
  .map(e => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().width)}`)"""


def test_a_legal_officer_corrects_an_orders_person_and_sees_the_rescreening(
    sign_in: Callable[..., Any], visit: Callable[[str], Any]
) -> None:
    page = sign_in("legal_officer")
    page.get_by_role("link", name="Court orders").first.click()
    page.get_by_role("link", name=ORDER).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ORDER)
    page.get_by_role("link", name="Correct or withdraw the order").click()
    person = page.locator("#id_person")
    expect(person).to_have_value("P-104")
    # the person is chosen from the ranked search as the name is typed
    person.fill("")
    person.press_sequentially("José", delay=50)
    expect(page.locator('#person-options option[value="P-105"]')).to_have_count(1)
    person.fill("P-105")
    page.locator("#id_reason").fill("the measure names José R.")
    page.get_by_role("button", name="Save the correction").click()
    expect(page).to_have_url(re.compile(rf"/court-orders/{ORDER}/\?run=\d+&run=\d+$"))
    saved = page.locator(".saved")
    expect(saved).to_contain_text("T-104")
    expect(saved).to_contain_text("T-105")
    history = page.locator("#history")
    expect(history).to_contain_text("the measure names José R.")
    expect(history).to_contain_text("P-104 → P-105")
    visit("/transfers/T-105/")
    expect(page.locator("#verdict .verdict-line .badge")).to_have_text("blocked")


def test_a_legal_officer_withdraws_an_order_with_a_reason(sign_in: Callable[..., Any]) -> None:
    page = sign_in("legal_officer", f"/court-orders/{ORDER}/edit/")
    withdraw = page.get_by_role("button", name="Withdraw the order")
    withdraw.click()  # no reason: refused, nothing withdrawn
    expect(page.locator("main")).to_contain_text("This field is required.")
    page.get_by_label("Why is the order withdrawn?").fill("recorded on the wrong case")
    page.get_by_role("button", name="Withdraw the order").click()
    expect(page).to_have_url(re.compile(r"/court-orders/\?run=\d+$"))
    expect(page.locator("#court-orders-list")).not_to_contain_text(ORDER)
    expect(page.locator("main")).to_contain_text("T-104")


def test_a_supervisor_records_an_assessment_only_with_a_reason(sign_in: Callable[..., Any]) -> None:
    page = sign_in("supervisor", "/countries/")
    form = page.locator("#record-assessment")
    form.get_by_label("Country").select_option("SV")
    form.get_by_label("Date").fill("2025-08-01")
    form.get_by_label("no real risk").check()
    form.get_by_label("Source").fill("monitoring report")
    form.get_by_role("button").click()
    form = page.locator("#record-assessment")
    expect(form).to_contain_text("This field is required.")
    expect(form.get_by_label("Source")).to_have_value("monitoring report")
    form.get_by_label("Reason for the change").fill("quarterly review")
    form.get_by_role("button").click()
    expect(page.locator("#record-assessment")).to_contain_text("Saved.")
    expect(page.locator("#record-assessment")).to_contain_text("T-105")


def test_a_monitor_reads_a_history_without_names_or_reasons(sign_in: Callable[..., Any]) -> None:
    page = sign_in("monitor")
    page.get_by_role("link", name="Court orders").first.click()
    page.get_by_role("link", name=ORDER).click()
    history = page.locator("#history")
    expect(history).to_contain_text("recorded")
    expect(history).not_to_contain_text("load scenario")
    expect(history).not_to_contain_text("P-104")
    expect(page.get_by_role("link", name="Correct or withdraw the order")).to_have_count(0)


@pytest.mark.parametrize(
    "path",
    [
        f"/court-orders/{ORDER}/",
        f"/court-orders/{ORDER}/edit/",
        "/people/P-101/",
        "/transfers/T-101/",
        "/arrangements/US-RW-2025/",
        "/countries/",
    ],
    ids=["order", "order-edit", "person", "transfer", "arrangement", "countries"],
)
def test_the_order_and_history_pages_fit_a_narrow_screen(
    sign_in: Callable[..., Any], visit: Callable[[str], Any], path: str
) -> None:
    page = sign_in("legal_officer")
    page.set_viewport_size({"width": 360, "height": 800})
    visit(path)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDE)
    assert width <= 360, (width, wide)
