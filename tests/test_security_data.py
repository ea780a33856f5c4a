"""Security and the data's life cycle: least privilege for administrators, no hard deletes
of case data outside the services, an audit trail that covers accounts and history and
refuses verdicts no completed run accounts for; erasure, retention, backup and restore."""

from __future__ import annotations

import importlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from thirdcountry.accounts.roles import may
from thirdcountry.accounts.services import create_user
from thirdcountry.accounts.tokens import create_token, revoke_token
from thirdcountry.cases.models import Erasure, Person, ScreeningRecord, ScreeningRun, Transfer
from thirdcountry.cases.services import screen_stored
from thirdcountry.cli.main import app
from thirdcountry.history import save_with_history
from thirdcountry.oversight import audit
from thirdcountry.oversight.services import TOMBSTONE, closed_cases
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(seed_world_path: Path, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def problems() -> list[str]:
    return [str(p) for p in audit.verify().problems]


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


# -- least privilege ---------------------------------------------------------------------------


def test_an_administrator_manages_accounts_but_records_no_case_fact(world: None) -> None:
    administrator = create_user("admin-1", "administrator")
    assert not administrator.is_superuser and administrator.is_staff
    for permission in ("auth.change_user", "auth.change_group", "cases.erase_person"):
        assert may(administrator, permission), permission
    for permission in (
        "cases.change_person",
        "cases.add_transfer",
        "cases.change_transfer",
        "cases.record_decision",
        "registry.add_courtorder",
        "registry.add_payment",
    ):
        assert not may(administrator, permission), permission


def test_an_administrator_cannot_make_anyone_a_superuser(world: None) -> None:
    administrator = create_user("admin-1", "administrator", password="long enough pass 1")
    monitor = create_user("monitor-1", "monitor")
    client = Client()
    client.force_login(administrator)
    page = client.get(f"/admin/auth/user/{monitor.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    data = {
        "username": "monitor-1",
        "is_active": "on",
        "is_staff": "",
        "is_superuser": "on",
        "groups": [Group.objects.get(name="monitor").pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    client.post(f"/admin/auth/user/{monitor.pk}/change/", data)
    monitor.refresh_from_db()
    assert not monitor.is_superuser


# -- no hard deletes of case data ----------------------------------------------------------------


def test_the_admin_offers_no_delete_of_case_records(world: None) -> None:
    superuser = User.objects.create_superuser("root", password="long enough pass 1")
    client = Client()
    client.force_login(superuser)
    transfer = Transfer.objects.get(ref="T-101")
    person = Person.objects.get(ref="P-101")
    assert client.get(f"/admin/cases/transfer/{transfer.pk}/delete/").status_code == 403
    assert client.get(f"/admin/cases/person/{person.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/cases/transfer/", {"action": "delete_selected", "_selected_action": [transfer.pk]}
    )
    assert Transfer.objects.filter(pk=transfer.pk).exists(), response.status_code
    assert audit.verify().ok


# -- the audit trail covers accounts and history -------------------------------------------------


def test_accounts_roles_and_tokens_changed_through_the_application_verify(world: None) -> None:
    monitor = create_user("monitor-1", "monitor")
    token, _ = create_token(monitor, "laptop")
    monitor.groups.add(Group.objects.get(name="caseworker"))
    monitor.groups.remove(Group.objects.get(name="caseworker"))
    revoke_token(token)
    monitor.first_name = "Changed"
    monitor.save()
    assert audit.verify().ok, problems()
    labels = set(audit.audited_models())
    assert User in labels and User.groups.through in labels


def test_a_monitor_made_superuser_without_an_entry_is_named(world: None) -> None:
    monitor = create_user("monitor-1", "monitor")
    assert audit.verify().ok
    sql("UPDATE auth_user SET is_superuser = %s WHERE id = %s", [True, monitor.pk])
    assert f"record auth.user {monitor.pk}: the stored record does not match" in " ".join(
        problems()
    )


def test_a_role_or_token_slipped_in_without_an_entry_is_named(world: None) -> None:
    monitor = create_user("monitor-1", "monitor")
    token, _ = create_token(monitor, "laptop")
    caseworker = Group.objects.get(name="caseworker")
    sql(
        "INSERT INTO auth_user_groups (user_id, group_id) VALUES (%s, %s)",
        [monitor.pk, caseworker.pk],
    )
    sql("UPDATE accounts_apitoken SET revoked_at = NULL, name = 'x' WHERE id = %s", [token.pk])
    found = " ".join(problems())
    assert "auth.user_groups" in found and "it has no entry in the log" in found
    assert f"record accounts.apitoken {token.pk}" in found


def test_deleted_or_changed_history_is_named(world: None) -> None:
    person = Person.objects.get(ref="P-103")
    history = person.history.order_by("history_id").first()
    assert history is not None
    sql("DELETE FROM cases_historicalperson WHERE history_id = %s", [history.history_id])
    found = problems()
    assert any(
        f"cases.historicalperson {history.history_id}" in p and "gone" in p for p in found
    ), found
    name = person.names.get().history.first()
    assert name is not None
    sql(
        "UPDATE cases_historicalpersonname SET name = 'Someone' WHERE history_id = %s",
        [name.history_id],
    )
    assert any(
        f"cases.historicalpersonname {name.history_id}" in p and "does not match" in p
        for p in problems()
    )


# -- verdicts no completed, logged run accounts for ---------------------------------------------


def test_verdicts_of_an_interrupted_run_fail_verification_until_it_completes(
    world: None, interrupted_run: ScreeningRun
) -> None:
    run = interrupted_run
    found = problems()
    assert any(f"run {run.pk}, which is running" in p for p in found), found
    assert cli("rescreen", "--resume", str(run.pk), "--all")[0] == 2
    assert cli("rescreen", "--resume", "987654")[0] == 2
    code, output = cli("rescreen", "--resume", str(run.pk))
    assert code == 0, output
    run.refresh_from_db()
    assert run.status == "complete"
    assert audit.verify().ok, problems()
    assert cli("rescreen", "--resume", str(run.pk))[0] == 2


def test_a_forged_clear_under_a_fake_running_run_fails_verification(world: None) -> None:
    fake = ScreeningRun.objects.create(
        trigger="nothing",
        scope={"all": True},
        as_of="2025-09-01",
        catalog="2026.1",
        status="running",
    )
    screening = ScreeningRecord.objects.filter(verdict="blocked").first()
    assert screening is not None
    columns = [
        f.column
        for f in ScreeningRecord._meta.concrete_fields
        if f.column not in ("id", "verdict", "run_id")
    ]
    names = ", ".join(columns)
    sql(
        f"INSERT INTO cases_screening ({names}, verdict, run_id) SELECT {names}, 'clear', %s "
        "FROM cases_screening WHERE id = %s",
        [fake.pk, screening.pk],
    )
    result = audit.verify()
    assert not result.ok
    assert any(f"run {fake.pk}, which is running" in str(p) for p in result.problems)


# -- erasure and retention -----------------------------------------------------------------------


def _close_case(ref: str) -> None:
    for transfer in Transfer.objects.filter(person__ref=ref, status="proposed"):
        transfer.status = "cancelled"
        save_with_history(transfer, None, "withdrawn")


def _everything_stored() -> str:
    """Every value of every table, as text."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(out)


def test_an_erased_person_is_in_no_table_and_the_trail_verifies(world: None) -> None:
    person = Person.objects.get(ref="P-102")
    _close_case("P-102")
    alias = person.names.get(seq=1)
    alias.name = "Omer Qasim"
    save_with_history(alias, None, "spelling corrected")
    stored = _everything_stored()
    assert "Omar K." in stored and "Omer Qasim" in stored and "1991-07-30" in stored
    code, output = cli("erase", "P-102", "--reason", "request of the person, ref 2026/17")
    assert code == 0, output
    stored = _everything_stored()
    for personal in ("Omar K", "omar k", "Omer Q", "qasim", "1991-07-30", "assault"):
        where = [line for line in stored.lower().splitlines() if personal.lower() in line]
        assert not where, (personal, where[:3])
    assert set(person.names.values_list("name", flat=True)) == {TOMBSTONE}
    # the transfers (and so the statistics) stay
    assert Transfer.objects.filter(person=person).count() == 1
    assert audit.verify().ok, problems()
    entry = audit.head()
    assert Erasure.objects.get(person=person).reason.startswith("request of the person")
    assert audit.verify(entry.hash).ok


def test_erasure_is_refused_while_a_transfer_is_proposed_or_twice(world: None) -> None:
    code, output = cli("erase", "P-104", "--reason", "request")
    assert code == 2 and "proposed transfers (T-104)" in output
    assert cli("erase", "P-999", "--reason", "request")[0] == 2
    assert cli("erase", "P-104", "--reason", " ")[0] == 2
    _close_case("P-104")
    assert cli("erase", "P-104", "--reason", "request")[0] == 0
    code, output = cli("erase", "P-104", "--reason", "request")
    assert code == 2 and "already erased" in output


def test_retention_erases_cases_closed_longer_than_the_period(world: None) -> None:
    _close_case("P-104")
    _close_case("P-105")
    assert not closed_cases(30).exists()
    code, output = cli("retention", "--dry-run", "--days", "30")
    assert code == 0 and "0 case(s)" in output
    # P-104's case closed 40 days ago; P-105's yesterday
    long_ago = timezone.now() - timedelta(days=40)
    Transfer.history.filter(person_id=Person.objects.get(ref="P-104").pk).update(
        history_date=long_ago
    )
    code, output = cli("retention", "--dry-run", "--days", "30")
    assert code == 0 and "P-104" in output and "1 case(s)" in output, output
    assert not Erasure.objects.exists()
    code, output = cli("retention", "--apply", "--days", "30")
    assert code == 0 and "P-104" in output
    assert Erasure.objects.get().person.ref == "P-104"
    assert "0 case(s)" in cli("retention", "--dry-run", "--days", "30")[1]
    assert audit.verify().ok, problems()


def test_retention_needs_a_period_and_one_mode(world: None, settings: Any) -> None:
    settings.THIRDCOUNTRY_RETENTION_DAYS = None
    assert cli("retention", "--dry-run")[0] == 2
    assert cli("retention", "--dry-run", "--apply", "--days", "3")[0] == 2
    assert cli("retention", "--days", "3")[0] == 2
    assert cli("retention", "--dry-run", "--days", "0")[0] == 2
    settings.THIRDCOUNTRY_RETENTION_DAYS = 3650
    assert cli("retention", "--dry-run")[0] == 0


# -- backup and restore --------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    from thirdcountry.oversight.models import AuditEntry, AuditItem

    return {
        "persons": Person.objects.count(),
        "history": Person.history.count(),
        "screenings": ScreeningRecord.objects.count(),
        "runs": ScreeningRun.objects.count(),
        "users": User.objects.count(),
        "entries": AuditEntry.objects.count(),
        "items": AuditItem.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_verifies(
    seed_world_path: Path, tmp_path: Path, settings: Any
) -> None:
    from django.core.management import call_command

    from thirdcountry.accounts.models import ApiToken

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A transactional test before this one (in the same process) flushed the database, and
    # with it what the data migrations put there: put it back as they do.
    from django.apps import apps

    from thirdcountry.registry.models import Country

    if not Country.objects.exists():
        for module, step in (
            ("registry.migrations.0002_reference_codes", "fill"),
            ("oversight.migrations.0002_baseline", "baseline"),
            ("oversight.migrations.0003_audit_accounts_and_history", "baseline"),
        ):
            getattr(importlib.import_module(f"thirdcountry.{module}"), step)(apps, None)
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()
    create_token(create_user("monitor-1", "monitor"), "laptop")
    before = _counts()
    head = audit.head().hash
    backup = tmp_path / "thirdcountry.backup"
    backup.write_text("an older file, replaced whole")
    code, output = cli("backup", "-o", str(backup))
    assert code == 0, output
    # A database that holds records is not overwritten by accident.
    code, output = cli("restore", str(backup))
    assert code == 2 and "fresh" in output
    call_command("flush", interactive=False, verbosity=0)
    assert Person.objects.count() == 0 and User.objects.count() == 0
    code, output = cli("restore", str(backup))
    assert code == 0, output
    assert _counts() == before
    assert ApiToken.objects.get().user.username == "monitor-1"
    code, output = cli("audit", "verify", "--head", head)
    assert code == 0, output


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a backup")
    code, output = cli("restore", str(other))
    assert code == 2 and "not a thirdcountry backup" in " ".join(output.split())
    assert cli("restore", str(tmp_path / "missing"))[0] == 2
    assert cli("backup", "-o", str(tmp_path / "no" / "such" / "dir" / "file"))[0] == 2


def test_an_administrator_erases_a_person_in_the_app(world: None) -> None:
    administrator = create_user("admin-1", "administrator")
    caseworker = create_user("case-1", "caseworker")
    client = Client()
    client.force_login(caseworker)
    assert client.get("/people/P-104/erase/").status_code == 403
    client.force_login(administrator)
    assert "/people/P-104/erase/" in client.get("/people/P-104/").content.decode()
    form = client.get("/people/P-104/erase/")
    assert form.status_code == 200 and "Samuel T." not in form.content.decode()
    refused = client.post("/people/P-104/erase/", {"reason": "request"})
    assert "proposed transfers (T-104)" in refused.content.decode()
    _close_case("P-104")
    assert "errorlist" in client.post("/people/P-104/erase/", {"reason": "  "}).content.decode()
    done = client.post("/people/P-104/erase/", {"reason": "request of the person"})
    assert done.status_code == 302
    erasure = Erasure.objects.get(person__ref="P-104")
    assert erasure.actor == "admin-1" and erasure.reason == "request of the person"
    assert "request of the person" in client.get("/people/P-104/erase/").content.decode()
    assert audit.verify().ok, problems()


def test_the_erasure_page_speaks_french(world: None) -> None:
    client = Client()
    client.force_login(create_user("admin-1", "administrator"))
    page = client.get("/people/P-104/erase/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Effacer les données personnelles" in page.content.decode()
