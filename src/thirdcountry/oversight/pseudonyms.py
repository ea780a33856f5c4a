"""How a monitor knows a person: by a stable pseudonym, never by the ref.

A pseudonym is the person's ref encrypted deterministically (AES-SIV) under a key derived
from ``THIRDCOUNTRY_PSEUDONYM_KEY``: the same person has the same pseudonym in every view, so
a monitor can follow one person over time; without the key nobody can tell whose it is, even
by trying every possible ref; and the application, which holds the key, finds the person a
monitor names by pseudonym without keeping a table of them. A pseudonym that was not made
under the key (altered, guessed, or a plain ref) names nobody.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from functools import lru_cache
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from django.conf import settings

PREFIX: Final = "PS-"
#: What the key derivation is for, so no other use of the same key yields the same bytes.
_PURPOSE: Final = b"thirdcountry/pseudonym@2"


def pseudonym_key() -> bytes:
    """The key of pseudonyms (``THIRDCOUNTRY_PSEUDONYM_KEY``)."""
    key = getattr(settings, "THIRDCOUNTRY_PSEUDONYM_KEY", None) or (
        "pseudonym:" + settings.SECRET_KEY
    )
    return str(key).encode("utf-8")


@lru_cache(maxsize=4)
def _cipher(key: bytes) -> AESSIV:
    # AES-256-SIV takes 64 bytes of key: derived, whatever the configured key's length.
    return AESSIV(hmac.new(key, _PURPOSE, hashlib.sha512).digest())


def pseudonym(person_ref: str) -> str:
    """The pseudonym of the person with ``person_ref``: ``PS-`` and the base32 letters of
    the ref's deterministic encryption under the pseudonym key."""
    sealed = _cipher(pseudonym_key()).encrypt(person_ref.encode("utf-8"), None)
    return PREFIX + base64.b32encode(sealed).decode("ascii").rstrip("=")


def person_ref_of(name: str) -> str | None:
    """The ref of the person whose pseudonym is ``name``; ``None`` when ``name`` is not a
    pseudonym made under the current key (a ref, an altered or an old pseudonym)."""
    if not name.startswith(PREFIX):
        return None
    letters = name[len(PREFIX) :]
    try:
        sealed = base64.b32decode(letters + "=" * (-len(letters) % 8))
        return _cipher(pseudonym_key()).decrypt(sealed, None).decode("utf-8")
    except (binascii.Error, ValueError, InvalidTag, UnicodeDecodeError):
        return None


def entry_for_monitor(document: dict[str, Any]) -> dict[str, Any]:
    """A world section's entry (its scenario@2 document) as a monitor reads it: the persons
    a regime row's selector names, by their pseudonyms."""
    selector = document.get("applies_to")
    if not isinstance(selector, dict) or "person" not in selector:
        return document
    person = selector["person"]
    shown = [pseudonym(p) for p in person] if isinstance(person, list) else pseudonym(person)
    return {**document, "applies_to": {**selector, "person": shown}}
