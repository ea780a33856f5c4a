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
- Memberships and permissions of users and groups (Django's many-to-many tables):
  ``m2m_changed``, the rows read before they are removed and after they are added.
- Records written without any of these (a ``COPY`` import): :mod:`.bulk_log`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, models
from django.db.backends.signals import connection_created
from django.db.models import Max
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from thirdcountry.cases.models import ScreeningRun
from thirdcountry.oversight.audit.audited import (
    RUN_LEVEL,
    audited_models,
    history_model,
    logged_one_by_one,
    watched_tables,
)
from thirdcountry.oversight.audit.chain import Item, append
from thirdcountry.oversight.audit.digests import digest_of, model_label, record_fields
from thirdcountry.oversight.audit.runs import run_digests
from thirdcountry.oversight.models import AuditItem

_ACTIONS = {"+": "create", "~": "update", "-": "delete"}
_INSERT = re.compile(r'\s*INSERT\s+INTO\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)


class _State(threading.local):
    #: Set while the trail itself runs queries, so the wrapper lets them through.
    busy: bool = False
    #: A single historical record is about to be inserted; its signal will log it.
    single: bool = False


_state = _State()
_connected = False


@contextmanager
def trail_writing() -> Iterator[None]:
    """While the trail itself reads or writes: the bulk-history watcher lets its statements
    through instead of taking them for the application's."""
    _state.busy = True
    try:
        yield
    finally:
        _state.busy = False


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
    if sender not in logged_one_by_one() or model_label(sender) == "cases.screeningrun":
        return
    before = None
    if instance.pk is not None:
        fields = record_fields(sender)
        connection = connections[kwargs.get("using") or "default"]
        with trail_writing():
            row = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk)
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # Lock the record now, as the write would: the version read is the one
                # this write replaces, not one another writer is replacing meanwhile.
                row = row.select_for_update(no_key=True)
            stored = row.values(*fields).first()
        if stored is not None:
            before = digest_of(sender, stored, fields)
    instance._audit_before = before


def _expect_single(sender: Any, **kwargs: Any) -> None:
    if sender._meta.db_table in watched_tables():
        _state.single = True


def _log_history(sender: Any, instance: models.Model, history_instance: Any, **kwargs: Any) -> None:
    """Log one save or delete of a model with history, once its historical record exists."""
    _state.single = False
    model = type(instance)
    if model not in logged_one_by_one():
        return
    fields = record_fields(model)
    kind = history_instance.history_type
    if kind == "-":
        before: str | None = digest_of(model, instance, fields)
        after = None
    else:
        before = getattr(instance, "_audit_before", None)
        after = digest_of(model, instance, fields)
    label = model_label(model)
    _append(
        _ACTIONS[kind],
        label,
        fields,
        [Item(label, str(instance.pk), before, after, history_instance.history_id)],
        actor=_actor(kwargs.get("history_user")),
        reason=history_instance.history_change_reason or "",
    )


def _log_save(sender: type[models.Model], instance: models.Model, created: bool, **kw: Any) -> None:
    """Log a save of a model without history (screening runs are logged when complete)."""
    label = model_label(sender)
    if label == "cases.screeningrun":
        if getattr(instance, "status", None) == "complete":
            log_run(instance, whole=kw.get("update_fields") is None)
        return
    if sender not in audited_models() or history_model(sender) is not None:
        return
    fields = record_fields(sender)
    after = digest_of(sender, instance, fields)
    before = getattr(instance, "_audit_before", None)
    if not created and before == after:
        return  # nothing the trail covers changed (a login's time, a token's last use)
    item = Item(label, str(instance.pk), before, after)
    _append("create" if created else "update", label, fields, [item], actor=_request_actor())


def _log_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Log a delete of a model without history."""
    if sender not in logged_one_by_one() or history_model(sender) is not None:
        return
    label = model_label(sender)
    fields = record_fields(sender)
    item = Item(label, str(instance.pk), digest_of(sender, instance, fields), None)
    _append("delete", label, fields, [item], actor=_request_actor())


def _membership_rows(through: type[models.Model], instance: models.Model, pk_set: Any) -> Any:
    """The rows of a many-to-many table that link ``instance`` (to ``pk_set`` only, if
    given)."""
    links = [f for f in through._meta.concrete_fields if f.is_relation]
    own = next(f for f in links if isinstance(instance, f.related_model))
    other = next(f for f in links if f is not own)
    rows = through._base_manager.filter(**{own.attname: instance.pk})
    if pk_set is not None:
        rows = rows.filter(**{f"{other.attname}__in": list(pk_set)})
    return rows.order_by("pk").values(*record_fields(through))


def _log_membership(
    sender: type[models.Model], instance: models.Model, action: str, pk_set: Any, **kw: Any
) -> None:
    """Log rows added to or removed from a membership or permission table: the rows about to
    go are read before they are removed, those added after."""
    if sender not in audited_models():
        return
    label = model_label(sender)
    fields = record_fields(sender)
    pk = sender._meta.pk.attname
    if action in ("pre_remove", "pre_clear"):
        with trail_writing():
            instance._audit_removed = list(_membership_rows(sender, instance, pk_set))
        return
    if action in ("post_remove", "post_clear"):
        rows = getattr(instance, "_audit_removed", [])
        items = [Item(label, str(r[pk]), digest_of(sender, r, fields), None) for r in rows]
        kind = "delete"
    elif action == "post_add" and pk_set:
        with trail_writing():
            rows = list(_membership_rows(sender, instance, pk_set))
        items = [Item(label, str(r[pk]), None, digest_of(sender, r, fields)) for r in rows]
        kind = "create"
    else:
        return
    if items:
        _append(kind, label, fields, items, actor=_request_actor())


def _append(
    action: str,
    label: str,
    fields: list[str],
    items: list[Item],
    *,
    actor: str = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    with trail_writing():
        append(
            action,
            model=label,
            reason=reason,
            actor=actor,
            detail={"fields": {label: fields}} | (detail or {}),
            items=items,
        )


# -- screening runs ------------------------------------------------------------------------------


def log_run(run: Any, *, whole: bool = False) -> None:
    """Append the entry of a completed run: what started it, its counts, and digests of the
    screenings and changes it wrote. ``whole``: ``run`` was just saved whole, so it holds
    what is stored (else the stored row is read)."""
    fields = record_fields(ScreeningRun)
    with trail_writing():
        stored = run if whole else ScreeningRun.objects.filter(pk=run.pk).values(*fields).first()
        digests = run_digests(run.pk, run.transfers_screened)
        actor = ""
        if run.created_by_id is not None:
            actor = _actor(run.created_by)
    if stored is None:
        return
    label = model_label(ScreeningRun)
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
    item = Item(label, str(run.pk), None, digest_of(ScreeningRun, stored, fields))
    _append("screening_run", label, fields, [item], actor=actor, reason=run.trigger, detail=detail)


# -- historical records written in bulk ----------------------------------------------------------


def watch_bulk_history(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Database execute wrapper: after a statement that inserts historical records in bulk,
    append their entry in the same transaction."""
    if _state.busy or sql.lstrip()[:6].upper() != "INSERT":
        return execute(sql, params, many, context)
    match = _INSERT.match(sql)
    watched = watched_tables().get(match.group(1)) if match else None
    if watched is None:
        return execute(sql, params, many, context)
    if _state.single:
        _state.single = False
        return execute(sql, params, many, context)
    history, model = watched
    with trail_writing():
        above = history._base_manager.aggregate(top=Max("history_id"))["top"] or 0
    result = execute(sql, params, many, context)
    with trail_writing():
        _log_bulk_history(history, model, above)
    return result


def _log_bulk_history(history: type[models.Model], model: type[models.Model], above: int) -> None:
    """Log the historical records above ``above`` that no entry holds yet: those the
    statement just written inserted (one entry per kind of change, user and reason)."""
    label = model_label(model)
    fields = record_fields(model)
    logged = AuditItem.objects.filter(model=label, history_id__gt=above).values("history_id")
    rows = list(
        history._base_manager.filter(history_id__gt=above)
        .exclude(history_id__in=logged)
        .order_by("history_id")
        .values(*fields, "history_id", "history_type", "history_user_id", "history_change_reason")
    )
    if not rows:
        return
    previous = _replaced_digests(history, model, fields, rows, above)
    names = _usernames({row["history_user_id"] for row in rows} - {None})
    groups: dict[tuple[str, Any, str], list[Item]] = {}
    pk = model._meta.pk.attname
    for row in rows:
        kind = row["history_type"]
        digest = digest_of(model, row, fields)
        before, after = (
            (None, digest)
            if kind == "+"
            else (digest, None)
            if kind == "-"
            else (previous.get(row[pk]), digest)
        )
        key = (kind, row["history_user_id"], row["history_change_reason"] or "")
        item = Item(label, str(row[pk]), before, after, row["history_id"])
        groups.setdefault(key, []).append(item)
    for (kind, user_id, reason), items in groups.items():
        append(
            _ACTIONS[kind],
            model=label,
            reason=reason,
            actor=names.get(user_id, ""),
            detail={"fields": {label: fields}, "batch": True},
            items=items,
        )


def _replaced_digests(
    history: type[models.Model],
    model: type[models.Model],
    fields: list[str],
    rows: list[dict[str, Any]],
    above: int,
) -> dict[Any, str]:
    """For each record the new historical rows update, the digest of the version the update
    replaced: the newest historical record before them."""
    pk = model._meta.pk.attname
    changed_ids = [row[pk] for row in rows if row["history_type"] == "~"]
    if not changed_ids:
        return {}
    newest = (
        history._base_manager.filter(**{f"{pk}__in": changed_ids, "history_id__lte": above})
        .values(pk)
        .annotate(last=Max("history_id"))
        .values("last")
    )
    return {
        row[pk]: digest_of(model, row, fields)
        for row in history._base_manager.filter(history_id__in=newest).values(*fields)
    }


def _usernames(user_ids: set[Any]) -> dict[Any, str]:
    """The username of each of these users, by primary key."""
    if not user_ids:
        return {}
    user_model = get_user_model()
    return dict(
        user_model._default_manager.filter(pk__in=user_ids).values_list(
            "pk", user_model.USERNAME_FIELD
        )
    )


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
        if history_model(model) is None:
            post_save.connect(_log_save, sender=model, dispatch_uid=f"audit-save-{model}")
            if model_label(model) not in RUN_LEVEL:
                # Screenings keep Django's fast bulk delete: their runs' entries cover them.
                post_delete.connect(_log_delete, sender=model, dispatch_uid=f"audit-del-{model}")
    m2m_changed.connect(_log_membership, dispatch_uid="audit-membership")
    connection_created.connect(_install_wrapper, dispatch_uid="audit-wrapper")
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
    m2m_changed.disconnect(dispatch_uid="audit-membership")
    connection_created.disconnect(dispatch_uid="audit-wrapper")
    for alias in connections:
        wrappers = connections[alias].execute_wrappers
        if watch_bulk_history in wrappers:
            wrappers.remove(watch_bulk_history)
    _connected = False
