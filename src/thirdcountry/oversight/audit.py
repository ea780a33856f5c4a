"""The tamper-evident audit trail: appending entries to a hash chain, checking the chain and
the stored records against it, and exporting it for a monitor to check with their own code.

Each entry's ``hash`` is the SHA-256 of the canonical JSON of its fields and the hash of the
entry before it (``docs/audit-trail.md`` gives the exact serialisation), so changing,
removing, inserting or reordering an entry breaks every hash after it. Each entry lists the
records it wrote, with a digest of each record's canonical JSON before and after the write;
:func:`verify` recomputes the chain and compares every stored record with the latest digest
the log holds for it, which catches a record changed without an entry.

Record digests are keyed (HMAC-SHA256 with ``THIRDCOUNTRY_AUDIT_KEY``): a record as small as
a nationality row could otherwise be recovered from its digest by trying every country.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from thirdcountry.oversight.models import (
    GENESIS,
    AuditEntry,
    AuditHead,
    AuditItem,
    AuditVerification,
)

#: The export format's name, first line of every export.
EXPORT_FORMAT = "thirdcountry/audit-log@1"
#: How many problems a verification keeps (all are counted).
PROBLEMS_KEPT = 200

# -- canonical JSON and digests ----------------------------------------------------------------


def canonical_json(value: Any) -> str:
    """JSON with keys sorted, no whitespace, UTF-8 characters as themselves, and no floats
    or NaN: the one serialisation every hash in the trail is computed over."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_hex(text: str) -> str:
    """The SHA-256 of ``text`` encoded as UTF-8, in lower-case hexadecimal."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def timestamp(moment: datetime) -> str:
    """A moment in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def plain(value: Any) -> Any:
    """A value as canonical JSON holds it: dates as ``YYYY-MM-DD``, moments as UTC
    timestamps, decimals and floats as strings, tuples as lists."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=canonical_json) if isinstance(value, set | frozenset) else items
    raise TypeError(f"cannot put {type(value).__name__} into the audit trail")


def audit_key() -> bytes:
    """The key of record digests (``THIRDCOUNTRY_AUDIT_KEY``)."""
    key = getattr(settings, "THIRDCOUNTRY_AUDIT_KEY", None) or "audit:" + settings.SECRET_KEY
    return str(key).encode("utf-8")


def model_label(model: type[models.Model]) -> str:
    """A model's label as the trail names it, e.g. ``cases.person`` (a renamed model keeps
    the label its entries were logged under, as its ``audit_label``)."""
    return str(getattr(model, "audit_label", model._meta.label_lower))


def record_fields(model: type[models.Model]) -> list[str]:
    """The columns a record digest covers: every concrete field, by attribute name."""
    return [f.attname for f in model._meta.concrete_fields]


def _converter(field: Any) -> Callable[[Any], Any]:
    """How one field's value becomes canonical: the same whether it comes from the database
    or from an instance about to be saved."""
    if isinstance(field, models.ForeignKey):
        return _converter(field.target_field)
    if isinstance(field, models.JSONField):
        return plain
    if isinstance(field, models.BooleanField):
        return lambda v: bool(field.to_python(v))
    if isinstance(field, models.DateTimeField):
        return lambda v: timestamp(field.to_python(v))
    if isinstance(field, models.DateField):
        return lambda v: (v if type(v) is date else field.to_python(v)).isoformat()
    if isinstance(field, models.DecimalField):
        step = Decimal(1).scaleb(-(field.decimal_places or 0))
        return lambda v: format(field.to_python(v).quantize(step), "f")
    if isinstance(field, models.FloatField):
        return lambda v: repr(float(v))
    if isinstance(field, models.IntegerField | models.AutoField):
        return int
    if isinstance(field, models.CharField | models.TextField):
        return str
    return lambda v: plain(field.to_python(v))


@cache
def _converters(
    model: type[models.Model], fields: tuple[str, ...]
) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    return tuple((name, _converter(by_name[name])) for name in fields)


def record_values(
    model: type[models.Model], source: Mapping[str, Any] | models.Model, fields: Sequence[str]
) -> dict[str, Any]:
    """The canonical values of a record (a model instance, or a row of ``values()``) for
    ``fields``; raises KeyError when the model has no such field any more."""
    converters = _converters(model, tuple(fields))  # type: ignore[arg-type]
    if isinstance(source, Mapping):
        raw = [source[name] for name, _ in converters]
    else:
        raw = [getattr(source, name) for name, _ in converters]
    return {
        name: None if value is None else convert(value)
        for (name, convert), value in zip(converters, raw, strict=True)
    }


def record_digest(values: Mapping[str, Any]) -> str:
    """HMAC-SHA256, keyed with the audit key, of a record's canonical JSON."""
    return hmac.new(audit_key(), canonical_json(values).encode("utf-8"), hashlib.sha256).hexdigest()


