"""Template helpers: stored words in the user's language, and persons named as the user may
see them."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from thirdcountry.accounts.roles import may as may_
from thirdcountry.accounts.roles import sees_personal_data
from thirdcountry.cases.models import Person, RunChange
from thirdcountry.oversight.findings import shown_changes as shown_changes_
from thirdcountry.web import codes
from thirdcountry.web.identity import person_key, person_label
from thirdcountry.words import label

register = template.Library()


@register.filter
def word(value: str | None) -> str:
    """A stored word (verdict, outcome, status, kind) as the user's language says it."""
    return label(value)


@register.simple_tag(takes_context=True)
def person_name(context: Any, person: Person) -> str:
    """The person's name, or their pseudonym for a user who may not see personal data."""
    return person_label(context["request"].user, person)


@register.simple_tag(takes_context=True)
def shown_changes(context: Any, change: RunChange) -> list[dict[str, Any]]:
    """The rules a run changed for one transfer, each new finding's reason rendered for the
    signed-in user."""
    return shown_changes_(
        change.run.catalog,
        change.rules_changed,
        personal=sees_personal_data(context["request"].user),
    )


@register.simple_tag(takes_context=True)
def person_url(context: Any, person: Person) -> str:
    """The address of the person's page as the user may follow it (a monitor's names the
    person by pseudonym, never by ref)."""
    return str(reverse("web:person", args=[person_key(context["request"].user, person)]))


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
