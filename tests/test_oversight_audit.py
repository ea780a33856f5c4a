"""The audit trail: every write reaches it, and tampering with the log or the records by
going around the application is found and named."""

from __future__ import annotations

import json
import re
import runpy
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import pytest
from django.db import connection, transaction
from typer.testing import CliRunner

from thirdcountry.accounts.services import create_user
from thirdcountry.cases import legal_events
from thirdcountry.cases import services as case_services
from thirdcountry.cases.models import Person, ScreeningRecord
from thirdcountry.cases.services import screen_stored
from thirdcountry.cli.main import app
from thirdcountry.oversight import audit
from thirdcountry.oversight.models import AuditEntry, AuditHead, AuditItem, AuditVerification
from thirdcountry.records.export import export_court_orders
from thirdcountry.records.load import load_scenario_records
from thirdcountry.registry.models import CourtOrder
from thirdcountry.scenario import loads_scenario
from thirdcountry.scenario.model import CourtOrderScope

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parent.parent / "docs" / "audit-trail.md"


@pytest.fixture
def world(seed_world_path: Path) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def problems(result: audit.Verification) -> list[str]:
    return [str(p) for p in result.problems]


def test_a_loaded_and_screened_world_verifies(world: None) -> None:
    result = audit.verify()
    assert result.ok, problems(result)
    models = set(AuditEntry.objects.values_list("model", flat=True))
    assert {"cases.person", "cases.transfer", "registry.arrangement", "registry.country"} <= (
        models
    )
    # one entry per batch: the load's 8 transfers are one entry, not 8
    transfers = AuditEntry.objects.filter(model="cases.transfer")
    assert transfers.count() == 1 and transfers.get().item_count == 8
    run = AuditEntry.objects.get(action="screening_run")
    assert run.detail["screenings"]["count"] == 7
    assert run.detail["counts_after"] == {"clear": 1, "review": 1, "blocked": 5, "unscreened": 0}
    assert audit.last_verification() is not None and audit.last_verification().ok


def test_a_transactions_entries_are_linked_in_the_order_written() -> None:
    """Entries written in one transaction take the next places of the chain, in order."""
    start = audit.head().seq
    with transaction.atomic():
        for number in range(11):
            audit.append("note", reason=f"note {number}")
    entries = list(AuditEntry.objects.filter(seq__gt=start).order_by("id").values("seq", "reason"))
    assert entries == [{"seq": start + 1 + n, "reason": f"note {n}"} for n in range(11)]
    assert audit.head().seq == start + 11
    assert audit.verify().ok


def test_each_write_through_a_service_is_logged_with_who_why_before_and_after(
    world: None,
) -> None:
    user = create_user("lo", "legal_officer")
    person = Person.objects.get(ref="P-103")
    before = audit.head().seq
    case_services.record_fear_claim(person, "SD", "pending", user=user)
    claim, run = AuditEntry.objects.filter(seq__gt=before).order_by("seq")
    assert (claim.action, claim.model, claim.actor) == ("create", "cases.fearclaim", "lo")
    assert claim.reason == "fear claim about SD: pending"
    item = claim.items.get()
    assert item.before is None and item.after is not None and item.history_id is not None
    assert (run.action, run.actor) == ("screening_run", "lo")
    before = audit.head().seq
    case_services.set_person_facts(person, user=user, fit_to_travel=False)
    person_entry = AuditEntry.objects.filter(seq__gt=before).order_by("seq").first()
    assert person_entry is not None
    assert (person_entry.action, person_entry.model) == ("update", "cases.person")
    person_item = person_entry.items.get()
    assert person_item.before is not None and person_item.before != person_item.after
    # the before digest is the after digest the load logged for the person
    loaded = AuditItem.objects.filter(model="cases.person", object_id=str(person.pk)).first()
    assert loaded is not None and loaded.after == person_item.before
    assert audit.verify().ok


def test_a_legal_event_logs_its_record_and_its_run(world: None) -> None:
    before = audit.head().seq
    legal_events.record_court_order(
        "STAY-9", "stay", "court", date(2025, 8, 30), CourtOrderScope(arrangement="US-RW-2025")
    )
    actions = list(
        AuditEntry.objects.filter(seq__gt=before).order_by("seq").values_list("action", "model")
    )
    assert actions == [("create", "registry.courtorder"), ("screening_run", "cases.screeningrun")]
    assert audit.verify().ok


def test_a_corrected_and_a_withdrawn_court_order_are_logged_with_their_reasons(
    world: None,
) -> None:
    before = audit.head().seq
    order = CourtOrder.objects.get(ref="ECHR-R39-2022-06-14")
    corrected = msgspec.structs.replace(export_court_orders([order.ref])[0], issuer="ECtHR")
    legal_events.correct_court_order(order, corrected, "issuer abbreviated")
    legal_events.withdraw_court_order(CourtOrder.objects.get(ref=order.ref), "wrong case")
    logged = list(
        AuditEntry.objects.filter(seq__gt=before, model="registry.courtorder")
        .order_by("seq")
        .values_list("action", "reason")
    )
    assert logged == [("update", "issuer abbreviated"), ("delete", "wrong case")]
    assert audit.verify().ok