def digest_of(
    model: type[models.Model], source: Mapping[str, Any] | models.Model, fields: Sequence[str]
) -> str:
    """The digest of a record as it is in ``source``."""
    return record_digest(record_values(model, source, fields))


# -- entries -------------------------------------------------------------------------------------


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


def _payload_of(entry: AuditEntry) -> dict[str, Any]:
    return entry_payload(
        seq=entry.seq,
        at=timestamp(entry.at),
        actor=entry.actor,
        action=entry.action,
        model=entry.model,
        reason=entry.reason,
        detail=entry.detail,
        item_count=entry.item_count,
        items_sha256=entry.items_sha256,
        prev_hash=entry.prev_hash,
    )


def _lock_head() -> AuditHead:
    """The head row, locked until the transaction ends (SQLite: the write lock does it)."""
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
    """Append one entry (and its items) after the current head, in the caller's transaction;
    the head stays locked until that transaction ends."""
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
    """Append one entry as :func:`append` does, for items its caller has counted and digested
    (:func:`items_sha256` of them, in order) and stores with ``write_items(entry_id)``:
    items built column-wise in bulk, never as one Python object each."""
    detail_json = json.loads(canonical_json(plain(dict(detail or {}))))
    # No savepoint: an entry that cannot be written fails the whole write it records (and
    # SQLite opens no savepoint while a bulk insert's statement is still being read).
    with transaction.atomic(savepoint=False):
        head = _lock_head()
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor[:150],
            action=action,
            model=model,
            reason=reason,
            detail=detail_json,
            item_count=item_count,
            items_sha256=items_digest,
            prev_hash=head.hash,
        )
        # The stored moment is what the hash covers: whole microseconds, in UTC.
        entry.at = entry.at.astimezone(UTC)
        entry.hash = entry_hash(_payload_of(entry))
        entry.save()
        write_items(entry.pk)
        AuditHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return entry


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
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash", "at").first()
    if last is None:
        return Head(0, GENESIS, None)
    return Head(int(last[0]), str(last[1]), last[2])


# -- verification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something that does not match: the entry (by seq) and/or record it concerns."""

    message: str
    entry: int | None = None
    record: str | None = None

    def __str__(self) -> str:
        where = []
        if self.entry is not None:
            where.append(f"entry {self.entry}")
        if self.record is not None:
            where.append(f"record {self.record}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Verification:
    """What :func:`verify` found: ``ok`` when the chain is whole and every record matches."""

    head: Head
    entries: int = 0
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    #: What is not yet in the trail without being wrong, e.g. a run still running.
    notes: list[str] = field(default_factory=list)
    head_checked: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(problem)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "head": self.head.to_dict(),
            "head_checked": self.head_checked,
            "entries": self.entries,
            "records": self.records,
            "problem_count": self.problem_count,
            "problems": [asdict(p) | {"text": str(p)} for p in self.problems],
            "notes": self.notes,
        }


