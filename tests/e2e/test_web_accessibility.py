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

pytestmark = pytest.mark.django_db

SIZES = (("phone", PHONE), ("laptop", LAPTOP))
LANGUAGES = ("en", "fr")
#: Pages beyond the sizes test's: a record of each remaining kind, and the "not found" page.
MORE_PAGES = (
    "/court-orders/ECHR-R39-2022-06-14/",
    "/people/P-105/erase/",
    "/no-such-page/",
)
#: What counts: axe's two highest impacts (the others are "moderate" and "minor").
COUNTED = frozenset({"serious", "critical"})
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "accessibility"

#: Runs axe on the whole document; only violations come back (passes would be 10 times the
#: data). ``axe`` is in every page: the context adds it before the page's own scripts.
RUN_AXE = """async () => {
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
    page: Any, site: str, paths: Iterable[str], findings: Findings, seen_as: str, shots: str
) -> None:
    """Open each of ``paths`` and check it; with ``shots``, screenshot it under that name."""
    for path in paths:
        started = time.monotonic()
        page.goto(f"{site}{path}")
        loaded = time.monotonic()
        findings.check(page, path, seen_as)
        checked = time.monotonic()
        if shots:
            page.screenshot(path=str(SCREENSHOTS / f"{shots}-{_slug(path)}.png"), full_page=True)
        findings.seconds["load"] += loaded - started
        findings.seconds["axe"] += checked - loaded
        findings.seconds["screenshots"] += time.monotonic() - checked


def _as_seen_by(role: str, path: str) -> str:
    """The path of a page as ``role`` opens it: a monitor knows a person by pseudonym."""
    if role != "monitor":
        return path
    return path.replace("/people/P-105/", f"/people/{pseudonym('P-105')}/")


def _read_in(page: Any, site: str, language: str) -> None:
    """Pages from now on in ``language``: the cookie the language menu sets."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])


def test_no_serious_or_critical_accessibility_violation_on_any_page(
    site: str, page: Any, sign_in: Callable[[str], None]
) -> None:
    started = time.monotonic()
    findings = Findings()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # axe in every page, added before the page's own scripts run
    page.context.add_init_script(path=str(AXE_FILE_PATH))
    for language in LANGUAGES:
        _read_in(page, site, language)
        for name, size in SIZES:
            page.set_viewport_size(size)
            seen_as = f"signed out, {language}, {name}"
            _visit(page, site, ["/accounts/login/"], findings, seen_as, f"{language}-{name}")
    paths = [*PAGES, *MORE_PAGES]
    for role in ROLES:
        page.context.clear_cookies()
        page.set_viewport_size(LAPTOP)
        sign_in(role)
        for language in LANGUAGES:
            _read_in(page, site, language)
            for name, size in SIZES:
                page.set_viewport_size(size)
                shots = f"{language}-{name}" if role == SHOWN_AS else ""
                seen = [_as_seen_by(role, path) for path in paths]
                _visit(page, site, seen, findings, f"{role}, {language}, {name}", shots)
        expect(page.locator("html")).to_have_attribute("lang", LANGUAGES[-1])
    took = time.monotonic() - started
    expected = len(LANGUAGES) * len(SIZES) * (1 + len(ROLES) * len(paths))
    assert findings.checked == expected
    spent = ", ".join(f"{what} {seconds:.0f} s" for what, seconds in findings.seconds.items())
    print(
        f"axe-core {findings.version}: {findings.checked} pages checked in {took:.0f} s ({spent})"
    )
    assert not findings.where, findings.report()
