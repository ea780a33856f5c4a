"""Every page as every role, in English and in French, on a phone and on a laptop, checked by
axe-core (Deque's accessibility engine, run inside Chromium): no serious or critical
violation. No rule is switched off.

The pages are those the sizes test visits, plus the sign-in page (signed out), a court
order's page, a person's erasure page and the page for an address that does
not exist. Each page's screenshot at both sizes and in both languages, as a legal officer
sees it, is saved under ``test-artifacts/accessibility``.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import expect
from test_web_sizes import LAPTOP, PAGES, PHONE, SHOWN_AS

from thirdcountry.accounts.roles import ROLES
from thirdcountry.oversight.pseudonyms import pseudonym

SIZES = (("phone", PHONE), ("laptop", LAPTOP))
LANGUAGES = ("en", "fr")
#: Pages beyond the sizes test's: a record of each remaining kind, and the "not found" page.
MORE_PAGES = (
    "/court-orders/ECHR-R39-2022-06-14/",
    "/court-orders/ECHR-R39-2022-06-14/edit/",
    "/people/P-105/erase/",
    "/no-such-page/",
)
#: What counts: axe's two highest impacts (the others are "moderate" and "minor").
COUNTED = frozenset({"serious", "critical"})
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "accessibility"

#: Runs axe on the whole document; only violations come back (passes would be 10 times the
#: data), once the page has been laid out at its size. ``axe`` is in every page: the context
#: adds it before the page's own scripts.
RUN_AXE = """async () => {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const results = await axe.run(document, {resultTypes: ['violations']});
    return {version: results.testEngine.version, violations: results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map(n => n.target.join(' '))}))};
}"""


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "dashboard"


class Findings:
    """Serious and critical violations, each with the page, role, language and size where
    axe found it; the same violation on many of them is told once."""

    def __init__(self) -> None:
        self.where: dict[tuple[str, str, str, str, str], list[str]] = defaultdict(list)
        self.checked = 0
        self.version = ""
        #: Seconds spent loading pages, running axe and taking screenshots.
        self.seconds = {"load": 0.0, "axe": 0.0, "screenshots": 0.0}
        #: The longest axe took on each page, in seconds.
        self.slowest: dict[str, float] = defaultdict(float)

    def check(self, page: Any, path: str, seen_as: str) -> None:
        """Run axe on ``page``, showing ``path``, and keep what counts."""
        results = page.evaluate(RUN_AXE)
        self.version = results["version"]
        self.checked += 1
        for violation in results["violations"]:
            if violation["impact"] not in COUNTED:
                continue
            targets = ", ".join(violation["targets"][:5])
            if len(violation["targets"]) > 5:
                targets += f" (+{len(violation['targets']) - 5} more)"
            key = (path, violation["id"], violation["impact"], violation["help"], targets)
            self.where[key].append(seen_as)

    def report(self) -> str:
        lines = [f"{len(self.where)} serious or critical violations (axe-core {self.version}):"]
        for (path, rule, impact, help_text, targets), where in sorted(self.where.items()):
            lines.append(f"{path}: {rule} ({impact}) {help_text}\n    at {targets}")
            lines.append(f"    as {'; '.join(where[:4])}{' …' if len(where) > 4 else ''}")
        return "\n".join(lines)


def _visit(
    page: Any,
    site: str,
    paths: Iterable[str],
    findings: Findings,
    who: str,
    language: str,
    shots: bool,
) -> None:
    """Open each of ``paths`` once and check it at both sizes: every other page is opened on
    a phone and then widened to a laptop, the others the other way round (the stylesheet and
    the scripts follow a change of size as they do a first load); with ``shots``, each is
    screenshot at both sizes. Each page must be in ``language``."""
    for number, path in enumerate(paths):
        started = time.monotonic()
        sizes = SIZES if number % 2 == 0 else SIZES[::-1]
        page.set_viewport_size(sizes[0][1])
        page.goto(f"{site}{path}")
        findings.seconds["load"] += time.monotonic() - started
        assert page.evaluate("document.documentElement.lang") == language, (path, who)
        for name, size in sizes:
            started = time.monotonic()
            page.set_viewport_size(size)
            findings.check(page, path, f"{who}, {language}, {name}")
            checked = time.monotonic()
            findings.seconds["axe"] += checked - started
            findings.slowest[path] = max(findings.slowest[path], checked - started)
            if shots:
                shot = SCREENSHOTS / f"{language}-{name}-{_slug(path)}.png"
                page.screenshot(path=str(shot), full_page=True)
                findings.seconds["screenshots"] += time.monotonic() - checked


def _as_seen_by(role: str, path: str) -> str:
    """The path of a page as ``role`` opens it: a monitor knows a person by pseudonym."""
    if role != "monitor":
        return path
    return path.replace("/people/P-105/", f"/people/{pseudonym('P-105')}/")


def _read_in(page: Any, site: str, language: str) -> None:
    """Pages from now on in ``language``: the cookie the language menu sets."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])


