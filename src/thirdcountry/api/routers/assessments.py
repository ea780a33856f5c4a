"""Country assessments: dated findings on whether a country risks sending people on."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Query

from thirdcountry.api.auth import caller, require, require_view
from thirdcountry.api.documents import object_body
from thirdcountry.api.http import operation, respond
from thirdcountry.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from thirdcountry.api.problems import not_found
from thirdcountry.api.selectors import assessments_matching, latest_assessment
from thirdcountry.cases.legal_events import record_assessment
from thirdcountry.records.documents import assessment_document, parse_assessment
from thirdcountry.registry.models import Assessment

router = Router(tags=["country assessments"])


@router.get(
    "/assessments",
    **operation({200: "AssessmentPage"}, 403, 422),
    summary="List country assessments",
)
def list_assessments(
    request: HttpRequest,
    country: str | None = Query(None, description="A country code."),
    date_from: date | None = Query(None, description="Dated on this date or later."),
    date_to: date | None = Query(None, description="Dated on this date or earlier."),
    cursor: str | None = None,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Assessments in the order they were recorded. The one in force on a date is the
    latest dated on or before it (on equal dates, the later recorded)."""
    require(request, "registry.view_assessment")
    assessments = assessments_matching(country=country, date_from=date_from, date_to=date_to)
    rows, next_url = page(request, assessments, cursor, limit)
    return respond({"items": [assessment_document(a) for a in rows], "next": next_url})


@router.get(
    "/assessments/{assessment_id}",
    **operation({200: "AssessmentOut"}, 404, etag=200),
    summary="Read a country assessment",
)
def get_assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """One country assessment."""
    require_view(request, "registry.view_assessment", f"assessment {assessment_id}")
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        raise not_found(f"assessment {assessment_id}")
    return respond(assessment_document(assessment), etag=True)


@router.post(
    "/assessments",
    **operation({201: "AssessmentOut"}, 403, 422, body="AssessmentIn", etag=201),
    summary="Record a country assessment",
)
def create_assessment(request: HttpRequest) -> HttpResponse:
    """Record a new assessment of a country and re-screen every pending transfer to it.
    Assessments are never changed: a later one supersedes it."""
    require(request, "registry.add_assessment")
    country, assessment = parse_assessment(object_body(request))
    record_assessment(
        country,
        assessment.date,
        assessment.onward_refoulement_risk,
        assessment.source,
        user=caller(request),
    )
    stored = latest_assessment(country)
    assert stored is not None
    return respond(
        assessment_document(stored), 201, etag=True, location=f"{request.path}/{stored.pk}"
    )