_ENTRY_COLUMNS = (
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
_ITEM_COLUMNS = ("model", "object_id", "history_id", "before", "after")


def _entries_with_items() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Every entry in chain order with its items in their order, streamed."""
    entries = AuditEntry.objects.order_by("seq").values(*_ENTRY_COLUMNS).iterator(chunk_size=2000)
    items = (
        AuditItem.objects.order_by("entry__seq", "position")
        .values_list("entry__seq", *_ITEM_COLUMNS)
        .iterator(chunk_size=10_000)
    )
    pending = next(items, None)
    for entry in entries:
        own: list[dict[str, Any]] = []
        while pending is not None and pending[0] <= entry["seq"]:
            if pending[0] == entry["seq"]:
                own.append(dict(zip(_ITEM_COLUMNS, pending[1:], strict=True)))
            pending = next(items, None)
        yield entry, own


@dataclass
class _Latest:
    seq: int
    after: str | None
    fields: tuple[str, ...]
    action: str
    detail: dict[str, Any]


def _check_chain(result: Verification, wanted_head: str | None) -> dict[tuple[str, str], _Latest]:
    """Recompute every hash in order; return the latest logged state of every record."""
    latest: dict[tuple[str, str], _Latest] = {}
    expected_seq, prev_hash = 1, GENESIS
    found_wanted = wanted_head is None
    for entry, items in _entries_with_items():
        seq = entry["seq"]
        result.entries += 1
        if seq != expected_seq:
            if seq > expected_seq:
                missing = (
                    f"entry {expected_seq} is missing"
                    if seq == expected_seq + 1
                    else f"entries {expected_seq} to {seq - 1} are missing"
                )
                result.add(Problem(f"{missing} (after {expected_seq - 1} comes {seq})", seq))
            else:
                result.add(Problem(f"entry {seq} is out of order", seq))
        if entry["prev_hash"] != prev_hash:
            result.add(Problem("its previous hash is not the hash of the entry before it", seq))
        payload = entry_payload(
            **{k: entry[k] for k in _ENTRY_COLUMNS if k != "hash"} | {"at": timestamp(entry["at"])}
        )
        if entry_hash(payload) != entry["hash"]:
            result.add(Problem("its hash does not match its contents (the entry was changed)", seq))
        if len(items) != entry["item_count"] or items_sha256(items) != entry["items_sha256"]:
            result.add(Problem("its records do not match its items digest", seq))
        if entry["hash"] == wanted_head:
            found_wanted = True
        fields_by_model = (entry["detail"] or {}).get("fields", {})
        for item in items:
            key = (item["model"], item["object_id"])
            before = latest.get(key)
            if item["before"] is not None:
                if before is None:
                    result.add(
                        Problem("it changes a record that no earlier entry holds", seq, _name(key))
                    )
                elif before.after != item["before"]:
                    result.add(
                        Problem(
                            f"the record was changed outside the trail after entry {before.seq}",
                            seq,
                            _name(key),
                        )
                    )
            latest[key] = _Latest(
                seq,
                item["after"],
                tuple(fields_by_model.get(item["model"], ())),
                entry["action"],
                entry["detail"] or {},
            )
        expected_seq, prev_hash = seq + 1, entry["hash"]
    stored_head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    last = (expected_seq - 1, prev_hash)
    if stored_head is not None and tuple(stored_head) != last and result.entries:
        result.add(
            Problem(
                f"the head recorded at the last append is entry {stored_head[0]}, "
                f"but the log ends at entry {last[0]}",
                last[0],
            )
        )
    if not found_wanted:
        result.add(Problem(f"the head {wanted_head} is not in the chain"))
    return latest


def _name(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}"


def _check_records(result: Verification, latest: dict[tuple[str, str], _Latest]) -> None:
    """Compare every stored record with the latest digest the log holds for it."""
    from thirdcountry.oversight import capture

    for model in capture.audited_models():
        label = model_label(model)
        run_level = label in capture.RUN_LEVEL
        columns = record_fields(model)
        seen: set[str] = set()
        for row in model._base_manager.order_by("pk").values(*columns).iterator(chunk_size=5000):
            object_id = str(row[model._meta.pk.attname])
            logged = latest.get((label, object_id))
            if logged is None:
                result.records += 1
                if label == "cases.screeningrun" and row["status"] != "complete":
                    result.notes.append(f"run {object_id} is {row['status']}: not yet in the trail")
                elif not run_level:
                    result.add(Problem("it has no entry in the log", None, f"{label} {object_id}"))
                continue
            seen.add(object_id)
            result.records += 1
            if logged.after is None:
                result.add(
                    Problem(
                        "it exists, but the log says it was deleted",
                        logged.seq,
                        label_id(label, object_id),
                    )
                )
                continue
            try:
                digest = record_digest(record_values(model, row, logged.fields))
            except KeyError:
                digest = None
            if digest != logged.after:
                result.add(
                    Problem(
                        "the stored record does not match its latest entry "
                        "(changed without an entry)",
                        logged.seq,
                        label_id(label, object_id),
                    )
                )
        for (item_label, object_id), logged in latest.items():
            if item_label == label and logged.after is not None and object_id not in seen:
                result.add(
                    Problem(
                        "the record is gone, but the log does not say it was deleted",
                        logged.seq,
                        label_id(label, object_id),
                    )
                )
    _check_runs(result, latest)


def label_id(label: str, object_id: str) -> str:
    """A record as problems name it: ``cases.person 12``."""
    return f"{label} {object_id}"


def _table_digest(table: str, columns: Sequence[str], run_id: int) -> dict[str, Any]:
    """Count and digest of the rows a run wrote to ``table``, in id order.

    Each row is its ``columns`` as text joined by tabs (JSON as the database prints it, an
    empty string for null); the digest is the SHA-256 of the rows' own SHA-256s, one per
    line. PostgreSQL computes it where the rows are, so a run of a million screenings is
    not read back through Python; SQLite's rows are hashed here, the same way.
    """
    quote = connection.ops.quote_name
    where = f"FROM {quote(table)} WHERE run_id = %s"
    if connection.vendor == "postgresql":
        row = " || E'\\t' || ".join(f"COALESCE({quote(c)}::text, '')" for c in columns)
        sql = (
            "SELECT COUNT(*), encode(sha256(convert_to(COALESCE(string_agg("
            f"encode(sha256(convert_to({row}, 'UTF8')), 'hex'), E'\\n' ORDER BY id), ''), "
            f"'UTF8')), 'hex') {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [run_id])
            count, digest = cursor.fetchone()
        return {"count": int(count), "sha256": digest}
    names = ", ".join(quote(c) for c in columns)
    lines: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} {where} ORDER BY id", [run_id])
        while rows := cursor.fetchmany(5000):
            lines.extend(
                sha256_hex("\t".join("" if v is None else _as_text(v) for v in row)) for row in rows
            )
    return {"count": len(lines), "sha256": sha256_hex("\n".join(lines))}


def _as_text(value: Any) -> str:
    """A column value as PostgreSQL's ``::text`` prints it (dates as ISO 8601)."""
    return value.isoformat() if isinstance(value, date) else str(value)


#: The columns a run's digests cover, per table.
_RUN_SCREENING_COLUMNS = (
    "id",
    "transfer_id",
    "as_of",
    "catalog",
    "verdict",
    "facts_sha256",
    "findings",
)
_RUN_CHANGE_COLUMNS = ("id", "transfer_id", "verdict_before", "verdict_after", "rules_changed")


def run_digests(run_id: int) -> dict[str, dict[str, Any]]:
    """The count and digest of the screenings (findings included) and the changes a run
    wrote; stored JSON is hashed as the database prints it, so the digests are recomputed
    on the same database, not across databases."""
    from thirdcountry.cases.models import RunChange
    from thirdcountry.cases.models import ScreeningRecord as Screening

    return {
        "screenings": _table_digest(Screening._meta.db_table, _RUN_SCREENING_COLUMNS, run_id),
        "changes": _table_digest(RunChange._meta.db_table, _RUN_CHANGE_COLUMNS, run_id),
    }


def _check_latest_screenings(result: Verification) -> None:
    """The table of each transfer's latest screening (derived, not logged) agrees with the
    screenings themselves."""
    from django.apps import apps
    from django.db.models import F, Max, OuterRef, Q, Subquery

    try:
        latest_model = apps.get_model("cases", "LatestScreening")
    except LookupError:
        return
    from thirdcountry.cases.models import ScreeningRecord as Screening

    newest = (
        Screening.objects.filter(transfer_id=OuterRef("transfer_id"))
        .values("transfer_id")
        .annotate(top=Max("id"))
        .values("top")
    )
    # The table has no foreign keys (see the model): a row whose screening is gone, or whose
    # transfer has no screening at all, is found here too.
    pointed = Screening.objects.filter(pk=OuterRef("screening_id")).values("verdict")
    wrong = (
        latest_model.objects.annotate(newest=Subquery(newest), pointed=Subquery(pointed))
        .filter(
            Q(newest__isnull=True)
            | Q(pointed__isnull=True)
            | ~Q(screening_id=F("newest"))
            | ~Q(verdict=F("pointed"))
        )
        .values_list("transfer_id", flat=True)
    )
    for transfer_id in wrong[:PROBLEMS_KEPT]:
        result.add(
            Problem(
                "the transfer's latest verdict does not match its latest screening",
                None,
                label_id("cases.latestscreening", str(transfer_id)),
            )
        )
    missing = (
        Screening.objects.exclude(transfer_id__in=latest_model.objects.values("transfer_id"))
        .values_list("transfer_id", flat=True)
        .distinct()
    )
    for transfer_id in missing[:PROBLEMS_KEPT]:
        result.add(
            Problem(
                "the transfer has screenings but no latest verdict",
                None,
                label_id("cases.latestscreening", str(transfer_id)),
            )
        )


def _check_runs(result: Verification, latest: dict[tuple[str, str], _Latest]) -> None:
    """Each logged run's screenings and changes still match their digests; every screening
    belongs to a logged run or has an entry of its own."""
    from thirdcountry.cases.models import RunChange, ScreeningRun
    from thirdcountry.cases.models import ScreeningRecord as Screening

    logged_runs: set[int] = set()
    for (label, object_id), logged in latest.items():
        if label != "cases.screeningrun" or logged.action != "screening_run":
            continue
        logged_runs.add(int(object_id))
        now = run_digests(int(object_id))
        for part in ("screenings", "changes"):
            if logged.detail.get(part) != now[part]:
                result.add(
                    Problem(
                        f"the {part} run {object_id} wrote no longer match its entry",
                        logged.seq,
                        label_id("cases.screeningrun", object_id),
                    )
                )
    _check_latest_screenings(result)
    statuses = dict(ScreeningRun.objects.values_list("id", "status"))
    for model, label in ((Screening, "cases.screening"), (RunChange, "cases.runchange")):
        rows = model.objects.exclude(run_id__in=logged_runs) if logged_runs else model.objects
        unlogged: dict[int | None, list[int]] = {}
        for pk, run_id in rows.order_by("id").values_list("id", "run_id").iterator():
            if (label, str(pk)) not in latest:
                unlogged.setdefault(run_id, []).append(pk)
        for run_id, ids in unlogged.items():
            status = statuses.get(run_id) if run_id is not None else None
            what = f"{len(ids)} {label.split('.')[1]} row(s)"
            if status in ("pending", "running", "failed"):
                result.notes.append(f"run {run_id} is {status}: {what} not yet in the trail")
                continue
            owner = f"run {run_id}" if run_id is not None else "no run"
            result.add(
                Problem(
                    f"{what} of {owner} have no entry in the log (first: {ids[0]})",
                    None,
                    label_id(label, str(ids[0])),
                )
            )


def verify(
    wanted_head: str | None = None,
    *,
    check_records: bool = True,
    actor: str = "",
    save: bool = True,
) -> Verification:
    """Recompute the chain and, with ``check_records``, compare every stored record with
    the log. With ``wanted_head`` (a hash a monitor kept), also check that it is in the chain.
    The outcome is stored (see :func:`last_verification`) unless ``save`` is false."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One consistent snapshot of the log and the records.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        result = Verification(head=head(), head_checked=wanted_head)
        latest = _check_chain(result, wanted_head)
        if check_records:
            _check_records(result, latest)
    if save:
        AuditVerification.objects.create(
            actor=actor[:150],
            head_seq=result.head.seq,
            head_hash=result.head.hash,
            entries_checked=result.entries,
            records_checked=result.records,
            ok=result.ok,
            problem_count=result.problem_count,
            problems=[asdict(p) for p in result.problems[:20]],
        )
    return result


def last_verification() -> AuditVerification | None:
    """The most recent stored verification, or None."""
    found: AuditVerification | None = AuditVerification.objects.order_by("-id").first()
    return found


# -- export ------------------------------------------------------------------------------------


def export_lines() -> Iterator[str]:
    """The log as JSON Lines: a header, then one entry per line with its items."""
    current = head()
    yield canonical_json(
        {
            "format": EXPORT_FORMAT,
            "exported_at": timestamp(timezone.now()),
            "head": current.to_dict(),
        }
    )
    for entry, items in _entries_with_items():
        yield canonical_json(
            {k: entry[k] for k in _ENTRY_COLUMNS} | {"at": timestamp(entry["at"]), "items": items}
        )


def export(path: Path) -> int:
    """Write the log to ``path`` (JSON Lines, UTF-8); returns the number of entries."""
    count = -1
    with path.open("w", encoding="utf-8") as out:
        for line in export_lines():
            out.write(line + "\n")
            count += 1
    return count
