"""Stored screenings, and the representation of a screening with each finding's basis."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Query

from thirdcountry.api.auth import require, require_view
from thirdcountry.api.http import operation, respond
from thirdcountry.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from thirdcountry.api.privacy import pseudonymised
from thirdcountry.api.problems import not_found
from thirdcountry.api.selectors import screenings_matching
from thirdcountry.cases.models import ScreeningRecord
from thirdcountry.oversight.findings import shown_findings

router = Router(tags=["screenings"])


def screening_document(
    screening: ScreeningRecord, transfer_ref: str, monitor: bool
) -> dict[str, Any]:
    """A stored screening with each finding's reason code and parameters, and its reason and
    legal basis rendered in English (with the catalog it was made under); for a monitor with
    every person as a pseudonym and birth dates cut to the year, and without the facts hash
    (it would confirm a guessed birth date)."""
    findings = [
        {
            "rule": f.rule,
            "outcome": f.outcome,
            "reason": f.reason,
            "code": f.code,
            "params": f.params,
            "basis": f.basis,
        }
        for f in shown_findings(
            screening.catalog, screening.findings, personal=not monitor, language="en"
        )
    ]
    out: dict[str, Any] = {
        "id": screening.pk,
        "transfer": transfer_ref,
        "verdict": screening.verdict,
        "as_of": screening.as_of.isoformat(),
        "catalog": screening.catalog,
    }
    if not monitor:
        out["facts_sha256"] = screening.facts_sha256
    out.update(
        {
            "screened_at": screening.screened_at.isoformat(),
            "run": screening.run_id,
            "findings": findings,
        }
    )
    return out


@router.get(
    "/screenings",
    **operation({200: "ScreeningPage"}, 403, 422),
    summary="List stored screenings",
)
def list_screenings(
    request: HttpRequest,
    verdict: Literal["clear", "review", "blocked"] | None = None,
    transfer: str | None = Query(None, description="A transfer's ref."),
    arrangement: str | None = Query(None, description="An arrangement's ref."),
    destination: str | None = Query(None, description="A destination country code."),
    as_of_from: date | None = Query(None, description="Screened as of this date or later."),
    as_of_to: date | None = Query(None, description="Screened as of this date or earlier."),
    latest: bool = Query(False, description="Only the latest screening of each transfer."),
    cursor: str | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Every stored screening (one is stored each time a transfer's findings change), in
    the order they were made."""
    require(request, "cases.view_screening")
    screenings = screenings_matching(
        latest=latest,
        verdict=verdict,
        transfer=transfer,
        arrangement=arrangement,
        destination=destination,
        as_of_from=as_of_from,
        as_of_to=as_of_to,
    )
    rows, next_url = page(request, screenings, cursor, limit)
    monitor = pseudonymised(request)
    items = [screening_document(s, s.transfer.ref, monitor) for s in rows]
    return respond({"items": items, "next": next_url})


@router.get(
    "/screenings/{screening_id}",
    **operation({200: "ScreeningOut"}, 404, etag=200),
    summary="Read a stored screening",
)
def get_screening(request: HttpRequest, screening_id: int) -> HttpResponse:
    """One stored screening with its findings and their legal basis."""
    require_view(request, "cases.view_screening", f"screening {screening_id}")
    screening = ScreeningRecord.objects.select_related("transfer").filter(pk=screening_id).first()
    if screening is None:
        raise not_found(f"screening {screening_id}")
    document = screening_document(screening, screening.transfer.ref, pseudonymised(request))
    return respond(document, etag=True)
