"""How writes reach the audit trail, whatever path they take.

- A record saved or deleted one at a time: the record as stored before is read in
  ``pre_save``; the entry is appended when django-simple-history has written its historical
  record (``post_create_historical_record``), which names the user and the reason. Models
  without history (reference tables, screenings written one at a time) use ``post_save`` /
  ``post_delete``.
- Records created in bulk (``bulk_create_with_history``, as a scenario load does): Django
  sends no signal for them, so a database execute wrapper watches each statement that
  inserts into a historical table and appends one entry per statement (per batch of rows),
  covering the rows it wrote.
- Screenings and run changes, written with raw SQL by a re-screening run: one entry when
  the run completes (``post_save`` of a ``complete`` run), with digests of what it wrote.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from itertools import islice
from typing import Any

import polars as pl
from django.apps import apps
from django.db import models
from django.db.backends.signals import connection_created
from django.db.models import Max
from django.db.models.signals import post_delete, post_save, pre_save
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from thirdcountry.oversight import audit, bulk_digests
from thirdcountry.oversight.models import AuditItem

#: The apps whose every write is audited.
AUDITED_APPS = ("registry", "cases")
#: Models whose rows reach the trail through their run's entry, not one by one.
RUN_LEVEL = frozenset({"cases.screening", "cases.runchange"})
#: Tables derived from others and kept in step with them: verification checks that they
#: agree with what they derive from instead of logging their writes.
DERIVED = frozenset({"cases.latestscreening"})
_ACTIONS = {"+": "create", "~": "update", "-": "delete"}
_INSERT = re.compile(r'\s*INSERT\s+INTO\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)


def _is_historical(model: type[models.Model]) -> bool:
    return getattr(model, "instance_type", None) is not None


@cache
def audited_models() -> tuple[type[models.Model], ...]:
    """Every model of the audited apps (their historical models excluded)."""
    return tuple(
        model
        for label in AUDITED_APPS
        for model in apps.get_app_config(label).get_models()
        if not _is_historical(model) and model._meta.label_lower not in DERIVED
    )


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


@cache
def _watched_tables() -> dict[str, tuple[type[models.Model], type[models.Model]]]:
    """Historical table name -> (historical model, the model it records)."""
    watched = {}
    for model in audited_models():
        history = _history_model(model)
        if history is not None:
            watched[history._meta.db_table] = (history, model)
    return watched


class _State(threading.local):
    #: Set while the trail itself runs queries, so the wrapper lets them through.
    busy: bool = False
    #: A single historical record is about to be inserted; its signal will log it.
    single: bool = False


_state = _State()
_connected = False


def _actor(user: Any) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        return str(user.get_username())
    return ""


def _request_actor() -> str:
    request = getattr(HistoricalRecords.context, "request", None)
    return _actor(getattr(request, "user", None))


# -- one record at a time ------------------------------------------------------------------------


def _remember_before(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Read the record as stored before this save, so the entry holds its digest."""
    if sender not in _audited_set() or audit.model_label(sender) == "cases.screeningrun":
        return
    before = None
    if instance.pk is not None:
        fields = audit.record_fields(sender)
        _state.busy = True
        try:
            row = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk)
            stored = row.values(*fields).first()
        finally:
            _state.busy = False
        if stored is not None:
            before = audit.digest_of(sender, stored, fields)
    instance._audit_before = before


@cache
def _audited_set() -> frozenset[type[models.Model]]:
    return frozenset(m for m in audited_models() if audit.model_label(m) not in RUN_LEVEL)


def _expect_single(sender: Any, **kwargs: Any) -> None:
    if sender._meta.db_table in _watched_tables():
        _state.single = True


def _log_history(sender: Any, instance: models.Model, history_instance: Any, **kwargs: Any) -> None:
    """Log one save or delete of a model with history, once its historical record exists."""
    _state.single = False
    model = type(instance)
    if model not in _audited_set():
        return
    fields = audit.record_fields(model)
    kind = history_instance.history_type
    if kind == "-":
        before: str | None = audit.digest_of(model, instance, fields)
        after = None
    else:
        before = getattr(instance, "_audit_before", None)
        after = audit.digest_of(model, instance, fields)
    label = audit.model_label(model)
    _append(
        _ACTIONS[kind],
        label,
        fields,
        [audit.Item(label, str(instance.pk), before, after, history_instance.history_id)],
        actor=_actor(kwargs.get("history_user")),
        reason=history_instance.history_change_reason or "",
    )


def _log_save(sender: type[models.Model], instance: models.Model, created: bool, **kw: Any) -> None:
    """Log a save of a model without history (screening runs are logged when complete)."""
    label = audit.model_label(sender)
    if label == "cases.screeningrun":
        if getattr(instance, "status", None) == "complete":
            log_run(instance)
        return
    if sender not in audited_models() or _history_model(sender) is not None:
        return
    fields = audit.record_fields(sender)
    after = audit.digest_of(sender, instance, fields)
    before = getattr(instance, "_audit_before", None)
    item = audit.Item(label, str(instance.pk), before, after)
    _append("create" if created else "update", label, fields, [item], actor=_request_actor())


