"""Building the API's responses, and describing them in the OpenAPI description."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

from thirdcountry.api import problems
from thirdcountry.api.etag import etag_of

JSON = "application/json"

_PROBLEM_TEXT = {
    401: "No valid API token was sent.",
    403: "The caller's role may not do this.",
    404: "No such record (or none the caller may know of).",
    409: "The request conflicts with what is stored.",
    412: "If-Match names an ETag that is no longer current.",
    413: "The body is larger than the installation reads (THIRDCOUNTRY_MAX_REQUEST_BYTES).",
    422: "Invalid input: every problem is listed in `errors` by its path.",
    428: "If-Match is missing.",
}


def respond(
    data: Any, status: int = 200, *, etag: bool = False, location: str | None = None
) -> HttpResponse:
    """A JSON response; with ``etag`` it carries the representation's ETag."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type=JSON,
    )
    if etag:
        response["ETag"] = etag_of(data)
    if location is not None:
        # A ref may hold any character: the header carries it percent-encoded.
        response["Location"] = quote(location, safe="/")
    return response


def _content(media_type: str, component: str | None) -> dict[str, Any]:
    schema = (
        {"type": "object"} if component is None else {"$ref": f"#/components/schemas/{component}"}
    )
    return {media_type: {"schema": schema}}


def operation(
    ok: dict[int, str | None],
    *failures: int,
    body: str | None = None,
    etag: int | None = None,
) -> dict[str, Any]:
    """The arguments that describe an operation in the OpenAPI description: its successes
    (status → the component of what it returns), 401 and 422 (always), 413 (with a body)
    and ``failures`` as ``application/problem+json``, the component of its JSON ``body``,
    and which success carries an ``ETag``."""
    documented: dict[int, Any] = {
        status: {"content": _content(JSON, component)} for status, component in ok.items()
    }
    for status in sorted({401, 422, *failures, *((413,) if body is not None else ())}):
        documented[status] = {
            "description": _PROBLEM_TEXT[status],
            "content": _content(problems.CONTENT_TYPE, "Problem"),
        }
    if etag is not None:
        documented[etag]["headers"] = ETAG_HEADER
    extra: dict[str, Any] = {"responses": documented}
    if body is not None:
        extra["requestBody"] = {"required": True, "content": _content(JSON, body)}
    # The responses are written by the views themselves (never validated by django-ninja):
    # ninja is told only their statuses, and the description says what they hold.
    return {"response": dict.fromkeys(documented), "openapi_extra": extra}


ETAG_HEADER = {
    "ETag": {
        "description": "The representation's ETag: send it back in If-Match to change it.",
        "schema": {"type": "string"},
    }
}
