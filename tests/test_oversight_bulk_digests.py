"""Records logged in bulk: the digests and items built column by column are, byte for byte,
those one digest per row gives, whatever the values, and a bulk-written population verifies."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import polars as pl
import pytest
from django.db import models, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from thirdcountry.cases import models as cases
from thirdcountry.oversight import audit
from thirdcountry.oversight.audit import bulk, capture
from thirdcountry.oversight.audit.bulk_log import WrittenLog
from thirdcountry.oversight.models import AuditEntry, AuditItem
from thirdcountry.records.bulk_write import STREAMED_MODELS, write_population
from thirdcountry.registry.models import Arrangement, Country, CourtOrder, Payment
from thirdcountry.scenario.synthetic import generate_world

#: Characters JSON escapes, or that some encoder might: each drawn often, among all others.
AWKWARD = '"\\/\x00\x01\x08\x09\x0a\x0c\x0d\x1f\x7f\x80\u00e9\u2028\u2029\ufeff\U0001f600'
texts = st.text(st.sampled_from(AWKWARD) | st.characters(exclude_categories=("Cs",)), max_size=30)
VALUES: dict[bulk.Kind, st.SearchStrategy[Any]] = {
    "int": st.integers(-(2**63), 2**63 - 1),
    "str": texts,
    "bool": st.booleans(),
    "date": st.dates(),
}
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True)
kinds_of_columns = st.dictionaries(names, st.sampled_from(list(VALUES)), min_size=1, max_size=6)

#: Every model ``write_population`` writes: each must be digested column-wise.
BULK_WRITTEN = STREAMED_MODELS


def rows_of(kinds: dict[str, bulk.Kind]) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    row = st.tuples(*(st.none() | VALUES[kind] for kind in kinds.values()))
    return st.lists(row, max_size=8)


def plain_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# -- the column-wise canonical JSON and digests --------------------------------------------------


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_column_json_is_the_canonical_json_of_each_row(data: st.DataObject) -> None:
    kinds = data.draw(kinds_of_columns)
    rows = data.draw(rows_of(kinds))
    frame = bulk.to_frame(rows, kinds)
    assert frame is not None
    built = frame.select(bulk.canonical_json(kinds)).to_series().to_list()
    expected = [
        audit.canonical_json({name: plain_value(v) for name, v in zip(kinds, row, strict=True)})
        for row in rows
    ]
    assert built == expected


@given(st.binary(max_size=200), st.lists(texts, max_size=5))
def test_the_hmac_is_hmac_sha256(key: bytes, values: list[str]) -> None:
    digests = bulk.hmac_sha256_hex(key, pl.Series(values, dtype=pl.String))
    assert digests == [hmac.new(key, v.encode(), hashlib.sha256).hexdigest() for v in values]


@given(st.lists(st.tuples(st.none() | texts, st.none() | texts), max_size=6))
def test_the_items_digest_is_the_digest_of_the_items_list(pairs: list[tuple[Any, Any]]) -> None:
    items = [audit.Item("cases.person", oid or "", None, after) for oid, after in pairs]
    frame = pl.DataFrame(
        [
            pl.Series("model", [i.model for i in items], dtype=pl.String),
            pl.Series("object_id", [i.object_id for i in items], dtype=pl.String),
            pl.Series("history_id", [i.history_id for i in items], dtype=pl.Int64),
            pl.Series("before", [i.before for i in items], dtype=pl.String),
            pl.Series("after", [i.after for i in items], dtype=pl.String),
        ]
    )
    lines = frame.select(bulk.canonical_json(bulk.ITEM_KINDS)).to_series()
    assert bulk.items_sha256(lines) == audit.items_sha256(i.to_dict() for i in items)


def vectorised_models() -> Iterator[type[models.Model]]:
    for model in audit.audited_models():
        if bulk.model_kinds(model, audit.record_fields(model)) is not None:
            yield model


@given(st.data())
@settings(max_examples=100, deadline=None)
def test_column_digests_of_every_vectorised_model_are_its_record_digests(
    data: st.DataObject,
) -> None:
    model = data.draw(st.sampled_from(sorted(vectorised_models(), key=audit.model_label)))
    fields = audit.record_fields(model)
    kinds = bulk.model_kinds(model, fields)
    assert kinds is not None
    rows = data.draw(rows_of(kinds))
    frame = bulk.to_frame(rows, kinds)
    assert frame is not None
    texts = frame.select(bulk.canonical_json(kinds)).to_series()
    assert bulk.hmac_sha256_hex(audit.audit_key(), texts) == [
        audit.digest_of(model, dict(zip(fields, row, strict=True)), fields) for row in rows
    ]


def test_every_bulk_written_model_is_digested_column_wise() -> None:
    for model in BULK_WRITTEN:
        assert bulk.model_kinds(model, audit.record_fields(model)) is not None, model


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("date", datetime(2025, 6, 1, 12)),
        ("date", "2025-06-01"),
        ("int", "12"),
        ("int", 2**63),
        ("bool", 1),
        ("str", 12),
        ("str", "\ud800"),
    ],
)
def test_a_value_not_of_its_column_type_is_left_to_the_per_row_path(
    kind: bulk.Kind, value: Any
) -> None:
    assert bulk.to_frame([(value,)], {"a": kind}) is None


# -- log_records against one digest per row ----------------------------------------------------


def log_records_by_row(
    queryset: Any, *, action: str = "create", reason: str = "", actor: str = "", batch: int = 10_000
) -> int:
    """The per-row way of logging records: each row a dict, its digest from its values."""
    model = queryset.model
    label = audit.model_label(model)
    fields = audit.record_fields(model)
    pk = model._meta.pk.attname
    chunk: list[dict[str, Any]] = []
    logged = 0

    def flush() -> None:
        ids = [str(row[pk]) for row in chunk]
        before: dict[str, str | None] = {}
        if action == "update":
            for object_id, after in (
                AuditItem.objects.filter(model=label, object_id__in=ids)
                .order_by("entry__seq", "position")
                .values_list("object_id", "after")
            ):
                before[object_id] = after
        items = [
            audit.Item(label, object_id, before.get(object_id), audit.digest_of(model, row, fields))
            for object_id, row in zip(ids, chunk, strict=True)
        ]
        capture._append(
            action, label, fields, items, actor=actor, reason=reason, detail={"batch": True}
        )

    for row in queryset.order_by(pk).values(*fields).iterator(chunk_size=batch):
        chunk.append(row)
        if len(chunk) == batch:
            flush()
            logged += len(chunk)
            chunk = []
    if chunk:
        flush()
        logged += len(chunk)
    return logged


def written_by(log: Callable[..., int], queryset: Any, **options: Any) -> tuple[int, list[Any]]:
    """What ``log`` appends (entries without their moments and hashes, and their items),
    rolled back afterwards."""
    first = audit.head().seq
    with transaction.atomic():
        count = log(queryset, **options)
        entries = list(
            AuditEntry.objects.filter(seq__gt=first)
            .order_by("seq")
            .values_list(
                "seq", "actor", "action", "model", "reason", "detail", "item_count", "items_sha256"
            )
        )
        items = list(
            AuditItem.objects.filter(entry__seq__gt=first)
            .order_by("entry__seq", "position")
            .values_list(
                "entry__seq", "position", "model", "object_id", "history_id", "before", "after"
            )
        )
        transaction.set_rollback(True)
    return count, [entries, items]


def add_awkward_records() -> None:
    """Names and a country whose text needs every kind of escape, in JSON and in CSV."""
    person = cases.Person.objects.order_by("pk").first()
    assert person is not None
    awkward = ['"q", \\b', "line\nbreak\r\n\t", "\x01\x1f\x7f", "\u2028 é 😀 \ufeff", "\\.", ""]
    cases.PersonName.objects.bulk_create(
        cases.PersonName(person=person, seq=100 + i, name=text or "-", folded=text, sound_keys=text)
        for i, text in enumerate(awkward)
    )
    Country.objects.bulk_create([Country(code='"\\', name='a,"b"\n\u2028')])


@pytest.fixture
def population() -> None:
    write_population(generate_world(60, seed=11))
    add_awkward_records()


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["create", "update"])
def test_log_records_writes_what_one_digest_per_row_writes(population: None, action: str) -> None:
    assert Payment.objects.exists()  # a model with a field rendered row by row
    for model in (*BULK_WRITTEN, Country, Arrangement, CourtOrder, Payment):
        for batch in (7, 10_000):
            options = {"action": action, "reason": "import", "actor": "me", "batch": batch}
            fast = written_by(audit.log_records, model.objects.all(), **options)
            by_row = written_by(log_records_by_row, model.objects.all(), **options)
            assert fast == by_row, model


@pytest.mark.django_db
def test_values_the_columns_cannot_hold_are_digested_row_by_row(
    population: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "to_frame", lambda rows, kinds: None)
    for model in (cases.Person, cases.PersonName, Country):
        fast = written_by(audit.log_records, model.objects.all(), batch=9)
        assert fast == written_by(log_records_by_row, model.objects.all(), batch=9)


@pytest.mark.django_db
def test_a_bulk_written_population_verifies() -> None:
    counts = write_population(generate_world(300, seed=4))
    result = audit.verify()
    assert result.ok, [str(p) for p in result.problems]
    assert result.records >= counts["persons"] + counts["names"] + counts["transfers"]
    items = AuditItem.objects.filter(entry__reason="generate")
    assert items.filter(model="cases.personname").count() == counts["names"]


# -- logged from the values written, not read back -----------------------------------------------


def logged(reason: str, labels: set[str]) -> list[tuple[Any, ...]]:
    """The entries of ``reason`` on the models ``labels`` names, each with its items, without
    their places in the chain."""
    entries = AuditEntry.objects.filter(reason=reason, model__in=labels).order_by("id")
    return [
        (
            entry.model,
            entry.action,
            entry.detail,
            entry.item_count,
            entry.items_sha256,
            list(entry.items.order_by("position").values_list("object_id", "before", "after")),
        )
        for entry in entries
    ]


def read_back(batch: int) -> list[tuple[Any, ...]]:
    """What :func:`audit.log_records` logs for the streamed tables' rows read back."""
    with transaction.atomic():
        for model in BULK_WRITTEN:
            audit.log_records(model.objects.all(), reason="read back", batch=batch)
        entries = logged("read back", {audit.model_label(m) for m in BULK_WRITTEN})
        transaction.set_rollback(True)
    return entries