def test_the_head_is_the_last_entry_and_a_kept_head_stays_in_the_chain(world: None) -> None:
    kept = audit.head()
    assert AuditHead.objects.get().hash == kept.hash
    legal_events.record_assessment("RW", date(2025, 8, 1), True, "report")
    assert audit.head().seq > kept.seq
    assert audit.verify(kept.hash).ok
    assert not audit.verify("f" * 64).ok


# -- tampering, each found and named -------------------------------------------------------------


def verify_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", "verify", *args])
    return result.exit_code, result.output


def test_a_changed_entry_is_named(world: None) -> None:
    sql("UPDATE oversight_auditentry SET actor = 'mallory' WHERE seq = 5")
    code, output = verify_cli()
    assert code == 1
    assert "entry 5" in output and "hash does not match" in output


def test_a_deleted_entry_is_named(world: None) -> None:
    entry = AuditEntry.objects.get(seq=6)
    sql("DELETE FROM oversight_audititem WHERE entry_id = %s", [entry.pk])
    sql("DELETE FROM oversight_auditentry WHERE id = %s", [entry.pk])
    result = audit.verify()
    assert not result.ok
    assert "entry 7: entry 6 is missing" in str(result.first_problem)
    code, output = verify_cli("--chain-only")
    assert code == 1 and "entry 6 is missing" in output


def test_an_entry_deleted_with_its_items_left_is_named(world: None) -> None:
    # The database does not hold items to their entries: what is left of a deleted entry
    # is found by the verification, as the missing entry is.
    entry = AuditEntry.objects.get(seq=6)
    items = AuditItem.objects.filter(entry=entry).count()
    assert items
    sql("DELETE FROM oversight_auditentry WHERE id = %s", [entry.pk])
    found = problems(audit.verify())
    assert f"{items} items name no entry of the log" in found
    assert any("entry 6 is missing" in p for p in found)


def test_an_inserted_entry_is_named(world: None) -> None:
    last = audit.head()
    # a forger who knows the algorithm: a well-formed entry, but the head row says otherwise
    payload = audit.entry_payload(
        seq=last.seq + 1,
        at="2025-09-01T00:00:00.000000Z",
        actor="mallory",
        action="update",
        model="",
        reason="",
        detail={},
        item_count=0,
        items_sha256=audit.items_sha256([]),
        prev_hash=last.hash,
    )
    sql(
        "INSERT INTO oversight_auditentry (seq, at, actor, action, model, reason, detail, "
        "item_count, items_sha256, prev_hash, hash) VALUES "
        "(%s, %s, 'mallory', 'update', '', '', %s, 0, %s, %s, %s)",
        [
            last.seq + 1,
            "2025-09-01 00:00:00",
            "{}",
            audit.items_sha256([]),
            last.hash,
            audit.entry_hash(payload),
        ],
    )
    result = audit.verify()
    assert not result.ok
    assert any(f"entry {last.seq + 1}" in p for p in problems(result))
    # and one inserted in the middle breaks the order there
    sql("UPDATE oversight_auditentry SET seq = 1000 WHERE seq = 3")
    sql(
        "INSERT INTO oversight_auditentry (seq, at, actor, action, model, reason, detail, "
        "item_count, items_sha256, prev_hash, hash) VALUES "
        "(3, %s, '', 'update', '', '', %s, 0, %s, %s, %s)",
        ["2025-09-01 00:00:00", "{}", audit.items_sha256([]), "0" * 64, "a" * 64],
    )
    assert "entry 3:" in problems(audit.verify())[0]


def test_reordered_entries_are_named(world: None) -> None:
    sql("UPDATE oversight_auditentry SET seq = 100000 WHERE seq = 5")
    sql("UPDATE oversight_auditentry SET seq = 5 WHERE seq = 6")
    sql("UPDATE oversight_auditentry SET seq = 6 WHERE seq = 100000")
    result = audit.verify()
    assert not result.ok
    assert str(result.first_problem).startswith("entry 5:")


def test_a_record_changed_without_an_entry_is_named(world: None) -> None:
    person = Person.objects.get(ref="P-105")
    latest = (
        AuditItem.objects.filter(model="cases.person", object_id=str(person.pk))
        .order_by("-entry__seq")
        .values_list("entry__seq", flat=True)
        .first()
    )
    sql("UPDATE cases_person SET fit_to_travel = %s WHERE id = %s", [False, person.pk])
    code, output = verify_cli()
    assert code == 1
    assert f"entry {latest}, record cases.person {person.pk}" in output
    assert "changed without an entry" in output


