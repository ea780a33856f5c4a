"""The scenario@2 facts a record's page lists under "Other recorded facts": those @1's
record has no place for (a person's sex and vulnerabilities, a transfer's legal basis, an
arrangement's model and caps over periods, an order's effect and later events), as far as
they are recorded, each in one line in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Final

from django.utils.translation import gettext as _

from thirdcountry import words
from thirdcountry.cases.sections_v2 import document_of
from thirdcountry.records.services_v2 import stored_record_v2
from thirdcountry.scenario import model as v1
from thirdcountry.scenario.layout import fields_of
from thirdcountry.scenario.v2 import model as v2
from thirdcountry.web.record_parts import LABELS

#: Each section's @2 and @1 record types.
_TYPES: Final[Mapping[str, tuple[type, type]]] = {
    "persons": (v2.Person, v1.Person),
    "transfers": (v2.Transfer, v1.Transfer),
    "arrangements": (v2.Arrangement, v1.Arrangement),
    "court_orders": (v2.CourtOrder, v1.CourtOrder),
}
#: Keys @1 has whose @2 form says more (a notice served on counsel; a selector of lists).
_RICHER: Final[Mapping[str, tuple[str, ...]]] = {
    "transfers": ("notice",),
    "arrangements": ("terms",),
    "court_orders": ("scope",),
}


@cache
def new_keys(section: str) -> tuple[str, ...]:
    """The document keys of a section's @2 record that its page lists here."""
    new, old = _TYPES[section]
    held = {f.encode_name for f in fields_of(old)}
    keys = [f.encode_name for f in fields_of(new) if f.encode_name not in held]
    return (*_RICHER.get(section, ()), *keys)


def _label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ")))


def shown(value: Any) -> str:
    """A recorded @2 value in one line: yes/no, words translated, objects key by key."""
    if value is None or value == []:
        return str(_("known: none"))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str):
        return words.label(value) if value.islower() and " " not in value else value
    if isinstance(value, list):
        return "; ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{_label(k)}: {shown(v)}" for k, v in value.items())
    return str(value)


def other_facts(section: str, ref: str) -> list[tuple[str, str]]:
    """The recorded @2 facts of one record its @1 page does not show, as (label, text)."""
    record = stored_record_v2(section, ref)
    if record is None:
        return []
    document = document_of(record)
    return [(_label(k), shown(document[k])) for k in new_keys(section) if k in document]
