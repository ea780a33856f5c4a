"""The OpenAPI description and the interactive documentation, which needs no network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_openapi_description_lists_every_operation() -> None:
    reply = Client().get("/api/v1/openapi.json")
    assert reply.status_code == 200
    schema = reply.json()
    assert schema["openapi"].startswith("3.1")
    operations = {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    for expected in (
        "GET /api/v1/arrangements",
        "POST /api/v1/arrangements",
        "PATCH /api/v1/arrangements/{ref}",
        "POST /api/v1/arrangements/{ref}/status_history",
        "POST /api/v1/arrangements/{ref}/payments",
        "GET /api/v1/assessments",
        "POST /api/v1/assessments",
        "GET /api/v1/court_orders/{ref}",
        "PATCH /api/v1/court_orders/{ref}",
        "DELETE /api/v1/court_orders/{ref}",
        "GET /api/v1/persons",
        "PUT /api/v1/persons/{ref}",
        "PATCH /api/v1/persons/{ref}",
        "POST /api/v1/transfers",
        "GET /api/v1/transfers/{ref}/verdict",
        "POST /api/v1/transfers/{ref}/screen",
        "GET /api/v1/screenings",
        "POST /api/v1/check",
    ):
        assert expected in operations
    components = schema["components"]
    assert components["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    for body in ("PersonIn", "PersonPatch", "TransferIn", "ArrangementIn", "CourtOrderIn"):
        assert body in components["schemas"]
    patch = schema["paths"]["/api/v1/persons/{ref}"]["patch"]
    assert patch["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PersonPatch"
    }
    assert "application/problem+json" in patch["responses"]["412"]["content"]
    assert "If-Match" in {p["name"] for p in patch["parameters"]}
    withdraw = schema["paths"]["/api/v1/court_orders/{ref}"]["delete"]
    assert {"If-Match", "reason"} <= {p["name"] for p in withdraw["parameters"]}
    assert withdraw["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CourtOrderChange"
    }
    # The three states are explained where a client reads them.
    assert "unknown" in components["schemas"]["PersonIn"]["description"]
    assert "left out" in schema["info"]["description"]


def test_the_documentation_page_loads_nothing_from_the_network() -> None:
    reply = Client().get("/api/v1/docs")
    assert reply.status_code == 200
    page = reply.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        found = finders.find(asset)
        assert found is not None, asset
        text = Path(str(found)).read_text(errors="replace")
        assert "cdn.jsdelivr" not in text and "unpkg.com" not in text
    assert '"validatorUrl": null' in page
