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
    """A section of a scenario@2 document: its name, its record type, the key naming each
    of its entries, and what one entry is called in a problem's message (by default, "an
    entry of" the section)."""

    name: str
    record: type
    key: str = "ref"
    what: str = ""

    @property
    def entry_called(self) -> str:
        """What one entry is called in a problem's message."""
        return self.what or f"an entry of {self.name}"


SECTIONS: Final[Mapping[str, Section]] = {
    s.name: s
    for s in (
        Section("legal_bases", v2.LegalBasis, "code"),
        Section("regimes", v2.Regime, "id"),
        Section("classes", v2.PersonClass),
        Section("designations", v2.Designation),
        Section("assurances", v2.Assurance),
    )
}


def key_of(section: Section, entry: Any) -> str:
    """The key an entry is stored under."""
    return str(getattr(entry, section.key))


def document_of(entry: Any) -> dict[str, Any]:
    """A record or a section's entry as its @2 document writes it (what a world section's
    ``document`` column holds)."""
    return record_to_document(entry)


def entry_of(section: Section, document: Any) -> Any:
    """A stored document as its @2 record; raises ``msgspec.ValidationError`` when invalid."""
    return msgspec.convert(document, section.record, dec_hook=decode_hook)


def stored_entries(section: Section) -> list[Any]:
    """Every stored entry of a section, in key order."""
    from thirdcountry.registry.models import WorldRecord

    rows = WorldRecord.objects.filter(section=section.name).order_by("key")
    return [entry_of(section, row.document) for row in rows]
