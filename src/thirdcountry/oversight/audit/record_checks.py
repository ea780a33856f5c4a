"""The stored records against the log: every audited record matches the latest digest the
log holds for it, every historical record matches the digest logged for it, every run's
output still matches its entry's digests, and the table of latest verdicts agrees with the
screenings it is derived from."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Max, OuterRef, Q, Subquery

from thirdcountry.cases.models import LatestScreening, RunChange, ScreeningRecord, ScreeningRun
from thirdcountry.oversight.audit.audited import RUN_LEVEL, audited_models, watched_tables
from thirdcountry.oversight.audit.digests import (
    digest_of,
    model_label,
    record_digest,
    record_fields,
    record_values,
)
from thirdcountry.oversight.audit.outcome import (
    PROBLEMS_KEPT,
    Discrepancy,
    LatestStates,
    Logged,
    Verification,
    label_id,
)
from thirdcountry.oversight.audit.runs import run_digests
from thirdcountry.oversight.models import AuditEntry, AuditItem


def check_records(result: Verification, latest: LatestStates) -> None:
    """Compare every stored record with the latest digest the log holds for it, and every
    run's screenings and changes with its entry."""
    for model in audited_models():
        _check_model(result, model, latest)
    for history, model in watched_tables().values():
        _check_history(result, history, model, latest)
    _check_runs(result, latest)


def _check_model(result: Verification, model: type[models.Model], latest: LatestStates) -> None:
    """Every stored record of ``model`` against the log, then the logged ones that are gone."""
    label = model_label(model)
    columns = record_fields(model)
    seen: set[str] = set()
    for row in model._base_manager.order_by("pk").values(*columns).iterator(chunk_size=5000):
        object_id = str(row[model._meta.pk.attname])
        result.records += 1
        logged = latest.get((label, object_id))
        if logged is None:
            _check_unlogged(result, label, object_id, row)
            continue
        seen.add(object_id)
        _check_logged(result, model, label_id(label, object_id), row, logged)
    for (item_label, object_id), logged in latest.items():
        if item_label == label and logged.after is not None and object_id not in seen:
            result.add(
                Discrepancy(
                    "the record is gone, but the log does not say it was deleted",
                    logged.seq,
                    label_id(label, object_id),
                )
            )


def history_label(history: type[models.Model]) -> str:
    """How the trail names a historical model's rows when an entry rewrites them whole (a
    baseline of history older than the trail, an erasure): ``cases.historicalperson``."""
    return str(history._meta.label_lower)


def _logged_history(label: str) -> Any:
    """(history id, digest, entry id) of each historical record an entry logged for
    ``label``'s records, in history id order: the digest after the write, or before it for
    a deletion (the record as it was deleted)."""
    return (
        AuditItem.objects.filter(model=label, history_id__isnull=False)
        .order_by("history_id")
        .values_list("history_id", "before", "after", "entry_id")
        .iterator(chunk_size=10_000)
    )


def _entry_fields(entry_id: int, label: str, cache: dict[int, tuple[str, ...]]) -> tuple[str, ...]:
    if entry_id not in cache:
        detail = AuditEntry.objects.filter(pk=entry_id).values_list("detail", flat=True).first()
        cache[entry_id] = tuple(((detail or {}).get("fields") or {}).get(label, ()))
    return cache[entry_id]


def _matches(
    model: type[models.Model], row: dict[str, Any], columns: tuple[str, ...], digest: str | None
) -> bool:
    try:
        return digest_of(model, row, columns) == digest
    except KeyError:
        return False


def _check_history(
    result: Verification,
    history: type[models.Model],
    model: type[models.Model],
    latest: LatestStates,
) -> None:
    """Every historical record of ``model`` is one the log holds, as the log holds it (or as
    a later entry rewrote it: an erasure), and none the log holds is gone. The historical
    records and the items naming them are walked side by side, in history id order."""
    label, own = model_label(model), history_label(history)
    fields = record_fields(model)
    entry_fields: dict[int, tuple[str, ...]] = {}
    logged = _logged_history(label)
    pending = next(logged, None)
    rows = history._base_manager.order_by("history_id").values(*fields, "history_id")
    for row in rows.iterator(chunk_size=5000):
        history_id = row["history_id"]
        record = label_id(own, str(history_id))
        while pending is not None and pending[0] < history_id:
            result.add(
                Discrepancy(
                    "the historical record is gone from its table",
                    None,
                    label_id(own, str(pending[0])),
                )
            )
            pending = next(logged, None)
        rewritten = latest.get((own, str(history_id)))
        original = pending if pending is not None and pending[0] == history_id else None
        if original is not None:
            pending = next(logged, None)
        if rewritten is not None:
            expected, columns = rewritten.after, rewritten.fields
        elif original is not None:
            expected = original[2] if original[2] is not None else original[1]
            columns = tuple(fields)
        else:
            result.add(Discrepancy("the historical record has no entry in the log", None, record))
            continue
        if _matches(model, row, columns, expected):
            continue
        # Logged under an earlier set of columns (the model has changed since)?
        if original is not None and rewritten is None:
            earlier = _entry_fields(original[3], label, entry_fields)
            if earlier and _matches(model, row, earlier, expected):
                continue
        result.add(
            Discrepancy(
                "the historical record does not match the log (changed without an entry)",
                None,
                record,
            )
        )
    while pending is not None:
        result.add(
            Discrepancy(
                "the historical record is gone from its table", None, label_id(own, str(pending[0]))
            )
        )
        pending = next(logged, None)


