"""Template helpers: stored words in the user's language, and persons named as the user may
see them."""

from __future__ import annotations

from typing import Any

from django import template

from thirdcountry.accounts.roles import may as may_
from thirdcountry.accounts.roles import sees_personal_data
from thirdcountry.cases.models import Person
from thirdcountry.web import codes
from thirdcountry.web.display import verdict_word
from thirdcountry.web.identity import finding_reason as finding_reason_
from thirdcountry.web.identity import person_label

register = template.Library()


@register.filter
def word(value: str | None) -> str:
    """A stored word (verdict, outcome, status, kind) as the user's language says it."""
    return verdict_word(value)


@register.simple_tag(takes_context=True)
def person_name(context: Any, person: Person) -> str:
    """The person's name, or their pseudonym for a user who may not see personal data."""
    return person_label(context["request"].user, person)


@register.simple_tag(takes_context=True)
def finding_reason(context: Any, reason: str, person: Person | None) -> str:
    """A finding's reason, with the person's birth date cut to its year for a user who may
    not see personal data."""
    return finding_reason_(context["request"].user, reason, person)


@register.simple_tag(takes_context=True)
def may(context: Any, permission: str) -> bool:
    """Whether the signed-in user holds a permission ("app_label.codename")."""
    return may_(context["request"].user, permission)


@register.simple_tag(takes_context=True)
def personal_data(context: Any) -> bool:
    """Whether the signed-in user may see names, birth dates and refs of persons."""
    return sees_personal_data(context["request"].user)


@register.filter
def short_hash(value: str) -> str:
    """The first twelve hex digits of a hash, enough to tell two apart on a page."""
    return value[:12]


@register.simple_tag
def code_options(kind: str) -> list[tuple[str, str]]:
    """``(code, name)`` of a code list in the page's language, for a picker."""
    return codes.options(kind)


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    """``mapping[key]``, or nothing when it has no such key."""
    return (mapping or {}).get(key)
