"""Verifying the trail: recomputing the chain, then comparing every stored record with the
latest digest the log holds for it, which catches a record changed without an entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from thirdcountry.oversight.audit import record_checks
from thirdcountry.oversight.audit.chain import (
    entries_with_items,
    head,
    items_sha256,
    seal,
    stored_entry_hash,
)
from thirdcountry.oversight.audit.outcome import (
    Discrepancy,
    LatestStates,
    Logged,
    Verification,
    label_id,
)
from thirdcountry.oversight.models import (
    GENESIS,
    AuditEntry,
    AuditHead,
    AuditItem,
    AuditVerification,
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
    if outermost:
        # An entry a transaction left outside the chain (none should) joins it first, so
        # the read-only snapshot below checks it too.
        seal()
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One consistent snapshot of the log and the records.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        result = Verification(head=head(), head_checked=wanted_head)
        latest = check_chain(result, wanted_head)
        if check_records:
            record_checks.check_records(result, latest)
    if save:
        _save(result, actor)
    return result


def _save(result: Verification, actor: str) -> None:
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


def last_verification() -> AuditVerification | None:
    """The most recent stored verification, or None."""
    found: AuditVerification | None = AuditVerification.objects.order_by("-id").first()
    return found


def check_chain(result: Verification, wanted_head: str | None) -> LatestStates:
    """Recompute every hash in order; return the latest logged state of every record."""
    latest: LatestStates = {}
    expected_seq, prev_hash = 1, GENESIS
    found_wanted = wanted_head is None
    for entry, items in entries_with_items():
        result.entries += 1
        _check_entry(result, entry, items, expected_seq, prev_hash)
        found_wanted = found_wanted or entry["hash"] == wanted_head
        _follow_items(result, entry, items, latest)
        expected_seq, prev_hash = entry["seq"] + 1, entry["hash"]
    _check_stored_head(result, expected_seq - 1, prev_hash)
    _check_items_have_entries(result)
    if not found_wanted:
        result.add(Discrepancy(f"the head {wanted_head} is not in the chain"))
    return latest


def _check_entry(
    result: Verification,
    entry: Mapping[str, Any],
    items: list[dict[str, Any]],
    expected_seq: int,
    prev_hash: str,
) -> None:
    """An entry comes where expected, links to the one before it, and matches its hash and
    its items digest."""
    seq = entry["seq"]
    if seq > expected_seq:
        missing = (
            f"entry {expected_seq} is missing"
            if seq == expected_seq + 1
            else f"entries {expected_seq} to {seq - 1} are missing"
        )
        result.add(Discrepancy(f"{missing} (after {expected_seq - 1} comes {seq})", seq))
    elif seq < expected_seq:
        result.add(Discrepancy(f"entry {seq} is out of order", seq))
    if entry["prev_hash"] != prev_hash:
        result.add(Discrepancy("its previous hash is not the hash of the entry before it", seq))
    if stored_entry_hash(entry) != entry["hash"]:
        result.add(Discrepancy("its hash does not match its contents (the entry was changed)", seq))
    if len(items) != entry["item_count"] or items_sha256(items) != entry["items_sha256"]:
        result.add(Discrepancy("its records do not match its items digest", seq))


def _follow_items(
    result: Verification,
    entry: Mapping[str, Any],
    items: list[dict[str, Any]],
    latest: LatestStates,
) -> None:
    """Each item's before is the after the log last held for its record; the item becomes
    that record's latest state."""
    seq = entry["seq"]
    detail = entry["detail"] or {}
    fields_by_model = detail.get("fields", {})
    for item in items:
        key = (item["model"], item["object_id"])
        before = latest.get(key)
        if item["before"] is not None:
            if before is None:
                result.add(
                    Discrepancy(
                        "it changes a record that no earlier entry holds", seq, label_id(*key)
                    )
                )
            elif before.after != item["before"]:
                result.add(
                    Discrepancy(
                        f"the record was changed outside the trail after entry {before.seq}",
                        seq,
                        label_id(*key),
                    )
                )
        fields = tuple(fields_by_model.get(item["model"], ()))
        latest[key] = Logged(seq, item["after"], fields, entry["action"], detail)


def _check_items_have_entries(result: Verification) -> None:
    """Every item names an entry of the log. The database does not hold the items to their
    entries (:attr:`AuditItem.entry`): an item naming none is in no entry's digest, so it
    is found here."""
    unlinked = AuditItem.objects.filter(
        ~Exists(AuditEntry.objects.filter(pk=OuterRef("entry_id")))
    ).count()
    if unlinked:
        result.add(Discrepancy(f"{unlinked} items name no entry of the log"))


def _check_stored_head(result: Verification, last_seq: int, last_hash: str) -> None:
    """The head recorded at the last append is the entry the log ends with."""
    stored_head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    if stored_head is not None and tuple(stored_head) != (last_seq, last_hash) and result.entries:
        result.add(
            Discrepancy(
                f"the head recorded at the last append is entry {stored_head[0]}, "
                f"but the log ends at entry {last_seq}",
                last_seq,
            )
        )
