"""Logging records written without Django's saves or simple-history's bulk helpers (a
``COPY`` import, a data migration): one entry per batch of records, their digests computed
column-wise where the model's fields allow (:mod:`.bulk`), their items stored with ``COPY``
on PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice, pairwise
from types import TracebackType
from typing import Any

import polars as pl
from django.db import models

from thirdcountry.cases.bulk import insert_frame
from thirdcountry.oversight.audit import bulk
from thirdcountry.oversight.audit.capture import trail_writing
from thirdcountry.oversight.audit.chain import append_digested
from thirdcountry.oversight.audit.digests import audit_key, digest_of, model_label, record_fields
from thirdcountry.oversight.models import AuditItem

#: Rows :func:`log_records` reads and digests at once (rounded to a multiple of its batch).
_BLOCK = 100_000


def log_records(
    queryset: Any, *, action: str = "create", reason: str = "", actor: str = "", batch: int = 10_000
) -> int:
    """Log the records of ``queryset`` as they are now, one entry per ``batch`` records: for
    code that writes without Django's saves or simple-history's bulk helpers (a ``COPY``
    import, a data migration). ``action`` is ``create`` (the records are new) or ``update``
    (each item's before is the digest the log last held for it). Returns how many were
    logged; call it in the transaction that wrote them. Rows are read in blocks, digested
    column-wise where the model's fields allow (:mod:`.bulk`), and their items
    stored with ``COPY`` on PostgreSQL: the digests and items are those one digest per row
    would give, at a national-size import's scale."""
    if action not in ("create", "update"):
        raise ValueError("action must be create or update")
    if batch < 1:
        raise ValueError("batch must be at least 1")
    model = queryset.model
    fields = record_fields(model)
    pk = model._meta.pk.attname
    block = batch * max(1, _BLOCK // batch)
    rows = queryset.order_by(pk).values_list(*fields).iterator(chunk_size=block)
    logged = 0
    # A block's digests are computed in a thread while the entries of the block before it
    # are written: the database indexes those items while this process hashes rows.
    with ThreadPoolExecutor(max_workers=1) as hashing:
        pending: Future[tuple[pl.Series, pl.Series]] | None = None
        while True:
            chunk = list(islice(rows, block))
            following = hashing.submit(_digests, model, fields, chunk) if chunk else None
            if pending is not None:
                object_ids, afters = pending.result()
                for start in range(0, len(object_ids), batch):
                    ids, digests = object_ids.slice(start, batch), afters.slice(start, batch)
                    _log_batch(model, fields, ids, digests, action, reason=reason, actor=actor)
                logged += len(object_ids)
            if following is None:
                return logged
            pending = following


class WrittenLog:
    """Logs records as a writer streams them, from the values it wrote: the same entries
    and items :func:`log_records` gives for those rows read back, without reading them back.

    Each table's digests are computed in a thread as soon as the table is :meth:`add`-ed,
    while the writer streams the next table (its process waits for the database then);
    :meth:`write` appends the entries, in the order the tables were added. Use it as a
    context manager, in the transaction that wrote the rows, and call :meth:`write` last."""

    def __init__(self, *, reason: str = "", actor: str = "", batch: int = 10_000) -> None:
        if batch < 1:
            raise ValueError("batch must be at least 1")
        self.reason, self.actor, self.batch = reason, actor, batch
        self._hashing = ThreadPoolExecutor(max_workers=1)
        #: Each table added: its model, its first and last ids, its digests to come (None:
        #: read back).
        self._tables: list[tuple[type[models.Model], tuple[Any, Any], Future[Any] | None]] = []

    def __enter__(self) -> WrittenLog:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._hashing.shutdown(wait=True, cancel_futures=True)

    def add(self, model: type[models.Model], columns: Mapping[str, Sequence[Any]]) -> None:
        """Queue the rows just written to ``model``'s table as ``columns`` (by attname, each
        in the rows' order, ids following each other) for their digests. A table whose
        columns are not exactly those a digest covers, or whose values the typed columns
        cannot hold, is read back and logged by :func:`log_records` instead."""
        fields = record_fields(model)
        pk = model._meta.pk.attname
        ids = columns.get(pk, ())
        if not ids:
            return
        kinds = bulk.model_kinds(model, fields)
        span = (ids[0], ids[-1])
        ascending = all(b == a + 1 for a, b in pairwise(ids))
        if kinds is None or set(columns) != set(fields) or not ascending:
            self._tables.append((model, span, None))
            return
        digests = self._hashing.submit(_column_digests, kinds, pk, columns)
        self._tables.append((model, span, digests))

    def write(self) -> int:
        """Append the entries of every table added, one per ``batch`` rows; how many rows
        were logged."""
        logged = 0
        for model, (first, last), digests in self._tables:
            fields = record_fields(model)
            result = digests.result() if digests is not None else None
            if result is None:
                # Read back: the per-row path decides values the columns cannot hold.
                logged += log_records(
                    model._default_manager.filter(pk__gte=first, pk__lte=last),
                    reason=self.reason,
                    actor=self.actor,
                    batch=self.batch,
                )
                continue
            object_ids, afters = result
            for start in range(0, len(object_ids), self.batch):
                _log_batch(
                    model,
                    fields,
                    object_ids.slice(start, self.batch),
                    afters.slice(start, self.batch),
                    "create",
                    reason=self.reason,
                    actor=self.actor,
                )
            logged += len(object_ids)
        self._tables = []
        return logged


def _column_digests(
    kinds: Mapping[str, bulk.Kind], pk: str, columns: Mapping[str, Sequence[Any]]
) -> tuple[pl.Series, pl.Series] | None:
    """Each row's object id and digest from its written values, or None when a value is not
    of its column's type."""
    frame = bulk.columns_frame(columns, kinds)
    if frame is None:
        return None
    texts = frame.select(bulk.canonical_json(kinds)).to_series()
    digests = bulk.hmac_sha256_hex(audit_key(), texts)
    return frame.get_column(pk).cast(pl.String), pl.Series(digests, dtype=pl.String)


def _digests(
    model: type[models.Model], fields: list[str], rows: list[tuple[Any, ...]]
) -> tuple[pl.Series, pl.Series]:
    """Each row's object id and digest: column-wise where the model's fields and these
    values allow, else one row at a time through :func:`.digests.digest_of`."""
    pk = model._meta.pk.attname
    kinds = bulk.model_kinds(model, fields)
    frame = bulk.to_frame(rows, kinds) if kinds is not None else None
    if kinds is None or frame is None:
        at = fields.index(pk)
        ids = pl.Series([str(row[at]) for row in rows], dtype=pl.String)
        return ids, pl.Series(_row_digests(model, fields, rows), dtype=pl.String)
    texts = frame.select(bulk.canonical_json(kinds)).to_series()
    digests = bulk.hmac_sha256_hex(audit_key(), texts)
    return frame.get_column(pk).cast(pl.String), pl.Series(digests, dtype=pl.String)


def _row_digests(
    model: type[models.Model], fields: list[str], rows: list[tuple[Any, ...]]
) -> list[str]:
    return [digest_of(model, dict(zip(fields, row, strict=True)), fields) for row in rows]


def _logged_afters(label: str, object_ids: list[str]) -> dict[str, str | None]:
    """The digest the log last holds for each of these records."""
    latest: dict[str, str | None] = {}
    for object_id, after in (
        AuditItem.objects.filter(model=label, object_id__in=object_ids)
        .order_by("entry__seq", "position")
        .values_list("object_id", "after")
    ):
        latest[object_id] = after
    return latest


def _log_batch(
    model: type[models.Model],
    fields: list[str],
    object_ids: pl.Series,
    afters: pl.Series,
    action: str,
    *,
    reason: str,
    actor: str,
) -> None:
    """Append one entry for a batch of records, its items digested and stored as columns."""
    label = model_label(model)
    befores = None
    if action == "update":
        latest = _logged_afters(label, object_ids.to_list())
        befores = [latest.get(object_id) for object_id in object_ids.to_list()]
    items = pl.DataFrame(
        {
            "model": pl.Series([label] * len(object_ids), dtype=pl.String),
            "object_id": object_ids,
            "history_id": pl.Series([None] * len(object_ids), dtype=pl.Int64),
            "before": pl.Series(befores or [None] * len(object_ids), dtype=pl.String),
            "after": afters,
        }
    )
    lines = items.select(bulk.canonical_json(bulk.ITEM_KINDS)).to_series()
    with trail_writing():
        append_digested(
            action,
            model=label,
            reason=reason,
            actor=actor,
            detail={"fields": {label: fields}, "batch": True},
            item_count=items.height,
            items_digest=bulk.items_sha256(lines),
            write_items=lambda entry_id: _insert_items(items, entry_id),
        )


def _insert_items(items: pl.DataFrame, entry_id: int) -> None:
    """Store an entry's items in their order: ``COPY`` on PostgreSQL, ``json_each`` on
    SQLite, with the values :func:`.chain.append` stores."""
    insert_frame(AuditItem, items.with_row_index("position"), {"entry_id": entry_id})
