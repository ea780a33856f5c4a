"""Recording the scenario@2 facts from the record pages: the person, transfer and
arrangement forms edit the @2 record, save it whole with a reason through the service the
API's ``PATCH …/v2`` uses, keep the three states of each fact (a fact set back to unknown
becomes unknown in storage), keep what another role owns, and refuse with what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from test_web_records import as_typed, errors_in, shown_form, world  # noqa: F401
from test_web_records import client_of as new_client
from thirdcountry.cases.sections_v2 import document_of
from thirdcountry.records.services_v2 import stored_record_v2, stored_world_entries
from thirdcountry.registry.models import CourtOrder
from thirdcountry.scenario.v2 import model as v2
from thirdcountry.web.views.court_orders import facts_form
from thirdcountry.web.views.editing import ARRANGEMENT, PERSON, TRANSFER, RecordKind
from thirdcountry.web.views.world import FORMS

pytestmark = pytest.mark.django_db

_CLIENTS: dict[str, Client] = {}


@pytest.fixture(autouse=True)
def _fresh_clients() -> None:
    _CLIENTS.clear()


def client_of(role: str) -> Client:
    """One signed-in client per role and test."""
    if role not in _CLIENTS:
        _CLIENTS[role] = new_client(role)
    return _CLIENTS[role]


def post(role: str, url: str, data: dict[str, Any]) -> Any:
    response = client_of(role).post(url, data)
    assert response.status_code == 302, errors_in(response.content.decode())
    return response


def refused(role: str, url: str, data: dict[str, Any]) -> str:
    """The page of a form refused, with what was typed and the problems."""
    response = client_of(role).post(url, data)
    assert response.status_code == 422
    return str(response.content.decode())


def filled(kind: RecordKind, ref: str | None, typed: dict[str, Any]) -> dict[str, Any]:
    """The form of a record (``ref``; a new one when ``None``) as shown, then typed into."""
    return {**shown_form(kind, {"ref": ref} if ref else None), **typed}


def test_a_caseworker_records_new_person_facts_then_sets_them_back_to_unknown(
    world: None,  # noqa: F811
) -> None:
    data = filled(
        PERSON,
        "P-102",
        {
            "sex": "female",
            "known_adult_on": "2019-05-01",
            "vulnerabilities__state": "value",
            "vulnerabilities": ["pregnancy", "torture_survivor"],
            "counsel": "yes",
            "pending_charges__state": "value",
            "pending_charges-0-offence": "theft",
            "pending_charges-0-category": "property_offence",
            "reason": "interview of 2 September",
        },
    )
    answer = post("caseworker", "/people/P-102/edit/", data)
    assert "?run=" in answer["Location"]
    person = stored_record_v2("persons", "P-102")
    assert person.sex == "female"
    assert person.known_adult_on.isoformat() == "2019-05-01"
    assert person.vulnerabilities == ("pregnancy", "torture_survivor")
    assert person.counsel is True
    assert person.pending_charges == (v2.Charge(offence="theft", category="property_offence"),)

    again = shown_form(PERSON, {"ref": "P-102"})
    assert again["vulnerabilities__state"] == "value"
    assert again["pending_charges-0-category"] == "property_offence"
    again.update(
        {
            "sex": "",
            "vulnerabilities__state": "unknown",
            "pending_charges__state": "none",
            "reason": "recorded on the wrong person",
        }
    )
    post("caseworker", "/people/P-102/edit/", again)
    person = stored_record_v2("persons", "P-102")
    assert person.sex is v2.UNKNOWN
    assert person.vulnerabilities is v2.UNKNOWN
    assert person.pending_charges == ()
    assert person.counsel is True  # left as it was


#: A protection granted to a person, as typed into the form.
REFUGEE_STATUS: dict[str, Any] = {
    "protections__state": "value",
    "protections-0-kind": "refugee_status",
    "protections-0-country": "ER",
    "protections-0-granted_by": "IT",
}


def test_a_protection_ended_is_known_none_unknown_or_a_date(world: None) -> None:  # noqa: F811
    data = filled(
        PERSON,
        "P-103",
        {
            **REFUGEE_STATUS,
            "protections-0-ended_on__none": "on",
            "reason": "status certificate seen",
        },
    )
    post("legal_officer", "/people/P-103/edit/", data)
    (protection,) = stored_record_v2("persons", "P-103").protections
    assert protection.ended_on is None and protection.granted_on is v2.UNKNOWN
    again = shown_form(PERSON, {"ref": "P-103"})
    assert again["protections-0-ended_on__none"] is True
    again.pop("protections-0-ended_on__none")
    again["reason"] = "end not known after all"
    post("legal_officer", "/people/P-103/edit/", again)
    (protection,) = stored_record_v2("persons", "P-103").protections
    assert protection.ended_on is v2.UNKNOWN


def test_facts_another_role_owns_stay_as_recorded(world: None) -> None:  # noqa: F811
    data = filled(
        PERSON,
        "P-103",
        {
            **REFUGEE_STATUS,
            "counsel": "no",
            "reason": "intake",
        },
    )
    page = client_of("caseworker").get("/people/P-103/edit/").content.decode()
    assert 'name="protections__state"' in page and "disabled" in page
    post("caseworker", "/people/P-103/edit/", data)
    person = stored_record_v2("persons", "P-103")
    assert person.counsel is False
    assert person.protections is v2.UNKNOWN  # a caseworker does not record protections


def test_a_refused_person_keeps_what_was_typed_beside_each_problem(
    world: None,  # noqa: F811
) -> None:
    data = filled(
        PERSON,
        "P-102",
        {
            "known_adult_on": "2019-05-01",
            "classes__state": "value",
            "classes": "NO-SUCH-CLASS",
            "reason": "class certified",
        },
    )
    page = refused("caseworker", "/people/P-102/edit/", data)
    assert 'value="NO-SUCH-CLASS"' in page and 'value="2019-05-01"' in page
    assert errors_in(page)
    # The summary above the form, read out first by a screen reader.
    assert 'class="form-errors" role="alert"' in page
    assert stored_record_v2("persons", "P-102").classes is v2.UNKNOWN
    data.pop("reason")
    refused("caseworker", "/people/P-102/edit/", data)


def test_a_new_person_is_created_through_the_v2_record(world: None) -> None:  # noqa: F811
    data = filled(
        PERSON,
        None,
        {
            "ref": "P-950",
            "names": "Samira Haddad",
            "sex": "female",
            "vulnerabilities__state": "none",
            "reason": "registered at intake",
        },
    )
    post("caseworker", "/people/new/", data)
    person = stored_record_v2("persons", "P-950")
    assert person.names == ("Samira Haddad",) and person.vulnerabilities == ()
    assert person.birth_date is v2.UNKNOWN


def test_a_transfer_records_its_legal_basis_opportunity_and_designation(
    world: None,  # noqa: F811
) -> None:
    data = filled(
        TRANSFER,
        "T-102",
        {
            "legal_basis": "us-ina-1231",
            "opportunity__state": "value",
            "opportunity__cut_off__none": "on",
            "opportunity__interpreter": "yes",
            "designation_relied_on__state": "none",
            "notice__state": "value",
            "notice__served": "2025-09-01",
            "reason": "removal file read",
        },
    )
    post("caseworker", "/transfers/T-102/edit/", data)
    transfer = stored_record_v2("transfers", "T-102")
    assert transfer.legal_basis == "us-ina-1231"
    assert transfer.opportunity == v2.Opportunity(cut_off=None, interpreter=True)
    assert transfer.designation_relied_on is None
    assert transfer.notice.served.isoformat() == "2025-08-20"  # a legal officer records it
    # A legal basis of another sending state is refused beside its input.
    data.update({"legal_basis": "gb-rwanda-partnership", "reason": "typo"})
    assert errors_in(refused("caseworker", "/transfers/T-102/edit/", data))


def test_an_arrangement_records_its_model_caps_and_arrival_conditions(
    world: None,  # noqa: F811
) -> None:
    data = filled(
        ARRANGEMENT,
        "US-RW-2025",
        {
            "model": "final_destination",
            "concurrent_cap__state": "value",
            "concurrent_cap": "40",
            "period_caps__state": "value",
            "period_caps-0-from_": "2025-01-01",
            "period_caps-0-to": "2026-01-01",
            "period_caps-0-persons": "100",
            "period_caps-0-source": "annex",
            "on_arrival__state": "value",
            "on_arrival__custody": "reception",
            "on_arrival__counsel_access": "yes",
            "reason": "annex published",
        },
    )
    post("supervisor", "/arrangements/US-RW-2025/edit/", data)
    arrangement = stored_record_v2("arrangements", "US-RW-2025")
    assert arrangement.model == "final_destination"
    assert arrangement.concurrent_cap == 40
    (cap,) = arrangement.period_caps
    assert (cap.from_.isoformat(), cap.persons) == ("2025-01-01", 100)
    assert arrangement.on_arrival == v2.OnArrival(custody="reception", counsel_access=True)
    again = shown_form(ARRANGEMENT, {"ref": "US-RW-2025"})
    assert again["period_caps-0-from_"] == "2025-01-01"
    again.update({"concurrent_cap__state": "unknown", "reason": "cap withdrawn"})
    post("supervisor", "/arrangements/US-RW-2025/edit/", again)
    assert stored_record_v2("arrangements", "US-RW-2025").concurrent_cap is v2.UNKNOWN


ORDER = "ECHR-R39-2022-06-14"


def order_form(typed: dict[str, Any] | None = None) -> dict[str, Any]:
    """The order's @2 form as shown, then typed into."""
    return {**as_typed(facts_form(CourtOrder.objects.get(ref=ORDER))), **(typed or {})}


