"""Writes of the data's life cycle: erasing a person's personal data, and the retention
policy that erases closed cases.

An erasure keeps the person's record and transfers (the statistics stay whole) and
replaces every piece of personal data — names and aliases, birth date, conviction
offences, monitoring notes — by a tombstone, in the records, in their history, and where
the findings of their screenings quote them. The trail stays verifiable: the records are
changed through ordinary saves (logged as any change), and the rewritten historical
records and screening runs are listed, with their new digests, in one ``erase`` entry, so
verification checks each against the tombstone the chain now holds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from thirdcountry.cases.models import (
    Conviction,
    Erasure,
    LatestScreening,
    MonitoringEntry,
    Person,
    PersonName,
    RunChange,
    ScreeningRecord,
    ScreeningRun,
    Transfer,
)
from thirdcountry.history import save_with_history
from thirdcountry.oversight.audit import (
    Item,
    append,
    digest_of,
    record_fields,
    run_digests,
)
from thirdcountry.oversight.audit.audited import history_model
from thirdcountry.oversight.audit.capture import trail_writing
from thirdcountry.oversight.audit.digests import model_label

#: What an erased name becomes.
TOMBSTONE = "[erased]"


class ErasureRefused(ValueError):
    """The person cannot be erased now (a transfer is still pending, or already erased)."""


@dataclass(frozen=True)
class _Erased:
    """One model's personal data: the person's records, their historical records (those of
    records deleted since included), and the value each personal column takes once erased."""

    model: type[models.Model]
    rows: models.Q
    tombstone: dict[str, Any]

    def history(self) -> models.QuerySet[Any, Any]:
        history = history_model(self.model)
        assert history is not None
        return history._base_manager.filter(self.rows)


def _personal_data(person: Person) -> tuple[_Erased, ...]:
    folded, sound_keys = PersonName.derived(TOMBSTONE)
    transfers = list(Transfer.objects.filter(person=person).values_list("pk", flat=True))
    return (
        _Erased(Person, models.Q(id=person.pk), {"birth_date": None}),
        _Erased(
            PersonName,
            models.Q(person_id=person.pk),
            {"name": TOMBSTONE, "folded": folded, "sound_keys": sound_keys},
        ),
        _Erased(Conviction, models.Q(person_id=person.pk), {"offence": None}),
        _Erased(MonitoringEntry, models.Q(transfer_id__in=transfers), {"note": None}),
    )


@dataclass
class ErasureOutcome:
    """What an erasure rewrote: records and historical records, by model label."""

    erasure: Erasure
    records: dict[str, int] = field(default_factory=dict)
    history: dict[str, int] = field(default_factory=dict)


def erase_person(
    person: Person, reason: str, *, user: Any = None, actor: str = ""
) -> ErasureOutcome:
    """Erase a person's personal data from their records and from history, keeping their
    transfers (and so the statistics) and the audit trail verifiable; the erasure is itself
    recorded and logged. Refused while the person has a proposed transfer (it would be
    screened on erased facts) or when they are already erased."""
    reason = reason.strip()
    if not reason:
        raise ErasureRefused("an erasure needs a reason")
    if user is not None and getattr(user, "is_authenticated", False):
        actor = actor or user.get_username()
    with transaction.atomic():
        # Writers of the person's records wait for the erasure (the chain's head is locked
        # only as the erasure commits, as for every writer).
        Person.objects.select_for_update().filter(pk=person.pk).exists()
        if Erasure.objects.filter(person=person).exists():
            raise ErasureRefused(f"person {person.ref} is already erased")
        pending = Transfer.objects.filter(person=person, status="proposed")
        if pending.exists():
            refs = ", ".join(pending.order_by("ref").values_list("ref", flat=True)[:5])
            raise ErasureRefused(
                f"person {person.ref} has proposed transfers ({refs}): "
                "execute or cancel them before erasing"
            )
        outcome = ErasureOutcome(Erasure(person=person, reason=reason, actor=actor[:150]))
        quoted = _quoted_values(person)
        why = f"erased: {reason}"
        for erased in _personal_data(person):
            outcome.records[model_label(erased.model)] = _erase_records(erased, user, why)
        items: list[Item] = []
        fields: dict[str, list[str]] = {}
        for erased in _personal_data(person):
            rewritten = _erase_history(erased)
            history = history_model(erased.model)
            assert history is not None
            label = history._meta.label_lower
            outcome.history[label] = len(rewritten)
            if rewritten:
                fields[label] = record_fields(erased.model)
                items.extend(rewritten)
        run_items, runs = _erase_findings(person, quoted)
        items.extend(run_items)
        if run_items:
            fields[model_label(ScreeningRun)] = record_fields(ScreeningRun)
        outcome.history["screening runs"] = len(run_items)
        outcome.erasure.counts = {"records": outcome.records, "history": outcome.history}
        with trail_writing():
            append(
                "erase",
                model=model_label(Person),
                reason=reason,
                actor=actor,
                detail={"person": person.pk, "fields": fields, "runs": runs},
                items=items,
            )
        outcome.erasure.save()
    return outcome


def _quoted_values(person: Person) -> list[str]:
    """Every personal value of the person ever recorded, as findings may quote it: names,
    birth dates (ISO 8601) and offences, from history (which holds every version)."""
    values: set[str] = set()
    for erased in _personal_data(person):
        for name in erased.tombstone:
            if name in ("folded", "sound_keys"):
                continue
            for value in erased.history().values_list(name, flat=True).distinct():
                if value is not None and value != TOMBSTONE:
                    values.add(value.isoformat() if isinstance(value, date) else str(value))
    # The longest first, so that a name is not left half-replaced by a shorter one.
    return sorted((v for v in values if len(v) >= 3), key=len, reverse=True)


def _without(value: Any, quoted: Sequence[str]) -> Any:
    """A stored JSON value with every quoted personal value replaced by the tombstone."""
    text = json.dumps(value, ensure_ascii=False)
    for personal in quoted:
        text = text.replace(json.dumps(personal, ensure_ascii=False)[1:-1], TOMBSTONE)
    return json.loads(text)


def _erase_findings(person: Person, quoted: Sequence[str]) -> tuple[list[Item], dict[str, Any]]:
    """Replace the personal values the findings of the person's screenings (and their runs'
    changes) quote; return an item per run rewritten and the runs' new digests."""
    transfers = list(Transfer.objects.filter(person=person).values_list("pk", flat=True))
    runs: set[int] = set()
    for model, column in ((ScreeningRecord, "findings"), (RunChange, "rules_changed")):
        rows = model._base_manager.filter(transfer_id__in=transfers).order_by("pk")
        for pk, run_id, value in rows.values_list("pk", "run_id", column):
            erased = _without(value, quoted)
            if erased != value:
                model._base_manager.filter(pk=pk).update(**{column: erased})
                if run_id is not None:
                    runs.add(run_id)
    # The latest screenings keep a copy of their findings, for the next run to compare.
    LatestScreening.objects.filter(transfer_id__in=transfers).update(
        findings=Subquery(
            ScreeningRecord.objects.filter(pk=OuterRef("screening_id")).values("findings")[:1]
        )
    )
    label = model_label(ScreeningRun)
    fields = record_fields(ScreeningRun)
    items, digests = [], {}
    for run in ScreeningRun.objects.filter(pk__in=runs).order_by("pk").values(*fields):
        digest = digest_of(ScreeningRun, run, fields)
        items.append(Item(label, str(run["id"]), digest, digest))
        digests[str(run["id"])] = run_digests(run["id"])
    return items, digests


