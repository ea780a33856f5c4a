"""Who is calling, and what their role lets them do.

Callers send a personal API token as ``Authorization: Bearer TOKEN``. Every operation then
asks the same permissions the pages ask (:func:`thirdcountry.accounts.roles.may`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer

from thirdcountry.accounts.roles import may
from thirdcountry.accounts.tokens import authenticate_token
from thirdcountry.api.problems import ApiProblem


class BearerToken(HttpBearer):
    """A personal API token in the ``Authorization`` header."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token)
        if user is not None:
            # History records (django-simple-history) name the user from the request.
            request.user = user
        return user


def caller(request: HttpRequest) -> Any:
    """The authenticated user."""
    return request.auth


def require(request: HttpRequest, *permissions: str) -> None:
    """Refuse (403) unless the caller holds every permission."""
    missing = [p for p in permissions if not may(caller(request), p)]
    if missing:
        raise PermissionDenied(f"your role lacks {', '.join(missing)}")


def require_any(request: HttpRequest, *permissions: str) -> None:
    """Refuse (403) unless the caller holds at least one of the permissions."""
    if not any(may(caller(request), p) for p in permissions):
        raise PermissionDenied(f"your role lacks all of {', '.join(permissions)}")


def require_view(request: HttpRequest, permission: str, what: str) -> None:
    """Refuse reading one record the caller may not see as not found (404): a caller who
    may not see such records may not learn that one exists."""
    if not may(caller(request), permission):
        raise ApiProblem(404, f"no {what}")
