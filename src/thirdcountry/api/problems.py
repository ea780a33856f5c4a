"""Errors as ``application/problem+json`` (RFC 9457), never a stack trace.

Every error the API returns has ``type``, ``title``, ``status``, ``detail`` and ``instance``;
invalid input adds ``errors``, a list of ``{path, message}`` with the JSON path of each
problem in the request body (the scenario parser's own paths), or ``query.NAME`` /
``header.NAME`` for a parameter.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from thirdcountry.edge import too_large_detail
from thirdcountry.records.documents import RecordRefused
from thirdcountry.scenario.parse import ScenarioError

#: PostgreSQL's codes for a transaction given up because of a concurrent one: deadlock
#: detected, serialization failure.
CONCURRENCY_SQLSTATES = frozenset({"40P01", "40001"})

logger = logging.getLogger("thirdcountry.api")

CONTENT_TYPE = "application/problem+json"
#: The ``type`` of invalid input; other problems are plain HTTP errors ("about:blank").
INVALID = "urn:thirdcountry:problem:invalid-input"


class ApiProblem(Exception):
    """An error to answer with: its status, a sentence for people, and for invalid input
    every problem by its path."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: Sequence[tuple[str, str]] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}


def not_found(what: str) -> ApiProblem:
    """404: nothing by that name that the caller may know of."""
    return ApiProblem(404, f"no {what}")


def invalid(problems: Iterable[tuple[str, str]], detail: str | None = None) -> ApiProblem:
    """422 with every problem by its path."""
    listed = list(problems)
    count = len(listed)
    return ApiProblem(
        422, detail or f"{count} problem{'s' if count != 1 else ''} in the request", listed
    )


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str,
    errors: Sequence[tuple[str, str]] = (),
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """An ``application/problem+json`` response."""
    body: dict[str, Any] = {
        "type": INVALID if errors else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = [{"path": path, "message": message} for path, message in errors]
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _ninja_path(loc: Sequence[Any]) -> str:
    """A ninja/pydantic error location as a path: body keys plainly, others by source."""
    parts = list(loc)
    if not parts:
        return "$"
    source, rest = str(parts[0]), parts[1:]
    if source == "body":
        rest = rest[1:]  # the body parameter's own name
    path = ""
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    if source == "body":
        return path or "$"
    return f"{source}.{path}" if path else source


def install(api: NinjaAPI) -> None:
    """Answer every error of ``api`` with a problem document."""

    def on_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return problem_response(request, exc.status, exc.detail, exc.errors, exc.headers)

    def on_scenario(request: HttpRequest, exc: ScenarioError) -> HttpResponse:
        errors = [(p.path, p.message) for p in exc.problems]
        return problem_response(request, 422, invalid(errors).detail, errors)

    def on_refused(request: HttpRequest, exc: RecordRefused) -> HttpResponse:
        return problem_response(request, 422, invalid(exc.problems).detail, exc.problems)

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [(_ninja_path(e.get("loc", ())), str(e.get("msg", "invalid"))) for e in exc.errors]
        return problem_response(request, 422, invalid(errors).detail, errors)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = [
                ("$" if field == "__all__" else field, message)
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [("$", message) for message in exc.messages]
        return problem_response(request, 422, invalid(errors).detail, errors)

    def on_authentication(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem_response(
            request,
            401,
            "send a valid API token as 'Authorization: Bearer TOKEN'",
            headers={"WWW-Authenticate": 'Bearer realm="thirdcountry"'},
        )

    def on_permission(request: HttpRequest, exc: Exception) -> HttpResponse:
        detail = str(exc) or "your role may not do this"
        return problem_response(request, 403, detail)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem_response(request, 404, str(exc) or "not found")

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(request, exc.status_code, str(exc))

    def on_integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # A concurrent write got there first (e.g. two creations of one ref).
        logger.warning("integrity error on %s: %s", request.path, exc)
        return problem_response(request, 409, "the request conflicts with what is stored")

    def on_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A body sent without its length is only found too large as it is read.
        return problem_response(request, 413, too_large_detail())

    def on_operational(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        # PostgreSQL gave up one of two concurrent transactions (a deadlock or a
        # serialization failure): nothing was written; the client may try again.
        if getattr(exc.__cause__, "sqlstate", None) in CONCURRENCY_SQLSTATES:
            logger.warning("concurrent write refused on %s: %s", request.path, exc)
            return problem_response(
                request, 409, "a concurrent change conflicted with this one; try again"
            )
        return on_unexpected(request, exc)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unexpected error on %s %s", request.method, request.path)
        return problem_response(request, 500, "an unexpected error occurred; it was logged")

    handlers: list[tuple[type[Exception], Any]] = [
        (ApiProblem, on_problem),
        (ScenarioError, on_scenario),
        (RecordRefused, on_refused),
        (NinjaValidationError, on_ninja_validation),
        (DjangoValidationError, on_django_validation),
        (AuthenticationError, on_authentication),
        (PermissionDenied, on_permission),
        (Http404, on_not_found),
        (HttpError, on_http_error),
        (IntegrityError, on_integrity),
        (RequestDataTooBig, on_too_large),
        (OperationalError, on_operational),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


__all__ = [
    "CONTENT_TYPE",
    "ApiProblem",
    "install",
    "invalid",
    "not_found",
    "problem_response",
]
