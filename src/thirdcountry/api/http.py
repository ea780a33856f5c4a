"""Building the API's responses, and describing them in the OpenAPI description."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

from thirdcountry.api.etag import etag_of
from thirdcountry.api.schemas import Problem

JSON = "application/json"

_PROBLEM_TEXT = {
    401: "No valid API token was sent.",
    403: "The caller's role may not do this.",
    404: "No such record (or none the caller may know of).",
    409: "The request conflicts with what is stored.",
    412: "If-Match names an ETag that is no longer current.",
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


def responses(ok: dict[int, Any], *problems: int) -> dict[int, Any]:
    """The responses of an operation: its successes, 401 and 422 (always), and
    ``problems``."""
    return {**ok, **dict.fromkeys(sorted({401, 422, *problems}), Problem)}


def problem_descriptions() -> dict[int, str]:
    """What each problem status means, for the OpenAPI description."""
    return dict(_PROBLEM_TEXT)


ETAG_HEADER = {
    "ETag": {
        "description": "The representation's ETag: send it back in If-Match to change it.",
        "schema": {"type": "string"},
    }
}


def with_etag(status: int = 200) -> dict[str, Any]:
    """``openapi_extra`` documenting the ETag header of a response."""
    return {"responses": {str(status): {"headers": ETAG_HEADER}}}


def body(schema: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON request body by its component's name."""
    documented: dict[str, Any] = {
        "requestBody": {
            "required": True,
            "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    }
    for key, value in (extra or {}).items():
        documented.setdefault(key, {}).update(value)
    return documented
