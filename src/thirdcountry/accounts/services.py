"""Creating the role groups and accounts. Administering users (audited) is in
:mod:`thirdcountry.oversight.users`."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from thirdcountry.accounts.roles import ROLE_PERMISSIONS, ROLES


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """Create (or bring up to date) one group per role with exactly its permissions."""
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for permission in ROLE_PERMISSIONS[role]:
            app_label, codename = permission.split(".")
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is None:
                raise LookupError(f"permission {permission} does not exist")
            wanted.append(found)
        group.permissions.set(wanted)
        groups[role] = group
    return groups


@transaction.atomic
def create_user(username: str, role: str, password: str | None = None, **fields: Any) -> User:
    """Create a user in one role (an administrator is also Django staff, for the admin, but
    never a superuser: they hold their role's permissions and no others)."""
    if role not in ROLES:
        raise ValueError(f"{role!r} is not a role; expected one of {', '.join(ROLES)}")
    groups = ensure_roles()
    user = User.objects.create_user(
        username, password=password or secrets.token_urlsafe(12), **fields
    )
    user.groups.add(groups[role])
    if role == "administrator":
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user
