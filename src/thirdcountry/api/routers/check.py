"""Screening a scenario document with no storage: ``thirdcountry check`` over HTTP."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Query

from thirdcountry.api.auth import require
from thirdcountry.api.documents import json_body
from thirdcountry.api.http import operation, respond
from thirdcountry.scenario.parse import parse_scenario
from thirdcountry.screening import screen_scenario

router = Router(tags=["screening"])


@router.post(
    "/check",
    **operation({200: "VerdictsDocument"}, 403, 422, body="ScenarioDocument"),
    summary="Screen a scenario document",
)
def check(
    request: HttpRequest,
    as_of: date | None = Query(
        None, description="The date the screening speaks for (default: the document's as_of)."
    ),
) -> HttpResponse:
    """Screen every proposed transfer of a ``thirdcountry/scenario@1`` document and return
    the ``thirdcountry/verdicts@1`` document. Nothing is stored. A document that breaks the
    format is refused whole (422) with every problem by its JSON path."""
    require(request, "cases.view_screening")
    scenario = parse_scenario(json_body(request))
    return respond(screen_scenario(scenario, as_of).to_document())
