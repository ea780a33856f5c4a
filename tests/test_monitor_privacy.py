"""A monitor walks the whole site and the whole API and never meets a person's name, alias
or birth date.

The web walk opens every URL pattern of the web app (with its arguments filled from the
seed world: every transfer, person, arrangement, court order and run) and then follows the
links of every page it gets, within the site. The API walk opens every GET operation the
OpenAPI description lists, with path parameters filled the same way, and follows ``next``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from thirdcountry.accounts.services import create_user
from thirdcountry.accounts.tokens import create_token
from thirdcountry.cases.models import Person, ScreeningRecord, ScreeningRun, Transfer
from thirdcountry.cases.services import screen_stored
from thirdcountry.oversight import audit
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.records.load import load_scenario_records
from thirdcountry.registry.models import Arrangement, Assessment, CourtOrder
from thirdcountry.scenario import loads_scenario
from thirdcountry.web import urls as web_urls

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
MAX_PAGES = 300
API = "/api/v1"
#: Never followed: signing out would end the walk.
NOT_FOLLOWED = ("/accounts/logout/",)


def seed_document(seed_world_path: Path) -> dict[str, Any]:
    """The seed world with one refoulement incident added (P-101, transferred by T-100, is
    sent on to Iraq, a country he has a pending fear claim about), so that the incident
    sections, which name the person, are walked too."""
    document: dict[str, Any] = json.loads(seed_world_path.read_text())
    person = next(p for p in document["persons"] if p["ref"] == "P-101")
    person["fear_claims"] = [{"country": "IQ", "status": "pending"}]
    transfer = next(t for t in document["transfers"] if t["ref"] == "T-100")
    transfer["monitoring"].append(
        {"date": "2025-07-01", "kind": "onward_removal", "country": "IQ", "note": "sent on"}
    )
    return document


def forbidden_strings(document: dict[str, Any]) -> set[str]:
    """Every name and alias of every person, and every full birth date."""
    found: set[str] = set()
    for person in document["persons"]:
        found.update(person.get("names") or ())
        if isinstance(person.get("birth_date"), str):
            found.add(person["birth_date"])
    return found


def leaks(text: str, forbidden: set[str]) -> list[str]:
    """The forbidden strings in ``text``, as written or HTML-escaped."""
    return sorted(s for s in forbidden if s in text or html.escape(s) in text)


@pytest.fixture
def world(seed_world_path: Path) -> set[str]:
    document = seed_document(seed_world_path)
    load_scenario_records(loads_scenario(json.dumps(document).encode()))
    screen_stored()
    audit.verify(actor="setup")
    return forbidden_strings(document)


@pytest.fixture
def monitor() -> User:
    return create_user("monitor", "monitor", PASSWORD)


def refs(model: Any) -> list[str]:
    return [str(r) for r in model.objects.order_by("ref").values_list("ref", flat=True)]


def argument_values(name: str, argument: str, user: User) -> list[Any]:
    """The values to open URL ``name`` with, for its ``argument``, from the stored world.

    Fails for an argument it cannot fill, so a new page is not walked past unseen.
    """
    if argument == "ref":
        for prefix, model in (
            ("transfer", Transfer),
            ("person", Person),
            ("arrangement", Arrangement),
            ("exchange-rate", Arrangement),
            ("court-order", CourtOrder),
        ):
            if name.startswith(prefix):
                return refs(model)
    if argument == "pk":
        if name == "run":
            return list(ScreeningRun.objects.values_list("pk", flat=True))
        if name.startswith("token"):
            return list(user.api_tokens.values_list("pk", flat=True))
        if name.startswith("user"):
            return list(User.objects.values_list("pk", flat=True))
    raise AssertionError(f"the privacy walk cannot fill {argument!r} of web:{name}")


def patterns(
    entries: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in entries:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix)
        elif entry.name:
            yield entry.name, entry


def pattern_urls(user: User) -> list[str]:
    """Every URL of the web app's patterns, with arguments filled from the stored world."""
    found = []
    for name, pattern in patterns(list(web_urls.urlpatterns)):
        arguments = list(pattern.pattern.regex.groupindex)
        if not arguments:
            found.append(reverse(f"web:{name}"))
            continue
        assert len(arguments) == 1, f"web:{name} takes {arguments}"
        argument = arguments[0]
        for value in argument_values(name, argument, user):
            found.append(reverse(f"web:{name}", kwargs={argument: value}))
    return found


