"""How a monitor knows a person: by a stable pseudonym instead of the ref.

A pseudonym is a keyed hash of the person's ref (HMAC-SHA256 with
``THIRDCOUNTRY_PSEUDONYM_KEY``): the same person has the same pseudonym in every view and
every release made with the same key, so a monitor can follow one person over time, and
without the key nobody can tell whose it is, even by trying every possible ref.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Final

from django.conf import settings

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
