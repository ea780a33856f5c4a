"""Statistics of the stored world: refoulement incidents first, then every table."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Query

from thirdcountry.api.auth import require
from thirdcountry.api.http import operation, respond
from thirdcountry.api.problems import invalid
from thirdcountry.oversight.statistics import compute_statistics
from thirdcountry.scenario.codes import is_currency

router = Router(tags=["statistics"])


@router.get(
    "/statistics",
    **operation({200: None}, 403),
    summary="Statistics, refoulement incidents first",
)
def statistics(
    request: HttpRequest,
    currency: str = Query("USD", description="The ISO 4217 reporting currency."),
    date_from: date | None = Query(None, description="Transfers planned on or after."),
    date_to: date | None = Query(None, description="Transfers planned on or before."),
) -> HttpResponse:
    """Refoulement incidents (executed transfers whose monitoring records an onward removal
    to a country the person feared) come first, then executions recorded while the latest
    verdict was blocked, under review or missing (with the findings and the reason given);
    then transfers by status and verdict, by
    arrangement, destination, nationality and month; how often each rule blocks; cap use;
    payments in each currency and converted; cost per executed transfer. People appear only
    as pseudonyms."""
    require(request, "cases.view_transfer")
    problems = []
    if not is_currency(currency):
        problems.append(("currency", f"{currency!r} is not an ISO 4217 currency code"))
    if (date_from is None) != (date_to is None):
        problems.append(("date_from", "give both date_from and date_to, or neither"))
    elif date_from is not None and date_to is not None and date_from > date_to:
        problems.append(("date_to", f"{date_to} is before date_from {date_from}"))
    if problems:
        raise invalid(problems)
    period = (date_from, date_to) if date_from is not None and date_to is not None else None
    return respond(compute_statistics(currency, period).to_dict())
