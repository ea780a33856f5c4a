"""The sections of scenario@2 that @1 has not (legal bases, regime rows, classes of persons,
safe-country designations, diplomatic assurances): each entry stored whole, as its validated
@2 document, under its key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import msgspec

from thirdcountry.scenario.parse import decode_hook
from thirdcountry.scenario.v2 import model as v2
from thirdcountry.scenario.write import record_to_document


@dataclass(frozen=True)
class Section:
    """A world section: its name in the document, its record type and the key naming each."""

    name: str
    record: type
    key: str


SECTIONS: Final[Mapping[str, Section]] = {
    s.name: s
    for s in (
        Section("legal_bases", v2.LegalBasis, "code"),
        Section("regimes", v2.Regime, "id"),
        Section("classes", v2.PersonClass, "ref"),
        Section("designations", v2.Designation, "ref"),
        Section("assurances", v2.Assurance, "ref"),
    )
}


def key_of(section: Section, entry: Any) -> str:
    """The key an entry is stored under."""
    return str(getattr(entry, section.key))


def entry_document(entry: Any) -> dict[str, Any]:
    """An entry as its @2 document writes it (what the ``document`` column holds)."""
    return record_to_document(entry)


def entry_of(section: Section, document: Any) -> Any:
    """A stored document as its @2 record; raises ``msgspec.ValidationError`` when invalid."""
    return msgspec.convert(document, section.record, dec_hook=decode_hook)


def stored_entries(section: Section) -> list[Any]:
    """Every stored entry of a section, in key order."""
    from thirdcountry.registry.models import WorldRecord

    rows = WorldRecord.objects.filter(section=section.name).order_by("key")
    return [entry_of(section, row.document) for row in rows]
