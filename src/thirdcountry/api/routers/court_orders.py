"""Court orders: stays, injunctions and interim measures; when they were lifted, their
correction and their withdrawal, each re-screening what the order covers."""

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
from thirdcountry.cases.legal_events import (
    correct_court_order,
    record_court_order,
    withdraw_court_order,
)
from thirdcountry.cases.models import ScreeningRun
from thirdcountry.oversight.findings import shown_changes
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


REASON = Query(
    None,
    max_length=2000,
    description="Why the order is corrected or withdrawn, kept in its history: required, "
    "except when a PATCH only records the date the order was lifted.",
)


def _reason(reason: str | None, required: bool) -> str | None:
    """The reason given, stripped; a problem when it is required and missing or unusable."""
    if reason is not None and "\x00" in reason:
        raise invalid([("reason", "contains a NUL character")])
    given = (reason or "").strip() or None
    if given is None and required:
        raise invalid([("reason", "a reason is required (?reason=...), kept in the history")])
    return given


def rescreen_document(run: ScreeningRun, monitor: bool) -> dict[str, Any]:
    """A re-screening run as the API shows it: each transfer whose verdict or findings it
    changed, with the rules that changed."""
    return {
        "run": run.pk,
        "trigger": run.trigger,
        "as_of": run.as_of.isoformat(),
        "catalog": run.catalog,
        "changed": [
            {
                "transfer": change.transfer.ref,
                "verdict_before": change.verdict_before,
                "verdict_after": change.verdict_after,
                "rules_changed": shown_changes(
                    run.catalog, change.rules_changed, personal=not monitor, language="en"
                ),
            }
            for change in run.changes.select_related("transfer")
        ],
    }


def _changed(
    request: HttpRequest, order: dict[str, Any] | None, reason: str, runs: list[ScreeningRun]
) -> HttpResponse:
    """The response to a correction or withdrawal; its ETag is the order's, as a GET gives
    it, so that a further change can name it in If-Match."""
    monitor = pseudonymised(request)
    shown = None if order is None else view(request)(order)
    response = respond(
        {
            "court_order": shown,
            "reason": reason,
            "rescreened": [rescreen_document(run, monitor) for run in runs],
        }
    )
    if shown is not None:
        response["ETag"] = etag_of(shown)
    return response


def _unlifted(order: dict[str, Any]) -> dict[str, Any]:
    """An order's document as a scenario file states it: ``lifted`` left out when null."""
    return {k: v for k, v in order.items() if not (k == "lifted" and v is None)}


_CORRECTABLE = ("kind", "issuer", "issued", "lifted", "scope")


@router.patch(
    "/court_orders/{ref}",
    **operation(
        {200: "CourtOrderChange"}, 403, 404, 412, 422, 428, body="CourtOrderPatch", etag=200
    ),
    summary="Correct a court order, or record that it was lifted",
)
def patch_court_order(
    request: HttpRequest, ref: str, if_match: str | None = IF_MATCH, reason: str | None = REASON
) -> HttpResponse:
    """Correct an order recorded wrongly (its kind, issuer, dates or scope; a key left out
    is unchanged), with a reason kept in its history, or record the date it was lifted.
    What it covered before and what it covers now are re-screened, and the response shows
    each run and the verdicts it changed."""
    require(request, "registry.change_courtorder")
    require_if_match(if_match)
    data = object_body(request)
    refused = [
        (key, "the ref never changes" if key == "ref" else "unknown key: not a court order's")
        for key in data
        if key not in _CORRECTABLE
    ]
    if refused:
        raise invalid(refused)
    # Recording that an order was lifted is no correction: it needs no reason. Taking a
    # lifting back (null) corrects what was recorded, and does.
    lifting_only = set(data) == {"lifted"} and data["lifted"] is not None
    given = _reason(reason, required=not lifting_only)
    with transaction.atomic():
        if not lock(CourtOrder, ref=ref):
            raise not_found(f"court order {ref}")
        current = _read(ref)
        assert current is not None
        check_if_match(if_match, etag_of(view(request)(current)))
        before = _unlifted(current)
        merged = _unlifted({**current, **data})
        parsed = parse_court_order(merged)
        if given is None:
            given = f"lifted on {parsed.lifted} (through the API)"
        runs: list[ScreeningRun] = []
        if merged != before:
            runs = correct_court_order(
                CourtOrder.objects.get(ref=ref), parsed, given, caller(request)
            )
        after = _read(ref)
    return _changed(request, after, given, runs)


@router.delete(
    "/court_orders/{ref}",
    **operation({200: "CourtOrderChange"}, 403, 404, 412, 422, 428, etag=None),
    summary="Withdraw a court order recorded in error",
)
def delete_court_order(
    request: HttpRequest, ref: str, if_match: str | None = IF_MATCH, reason: str | None = REASON
) -> HttpResponse:
    """Withdraw an order recorded in error, with a reason: it no longer exists, its history
    keeps every version and the reason, and what it covered is re-screened (the response
    shows the run and the verdicts it changed)."""
    require(request, "registry.change_courtorder")
    require_if_match(if_match)
    given = _reason(reason, required=True)
    assert given is not None
    with transaction.atomic():
        if not lock(CourtOrder, ref=ref):
            raise not_found(f"court order {ref}")
        current = _read(ref)
        assert current is not None
        check_if_match(if_match, etag_of(view(request)(current)))
        run = withdraw_court_order(CourtOrder.objects.get(ref=ref), given, caller(request))
    return _changed(request, None, given, [run])