def test_a_legal_officer_records_an_orders_effect_scope_and_events(
    world: None,  # noqa: F811
) -> None:
    page = client_of("legal_officer").get(f"/court-orders/{ORDER}/edit/").content.decode()
    assert 'name="v2-effect__state"' in page and 'list="person-options"' in page
    data = order_form()
    assert data["v2-scope__person"] == "P-104"
    data.update(
        {
            "v2-effect__state": "value",
            "v2-effect-0-requirement": "notice-days",
            "v2-effect-0-value": "10",
            "v2-effect-1-requirement": "interpreter",
            "v2-effect-1-value": "yes",
            "v2-effect-TOTAL_FORMS": "2",
            "v2-scope__person": "P-104; P-105",
            "v2-scope__destination": "Rwanda",
            "v2-events-0-date": "2022-07-01",
            "v2-events-0-kind": "stayed",
            "v2-events-0-by": "Grand Chamber",
            "v2-reason": "measure varied",
        }
    )
    post("legal_officer", f"/court-orders/{ORDER}/facts/", data)
    order = stored_record_v2("court_orders", ORDER)
    assert order.effect == v2.Conditions(
        conditions=(
            v2.Condition(requirement="notice-days", value=10),
            v2.Condition(requirement="interpreter", value=True),
        )
    )
    assert order.scope == v2.Selector(person=("P-104", "P-105"), destination="RW")
    assert order.events == (v2.Event(date=dt.date(2022, 7, 1), kind="stayed", by="Grand Chamber"),)
    again = order_form()
    assert again["v2-effect-1-value"] == "yes" and again["v2-effect__state"] == "value"
    again.update({"v2-effect__state": "prohibits", "v2-reason": "varied again"})
    post("legal_officer", f"/court-orders/{ORDER}/facts/", again)
    assert stored_record_v2("court_orders", ORDER).effect == "prohibits"
    again.update({"v2-effect__state": "unknown", "v2-reason": "effect not known"})
    post("legal_officer", f"/court-orders/{ORDER}/facts/", again)
    assert stored_record_v2("court_orders", ORDER).effect is v2.UNKNOWN


