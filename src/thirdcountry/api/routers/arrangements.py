"""Arrangements with their status history, terms, commitments and payment ledger."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Header, Query

from thirdcountry.api.auth import caller, require, require_view
from thirdcountry.api.documents import object_body
from thirdcountry.api.editing import change_record
from thirdcountry.api.http import operation, respond
from thirdcountry.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from thirdcountry.api.privacy import arrangement_for_monitor, pseudonymised
from thirdcountry.api.problems import ApiProblem, invalid, not_found
from thirdcountry.api.selectors import arrangements_matching
from thirdcountry.cases.legal_events import record_arrangement_status
from thirdcountry.cases.rescreening import default_as_of
from thirdcountry.records.documents import (
    arrangement_document,
    arrangement_documents,
    parse_arrangement,
    parse_entry,
)
from thirdcountry.records.services import save_arrangement
from thirdcountry.registry.models import Arrangement
from thirdcountry.registry.services import record_payment

router = Router(tags=["arrangements"])

#: What a PATCH may change; the status history and payments grow by their own POSTs.
PATCHABLE = ("title", "cap", "terms", "commitments")

IF_MATCH = Header(
    None,
    alias="If-Match",
    description="Required: the ETag of the arrangement as last read (428 without it).",
)


def view(request: HttpRequest) -> Any:
    """What the caller sees of an arrangement (a monitor: no payment notes)."""
    if pseudonymised(request):
        return arrangement_for_monitor
    return lambda arrangement: arrangement


def _read(ref: str) -> dict[str, Any] | None:
    return arrangement_documents([ref]).get(ref)


@router.get(
    "/arrangements",
    **operation({200: "ArrangementPage"}, 403, 422),
    summary="List arrangements",
)
def list_arrangements(
    request: HttpRequest,
    sending: str | None = Query(None, description="A sending country code."),
    receiving: str | None = Query(None, description="A receiving country code."),
    status: Literal[
        "negotiating", "signed", "in_force", "suspended", "ruled_unlawful", "terminated"
    ]
    | None = Query(None, description="Only arrangements with this status on `on`."),
    on: date | None = Query(
        None, description="The date `status` speaks for (default: the screening date)."
    ),
    cursor: str | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Arrangements with their status history, terms, commitments and payments."""
    require(request, "registry.view_arrangement")
    arrangements = arrangements_matching(
        sending=sending,
        receiving=receiving,
        status=status,
        on=(on or default_as_of()) if status else None,
    )
    rows, next_url = page(request, arrangements.only("pk", "ref"), cursor, limit)
    documents = arrangement_documents([a.ref for a in rows])
    shown = view(request)
    return respond({"items": [shown(documents[a.ref]) for a in rows], "next": next_url})


@router.get(
    "/arrangements/{ref}",
    **operation({200: "ArrangementOut"}, 404, etag=200),
    summary="Read an arrangement",
)
def get_arrangement(request: HttpRequest, ref: str) -> HttpResponse:
    """One arrangement, as a scenario file holds it."""
    require_view(request, "registry.view_arrangement", f"arrangement {ref}")
    document = _read(ref)
    if document is None:
        raise not_found(f"arrangement {ref}")
    return respond(view(request)(document), etag=True)


@router.post(
    "/arrangements",
    **operation({201: "ArrangementOut"}, 403, 409, 422, body="ArrangementIn", etag=201),
    summary="Record an arrangement",
)
def create_arrangement(request: HttpRequest) -> HttpResponse:
    """Record a new arrangement, as a scenario file's arrangement object."""
    require(request, "registry.add_arrangement")
    data = object_body(request)
    arrangement = parse_arrangement(data)
    if arrangement.status_history:
        require(request, "registry.add_arrangementstatus")
    if arrangement.payments:
        require(request, "registry.add_payment")
    if Arrangement.objects.filter(ref=arrangement.ref).exists():
        raise ApiProblem(
            409, f"arrangement {arrangement.ref} already exists", [("ref", "already used")]
        )
    save_arrangement(arrangement, caller(request), created=True)
    return respond(
        _read(arrangement.ref), 201, etag=True, location=f"{request.path}/{arrangement.ref}"
    )


@router.patch(
    "/arrangements/{ref}",
    **operation(
        {200: "ArrangementOut"}, 403, 404, 412, 422, 428, body="ArrangementPatch", etag=200
    ),
    summary="Change an arrangement's title, cap, terms or commitments",
)
def patch_arrangement(
    request: HttpRequest, ref: str, if_match: str | None = IF_MATCH
) -> HttpResponse:
    """Change the keys given (a key left out is unchanged) and re-screen the arrangement's
    pending transfers."""
    require(request, "registry.change_arrangement")
    data = object_body(request)
    refused = [
        (key, f"cannot be changed here (a PATCH changes {', '.join(PATCHABLE)})")
        for key in data
        if key not in PATCHABLE
    ]
    if refused:
        raise invalid(refused)
    changed = change_record(
        request,
        model=Arrangement,
        ref=ref,
        what=f"arrangement {ref}",
        if_match=if_match,
        read=_read,
        view=lambda document: document,
        merge=lambda current: {**current, **data},
        parse=parse_arrangement,
        written=arrangement_document,
        save=lambda arrangement, _: save_arrangement(arrangement, caller(request)),
        permission="registry.change_arrangement",
        field_permissions={},
        requested=set(data),
    )
    return respond(changed, etag=True)


@router.post(
    "/arrangements/{ref}/status_history",
    **operation({201: "ArrangementOut"}, 403, 404, 422, body="StatusChange", etag=201),
    summary="Add a dated status to an arrangement",
)
def add_status(request: HttpRequest, ref: str) -> HttpResponse:
    """Append an entry to the arrangement's status history (e.g. ruled unlawful on a date,
    with its source) and re-screen its pending transfers. Returns the arrangement."""
    require(request, "registry.add_arrangementstatus")
    data = object_body(request)
    with transaction.atomic():
        arrangement = Arrangement.objects.filter(ref=ref).first()
        if arrangement is None:
            raise not_found(f"arrangement {ref}")
        entry = parse_entry(data, arrangement, "status_history")
        record_arrangement_status(
            arrangement, entry.date, entry.status, entry.source, user=caller(request)
        )
    return respond(_read(ref), 201, etag=True, location=f"/api/v1/arrangements/{ref}")


@router.post(
    "/arrangements/{ref}/payments",
    **operation({201: "ArrangementOut"}, 403, 404, 422, body="Payment", etag=201),
    summary="Add a payment to an arrangement's ledger",
)
def add_payment(request: HttpRequest, ref: str) -> HttpResponse:
    """Append an entry (paid, committed, claimed or disputed) to the payment ledger.
    Returns the arrangement."""
    require(request, "registry.add_payment")
    data = object_body(request)
    with transaction.atomic():
        arrangement = Arrangement.objects.filter(ref=ref).first()
        if arrangement is None:
            raise not_found(f"arrangement {ref}")
        payment = parse_entry(data, arrangement, "payments")
        record_payment(arrangement, payment, caller(request))
    return respond(_read(ref), 201, etag=True, location=f"/api/v1/arrangements/{ref}")
