"""Court orders corrected and withdrawn from their pages, and each record's history on its
page: who changed what and why, newest first, paged, and only what the reader's role may
see."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from django.contrib.auth.models import User
from django.test import Client

from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import FearClaim, Person, ScreeningRecord, Transfer
from thirdcountry.cases.services import screen_stored
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.records.export import export_persons
from thirdcountry.records.load import load_scenario_records
from thirdcountry.records.services import save_person
from thirdcountry.registry.models import ArrangementStatus, CourtOrder, ExchangeRate
from thirdcountry.scenario import loads_scenario

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
ORDER = "ECHR-R39-2022-06-14"  # an interim measure on P-104, in effect
CORRECTION = {
    "kind": "interim_measure",
    "issuer": "European Court of Human Rights",
    "issued": "2022-06-14",
    "scope": "person",
    "person": "P-105",
    "reason": "the measure names José R., not Samuel T.",
}


@pytest.fixture
def world(seed_world_path: Path, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()


def client_of(role: str) -> Client:
    user: User = User.objects.filter(username=role).first() or create_user(role, role, PASSWORD)
    client = Client()
    client.force_login(user)
    return client


def text(html: str) -> str:
    """A page's visible words, tags taken out and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def history_of(page: str) -> str:
    return text(page.split('id="history"')[1])


def latest_verdict(ref: str) -> str:
    return str(ScreeningRecord.objects.filter(transfer__ref=ref).latest("id").verdict)


def test_a_legal_officer_corrects_an_orders_scope_and_sees_both_rescreenings(
    world: None,
) -> None:
    client = client_of("legal_officer")
    form = client.get(f"/court-orders/{ORDER}/edit/").content.decode()
    assert 'value="P-104"' in form  # the form starts from what is recorded
    assert 'list="person-options"' in form  # the person is picked from the ranked search
    response = client.post(f"/court-orders/{ORDER}/edit/", CORRECTION)
    assert response.status_code == 302
    assert re.search(r"\?run=\d+&run=\d+$", response["Location"])
    page = client.get(response["Location"]).content.decode()
    saved = text(page.split('id="shown-run-title"')[1].split('id="history"')[0])
    assert "T-104" in saved and "T-105" in saved
    assert latest_verdict("T-105") == "blocked"
    history = history_of(page)
    assert "the measure names José R., not Samuel T." in history
    assert "by legal_officer" in history
    assert "Covers: person : P-104 → P-105" in history
    assert CourtOrder.objects.get(ref=ORDER).scope_person.ref == "P-105"


def test_a_refused_correction_keeps_what_was_typed(world: None) -> None:
    client = client_of("legal_officer")
    response = client.post(
        f"/court-orders/{ORDER}/edit/", {**CORRECTION, "person": "P-999", "reason": ""}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="P-999"' in page
    assert "No person has the ref P-999." in page
    assert "This field is required." in page  # the reason
    assert CourtOrder.objects.get(ref=ORDER).scope_person.ref == "P-104"


def test_a_legal_officer_withdraws_an_order_recorded_in_error(world: None) -> None:
    client = client_of("legal_officer")
    refused = client.post(f"/court-orders/{ORDER}/withdraw/", {"withdraw-reason": ""})
    assert refused.status_code == 422
    assert CourtOrder.objects.filter(ref=ORDER).exists()
    response = client.post(f"/court-orders/{ORDER}/withdraw/", {"withdraw-reason": "wrong case"})
    assert response.status_code == 302
    assert re.search(r"/court-orders/\?run=\d+$", response["Location"])
    assert not CourtOrder.objects.filter(ref=ORDER).exists()
    listing = text(client.get(response["Location"]).content.decode())
    assert "T-104" in listing  # the re-screening it caused
    assert client.get(f"/court-orders/{ORDER}/").status_code == 404


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "monitor", "administrator"])
def test_only_the_role_owning_court_orders_corrects_or_withdraws_them(
    world: None, role: str
) -> None:
    client = client_of(role)
    assert client.get(f"/court-orders/{ORDER}/").status_code == 200
    assert "Correct or withdraw" not in client.get(f"/court-orders/{ORDER}/").content.decode()
    assert client.get(f"/court-orders/{ORDER}/edit/").status_code == 403
    assert client.post(f"/court-orders/{ORDER}/edit/", CORRECTION).status_code == 403
    withdrawn = client.post(f"/court-orders/{ORDER}/withdraw/", {"withdraw-reason": "x"})
    assert withdrawn.status_code == 403
    assert CourtOrder.objects.get(ref=ORDER).scope_person.ref == "P-104"


