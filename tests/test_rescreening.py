"""Legal events re-screen exactly the pending transfers they can affect, as recorded runs."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import polars as pl
import pytest
from django.db import connection, transaction
from django.db.models import QuerySet

from thirdcountry.cases import engine_reads, legal_events, rescreening, run_scope, tasks
from thirdcountry.cases import services as case_services
from thirdcountry.cases.models import (
    LatestScreening,
    Person,
    RunChange,
    ScreeningRecord,
    ScreeningRun,
    Transfer,
)
from thirdcountry.cases.services import screen_stored
from thirdcountry.oversight.audit.runs import JIT_FROM, run_digests
from thirdcountry.oversight.findings import shown_changes, shown_findings
from thirdcountry.records.export import export_transfers
from thirdcountry.records.load import load_scenario_records
from thirdcountry.records.services import save_transfer
from thirdcountry.registry.models import Arrangement, CatalogChoice, ScreeningDefaults
from thirdcountry.registry.selectors import run_settings
from thirdcountry.rules import catalogs
from thirdcountry.scenario import loads_scenario
from thirdcountry.scenario.model import CourtOrderScope, Notice, Parameters

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 9, 1)


@pytest.fixture
def world(seed_world_path: Path) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()


def reasons(run: Any, change: Any) -> list[str]:
    """The reasons of the rules a run changed for one transfer, in English."""
    shown = shown_changes(run.catalog, change.rules_changed, personal=True, language="en")
    return [c["reason"] for c in shown]


def latest_screenings() -> QuerySet[ScreeningRecord, ScreeningRecord]:
    """The latest stored screening of each transfer."""
    latest = LatestScreening.objects.values("screening_id")
    return ScreeningRecord.objects.filter(id__in=latest).order_by("transfer_id")


def changes(run: ScreeningRun) -> dict[str, RunChange]:
    return {c.transfer.ref: c for c in run.changes.select_related("transfer")}


def latest_verdict(ref: str) -> str:
    return str(ScreeningRecord.objects.filter(transfer__ref=ref).latest("id").verdict)


def test_a_court_order_on_an_arrangement_rescreens_its_transfers(world: None) -> None:
    order, run = legal_events.record_court_order(
        "STAY-1",
        "stay",
        "US District Court",
        date(2025, 8, 30),
        CourtOrderScope(arrangement="US-RW-2025"),
    )
    assert run.status == "complete"
    assert run.transfers_in_scope == 4
    assert set(changes(run)) == {"T-101", "T-102", "T-103", "T-107"}
    change = changes(run)["T-101"]
    assert (change.verdict_before, change.verdict_after) == ("clear", "blocked")
    assert [r["rule"] for r in change.rules_changed] == ["court-order"]
    assert "STAY-1" in reasons(run, change)[0]
    assert run.counts_before == {"clear": 1, "review": 1, "blocked": 2, "unscreened": 0}
    assert run.counts_after == {"clear": 0, "review": 0, "blocked": 4, "unscreened": 0}
    lifted = legal_events.lift_court_order(order, date(2025, 8, 31))
    assert set(changes(lifted)) == {"T-101", "T-102", "T-103", "T-107"}
    assert latest_verdict("T-101") == "clear"


@pytest.mark.parametrize(
    ("scope", "covered"),
    [
        (CourtOrderScope(person="P-105"), {"T-105", "T-106"}),
        (CourtOrderScope(sending="US", destination="RW"), {"T-101", "T-102", "T-103", "T-107"}),
        (CourtOrderScope(sending="GB"), {"T-104"}),
    ],
)
def test_each_order_scope_rescreens_what_it_covers(
    world: None, scope: CourtOrderScope, covered: set[str]
) -> None:
    _, run = legal_events.record_court_order("O-1", "injunction", "court", date(2025, 8, 1), scope)
    assert set(run_scope.pending_transfers(run.scope).values_list("ref", flat=True)) == covered
    assert run.transfers_in_scope == len(covered)
    # T-104 is already blocked by another order, so its court-order reason changes too
    assert set(changes(run)) == covered


def test_an_arrangement_status_change_rescreens_its_transfers(world: None) -> None:
    arrangement = Arrangement.objects.get(ref="US-SV-2025")
    run = legal_events.record_arrangement_status(
        arrangement, date(2025, 8, 20), "suspended", "court ruling"
    )
    assert run.transfers_in_scope == 1
    assert set(changes(run)) == {"T-105"}
    rules = changes(run)["T-105"].rules_changed
    assert [r["rule"] for r in rules] == ["arrangement-in-force"]
    assert rules[0]["before"] == "pass" and rules[0]["after"] == "blocked"


def test_a_country_assessment_rescreens_transfers_to_that_country(world: None) -> None:
    run = legal_events.record_assessment("SV", date(2025, 8, 1), True, "UNHCR")
    assert run.transfers_in_scope == 1
    change = changes(run)["T-105"]
    assert [(r["rule"], r["before"], r["after"]) for r in change.rules_changed] == [
        ("chain-refoulement", "review", "blocked")
    ]


def test_a_person_fact_rescreens_that_persons_transfers(world: None) -> None:
    person = Person.objects.get(ref="P-106")
    run = case_services.set_person_facts(person, birth_date=date(1990, 1, 1))
    assert run.transfers_in_scope == 1
    assert set(changes(run)) == {"T-107"}
    run = case_services.record_fear_claim(Person.objects.get(ref="P-105"), "SV", "pending")
    assert run.transfers_in_scope == 2
    assert set(changes(run)) == {"T-105", "T-106"}


def test_a_transfer_fact_rescreens_that_transfer_only(world: None) -> None:
    transfer = Transfer.objects.get(ref="T-106")
    run = case_services.record_notice(transfer, Notice(date(2025, 8, 1), "es", True))
    assert run.transfers_in_scope == 1
    assert set(changes(run)) == {"T-106"}
    rule = changes(run)["T-106"].rules_changed[0]
    assert (rule["rule"], rule["before"], rule["after"]) == ("written-notice", "blocked", "pass")


def test_executing_a_transfer_rescreens_the_arrangements_caps(world: None) -> None:
    before = export_transfers(["T-101"])[0]
    runs = save_transfer(msgspec.structs.replace(before, status="executed"), before)
    run = runs[-1]
    assert set(run_scope.pending_transfers(run.scope).values_list("ref", flat=True)) == {
        "T-102",
        "T-103",
        "T-107",
    }
    for change in changes(run).values():
        assert [r["rule"] for r in change.rules_changed] == ["arrangement-cap"]
        assert "1 transfers executed" in reasons(run, change)[0]


def test_an_unchanged_rescreen_writes_no_screening(world: None) -> None:
    before = ScreeningRecord.objects.count()
    run = rescreening.rescreen({"all": True}, "new catalog version")
    assert run.transfers_in_scope == 7
    assert run.changed == 0
    assert ScreeningRecord.objects.count() == before
    assert latest_screenings().count() == 7


def test_an_interrupted_run_is_never_complete_and_completes_when_run_again(
    world: None, interrupted_run: ScreeningRun
) -> None:
    run = interrupted_run
    run.refresh_from_db()
    assert run.status == "running"
    assert run.transfers_screened == 4
    rescreening.execute_run(run)
    run.refresh_from_db()
    assert run.status == "complete"
    assert run.transfers_screened == run.transfers_in_scope == 6
    assert set(changes(run)) == {"T-101", "T-102", "T-103", "T-105", "T-106", "T-107"}
    assert ScreeningRecord.objects.filter(run=run).count() == 6


def test_a_queued_run_returns_at_once_and_its_task_completes_it(world: None) -> None:
    from django_tasks_db.models import DBTaskResult

    run = tasks.queue_run({"destination": "RW"}, "new assessment of RW")
    run.refresh_from_db()
    assert run.status == "pending"
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [run.pk]
    tasks.execute_screening_run.call(run.pk)
    run.refresh_from_db()
    assert run.status == "complete"
    assert run.transfers_in_scope == 5


def test_the_worker_command_carries_out_queued_runs(seed_world_path: Path, tmp_path: Path) -> None:
    """End to end, in processes of their own, on a database file of their own."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "THIRDCOUNTRY_DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
    }

    def thirdcountry(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "thirdcountry", *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        return done.stdout

    thirdcountry("migrate", "-v0")
    thirdcountry("load", str(seed_world_path))
    queue = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'thirdcountry.settings'); django.setup(); "
        "from thirdcountry.cases.tasks import queue_run; "
        "print(queue_run({'all': True}, 'queued').pk)"
    )
    run_id = subprocess.run(
        [sys.executable, "-c", queue], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    thirdcountry("worker", "--batch")
    shown = thirdcountry("runs", run_id, "--json")
    assert '"status": "complete"' in shown
    assert '"transfer": "T-107"' in shown


def test_a_large_event_goes_to_the_background(world: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks, "INLINE_LIMIT", 2)
    run = legal_events.record_assessment("RW", date(2025, 8, 1), False, "new report")
    assert run.status == "pending"
    small = legal_events.record_assessment("SV", date(2025, 8, 1), False, "new report")
    assert small.status == "complete"


def test_bulk_and_one_by_one_rescreening_agree_on_a_generated_world() -> None:
    from thirdcountry import screen_scenario
    from thirdcountry.records.bulk_write import write_population
    from thirdcountry.scenario.synthetic import generate_world

    world = generate_world(400, seed=7)
    write_population(world)
    bulk = rescreening.rescreen({"all": True}, "bulk")
    from_file = {v.transfer: v for v in screen_scenario(world, bulk.as_of)}
    assert bulk.transfers_in_scope == len(from_file) > 300
    stored = {s.transfer.ref: s for s in latest_screenings().select_related("transfer")}
    assert stored.keys() == from_file.keys()
    for ref, verdict in from_file.items():
        assert stored[ref].verdict == verdict.verdict
        assert stored[ref].facts_sha256 == verdict.facts_sha256
        shown = shown_findings(stored[ref].catalog, stored[ref].findings, personal=True)
        assert [(f.rule, f.outcome, f.code, f.params, f.reason) for f in shown] == [
            (f.rule, f.outcome, f.code, f.params, f.reason) for f in verdict.findings
        ]
    for ref in sorted(from_file)[::16]:
        alone = rescreening.rescreen({"transfers": [ref]}, f"one by one: {ref}")
        assert (alone.transfers_in_scope, alone.transfers_screened, alone.changed) == (1, 1, 0)


def test_a_rescreen_on_the_next_day_stores_nothing_when_no_fact_changed(world: None) -> None:
    """A day later the same facts give the same findings: the screening date is not part of
    any finding (unless a reason is about it) nor of the facts hash."""
    today = rescreening.rescreen({"all": True}, "today", as_of=date(2025, 9, 1))
    stored = ScreeningRecord.objects.count()
    tomorrow = rescreening.rescreen({"all": True}, "tomorrow", as_of=date(2025, 9, 2))
    assert tomorrow.status == "complete" and tomorrow.transfers_in_scope > 0
    assert tomorrow.changed == 0
    assert ScreeningRecord.objects.count() == stored
    assert not RunChange.objects.filter(run=tomorrow).exists()
    assert today.pk != tomorrow.pk


def test_a_transfers_reads_sent_together_give_the_tables_read_one_query_at_a_time(
    world: None,
) -> None:
    """On PostgreSQL a few transfers' reads in a transaction go in one pipeline; the engine's
    tables made of their rows are those of the queries run one at a time."""
    refs = list(Transfer.objects.filter(status="proposed").values_list("ref", flat=True))
    assert refs
    for ref in refs:
        chunk = run_scope.pending_transfers({"transfers": [ref]})
        with transaction.atomic():
            reads = engine_reads.source_reads(chunk)
            queries = [(r.queryset, r.schema) for r in reads]
            together = engine_reads.tables_of(reads, engine_reads.read_all(queries))
            alone = engine_reads.tables_of(
                reads, [engine_reads.read_frame(*query) for query in queries]
            )
        assert together.transfers.height == 1
        for field in dataclasses.fields(together):
            got, want = getattr(together, field.name), getattr(alone, field.name)
            assert (got is None and want is None) or got.equals(want), (ref, field.name)


def test_one_transfers_reads_compiled_once_read_what_its_queryset_reads(world: None) -> None:
    """One transfer's reads are compiled once per process with a stand-in for its id: bound
    to each transfer's id in turn, they read what the queries made for that transfer read."""
    # One executed under an arrangement, so that its transfers have one to count.
    executed = Transfer.objects.filter(status="proposed", arrangement__ref="US-RW-2025").first()
    assert executed is not None
    Transfer.objects.filter(pk=executed.pk).update(status="executed")
    refs = list(Transfer.objects.filter(status="proposed").values_list("ref", "id"))
    assert len(refs) > 3
    counts = []
    for ref, transfer_id in refs:
        reads, compiled = rescreening._chunk_reads(transfer_id)
        chosen = run_scope.pending_transfers({"transfers": [ref]})
        _, made = rescreening._chunk_reads(chosen, few=True)
        got, want = engine_reads.read_all(compiled), engine_reads.read_all(made)
        assert len(got) == len(want)
        assert all(g.equals(w) for g, w in zip(got, want, strict=True)), ref
        *_, id_by_ref, _latest, parameters = got
        assert id_by_ref.rows() == [(ref, transfer_id)]
        assert engine_reads.parameters_of(parameters) == ScreeningDefaults.current().parameters
        # Its arrangement's executed transfers, counted as a chunk counts every arrangement's.
        _, of_all = rescreening._chunk_reads(chosen)
        position = [r.name for r in reads].index(engine_reads.EXECUTED)
        counted = engine_reads.read_all(of_all)[position]
        arrangement = Transfer.objects.filter(pk=transfer_id).values_list(
            "arrangement__ref", flat=True
        )
        expected = counted.filter(pl.col("arrangement").is_in(list(arrangement)))
        assert got[position].equals(expected), ref
        counts += got[position].rows()
    assert ("US-RW-2025", 1) in counts


def test_a_large_runs_digests_are_those_of_a_small_ones_way(world: None) -> None:
    """A run of many rows has its digests computed with just-in-time compilation on
    PostgreSQL: the same digests."""
    run = ScreeningRun.objects.filter(status="complete").latest("id")
    assert run.transfers_screened > 0
    assert run_digests(run.pk, JIT_FROM) == run_digests(run.pk)
    # A run known to be small has them computed in one process: the same digests too.
    assert run_digests(run.pk, 1) == run_digests(run.pk)


def test_a_runs_digest_is_computed_under_its_setting(world: None) -> None:
    """The setting a run's size calls for is in force in the transaction its digest is
    computed in (it is sent with the digest, in one round trip)."""
    if connection.vendor != "postgresql":
        pytest.skip("the settings are PostgreSQL's")
    run = ScreeningRun.objects.filter(status="complete").latest("id")
    with transaction.atomic(), connection.cursor() as cursor:
        run_digests(run.pk, 1)
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
    with transaction.atomic(), connection.cursor() as cursor:
        run_digests(run.pk, JIT_FROM)
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("on",)


def test_a_run_starts_with_the_stored_date_and_catalog(world: None) -> None:
    """A run started without a date screens as of the stored world's date, under the
    chosen catalog; with neither stored, as of today under the default catalog."""
    ScreeningDefaults.objects.update_or_create(pk=1, defaults={"as_of": date(2025, 2, 3)})
    CatalogChoice.objects.update_or_create(pk=1, defaults={"version": "2026.2"})
    assert run_settings() == (date(2025, 2, 3), "2026.2")
    run = rescreening.start_run({"all": True})
    assert (run.as_of, run.catalog) == (date(2025, 2, 3), "2026.2")
    ScreeningDefaults.objects.all().delete()
    CatalogChoice.objects.all().delete()
    run = rescreening.start_run({"all": True})
    assert (run.as_of, run.catalog) == (date.today(), catalogs.current_version())


def test_the_applications_queries_are_not_compiled_just_in_time() -> None:
    """A query of a few rows that the planner expects to be costly (misled by a table's
    largest run) is not compiled for tens of milliseconds first."""
    if connection.vendor != "postgresql":
        pytest.skip("just-in-time compilation is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_a_statement_the_application_repeats_is_prepared_once() -> None:
    """On PostgreSQL a statement run again and again on a connection is parsed and planned
    there once (a prepared statement), whatever its parameters."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for ref in range(8):
        list(Transfer.objects.filter(ref=f"T-{ref}").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "cases_transfer" WHERE "cases_transfer"."ref" = $1%'],
        )
        assert cursor.fetchone() == (1,)


def test_a_chunk_reads_the_parameters_stored_or_else_the_catalogs(world: None) -> None:
    """The notice period and the age of majority a screening uses are the stored ones, read
    with the chunk's other rows; with none stored, the catalog's own."""
    ScreeningDefaults.objects.update_or_create(pk=1, defaults={"notice_days": 3, "minor_age": 21})
    (rows,) = engine_reads.read_all([engine_reads.parameters_read()])
    assert engine_reads.parameters_of(rows) == Parameters(notice_days=3, minor_age=21)
    ScreeningDefaults.objects.all().delete()
    (rows,) = engine_reads.read_all([engine_reads.parameters_read()])
    assert engine_reads.parameters_of(rows) == Parameters()
