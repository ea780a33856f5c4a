"""The CSV downloads of the list pages: each needs the permission its page needs, keeps
the page's filters and search, and names persons as the page does (pseudonyms for
monitors)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, StreamingHttpResponse

from thirdcountry.oversight.statistics import compute_statistics
from thirdcountry.web import exports, selectors
from thirdcountry.web import transfer_list as transfer_list_reads
from thirdcountry.web.access import page
from thirdcountry.web.csv_files import csv_response
from thirdcountry.web.views.oversight import chosen_currency


def _response(export: exports.Export) -> StreamingHttpResponse:
    return csv_response(export.filename, export.header, export.rows)


@page("cases.view_transfer")
def transfers_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every transfer the list's filters keep (all pages), in the list's order."""
    filters = transfer_list_reads.TransferFilters.from_query(request.GET)
    return _response(exports.transfers(request.user, filters, selectors.screening_date()))


@page("cases.view_person")
def persons_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every person, or those the search finds."""
    query = request.GET.get("q", "").strip()[:200]
    return _response(exports.persons(request.user, query, selectors.screening_date()))


@page("registry.view_arrangement")
def arrangements_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every arrangement with its status and cap use."""
    return _response(exports.arrangements(selectors.screening_date()))


@page("registry.view_courtorder")
def court_orders_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every court order."""
    return _response(exports.court_orders(request.user, selectors.screening_date()))


@page("cases.view_screeningrun")
def runs_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every screening run."""
    return _response(exports.runs(selectors.screening_date()))


@page("cases.view_transfer")
def statistics_csv(request: HttpRequest, table: str) -> StreamingHttpResponse:
    """One statistics table (``by_status_verdict``, ``cap_use``, …) in the chosen reporting
    currency."""
    reporting, _options = chosen_currency(request)
    statistics = compute_statistics(reporting)
    if table not in statistics.tables:
        raise Http404("no such table")
    return _response(exports.statistics_table(statistics, table, selectors.screening_date()))
