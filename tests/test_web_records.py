"""Creating and correcting whole records from the pages: forms generated from the scenario
format's schema, filled with what is recorded, saved with a reason through the API's
services, refused with what was typed kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import Person, ScreeningRecord, Transfer
from thirdcountry.cases.services import screen_stored
from thirdcountry.records.load import load_scenario_records
from thirdcountry.registry.models import Arrangement
from thirdcountry.scenario import loads_scenario
from thirdcountry.web.editing import RecordForm
from thirdcountry.web.views.editing import ARRANGEMENT, PERSON, TRANSFER, RecordKind

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def world(seed_world_path: Path, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()


def client_of(role: str) -> Client:
    user: User = create_user(role, role, PASSWORD)
    client = Client()
    client.force_login(user)
    return client


def errors_in(page: str) -> list[str]:
    """The error messages a refused form shows."""
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)


def as_typed(form: RecordForm) -> dict[str, Any]:
    """What a browser submits for a form left as it was shown."""
    data: dict[str, Any] = {}

    def take(bound_form: Any) -> None:
        for field in bound_form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value

    take(form)
    for formset in form.formsets.values():
        management = formset.management_form
        for field in management:
            data[field.html_name] = field.value()
        for entry in formset.forms:
            take(entry)
    return data


def shown_form(kind: RecordKind, recorded: dict[str, Any] | None = None) -> dict[str, Any]:
    ref = (recorded or {}).get("ref")
    recorded = kind.read(ref) if ref else {}
    return as_typed(kind.form(recorded=recorded, fixed={"ref": ref} if ref else {}))


def test_the_person_form_starts_from_what_is_recorded(world: None) -> None:
    page = client_of("legal_officer").get("/people/P-105/edit/").content.decode()
    assert 'value="2025-03-10"' in page  # the removal decision's date
    data = shown_form(PERSON, {"ref": "P-105"})
    assert data["removal_decision__state"] == "value"
    assert data["removal_decision__final"] == "yes"
    assert data["nationalities"] == "Venezuela, Bolivarian Republic of (VE)"
    assert data["languages"] == "Spanish (es)"
    assert data["accompanied"] == ""  # unknown stays unknown
    assert '<input type="radio" name="accompanied" value="" id="id_accompanied_0" checked>' in page
    assert data["birth_date"] == "1994-11-23"


def test_a_caseworker_registers_a_person_with_three_states(world: None) -> None:
    client = client_of("caseworker")
    data = shown_form(PERSON)
    data.update(
        {
            "ref": "P-900",
            "names": "Haidar Karimi\nحيدر كريمي",
            "birth_date": "1990-01-02",
            "nationalities__state": "value",
            "nationalities": "Iraq; Iran, Islamic Republic of (IR)",
            "languages__state": "value",
            "languages": "Arabic; Kurdish",
            "convictions__state": "none",
            "fit_to_travel": "yes",
            "reason": "registered at intake",
        }
    )
    response = client.post("/people/new/", data)
    assert response.status_code == 302, errors_in(response.content.decode())
    person = Person.objects.get(ref="P-900")
    assert [n.name for n in person.names.all()] == ["Haidar Karimi", "حيدر كريمي"]
    assert sorted(n.country_id for n in person.nationalities.all()) == ["IQ", "IR"]
    assert sorted(lang.language_id for lang in person.languages.all()) == ["ar", "ku"]
    assert person.convictions_recorded and not person.convictions.exists()
    assert person.fear_claims_recorded is False  # left unknown
    assert person.accompanied is None
    assert person.fit_to_travel is True
    assert person.history.latest().history_change_reason == "registered at intake"


def test_a_refused_person_keeps_everything_typed(world: None) -> None:
    client = client_of("caseworker")
    data = shown_form(PERSON)
    data.update(
        {
            "ref": "P-901",
            "names": "Olga Petrova",
            "languages__state": "value",
            "languages": "Spanish; Klingonese",
            "reason": "registered",
        }
    )
    response = client.post("/people/new/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "“Klingonese” is not a name on the list." in page
    assert "Olga Petrova" in page and "Spanish; Klingonese" in page
    assert not Person.objects.filter(ref="P-901").exists()


def test_facts_another_role_owns_are_shown_but_not_changed(world: None) -> None:
    client = client_of("caseworker")
    page = client.get("/transfers/T-105/edit/").content.decode()
    assert 'name="notice__state"' in page and "disabled" in page
    data = shown_form(TRANSFER, {"ref": "T-105"})
    data.update(
        {
            "notice__state": "value",
            "notice__served": "2025-05-01",
            "notice__language": "Spanish",
            "notice__names_destination": "yes",
            "planned_date": "2025-10-01",
            "reason": "new date agreed",
        }
    )
    response = client.post("/transfers/T-105/edit/", data)
    assert response.status_code == 302, errors_in(response.content.decode())
    transfer = Transfer.objects.get(ref="T-105")
    assert str(transfer.planned_date) == "2025-10-01"
    assert transfer.notice_language_id == "en"  # the notice is the legal officer's to record


def test_a_legal_officer_may_not_correct_a_transfer(world: None) -> None:
    assert client_of("legal_officer").get("/transfers/T-107/edit/").status_code == 403


def test_a_reason_is_required(world: None) -> None:
    client = client_of("caseworker")
    data = shown_form(PERSON, {"ref": "P-106"})
    data["reason"] = ""
    response = client.post("/people/P-106/edit/", data)
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_a_caseworker_proposes_a_transfer_and_sees_its_verdict(world: None) -> None:
    client = client_of("caseworker")
    data = shown_form(TRANSFER)
    data.update(
        {
            "ref": "T-900",
            "person": "P-106",
            "sending": "GB",
            "destination": "RW",
            "arrangement": "GB-RW-2022",
            "planned_date": "2025-09-01",
            "status": "proposed",
            "reason": "proposed at intake",
        }
    )
    response = client.post("/transfers/new/", data)
    assert response.status_code == 302, errors_in(response.content.decode())
    assert response["Location"].startswith("/transfers/T-900/?run=")
    assert ScreeningRecord.objects.filter(transfer__ref="T-900").exists()
    page = client.get(response["Location"]).content.decode()
    assert "T-900" in page
    transfer = Transfer.objects.get(ref="T-900")
    assert transfer.notice_recorded is False  # a caseworker may not record the notice


def test_a_transfer_for_an_unknown_person_is_refused_next_to_the_person(world: None) -> None:
    client = client_of("caseworker")
    data = shown_form(TRANSFER)
    data.update(
        {
            "ref": "T-901",
            "person": "P-999",
            "sending": "GB",
            "destination": "RW",
            "planned_date": "2025-09-01",
            "status": "proposed",
            "reason": "proposed",
        }
    )
    response = client.post("/transfers/new/", data)
    assert response.status_code == 422
    assert "P-999" in response.content.decode()
    assert not Transfer.objects.filter(ref="T-901").exists()


def test_a_supervisor_withdraws_a_wrong_status_entry_with_a_reason(world: None) -> None:
    client = client_of("supervisor")
    arrangement = Arrangement.objects.get(ref="GB-RW-2022")
    before = arrangement.status_history.count()
    data = shown_form(ARRANGEMENT, {"ref": "GB-RW-2022"})
    data[f"status_history-{before - 1}-DELETE"] = "on"
    data["reason"] = "last status entry recorded in error"
    response = client.post("/arrangements/GB-RW-2022/edit/", data)
    assert response.status_code == 302, errors_in(response.content.decode())
    assert arrangement.status_history.count() == before - 1


def test_a_supervisor_registers_an_arrangement(world: None) -> None:
    client = client_of("supervisor")
    data = shown_form(ARRANGEMENT)
    data.update(
        {
            "ref": "IT-AL-2023",
            "sending": "IT",
            "receiving": "AL",
            "title": "Protocol on migration",
            "cap__state": "value",
            "cap": "3000",
            "terms__state": "value",
            "commitments": ["accommodation", "health_care"],
            "status_history-0-date": "2023-11-06",
            "status_history-0-status": "signed",
            "status_history-0-source": "protocol signed in Rome",
            "reason": "new arrangement",
        }
    )
    response = client.post("/arrangements/new/", data)
    assert response.status_code == 302, errors_in(response.content.decode())
    stored = Arrangement.objects.get(ref="IT-AL-2023")
    assert stored.cap == 3000
    assert [s.status for s in stored.status_history.all()] == ["signed"]


def test_pages_refuse_roles_that_do_not_own_the_record(world: None) -> None:
    assert client_of("monitor").get("/people/new/").status_code == 403
    assert client_of("caseworker").get("/arrangements/new/").status_code == 403
    assert client_of("supervisor").get("/transfers/new/").status_code == 403


def test_search_before_create_shows_the_person_a_new_name_may_be(world: None) -> None:
    client = client_of("caseworker")
    page = client.get("/people/candidates/", {"names": "Omer Q."}).content.decode()
    assert "P-102" in page
    options = client.get("/people/candidates/", {"person": "Jose", "options": "1"})
    assert '<option value="P-105">' in options.content.decode()


def test_the_forms_and_code_pickers_speak_french(world: None) -> None:
    client = client_of("caseworker")
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get("/people/new/").content.decode()
    assert "Enregistrer une personne" in page and "Motif de la modification" in page
    assert '<option value="Allemagne (DE)">' in page  # countries by their French names
    data = shown_form(PERSON)
    data.update(
        {
            "ref": "P-902",
            "names": "Jean Dupont",
            "nationalities__state": "value",
            "nationalities": "Allemagne",
            "reason": "enregistré",
        }
    )
    response = client.post("/people/new/", data)
    assert response.status_code == 302, errors_in(response.content.decode())
    assert Person.objects.get(ref="P-902").nationalities.get().country_id == "DE"


def test_on_an_empty_database_the_owning_roles_register_everything_from_the_pages(
    settings: Any,
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert not Person.objects.exists() and not Arrangement.objects.exists()
    supervisor = client_of("supervisor")
    arrangement = shown_form(ARRANGEMENT)
    arrangement.update(
        {
            "ref": "GB-RW-2026",
            "sending": "GB",
            "receiving": "RW",
            "terms__state": "value",
            "commitments": ["asylum_procedure", "accommodation"],
            "status_history-0-date": "2026-01-05",
            "status_history-0-status": "in_force",
            "status_history-0-source": "agreement in force on signature",
            "reason": "new arrangement",
        }
    )
    answer = supervisor.post("/arrangements/new/", arrangement)
    assert answer.status_code == 302, errors_in(answer.content.decode())
    caseworker = client_of("caseworker")
    person = shown_form(PERSON)
    person.update({"ref": "P-1", "names": "Amina Yusuf", "reason": "registered"})
    answer = caseworker.post("/people/new/", person)
    assert answer.status_code == 302, errors_in(answer.content.decode())
    transfer = shown_form(TRANSFER)
    transfer.update(
        {
            "ref": "T-1",
            "person": "P-1",
            "sending": "GB",
            "destination": "RW",
            "arrangement": "GB-RW-2026",
            "planned_date": "2026-03-01",
            "status": "proposed",
            "reason": "proposed",
        }
    )
    answer = caseworker.post("/transfers/new/", transfer)
    assert answer.status_code == 302, errors_in(answer.content.decode())
    page = caseworker.get(answer["Location"]).content.decode()
    verdict = ScreeningRecord.objects.get(transfer__ref="T-1").verdict
    # most facts are unknown: never clear
    assert verdict == "review"
    assert 'class="badge v-review"' in page
