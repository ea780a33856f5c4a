"""Cursor pagination: pages in a stable order (by id), each with the URL of the next.

The cursor is opaque to the caller: it encodes where the page ended, so records added or
removed meanwhile never make a page skip or repeat a record.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from thirdcountry.api.problems import invalid

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def encode_cursor(last_id: int) -> str:
    """The cursor of the page after the record with id ``last_id``."""
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor starts after; 422 for a cursor this API did not make."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "after" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid([("query.cursor", "is not a cursor from this API")]) from None


def page(
    request: HttpRequest, queryset: QuerySet[Any, Any], cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """One page of ``queryset`` (ordered by id) and the URL of the next page, if any."""
    if cursor:
        queryset = queryset.filter(pk__gt=decode_cursor(cursor))
    rows = list(queryset.order_by("pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    query = request.GET.copy()
    query["cursor"] = encode_cursor(rows[-1].pk)
    return rows, request.build_absolute_uri(request.path + "?" + query.urlencode())