def test_a_record_inserted_or_deleted_without_an_entry_is_named(world: None) -> None:
    person = Person.objects.get(ref="P-101")
    sql(
        "INSERT INTO cases_personname (person_id, seq, name) VALUES (%s, 9, 'Someone Else')",
        [person.pk],
    )
    name_id = Person.objects.get(ref="P-101").names.get(seq=9).pk
    sql("DELETE FROM cases_monitoringentry")
    found = problems(audit.verify())
    assert f"record cases.personname {name_id}: it has no entry in the log" in found
    assert any("cases.monitoringentry" in p and "gone" in p for p in found)


def test_a_changed_screening_is_named_by_its_run(world: None) -> None:
    screening = ScreeningRecord.objects.filter(verdict="blocked").first()
    assert screening is not None
    run_entry = AuditEntry.objects.get(action="screening_run")
    sql("UPDATE cases_screening SET verdict = 'clear' WHERE id = %s", [screening.pk])
    found = problems(audit.verify())
    assert any(p.startswith(f"entry {run_entry.seq}") and "screenings run" in p for p in found), (
        found
    )
    columns = [
        f.column
        for f in ScreeningRecord._meta.concrete_fields
        if f.column not in ("id", "verdict", "run_id")
    ]
    names = ", ".join(columns)
    sql(
        f"INSERT INTO cases_screening ({names}, verdict) SELECT {names}, 'clear' "
        "FROM cases_screening WHERE id = %s",
        [screening.pk],
    )
    assert any("of no run have no entry" in p for p in problems(audit.verify()))


def test_a_latest_verdict_that_points_nowhere_is_named(world: None) -> None:
    # The latest-screening table has no foreign keys; verification finds what they would.
    screening = ScreeningRecord.objects.filter(verdict="blocked").first()
    assert screening is not None
    sql(
        "UPDATE cases_latestscreening SET screening_id = 987654321 WHERE transfer_id = %s",
        [screening.transfer_id],
    )
    found = problems(audit.verify())
    assert any("latest verdict does not match its latest screening" in p for p in found), found
    sql(
        "INSERT INTO cases_latestscreening (transfer_id, screening_id, verdict, catalog, "
        "outcomes, findings) VALUES (987654321, %s, 'clear', '2026.1', '', '')",
        [screening.pk],
    )
    assert any(
        "cases.latestscreening 987654321" in p and "does not match" in p
        for p in problems(audit.verify())
    )


def test_verify_records_its_outcome(world: None) -> None:
    sql("UPDATE oversight_auditentry SET reason = 'x' WHERE seq = 4")
    audit.verify(actor="monitor")
    last = AuditVerification.objects.order_by("-id").first()
    assert last is not None and not last.ok and last.problem_count >= 1
    assert last.problems[0]["entry"] == 4


# -- a monitor checks an export with their own code ----------------------------------------------


def doc_verifier(folder: Path) -> Any:
    """The verifier program printed in docs/audit-trail.md, loaded as it is written (from a
    file in ``folder``)."""
    text = DOC.read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S)
    assert code is not None
    program = folder / "audit_doc_verifier.py"
    program.write_text(code.group(1))
    return runpy.run_path(str(program))["check"]


def test_the_documented_verifier_checks_an_export(world: None, tmp_path: Path) -> None:
    check = doc_verifier(tmp_path)
    kept = audit.head().hash
    case_services.set_person_facts(Person.objects.get(ref="P-101"), fit_to_travel=False)
    exported = tmp_path / "log.jsonl"
    result = CliRunner().invoke(app, ["audit", "export", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    assert check(exported, kept) == []
    lines = exported.read_text().splitlines()
    header = json.loads(lines[0])
    assert header["head"]["hash"] == audit.head().hash
    assert len(lines) - 1 == audit.head().seq
    # the monitor's copy is altered: one entry's reason
    entry = json.loads(lines[5])
    entry["reason"] = "something else"
    lines[5] = json.dumps(entry)
    exported.write_text("\n".join(lines) + "\n")
    assert check(exported, kept) == [f"entry {entry['seq']}: hash does not match its contents"]
    assert check(exported, "0" * 63 + "1")[-1].startswith("the kept head")


# -- coverage ------------------------------------------------------------------------------------


def test_every_model_of_the_audited_apps_is_covered() -> None:
    labels = {audit.model_label(m) for m in audit.audited_models()}
    assert {"cases.person", "cases.transfer", "cases.screening", "registry.payment"} <= labels
    assert not any(
        label.startswith(("cases.historical", "registry.historical")) for label in labels
    )


def test_records_written_around_the_application_can_be_logged(world: None) -> None:
    person = Person.objects.get(ref="P-106")
    sql("UPDATE cases_person SET accompanied = %s WHERE id = %s", [True, person.pk])
    assert not audit.verify().ok
    logged = audit.log_records(
        Person.objects.filter(pk=person.pk), action="update", reason="data migration"
    )
    assert logged == 1
    assert audit.verify().ok
