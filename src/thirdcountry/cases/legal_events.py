"""Recording legal events kept in the registry: a court order issued or lifted, an
arrangement's status changing, a new country assessment. Each re-screens exactly the pending
transfers it can affect, and returns that run.

These writes change registry records, yet they live in the cases app: re-screening is the
cases app's work, and the registry sits below it (cases import registry models, never the
reverse). Keeping them here makes that dependency plain in the imports, where a hook
registered at start-up would hide it. The registry's own services keep the writes that
re-screen nothing (exchange rates, payments).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from thirdcountry.cases.models import Person, ScreeningRun
from thirdcountry.cases.run_scope import order_scope
from thirdcountry.cases.tasks import rescreen_for_event
from thirdcountry.history import next_seq, save_with_history
from thirdcountry.registry.models import Arrangement, ArrangementStatus, Assessment, CourtOrder
from thirdcountry.scenario.model import CourtOrder as ScenarioCourtOrder
from thirdcountry.scenario.model import CourtOrderScope


@transaction.atomic
def record_court_order(
    ref: str,
    kind: str,
    issuer: str,
    issued: date,
    scope: CourtOrderScope,
    lifted: date | None = None,
    user: Any = None,
    reason: str | None = None,
) -> tuple[CourtOrder, ScreeningRun]:
    """Record a stay, injunction or interim measure and re-screen what it covers.
    ``reason`` goes into the order's history."""
    order = CourtOrder(ref=ref, kind=kind, issuer=issuer, issued=issued, lifted=lifted)
    _apply_scope(order, scope)
    save_with_history(order, user, reason or f"court order {ref} recorded")
    run = rescreen_for_event(
        order_scope(order), f"court order {ref} ({kind}, {issuer}) recorded", user=user
    )
    return order, run


def _apply_scope(order: CourtOrder, scope: CourtOrderScope) -> None:
    order.scope_person = Person.objects.get(ref=scope.person) if scope.person else None
    order.scope_arrangement = (
        Arrangement.objects.get(ref=scope.arrangement) if scope.arrangement else None
    )
    order.scope_sending_id = scope.sending
    order.scope_destination_id = scope.destination


@transaction.atomic
def lift_court_order(
    order: CourtOrder, lifted: date, user: Any = None, reason: str | None = None
) -> ScreeningRun:
    """Record the date an order was lifted and re-screen what it covered. ``reason`` goes
    into the order's history (by default, the date it was lifted)."""
    order.lifted = lifted
    save_with_history(order, user, reason or f"lifted on {lifted}")
    return rescreen_for_event(
        order_scope(order), f"court order {order.ref} lifted on {lifted}", user=user
    )


@transaction.atomic
def correct_court_order(
    order: CourtOrder, corrected: ScenarioCourtOrder, reason: str, user: Any = None
) -> list[ScreeningRun]:
    """Correct a recorded order: its kind, issuer, dates or scope, with ``reason`` kept in
    its history. What it covered before and what it covers now are re-screened (one run
    when the scope is unchanged)."""
    if corrected.ref != order.ref:
        raise ValueError(f"a correction of {order.ref} names {corrected.ref}; refs never change")
    covered = order_scope(order)
    order.kind = corrected.kind
    order.issuer = corrected.issuer
    order.issued = corrected.issued
    order.lifted = corrected.lifted
    _apply_scope(order, corrected.scope)
    save_with_history(order, user, reason)
    covers = order_scope(order)
    trigger = f"court order {order.ref} corrected: {reason}"
    scopes = [covered] if covers == covered else [covered, covers]
    return [rescreen_for_event(scope, trigger, user=user) for scope in scopes]


@transaction.atomic
def withdraw_court_order(order: CourtOrder, reason: str, user: Any = None) -> ScreeningRun:
    """Withdraw an order recorded in error: it no longer exists, its history keeps every
    version and ``reason``, and what it covered is re-screened."""
    covered = order_scope(order)
    ref = order.ref
    if getattr(user, "is_authenticated", False):
        order._history_user = user
    order._change_reason = reason[:100]
    order.delete()
    return rescreen_for_event(covered, f"court order {ref} withdrawn: {reason}", user=user)


@transaction.atomic
def record_arrangement_status(
    arrangement: Arrangement,
    on: date,
    status: str,
    source: str,
    user: Any = None,
    reason: str | None = None,
) -> ScreeningRun:
    """Add a dated entry to an arrangement's status history and re-screen its transfers.
    ``reason`` goes into the entry's history."""
    seq = next_seq(arrangement.status_history.all())
    entry = ArrangementStatus(
        arrangement=arrangement, seq=seq, date=on, status=status, source=source
    )
    save_with_history(entry, user, reason or f"status {status} from {on}")
    return rescreen_for_event(
        {"arrangement": arrangement.ref},
        f"arrangement {arrangement.ref} {status} from {on} ({source})",
        user=user,
    )


@transaction.atomic
def record_assessment(
    country: str,
    on: date,
    onward_refoulement_risk: bool,
    source: str,
    user: Any = None,
    reason: str | None = None,
) -> ScreeningRun:
    """Add a country assessment and re-screen every pending transfer to that country.
    ``reason`` goes into the assessment's history (by default, its date)."""
    seq = next_seq(Assessment.objects.filter(country_id=country))
    assessment = Assessment(
        country_id=country,
        seq=seq,
        date=on,
        onward_refoulement_risk=onward_refoulement_risk,
        source=source,
    )
    save_with_history(assessment, user, reason or f"assessment of {on}")
    risk = "a risk" if onward_refoulement_risk else "no risk"
    return rescreen_for_event(
        {"destination": country},
        f"assessment of {country} on {on} finds {risk} of onward refoulement",
        user=user,
    )
