"""What every request meets before a view: refusals of what no view can take, and the
headers that keep signed-in pages out of caches.

- A NUL character in the address or the query string is refused (400; 422, invalid input,
  on the API): no field holds one, and PostgreSQL cannot even compare text with one.
- A body longer than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (``THIRDCOUNTRY_MAX_REQUEST_BYTES``) is
  refused (413) before it is read.
- A page or an API answer for a signed-in user (or a token) is marked ``no-store``.

The API's refusals are ``application/problem+json``, the web pages' a short page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Final
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: Where the API lives: its refusals are problem documents.
API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"


def too_large_detail() -> str:
    """What a 413 says: the limit, and the setting that raises it."""
    message: str = _(
        "The request body is larger than the %(limit)s bytes this installation reads "
        "(THIRDCOUNTRY_MAX_REQUEST_BYTES)."
    )
    return message % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}


#: The title of a refusal page, by status.
TITLES: Final = {
    400: gettext_lazy("Request refused"),
    413: gettext_lazy("Request too large"),
    422: gettext_lazy("Request refused"),
    503: gettext_lazy("Not available on this server"),
}


def refusal(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """A refusal as the caller reads one: a problem document for the API, a page otherwise."""
    if request.path.startswith(API_PREFIX):
        body = {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
            "instance": request.path.replace("\x00", "\\u0000"),
        }
        return HttpResponse(
            json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_JSON
        )
    return render(
        request,
        "web/refused.html",
        {"title": TITLES.get(status, HTTPStatus(status).phrase), "detail": detail},
        status=status,
    )


def _has_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path or b"\x00" in unquote_to_bytes(query.replace("+", " "))


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestEdgeMiddleware:
    """Refuses a request with a NUL character in its address or query (400), or with a body
    declared larger than the limit (413), before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            # On the API an invalid input, as every operation describes it (422).
            status = 422 if request.path.startswith(API_PREFIX) else 400
            return refusal(
                request,
                status,
                _("The address holds a NUL character, which nothing here accepts."),
            )
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _declared_length(request) > limit:
            return refusal(request, 413, too_large_detail())
        return self.get_response(request)


class NoStoreMiddleware:
    """Marks what a signed-in user (or an API token) is shown ``Cache-Control: no-store``: a
    shared or browser cache must not keep case data for the next person at the machine."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            response["Cache-Control"] = "no-store"
        return response


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from, for counting failed sign-ins: the last entry of
    ``THIRDCOUNTRY_CLIENT_ADDRESS_HEADER`` (the one the proxy in front appended) when that is
    configured, the connection's own address otherwise."""
    header = str(getattr(settings, "THIRDCOUNTRY_CLIENT_ADDRESS_HEADER", "") or "").strip()
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        entries = [entry.strip() for entry in str(forwarded).split(",") if entry.strip()]
        if entries:
            return entries[-1]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None