#: Who walks the site: nobody signed in (who sees the sign-in page only), then each role.
VISITORS = ("signed out", *ROLES)


# What axe reads is the rendered page, the same whichever database served it; the check
# takes minutes, so it runs once, on SQLite. Each visitor's walk in each language is a test
# of its own, so that parallel test workers share the walks.
@pytest.mark.one_engine
@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("who", VISITORS)
def test_no_serious_or_critical_accessibility_violation_on_any_page(
    site: str, page: Any, sign_in: Callable[[str], None], who: str, language: str
) -> None:
    started = time.monotonic()
    findings = Findings()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # axe in every page, added before the page's own scripts run
    page.context.add_init_script(path=str(AXE_FILE_PATH))
    if who == "signed out":
        paths = ["/accounts/login/"]
        shots = True
    else:
        page.set_viewport_size(LAPTOP)
        sign_in(who)
        paths = [_as_seen_by(who, path) for path in (*PAGES, *MORE_PAGES)]
        shots = who == SHOWN_AS
    _read_in(page, site, language)
    _visit(page, site, paths, findings, who, language, shots=shots)
    expect(page.locator("html")).to_have_attribute("lang", language)
    took = time.monotonic() - started
    assert findings.checked == len(SIZES) * len(paths)
    spent = ", ".join(f"{what} {seconds:.0f} s" for what, seconds in findings.seconds.items())
    slowest = sorted(findings.slowest.items(), key=lambda item: -item[1])[:5]
    print("slowest axe runs:", ", ".join(f"{path} {seconds:.1f} s" for path, seconds in slowest))
    print(
        f"axe-core {findings.version}: {findings.checked} pages checked in {took:.0f} s ({spent})"
    )
    assert not findings.where, findings.report()


#: A page with what axe must catch: a field without a label, grey text too pale to read, a
#: link that names nothing, and no language.
FLAWED = """<!doctype html><html><head><title>flawed</title></head><body><main>
<p style="color: #bbb; background: #fff">pale</p><input name="q"><a href="/x"></a>
</main></body></html>"""


def test_the_check_names_the_page_rule_impact_and_element_of_each_violation() -> None:
    from playwright.sync_api import sync_playwright

    findings = Findings()
    with sync_playwright() as playwright:
        # Debian's Chromium, as the e2e fixtures launch it
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        page = browser.new_page()
        page.set_content(FLAWED)
        page.add_script_tag(path=str(AXE_FILE_PATH))
        findings.check(page, "/flawed/", "nobody, en, laptop")
        browser.close()
    report = findings.report()
    for expected in (
        "/flawed/: label (critical)",
        "color-contrast (serious)",
        "link-name (serious)",
        "html-has-lang (serious)",
        "at input",
        "as nobody, en, laptop",
    ):
        assert expected in report, report
