"""What a monitor sees of a person: a stable pseudonym instead of the ref, the birth year
instead of the birth date, and no names, aliases or free-text notes.

A pseudonym is a keyed hash of the person's ref (HMAC-SHA256 with
``THIRDCOUNTRY_PSEUDONYM_KEY``): the same person has the same pseudonym in every view and
every release made with the same key, so a monitor can follow one person over time, and
without the key nobody can tell whose it is, even by trying every possible ref.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, Final

from django.conf import settings

from thirdcountry.cases.models import Person, ScreeningRecord

#: How unknown facts appear in a monitor's view (a known absence is None or an empty list).
UNKNOWN: Final = "unknown"
PREFIX: Final = "PS-"
LENGTH: Final = 12


def pseudonym_key() -> bytes:
    """The key of pseudonyms (``THIRDCOUNTRY_PSEUDONYM_KEY``)."""
    key = getattr(settings, "THIRDCOUNTRY_PSEUDONYM_KEY", None) or (
        "pseudonym:" + settings.SECRET_KEY
    )
    return str(key).encode("utf-8")


def pseudonym(person_ref: str) -> str:
    """The pseudonym of the person with ``person_ref``: ``PS-`` and 12 base32 characters
    (60 bits) of the HMAC-SHA256 of the ref under the pseudonym key."""
    digest = hmac.new(pseudonym_key(), person_ref.encode("utf-8"), hashlib.sha256).digest()
    return PREFIX + base64.b32encode(digest).decode("ascii")[:LENGTH]


def _known(value: Any) -> Any:
    return UNKNOWN if value is None else value


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def monitor_person_view(person: Person) -> dict[str, Any]:
    """The facts about ``person`` a monitor may see, as plain JSON-ready values.

    Unknown facts are ``"unknown"``; a fact known to be absent is None (no removal decision)
    or an empty list (stateless, no fear claims, no convictions). Names, aliases, the ref,
    the birth date (only its year is given), conviction offences and monitoring notes are
    left out. Transfers are listed by ref with their latest stored verdict.
    """
    nationalities = sorted(person.nationalities.values_list("country_id", flat=True))
    languages = sorted(person.languages.values_list("language_id", flat=True))
    fear_claims = [
        {"country": country, "status": status}
        for country, status in person.fear_claims.order_by("seq").values_list(
            "country_id", "status"
        )
    ]
    convictions = [
        {"sentence_end": _iso(end) if end is not None else UNKNOWN}
        for end in person.convictions.order_by("seq").values_list("sentence_end", flat=True)
    ]
    decision: Any
    if not person.removal_decision_recorded:
        decision = UNKNOWN
    elif person.removal_decision_date is None:
        decision = None
    else:
        decision = {
            "date": _iso(person.removal_decision_date),
            "final": person.removal_decision_final,
            "appeal_deadline": _iso(person.appeal_deadline),
            "appeal_pending": person.appeal_pending,
        }
    transfers = list(
        person.transfers.order_by("planned_date", "ref").values(
            "id",
            "ref",
            "status",
            "sending_id",
            "destination_id",
            "arrangement__ref",
            "planned_date",
        )
    )
    latest = dict(
        ScreeningRecord.objects.filter(transfer__person=person)
        .order_by("transfer_id", "id")
        .values_list("transfer_id", "verdict")
    )
    return {
        "pseudonym": pseudonym(person.ref),
        "birth_year": person.birth_date.year if person.birth_date else UNKNOWN,
        "nationalities": nationalities if person.nationalities_recorded else UNKNOWN,
        "languages": languages if person.languages_recorded else UNKNOWN,
        "accompanied": _known(person.accompanied),
        "identity_verified": _known(person.identity_verified),
        "asylum_claim": _known(person.asylum_claim),
        "fear_claims": fear_claims if person.fear_claims_recorded else UNKNOWN,
        "removal_decision": decision,
        "convictions": convictions if person.convictions_recorded else UNKNOWN,
        "family_in_sending_country": _known(person.family_in_sending_country),
        "fit_to_travel": _known(person.fit_to_travel),
        "transfers": [
            {
                "ref": t["ref"],
                "status": t["status"],
                "sending": t["sending_id"],
                "destination": t["destination_id"],
                "arrangement": t["arrangement__ref"],
                "planned_date": _iso(t["planned_date"]),
                "verdict": latest.get(t["id"], "unscreened"),
            }
            for t in transfers
        ],
    }
