"""The hash chain: appending entries after the head, and reading them back in order.

Each entry's ``hash`` is the SHA-256 of the canonical JSON of its fields and the hash of the
entry before it (``docs/audit-trail.md`` gives the exact serialisation), so changing,
removing, inserting or reordering an entry breaks every hash after it. Each entry lists the
records it wrote, with a digest of each record's canonical JSON before and after the write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from thirdcountry.atomic import in_application_transaction
from thirdcountry.oversight.audit.digests import canonical_json, plain, sha256_hex, timestamp
from thirdcountry.oversight.models import GENESIS, AuditEntry, AuditHead, AuditItem

#: An entry's columns, as the export writes them and verification reads them.
ENTRY_COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "model",
    "reason",
    "detail",
    "item_count",
    "items_sha256",
    "prev_hash",
    "hash",
)
#: The columns an entry's hash covers.
HASHED_COLUMNS = tuple(c for c in ENTRY_COLUMNS if c != "hash")
#: An item's columns, in the order its canonical JSON lists them.
ITEM_COLUMNS = ("model", "object_id", "history_id", "before", "after")


@dataclass(frozen=True)
class Item:
    """A record an entry covers: its digest before the write (None: it did not exist) and
    after it (None: it was deleted)."""

    model: str
    object_id: str
    before: str | None
    after: str | None
    history_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "object_id": self.object_id,
            "history_id": self.history_id,
            "before": self.before,
            "after": self.after,
        }


def items_sha256(items: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 of the canonical JSON list of an entry's items, in their order."""
    return sha256_hex(canonical_json([dict(item) for item in items]))


def entry_payload(
    *,
    seq: int,
    at: str,
    actor: str,
    action: str,
    model: str,
    reason: str,
    detail: Mapping[str, Any],
    item_count: int,
    items_sha256: str,
    prev_hash: str,
) -> dict[str, Any]:
    """What an entry's hash covers."""
    return {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "model": model,
        "reason": reason,
        "detail": dict(detail),
        "item_count": item_count,
        "items_sha256": items_sha256,
        "prev_hash": prev_hash,
    }


def entry_hash(payload: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an entry's payload (which holds the previous hash)."""
    return sha256_hex(canonical_json(payload))


def stored_entry_hash(entry: Mapping[str, Any]) -> str:
    """The hash an entry with these columns (``HASHED_COLUMNS``, its moment as stored)
    carries."""
    payload = {k: entry[k] for k in HASHED_COLUMNS}
    return entry_hash(entry_payload(**payload | {"at": timestamp(entry["at"])}))


def lock_head() -> AuditHead:
    """The head row, locked until the transaction ends (SQLite: the write lock does it).

    Only :func:`seal` takes it, as the last thing its transaction does before committing:
    a writer holding the head waits for nothing else, so it never deadlocks with one holding
    a record, and it holds the head for the few statements of linking its entries."""
    head: AuditHead | None = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1)
        head = AuditHead.objects.select_for_update().get(pk=1)
    assert head is not None
    return head


def append(
    action: str,
    *,
    model: str = "",
    reason: str = "",
    actor: str = "",
    detail: Mapping[str, Any] | None = None,
    items: Sequence[Item] = (),
) -> AuditEntry:
    """Write one entry (and its items) in the caller's transaction; it joins the chain when
    that transaction commits (:func:`seal`)."""
    item_dicts = [item.to_dict() for item in items]
    return append_digested(
        action,
        model=model,
        reason=reason,
        actor=actor,
        detail=detail,
        item_count=len(item_dicts),
        items_digest=items_sha256(item_dicts),
        write_items=lambda entry_id: _insert_items(entry_id, item_dicts),
    )


def append_digested(
    action: str,
    *,
    model: str = "",
    reason: str = "",
    actor: str = "",
    detail: Mapping[str, Any] | None = None,
    item_count: int,
    items_digest: str,
    write_items: Callable[[int], None],
) -> AuditEntry:
    """Write one entry as :func:`append` does, for items its caller has counted and digested
    (:func:`items_sha256` of them, in order) and stores with ``write_items(entry_id)``:
    items built column-wise in bulk, never as one Python object each.

    The entry takes no lock: writers of different records run side by side, and their
    entries are linked into the chain one transaction after another as each commits."""
    detail_json = json.loads(canonical_json(plain(dict(detail or {}))))
    top_level = _outermost()
    # No savepoint: an entry that cannot be written fails the whole write it records (and
    # SQLite opens no savepoint while a bulk insert's statement is still being read).
    with transaction.atomic(savepoint=False):
        entry = AuditEntry(
            at=_now(),
            actor=actor[:150],
            action=action,
            model=model,
            reason=reason,
            detail=detail_json,
            item_count=item_count,
            items_sha256=items_digest,
        )
        entry.save()
        write_items(entry.pk)
        connection.audit_pending = True
        if top_level:
            # This transaction is only the entry's: it commits at once, so link it now.
            link_pending()
            entry.refresh_from_db(fields=["seq", "at", "prev_hash", "hash"])
    return entry


def _now() -> datetime:
    # The stored moment is what the hash covers: whole microseconds, in UTC.
    now: datetime = timezone.now().astimezone(UTC)
    return now


