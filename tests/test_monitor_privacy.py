"""A monitor walks the whole site and the whole API and never meets a person's name, alias,
birth date or ref, nor a payment's note; a person's ref leads a monitor nowhere, and the records
a monitor reads name persons by pseudonym.

The web walk opens every URL pattern of the web app (with its arguments filled from the
seed world: every transfer, person, arrangement, court order and run) and then follows the
links of every page it gets, within the site. The API walk opens every GET operation the
OpenAPI description lists, with path parameters filled the same way, and follows ``next``.
"""

from __future__ import annotations

import html
import io
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
from pypdf import PdfReader

from thirdcountry.accounts.services import create_user
from thirdcountry.accounts.tokens import create_token
from thirdcountry.cases.models import Person, ScreeningRecord, ScreeningRun, Transfer
from thirdcountry.cases.sections_v2 import SECTIONS
from thirdcountry.cases.services import screen_stored
from thirdcountry.identity.models import Candidate, Merge
from thirdcountry.oversight import audit
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.oversight.statistics import compute_statistics
from thirdcountry.records.import_progress import new_token
from thirdcountry.records.load import load_scenario_records
from thirdcountry.records.services_v2 import parse_world_entry, save_world_entry
from thirdcountry.registry.models import Arrangement, Assessment, CourtOrder, WorldRecord
from thirdcountry.rules import catalogs
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
    """Every name and alias of every person, every full birth date, every person's ref (in
    any text: a finding's reason, a court order's scope, a link), and every note of an
    arrangement's payment ledger (those long enough not to be a common word)."""
    found: set[str] = set()
    for person in document["persons"]:
        found.update(person.get("names") or ())
        found.add(person["ref"])
        if isinstance(person.get("birth_date"), str):
            found.add(person["birth_date"])
    for arrangement in document["arrangements"]:
        notes = (p.get("note") or "" for p in arrangement.get("payments", ()))
        found.update(note for note in notes if len(note) > 20)
    return found


def leaks(text: str, forbidden: set[str]) -> list[str]:
    """The forbidden strings in ``text``, as written or HTML-escaped."""
    return sorted(s for s in forbidden if s in text or html.escape(s) in text)


@pytest.fixture
def world(seed_world_path: Path) -> set[str]:
    document = seed_document(seed_world_path)
    load_scenario_records(loads_scenario(json.dumps(document).encode()))
    # A regime row whose scope names a person: the world's pages must not show the ref.
    regime = {
        "id": "walk-notice",
        "requirement": "notice-days",
        "value": 15,
        "force": "binding",
        "source": "an order of the court",
        "applies_to": {"person": "P-101"},
    }
    save_world_entry("regimes", parse_world_entry("regimes", regime), reason="walk")
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
    if argument == "ref" and name.startswith("person"):
        return [pseudonym(ref) for ref in refs(Person)]  # a monitor's names for persons
    if argument == "ref":
        for prefix, model in (
            ("transfer", Transfer),
            ("arrangement", Arrangement),
            ("exchange-rate", Arrangement),
            ("court-order", CourtOrder),
        ):
            if name.startswith(prefix):
                return refs(model)
    if argument == "version" and name == "catalog-version":
        return list(catalogs.versions())
    if argument == "pk":
        if name == "run":
            return list(ScreeningRun.objects.values_list("pk", flat=True))
        if name.startswith("token"):
            return list(user.api_tokens.values_list("pk", flat=True))
        if name.startswith("duplicate"):
            return list(Candidate.objects.values_list("pk", flat=True))
        if name.startswith("merge"):
            return list(Merge.objects.values_list("pk", flat=True))
        if name.startswith("user"):
            return list(User.objects.values_list("pk", flat=True))
    if argument == "section":
        return list(SECTIONS)
    if argument == "table":
        return list(compute_statistics().tables)
    if argument == "token" and name == "import-progress":
        return [new_token()]  # an import's progress, by a token its page drew
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
        if arguments == ["section", "key"]:
            found += [
                reverse(f"web:{name}", kwargs={"section": section, "key": key})
                for section, key in WorldRecord.objects.values_list("section", "key")
            ]
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


