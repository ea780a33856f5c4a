"""The audit trail's storage: a hash-chained log of entries, the records each entry covers,
the head of the chain, and the verifications run against it.

How an entry's hash is computed is in ``docs/audit-trail.md`` (and :mod:`.audit`); an entry
is never changed once written.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

#: The previous hash of the first entry: 64 zeros.
GENESIS = "0" * 64


class AuditHead(models.Model):
    """The newest entry of the log (one row). Linking entries into the chain locks this row
    (for the moment it takes, just before their transaction commits), so two writers never
    both take the same place in the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="audit_head_single_row")]

    def __str__(self) -> str:
        return f"audit head {self.seq} {self.hash}"


class AuditEntry(models.Model):
    """One entry of the log: who did what, when, to which records, chained to the entry
    before it by ``prev_hash``.

    An entry is written with its transaction's other writes but without its place in the
    chain (``seq``, ``prev_hash``, ``hash`` empty); it is linked in just before that
    transaction commits (:func:`.audit.chain.seal`), so it is never seen unlinked by any
    other transaction."""

    seq = models.PositiveBigIntegerField(
        unique=True, null=True, help_text="Position in the chain, from 1."
    )
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, blank=True, default="")
    #: create, update, delete, baseline, screening_run
    action = models.CharField(max_length=20)
    #: The records' model label ("cases.person"), when the entry covers one model.
    model = models.CharField(max_length=100, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    detail = models.JSONField(default=dict)
    item_count = models.PositiveIntegerField(default=0)
    items_sha256 = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64, null=True)
    hash = models.CharField(max_length=64, unique=True, null=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"audit entry {self.seq}: {self.action} {self.model}"


class AuditItem(models.Model):
    """A record an entry covers, with the digests of its canonical JSON before and after
    (empty before: it did not exist; empty after: it was deleted)."""

    #: Looked up through ``audit_item_unique``, which starts with it: no index of its own.
    #: No foreign key in the database: an import writes millions of items, and checking
    #: each against its entry cost a tenth of a first import's time. What the key would
    #: guard, the chain already proves: entries are never deleted, and an entry's
    #: ``items_sha256`` covers exactly the items that name it (:mod:`.audit.verification`).
    entry = models.ForeignKey(
        AuditEntry,
        on_delete=models.PROTECT,
        related_name="items",
        db_index=False,
        db_constraint=False,
    )
    position = models.PositiveIntegerField()
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100)
    #: The historical record (django-simple-history) the item was read from, if any.
    history_id = models.BigIntegerField(null=True, blank=True)
    before = models.CharField(max_length=64, null=True, blank=True)
    after = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        ordering = ["entry", "position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="audit_item_unique")
        ]
        indexes = [
            models.Index(fields=["model", "object_id"], name="audit_item_record"),
            # Only items read from a historical record are looked up by it: the rows a bulk
            # write logs (millions at an import) have none and stay out of this index.
            models.Index(
                fields=["model", "history_id"],
                name="audit_item_history",
                condition=Q(history_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"


class AuditVerification(models.Model):
    """One check of the log and the records against it, and what it found."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150, blank=True, default="")
    head_seq = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    entries_checked = models.PositiveBigIntegerField()
    records_checked = models.PositiveBigIntegerField()
    ok = models.BooleanField()
    problem_count = models.PositiveIntegerField()
    #: The first problems found, each {"entry": seq or null, "record": str or null, "message"}.
    problems = models.JSONField(default=list)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"verification {self.pk}: {'ok' if self.ok else 'problems'}"
