"""The catalog page: every rule with its basis and reasons, and for catalog 2026.2 the data
table's regimes and legal bases, in English and in French."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from thirdcountry.accounts.services import create_user
from thirdcountry.rules import catalogs

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(settings: object) -> Client:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    client = Client()
    client.force_login(create_user("reader", "monitor", "a-long-test-password"))
    return client


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_lists_every_rule_with_its_basis_and_every_reason(client: Client) -> None:
    catalog = catalogs.any_catalog("2026.2")
    page = client.get("/catalog/2026.2/").content.decode()
    for rule in catalog.rules:
        assert f'id="rule-{rule.id}"' in page
    for reason in catalog.reasons:
        assert reason.code in page
    shown = words(page)
    assert "Noem v. Abrego Garcia (US Supreme Court, 10 April 2025)" in shown
    # the data table: each regime with its force and sources, the floors labelled as not law
    assert "US-DVD-PI-NOTICE-DAYS" in page and "2025-04-18 – 2025-06-23" in shown  # noqa: RUF001
    assert "catalog floor, not law" in shown and "contested standard" in shown
    assert "us-ina-1231" in page


def test_the_default_is_the_current_catalog_and_each_version_is_reachable(
    client: Client,
) -> None:
    page = client.get("/catalog/").content.decode()
    assert f"Safeguard catalog {catalogs.current_version()}" in words(page)
    for version in catalogs.versions():
        assert f'href="/catalog/{version}/"' in page
    assert client.get("/catalog/2031.1/").status_code == 404


def test_the_page_reads_in_french(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "fr", "next": "/catalog/2026.2/"})
    shown = html.unescape(words(client.get("/catalog/2026.2/").content.decode()))
    assert "Catalogue de garanties 2026.2" in shown
    assert "Safeguard catalog" not in shown
    assert "Une crainte invoquée est examinée avant le transfert" in shown
    assert "Aucun renvoi ultérieur vers un danger" in shown
    # a floor's force, and a floor's own title, as a French reader sees them
    assert "plancher du catalogue, pas une règle de droit" in shown
    assert "Plancher du catalogue : dix jours pour faire valoir une crainte" in shown
    assert "catalog floor, not law" not in shown