def response_text(response: Any) -> str:
    """What a response shows: a page or a streamed CSV file as text, a PDF's text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "") == "application/pdf":
        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() for page in reader.pages)
    return body.decode("utf-8", "replace")


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
        text = response_text(response)
        if hit := leaks(text, world):
            found[url] = hit
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue.extend(u for u in links(text) if u not in seen)
    assert not found, f"names, birth dates or notes shown to a monitor: {found}"
    # The walk reached the pages that show persons, and was let in.
    assert {f"/people/{pseudonym('P-101')}/", "/transfers/T-100/", "/statistics/", "/"} <= seen
    assert statuses.get(200, 0) >= 25, statuses


def api_values(parameter: str, path: str) -> list[Any]:
    """The values to fill path parameter ``parameter`` of API ``path`` with (persons by
    pseudonym, the only name a monitor has for them)."""
    if parameter == "ref" and "/persons/" in path:
        return [pseudonym(r) for r in refs(Person)]
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
    if parameter == "key":  # an entry of a world section: /legal_bases/{key}, …
        section = path.strip("/").split("/")[-2]
        return list(WorldRecord.objects.filter(section=section).values_list("key", flat=True))
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
    assert not found, f"names, birth dates or notes given to a monitor's token: {found}"
    assert any(u.startswith(f"{API}/persons/") for u in seen)
    assert ok >= 10, (ok, sorted(seen))


def test_a_person_s_ref_leads_a_monitor_nowhere_and_the_pseudonym_everywhere(
    world: set[str], monitor: User
) -> None:
    _, plaintext = create_token(monitor, "refs")
    api = Client(headers={"Authorization": f"Bearer {plaintext}"})
    web = Client()
    web.force_login(monitor)
    known = pseudonym("P-101")
    assert api.get(f"{API}/persons/P-101").status_code == 404
    assert web.get("/people/P-101/").status_code == 404
    assert api.get(f"{API}/transfers", {"person": "P-101"}).json()["items"] == []
    # the pseudonym the monitor is shown is the one that opens the person, on both sides
    person = api.get(f"{API}/persons/{known}")
    assert person.status_code == 200 and person.json()["ref"] == known
    transfers = api.get(f"{API}/transfers", {"person": known}).json()["items"]
    assert {t["person"] for t in transfers} == {known} and transfers
    assert web.get(f"/people/{known}/").status_code == 200
    # the records a monitor reads and the lists of the site name persons by pseudonym only
    person_refs = refs(Person)
    for url in (f"{API}/persons", f"{API}/transfers", f"{API}/court_orders"):
        answer = api.get(url)
        assert answer.status_code == 200, url
        text = answer.content.decode()
        assert known in text or url.endswith("court_orders"), url
        assert not [ref for ref in person_refs if f'"{ref}"' in text], url
    orders = api.get(f"{API}/court_orders").json()["items"]
    assert pseudonym("P-104") in [o["scope"].get("person") for o in orders]
    for url in ("/people/", "/transfers/", "/court-orders/"):
        text = web.get(url).content.decode()
        assert not [ref for ref in person_refs if ref in text], url
    assert f'href="/people/{known}/"' in web.get("/transfers/T-100/").content.decode()
    # an altered pseudonym names nobody
    altered = known[:-1] + ("A" if known[-1] != "A" else "B")
    assert api.get(f"{API}/persons/{altered}").status_code == 404
    # staff still use refs
    staff = Client()
    staff.force_login(create_user("officer", "legal_officer", PASSWORD))
    assert staff.get("/people/P-101/").status_code == 200
    assert staff.get(f"/people/{known}/").status_code == 404
