"""Every page as every role, on a phone (390 by 844) and on a laptop (1366 by 900): no page
scrolls sideways (wide tables scroll inside their own box), and on a phone the navigation
folds behind a menu button that opens it from the keyboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from thirdcountry.accounts.roles import ROLES
from thirdcountry.oversight.pseudonyms import pseudonym

pytestmark = pytest.mark.django_db

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}

#: Every page of the application, with a record of each kind the example world holds. A
#: page a role may not open answers with the 403 page, which must fit as well.
PAGES = (
    "/",
    "/transfers/",
    "/transfers/?status=proposed&sort=-planned_date",
    "/transfers/T-106/",
    "/transfers/T-104/",
    "/transfers/new/",
    "/transfers/T-106/edit/",
    "/people/",
    "/people/?q=omer",
    "/people/P-105/",
    "/people/new/",
    "/people/P-105/edit/",
    "/arrangements/",
    "/arrangements/GB-RW-2022/",
    "/arrangements/US-RW-2025/",
    "/arrangements/new/",
    "/court-orders/",
    "/countries/",
    "/world/regimes/",
    "/world/regimes/new/",
    "/statistics/",
    "/catalog/",
    "/runs/",
    "/runs/1/",
    "/users/",
    "/duplicates/",
    "/merges/",
    "/import/",
    "/profile/",
)

#: Where each page's screenshots at both sizes land, as a legal officer sees it.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "sizes"
SHOWN_AS = "legal_officer"

#: The width of the document beyond the window, in CSS pixels.
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _pages_for(role: str) -> list[str]:
    """The pages above, a monitor's person named by pseudonym as their links name it."""
    if role != "monitor":
        return list(PAGES)
    return [p.replace("/people/P-105/", f"/people/{pseudonym('P-105')}/") for p in PAGES]


def _too_wide(page: Any, site: str, paths: list[str], shots: str | None = None) -> list[str]:
    """The pages among ``paths`` that scroll sideways at the page's current size; with
    ``shots``, each page's screenshot is saved under that name."""
    found = []
    for path in paths:
        page.goto(f"{site}{path}")
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            found.append(f"{path} ({overflow} px too wide)")
        if shots:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "dashboard"
            page.screenshot(path=str(SCREENSHOTS / f"{shots}-{slug}.png"), full_page=True)
    return found


def test_the_sign_in_page_does_not_scroll_sideways_on_a_phone(site: str, page: Any) -> None:
    page.set_viewport_size(PHONE)
    problems = [f"signed out, phone: {p}" for p in _too_wide(page, site, ["/accounts/login/"])]
    assert not problems, "\n".join(problems)


# Each role's walk is a test of its own, so that parallel test workers share the walks.
@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_for_any_role_on_a_phone_or_a_laptop(
    site: str, page: Any, sign_in: Callable[..., Any], role: str
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(role)
    problems = []
    for name, size in (("phone", PHONE), ("laptop", LAPTOP)):
        page.set_viewport_size(size)
        shots = name if role == SHOWN_AS else None
        problems += [f"{role}, {name}: {p}" for p in _too_wide(page, site, _pages_for(role), shots)]
    assert not problems, "\n".join(problems)


def test_no_page_scrolls_sideways_in_french_on_a_phone(
    site: str, page: Any, sign_in: Callable[..., Any]
) -> None:
    """French words run longer: the last role's pages once more, in French, on a phone."""
    page.set_viewport_size(PHONE)
    sign_in(ROLES[-1])
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    problems = [f"{ROLES[-1]}, phone, fr: {p}" for p in _too_wide(page, site, list(PAGES))]
    assert not problems, "\n".join(problems)


#: Each table box of a page: whether it scrolls, and its tabindex, role and name.
SCROLL_BOXES = """[...document.querySelectorAll('.table-scroll')].map(box => [
    box.scrollWidth > box.clientWidth + 1, box.getAttribute('tabindex'),
    box.getAttribute('role'), box.getAttribute('aria-label')])"""


def test_on_a_phone_the_menu_button_opens_the_navigation_from_the_keyboard(
    sign_in: Callable[..., Any], visit: Callable[[str], Any]
) -> None:
    page = sign_in("legal_officer", "/transfers/T-106/")
    menu = page.get_by_role("button", name="Menu")
    navigation = page.get_by_role("navigation", name="Main")
    # on a laptop the navigation is always in view, and no menu button is shown
    expect(menu).to_be_hidden()
    expect(navigation.get_by_role("link", name="People")).to_be_visible()
    page.set_viewport_size(PHONE)
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation.get_by_role("link", name="People")).to_be_hidden()
    menu.focus()
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(navigation.get_by_role("link", name="Dashboard")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(navigation.get_by_role("link", name="People")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(navigation.get_by_role("link", name="People")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    expect(page).to_have_url(re.compile(r"/transfers/T-106/$"))
    # a table wider than a phone scrolls in its own box, which then takes focus and a name;
    # a table that fits does neither (the transfers list is the widest)
    visit("/transfers/")
    # (the list's columns wrap to fit a phone: widen its table past the screen to see one
    # that does not)
    page.evaluate(
        "() => { document.querySelector('.table-scroll table').style.minWidth = '1500px';"
        " window.dispatchEvent(new Event('resize')); }"
    )
    boxes = page.evaluate(SCROLL_BOXES)
    assert boxes[0][0], boxes
    for scrolls, tabindex, role, label in boxes:
        assert (tabindex == "0") == scrolls, boxes
        assert (role == "region" and bool(label)) == scrolls, boxes
    assert page.evaluate(OVERFLOW) <= 0
