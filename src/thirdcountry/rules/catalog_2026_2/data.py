"""The catalog data table of catalog 2026.2 (RULES-2026.2 §4): the law that changes over time,
as dated rows, shipped as a file beside the rules and named by its revision in every verdict.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Final

import msgspec

from thirdcountry.scenario.v2.model import LegalBasis, Regime

#: The data revision this catalog ships.
REVISION: Final = "2026.2-r1"


class CatalogData(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One revision of the catalog data: legal bases and regime rows, in table order."""

    catalog_data: str
    macrolanguage_table: str
    iso639_1_to_3: str
    legal_bases: tuple[LegalBasis, ...]
    regimes: tuple[Regime, ...]

    @property
    def legal_basis_codes(self) -> frozenset[str]:
        """The codes a scenario's own legal bases may not repeat."""
        return frozenset(b.code for b in self.legal_bases)

    @property
    def regime_ids(self) -> frozenset[str]:
        """The ids a scenario's own regimes may not repeat."""
        return frozenset(r.id for r in self.regimes)


@cache
def catalog_data(revision: str = REVISION) -> CatalogData:
    """The catalog data of this revision, read from the package's ``data`` folder."""
    raw = resources.files(__package__).joinpath("data").joinpath(f"{revision}.json").read_bytes()
    data = msgspec.json.decode(raw, type=CatalogData)
    if data.catalog_data != revision:
        raise ValueError(f"data file {revision}.json holds revision {data.catalog_data}")
    return data
