"""The list pages as CSV files: the page's records (every page of them, with its filters),
streamed, formula-like cells neutralised, persons named as the page names them."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import Person, PersonName, ScreeningRun, Transfer
from thirdcountry.cases.services import screen_stored
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.oversight.statistics import compute_statistics
from thirdcountry.records.load import load_scenario_records
from thirdcountry.registry.models import Arrangement, CourtOrder
from thirdcountry.scenario import loads_scenario
from thirdcountry.web import csv_files

PASSWORD = "a-long-test-password"


def rows_of(response: Any) -> list[list[str]]:
    """The rows of a streamed CSV response, header first."""
    assert isinstance(response, StreamingHttpResponse), type(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(csv_files.BYTE_ORDER_MARK)
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def world(seed_world_path: Path, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(create_user(role, role, PASSWORD))
    return client


# -- the cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Amal Haddad", "Amal Haddad"),
        (None, ""),
        (-5, "-5"),
        (True, "true"),
    ],
)
def test_a_cell_that_would_start_a_formula_is_neutralised(value: Any, written: str) -> None:
    assert csv_files.cell(value) == written


@given(st.text())
def test_no_text_cell_starts_a_formula_and_the_text_is_kept(text: str) -> None:
    written = csv_files.cell(text)
    assert not written.startswith(csv_files.FORMULA_STARTS)
    assert written.removeprefix("'") == text or written == text


def test_the_file_comes_in_batches_as_the_rows_are_read() -> None:
    read = 0

    def rows() -> Any:
        nonlocal read
        for n in range(3 * csv_files.LINES_PER_CHUNK):
            read += 1
            yield [n, f"=cmd{n}"]

    chunks = csv_files.csv_chunks(["n", "text"], rows())
    next(chunks)  # the header, before any row is read
    assert read == 0
    next(chunks)
    assert read == csv_files.LINES_PER_CHUNK  # one batch read, not the whole list
    rest = b"".join(chunks).decode()
    assert read == 3 * csv_files.LINES_PER_CHUNK
    assert rest.count("\r\n") == 2 * csv_files.LINES_PER_CHUNK
    assert "'=cmd5999" in rest


# -- the lists ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_transfers_file_holds_every_transfer_the_filters_keep_in_the_list_order(
    world: None,
) -> None:
    client = signed_in("caseworker")
    rows = rows_of(client.get("/transfers.csv", {"status": "", "sort": "-ref"}))
    assert rows[0] == [
        "Transfer",
        "Person ref",
        "Person",
        "From",
        "To",
        "Arrangement",
        "Planned",
        "Status",
        "Verdict",
    ]
    expected = list(Transfer.objects.order_by("-ref").values_list("ref", flat=True))
    assert [r[0] for r in rows[1:]] == expected
    t100 = next(r for r in rows if r[0] == "T-100")
    transfer = Transfer.objects.select_related("person").get(ref="T-100")
    first_name = PersonName.objects.filter(person=transfer.person).order_by("seq").first()
    assert first_name is not None
    assert t100[1:3] == [transfer.person.ref, first_name.name]
    assert t100[6] == transfer.planned_date.isoformat()
    # The page's filters: only what the list with the same query string shows.
    blocked = rows_of(client.get("/transfers.csv", {"verdict": "blocked"}))
    assert {r[8] for r in blocked[1:]} == {"blocked"}
    assert (
        len(blocked) - 1
        == Transfer.objects.filter(status="proposed", latest_screening__verdict="blocked").count()
    )
    page = client.get("/transfers/", {"verdict": "blocked"}).content.decode()
    assert 'href="/transfers.csv?verdict=blocked"' in page


@pytest.mark.django_db
def test_a_name_typed_as_a_formula_reaches_the_file_neutralised(world: None) -> None:
    person = Transfer.objects.get(ref="T-100").person
    PersonName.objects.filter(person=person).order_by("seq").update(name='=HYPERLINK("x")')
    rows = rows_of(signed_in("caseworker").get("/transfers.csv", {"ref": "T-100", "status": ""}))
    assert rows[1][2] == '\'=HYPERLINK("x")'
    persons = rows_of(signed_in("legal_officer").get("/people.csv"))
    assert '\'=HYPERLINK("x")' in {r[1] for r in persons}


@pytest.mark.django_db
def test_a_monitor_gets_pseudonyms_and_no_ref_nor_name(world: None) -> None:
    client = signed_in("monitor")
    transfers = rows_of(client.get("/transfers.csv", {"status": ""}))
    assert transfers[0][:2] == ["Transfer", "Person (pseudonym)"]
    people = rows_of(client.get("/people.csv", {"q": "a"}))  # no search for monitors
    assert people[0] == ["Pseudonym", "Nationalities", "Transfers"]
    assert len(people) - 1 == Person.objects.count()
    names = set(PersonName.objects.values_list("name", flat=True))
    refs = set(Person.objects.values_list("ref", flat=True))
    text = repr(transfers) + repr(people)
    assert not [s for s in names | refs if s in text]
    assert {r[1] for r in transfers[1:]} <= {pseudonym(ref) for ref in refs}


@pytest.mark.django_db
def test_the_persons_file_follows_the_search(world: None) -> None:
    client = signed_in("caseworker")
    everyone = rows_of(client.get("/people.csv"))
    assert everyone[0] == ["Ref", "Name", "Aliases and spellings", "Nationalities", "Transfers"]
    assert [r[0] for r in everyone[1:]] == sorted(Person.objects.values_list("ref", flat=True))
    p101 = next(r for r in everyone if r[0] == "P-101")
    assert int(p101[4]) == Transfer.objects.filter(person__ref="P-101").count()
    found = rows_of(client.get("/people.csv", {"q": "P-101"}))
    assert found[1][0] == "P-101"
    page = client.get("/people/", {"q": "P-101"}).content.decode()
    assert 'href="/people.csv?q=P-101"' in page


@pytest.mark.django_db
def test_arrangements_court_orders_and_runs_files(world: None) -> None:
    client = signed_in("supervisor")
    arrangements = rows_of(client.get("/arrangements.csv"))
    assert [r[0] for r in arrangements[1:]] == sorted(
        Arrangement.objects.values_list("ref", flat=True)
    )
    orders = rows_of(client.get("/court-orders.csv"))
    assert {r[0] for r in orders[1:]} == set(CourtOrder.objects.values_list("ref", flat=True))
    assert {r[6] for r in orders[1:]} <= {"yes", "no"}
    runs = rows_of(client.get("/runs.csv"))
    assert [int(r[0]) for r in runs[1:]] == list(
        ScreeningRun.objects.order_by("-id").values_list("id", flat=True)
    )
    for page, file in (
        ("/arrangements/", "/arrangements.csv"),
        ("/court-orders/", "/court-orders.csv"),
        ("/runs/", "/runs.csv"),
    ):
        assert f'href="{file}"' in client.get(page).content.decode()


@pytest.mark.django_db
def test_every_statistics_table_as_csv_with_headings_in_words(world: None) -> None:
    client = signed_in("monitor")
    page = client.get("/statistics/").content.decode()
    statistics = compute_statistics()
    for key, frame in statistics.tables.items():
        assert f'href="/statistics/{key}.csv?currency=USD"' in page
        rows = rows_of(client.get(f"/statistics/{key}.csv"))
        assert len(rows) - 1 == frame.height
        assert not [h for h in rows[0] if re.fullmatch(r"[a-z_]+", h) and "_" in h], rows[0]
    by_status = rows_of(client.get("/statistics/by_status_verdict.csv"))
    assert by_status[0][:2] == ["Status", "Verdict"]
    assert client.get("/statistics/passwords.csv").status_code == 404


@pytest.mark.django_db
def test_files_in_french_and_only_for_those_who_may_see_the_page(world: None) -> None:
    client = signed_in("caseworker")
    client.cookies["django_language"] = "fr"
    rows = rows_of(client.get("/transfers.csv", {"status": ""}))
    assert rows[0][0] == "Transfert"
    assert Client().get("/transfers.csv").status_code == 302  # to the sign-in page
