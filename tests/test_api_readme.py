"""The README's REST API walk-through, request for request: with only a token, create an
arrangement, a person and a transfer, screen the transfer and read its verdict, against a
real server (``live_server``) over HTTP.

The bodies below are the README's, byte for byte; if one changes, change both. The
server answers over HTTP inside the test's transaction (see ``api_support.served``).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from django.contrib.auth.models import User

from api_support import served
from thirdcountry.accounts.tokens import create_token

__all__ = ["served"]

ARRANGEMENT = """{
  "ref": "US-RW-2025",
  "sending": "US",
  "receiving": "RW",
  "title": "Reception of third-country nationals removed from the United States",
  "cap": 250,
  "terms": {"requires_served_sentence": true, "excluded_nationalities": ["RW"]},
  "commitments": ["accommodation", "education", "employment_support", "health_care"],
  "status_history": [
    {"date": "2025-08-05", "status": "in_force",
     "source": "Rwanda agrees to receive up to 250 people"}
  ]
}"""

PERSON = """{
  "ref": "P-101",
  "names": ["Haidar A."],
  "birth_date": "1988-02-11",
  "nationalities": ["IQ"],
  "languages": ["ar", "en"],
  "identity_verified": true,
  "asylum_claim": "refused",
  "fear_claims": [],
  "removal_decision": {"date": "2024-10-01", "final": true},
  "convictions": [{"offence": "burglary", "sentence_end": "2024-12-20"}],
  "family_in_sending_country": false,
  "fit_to_travel": true
}"""

TRANSFER = """{
  "ref": "T-101",
  "person": "P-101",
  "sending": "US",
  "destination": "RW",
  "arrangement": "US-RW-2025",
  "planned_date": "2025-09-20",
  "accepted_by_receiving": true,
  "notice": {"served": "2025-08-25", "language": "ar", "names_destination": true}
}"""


def call(method: str, url: str, token: str, body: str | None = None) -> tuple[int, Any]:
    """One request as curl sends it: the token, and a JSON body if any."""
    request = urllib.request.Request(url, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        request.add_header("Content-Type", "application/json")
        data = body.encode()
    with urllib.request.urlopen(request, data) as response:
        return response.status, json.loads(response.read())


@pytest.mark.django_db
def test_the_readme_walk_through_works_over_http(served: str) -> None:
    user = User.objects.create_superuser("admin", password=None)
    _, token = create_token(user, "README")
    api = f"{served}/api/v1"

    status, arrangement = call("POST", f"{api}/arrangements", token, ARRANGEMENT)
    assert status == 201
    assert arrangement["status_history"][0]["status"] == "in_force"

    status, person = call("POST", f"{api}/persons", token, PERSON)
    assert status == 201
    assert person["removal_decision"] == {
        "date": "2024-10-01",
        "final": True,
        "appeal_deadline": None,
        "appeal_pending": False,
    }
    assert "accompanied" not in person  # left out: unknown

    status, transfer = call("POST", f"{api}/transfers", token, TRANSFER)
    assert status == 201
    assert transfer["status"] == "proposed"

    status, screened = call("POST", f"{api}/transfers/T-101/screen", token)
    assert status == 200
    assert screened["verdict"]["verdict"] == "clear"

    status, verdict = call("GET", f"{api}/transfers/T-101/verdict", token)
    assert status == 200
    assert verdict["verdict"] == "clear"
    assert [f["outcome"] for f in verdict["findings"]] == ["pass"] * 17
    assert all(f["basis"] for f in verdict["findings"])
