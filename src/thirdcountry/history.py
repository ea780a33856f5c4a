"""Saving a record with who did it and why, so its history says so.

Every app's services write through these, so the module depends on no app.
"""

from __future__ import annotations

from typing import Any

from django.db import models


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
