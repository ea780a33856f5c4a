"""The web application in a real browser: sign in, read a verdict, record a fact and watch
the finding change in place; a monitor finds nothing to edit; the interface in French."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from thirdcountry.oversight.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db


def finding(page: Any, rule: str) -> Any:
    return page.locator(f'#verdict tr[data-rule="{rule}"] .outcome')


def test_a_legal_officer_records_a_missing_notice_and_sees_the_finding_change(
    sign_in: Callable[..., Any],
) -> None:
    page = sign_in("legal_officer")
    page.get_by_role("link", name="T-106").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Transfer T-106")
    expect(page.locator("#verdict .verdict-line .badge")).to_have_text("blocked")
    expect(finding(page, "written-notice")).to_have_text("blocked")
    expect(page.locator("#transfer-facts")).to_contain_text("no notice served")

    form = page.locator("#record-notice")
    form.get_by_label("a notice was served").check()
    form.get_by_label("Served on").fill("2025-09-01")
    # first a language that is no ISO 639 code: refused next to the field, input kept
    form.get_by_label("Language of the notice").fill("xq")
    form.locator('input[name="names_destination"][value="yes"]').check()
    form.get_by_label("Reason for the change").fill("notice served by hand")
    form.get_by_role("button", name="Record notice").click()
    expect(page.locator("#record-notice")).to_contain_text("“xq” is not a language on the list.")
    expect(page.locator("#record-notice").get_by_label("Served on")).to_have_value("2025-09-01")
    expect(page.locator("#record-notice").get_by_label("Reason for the change")).to_have_value(
        "notice served by hand"
    )
    expect(finding(page, "written-notice")).to_have_text("blocked")

    page.locator("#record-notice").get_by_label("Language of the notice").fill("Spanish (es)")
    page.locator("#record-notice").get_by_role("button", name="Record notice").click()
    saved = page.locator("#record-notice .saved")
    expect(saved).to_contain_text("Saved.")
    expect(saved).to_contain_text("written-notice")
    expect(saved).to_contain_text("notice served 2025-09-01")
    # the verdict panel was swapped in place: the finding now passes, the page never reloaded
    expect(finding(page, "written-notice")).to_have_text("pass")
    expect(page.locator("#transfer-facts")).to_contain_text("served 2025-09-01 in es")
    expect(page.locator("#verdict-history tbody tr")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/transfers/T-106/$"))


def test_a_monitor_finds_no_edit_controls_and_no_names(
    site: str, sign_in: Callable[..., Any], visit: Callable[[str], Any]
) -> None:
    page = sign_in("monitor")
    person = f"/people/{pseudonym('P-105')}/"  # a monitor's address of the person
    for path in ("/transfers/T-107/", person, "/court-orders/", "/countries/"):
        visit(path)
        expect(page.locator("main form[method=post]")).to_have_count(0)
        expect(page.locator("main button")).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text("José")
    visit(person)
    expect(page.locator("#person-facts")).to_contain_text("withheld (pseudonymised view)")
    expect(page.locator("#person-facts")).to_contain_text("1994")
    expect(page.get_by_role("heading", level=1)).to_have_text(pseudonym("P-105"))
    # a recording form's address answers a monitor with the friendly 403 page
    response = page.request.post(f"{site}/transfers/T-107/notice/")
    assert response.status == 403


def test_the_interface_switches_to_french(sign_in: Callable[..., Any]) -> None:
    page = sign_in("caseworker")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    expect(page.get_by_role("heading", name="Transferts en attente par verdict")).to_be_visible()
    page.get_by_role("link", name="Personnes").click()
    expect(page.get_by_label("Rechercher par nom, alias ou référence")).to_be_visible()


def test_the_dashboard_draws_its_chart_and_search_narrows_as_one_types(
    sign_in: Callable[..., Any],
) -> None:
    page = sign_in("caseworker")
    chart = page.locator("figure.chart-wide svg.columns")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 150
    expect(page.locator("figure.chart-narrow svg.columns")).to_be_hidden()
    # a segment per month and verdict (each with its own title: March's executed transfer,
    # September's verdicts), and the five entries of the legend
    expect(chart.locator("rect.seg > title").first).to_contain_text("executed")
    expect(chart.locator(".legend rect")).to_have_count(5)
    by_destination = page.locator("figure.chart-wide svg.rows")
    expect(by_destination.locator(".row-label")).to_have_count(3)
    page.get_by_role("link", name="People").click()
    page.get_by_label("Search by name, alias or ref").fill("omer")
    expect(page.locator("#person-results tbody tr")).to_have_count(1)
    expect(page.locator("#person-results")).to_contain_text("Omar K.")
    expect(page).to_have_url(re.compile(r"/people/\?q=omer$"))
