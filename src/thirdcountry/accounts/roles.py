"""The roles of PRODUCT.md and what each may do, as Django groups and permissions.

| role | does |
|---|---|
| caseworker | records people and facts, proposes transfers, reads verdicts |
| legal_officer | records decisions, notices, fear screenings, court orders; settles reviews |
| supervisor | manages arrangements, payments, country assessments |
| monitor | reads only, pseudonymised; statistics; verifies the audit trail |
| administrator | users, roles, API tokens, erasure and retention; records no case fact |

Every page and API endpoint asks :func:`may` (or checks the same Django permissions), so a
role means the same thing everywhere.
"""

from __future__ import annotations

from typing import Any, Final

ROLES: Final = ("caseworker", "legal_officer", "supervisor", "monitor", "administrator")

#: What a role may do, as "app_label.codename" Django permissions.
_VIEW_RECORDS: Final = (
    "registry.view_arrangement",
    "registry.view_arrangementstatus",
    "registry.view_commitment",
    "registry.view_excludednationality",
    "registry.view_payment",
    "registry.view_assessment",
    "registry.view_courtorder",
    "registry.view_exchangerate",
    "registry.view_worldrecord",
    "cases.view_person",
    "cases.view_transfer",
    "cases.view_screening",
    "cases.view_screeningrun",
)
_PERSONAL_DATA: Final = ("cases.view_personal_data",)

ROLE_PERMISSIONS: Final[dict[str, tuple[str, ...]]] = {
    "caseworker": (
        *_VIEW_RECORDS,
        *_PERSONAL_DATA,
        "cases.add_person",
        "cases.change_person",
        "cases.add_transfer",
        "cases.change_transfer",
        "cases.record_acceptance",
        "cases.add_screeningrun",
        "cases.add_importmapping",
        "identity.view_candidate",
        "identity.view_merge",
    ),
    "legal_officer": (
        *_VIEW_RECORDS,
        *_PERSONAL_DATA,
        "cases.change_person",
        "cases.record_decision",
        "cases.record_notice",
        "cases.record_fear_screening",
        "cases.add_screeningrun",
        "registry.add_courtorder",
        "registry.change_courtorder",
        # legal bases, regimes, classes, designations and assurances (scenario@2)
        "registry.add_worldrecord",
        "registry.change_worldrecord",
        "identity.view_candidate",
        "identity.view_merge",
        "identity.review_candidate",
    ),
    "supervisor": (
        *_VIEW_RECORDS,
        *_PERSONAL_DATA,
        "registry.add_arrangement",
        "registry.change_arrangement",
        "registry.add_arrangementstatus",
        "registry.add_payment",
        "registry.change_payment",
        "registry.add_assessment",
        "registry.add_exchangerate",
        "registry.add_worldrecord",
        "registry.change_worldrecord",
        "cases.add_screeningrun",
        "cases.add_importmapping",
        "identity.view_candidate",
        "identity.view_merge",
        "identity.review_candidate",
    ),
    # Monitors read everything but see people only through pseudonyms, and verify the audit
    # trail.
    "monitor": (
        *_VIEW_RECORDS,
        "oversight.view_auditentry",
        "oversight.view_auditverification",
    ),
    # Least privilege: administrators manage accounts, roles, tokens and the data's life
    # cycle (erasure, retention) and verify the trail; the facts of a case are recorded by
    # the roles that own them, so no administrator is a Django superuser.
    "administrator": (
        *_VIEW_RECORDS,
        *_PERSONAL_DATA,
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "auth.change_group",
        "auth.view_permission",
        "accounts.view_apitoken",
        "accounts.change_apitoken",
        "cases.erase_person",
        "oversight.view_auditentry",
        "oversight.view_auditverification",
    ),
}


def may(user: Any, permission: str) -> bool:
    """Whether ``user`` holds ``permission`` ("app_label.codename")."""
    return bool(user is not None and user.is_authenticated and user.has_perm(permission))


def role_of(user: Any) -> str | None:
    """The user's role (the first of their groups that is a role), if any."""
    if user is None or not user.is_authenticated:
        return None
    names = set(user.groups.values_list("name", flat=True))
    return next((role for role in ROLES if role in names), None)


def sees_personal_data(user: Any) -> bool:
    """Whether the user may see names and birth dates (monitors see pseudonyms only)."""
    return may(user, "cases.view_personal_data")
