"""The import page and the review queue of possible duplicates, through Django's test
client: who may use them, a report of every problem, a merge decided on the page and undone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import ImportMapping, Person, Transfer
from thirdcountry.identity.models import Candidate, Merge
from thirdcountry.identity.services import link_persons
from thirdcountry.oversight import audit
from thirdcountry.records.load import load_scenario_records, write_records
from thirdcountry.scenario import loads_scenario
from thirdcountry.scenario.model import FearClaim, Scenario
from thirdcountry.scenario.model import Person as PersonRecord

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"

MAPPING = """
[columns.ref]
fact = "person.ref"
[columns.name]
fact = "person.names"
[columns.born]
fact = "person.birth_date"
[columns.citizenship]
fact = "person.nationalities"
"""


@pytest.fixture
def world(seed_world_path: Path) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(create_user(role, role, PASSWORD))
    return client


def upload(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_supervisor_imports_fixes_the_file_and_the_mapping_is_saved(world: None) -> None:
    client = signed_in("supervisor")
    assert client.get("/import/").status_code == 200
    bad = (
        "ref,name,born,citizenship\n"
        "N-1,Amina Yusuf,1990-03-02,Somalia\n"
        "N-2,Omar,1990-13-01,Atlantis\n"
    )
    refused = client.post(
        "/import/",
        {"file": upload(bad), "mapping_text": MAPPING, "save_as": "people"},
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Atlantis" in page and "1990-13-01" in page and "Nothing was written" in page
    assert "data:text/csv" in page
    assert not Person.objects.filter(ref="N-1").exists()
    assert ImportMapping.objects.filter(name="people").exists()

    fixed = bad.replace("1990-13-01,Atlantis", "1990-12-01,Iraq")
    done = client.post("/import/", {"file": upload(fixed), "saved_mapping": "people"})
    assert "The valid rows were written" in done.content.decode()
    assert Person.objects.get(ref="N-2").nationalities.get().country_id == "IQ"
    result = audit.verify()
    assert result.ok, [str(p) for p in result.problems]


def test_the_import_page_refuses_what_it_cannot_read(world: None) -> None:
    client = signed_in("supervisor")
    no_mapping = client.post("/import/", {"file": upload("ref\nX\n")})
    assert no_mapping.status_code == 400
    bad_mapping = client.post(
        "/import/", {"file": upload("ref\nX\n"), "mapping_text": "[columns.ref]\nfact = 'x'"}
    )
    assert bad_mapping.status_code == 400 and "not a fact" in bad_mapping.content.decode()
    assert signed_in("monitor").get("/import/").status_code == 403


def test_a_reviewer_merges_a_pair_on_the_page_and_undoes_it(world: None) -> None:
    write_records(
        Scenario(
            persons=(
                PersonRecord(
                    ref="P-901",
                    names=("Haidar A",),
                    birth_date=dt.date(1988, 2, 11),
                    nationalities=("IQ",),
                    fear_claims=(FearClaim(country="RW", status="pending"),),
                ),
            )
        ),
        reason="test",
    )
    link_persons()
    pair = Candidate.objects.get(left_ref="P-101", right_ref="P-901")
    client = signed_in("legal_officer")
    queue = client.get("/duplicates/").content.decode()
    assert "P-901" in queue
    detail = client.get(f"/duplicates/{pair.pk}/").content.decode()
    assert "the same birth date" in detail and "Merge, keeping P-101" in detail
    merged = client.post(f"/duplicates/{pair.pk}/decide/", {"decision": "keep_left"})
    assert merged.status_code == 302 and merged["Location"].endswith("/people/P-101/")
    assert not Person.objects.filter(ref="P-901").exists()
    assert Candidate.objects.get(pk=pair.pk).status == "merged"
    merge = Merge.objects.get()
    assert client.post(f"/merges/{merge.pk}/undo/").status_code == 302
    assert Person.objects.filter(ref="P-901").exists()
    assert Transfer.objects.filter(person__ref="P-101").exists()
    assert Candidate.objects.get(pk=pair.pk).status == "open"
    not_same = client.post(f"/duplicates/{pair.pk}/decide/", {"decision": "not_same"})
    assert not_same.status_code == 302
    assert Candidate.objects.get(pk=pair.pk).status == "not_same"
    # a caseworker sees the queue but may not decide
    caseworker = signed_in("caseworker")
    assert caseworker.get("/duplicates/").status_code == 200
    assert caseworker.post(f"/duplicates/{pair.pk}/decide/", {"decision": "x"}).status_code == 403
    assert signed_in("monitor").get("/duplicates/").status_code == 403


def test_the_pages_read_in_french(world: None) -> None:
    client = signed_in("supervisor")
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert "Importer" in client.get("/import/").content.decode()
    assert "Doublons possibles" in client.get("/duplicates/").content.decode()


def test_an_import_queues_the_new_persons_that_may_be_stored_already(world: None) -> None:
    client = signed_in("supervisor")
    rows = "ref,name,born,citizenship\nN-7,Haidar Ahmed,1988-02-11,Iraq\nN-8,Zofia Nowak,,\n"
    done = client.post("/import/", {"file": upload(rows), "mapping_text": MAPPING})
    page = done.content.decode()
    assert "1 possible duplicate queued for review" in page
    pair = Candidate.objects.get(left_ref="N-7")
    assert pair.right_ref == "P-101" and pair.status == "open"
    assert not Candidate.objects.filter(left_ref="N-8").exists()
    assert not Candidate.objects.filter(right_ref="N-8").exists()
