"""Administration of accounts: an administrator manages users, roles and API tokens, but
cannot make anyone (themselves included) a superuser or hand out single permissions
outside a role."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest

from thirdcountry.accounts.models import ApiToken

#: What only a superuser may change about a user: everything else is a role's business.
SUPERUSER_ONLY = ("is_superuser", "user_permissions")


class AccountAdmin(UserAdmin):
    """Django's user admin, with the fields that escalate privileges read-only for anyone
    who is not already a superuser."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if getattr(request.user, "is_superuser", False):
            return fields
        return (*fields, *SUPERUSER_ONLY)


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed and revoked, never created or read back here (only digests are
    stored)."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("user", "name", "prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
