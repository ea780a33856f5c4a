"""Saving a record with who did it and why, so its history says so, and which save wrote a
version, so that the versions one save wrote in several tables read as one change.

Every app's services write through these, so the module depends on no app.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record


class SavedBy(models.Model):
    """What a version keeps beside who and why: the save that wrote it (``save_id``),
    shared by every version that save wrote. ``None`` for a version kept before saves were
    told apart, or written by a save that does not say."""

    save_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def new_save_id() -> uuid.UUID:
    """The id of one save, for every version it writes (:func:`mark_save`)."""
    return uuid.uuid4()


def mark_save(instance: models.Model, save_id: uuid.UUID) -> None:
    """Have the version the next save or delete of ``instance`` writes keep ``save_id``
    (where its history has the column, :class:`SavedBy`)."""
    instance._save_id = save_id


@receiver(pre_create_historical_record)
def _keep_save_id(
    sender: Any, instance: models.Model, history_instance: Any, **kwargs: Any
) -> None:
    if isinstance(history_instance, SavedBy):
        history_instance.save_id = getattr(instance, "_save_id", None)


def save_with_history(instance: models.Model, user: Any = None, reason: str | None = None) -> None:
    """Validate ``instance`` against every field and database constraint, then save it,
    recording ``user`` and ``reason`` in its history."""
    instance.full_clean()
    if getattr(user, "is_authenticated", False):
        instance._history_user = user
    if reason:
        instance._change_reason = reason[:100]
    instance.save()


def next_seq(entries: models.QuerySet[Any, Any]) -> int:
    """The position of a new entry appended to an ordered list of entries."""
    highest = entries.aggregate(highest=models.Max("seq"))["highest"]
    return 0 if highest is None else highest + 1