def _log_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Log a delete of a model without history."""
    if sender not in _audited_set() or _history_model(sender) is not None:
        return
    label = audit.model_label(sender)
    fields = audit.record_fields(sender)
    item = audit.Item(label, str(instance.pk), audit.digest_of(sender, instance, fields), None)
    _append("delete", label, fields, [item], actor=_request_actor())


def _append(
    action: str,
    label: str,
    fields: list[str],
    items: list[audit.Item],
    *,
    actor: str = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    _state.busy = True
    try:
        audit.append(
            action,
            model=label,
            reason=reason,
            actor=actor,
            detail={"fields": {label: fields}} | (detail or {}),
            items=items,
        )
    finally:
        _state.busy = False


# -- screening runs ------------------------------------------------------------------------------


def log_run(run: Any) -> None:
    """Append the entry of a completed run: what started it, its counts, and digests of the
    screenings and changes it wrote."""
    from thirdcountry.cases.models import ScreeningRun

    _state.busy = True
    try:
        fields = audit.record_fields(ScreeningRun)
        stored = ScreeningRun.objects.filter(pk=run.pk).values(*fields).first()
        digests = audit.run_digests(run.pk)
        actor = ""
        if run.created_by_id is not None:
            actor = _actor(run.created_by)
    finally:
        _state.busy = False
    if stored is None:
        return
    label = audit.model_label(ScreeningRun)
    detail = {
        "run": run.pk,
        "scope": run.scope,
        "as_of": run.as_of,
        "catalog": run.catalog,
        "transfers_in_scope": run.transfers_in_scope,
        "transfers_screened": run.transfers_screened,
        "changed": run.changed,
        "counts_before": run.counts_before,
        "counts_after": run.counts_after,
        **digests,
    }
    item = audit.Item(label, str(run.pk), None, audit.digest_of(ScreeningRun, stored, fields))
    _append("screening_run", label, fields, [item], actor=actor, reason=run.trigger, detail=detail)


# -- records written in bulk ---------------------------------------------------------------------


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
    column-wise where the model's fields allow (:mod:`.bulk_digests`), and their items
    stored with ``COPY`` on PostgreSQL: the digests and items are those one digest per row
    would give, at a national-size import's scale."""
    if action not in ("create", "update"):
        raise ValueError("action must be create or update")
    if batch < 1:
        raise ValueError("batch must be at least 1")
    model = queryset.model
    fields = audit.record_fields(model)
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


def _digests(
    model: type[models.Model], fields: list[str], rows: list[tuple[Any, ...]]
) -> tuple[pl.Series, pl.Series]:
    """Each row's object id and digest: column-wise where the model's fields and these
    values allow, else one row at a time through :func:`.audit.digest_of`."""
    pk = model._meta.pk.attname
    kinds = bulk_digests.model_kinds(model, fields)
    frame = bulk_digests.to_frame(rows, kinds) if kinds is not None else None
    if kinds is None or frame is None:
        at = fields.index(pk)
        ids = pl.Series([str(row[at]) for row in rows], dtype=pl.String)
        return ids, pl.Series(_row_digests(model, fields, rows), dtype=pl.String)
    texts = frame.select(bulk_digests.canonical_json(kinds)).to_series()
    digests = bulk_digests.hmac_sha256_hex(audit.audit_key(), texts)
    return frame.get_column(pk).cast(pl.String), pl.Series(digests, dtype=pl.String)


def _row_digests(
    model: type[models.Model], fields: list[str], rows: list[tuple[Any, ...]]
) -> list[str]:
    return [audit.digest_of(model, dict(zip(fields, row, strict=True)), fields) for row in rows]


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
    label = audit.model_label(model)
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
    lines = items.select(bulk_digests.canonical_json(bulk_digests.ITEM_KINDS)).to_series()
    _state.busy = True
    try:
        audit.append_digested(
            action,
            model=label,
            reason=reason,
            actor=actor,
            detail={"fields": {label: fields}, "batch": True},
            item_count=items.height,
            items_digest=bulk_digests.items_sha256(lines),
            write_items=lambda entry_id: _insert_items(items, entry_id),
        )
    finally:
        _state.busy = False


def _insert_items(items: pl.DataFrame, entry_id: int) -> None:
    """Store an entry's items in their order: ``COPY`` on PostgreSQL, ``json_each`` on
    SQLite, with the values :func:`.audit.append` stores."""
    from thirdcountry.cases.bulk import insert_frame

    insert_frame(AuditItem, items.with_row_index("position"), {"entry_id": entry_id})