def test_a_refused_order_keeps_what_was_typed(world: None) -> None:  # noqa: F811
    data = order_form(
        {
            "v2-effect__state": "value",
            "v2-effect-0-requirement": "notice-days",
            "v2-effect-0-value": "soon",
            "v2-scope__person": "P-999",
            "v2-reason": "varied",
        }
    )
    page = refused("legal_officer", f"/court-orders/{ORDER}/facts/", data)
    assert 'value="soon"' in page and errors_in(page)
    assert 'class="form-errors" role="alert"' in page
    data["v2-effect-0-value"] = "10"
    assert 'value="P-999"' in refused("legal_officer", f"/court-orders/{ORDER}/facts/", data)
    assert stored_record_v2("court_orders", ORDER).scope == v2.Selector(person="P-104")


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "monitor"])
def test_only_the_role_owning_orders_records_their_facts(
    world: None,  # noqa: F811
    role: str,
) -> None:
    data = {**order_form(), "v2-effect__state": "unknown", "v2-reason": "x"}
    assert client_of(role).post(f"/court-orders/{ORDER}/facts/", data).status_code == 403
    assert stored_record_v2("court_orders", ORDER).effect == "prohibits"


def test_a_legal_officer_records_and_corrects_a_regime_with_its_history(
    world: None,  # noqa: F811
) -> None:
    officer = client_of("legal_officer")
    listing = officer.get("/world/regimes/").content.decode()
    assert "/world/regimes/new/" in listing and "/world/legal_bases/" in listing
    data = {
        **as_typed(FORMS["regimes"]()),
        "id": "US-NOTICE-FLOOR",
        "requirement": "notice-days",
        "value": "15",
        "force": "binding",
        "source": "District court order",
        "from_": "2025-05-01",
        "applies_to__sending": "United States",
        "applies_to__destination": "Rwanda; Libya",
        "reason": "order of 1 May",
    }
    post("legal_officer", "/world/regimes/new/", data)
    (regime,) = stored_world_entries("regimes")
    assert regime.value == 15 and regime.from_ == dt.date(2025, 5, 1)
    assert regime.applies_to == v2.Selector(sending="US", destination=("RW", "LY"))
    assert "US-NOTICE-FLOOR" in officer.get("/world/regimes/").content.decode()
    again = as_typed(FORMS["regimes"](recorded=document_of(regime)))
    assert str(again["value"]) == "15" and again["from_"] == "2025-05-01"
    again.update({"requirement": "interpreter", "value": "yes", "reason": "read again"})
    post("legal_officer", "/world/regimes/US-NOTICE-FLOOR/", again)
    (regime,) = stored_world_entries("regimes")
    assert (regime.requirement, regime.value) == ("interpreter", True)
    page = officer.get("/world/regimes/US-NOTICE-FLOOR/").content.decode()
    history = page.split('id="history"')[1]
    assert "read again" in history and "order of 1 May" in history