@pytest.mark.django_db
def test_a_streamed_population_is_logged_as_its_rows_read_back_would_be() -> None:
    write_population(generate_world(40, seed=5))
    streamed = logged("generate", {audit.model_label(m) for m in BULK_WRITTEN})
    assert len(streamed) == sum(1 for m in BULK_WRITTEN if m.objects.exists())
    assert [(e[0], *e[2:]) for e in streamed] == [(e[0], *e[2:]) for e in read_back(10_000)]


@pytest.mark.django_db
@pytest.mark.parametrize(("batch", "by_columns"), [(7, True), (10_000, True), (7, False)])
def test_written_columns_give_the_entries_of_the_rows_read_back(
    population: None, batch: int, by_columns: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = read_back(batch)
    assert expected
    if not by_columns:  # values the typed columns cannot hold: the rows are read back
        monkeypatch.setattr(bulk, "columns_frame", lambda columns, kinds: None)
    with transaction.atomic():
        with WrittenLog(reason="read back", batch=batch) as log:
            for model in BULK_WRITTEN:
                fields = audit.record_fields(model)
                rows = list(model.objects.order_by("pk").values_list(*fields))
                log.add(model, {f: [row[i] for row in rows] for i, f in enumerate(fields)})
            assert log.write() == sum(model.objects.count() for model in BULK_WRITTEN)
        assert logged("read back", {audit.model_label(m) for m in BULK_WRITTEN}) == expected
        transaction.set_rollback(True)