def _check_unlogged(result: Verification, label: str, object_id: str, row: dict[str, Any]) -> None:
    """A record no entry holds: a problem, unless its run's entry covers it (or will)."""
    if label == "cases.screeningrun" and row["status"] != "complete":
        result.notes.append(f"run {object_id} is {row['status']}: not yet in the trail")
    elif label not in RUN_LEVEL:
        result.add(Discrepancy("it has no entry in the log", None, label_id(label, object_id)))


def _check_logged(
    result: Verification,
    model: type[models.Model],
    record: str,
    row: dict[str, Any],
    logged: Logged,
) -> None:
    """A stored record is as its latest entry left it."""
    if logged.after is None:
        result.add(Discrepancy("it exists, but the log says it was deleted", logged.seq, record))
        return
    try:
        digest = record_digest(record_values(model, row, logged.fields))
    except KeyError:
        digest = None
    if digest != logged.after:
        result.add(
            Discrepancy(
                "the stored record does not match its latest entry (changed without an entry)",
                logged.seq,
                record,
            )
        )


def _check_runs(result: Verification, latest: LatestStates) -> None:
    """Each logged run's screenings and changes still match their digests; every screening
    belongs to a logged run or has an entry of its own."""
    logged_runs = _check_run_digests(result, latest)
    _check_latest_verdicts(result)
    _check_latest_present(result)
    _check_unlogged_run_rows(result, latest, logged_runs)


def _check_run_digests(result: Verification, latest: LatestStates) -> set[int]:
    """Recompute the digests of every logged run; return the runs' ids."""
    logged_runs: set[int] = set()
    for (label, object_id), logged in latest.items():
        if label != "cases.screeningrun" or logged.action not in ("screening_run", "erase"):
            continue
        logged_runs.add(int(object_id))
        # An erasure rewrote the run's findings: its entry holds the run's new digests.
        expected = (
            logged.detail
            if logged.action == "screening_run"
            else logged.detail.get("runs", {}).get(object_id, {})
        )
        now = run_digests(int(object_id))
        for part in ("screenings", "changes"):
            if expected.get(part) != now[part]:
                result.add(
                    Discrepancy(
                        f"the {part} run {object_id} wrote no longer match its entry",
                        logged.seq,
                        label_id("cases.screeningrun", object_id),
                    )
                )
    return logged_runs


def _check_unlogged_run_rows(
    result: Verification, latest: LatestStates, logged_runs: set[int]
) -> None:
    """Screenings and run changes that neither a logged run nor an entry of their own
    covers: a problem, whatever their run's status. A stored verdict counts only once a
    completed run is logged for it; a run still running, or interrupted, has written
    verdicts nobody can check (a forged ``clear`` under a fake ``running`` run looks just
    the same)."""
    statuses = dict(ScreeningRun.objects.values_list("id", "status"))
    for model, label in ((ScreeningRecord, "cases.screening"), (RunChange, "cases.runchange")):
        rows = model.objects.exclude(run_id__in=logged_runs) if logged_runs else model.objects
        unlogged: dict[int | None, list[int]] = {}
        for pk, run_id in rows.order_by("id").values_list("id", "run_id").iterator():
            if (label, str(pk)) not in latest:
                unlogged.setdefault(run_id, []).append(pk)
        for run_id, ids in unlogged.items():
            status = statuses.get(run_id) if run_id is not None else None
            what = f"{len(ids)} {label.split('.')[1]} row(s)"
            if run_id is None:
                owner = "no run"
            elif status is None:
                owner = f"run {run_id}, which does not exist,"
            elif status == "complete":
                owner = f"run {run_id}"
            else:
                owner = f"run {run_id}, which is {status} (no completed, logged run),"
            result.add(
                Discrepancy(
                    f"{what} of {owner} have no entry in the log (first: {ids[0]})",
                    None,
                    label_id(label, str(ids[0])),
                )
            )


def _check_latest_verdicts(result: Verification) -> None:
    """Each row of the table of latest verdicts (derived, not logged) points at its
    transfer's newest screening and carries that screening's verdict."""
    newest = (
        ScreeningRecord.objects.filter(transfer_id=OuterRef("transfer_id"))
        .values("transfer_id")
        .annotate(top=Max("id"))
        .values("top")
    )
    # The table has no foreign keys (see the model): a row whose screening is gone, or whose
    # transfer has no screening at all, is found here too.
    pointed = ScreeningRecord.objects.filter(pk=OuterRef("screening_id")).values("verdict")
    wrong = (
        LatestScreening.objects.annotate(newest=Subquery(newest), pointed=Subquery(pointed))
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
            Discrepancy(
                "the transfer's latest verdict does not match its latest screening",
                None,
                label_id("cases.latestscreening", str(transfer_id)),
            )
        )


def _check_latest_present(result: Verification) -> None:
    """Every transfer with a screening has a row in the table of latest verdicts."""
    missing = (
        ScreeningRecord.objects.exclude(
            transfer_id__in=LatestScreening.objects.values("transfer_id")
        )
        .values_list("transfer_id", flat=True)
        .distinct()
    )
    for transfer_id in missing[:PROBLEMS_KEPT]:
        result.add(
            Discrepancy(
                "the transfer has screenings but no latest verdict",
                None,
                label_id("cases.latestscreening", str(transfer_id)),
            )
        )
