"""What the API reads and writes: records in the scenario format with their three states of
(u) facts, the scenario parser's validation and paths, ETags, pages, pseudonymised views
for monitors, re-screening on writes, and problems as application/problem+json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api_support import ApiClient, Reply, clients, superuser_token, world
from thirdcountry.cases.models import Person, ScreeningRecord, ScreeningRun
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.registry.models import CourtOrder
from thirdcountry.scenario.parse import FORMAT

__all__ = ["clients", "world"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(clients: dict[str, ApiClient], world: None) -> ApiClient:
    """A client holding every permission (a superuser: no role records every fact)."""
    return ApiClient(superuser_token())


def test_a_person_reads_back_as_the_scenario_file_states_it(
    admin: ApiClient, seed_world_path: Path
) -> None:
    import json

    seed = json.loads(seed_world_path.read_text())
    for expected in seed["persons"]:
        reply = admin.get(f"persons/{expected['ref']}")
        assert reply.status == 200
        written = dict(expected)
        if isinstance(written.get("removal_decision"), dict):
            written["removal_decision"] = {
                "appeal_deadline": None,
                "appeal_pending": False,
                **written["removal_decision"],
            }
        for key in ("nationalities", "languages"):
            if key in written:
                written[key] = sorted(written[key])
        assert reply.body == written
    # P-106 knows nothing but names, nationalities and identity: the rest is left out.
    unknown = admin.get("persons/P-106").body
    assert set(unknown) == {"ref", "names", "nationalities", "identity_verified"}


def test_patch_changes_only_what_it_names_and_keeps_the_three_states(admin: ApiClient) -> None:
    before = admin.get("persons/P-106")
    reply = admin.patch(
        "persons/P-106",
        {"removal_decision": None, "convictions": [], "fit_to_travel": True},
        before.etag,
    )
    assert reply.status == 200, reply.body
    assert reply.body["removal_decision"] is None  # known: none exists
    assert reply.body["convictions"] == []  # known: none
    assert reply.body["fit_to_travel"] is True
    assert "birth_date" not in reply.body  # still unknown
    assert reply.body["nationalities"] == ["SD"]  # unchanged
    person = Person.objects.get(ref="P-106")
    assert person.removal_decision_recorded and person.removal_decision_date is None
    assert person.convictions_recorded and person.birth_date is None
    assert reply.etag != before.etag
    assert admin.get("persons/P-106").etag == reply.etag


def test_a_null_yes_no_fact_is_refused_and_put_makes_a_fact_unknown(admin: ApiClient) -> None:
    current = admin.get("persons/P-101")
    refused = admin.patch("persons/P-101", {"fit_to_travel": None}, current.etag)
    assert refused.status == 422
    assert refused.body["errors"] == [
        {
            "path": "fit_to_travel",
            "message": "null is not true or false (leave the key out when it is unknown)",
        }
    ]
    replacement = {k: v for k, v in current.body.items() if k != "fit_to_travel"}
    replaced = admin.put("persons/P-101", replacement, current.etag)
    assert replaced.status == 200
    assert "fit_to_travel" not in replaced.body
    assert Person.objects.get(ref="P-101").fit_to_travel is None


def test_invalid_input_lists_every_problem_by_its_path(admin: ApiClient) -> None:
    reply = admin.post(
        "transfers",
        {
            "ref": "T-900",
            "person": "P-999",
            "sending": "US",
            "destination": "XX",
            "arrangement": "US-RW-2025",
            "planned_date": "2025-02-30",
            "colour": "red",
        },
    )
    assert reply.status == 422
    assert reply.headers["Content-Type"] == "application/problem+json"
    assert set(reply.body) == {"type", "title", "status", "detail", "instance", "errors"}
    assert reply.body["instance"] == "/api/v1/transfers"
    errors = [(e["path"], e["message"]) for e in reply.body["errors"]]
    assert ("colour", errors[0][1]) == errors[0] and errors[0][1].startswith("unknown key")
    assert ("destination", '"XX" is not an ISO 3166-1 alpha-2 country code') in errors
    assert ("planned_date", '"2025-02-30" is not a real calendar date') in errors
    assert ("person", '"P-999" names no person') in errors
    assert not ScreeningRecord.objects.filter(transfer__ref="T-900").exists()


def test_a_transfer_must_match_its_arrangement_as_in_a_file(admin: ApiClient) -> None:
    reply = admin.post(
        "transfers",
        {
            "ref": "T-901",
            "person": "P-101",
            "sending": "GB",
            "destination": "RW",
            "arrangement": "US-RW-2025",
            "planned_date": "2025-10-01",
        },
    )
    assert reply.status == 422
    assert reply.body["errors"] == [
        {
            "path": "sending",
            "message": '"GB" differs from arrangement US-RW-2025\'s sending state "US"',
        }
    ]


def test_a_change_needs_the_current_etag(admin: ApiClient) -> None:
    missing = admin.patch("transfers/T-107", {"accepted_by_receiving": True})
    assert missing.status == 428
    stale = admin.patch("transfers/T-107", {"accepted_by_receiving": True}, '"stale"')
    assert stale.status == 412
    assert "accepted_by_receiving" not in admin.get("transfers/T-107").body
    current = admin.get("transfers/T-107").etag
    assert admin.patch("transfers/T-107", {"accepted_by_receiving": True}, current).status == 200
    # The same ETag again is now stale: the first change moved it on.
    assert admin.patch("transfers/T-107", {"accepted_by_receiving": False}, current).status == 412


def test_a_change_that_affects_a_verdict_rescreens_the_transfer(admin: ApiClient) -> None:
    assert admin.get("transfers/T-101/verdict").body["verdict"] == "clear"
    person = admin.get("persons/P-101")
    reply = admin.patch("persons/P-101", {"fit_to_travel": False}, person.etag)
    assert reply.status == 200
    verdict = admin.get("transfers/T-101/verdict").body
    assert verdict["verdict"] == "blocked"
    finding = next(f for f in verdict["findings"] if f["rule"] == "fit-to-travel")
    assert finding["outcome"] == "blocked"
    assert "Paposhvili" in finding["basis"]
    run = ScreeningRun.objects.get(pk=verdict["run"])
    assert run.created_by is not None and run.created_by.username == "api-superuser"
    history = Person.history.filter(ref="P-101").latest("history_date")
    assert history.history_user is not None
    assert history.history_user.username == "api-superuser"


def test_screening_now_returns_the_run_and_what_changed(admin: ApiClient) -> None:
    first = admin.post("transfers/T-101/screen")
    assert first.status == 200
    assert first.body["changed"] == []  # nothing changed since the last screening
    assert first.body["verdict"]["verdict"] == "clear"
    court_order = {
        "ref": "STAY-1",
        "kind": "stay",
        "issuer": "US District Court",
        "issued": "2025-08-30",
        "scope": {"arrangement": "US-RW-2025"},
    }
    assert admin.post("court_orders", court_order).status == 201
    # Recording the order re-screened T-101 already: it is blocked, and says why.
    verdict = admin.get("transfers/T-101/verdict").body
    assert verdict["verdict"] == "blocked"
    order = next(f for f in verdict["findings"] if f["rule"] == "court-order")
    assert "STAY-1" in order["reason"]


def test_monitors_see_people_through_pseudonyms_only(
    clients: dict[str, ApiClient], world: None
) -> None:
    monitor = clients["monitor"]
    assert monitor.get("persons/P-101").status == 404  # a ref names nobody for a monitor
    person = monitor.get(f"persons/{pseudonym('P-101')}").body
    assert person["ref"] == pseudonym("P-101")
    assert "names" not in person and "birth_date" not in person
    assert person["birth_year"] == 1988
    assert person["convictions"] == [{"sentence_end": "2024-12-20"}]
    transfer = monitor.get("transfers/T-100").body
    assert transfer["monitoring"] == [
        {"date": "2025-06-01", "kind": "support_delivered", "country": "RW"}
    ]
    verdict = monitor.get("transfers/T-101/verdict").body
    assert "facts_sha256" not in verdict
    minor = next(f for f in verdict["findings"] if f["rule"] == "unaccompanied-minor")
    assert "1988-02-11" not in minor["reason"] and "1988" in minor["reason"]
    payments = monitor.get("arrangements/GB-RW-2022").body["payments"]
    assert payments and all("note" not in p for p in payments)
    listed = monitor.get("persons").body["items"]
    assert all("names" not in p for p in listed)
    assert "Haidar" not in str(monitor.get("screenings", limit=500).body)


def test_lists_page_with_an_opaque_cursor_and_filter(admin: ApiClient) -> None:
    seen: list[str] = []
    reply = admin.get("transfers", limit=3)
    pages = 0
    while True:
        pages += 1
        seen += [t["ref"] for t in reply.body["items"]]
        if reply.body["next"] is None:
            break
        assert "limit=3" in reply.body["next"]
        reply = admin.get(reply.body["next"].split("testserver")[-1])
    assert pages == 3
    assert seen == [f"T-{n}" for n in range(100, 108)]
    blocked = admin.get("transfers", verdict="blocked").body["items"]
    assert {t["ref"] for t in blocked} == {"T-102", "T-103", "T-104", "T-105", "T-106"}
    to_rwanda = admin.get("transfers", destination="RW", status="proposed").body["items"]
    assert [t["ref"] for t in to_rwanda] == ["T-101", "T-102", "T-103", "T-104", "T-107"]
    in_september = admin.get("transfers", planned_from="2025-09-15", planned_to="2025-09-25").body[
        "items"
    ]
    assert [t["ref"] for t in in_september] == ["T-101", "T-103", "T-106"]
    in_force = admin.get("arrangements", status="in_force").body["items"]
    assert [a["ref"] for a in in_force] == ["US-RW-2025", "US-SV-2025"]
    active = admin.get("court_orders", active_on="2025-06-01").body["items"]
    assert [o["ref"] for o in active] == ["ECHR-R39-2022-06-14", "DMASS-2025-05-07-LY"]
    bad = admin.get("transfers", cursor="not-a-cursor")
    assert bad.status == 422
    assert bad.body["errors"][0]["path"] == "query.cursor"


def test_arrangements_grow_their_status_history_and_ledger(admin: ApiClient) -> None:
    reply = admin.post(
        "arrangements/US-RW-2025/status_history",
        {"date": "2025-08-31", "status": "suspended", "source": "talks paused"},
    )
    assert reply.status == 201
    assert reply.body["status_history"][-1] == {
        "date": "2025-08-31",
        "status": "suspended",
        "source": "talks paused",
    }
    assert admin.get("transfers/T-101/verdict").body["verdict"] == "blocked"
    payment = {
        "date": "2025-08-05",
        "amount": "100000.00",
        "currency": "USD",
        "kind": "committed",
        "payer": "US",
        "payee": "RW",
    }
    added = admin.post("arrangements/US-RW-2025/payments", payment)
    assert added.status == 201
    assert added.body["payments"] == [payment]
    wrong = admin.post("arrangements/US-RW-2025/payments", {**payment, "currency": "XYZ"})
    assert wrong.status == 422
    assert wrong.body["errors"] == [
        {"path": "currency", "message": '"XYZ" is not an ISO 4217 currency code'}
    ]
    refused = admin.patch("arrangements/US-RW-2025", {"receiving": "LY"}, '"x"')
    assert refused.status == 422


ORDER = "court_orders/ECHR-R39-2022-06-14"


def _changes(reply: Reply) -> dict[str, tuple[str | None, str]]:
    """Each transfer a correction or withdrawal re-screened: its verdict before and after."""
    return {
        change["transfer"]: (change["verdict_before"], change["verdict_after"])
        for run in reply.body["rescreened"]
        for change in run["changed"]
    }


def test_lifting_a_court_order_rescreens_what_it_covered(admin: ApiClient) -> None:
    assert admin.get("transfers/T-104/verdict").body["verdict"] == "blocked"
    order = admin.get(ORDER)
    lifted = admin.patch(ORDER, {"lifted": "2025-08-01"}, order.etag)
    assert lifted.status == 200, lifted.body
    assert lifted.body["court_order"]["lifted"] == "2025-08-01"
    assert lifted.body["reason"] == "lifted on 2025-08-01 (through the API)"
    after = admin.get("transfers/T-104/verdict").body["verdict"]
    assert _changes(lifted)["T-104"] == ("blocked", after)
    # The response's ETag is the order's: the next change names it.
    assert admin.get(ORDER).etag == lifted.etag
    before = admin.patch(ORDER, {"lifted": "2020-01-01"}, lifted.etag)
    assert before.status == 422
    assert before.body["errors"][0]["path"] == "lifted"


def _correct(admin: ApiClient, body: Any, etag: str, reason: str | None) -> Reply:
    query = {} if reason is None else {"reason": reason}
    return admin.request("PATCH", ORDER, body, {"If-Match": etag}, **query)


def test_correcting_a_court_order_needs_a_reason_and_rescreens_both_scopes(
    admin: ApiClient,
) -> None:
    etag = admin.get(ORDER).etag
    missing = _correct(admin, {"scope": {"person": "P-101"}}, etag, None)
    assert missing.status == 422
    assert missing.headers["Content-Type"] == "application/problem+json"
    assert [e["path"] for e in missing.body["errors"]] == ["reason"]
    refused = _correct(admin, {"ref": "X", "court": "ECHR"}, etag, "typo")
    assert refused.status == 422
    assert {e["path"] for e in refused.body["errors"]} == {"ref", "court"}
    nobody = _correct(admin, {"scope": {"person": "P-999"}}, etag, "wrong person")
    assert nobody.status == 422
    assert nobody.body["errors"][0]["path"].startswith("scope")

    reason = "the order names P-101, not P-104 (clerical error)"
    corrected = _correct(admin, {"scope": {"person": "P-101"}}, etag, reason)
    assert corrected.status == 200, corrected.body
    assert corrected.body["court_order"]["scope"]["person"] == "P-101"
    assert corrected.body["reason"] == reason
    # What it covered before (P-104) and what it covers now (P-101): one run each.
    assert len(corrected.body["rescreened"]) == 2
    assert all(reason in run["trigger"] for run in corrected.body["rescreened"])
    now = admin.get("transfers/T-104/verdict").body
    assert _changes(corrected)["T-104"] == ("blocked", now["verdict"])
    court = [f for f in now["findings"] if f["code"] and "court" in f["code"]]
    assert court and all(f["outcome"] != "blocked" for f in court), court
    latest = CourtOrder.history.filter(ref="ECHR-R39-2022-06-14").latest("history_date")
    assert latest.history_change_reason == reason
    stale = _correct(admin, {"issuer": "ECtHR"}, etag, "shorter")
    assert stale.status == 412


def _withdraw(client: ApiClient, etag: str | None, reason: str | None) -> Reply:
    headers = {} if etag is None else {"If-Match": etag}
    query = {} if reason is None else {"reason": reason}
    return client.request("DELETE", ORDER, None, headers, **query)


def test_withdrawing_a_court_order_needs_a_reason_and_rescreens_what_it_covered(
    admin: ApiClient, clients: dict[str, ApiClient]
) -> None:
    etag = admin.get(ORDER).etag
    assert _withdraw(clients["caseworker"], etag, "recorded in error").status == 403
    assert _withdraw(admin, None, "recorded in error").status == 428
    blank = _withdraw(admin, etag, "  ")
    assert blank.status == 422
    assert blank.headers["Content-Type"] == "application/problem+json"
    assert [e["path"] for e in blank.body["errors"]] == ["reason"]
    assert admin.get(ORDER).status == 200

    withdrawn = _withdraw(admin, etag, "recorded against the wrong person")
    assert withdrawn.status == 200, withdrawn.body
    assert withdrawn.body["court_order"] is None
    assert _changes(withdrawn)["T-104"][0] == "blocked"
    assert admin.get(ORDER).status == 404
    assert _withdraw(admin, etag, "again").status == 404
    gone = CourtOrder.history.filter(ref="ECHR-R39-2022-06-14").latest("history_date")
    assert (gone.history_type, gone.history_change_reason) == (
        "-",
        "recorded against the wrong person",
    )


def test_check_screens_a_document_without_storing_it(
    admin: ApiClient, seed_world_path: Path, seed_world_expected: dict[str, Any]
) -> None:
    import json

    runs = ScreeningRun.objects.count()
    reply = admin.post("check", json.loads(seed_world_path.read_text()))
    assert reply.status == 200
    assert reply.body["format"] == "thirdcountry/verdicts@1"
    assert reply.body["as_of"] == seed_world_expected["as_of"]
    got = [(r["transfer"], r["verdict"]) for r in reply.body["results"]]
    assert got == [(e["transfer"], e["verdict"]) for e in seed_world_expected["expected"]]
    assert all(f["basis"] for r in reply.body["results"] for f in r["findings"])
    assert ScreeningRun.objects.count() == runs
    refused = admin.post("check", {"format": FORMAT, "transfers": [{"ref": "T-1"}]})
    assert refused.status == 422
    assert {"path": "transfers[0].person", "message": "required key is missing"} in refused.body[
        "errors"
    ]


def test_errors_never_show_a_stack_trace(admin: ApiClient) -> None:
    reply = admin.request("POST", "persons", None)
    assert reply.status == 422
    raw = admin.client.post(
        "/api/v1/persons",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {admin.token}"},
    )
    assert raw.status_code == 422
    assert raw["Content-Type"] == "application/problem+json"
    assert b"Traceback" not in raw.content


def test_check_of_a_world_with_no_transfers_has_no_results(admin: ApiClient) -> None:
    reply = admin.post("check", {"format": FORMAT, "as_of": "2025-01-01"})
    assert reply.status == 200
    assert reply.body == {
        "format": "thirdcountry/verdicts@1",
        "as_of": "2025-01-01",
        "catalog": "2026.1",
        "results": [],
    }


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "transfers",
            {
                "ref": "T-902",
                "person": "P-101\x00",
                "sending": "US",
                "destination": "RW",
                "arrangement": "US-RW-2025\x00",
                "planned_date": "2025-10-01",
            },
        ),
        (
            "court_orders",
            {
                "ref": "CO-902",
                "kind": "stay",
                "issuer": "a court",
                "issued": "2025-10-01",
                "scope": {"person": "P-101\x00"},
            },
        ),
        ("court_orders", {"ref": "CO-903", "scope": {"arrangement": "\x00"}}),
        ("persons", {"ref": "P-902", "names": ["A\x00B"]}),
    ],
    ids=["transfer", "court order of a person", "court order of an arrangement", "person"],
)
def test_text_with_a_nul_byte_is_refused_not_looked_up(
    admin: ApiClient, path: str, body: dict[str, Any]
) -> None:
    """PostgreSQL cannot store or even compare text holding a NUL byte: such a ref or name is
    refused as invalid input, never sent to the database."""
    reply = admin.post(path, body)
    assert reply.status == 422, reply.body
    assert reply.headers["Content-Type"] == "application/problem+json"
