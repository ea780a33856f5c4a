"""Template helpers: stored words in the user's language, and persons named as the user may
see them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from thirdcountry.accounts.roles import may as may_
from thirdcountry.accounts.roles import sees_personal_data
from thirdcountry.cases.models import Person, RunChange
from thirdcountry.oversight.findings import shown_changes as shown_changes_
from thirdcountry.registry.models import CourtOrder
from thirdcountry.web import codes, display
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
def order_scope_url(context: Any, order: CourtOrder) -> str | None:
    """The page of the person or arrangement a court order covers, if it covers one."""
    if order.scope_person_id is not None:
        return str(person_url(context, order.scope_person))
    if order.scope_arrangement_id is not None:
        return str(reverse("web:arrangement", args=[order.scope_arrangement.ref]))
    return None


@register.simple_tag(takes_context=True)
def may(context: Any, permission: str) -> bool:
    """Whether the signed-in user holds a permission ("app_label.codename")."""
    return may_(context["request"].user, permission)


@register.simple_tag(takes_context=True)
def personal_data(context: Any) -> bool:
    """Whether the signed-in user may see names, birth dates and refs of persons."""
    return sees_personal_data(context["request"].user)


@register.filter
def with_outcome(findings: list[Any], outcome: str) -> list[Any]:
    """The findings with an outcome (``blocked``, ``review``), in catalog order."""
    return [f for f in findings if f.outcome == outcome]


@register.filter
def number(value: Any) -> Any:
    """A count or an amount with its thousands grouped as the page's language writes them."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return display.number(value)


@register.simple_tag
def demo() -> bool:
    """Whether this is the demonstration served by ``serve --demo``."""
    return bool(settings.THIRDCOUNTRY_DEMO)


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


#: The sections a page can sit in, by the name of their list page, with their titles; a
#: record's kind (``person``) names its list's section too.
SECTIONS: dict[str, Any] = {
    "transfers": gettext_lazy("Transfers"),
    "people": gettext_lazy("People"),
    "arrangements": gettext_lazy("Arrangements"),
    "court-orders": gettext_lazy("Court orders"),
    "countries": gettext_lazy("Countries"),
    "statistics": gettext_lazy("Statistics"),
    "catalog": gettext_lazy("Catalog"),
    "runs": gettext_lazy("Screening runs"),
    "users": gettext_lazy("Users"),
    "duplicates": gettext_lazy("Duplicates"),
    "import": gettext_lazy("Import"),
    "profile": gettext_lazy("Profile"),
}
_SECTION_OF_KIND = {"transfer": "transfers", "person": "people", "arrangement": "arrangements"}


@register.inclusion_tag("web/partials/breadcrumbs.html")
def breadcrumbs(section: str, *trail: Any) -> dict[str, Any]:
    """The way back from a page: the dashboard, the page's section, then ``trail``, given as
    label and address pairs and ending with the page's own label. With no trail the section's
    page is the current one."""
    section = _SECTION_OF_KIND.get(section, section)
    crumbs: list[tuple[str, str | None]] = [(str(gettext("Dashboard")), reverse("web:dashboard"))]
    crumbs.append((str(SECTIONS[section]), reverse(f"web:{section}")))
    pairs, current = (trail[:-1], trail[-1]) if trail else ((), None)
    crumbs += [(str(pairs[i]), str(pairs[i + 1])) for i in range(0, len(pairs) - 1, 2)]
    if current is None:
        crumbs[-1] = (crumbs[-1][0], None)
    else:
        crumbs.append((str(current), None))
    return {"crumbs": crumbs}
