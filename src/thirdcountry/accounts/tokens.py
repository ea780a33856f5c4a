"""Creating, listing, revoking and checking personal API tokens.

A token is ``tc_`` followed by 43 URL-safe characters (256 random bits). Its SHA-256 digest
is stored, never the token: a stolen database does not give working tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from thirdcountry.accounts.models import ApiToken

#: Every token starts with this, so that a leaked one is easy to recognise.
TOKEN_MARK = "tc_"
#: How many leading characters of a token are stored in clear to find it again.
PREFIX_LENGTH = 11
#: ``last_used_at`` is written at most this often per token (a read must not always write).
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it and its plaintext, which is never stored and
    cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValueError("a token needs a name")
    plaintext = TOKEN_MARK + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, prefix=plaintext[:PREFIX_LENGTH], digest=_digest(plaintext)
    )
    token.full_clean()
    token.save()
    return token, plaintext


def revoke_token(token: ApiToken) -> None:
    """Revoke a token: from now on it authenticates nobody. Revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def tokens_of(user: Any) -> QuerySet[ApiToken, ApiToken]:
    """A user's tokens, newest first, revoked ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def authenticate_token(plaintext: str) -> Any:
    """The active user a token belongs to, or ``None`` for an unknown, revoked or malformed
    token, or one whose user is inactive."""
    if not plaintext.startswith(TOKEN_MARK) or len(plaintext) < PREFIX_LENGTH + 8:
        return None
    digest = _digest(plaintext)
    candidates = ApiToken.objects.filter(
        prefix=plaintext[:PREFIX_LENGTH], revoked_at__isnull=True
    ).select_related("user")
    for token in candidates:
        if hmac.compare_digest(token.digest, digest) and token.user.is_active:
            now = timezone.now()
            if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            return token.user
    return None
