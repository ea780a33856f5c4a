"""Two records of one person made one: what the merged record knows.

The surviving record keeps its ref and every fact it knows; what only the other record knows
is added. Names and aliases, nationalities, languages, fear claims and convictions are
pooled, so a fear claim recorded against either copy counts for every transfer of the
person. A pooled list is known only when both records know it, or when it holds entries: a
"known none" on one copy never hides that the other copy's list is unknown (a missing fact
never yields a clear verdict). This module needs no Django.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from thirdcountry.scenario.model import UNKNOWN, Person

T = TypeVar("T")


def _first_known(kept: Any, other: Any) -> Any:
    return other if kept is UNKNOWN else kept


def _pooled(kept: Any, other: Any) -> Any:
    """Two lists of the same fact pooled (each entry once, the survivor's first)."""
    if kept is UNKNOWN and other is UNKNOWN:
        return UNKNOWN
    entries: list[Any] = []
    for source in (kept, other):
        if source is UNKNOWN:
            continue
        for entry in source:
            if entry not in entries:
                entries.append(entry)
    if (kept is UNKNOWN or other is UNKNOWN) and not entries:
        return UNKNOWN
    return tuple(entries)


_POOLED = ("nationalities", "languages", "fear_claims", "convictions")
_FIRST_KNOWN = (
    "birth_date",
    "accompanied",
    "identity_verified",
    "asylum_claim",
    "removal_decision",
    "family_in_sending_country",
    "fit_to_travel",
)


def merged_person(survivor: Person, absorbed: Person) -> Person:
    """The survivor with what only ``absorbed`` knows added (see the module's description)."""
    names = list(survivor.names)
    names.extend(n for n in absorbed.names if n not in names)
    changes: dict[str, Any] = {"names": tuple(names)}
    for key in _POOLED:
        changes[key] = _pooled(getattr(survivor, key), getattr(absorbed, key))
    for key in _FIRST_KNOWN:
        changes[key] = _first_known(getattr(survivor, key), getattr(absorbed, key))
    return msgspec.structs.replace(survivor, **changes)
