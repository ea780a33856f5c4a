"""Every API operation, for every role: allowed, denied (403), not found (404) and
unauthenticated (401), the same permissions the pages ask."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api_support import ApiClient, clients, world
from thirdcountry.registry.models import Assessment
from thirdcountry.scenario.parse import FORMAT

__all__ = ["clients", "world"]

pytestmark = pytest.mark.django_db

# Roles in the order they try: those refused first, so that a refusal is never explained by
# an earlier success (a ref already taken, a fact already changed).
ORDER = ("anonymous", "nobody", "monitor", "legal_officer", "supervisor", "caseworker")
ORDER = (*ORDER, "administrator")

READ_ALL = {
    "anonymous": 401,
    "nobody": 403,
    "monitor": 200,
    "caseworker": 200,
    "legal_officer": 200,
    "supervisor": 200,
    "administrator": 200,
}
READ_ONE = {**READ_ALL, "nobody": 404}
#: A person read by ref: a monitor knows persons only by pseudonym, so a ref names nobody.
READ_PERSON_BY_REF = {**READ_ONE, "monitor": 404}
MISSING = {role: 401 if role == "anonymous" else 404 for role in READ_ALL}


def only(ok: int, *roles: str) -> dict[str, int]:
    """``ok`` for ``roles``, 403 for the other roles (administrators included: they
    record no case fact), 401 without a token."""
    out = dict.fromkeys(ORDER, 403)
    out["anonymous"] = 401
    for role in roles:
        out[role] = ok
    return out


def person(role: str) -> dict[str, Any]:
    return {"ref": f"P-{role}", "names": ["Test Person"], "nationalities": ["IQ"]}


def transfer(role: str) -> dict[str, Any]:
    return {
        "ref": f"T-{role}",
        "person": "P-106",
        "sending": "US",
        "destination": "RW",
        "arrangement": "US-RW-2025",
        "planned_date": "2025-10-01",
    }


def arrangement(role: str) -> dict[str, Any]:
    return {"ref": f"A-{role}", "sending": "GB", "receiving": "FR"}


def court_order(role: str) -> dict[str, Any]:
    return {
        "ref": f"O-{role}",
        "kind": "stay",
        "issuer": "High Court",
        "issued": "2025-08-01",
        "scope": {"person": "P-101"},
    }


def assessment(role: str) -> dict[str, Any]:
    return {
        "country": "SV",
        "date": "2025-08-01",
        "onward_refoulement_risk": True,
        "source": f"report read by {role}",
    }


def payment(role: str) -> dict[str, Any]:
    return {
        "date": "2025-08-01",
        "amount": "1000.00",
        "currency": "USD",
        "kind": "paid",
        "payer": "US",
        "payee": "RW",
    }


def status(role: str) -> dict[str, Any]:
    return {"date": "2025-08-20", "status": "in_force", "source": f"confirmed to {role}"}


def fixed(body: dict[str, Any]) -> Callable[[str], dict[str, Any]]:
    return lambda role: body


def scenario(role: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "persons": [{"ref": "P-1", "names": ["A"]}],
        "transfers": [
            {
                "ref": "T-1",
                "person": "P-1",
                "sending": "US",
                "destination": "RW",
                "planned_date": "2025-10-01",
            }
        ],
    }


def first_assessment() -> str:
    return f"assessments/{Assessment.objects.order_by('id').values_list('id', flat=True)[0]}"


def first_screening() -> str:
    from thirdcountry.cases.models import ScreeningRecord

    return f"screenings/{ScreeningRecord.objects.order_by('id').values_list('id', flat=True)[0]}"


Body = Callable[[str], dict[str, Any]] | None

#: (method, path, body for a role, expected status per role)
CASES: list[tuple[str, str | Callable[[], str], Body, dict[str, int]]] = [
    ("GET", "persons", None, READ_ALL),
    ("GET", "persons/P-101", None, READ_PERSON_BY_REF),
    ("GET", "persons/P-999", None, MISSING),
    ("POST", "persons", person, only(201, "caseworker")),
    (
        "PATCH",
        "persons/P-101",
        fixed({"fit_to_travel": False}),
        only(200, "caseworker", "legal_officer"),
    ),
    ("PATCH", "persons/P-101", fixed({"removal_decision": None}), only(200, "legal_officer")),
    (
        "PATCH",
        "persons/P-101",
        fixed({"fear_claims": [{"country": "IQ", "status": "pending"}]}),
        only(200, "legal_officer"),
    ),
    (
        "PATCH",
        "persons/P-999",
        fixed({"fit_to_travel": False}),
        only(404, "caseworker", "legal_officer"),
    ),
    (
        "PUT",
        "persons/P-106",
        fixed({"names": ["Ahmed B."]}),
        only(200, "caseworker", "legal_officer"),
    ),
    ("GET", "transfers", None, READ_ALL),
    ("GET", "transfers/T-101", None, READ_ONE),
    ("GET", "transfers/T-999", None, MISSING),
    ("POST", "transfers", transfer, only(201, "caseworker")),
    ("PATCH", "transfers/T-107", fixed({"planned_date": "2025-10-02"}), only(200, "caseworker")),
    ("PATCH", "transfers/T-107", fixed({"notice": None}), only(200, "legal_officer")),
    (
        "PATCH",
        "transfers/T-107",
        fixed({"accepted_by_receiving": True}),
        only(200, "caseworker"),
    ),
    (
        "PATCH",
        "transfers/T-999",
        fixed({"status": "cancelled"}),
        only(404, "caseworker", "legal_officer"),
    ),
    ("GET", "transfers/T-101/verdict", None, READ_ONE),
    ("GET", "transfers/T-100/verdict", None, MISSING),  # executed: never screened
    ("GET", "transfers/T-999/verdict", None, MISSING),
    (
        "POST",
        "transfers/T-101/screen",
        None,
        {**only(200, "caseworker", "legal_officer", "supervisor")},
    ),
    (
        "POST",
        "transfers/T-999/screen",
        None,
        only(404, "caseworker", "legal_officer", "supervisor"),
    ),
    (
        "POST",
        "transfers/T-100/screen",
        None,
        only(409, "caseworker", "legal_officer", "supervisor"),
    ),
    ("GET", "arrangements", None, READ_ALL),
    ("GET", "arrangements/US-RW-2025", None, READ_ONE),
    ("GET", "arrangements/XX-YY", None, MISSING),
    ("POST", "arrangements", arrangement, only(201, "supervisor")),
    ("PATCH", "arrangements/US-RW-2025", fixed({"cap": 300}), only(200, "supervisor")),
    ("POST", "arrangements/US-RW-2025/status_history", status, only(201, "supervisor")),
    ("POST", "arrangements/US-RW-2025/payments", payment, only(201, "supervisor")),
    ("POST", "arrangements/XX-YY/payments", payment, only(404, "supervisor")),
    ("GET", "court_orders", None, READ_ALL),
    ("GET", "court_orders/ECHR-R39-2022-06-14", None, READ_ONE),
    ("GET", "court_orders/NOPE", None, MISSING),
    ("POST", "court_orders", court_order, only(201, "legal_officer")),
    (
        "PATCH",
        "court_orders/ECHR-R39-2022-06-14",
        fixed({"lifted": "2025-08-31"}),
        only(200, "legal_officer"),
    ),
    ("GET", "assessments", None, READ_ALL),
    ("GET", first_assessment, None, READ_ONE),
    ("GET", "assessments/999999", None, MISSING),
    ("POST", "assessments", assessment, only(201, "supervisor")),
    ("GET", "screenings", None, READ_ALL),
    ("GET", first_screening, None, READ_ONE),
    ("GET", "screenings/999999", None, MISSING),
    ("POST", "check", scenario, {**READ_ALL}),
]


def _id(case: tuple[str, Any, Any, Any]) -> str:
    method, path, _, _ = case
    return f"{method} {path if isinstance(path, str) else path.__name__}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_each_role_gets_what_its_permissions_allow(
    case: tuple[str, Any, Body, dict[str, int]],
    world: None,
    clients: dict[str, ApiClient],
    seed_world_path: Path,
) -> None:
    method, path, body, expected = case
    where = path if isinstance(path, str) else path()
    seen = {}
    for role in ORDER:
        client = clients[role]
        if method in ("PATCH", "PUT"):
            current = clients["administrator"].get(where)
            if_match = current.headers.get("ETag", '"none"')
            document = body(role) if body else {}
            if method == "PUT" and current.status == 200:
                document = {**current.body, **document}
            reply = client.request(method, where, document, {"If-Match": if_match})
        elif method == "POST":
            reply = client.post(where, body(role) if body else {})
        else:
            reply = client.get(where)
        seen[role] = reply.status
        if reply.status >= 400:
            assert reply.headers["Content-Type"] == "application/problem+json"
            assert reply.body["status"] == reply.status
    assert seen == {role: expected[role] for role in ORDER}
