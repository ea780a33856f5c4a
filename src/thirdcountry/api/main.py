"""The REST API: one django-ninja instance, served under ``/api/v1/``.

Its OpenAPI description is at ``/api/v1/openapi.json`` and interactive documentation at
``/api/v1/docs`` (Swagger UI served from django-ninja's own static files: no network).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from thirdcountry.api import problems
from thirdcountry.api.auth import BearerToken
from thirdcountry.api.routers import (
    arrangements,
    assessments,
    check,
    court_orders,
    persons,
    scenario_v2,
    screenings,
    statistics,
    transfers,
)
from thirdcountry.api.schemas import components

DESCRIPTION = """
Case records, arrangements, court orders and verdicts of **thirdcountry**, in the scenario
format (`thirdcountry/scenario@1`, see SCENARIO.md): the API reads and returns the same
objects a scenario file holds and validates them with the same rules.

**Authentication.** Send a personal API token as `Authorization: Bearer TOKEN`. Create one
with `thirdcountry token create USER` or on your profile page. A token acts with its
user's role: every operation needs the permission a page would need (monitors read only,
and see people through pseudonyms, with the birth year instead of the birth date and no
names or free-text notes).

**Unknown is not "no".** A fact marked (u) keeps three states. In what the API returns and
in a POST or PUT body: a key left out is *unknown*; `null` (or `[]` for a list) is *known:
none*; a value is *known: that value*. A `null` yes/no fact or date is refused, as in a
scenario file. In a PATCH a key left out is *unchanged*; to make a known fact unknown
again, PUT the record without it.

**No lost updates.** A single record carries an `ETag`; a PATCH or PUT must send it back in
`If-Match` (428 without it; 412 when the record changed meanwhile: read it again).

**Pages.** Lists return `{"items": [...], "next": URL or null}`; follow `next`.

**Errors** are `application/problem+json` (RFC 9457); invalid input lists every problem in
`errors` as `{path, message}`, with the JSON path of each in the request body.
"""


class ThirdcountryApi(NinjaAPI):
    """The API, with an OpenAPI description whose components come from the scenario
    format's one schema (:mod:`thirdcountry.api.schemas`)."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(components())
        return schema


api = ThirdcountryApi(
    title="thirdcountry",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=BearerToken(),
    # No validator badge: it would send the description to an outside service.
    docs=Swagger(settings={"persistAuthorization": True, "validatorUrl": None}),
)
problems.install(api)
for module in (
    arrangements,
    assessments,
    court_orders,
    persons,
    transfers,
    screenings,
    check,
    statistics,
    scenario_v2,
):
    api.add_router("", module.router)
