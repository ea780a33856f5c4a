"""Reading request bodies as JSON. A body that is a record is then checked by
:mod:`thirdcountry.records.documents`, whose refusal the API answers as 422 with each
problem by its path in the body."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest

from thirdcountry.api.problems import invalid


def json_body(request: HttpRequest) -> Any:
    """The request's JSON body; 422 when it is not JSON."""
    try:
        return json.loads(request.body or b"null")
    except json.JSONDecodeError as error:
        where = f" at line {error.lineno} column {error.colno}"
        raise invalid([("$", f"the body is not valid JSON{where}")]) from None
    except UnicodeDecodeError:
        raise invalid([("$", "the body is not UTF-8")]) from None
    except (RecursionError, ValueError):
        raise invalid([("$", "the body is not valid JSON")]) from None


def object_body(request: HttpRequest) -> dict[str, Any]:
    """The request's body, which must be a JSON object."""
    body = json_body(request)
    if not isinstance(body, dict):
        raise invalid([("$", "the body must be a JSON object")])
    return body