def _outermost() -> bool:
    """Whether a block opened now is the outermost one the application opened (a test
    case's own enclosing transaction does not count, as for Django's ``durable``)."""
    return not in_application_transaction(connection)


def link_pending() -> int:
    """Link every entry this transaction sees outside the chain into it, in the order they
    were written, after the current head; returns how many. Call it inside a transaction,
    as the last thing before it commits: the head stays locked until then.

    The entries found are this transaction's own (others' are linked before their commit
    makes them visible), and any left unlinked by a transaction that committed without
    linking them (none should). They are read before the head is locked, so that the head
    is held only while the links are written."""
    pending = list(
        AuditEntry.objects.filter(seq__isnull=True)
        .order_by("id")
        .values("id", *(c for c in HASHED_COLUMNS if c not in ("seq", "at", "prev_hash")))
    )
    if not pending:
        return 0
    head = lock_head()
    seq, prev_hash = head.seq, head.hash
    at = _now()
    stored_at = connection.ops.adapt_datetimefield_value(at)
    rows = []
    for entry in pending:
        seq += 1
        fields = {k: v for k, v in entry.items() if k != "id"}
        digest = stored_entry_hash(fields | {"seq": seq, "at": at, "prev_hash": prev_hash})
        rows.append((seq, stored_at, prev_hash, digest, entry["id"]))
        prev_hash = digest
    _write_links(rows, seq, prev_hash)
    return len(rows)


def _write_links(rows: list[tuple[Any, ...]], seq: int, head_hash: str) -> None:
    """Write each ``(seq, at, prev_hash, hash, id)`` of ``rows`` to its entry and move the
    head to ``seq`` and ``head_hash``."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(AuditEntry._meta.db_table)} "
            "SET seq = %s, at = %s, prev_hash = %s, hash = %s WHERE id = %s",
            rows,
        )
        cursor.execute(
            f"UPDATE {quote(AuditHead._meta.db_table)} SET seq = %s, hash = %s WHERE id = 1",
            [seq, head_hash],
        )


def seal() -> int:
    """Link into the chain the entries written but not yet linked that this connection can
    see (those of its own open transaction); returns how many. Readers of the chain call it
    first, so a transaction reads its own entries in place."""
    if not getattr(connection, "audit_pending", False) and connection.in_atomic_block:
        return 0
    with transaction.atomic(savepoint=False):
        return link_pending()


_ITEMS_SQLITE = """
INSERT INTO {table} (entry_id, position, model, object_id, history_id, before, after)
SELECT %s, json_extract(j.value, '$.position'), json_extract(j.value, '$.model'),
       json_extract(j.value, '$.object_id'), json_extract(j.value, '$.history_id'),
       json_extract(j.value, '$.before'), json_extract(j.value, '$.after')
FROM json_each(%s) AS j
"""
_ITEMS_POSTGRESQL = """
INSERT INTO {table} (entry_id, position, model, object_id, history_id, before, after)
SELECT %s, r.position, r.model, r.object_id, r.history_id, r.before, r.after
FROM json_to_recordset(%s::json)
     AS r(position int, model text, object_id text, history_id bigint, before text, after text)
"""


def _insert_items(entry_id: int, items: list[dict[str, Any]]) -> None:
    """Store an entry's items with one statement (the rows travel as one JSON parameter)."""
    if not items:
        return
    sql = (_ITEMS_POSTGRESQL if connection.vendor == "postgresql" else _ITEMS_SQLITE).format(
        table=connection.ops.quote_name(AuditItem._meta.db_table)
    )
    with connection.cursor() as cursor:
        rows = [item | {"position": position} for position, item in enumerate(items)]
        cursor.execute(sql, [entry_id, canonical_json(rows)])


@dataclass(frozen=True)
class Head:
    """The newest entry of the log: keep its hash to prove later that nothing before it
    changed (``thirdcountry audit verify --head HASH``)."""

    seq: int
    hash: str
    at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "at": timestamp(self.at) if self.at else None}


def head() -> Head:
    """The current head of the log (seq 0 and 64 zeros when the log is empty)."""
    seal()
    last = (
        AuditEntry.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "hash", "at")
        .first()
    )
    if last is None:
        return Head(0, GENESIS, None)
    return Head(int(last[0]), str(last[1]), last[2])


def entries_with_items() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Every entry (its ``ENTRY_COLUMNS``) in chain order with its items in their order,
    streamed."""
    seal()
    entries = (
        AuditEntry.objects.filter(seq__isnull=False)
        .order_by("seq")
        .values(*ENTRY_COLUMNS)
        .iterator(chunk_size=2000)
    )
    items = (
        AuditItem.objects.order_by("entry__seq", "position")
        .values_list("entry__seq", *ITEM_COLUMNS)
        .iterator(chunk_size=10_000)
    )
    pending = next(items, None)
    for entry in entries:
        own: list[dict[str, Any]] = []
        while pending is not None and pending[0] <= entry["seq"]:
            if pending[0] == entry["seq"]:
                own.append(dict(zip(ITEM_COLUMNS, pending[1:], strict=True)))
            pending = next(items, None)
        yield entry, own
