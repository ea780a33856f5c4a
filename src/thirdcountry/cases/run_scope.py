"""What a re-screening run covers: its scope (every pending transfer, a person's, an
arrangement's, a route's, a court order's, or named transfers), as a filter and in words."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from thirdcountry.cases.models import Transfer
from thirdcountry.registry.models import CourtOrder

SCOPE_KINDS = ("all", "person", "arrangement", "destination", "sending", "order", "transfers")


def scope_filter(scope: dict[str, Any]) -> Q:
    """The transfers a scope selects (any status); a ``ValueError`` for an unknown scope."""
    if scope.get("all"):
        return Q()
    if "transfers" in scope:
        return Q(ref__in=list(scope["transfers"]))
    if "person" in scope:
        return Q(person__ref=scope["person"])
    if "arrangement" in scope:
        return Q(arrangement__ref=scope["arrangement"])
    if "sending" in scope and "destination" in scope:
        return Q(sending_id=scope["sending"], destination_id=scope["destination"])
    if "destination" in scope:
        return Q(destination_id=scope["destination"])
    if "sending" in scope:
        return Q(sending_id=scope["sending"])
    if "order" in scope:
        order = CourtOrder.objects.select_related("scope_person", "scope_arrangement").get(
            ref=scope["order"]
        )
        return scope_filter(order_scope(order))
    raise ValueError(f"unknown scope {scope!r}; expected one key of {', '.join(SCOPE_KINDS)}")


def order_scope(order: CourtOrder) -> dict[str, Any]:
    """The transfers a court order can cover, as a run scope."""
    if order.scope_person_id is not None:
        return {"person": order.scope_person.ref}
    if order.scope_arrangement_id is not None:
        return {"arrangement": order.scope_arrangement.ref}
    if order.scope_destination_id is not None:
        return {"sending": order.scope_sending_id, "destination": order.scope_destination_id}
    return {"sending": order.scope_sending_id}


def pending_transfers(scope: dict[str, Any]) -> QuerySet[Transfer, Transfer]:
    """The proposed transfers a scope selects."""
    return Transfer.objects.filter(scope_filter(scope), status="proposed")


def describe_scope(scope: dict[str, Any]) -> str:
    """A scope in words, for a run's trigger."""
    if scope.get("all"):
        return "every pending transfer"
    if "transfers" in scope:
        return (
            "transfers "
            + ", ".join(scope["transfers"][:5])
            + (", …" if len(scope["transfers"]) > 5 else "")
        )
    parts = [f"{key} {value}" for key, value in scope.items()]
    return "pending transfers of " + " and ".join(parts)