def _erase_records(erased: _Erased, user: Any, why: str) -> int:
    """Replace the personal columns of the person's stored records by their tombstones,
    each through an ordinary save (so history and the trail record it)."""
    changed = 0
    for record in erased.model._base_manager.filter(erased.rows).order_by("pk"):
        if all(getattr(record, k) == v for k, v in erased.tombstone.items()):
            continue
        for name, value in erased.tombstone.items():
            setattr(record, name, value)
        save_with_history(record, user, why)
        changed += 1
    return changed


def _erase_history(erased: _Erased) -> list[Item]:
    """Rewrite the person's historical records of one model with the tombstones; return
    an item per rewritten record holding its new digest (its old one is in the entry that
    logged it)."""
    history = history_model(erased.model)
    assert history is not None
    rows = erased.history()
    differs = models.Q()
    for name, value in erased.tombstone.items():
        differs |= (
            models.Q(**{f"{name}__isnull": False}) if value is None else ~models.Q(**{name: value})
        )
    ids = list(rows.filter(differs).order_by("history_id").values_list("history_id", flat=True))
    if not ids:
        return []
    history._base_manager.filter(history_id__in=ids).update(**erased.tombstone)
    fields = record_fields(erased.model)
    label = history._meta.label_lower
    return [
        Item(label, str(row["history_id"]), None, digest_of(erased.model, row, fields))
        for row in history._base_manager.filter(history_id__in=ids)
        .order_by("history_id")
        .values(*fields, "history_id")
    ]


def closed_cases(days: int) -> models.QuerySet[Person, Person]:
    """Persons whose case closed more than ``days`` days ago and who are not erased yet: they
    have transfers, none still proposed, and neither their transfers nor what monitors saw
    after them changed within the period."""
    if days < 1:
        raise ValueError("a retention period is at least one day")
    since = timezone.now() - timedelta(days=days)
    history = history_model(Transfer)
    assert history is not None
    last_change = (
        history._base_manager.filter(person_id=OuterRef("pk"))
        .order_by()
        .values("person_id")
        .annotate(last=Max("history_date"))
        .values("last")
    )
    last_seen = (
        MonitoringEntry.objects.filter(transfer__person=OuterRef("pk"))
        .order_by()
        .values("transfer__person")
        .annotate(last=Max("date"))
        .values("last")
    )
    return (
        Person.objects.filter(transfers__isnull=False)
        .exclude(transfers__status="proposed")
        .exclude(erasures__isnull=False)
        .annotate(last_change=Subquery(last_change), last_seen=Subquery(last_seen))
        .filter(last_change__lt=since)
        .filter(models.Q(last_seen__isnull=True) | models.Q(last_seen__lt=since.date()))
        .distinct()
        .order_by("ref")
    )


def retention_period() -> int | None:
    """The configured retention period in days (``THIRDCOUNTRY_RETENTION_DAYS``), if any."""
    days: int | None = getattr(settings, "THIRDCOUNTRY_RETENTION_DAYS", None)
    return days


def apply_retention(days: int, *, actor: str = "retention policy") -> list[ErasureOutcome]:
    """Erase every case closed more than ``days`` days ago, one person per transaction."""
    reason = f"retention policy: case closed more than {days} days ago"
    return [erase_person(person, reason, actor=actor) for person in list(closed_cases(days))]


def erased_on(person: Person) -> date | None:
    """When the person's personal data was erased, if it was."""
    found = Erasure.objects.filter(person=person).values_list("erased_at", flat=True).first()
    return found.date() if found is not None else None


__all__ = [
    "TOMBSTONE",
    "ErasureOutcome",
    "ErasureRefused",
    "apply_retention",
    "closed_cases",
    "erase_person",
    "erased_on",
    "retention_period",
]
