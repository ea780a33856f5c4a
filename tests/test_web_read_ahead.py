"""Reading a list on a thread of its own: the same rows in the same order as reading it
inline, errors raised in the reader, and the reader stopped when the writer stops early."""

from __future__ import annotations

import threading
from importlib import import_module

import msgspec
import pytest
from django.apps import apps
from django.db import connection

from thirdcountry.cases.models import Transfer
from thirdcountry.records.bulk_write import write_population
from thirdcountry.scenario.synthetic import generate_world
from thirdcountry.web import read_ahead as reading


@pytest.mark.django_db(transaction=True)
def test_the_rows_read_ahead_are_the_rows_read_inline() -> None:
    # Without the countries' assessments: a transactional test runs on whatever an earlier
    # one left committed, and this test is about reading transfers.
    world = msgspec.structs.replace(generate_world(12_000, 1_000, seed=5), countries=())
    # An earlier transactional test may have emptied the reference tables: refill them.
    import_module("thirdcountry.registry.migrations.0002_reference_codes").fill(apps, None)
    write_population(world)
    listed = Transfer.objects.order_by("ref").values_list("ref", "planned_date")
    # On PostgreSQL outside a transaction a thread reads; anywhere else the caller does.
    assert reading.separately_readable() == (connection.vendor == "postgresql")
    ahead = list(reading.read_ahead(lambda: listed.iterator(chunk_size=1000)))
    assert ahead == list(listed)
    assert len(ahead) == 12_000
    before = threading.active_count()
    partial = reading.read_ahead(lambda: listed.iterator(chunk_size=1000))
    assert next(partial) == ahead[0]
    partial.close()  # a client that went away
    assert threading.active_count() == before


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_reading_reaches_the_writer() -> None:
    def broken() -> list[int]:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        list(reading.read_ahead(broken))


@pytest.mark.django_db
def test_inside_a_transaction_the_caller_reads() -> None:
    assert not reading.separately_readable()
    assert list(reading.read_ahead(lambda: range(3))) == [0, 1, 2]