def _log_bulk_history(history: type[models.Model], model: type[models.Model], above: int) -> None:
    """Log the historical records above ``above`` that no entry holds yet: those the
    statement just written inserted (one entry per kind of change, user and reason)."""
    label = audit.model_label(model)
    fields = audit.record_fields(model)
    logged = AuditItem.objects.filter(model=label, history_id__gt=above).values("history_id")
    rows = list(
        history._base_manager.filter(history_id__gt=above)
        .exclude(history_id__in=logged)
        .order_by("history_id")
        .values(*fields, "history_id", "history_type", "history_user_id", "history_change_reason")
    )
    if not rows:
        return
    pk = model._meta.pk.attname
    changed_ids = [row[pk] for row in rows if row["history_type"] == "~"]
    previous: dict[Any, str] = {}
    if changed_ids:
        # The version each update replaced: the newest historical record before it.
        newest = (
            history._base_manager.filter(**{f"{pk}__in": changed_ids, "history_id__lte": above})
            .values(pk)
            .annotate(last=Max("history_id"))
            .values("last")
        )
        for row in history._base_manager.filter(history_id__in=newest).values(*fields):
            previous[row[pk]] = audit.digest_of(model, row, fields)
    user_ids = {row["history_user_id"] for row in rows} - {None}
    names: dict[Any, str] = {}
    if user_ids:
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        names = dict(
            user_model._default_manager.filter(pk__in=user_ids).values_list(
                "pk", user_model.USERNAME_FIELD
            )
        )
    groups: dict[tuple[str, Any, str], list[audit.Item]] = {}
    for row in rows:
        kind = row["history_type"]
        digest = audit.digest_of(model, row, fields)
        before, after = (
            (None, digest)
            if kind == "+"
            else (digest, None)
            if kind == "-"
            else (previous.get(row[pk]), digest)
        )
        key = (kind, row["history_user_id"], row["history_change_reason"] or "")
        groups.setdefault(key, []).append(
            audit.Item(label, str(row[pk]), before, after, row["history_id"])
        )
    for (kind, user_id, reason), items in groups.items():
        audit.append(
            _ACTIONS[kind],
            model=label,
            reason=reason,
            actor=names.get(user_id, ""),
            detail={"fields": {label: fields}, "batch": True},
            items=items,
        )


def watch_bulk_history(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Database execute wrapper: after a statement that inserts historical records in bulk,
    append their entry in the same transaction."""
    if _state.busy or sql.lstrip()[:6].upper() != "INSERT":
        return execute(sql, params, many, context)
    match = _INSERT.match(sql)
    watched = _watched_tables().get(match.group(1)) if match else None
    if watched is None:
        return execute(sql, params, many, context)
    if _state.single:
        _state.single = False
        return execute(sql, params, many, context)
    history, model = watched
    _state.busy = True
    try:
        above = history._base_manager.aggregate(top=Max("history_id"))["top"] or 0
    finally:
        _state.busy = False
    result = execute(sql, params, many, context)
    _state.busy = True
    try:
        _log_bulk_history(history, model, above)
    finally:
        _state.busy = False
    return result


def _install_wrapper(sender: Any, connection: Any, **kwargs: Any) -> None:
    if watch_bulk_history not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_bulk_history)


# -- switching on and off ----------------------------------------------------------------------

_RECEIVERS: tuple[tuple[Any, Callable[..., Any]], ...] = (
    (pre_save, _remember_before),
    (pre_create_historical_record, _expect_single),
    (post_create_historical_record, _log_history),
)


def connect() -> None:
    """Audit every write from now on (the app does this when Django starts)."""
    global _connected
    if _connected:
        return
    for signal, receiver in _RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"audit-{receiver.__name__}")
    for model in audited_models():
        if _history_model(model) is None:
            post_save.connect(_log_save, sender=model, dispatch_uid=f"audit-save-{model}")
            if audit.model_label(model) not in RUN_LEVEL:
                # Screenings keep Django's fast bulk delete: their runs' entries cover them.
                post_delete.connect(_log_delete, sender=model, dispatch_uid=f"audit-del-{model}")
    connection_created.connect(_install_wrapper, dispatch_uid="audit-wrapper")
    from django.db import connections

    for alias in connections:
        _install_wrapper(None, connections[alias])
    _connected = True


def disconnect() -> None:
    """Stop auditing writes (for measuring what auditing costs; never in service)."""
    global _connected
    for signal, receiver in _RECEIVERS:
        signal.disconnect(receiver, dispatch_uid=f"audit-{receiver.__name__}")
    for model in audited_models():
        post_save.disconnect(sender=model, dispatch_uid=f"audit-save-{model}")
        post_delete.disconnect(sender=model, dispatch_uid=f"audit-del-{model}")
    connection_created.disconnect(dispatch_uid="audit-wrapper")
    from django.db import connections

    for alias in connections:
        wrappers = connections[alias].execute_wrappers
        if watch_bulk_history in wrappers:
            wrappers.remove(watch_bulk_history)
    _connected = False