LINK = re.compile(r"""(?:href|hx-get|action)\s*=\s*["']([^"']+)["']""")


def links(page: str) -> Iterator[str]:
    """The site's own URLs a page links to (pages only: no static files, no API)."""
    for raw in LINK.findall(page):
        url, _ = urldefrag(html.unescape(raw))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/"):
            continue
        if url.startswith(("/static/", API)) or url.startswith(NOT_FOLLOWED):
            continue
        yield url


def test_a_monitor_walking_every_page_meets_no_name_and_no_birth_date(
    world: set[str], monitor: User
) -> None:
    client = Client()
    client.force_login(monitor)
    create_token(monitor, "walk")  # so the token pages have a token to open
    queue = pattern_urls(monitor)
    seen: set[str] = set()
    found: dict[str, list[str]] = {}
    statuses: dict[int, int] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        text = response.content.decode("utf-8", "replace")
        if hit := leaks(text, world):
            found[url] = hit
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue.extend(u for u in links(text) if u not in seen)
    assert not found, f"names or birth dates shown to a monitor: {found}"
    # The walk reached the pages that show persons, and was let in.
    assert {"/people/P-101/", "/transfers/T-100/", "/statistics/", "/"} <= seen
    assert statuses.get(200, 0) >= 25, statuses


def api_values(parameter: str, path: str) -> list[Any]:
    """The values to fill path parameter ``parameter`` of API ``path`` with (persons by ref
    and by pseudonym, whichever the API takes)."""
    if parameter == "ref" and "/persons/" in path:
        return [*refs(Person), *(pseudonym(r) for r in refs(Person))]
    if parameter == "ref":
        for prefix, model in (
            ("/transfers/", Transfer),
            ("/persons/", Person),
            ("/arrangements/", Arrangement),
            ("/court_orders/", CourtOrder),
        ):
            if prefix in path:
                return refs(model)
    if parameter == "assessment_id":
        return list(Assessment.objects.values_list("pk", flat=True))
    if parameter == "screening_id":
        return list(ScreeningRecord.objects.values_list("pk", flat=True))
    raise AssertionError(f"the privacy walk cannot fill {parameter!r} of {path}")


def api_urls(schema: dict[str, Any]) -> list[str]:
    """Every GET operation of the API, with path parameters filled from the stored world."""
    found = []
    for path, operations in schema["paths"].items():
        if "get" not in operations or path.endswith(("/openapi.json", "/docs")):
            continue
        parameters = re.findall(r"{(\w+)}", path)
        if not parameters:
            found.append(path)
            continue
        assert len(parameters) == 1, f"{path} takes {parameters}"
        for value in api_values(parameters[0], path):
            found.append(path.replace("{" + parameters[0] + "}", str(value)))
    return found


def test_a_monitor_reading_every_api_endpoint_meets_no_name_and_no_birth_date(
    world: set[str], monitor: User
) -> None:
    _, plaintext = create_token(monitor, "walk")
    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    schema = client.get(f"{API}/openapi.json").json()
    queue = api_urls(schema)
    seen: set[str] = set()
    found: dict[str, list[str]] = {}
    ok = 0
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        text = response.content.decode("utf-8", "replace")
        if response.get("Content-Type", "").endswith("json"):
            body = json.loads(text)
            text += json.dumps(body, ensure_ascii=False)
            if response.status_code == 200 and isinstance(body, dict) and body.get("next"):
                queue.append(str(body["next"]))
        ok += response.status_code == 200
        if hit := leaks(text, world):
            found[url] = hit
    assert not found, f"names or birth dates given to a monitor's token: {found}"
    assert any(u.startswith(f"{API}/persons/") for u in seen)
    assert ok >= 10, (ok, sorted(seen))
