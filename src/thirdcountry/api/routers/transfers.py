"""Transfers: list, read, create, replace and change; their latest verdict; screening one
now."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Header, Query

from thirdcountry.api.auth import caller, require, require_any, require_view
from thirdcountry.api.documents import (
    object_body,
    parse_transfer,
    transfer_document,
    transfer_documents,
)
from thirdcountry.api.editing import change_record
from thirdcountry.api.http import body, respond, responses, with_etag
from thirdcountry.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from thirdcountry.api.privacy import person_ref, pseudonymised, transfer_for_monitor
from thirdcountry.api.problems import ApiProblem, not_found
from thirdcountry.api.routers.screenings import screening_document
from thirdcountry.api.schemas import ScreeningOut, ScreenOut, TransferOut, TransferPage
from thirdcountry.api.services import save_transfer
from thirdcountry.cases.models import ScreeningRecord, Transfer
from thirdcountry.cases.rescreening import rescreen
from thirdcountry.records.export import export_transfers

router = Router(tags=["transfers"])

#: Facts whose change needs a permission of its own (the rest need cases.change_transfer).
FIELD_PERMISSIONS = {
    "accepted_by_receiving": "cases.record_acceptance",
    "notice": "cases.record_notice",
}
WRITE_PERMISSIONS = ("cases.change_transfer", *FIELD_PERMISSIONS.values())

IF_MATCH = Header(
    None,
    alias="If-Match",
    description="Required: the ETag of the transfer as last read (428 without it).",
)


def view(request: HttpRequest) -> Any:
    """What the caller sees of a transfer's representation."""
    if pseudonymised(request):
        return transfer_for_monitor
    return lambda transfer: transfer


def _read(ref: str) -> dict[str, Any] | None:
    return transfer_documents([ref]).get(ref)


def latest_verdict() -> Subquery:
    """The verdict of a transfer's latest stored screening (an indexed lookup)."""
    return Subquery(
        ScreeningRecord.objects.filter(transfer=OuterRef("pk"))
        .order_by("-id")
        .values("verdict")[:1]
    )


