"""Users and roles as administrators manage them: every change on the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from thirdcountry.accounts.roles import ROLES
from thirdcountry.accounts.services import create_user, ensure_roles
from thirdcountry.oversight.audit.chain import append


def _audited(action: str, user: User, by: Any, **detail: Any) -> None:
    """Put a change to a user on the audit trail."""
    actor = getattr(by, "username", "") or "command line"
    append(
        action,
        model="auth.user",
        reason=f"user {user.username}: {action}",
        actor=actor,
        detail={"user": user.username, **detail},
    )


def users() -> QuerySet[User, User]:
    """Every user, by name, with their groups."""
    return User.objects.order_by("username").prefetch_related("groups")


@transaction.atomic
def register_user(username: str, role: str, password: str | None = None, *, by: Any = None) -> User:
    """Create a user in one role, as an administrator does (audited). Raises ``ValueError``
    when the name is taken or the role unknown."""
    username = username.strip()
    if not username:
        raise ValueError("a user needs a name")
    if User.objects.filter(username=username).exists():
        raise ValueError(f"the name {username!r} is taken")
    user = create_user(username, role, password)
    _audited("user created", user, by, role=role)
    return user


def _set_groups(user: User, role: str) -> None:
    groups = ensure_roles()
    user.groups.remove(*(groups[r] for r in ROLES))
    user.groups.add(groups[role])
    administrator = role == "administrator"
    user.is_staff = administrator
    user.is_superuser = administrator
    user.save(update_fields=["is_staff", "is_superuser"])


@transaction.atomic
def set_role(user: User, role: str, *, by: Any = None) -> User:
    """Give a user another role (they hold one at a time); audited."""
    if role not in ROLES:
        raise ValueError(f"{role!r} is not a role; expected one of {', '.join(ROLES)}")
    before = next((r for r in ROLES if user.groups.filter(name=r).exists()), None)
    _set_groups(user, role)
    _audited("role changed", user, by, role=role, before=before)
    return user


@transaction.atomic
def deactivate_user(user: User, *, by: Any = None) -> User:
    """Stop a user from signing in (their records and history stay); audited. An
    administrator cannot deactivate themselves, so that one always remains."""
    if by is not None and getattr(by, "pk", None) == user.pk:
        raise ValueError("you cannot deactivate yourself")
    user.is_active = False
    user.save(update_fields=["is_active"])
    _audited("user deactivated", user, by)
    return user


@transaction.atomic
def reactivate_user(user: User, *, by: Any = None) -> User:
    """Let a deactivated user sign in again; audited."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    _audited("user reactivated", user, by)
    return user
