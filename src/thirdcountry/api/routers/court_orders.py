"""Court orders: stays, injunctions and interim measures, and when they were lifted."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Header, Query

from thirdcountry.api.auth import caller, require, require_view
from thirdcountry.api.documents import object_body
from thirdcountry.api.editing import require_if_match
from thirdcountry.api.etag import check_if_match, etag_of, lock
from thirdcountry.api.http import operation, respond
from thirdcountry.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from thirdcountry.api.privacy import court_order_for_monitor, person_ref, pseudonymised
from thirdcountry.api.problems import ApiProblem, invalid, not_found
from thirdcountry.api.selectors import court_orders_matching
from thirdcountry.cases.legal_events import correct_court_order, record_court_order
from thirdcountry.records.documents import court_order_documents, parse_court_order
from thirdcountry.registry.models import CourtOrder

router = Router(tags=["court orders"])

IF_MATCH = Header(
    None,
    alias="If-Match",
    description="Required: the ETag of the court order as last read (428 without it).",
)


def view(request: HttpRequest) -> Any:
    """What the caller sees of a court order."""
    if pseudonymised(request):
        return court_order_for_monitor
    return lambda order: order


def _read(ref: str) -> dict[str, Any] | None:
    return court_order_documents([ref]).get(ref)


@router.get(
    "/court_orders",
    **operation({200: "CourtOrderPage"}, 403, 422),
    summary="List court orders",
)
def list_court_orders(
    request: HttpRequest,
    kind: Literal["stay", "injunction", "interim_measure"] | None = None,
    arrangement: str | None = Query(None, description="Orders on this arrangement."),
    person: str | None = Query(None, description="Orders on this person."),
    sending: str | None = Query(None, description="Orders on this sending state."),
    destination: str | None = Query(None, description="Orders on this destination."),
    active_on: date | None = Query(None, description="Only orders in effect on this date."),
    issued_from: date | None = Query(None, description="Issued on this date or later."),
    issued_to: date | None = Query(None, description="Issued on this date or earlier."),
    cursor: str | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Court orders in the order they were recorded."""
    require(request, "registry.view_courtorder")
    orders = court_orders_matching(
        kind=kind,
        arrangement=arrangement,
        person=person_ref(person) if person and pseudonymised(request) else person,
        sending=sending,
        destination=destination,
        active_on=active_on,
        issued_from=issued_from,
        issued_to=issued_to,
    )
    rows, next_url = page(request, orders.only("pk", "ref"), cursor, limit)
    documents = court_order_documents([o.ref for o in rows])
    shown = view(request)
    return respond({"items": [shown(documents[o.ref]) for o in rows], "next": next_url})


@router.get(
    "/court_orders/{ref}",
    **operation({200: "CourtOrderOut"}, 404, etag=200),
    summary="Read a court order",
)
def get_court_order(request: HttpRequest, ref: str) -> HttpResponse:
    """One court order and its scope."""
    require_view(request, "registry.view_courtorder", f"court order {ref}")
    document = _read(ref)
    if document is None:
        raise not_found(f"court order {ref}")
    return respond(view(request)(document), etag=True)


@router.post(
    "/court_orders",
    **operation({201: "CourtOrderOut"}, 403, 409, 422, body="CourtOrderIn", etag=201),
    summary="Record a court order",
)
def create_court_order(request: HttpRequest) -> HttpResponse:
    """Record a stay, injunction or interim measure, as a scenario file's court order, and
    re-screen every pending transfer it covers."""
    require(request, "registry.add_courtorder")
    order = parse_court_order(object_body(request))
    if CourtOrder.objects.filter(ref=order.ref).exists():
        raise ApiProblem(409, f"court order {order.ref} already exists", [("ref", "already used")])
    record_court_order(
        order.ref,
        order.kind,
        order.issuer,
        order.issued,
        order.scope,
        lifted=order.lifted,
        user=caller(request),
    )
    return respond(
        view(request)(_read(order.ref)), 201, etag=True, location=f"{request.path}/{order.ref}"
    )


@router.patch(
    "/court_orders/{ref}",
    **operation({200: "CourtOrderOut"}, 403, 404, 412, 422, 428, body="CourtOrderPatch", etag=200),
    summary="Record that a court order was lifted",
)
def patch_court_order(
    request: HttpRequest, ref: str, if_match: str | None = IF_MATCH
) -> HttpResponse:
    """Record the date an order was lifted and re-screen what it covered."""
    require(request, "registry.change_courtorder")
    require_if_match(if_match)
    data = object_body(request)
    refused = [(key, "only lifted can be changed") for key in data if key != "lifted"]
    if "lifted" not in data:
        refused.append(("lifted", "required key is missing"))
    if refused:
        raise invalid(refused)
    with transaction.atomic():
        if not lock(CourtOrder, ref=ref):
            raise not_found(f"court order {ref}")
        current = _read(ref)
        assert current is not None
        check_if_match(if_match, etag_of(view(request)(current)))
        if data["lifted"] is None:
            raise invalid([("lifted", "null is not a date in the form YYYY-MM-DD")])
        parsed = parse_court_order({**current, "lifted": data["lifted"]})
        if parsed.lifted != (date.fromisoformat(current["lifted"]) if current["lifted"] else None):
            correct_court_order(
                CourtOrder.objects.get(ref=ref),
                parsed,
                f"lifted on {parsed.lifted} (through the API)",
                caller(request),
            )
        after = _read(ref)
    return respond(view(request)(after), etag=True)