def test_a_persons_history_is_shown_newest_first_and_paged(world: None) -> None:
    officer = create_user("officer", "legal_officer", PASSWORD)
    for day in range(1, 12):
        person = export_persons(["P-105"])[0]
        born = person.birth_date.replace(day=day)  # type: ignore[union-attr]
        save_person(
            msgspec.structs.replace(person, birth_date=born), officer, reason=f"check {day}"
        )
    client = client_of("caseworker")
    first = history_of(client.get("/people/P-105/").content.decode())
    assert first.index("check 11") < first.index("check 10")
    assert "by officer" in first
    assert "Date of birth : 1994-11-10 → 1994-11-11" in first
    assert "Page 1 of 2" in first and "load scenario" not in first
    second = history_of(client.get("/people/P-105/?history=2").content.decode())
    assert "check 1 " in second and "load scenario" in second
    assert "Names and aliases" in second and "+ José R." in second


def test_a_monitor_sees_when_and_what_changed_but_no_value_reason_or_name(world: None) -> None:
    officer = create_user("officer", "legal_officer", PASSWORD)
    person = export_persons(["P-105"])[0]
    save_person(
        msgspec.structs.replace(person, names=("José Rodríguez",)),
        officer,
        reason="spelling of José's name",
    )
    page = client_of("monitor").get(f"/people/{pseudonym('P-105')}/").content.decode()
    history = history_of(page)
    assert "Names and aliases" in history
    assert "by legal officer" in history
    for secret in ("José", "Rodríguez", "by officer", "spelling", "P-105", "1994-11-23"):
        assert secret not in history, secret


def test_transfer_and_arrangement_pages_show_their_history(world: None) -> None:
    client = client_of("supervisor")
    for url in ("/transfers/T-105/", "/arrangements/US-RW-2025/", f"/court-orders/{ORDER}/"):
        history = history_of(client.get(url).content.decode())
        assert "recorded" in history and "load scenario" in history, url


def test_the_order_pages_and_histories_speak_french(world: None) -> None:
    client = client_of("legal_officer")
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    client.post(f"/court-orders/{ORDER}/edit/", CORRECTION)
    page = text(client.get(f"/court-orders/{ORDER}/").content.decode())
    assert "Décision de justice ECHR-R39-2022-06-14" in page
    assert "Corriger ou retirer la décision" in page
    assert "Historique de la fiche" in page and "corrigée · par legal_officer" in page
    assert "Vise : personne : P-104 → P-105" in page
    form = text(client.get(f"/court-orders/{ORDER}/edit/").content.decode())
    assert "Pourquoi la décision est-elle retirée ?" in form
    assert "Motif de la modification" in form
    person = text(client.get("/people/P-105/").content.decode())
    assert "enregistrée · par le système (un chargement ou une importation)" in person


#: Each recording form with a filled-in answer: the role that records it, and where the
#: reason lands in the history.
RECORDING_FORMS = {
    "notice": (
        "legal_officer",
        "/transfers/T-106/notice/",
        {"state": "none"},
        lambda: Transfer.history.filter(ref="T-106"),
    ),
    "acceptance": (
        "caseworker",
        "/transfers/T-107/acceptance/",
        {"accepted": "no"},
        lambda: Transfer.history.filter(ref="T-107"),
    ),
    "fear claim": (
        "legal_officer",
        "/people/P-106/fear-claims/",
        {"country": "RW", "status": "pending"},
        lambda: FearClaim.history.filter(country_id="RW"),
    ),
    "removal decision": (
        "legal_officer",
        "/people/P-106/removal-decision/",
        {"state": "none"},
        lambda: Person.history.filter(ref="P-106"),
    ),
    "court order": (
        "legal_officer",
        "/court-orders/new/",
        {
            "ref": "O-9",
            "kind": "stay",
            "issuer": "a court",
            "issued": "2025-08-01",
            "scope": "sending",
            "sending": "GB",
        },
        lambda: CourtOrder.history.filter(ref="O-9"),
    ),
    "arrangement status": (
        "supervisor",
        "/arrangements/US-RW-2025/status/",
        {"date": "2025-08-20", "status": "suspended", "source": "announcement"},
        lambda: ArrangementStatus.history.filter(source="announcement"),
    ),
    "exchange rate": (
        "supervisor",
        "/arrangements/GB-RW-2022/exchange-rates/",
        {"date": "2024-01-01", "base": "GBP", "quote": "USD", "rate": "1.27", "source": "BoE"},
        lambda: ExchangeRate.history.filter(source="BoE"),
    ),
}


@pytest.mark.parametrize("form", RECORDING_FORMS)
def test_every_recording_form_asks_why_and_keeps_the_reason(world: None, form: str) -> None:
    role, url, data, history = RECORDING_FORMS[form]
    client = client_of(role)
    kept = history().count()
    refused = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "This field is required." in refused
    assert history().count() == kept  # nothing written
    client.post(url, {**data, "reason": f"{form}: checked"}, HTTP_HX_REQUEST="true")
    assert history().latest("history_id").history_change_reason == f"{form}: checked"
