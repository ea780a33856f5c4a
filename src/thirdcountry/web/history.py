"""A record's history on its page: the changes of :mod:`thirdcountry.records.history` in the
reader's language, newest first, a page at a time.

What a reader sees follows their role. Those who may see personal data see who made each
change, why, and the values before and after. Others (monitors) see when each change was
made, by which role, and which facts it changed, but no value and no reason: values and
reasons may name the person, and a monitor sees people only through pseudonyms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thirdcountry import words
from thirdcountry.accounts.roles import role_of, sees_personal_data
from thirdcountry.records.history import Change, FactChange, NotKept, Recorded, record_history
from thirdcountry.web import codes
from thirdcountry.web.record_parts import LABELS

#: Changes shown on one page of a history.
PAGE_SIZE: Final = 10

#: Stored columns that are not keys of the scenario format, by what the page calls them.
COLUMN_LABELS: Final[dict[str, Any]] = {
    "removal_decision_date": gettext_lazy("Removal decision: date"),
    "removal_decision_final": gettext_lazy("Removal decision: final"),
    "notice_served": gettext_lazy("Notice served on"),
    "notice_language": gettext_lazy("Notice: language"),
    "notice_names_destination": gettext_lazy("Notice: names the destination"),
    "issuer": gettext_lazy("Issued by"),
    "issued": gettext_lazy("Issued on"),
    "lifted": gettext_lazy("Lifted on"),
    "scope_person": gettext_lazy("Covers: person"),
    "scope_arrangement": gettext_lazy("Covers: arrangement"),
    "scope_sending": gettext_lazy("Covers: sending state"),
    "scope_destination": gettext_lazy("Covers: destination"),
}

#: Columns holding one of the format's words (shown translated), and holding codes.
_WORDS: Final = frozenset({"kind", "status", "asylum_claim", "commitment"})
_CODES: Final = {
    "country": "country",
    "country_id": "country",
    "sending": "country",
    "receiving": "country",
    "destination": "country",
    "scope_sending": "country",
    "scope_destination": "country",
    "payer_id": "country",
    "payee_id": "country",
    "language_id": "language",
    "notice_language": "language",
    "currency_id": "currency",
}

_ACTIONS: Final = {
    "created": gettext_lazy("recorded"),
    "changed": gettext_lazy("corrected"),
    "withdrawn": gettext_lazy("withdrawn"),
}


@dataclass(frozen=True)
class ShownFact:
    """One fact of a change as the page shows it (values empty when withheld)."""

    label: str
    before: str = ""
    after: str = ""
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ShownChange:
    """One change as the page shows it."""

    when: Any
    who: str
    action: str
    reason: str
    facts: list[ShownFact]


def _label(fact: str) -> str:
    return str(COLUMN_LABELS.get(fact) or LABELS.get(fact) or fact.replace("_", " "))


def value_text(column: str, value: Any) -> str:
    """A stored value in the reader's language."""
    if isinstance(value, NotKept):
        return str(_("not kept"))
    if isinstance(value, Recorded):
        return str(_("known") if value.known else _("unknown"))
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if column in _WORDS:
        return words.label(str(value))
    if column in _CODES:
        return codes.name_of(_CODES[column], str(value))
    return str(value)


def _entry_text(columns: tuple[str, ...], entry: tuple[Any, ...]) -> str:
    return ", ".join(value_text(c, v) for c, v in zip(columns, entry, strict=True) if v is not None)


def _shown_fact(fact: FactChange, personal: bool) -> ShownFact:
    if not personal:
        return ShownFact(_label(fact.fact))
    return ShownFact(
        _label(fact.fact),
        before=value_text(fact.fact, fact.before) if not fact.is_list or fact.before else "",
        after=value_text(fact.fact, fact.after) if not fact.is_list or fact.after else "",
        removed=[_entry_text(fact.columns, e) for e in fact.removed],
        added=[_entry_text(fact.columns, e) for e in fact.added],
    )


def _who(changes: list[Change], personal: bool) -> dict[int | None, str]:
    """What each author is shown as: their user name, or only their role."""
    ids = {c.user_id for c in changes if c.user_id is not None}
    users = get_user_model().objects.filter(pk__in=ids).prefetch_related("groups")
    shown: dict[int | None, str] = {None: _("the system (a load or an import)")}
    for user in users:
        role = role_of(user)
        if personal:
            shown[user.pk] = user.get_username()
        else:
            shown[user.pk] = words.label(role) if role else _("a user")
    return shown


def history_page(request: HttpRequest, kind: str, record_id: int) -> Page[ShownChange]:
    """The page of a record's history that ``?history=N`` names (the newest first)."""
    personal = sees_personal_data(request.user)
    changes = record_history(kind, record_id)
    paginator: Paginator[Change] = Paginator(changes, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("history"))
    who = _who(list(page.object_list), personal)
    page.object_list = [
        ShownChange(
            when=c.when,
            who=who.get(c.user_id, _("a user")),
            action=str(_ACTIONS[c.action]),
            reason=c.reason if personal else "",
            facts=[_shown_fact(f, personal) for f in c.facts],
        )
        for c in page.object_list
    ]
    return page