@router.get(
    "/transfers",
    response=responses({200: TransferPage}, 403, 422),
    summary="List transfers",
)
def list_transfers(
    request: HttpRequest,
    verdict: Literal["clear", "review", "blocked"] | None = Query(
        None, description="Only transfers whose latest stored verdict is this."
    ),
    arrangement: str | None = Query(None, description="An arrangement's ref."),
    destination: str | None = Query(None, description="A destination country code."),
    sending: str | None = Query(None, description="A sending country code."),
    status: Literal["proposed", "executed", "cancelled"] | None = None,
    person: str | None = Query(None, description="A person's ref (a monitor: pseudonym)."),
    planned_from: date | None = Query(None, description="Planned on this date or later."),
    planned_to: date | None = Query(None, description="Planned on this date or earlier."),
    cursor: str | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Transfers in the order they were recorded, a page at a time."""
    require(request, "cases.view_transfer")
    transfers = Transfer.objects.all()
    if verdict:
        transfers = transfers.annotate(latest_verdict=latest_verdict()).filter(
            latest_verdict=verdict
        )
    if arrangement:
        transfers = transfers.filter(arrangement__ref=arrangement)
    if destination:
        transfers = transfers.filter(destination_id=destination)
    if sending:
        transfers = transfers.filter(sending_id=sending)
    if status:
        transfers = transfers.filter(status=status)
    if person:
        ref = person_ref(person) if pseudonymised(request) else person
        transfers = transfers.filter(person__ref=ref)
    if planned_from:
        transfers = transfers.filter(planned_date__gte=planned_from)
    if planned_to:
        transfers = transfers.filter(planned_date__lte=planned_to)
    rows, next_url = page(request, transfers.only("pk", "ref"), cursor, limit)
    documents = transfer_documents([t.ref for t in rows])
    shown = view(request)
    return respond({"items": [shown(documents[t.ref]) for t in rows], "next": next_url})


@router.get(
    "/transfers/{ref}",
    response=responses({200: TransferOut}, 404),
    summary="Read a transfer",
    openapi_extra=with_etag(),
)
def get_transfer(request: HttpRequest, ref: str) -> HttpResponse:
    """One transfer (``accepted_by_receiving`` or ``notice`` left out: unknown)."""
    require_view(request, "cases.view_transfer", f"transfer {ref}")
    document = _read(ref)
    if document is None:
        raise not_found(f"transfer {ref}")
    return respond(view(request)(document), etag=True)


@router.post(
    "/transfers",
    response=responses({201: TransferOut}, 403, 409, 422),
    summary="Propose (or record) a transfer",
    openapi_extra=body("TransferIn", with_etag(201)),
)
def create_transfer(request: HttpRequest) -> HttpResponse:
    """Record a transfer, as a scenario file's transfer object, and screen it."""
    require(request, "cases.add_transfer")
    data = object_body(request)
    transfer = parse_transfer(data)
    require(request, *(FIELD_PERMISSIONS[k] for k in FIELD_PERMISSIONS if k in data))
    if Transfer.objects.filter(ref=transfer.ref).exists():
        raise ApiProblem(409, f"transfer {transfer.ref} already exists", [("ref", "already used")])
    save_transfer(transfer, user=caller(request))
    document = _read(transfer.ref)
    return respond(
        view(request)(document), 201, etag=True, location=f"{request.path}/{transfer.ref}"
    )


def _change(request: HttpRequest, ref: str, if_match: str | None, replace: bool) -> HttpResponse:
    require_any(request, *WRITE_PERMISSIONS)
    data = object_body(request)

    def merge(current: dict[str, Any]) -> dict[str, Any]:
        return dict(data) if replace else {**current, **data}

    def save(transfer: Any, _current: dict[str, Any]) -> None:
        before = export_transfers([ref])[0]
        save_transfer(transfer, before, caller(request))

    changed = change_record(
        request,
        model=Transfer,
        ref=ref,
        what=f"transfer {ref}",
        if_match=if_match,
        read=_read,
        view=view(request),
        merge=merge,
        parse=parse_transfer,
        written=transfer_document,
        save=save,
        permission="cases.change_transfer",
        field_permissions=FIELD_PERMISSIONS,
        requested=None if replace else set(data),
    )
    return respond(changed, etag=True)


@router.put(
    "/transfers/{ref}",
    response=responses({200: TransferOut}, 403, 404, 412, 422, 428),
    summary="Replace a transfer",
    openapi_extra=body("TransferIn", with_etag()),
)
def replace_transfer(
    request: HttpRequest, ref: str, if_match: str | None = IF_MATCH
) -> HttpResponse:
    """Replace a transfer whole, as a scenario file states it (``accepted_by_receiving`` or
    ``notice`` left out becomes unknown), and re-screen it."""
    return _change(request, ref, if_match, replace=True)


@router.patch(
    "/transfers/{ref}",
    response=responses({200: TransferOut}, 403, 404, 412, 422, 428),
    summary="Change some facts of a transfer",
    openapi_extra=body("TransferPatch", with_etag()),
)
def patch_transfer(request: HttpRequest, ref: str, if_match: str | None = IF_MATCH) -> HttpResponse:
    """Change the values given (a key left out is unchanged) and re-screen the transfer."""
    return _change(request, ref, if_match, replace=False)


@router.get(
    "/transfers/{ref}/verdict",
    response=responses({200: ScreeningOut}, 404),
    summary="The transfer's latest verdict",
    openapi_extra=with_etag(),
)
def get_verdict(request: HttpRequest, ref: str) -> HttpResponse:
    """The latest stored screening of a transfer: its verdict and every finding with its
    reason and legal basis. 404 when the transfer was never screened."""
    require_view(request, "cases.view_screening", f"transfer {ref}")
    screening = ScreeningRecord.objects.filter(transfer__ref=ref).order_by("-id").first()
    if screening is None:
        if Transfer.objects.filter(ref=ref).exists():
            raise not_found(f"verdict: transfer {ref} has not been screened")
        raise not_found(f"transfer {ref}")
    return respond(screening_document(screening, ref, pseudonymised(request)), etag=True)


@router.post(
    "/transfers/{ref}/screen",
    response=responses({200: ScreenOut}, 403, 404, 409),
    summary="Screen a transfer now",
)
def screen_transfer(request: HttpRequest, ref: str) -> HttpResponse:
    """Screen one proposed transfer now against the stored facts (a screening run of that
    transfer alone), store its verdict if its findings changed, and return it."""
    require(request, "cases.add_screeningrun")
    status = Transfer.objects.filter(ref=ref).values_list("status", flat=True).first()
    if status is None:
        raise not_found(f"transfer {ref}")
    if status != "proposed":
        raise ApiProblem(409, f"transfer {ref} is {status}: only proposed transfers are screened")
    run = rescreen(
        {"transfers": [ref]}, f"transfer {ref} screened on request", user=caller(request)
    )
    screening = ScreeningRecord.objects.filter(transfer__ref=ref).order_by("-id").first()
    assert screening is not None
    monitor = pseudonymised(request)
    changes = [
        {
            "transfer": ref,
            "verdict_before": change.verdict_before,
            "verdict_after": change.verdict_after,
            "rules_changed": change.rules_changed,
        }
        for change in run.changes.all()
    ]
    return respond(
        {
            "run": run.pk,
            "as_of": run.as_of.isoformat(),
            "catalog": run.catalog,
            "changed": changes,
            "verdict": screening_document(screening, ref, monitor),
        }
    )
