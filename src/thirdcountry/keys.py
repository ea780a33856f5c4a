"""The secret key, and the refusal to serve or record anything without one.

Sessions, password-reset links, monitors' pseudonyms and the audit trail's record digests
are all keyed by the secret key (or by keys of their own, see docs/SECURITY.md). A key that
ships with the program is known to everyone: with it, anyone can recompute a pseudonym from a
ref, or test guesses of a birth date against an audit digest. So there is no such key: the
server, the worker and every command that writes refuse to start until one is configured,
and ``serve --demo`` makes a random one for its throw-away database.
"""

from __future__ import annotations

from typing import Any, Final

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

#: What to do when no key is configured.
MISSING_KEY: Final = (
    "THIRDCOUNTRY_SECRET_KEY is not set: set it to a long random value kept secret, e.g. "
    "the output of `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'` "
    "(docs/SECURITY.md: keys and their rotation)"
)


def secret_key_configured() -> bool:
    """Whether a secret key of this installation's own was configured."""
    return bool(getattr(settings, "THIRDCOUNTRY_SECRET_KEY_SET", False))


def require_secret_key() -> None:
    """Refuse to go on without a configured secret key (:class:`ImproperlyConfigured`)."""
    if not secret_key_configured():
        raise ImproperlyConfigured(MISSING_KEY)


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``manage check --deploy``: an error while no secret key is configured."""
    if secret_key_configured():
        return []
    return [checks.Error(MISSING_KEY, id="thirdcountry.E001")]
