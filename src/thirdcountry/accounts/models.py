"""Personal API tokens: a user's bearer credentials for the REST API.

Only a SHA-256 digest of each token is stored; the token itself is shown once, when it is
created. A token is looked up by its public prefix and then compared in constant time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A personal API token; ``revoked_at`` set means it no longer authenticates."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    #: The token's first characters, shown in lists so that a person can tell tokens apart.
    prefix = models.CharField(max_length=16, db_index=True)
    #: SHA-256 (hex) of the whole token.
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def active(self) -> bool:
        """Whether the token still authenticates (it has not been revoked)."""
        return self.revoked_at is None
