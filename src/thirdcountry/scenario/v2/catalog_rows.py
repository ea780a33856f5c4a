"""The catalog data's rows a scenario@2 refers to or must not repeat: the legal bases (each
with its sending state) and the regime ids.

A scenario extends the catalog's tables and never overrides a row (SCENARIO.md, legal_bases[]
and regimes[]); a transfer may rely on a catalog legal basis, whose sending state must be the
transfer's. Reading a scenario therefore needs these keys, and only these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True)
class CatalogRows:
    """The keys of one catalog data revision's rows."""

    #: Its name, as problems cite it (``2026.2-r1``).
    revision: str
    #: Each legal basis's code and the state that sends people on it.
    legal_bases: Mapping[str, str] = field(default_factory=dict)
    #: The regime rows' ids.
    regime_ids: frozenset[str] = frozenset()


#: Catalog data ``2026.2-r1`` (RULES-2026.2 §4), the revision a scenario@2 is read against
#: unless a reader is given another.
CATALOG_2026_2_R1: Final = CatalogRows(
    revision="2026.2-r1",
    legal_bases=MappingProxyType(
        {
            "us-ina-1231": "US",
            "us-aea-p10903": "US",
            "gb-rwanda-partnership": "GB",
            "it-al-protocol": "IT",
            "au-tcra": "AU",
        }
    ),
    regime_ids=frozenset(
        {
            "CF-NOTICE-DAYS",
            "CF-NOTICE-TO-COUNSEL",
            "CF-NOTICE-EXPLAINS",
            "CF-COUNSEL-ACCESS",
            "CF-INTERPRETER",
            "US-DVD-PI-NOTICE-DAYS",
            "US-DVD-PI-COUNSEL",
            "US-DVD-PI-REOPEN",
            "US-AEA-JGG",
            "US-AEA-AARP-DAYS",
            "US-ICE-2025-07-09",
            "EU-CJEU-C-406-22",
            "EU-PERSONAL-EXCEPTIONS-CONTESTED",
            "EU-CJEU-C-758-24-POPULATION",
            "EU-CJEU-C-758-24-REVIEW",
        }
    ),
)
