"""Registering and correcting records in a real browser: on an empty database the owning
roles register an arrangement, a person and a transfer; a caseworker registers a person
and proposes a transfer and sees its first verdict; a legal officer corrects a fact with a
reason and sees the verdict move; a transliterated name shows who the person may already
be; a refused form keeps what was typed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db

#: A name and its alias in Cyrillic script.
NAMES = "Olga Petrova\n" + "Ольга Петрова"


def propose_transfer(page: Any, ref: str, arrangement: str, planned: str) -> None:
    """Fills the open transfer form (from GB to RW) and registers it; waits for its page."""
    page.locator("#id_ref").fill(ref)
    page.locator("#id_sending").select_option("GB")
    page.locator("#id_destination").select_option("RW")
    page.locator("#id_arrangement").fill(arrangement)
    page.locator("#id_planned_date").fill(planned)
    page.locator("#id_status").select_option("proposed")
    page.locator("#id_reason").fill("proposed for transfer")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(re.compile(rf"/transfers/{ref}/\?run=\d+$"))


def test_a_caseworker_registers_a_person_and_a_transfer_and_sees_the_first_verdict(
    sign_in: Callable[..., Any],
) -> None:
    page = sign_in("caseworker")
    page.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Register a person").click()
    page.locator("#id_ref").fill("P-900")
    page.locator("#id_names").fill("Leyla Demir")
    page.locator("#id_birth_date").fill("1990-04-02")
    page.locator('input[name="nationalities__state"][value="value"]').check()
    page.locator("#id_nationalities").fill("Türkiye")
    page.locator('input[name="languages__state"][value="value"]').check()
    page.locator("#id_languages").fill("Turkish")
    page.locator("#id_reason").fill("registered at the reporting centre")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(re.compile(r"/people/P-900/\?run=\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leyla Demir")

    page.get_by_role("link", name="Propose a transfer").click()
    expect(page.locator("#id_person")).to_have_value("P-900")
    propose_transfer(page, "T-900", "GB-RW-2022", "2025-10-01")
    expect(page.locator("#verdict .verdict-line .badge")).to_have_text(
        re.compile("blocked|review|clear")
    )
    expect(page.locator("main")).to_contain_text("T-900")


def test_a_legal_officer_corrects_a_fact_with_a_reason_and_sees_the_verdict_move(
    sign_in: Callable[..., Any], visit: Callable[[str], Any]
) -> None:
    page = sign_in("legal_officer", "/transfers/T-101/")
    expect(page.locator("#verdict .verdict-line .badge")).to_have_text("clear")
    visit("/people/P-101/")
    page.get_by_role("link", name="Correct the record").click()
    expect(page.locator('input[name="fit_to_travel"][value="yes"]')).to_be_checked()
    page.locator('input[name="fit_to_travel"][value="no"]').check()
    page.locator("#id_reason").fill("medical report of 2025-08-30")
    page.get_by_role("button", name="Save the correction").click()
    expect(page).to_have_url(re.compile(r"/people/P-101/\?run=\d+$"))
    expect(page.locator("main")).to_contain_text("T-101")
    visit("/transfers/T-101/")
    expect(page.locator("#verdict .verdict-line .badge")).to_have_text("blocked")


def test_a_transliterated_name_shows_the_person_it_may_already_be(
    sign_in: Callable[..., Any],
) -> None:
    page = sign_in("caseworker", "/people/new/")
    page.locator("#id_names").press_sequentially("حيدر", delay=50)
    warning = page.locator("#person-candidates")
    expect(warning).to_contain_text("may already be registered")
    expect(warning.get_by_role("link", name="P-101")).to_be_visible()


def test_a_refused_form_keeps_what_was_typed(sign_in: Callable[..., Any]) -> None:
    page = sign_in("caseworker", "/people/new/")
    page.locator("#id_ref").fill("P-901")
    page.locator("#id_names").fill(NAMES)
    page.locator('input[name="languages__state"][value="value"]').check()
    page.locator("#id_languages").fill("Russian; Klingonese")
    page.locator("#id_reason").fill("registered")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("main")).to_contain_text("“Klingonese” is not a name on the list.")
    expect(page.locator("#id_names")).to_have_value(NAMES)
    expect(page.locator("#id_languages")).to_have_value("Russian; Klingonese")
    expect(page.locator("#id_reason")).to_have_value("registered")


def test_the_person_form_fits_a_narrow_screen(
    sign_in: Callable[..., Any], visit: Callable[[str], Any]
) -> None:
    page = sign_in("caseworker")
    page.set_viewport_size({"width": 360, "height": 800})
    visit("/people/new/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width


@pytest.mark.parametrize("site", ["empty"], indirect=True)
def test_on_an_empty_database_the_owning_roles_register_everything_and_see_a_verdict(
    sign_in: Callable[..., Any], visit: Callable[[str], Any]
) -> None:
    page = sign_in("supervisor")
    page.get_by_role("link", name="Arrangements").first.click()
    page.get_by_role("link", name="Register an arrangement").click()
    page.locator("#id_ref").fill("GB-RW-2026")
    page.locator("#id_sending").select_option("GB")
    page.locator("#id_receiving").select_option("RW")
    page.locator('input[name="terms__state"][value="value"]').check()
    page.locator('input[name="commitments"][value="asylum_procedure"]').check()
    page.locator("#id_status_history-0-date").fill("2026-01-05")
    page.locator("#id_status_history-0-status").select_option("in_force")
    page.locator("#id_status_history-0-source").fill("in force on signature")
    page.locator("#id_reason").fill("new arrangement")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(re.compile(r"/arrangements/GB-RW-2026/"))

    page.context.clear_cookies()
    page = sign_in("caseworker", "/people/new/")
    page.locator("#id_ref").fill("P-1")
    page.locator("#id_names").fill("Amina Yusuf")
    page.locator("#id_reason").fill("registered")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(re.compile(r"/people/P-1/\?run=\d+$"))
    page.get_by_role("link", name="Propose a transfer").click()
    propose_transfer(page, "T-1", "GB-RW-2026", "2026-03-01")
    # most facts are still unknown: never clear
    expect(page.locator("#verdict .verdict-line .badge")).to_have_text("review")
