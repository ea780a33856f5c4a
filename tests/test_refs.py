"""A ref has one pattern, held by the format, the API, the forms and the database: a ref that
could not be part of a web address (a slash, spaces around it) never gets in, so no page
fails to link to a record. Birth dates are past, and no text holds a NUL character."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client

from api_support import ApiClient, clients, world  # noqa: F401
from test_cli import thirdcountry
from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import Person, Transfer
from thirdcountry.registry.models import Arrangement, Country, CourtOrder
from thirdcountry.scenario import loads_scenario
from thirdcountry.scenario.problems import ScenarioError

BAD_REFS = ["a/b", "P-1 ", " P-1", "P 1", "P-1\n", "=HYPERLINK(1)", "-1", ".", "x" * 101, ""]
GOOD_REFS = ["P-101", "DMASS-2025-05-07-LY", "a.b_c-1", "7", "x" * 100]


def one_person(ref: str, **facts: Any) -> dict[str, Any]:
    return {
        "format": "thirdcountry/scenario@1",
        "persons": [{"ref": ref, "names": ["Ana Example"], **facts}],
    }


def problems_of(document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ScenarioError) as refused:
        loads_scenario(json.dumps(document))
    return {p.path: p.message for p in refused.value.problems}


@pytest.mark.parametrize("ref", BAD_REFS)
def test_the_format_refuses_a_ref_outside_the_pattern(ref: str) -> None:
    problems = problems_of(one_person(ref))
    assert list(problems) == ["persons[0].ref"]


@pytest.mark.parametrize("ref", GOOD_REFS)
def test_the_format_takes_a_ref_of_the_pattern(ref: str) -> None:
    assert loads_scenario(json.dumps(one_person(ref))).persons[0].ref == ref


def test_every_ref_and_every_reference_follows_the_pattern() -> None:
    document = {
        "format": "thirdcountry/scenario@1",
        "arrangements": [{"ref": "A/1", "sending": "US", "receiving": "RW"}],
        "court_orders": [
            {
                "ref": "O 1",
                "kind": "stay",
                "issuer": "a court",
                "issued": "2025-01-01",
                "scope": {"person": "P/1"},
            }
        ],
        "persons": [{"ref": "P-1", "names": ["Ana"]}],
        "transfers": [
            {
                "ref": "T/1",
                "person": "P-1 ",
                "sending": "US",
                "destination": "RW",
                "planned_date": "2025-01-01",
                "arrangement": " A",
            }
        ],
    }
    with pytest.raises(ScenarioError) as refused:
        loads_scenario(json.dumps(document))
    not_refs = {p.path for p in refused.value.problems if "is not a ref" in p.message}
    assert not_refs == {
        "arrangements[0].ref",
        "court_orders[0].ref",
        "court_orders[0].scope.person",
        "transfers[0].ref",
        "transfers[0].person",
        "transfers[0].arrangement",
    }


def test_a_birth_date_in_the_future_is_refused() -> None:
    problems = problems_of(one_person("P-1", birth_date="9999-12-31"))
    assert problems == {
        "persons[0].birth_date": "9999-12-31 is in the future: a birth date is past"
    }


def test_a_nul_character_in_text_is_refused() -> None:
    problems = problems_of(one_person("P-1", names=["Ana\u0000"]))
    assert problems == {"persons[0].names[0]": "a NUL character (\\u0000) is not allowed in text"}


@pytest.mark.parametrize("command", ["check", "load"])
def test_the_commands_refuse_a_file_with_a_slashed_ref_or_a_nul(
    tmp_path: Path, command: str
) -> None:
    path = tmp_path / "bad.json"
    document = one_person("P/1")
    document["persons"].append({"ref": "P-2", "names": ["Nul\u0000"]})
    path.write_text(json.dumps(document))
    run = thirdcountry(command, str(path))
    assert run.returncode == 2, run.stderr
    assert "persons[0].ref" in run.stderr and "persons[1].names[0]" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("ref", ["a/b", " P-1", "P-1 ", ""])
def test_the_database_refuses_a_ref_outside_the_pattern(ref: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(ref=ref)
    with pytest.raises(IntegrityError), transaction.atomic():
        Arrangement.objects.create(
            ref=ref, sending=Country.objects.get(code="US"), receiving_id="RW"
        )
    assert not Person.objects.filter(ref=ref).exists()


def test_the_api_refuses_a_slashed_ref_a_spaced_ref_and_a_future_birth(
    world: None,  # noqa: F811
    clients: dict[str, ApiClient],  # noqa: F811
) -> None:
    caseworker = clients["caseworker"]
    for ref in ("a/b", " P-900", "P-900 "):
        reply = caseworker.post("persons", {"ref": ref, "names": ["Ana"]})
        assert reply.status == 422, reply.body
        assert reply.body["errors"][0]["path"] == "ref"
    reply = caseworker.post(
        "persons", {"ref": "P-900", "names": ["Ana"], "birth_date": "9999-12-31"}
    )
    assert reply.status == 422
    assert reply.body["errors"][0]["path"] == "birth_date"
    transfer = {
        "ref": "T/900",
        "person": "P-101",
        "sending": "US",
        "destination": "RW",
        "planned_date": "2025-10-01",
    }
    assert caseworker.post("transfers", transfer).status == 422
    assert not Person.objects.filter(ref__startswith="P-900").exists()
    assert not Person.objects.filter(ref="a/b").exists()
    assert not Transfer.objects.filter(ref="T/900").exists()


@pytest.mark.django_db
def test_the_court_order_form_refuses_a_slashed_ref(world: None, settings: Any) -> None:  # noqa: F811
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    officer: User = create_user("officer", "legal_officer", "a-long-test-password")
    client = Client()
    client.force_login(officer)
    answer = client.post(
        "/court-orders/new/",
        {
            "ref": "STAY/1",
            "kind": "stay",
            "issuer": "A court",
            "issued": "2025-08-01",
            "scope": "person",
            "person": "P-101/x",
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="record-court-order",
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    # The order's ref is refused for its form; the person, chosen from the ranked search,
    # is a person no ref with a slash can name.
    assert page.count("A ref starts with a letter or digit") >= 1
    assert not CourtOrder.objects.filter(ref="STAY/1").exists()
    # every list still links every record
    for url in ("/", "/people/", "/transfers/", "/arrangements/", "/court-orders/"):
        assert client.get(url).status_code == 200, url
