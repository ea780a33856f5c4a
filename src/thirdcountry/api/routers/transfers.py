"""Transfers: list, read, create, replace and change; their latest verdict; screening one
now."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Header, Query

from thirdcountry.api.auth import caller, require, require_any, require_view
from thirdcountry.api.documents import object_body
from thirdcountry.api.editing import change_record
from thirdcountry.api.http import operation, respond
from thirdcountry.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from thirdcountry.api.privacy import person_ref, pseudonymised, transfer_for_monitor
from thirdcountry.api.problems import ApiProblem, invalid, not_found
from thirdcountry.api.routers.screenings import screening_document
from thirdcountry.api.selectors import latest_screening, transfers_matching
from thirdcountry.cases import services as case_services
from thirdcountry.cases.models import Transfer
from thirdcountry.oversight.findings import shown_changes
from thirdcountry.records.documents import parse_transfer, transfer_document, transfer_documents
from thirdcountry.records.export import export_transfers
from thirdcountry.records.services import save_transfer

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


@router.get(
    "/transfers",
    **operation({200: "TransferPage"}, 403, 422),
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
    transfers = transfers_matching(
        verdict=verdict,
        arrangement=arrangement,
        destination=destination,
        sending=sending,
        status=status,
        person=person_ref(person) if person and pseudonymised(request) else person,
        planned_from=planned_from,
        planned_to=planned_to,
    )
    rows, next_url = page(request, transfers.only("pk", "ref"), cursor, limit)
    documents = transfer_documents([t.ref for t in rows])
    shown = view(request)
    return respond({"items": [shown(documents[t.ref]) for t in rows], "next": next_url})


@router.get(
    "/transfers/{ref}",
    **operation({200: "TransferOut"}, 404, etag=200),
    summary="Read a transfer",
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
    **operation({201: "TransferOut"}, 403, 409, 422, body="TransferIn", etag=201),
    summary="Propose (or record) a transfer",
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


REASON = Query(
    None,
    max_length=2000,
    description="Why the transfer was executed: required when a change executes a "
    "transfer whose latest verdict is not clear (the execution is recorded and flagged as "
    "an incident).",
)


def _change(
    request: HttpRequest, ref: str, if_match: str | None, replace: bool, reason: str | None
) -> HttpResponse:
    require_any(request, *WRITE_PERMISSIONS)
    data = object_body(request)
    # What the caller saw, before the transfer is locked: an execution recorded against a
    # verdict that changed meanwhile is flagged with those that changed it.
    seen = case_services.seen_state(ref)

    def merge(current: dict[str, Any]) -> dict[str, Any]:
        return dict(data) if replace else {**current, **data}

    def save(transfer: Any, _current: dict[str, Any]) -> None:
        before = export_transfers([ref])[0]
        if reason is not None and "\x00" in reason:
            raise invalid([("reason", "contains a NUL character")])
        executes = transfer.status == "executed" and before.status != "executed"
        if executes and seen.verdict != "clear" and not (reason or "").strip():
            raise invalid(
                [
                    (
                        "reason",
                        f"the transfer's latest verdict is {seen.verdict}: recording its "
                        "execution needs a reason (?reason=...)",
                    )
                ]
            )
        save_transfer(transfer, before, caller(request), execution_reason=reason or "", seen=seen)

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
    **operation({200: "TransferOut"}, 403, 404, 412, 422, 428, body="TransferIn", etag=200),
    summary="Replace a transfer",
)
def replace_transfer(
    request: HttpRequest, ref: str, if_match: str | None = IF_MATCH, reason: str | None = REASON
) -> HttpResponse:
    """Replace a transfer whole, as a scenario file states it (``accepted_by_receiving`` or
    ``notice`` left out becomes unknown), and re-screen it."""
    return _change(request, ref, if_match, replace=True, reason=reason)


@router.patch(
    "/transfers/{ref}",
    **operation({200: "TransferOut"}, 403, 404, 412, 422, 428, body="TransferPatch", etag=200),
    summary="Change some facts of a transfer",
)
def patch_transfer(
    request: HttpRequest, ref: str, if_match: str | None = IF_MATCH, reason: str | None = REASON
) -> HttpResponse:
    """Change the values given (a key left out is unchanged) and re-screen the transfer."""
    return _change(request, ref, if_match, replace=False, reason=reason)


@router.get(
    "/transfers/{ref}/verdict",
    **operation({200: "ScreeningOut"}, 404, etag=200),
    summary="The transfer's latest verdict",
)
def get_verdict(request: HttpRequest, ref: str) -> HttpResponse:
    """The latest stored screening of a transfer: its verdict and every finding with its
    reason and legal basis. 404 when the transfer was never screened."""
    require_view(request, "cases.view_screening", f"transfer {ref}")
    screening = latest_screening(ref)
    if screening is None:
        if Transfer.objects.filter(ref=ref).exists():
            raise not_found(f"verdict: transfer {ref} has not been screened")
        raise not_found(f"transfer {ref}")
    return respond(screening_document(screening, ref, pseudonymised(request)), etag=True)


@router.post(
    "/transfers/{ref}/screen",
    **operation({200: "ScreenOut"}, 403, 404, 409),
    summary="Screen a transfer now",
)
def screen_transfer(request: HttpRequest, ref: str) -> HttpResponse:
    """Screen one proposed transfer now against the stored facts (a screening run of that
    transfer alone), store its verdict if its findings changed, and return it."""
    require(request, "cases.add_screeningrun")
    row = Transfer.objects.filter(ref=ref).values_list("pk", "status").first()
    if row is None:
        raise not_found(f"transfer {ref}")
    transfer_id, status = row
    if status != "proposed":
        raise ApiProblem(409, f"transfer {ref} is {status}: only proposed transfers are screened")
    run = case_services.screen_transfer(ref, user=caller(request))
    screening = latest_screening(ref, transfer_id)
    assert screening is not None
    monitor = pseudonymised(request)
    changes = [
        {
            "transfer": ref,
            "verdict_before": change.verdict_before,
            "verdict_after": change.verdict_after,
            "rules_changed": shown_changes(
                run.catalog, change.rules_changed, personal=not monitor, language="en"
            ),
        }
        # One transfer's run has one change at most, looked up by the run and the transfer:
        # by the run alone, the planner expects as many changes as the runs of every
        # transfer have and scans for them (over 100 ms at a million transfers).
        for change in (run.changes.filter(transfer_id=transfer_id) if run.changed else ())
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