def test_a_refused_entry_keeps_what_was_typed(world: None) -> None:  # noqa: F811
    data = {
        **as_typed(FORMS["legal_bases"]()),
        "code": "us-ina-1231",  # the catalog's own
        "sending": "US",
        "title": "Removal to a third country",
        "requires_arrangement": "no",
        "source": "8 U.S.C. 1231",
        "reason": "statute",
    }
    page = refused("legal_officer", "/world/legal_bases/new/", data)
    assert 'value="Removal to a third country"' in page and errors_in(page)
    assert 'class="form-errors" role="alert"' in page
    assert stored_world_entries("legal_bases") == []
    data.update({"code": "us-new-basis", "reason": ""})
    refused("legal_officer", "/world/legal_bases/new/", data)
    data["reason"] = "statute"
    post("legal_officer", "/world/legal_bases/new/", data)
    assert [b.code for b in stored_world_entries("legal_bases")] == ["us-new-basis"]


@pytest.mark.parametrize("role", ["caseworker", "monitor"])
def test_only_who_records_world_entries_may_record_them(
    world: None,  # noqa: F811
    role: str,
) -> None:
    client = client_of(role)
    assert client.get("/world/classes/").status_code == 200
    assert client.get("/world/classes/new/").status_code == 403
    data = {"ref": "CLASS-1", "title": "D.V.D. class", "source": "order", "reason": "x"}
    assert client.post("/world/classes/new/", data).status_code == 403
    assert stored_world_entries("classes") == []


def test_record_pages_list_the_other_recorded_facts(world: None) -> None:  # noqa: F811
    data = filled(
        PERSON,
        "P-102",
        {
            "sex": "female",
            "vulnerabilities__state": "value",
            "vulnerabilities": ["pregnancy"],
            "reason": "interview",
        },
    )
    post("caseworker", "/people/P-102/edit/", data)
    page = client_of("caseworker").get("/people/P-102/").content.decode()
    other = page.split('id="other-facts"')[1].split("</section>")[0]
    assert "Vulnerabilities" in other and "pregnancy" in other and "female" in other
    order = client_of("caseworker").get(f"/court-orders/{ORDER}/").content.decode()
    assert "Effect" in order.split('id="other-facts"')[1] and "prohibits" in order
    client_of("caseworker").post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client_of("caseworker").get("/people/P-102/").content.decode()
    assert "Autres faits enregistrés" in page and "Vulnérabilités" in page


def test_a_records_history_shows_its_v2_facts_with_the_reason(world: None) -> None:  # noqa: F811
    data = filled(
        PERSON, "P-102", {"sex": "female", "counsel": "yes", "reason": "interview of 3 September"}
    )
    post("caseworker", "/people/P-102/edit/", data)
    page = client_of("caseworker").get("/people/P-102/").content.decode()
    latest = page.split('id="history"')[1].split('class="history-head"')[1]
    assert "interview of 3 September" in latest
    assert "Sex" in latest and "female" in latest and "Has counsel" in latest
