"""Many writers at once: screenings and recorded facts from many threads, each on its own
database connection, all land in the audit trail as one chain that verifies, and none
fails or deadlocks (their entries are linked into the chain only as each commits).

On SQLite the writers take turns at the database's write lock; on PostgreSQL (``pytest -m
database`` with a PostgreSQL URL) they run side by side.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from builders import ReferenceCodes
from thirdcountry.cases import services
from thirdcountry.cases.models import Person, ScreeningRun, Transfer
from thirdcountry.oversight.audit import head, verify
from thirdcountry.oversight.models import AuditEntry
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario

THREADS = 8
ROUNDS = 4


def _writer(number: int, refs: list[str], persons: list[str], errors: list[BaseException]) -> None:
    """Screen transfers and change facts of persons, in turn, from one thread."""
    try:
        for round_ in range(ROUNDS):
            ref = refs[(number + round_) % len(refs)]
            services.screen_transfer(ref)
            person = Person.objects.get(ref=persons[(number * 3 + round_) % len(persons)])
            services.set_person_facts(person, fit_to_travel=(number + round_) % 2 == 0)
    except BaseException as error:  # every failure is reported, deadlocks included
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's test database is in memory, shared by threads: run on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_one_chain_that_verifies(
    seed_world_path: Path, reference_codes: ReferenceCodes
) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    services.screen_stored()
    refs = list(Transfer.objects.filter(status="proposed").values_list("ref", flat=True))
    persons = list(Transfer.objects.filter(status="proposed").values_list("person__ref", flat=True))
    before = head().seq
    runs_before = ScreeningRun.objects.count()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def start(number: int) -> None:
        barrier.wait()
        _writer(number, refs, persons, errors)

    threads = [threading.Thread(target=start, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    assert errors == []
    # Every run of every writer was recorded, and each has its entry in the chain.
    runs = ScreeningRun.objects.count() - runs_before
    assert runs == 2 * THREADS * ROUNDS
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()
    after = head()
    assert after.seq - before >= runs
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, after.seq + 1))
    outcome = verify(save=False)
    assert reference_codes.problems(outcome) == []
