"""Reads of registry records that the pages and the API share: which court orders are in
effect on a day, and each arrangement's status on a day."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from thirdcountry.registry.models import ArrangementStatus


def in_effect_on(on: date) -> Q:
    """Court orders in effect on a date: issued on or before it, not lifted on or before it."""
    return Q(issued__lte=on) & (Q(lifted__isnull=True) | Q(lifted__gt=on))


def arrangement_statuses_on(on: date) -> dict[int, str]:
    """Each arrangement's status on a date (the latest entry dated on or before it; on
    equal dates the later entry), by arrangement id, for arrangements that have one."""
    statuses: dict[int, str] = {}
    entries = ArrangementStatus.objects.filter(date__lte=on).order_by("date", "seq")
    for arrangement_id, status in entries.values_list("arrangement_id", "status"):
        statuses[arrangement_id] = status
    return statuses
